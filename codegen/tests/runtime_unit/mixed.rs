//! `runtime/mixed.rs`: the `multipart/*` splitter, fed bytes in every split, and the boundary
//! of a content type.

use std::collections::VecDeque;

use crate::runtime::mixed::{PartSplitter, SplitError, boundary};

/// Splits `chunks`: each part's `Content-Type` (or `-`) and content, whether the body reached its
/// close delimiter, and the error that stopped it, if any.
fn split(chunks: &[&[u8]], max: usize) -> (Vec<(String, String)>, bool, Option<SplitError>) {
    let mut splitter = PartSplitter::new("b0und", max);
    let mut out = VecDeque::new();
    let mut failed = None;
    for chunk in chunks {
        if let Err(e) = splitter.feed(chunk, &mut out) {
            failed = Some(e);
            break;
        }
    }
    let closed = failed.is_none() && splitter.finish() == Ok(true);
    let parts = out
        .into_iter()
        .map(|p| {
            let ct = p.headers.get("content-type").map_or("-".to_owned(), |v| v.to_str().unwrap().to_owned());
            (ct, String::from_utf8(p.content).unwrap())
        })
        .collect();
    (parts, closed, failed)
}

const BODY: &str = "preamble, ignored\r\n--b0und\r\ncontent-type: application/json\r\ncontent-id: <a>\r\n\r\n{\"n\":1}\r\n--b0und  \r\n\r\nno headers: text/plain\r\n--b0und\r\nContent-Type: text/plain\r\n\r\n--b0un is not the boundary\r\nnor is\r\n-b0und\r\n--b0und--\r\nepilogue, ignored";

fn expected() -> Vec<(String, String)> {
    vec![
        ("application/json".into(), "{\"n\":1}".into()),
        ("-".into(), "no headers: text/plain".into()),
        ("text/plain".into(), "--b0un is not the boundary\r\nnor is\r\n-b0und".into()),
    ]
}

#[test]
fn parts_split_at_every_split_point() {
    let body = BODY.as_bytes();
    for at in 0..=body.len() {
        let (parts, closed, failed) = split(&[&body[..at], &body[at..]], 1024);
        assert_eq!(failed, None, "split at {at}");
        assert!(closed, "split at {at}");
        assert_eq!(parts, expected(), "split at {at}");
    }
    let bytes: Vec<&[u8]> = body.chunks(1).collect();
    assert_eq!(split(&bytes, 1024).0, expected(), "one byte at a time");
}

#[test]
fn a_part_may_have_no_content_and_no_headers() {
    // RFC 2046: `body-part := MIME-part-headers [CRLF *OCTET]`: the next delimiter may follow the
    // empty line at once.
    let body = b"--b0und\r\n\r\n--b0und\r\n\r\nx\r\n--b0und\r\ncontent-type: text/plain\r\n\r\n--b0und--";
    let expected =
        vec![("-".to_owned(), String::new()), ("-".into(), "x".into()), ("text/plain".into(), String::new())];
    for at in 0..=body.len() {
        assert_eq!(split(&[&body[..at], &body[at..]], 1024), (expected.clone(), true, None), "split at {at}");
    }
}

#[test]
fn a_body_may_start_with_its_first_delimiter_and_end_at_the_close_delimiter() {
    let body = b"--b0und\r\n\r\nonly\r\n--b0und--";
    let (parts, closed, failed) = split(&[body], 1024);
    assert_eq!((parts, closed, failed), (vec![("-".into(), "only".into())], true, None));
}

#[test]
fn a_body_cut_before_its_close_delimiter_is_not_closed_and_its_last_part_is_not_handed_over() {
    let body = BODY.as_bytes();
    let close = BODY.find("\r\n--b0und--").unwrap();
    for cut in [close, close + 5] {
        let (parts, closed, failed) = split(&[&body[..cut]], 1024);
        assert_eq!(failed, None);
        assert!(!closed, "cut at {cut}");
        assert_eq!(parts, expected()[..2], "cut at {cut}: the third part never ended");
    }
    // Its delimiter arrived, not the `--` that closes the body.
    let (parts, closed, _) = split(&[&body[..close + "\r\n--b0und-".len()]], 1024);
    assert_eq!((parts, closed), (expected(), false));
    assert_eq!(split(&[b"no delimiter at all"], 1024), (vec![], false, None));
}

