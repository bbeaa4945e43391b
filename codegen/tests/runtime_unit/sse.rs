//! `runtime/sse.rs`: the SSE parser, fed bytes in every split.

use std::collections::VecDeque;

use crate::runtime::StreamPart;
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
        parser.feed(chunk, &mut out).unwrap();
    }
    out.into_iter().collect()
}

/// Feeds `chunks` with limits: the events, and the first limit passed, if any.
fn parse_limited(chunks: &[&[u8]], max_line: usize, max_data: usize) -> (Vec<RawEvent>, Option<StreamPart>) {
    let mut parser = SseParser::with_limits(max_line, max_data);
    let mut out = VecDeque::new();
    let mut failed = None;
    for chunk in chunks {
        if let Err(part) = parser.feed(chunk, &mut out) {
            failed = Some(part);
            break;
        }
    }
    (out.into_iter().collect(), failed)
}

/// How a body ends after `chunks`: `Ok` between events, `Err` inside a line or an event.
fn end_of(chunks: &[&[u8]]) -> Result<(), StreamPart> {
    let mut parser = SseParser::new();
    let mut out = VecDeque::new();
    for chunk in chunks {
        parser.feed(chunk, &mut out).unwrap();
    }
    parser.finish()
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

#[test]
fn sse_the_unterminated_last_event_is_a_truncation_at_every_split_point() {
    for at in 0..=SSE.len() {
        assert_eq!(end_of(&[&SSE[..at], &SSE[at..]]), Err(StreamPart::EventStreamLine), "split at {at}");
    }
}

#[test]
fn sse_a_body_ending_between_events_is_complete_and_inside_one_is_not() {
    let whole = "\u{feff}data: a\r\n\r\n: bye\n".as_bytes();
    for at in 0..=whole.len() {
        assert_eq!(end_of(&[&whole[..at], &whole[at..]]), Ok(()), "split at {at}");
    }
    assert_eq!(end_of(&[b""]), Ok(()), "an empty body");
    assert_eq!(end_of(&[b"\xEF\xBB\xBF"]), Ok(()), "a BOM alone");
    assert_eq!(end_of(&[b"data: a\n\ndata: b\r"]), Err(StreamPart::Event), "a CR ends the line, not the event");
    assert_eq!(end_of(&[b"data: a\n\ndata: b\n"]), Err(StreamPart::Event));
    assert_eq!(end_of(&[b"event: x\nid: 2\n"]), Err(StreamPart::Event), "fields without data are under way too");
    assert_eq!(end_of(&[b"data: a\n\n: a comment cut sh"]), Err(StreamPart::EventStreamLine));
    // A blank line ends an event even when it has no data (not dispatched, but not pending).
    assert_eq!(end_of(&[b"event: ping\n\n"]), Ok(()));
}

#[test]
fn sse_a_line_of_exactly_the_limit_passes_and_one_byte_more_fails() {
    let body = b"data: 12345\n\n";
    // "data: 12345" is 11 bytes; its line end is not counted.
    let (events, failed) = parse_limited(&[body], 11, 100);
    assert_eq!((events.len(), failed), (1, None));
    for at in 0..=body.len() {
        let (events, failed) = parse_limited(&[&body[..at], &body[at..]], 10, 100);
        assert_eq!((events.len(), failed), (0, Some(StreamPart::EventStreamLine)), "split at {at}");
    }
    // Comments and other fields count too: every line is held until it ends.
    let (_, failed) = parse_limited(&[b": a comment longer than ten\n"], 10, 100);
    assert_eq!(failed, Some(StreamPart::EventStreamLine));
}

#[test]
fn sse_events_before_the_limit_are_kept_and_the_parser_stops_at_it() {
    let mut parser = SseParser::with_limits(16, 16);
    let mut out = VecDeque::new();
    let chunk = b"data: one\n\ndata: two\n\ndata: a line far too long";
    assert_eq!(parser.feed(chunk, &mut out), Err(StreamPart::EventStreamLine));
    let data: Vec<&str> = out.iter().map(|e| e.data.as_str()).collect();
    assert_eq!(data, ["one", "two"]);
    // Nothing more is taken, however it continues.
    assert_eq!(parser.feed(b"\n\ndata: three\n\n", &mut out), Err(StreamPart::EventStreamLine));
    assert_eq!(out.len(), 2);
}

#[test]
fn sse_event_data_is_limited_across_its_lines() {
    // Three lines of 4 bytes of data: 4 + 1 + 4 + 1 + 4 = 14 bytes joined.
    let body = b"data: abcd\ndata: efgh\ndata: ijkl\n\n";
    let (events, failed) = parse_limited(&[body], 64, 14);
    assert_eq!(failed, None);
    assert_eq!(events[0].data, "abcd\nefgh\nijkl");
    for at in 0..=body.len() {
        let (events, failed) = parse_limited(&[&body[..at], &body[at..]], 64, 13);
        assert_eq!((events.len(), failed), (0, Some(StreamPart::Event)), "split at {at}");
    }
    // The limit is per event: the next event starts from nothing.
    let (events, failed) = parse_limited(&[b"data: abcdefgh\n\ndata: ijklmnop\n\n"], 64, 8);
    assert_eq!((events.len(), failed), (2, None));
    // The separators count: many empty data lines are data too.
    let (_, failed) = parse_limited(&[&b"data\n".repeat(10)], 64, 8);
    assert_eq!(failed, Some(StreamPart::Event));
}

#[test]
fn sse_the_data_limit_counts_decoded_bytes_and_invalid_utf8_does_not_escape_it() {
    // Each invalid byte becomes U+FFFD, three bytes: four bytes in, twelve out.
    let (events, failed) = parse_limited(&[b"data: \xFF\xFF\xFF\xFF\n\n"], 64, 12);
    assert_eq!(failed, None);
    assert_eq!(events[0].data, "\u{FFFD}".repeat(4));
    let (_, failed) = parse_limited(&[b"data: \xFF\xFF\xFF\xFF\n\n"], 64, 11);
    assert_eq!(failed, Some(StreamPart::Event));
}

#[test]
fn sse_a_long_line_is_refused_without_being_held() {
    // A 64 MiB line without a line end, fed in 64 KiB chunks, against a 1 MiB limit: the parser
    // refuses it at the chunk that passes the limit, having held at most the limit.
    let mut parser = SseParser::with_limits(1 << 20, 1 << 20);
    let mut out = VecDeque::new();
    let block = vec![b'x'; 64 * 1024];
    parser.feed(b"data: ", &mut out).unwrap();
    let mut fed = 0usize;
    let refused = loop {
        fed += block.len();
        if let Err(part) = parser.feed(&block, &mut out) {
            break part;
        }
        assert!(fed < 2 << 20, "no refusal after {fed} bytes");
    };
    assert_eq!(refused, StreamPart::EventStreamLine);
    assert_eq!(fed, 1 << 20, "refused at the chunk that passed the limit");
    assert!(out.is_empty());
}
