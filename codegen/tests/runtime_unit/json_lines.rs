//! `runtime/json_lines.rs`: the JSON Lines splitter, fed bytes in every split.

use std::collections::VecDeque;

use crate::runtime::json_lines::LineSplitter;

fn split_lines(chunks: &[&[u8]], finish: bool) -> Vec<String> {
    let mut splitter = LineSplitter::new();
    let mut out = VecDeque::new();
    for chunk in chunks {
        splitter.feed(chunk, &mut out);
    }
    if finish {
        splitter.finish(&mut out);
    }
    out.into_iter().map(|l| String::from_utf8(l).unwrap()).collect()
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
