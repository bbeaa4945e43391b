//! `runtime/json_lines.rs`: the JSON Lines splitter, fed bytes in every split.

use std::collections::VecDeque;

use crate::runtime::StreamPart;
use crate::runtime::json_lines::LineSplitter;

fn split_lines(chunks: &[&[u8]], finish: bool) -> Vec<String> {
    let (lines, failed) = split_limited(chunks, finish, usize::MAX);
    assert_eq!(failed, None);
    lines
}

/// Splits `chunks` with a limit: the records, and the limit passed, if any.
fn split_limited(chunks: &[&[u8]], finish: bool, max: usize) -> (Vec<String>, Option<StreamPart>) {
    let mut splitter = LineSplitter::with_limit(max);
    let mut out = VecDeque::new();
    let mut failed = None;
    for chunk in chunks {
        if let Err(part) = splitter.feed(chunk, &mut out) {
            failed = Some(part);
            break;
        }
    }
    if finish && failed.is_none() {
        match splitter.finish() {
            Ok(last) => out.extend(last),
            Err(part) => failed = Some(part),
        }
    }
    (out.into_iter().map(|l| String::from_utf8(l).unwrap()).collect(), failed)
}

#[test]
fn json_lines_split_at_lf_crlf_and_rs_at_every_split_point() {
    let body = "{\"a\":1}\r\n\n  \n{\"b\":\"\u{e9}\"}\n\u{1e}{\"c\":3}\n\u{1e}{\"d\":4}".as_bytes();
    let expected = ["{\"a\":1}", "{\"b\":\"\u{e9}\"}", "{\"c\":3}", "{\"d\":4}"];
    for at in 0..=body.len() {
        assert_eq!(split_lines(&[&body[..at], &body[at..]], true), expected, "split at {at}");
    }
    // Without the end of the body, the last record is not complete yet.
    assert_eq!(split_lines(&[body], false), expected[..3]);
}

#[test]
fn json_lines_a_line_of_exactly_the_limit_passes_with_lf_crlf_or_at_the_end() {
    // `{"a":"12"}` is 10 bytes; the LF, and a CR before it, are not counted.
    for body in [&b"{\"a\":\"12\"}\n"[..], b"{\"a\":\"12\"}\r\n", b"{\"a\":\"12\"}", b"\x1e{\"a\":\"12\"}\n"] {
        for at in 0..=body.len() {
            let (lines, failed) = split_limited(&[&body[..at], &body[at..]], true, 10);
            assert_eq!((lines, failed), (vec!["{\"a\":\"12\"}".to_owned()], None), "{body:?} split at {at}");
            let (lines, failed) = split_limited(&[&body[..at], &body[at..]], true, 9);
            assert_eq!((lines.len(), failed), (0, Some(StreamPart::JsonLine)), "{body:?} split at {at}");
        }
    }
}

#[test]
fn json_lines_records_before_the_limit_are_kept_and_the_splitter_stops_at_it() {
    let mut splitter = LineSplitter::with_limit(8);
    let mut out = VecDeque::new();
    assert_eq!(splitter.feed(b"{\"a\":1}\n[1,2]\n\"too long a line", &mut out), Err(StreamPart::JsonLine));
    assert_eq!(out, [b"{\"a\":1}".to_vec(), b"[1,2]".to_vec()]);
    assert_eq!(splitter.feed(b"\n{}\n", &mut out), Err(StreamPart::JsonLine), "nothing more is taken");
    assert_eq!(splitter.finish(), Err(StreamPart::JsonLine));
    assert_eq!(out.len(), 2);
    // Blank lines count too: a line of spaces is held until it ends.
    let (_, failed) = split_limited(&[&[b' '; 20]], false, 8);
    assert_eq!(failed, Some(StreamPart::JsonLine));
}

#[test]
fn json_lines_a_long_line_is_refused_without_being_held() {
    // A 64 MiB line without a line end, fed in 64 KiB chunks, against a 1 MiB limit.
    let mut splitter = LineSplitter::with_limit(1 << 20);
    let mut out = VecDeque::new();
    let block = vec![b'7'; 64 * 1024];
    let mut fed = 0usize;
    loop {
        fed += block.len();
        if splitter.feed(&block, &mut out).is_err() {
            break;
        }
        assert!(fed < 2 << 20, "no refusal after {fed} bytes");
    }
    // 1 MiB plus the byte a CR may take passes with the seventeenth chunk.
    assert_eq!(fed, (1 << 20) + block.len());
    assert!(out.is_empty());
}