#[test]
fn a_part_over_the_limit_stops_the_splitter_holding_no_more_than_the_limit() {
    let big = format!("--b0und\r\n\r\n{}\r\n--b0und--\r\n", "x".repeat(100));
    // Fed in one chunk or byte by byte, the part passes a 64-byte limit.
    let (parts, _, failed) = split(&[big.as_bytes()], 64);
    assert_eq!((parts.len(), failed), (0, Some(SplitError::Limit)));
    let bytes: Vec<&[u8]> = big.as_bytes().chunks(1).collect();
    assert_eq!(split(&bytes, 64).2, Some(SplitError::Limit));
    // Content of exactly the limit passes, fed whole or byte by byte; one byte more does not.
    let exact = format!("--b0und\r\nx-a: 1\r\n\r\n{}\r\n--b0und--", "x".repeat(64));
    let (parts, closed, failed) = split(&[exact.as_bytes()], 64);
    assert_eq!((parts.len(), closed, failed), (1, true, None));
    let bytes: Vec<&[u8]> = exact.as_bytes().chunks(1).collect();
    assert_eq!(split(&bytes, 64).0.len(), 1);
    let over = exact.replacen("xx", "xxx", 1);
    assert_eq!(split(&[over.as_bytes()], 64).2, Some(SplitError::Limit));
    // Headers that never end count too, and are refused past 64 KiB whatever the part limit.
    let endless = format!("--b0und\r\nx-a: {}", "y".repeat(1000));
    assert_eq!(split(&[endless.as_bytes()], 64).2, Some(SplitError::Limit));
    let long = format!("--b0und\r\nx-a: {}", "y".repeat(70 * 1024));
    let chunks: Vec<&[u8]> = long.as_bytes().chunks(100).collect();
    assert_eq!(split(&chunks, 1 << 20).2, Some(SplitError::Limit));
    // Endless padding after a boundary is not a delimiter line.
    let padded = format!("--b0und{}", " ".repeat(2000));
    assert!(matches!(split(&[padded.as_bytes()], 1 << 20).2, Some(SplitError::Malformed(_))));
    // A preamble of any length is dropped as it arrives.
    let preamble = format!("{}\r\n--b0und\r\n\r\nok\r\n--b0und--", "p".repeat(10_000));
    assert_eq!(split(&[preamble.as_bytes()], 64).0, vec![("-".to_owned(), "ok".to_owned())]);
}

#[test]
fn malformed_bodies_are_refused() {
    let after = b"--b0undary\r\n\r\nx\r\n--b0und--";
    assert!(matches!(split(&[after], 1024).2, Some(SplitError::Malformed(_))), "a longer boundary");
    let header = b"--b0und\r\nno colon here\r\n\r\nx\r\n--b0und--";
    assert!(matches!(split(&[header], 1024).2, Some(SplitError::Malformed(_))), "a header without a colon");
    // A stopped splitter says why again, and takes no more.
    let mut splitter = PartSplitter::new("b0und", 1024);
    let mut out = VecDeque::new();
    assert!(matches!(splitter.feed(header, &mut out), Err(SplitError::Malformed(_))));
    assert!(matches!(splitter.feed(b"--b0und--", &mut out), Err(SplitError::Malformed(_))));
    assert!(matches!(splitter.finish(), Err(SplitError::Malformed(_))));
}

#[test]
fn the_boundary_is_read_from_the_content_type() {
    assert_eq!(boundary("multipart/mixed; boundary=abc").as_deref(), Some("abc"));
    assert_eq!(boundary("multipart/mixed;charset=utf-8; BOUNDARY=\"a b:c\"").as_deref(), Some("a b:c"));
    assert_eq!(boundary("multipart/mixed"), None);
    assert_eq!(boundary("multipart/mixed; boundary="), None);
    assert_eq!(boundary(&format!("multipart/mixed; boundary={}", "x".repeat(71))), None);
}
