//! `runtime/sse.rs`: the SSE parser, fed bytes in every split.

use std::collections::VecDeque;

use crate::runtime::sse::{RawEvent, SseParser};

/// A stream exercising the WHATWG rules: a BOM, comments, CRLF, CR and LF line ends, multi-line
/// data, `event`, `id` (kept for later events), `retry`, a field without a colon, an unknown field,
/// a value without the optional space, non-ASCII text, an event without data (not dispatched),
/// and a final event without its blank line (discarded).
const SSE: &[u8] = "\u{feff}: keepalive\r\n\
    data: {\"output\":\"h\u{e9}llo \u{1f980}\"}\r\n\r\n\
    event: delta\rid: 7\rretry: 1500\rdata: line one\rdata:line two\r\r\
    : another comment\n\
    event: ping\n\n\
    data\nunknown: x\n\n\
    data: after\n\n\
    data: [DONE]\n\n\
    data: unterminated"
    .as_bytes();

fn sse_expected() -> Vec<RawEvent> {
    let ev = |event: &str, data: &str, id: Option<&str>, retry: Option<u64>| RawEvent {
        event: event.into(),
        data: data.into(),
        id: id.map(Into::into),
        retry,
    };
    vec![
        ev("message", "{\"output\":\"h\u{e9}llo \u{1f980}\"}", None, None),
        ev("delta", "line one\nline two", Some("7"), Some(1500)),
        ev("message", "", Some("7"), None),
        ev("message", "after", Some("7"), None),
        ev("message", "[DONE]", Some("7"), None),
    ]
}

fn parse_in(chunks: &[&[u8]]) -> Vec<RawEvent> {
    let mut parser = SseParser::new();
    let mut out = VecDeque::new();
    for chunk in chunks {
        parser.feed(chunk, &mut out);
    }
    out.into_iter().collect()
}

#[test]
fn sse_parses_the_whatwg_cases_in_one_chunk() {
    assert_eq!(parse_in(&[SSE]), sse_expected());
}

#[test]
fn sse_parses_the_same_events_at_every_split_point() {
    // Every split in two (inside CRLF, inside the BOM, inside a UTF-8 character, ...).
    for at in 0..=SSE.len() {
        assert_eq!(parse_in(&[&SSE[..at], &SSE[at..]]), sse_expected(), "split at {at}");
    }
    // One byte per chunk.
    let bytes: Vec<&[u8]> = SSE.chunks(1).collect();
    assert_eq!(parse_in(&bytes), sse_expected());
}

#[test]
fn sse_bom_is_skipped_only_at_the_start() {
    let events = parse_in(&[b"data: a\n\n\xEF\xBB\xBFdata: b\n\n"]);
    assert_eq!(events.len(), 1, "a BOM later in the stream makes an unknown field name");
    assert_eq!(events[0].data, "a");
}

#[test]
fn sse_id_with_nul_is_ignored_and_empty_id_resets() {
    let events = parse_in(&[b"id: 1\ndata: a\n\nid: x\0y\ndata: b\n\nid\ndata: c\n\n"]);
    let ids: Vec<Option<&str>> = events.iter().map(|e| e.id.as_deref()).collect();
    assert_eq!(ids, [Some("1"), Some("1"), None]);
}

#[test]
fn sse_retry_must_be_digits() {
    let events = parse_in(&[b"retry: 12a\ndata: a\n\nretry: 30\ndata: b\n\n"]);
    assert_eq!(events[0].retry, None);
    assert_eq!(events[1].retry, Some(30));
}
