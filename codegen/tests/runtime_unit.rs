//! The client runtime's pure parts, without a server: the retry decision (the policy table of
//! `RequestBuilder`'s documentation), `Retry-After` parsing, backoff and jitter, and the path
//! builder's refusals. The same behaviour against a real HTTP server is in `client_faults.rs`.

#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "RUNTIME_UNIT", default_base_url: None, auth: runtime::Auth::None };

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use runtime::PathBuilder;
use runtime::request::idempotent_method;
use runtime::retry::{Decision, Outcome, RetryPolicy, decide, retry_after, transport_outcome};

/// `GET`, `PUT`, `DELETE`, ...
const IDEMPOTENT: RetryPolicy = RetryPolicy { idempotent: true, retry_non_idempotent: false, max_retries: 5 };
/// `POST`, `PATCH`.
const NOT_IDEMPOTENT: RetryPolicy = RetryPolicy { idempotent: false, retry_non_idempotent: false, max_retries: 5 };
/// `POST` with `.retry_non_idempotent(true)`.
const OPTED_IN: RetryPolicy = RetryPolicy { idempotent: false, retry_non_idempotent: true, max_retries: 5 };

/// No jitter: the backoff is exactly 0.5 s × 2^(attempt - 1), capped at 8 s.
const NO_JITTER: f64 = 0.0;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A fixed clock: 2023-11-14T22:13:20Z.
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for &(name, value) in pairs {
        map.append(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
    }
    map
}

/// The decision after the first attempt got `status` with `pairs` as headers.
fn on_status(status: u16, pairs: &[(&'static str, &str)], policy: &RetryPolicy) -> Decision {
    on_status_at(status, pairs, 1, policy)
}

fn on_status_at(status: u16, pairs: &[(&'static str, &str)], attempt: u32, policy: &RetryPolicy) -> Decision {
    let map = headers(pairs);
    let outcome = Outcome::Response { status: StatusCode::from_u16(status).unwrap(), headers: &map, received: now() };
    decide(&outcome, attempt, policy, NO_JITTER)
}

fn first_retry(outcome: &Outcome<'_>, policy: &RetryPolicy) -> Decision {
    decide(outcome, 1, policy, NO_JITTER)
}

/// The first backoff delay, unjittered.
const RETRY: Decision = Decision::RetryAfter(Duration::from_millis(500));
const GIVE_UP: Decision = Decision::GiveUp;

// --- the policy table -------------------------------------------------------------------------

/// The table in `RequestBuilder`'s documentation, row by row: (outcome, idempotent, POST, POST
/// opted in).
#[test]
fn the_documented_policy_table_holds() {
    let rows: [(&str, Decision, Decision, Decision); 10] = [
        ("connection failed before sending", RETRY, RETRY, RETRY),
        ("timeout", RETRY, GIVE_UP, RETRY),
        ("connection lost after sending", RETRY, GIVE_UP, RETRY),
        ("429", RETRY, RETRY, RETRY),
        ("408", RETRY, GIVE_UP, RETRY),
        ("409", RETRY, GIVE_UP, RETRY),
        ("500", RETRY, GIVE_UP, RETRY),
        ("503", RETRY, GIVE_UP, RETRY),
        ("400 with x-should-retry: true", RETRY, RETRY, RETRY),
        ("503 with x-should-retry: false", GIVE_UP, GIVE_UP, GIVE_UP),
    ];
    for (row, get, post, opted_in) in rows {
        for (policy, expected) in [(IDEMPOTENT, get), (NOT_IDEMPOTENT, post), (OPTED_IN, opted_in)] {
            let actual = match row {
                "connection failed before sending" => first_retry(&Outcome::ConnectFailed, &policy),
                "timeout" => first_retry(&Outcome::TimedOut, &policy),
                "connection lost after sending" => first_retry(&Outcome::TransportFailed, &policy),
                "400 with x-should-retry: true" => on_status(400, &[("x-should-retry", "true")], &policy),
                "503 with x-should-retry: false" => on_status(503, &[("x-should-retry", "false")], &policy),
                status => on_status(status.parse().unwrap(), &[], &policy),
            };
            assert_eq!(actual, expected, "{row} with {policy:?}");
        }
    }
}

#[test]
fn a_connection_that_failed_before_sending_is_retried_for_every_method() {
    assert_eq!(first_retry(&Outcome::ConnectFailed, &IDEMPOTENT), RETRY);
    assert_eq!(first_retry(&Outcome::ConnectFailed, &NOT_IDEMPOTENT), RETRY);
}

#[test]
fn a_timeout_is_retried_only_when_idempotent_or_opted_in() {
    assert_eq!(first_retry(&Outcome::TimedOut, &IDEMPOTENT), RETRY);
    assert_eq!(first_retry(&Outcome::TimedOut, &NOT_IDEMPOTENT), GIVE_UP);
    assert_eq!(first_retry(&Outcome::TimedOut, &OPTED_IN), RETRY);
}

#[test]
fn a_transport_error_after_sending_is_retried_only_when_idempotent_or_opted_in() {
    assert_eq!(first_retry(&Outcome::TransportFailed, &IDEMPOTENT), RETRY);
    assert_eq!(first_retry(&Outcome::TransportFailed, &NOT_IDEMPOTENT), GIVE_UP);
    assert_eq!(first_retry(&Outcome::TransportFailed, &OPTED_IN), RETRY);
}

#[test]
fn too_many_requests_is_retried_for_every_method() {
    assert_eq!(on_status(429, &[], &IDEMPOTENT), RETRY);
    assert_eq!(on_status(429, &[], &NOT_IDEMPOTENT), RETRY);
    assert_eq!(on_status(429, &[], &OPTED_IN), RETRY);
}

#[test]
fn request_timeout_conflict_and_server_errors_are_retried_only_when_idempotent_or_opted_in() {
    for status in [408, 409, 500, 501, 502, 503, 504, 599] {
        assert_eq!(on_status(status, &[], &IDEMPOTENT), RETRY, "{status}");
        assert_eq!(on_status(status, &[], &NOT_IDEMPOTENT), GIVE_UP, "{status}");
        assert_eq!(on_status(status, &[], &OPTED_IN), RETRY, "{status}");
    }
}

#[test]
fn other_client_errors_and_unusual_statuses_are_never_retried() {
    for status in [300, 304, 400, 401, 403, 404, 405, 410, 422, 499, 600] {
        for policy in [IDEMPOTENT, NOT_IDEMPOTENT, OPTED_IN] {
            assert_eq!(on_status(status, &[], &policy), GIVE_UP, "{status} with {policy:?}");
        }
    }
}

#[test]
fn x_should_retry_true_forces_a_retry() {
    for status in [400, 404, 422, 500] {
        for policy in [IDEMPOTENT, NOT_IDEMPOTENT] {
            assert_eq!(on_status(status, &[("x-should-retry", "true")], &policy), RETRY, "{status} {policy:?}");
        }
    }
}

#[test]
fn x_should_retry_false_forbids_a_retry_even_when_idempotent() {
    for status in [408, 409, 429, 500, 503] {
        for policy in [IDEMPOTENT, NOT_IDEMPOTENT, OPTED_IN] {
            let pairs = [("x-should-retry", "false"), ("retry-after", "1")];
            assert_eq!(on_status(status, &pairs, &policy), GIVE_UP, "{status} {policy:?}");
        }
    }
}

#[test]
fn x_should_retry_is_exact_and_other_spellings_fall_back_to_the_status() {
    // Only the exact values `true` and `false` count; anything else is as if the header were absent.
    for value in ["TRUE", "True", "1", "yes", " true", ""] {
        assert_eq!(on_status(400, &[("x-should-retry", value)], &IDEMPOTENT), GIVE_UP, "{value:?}");
        assert_eq!(on_status(503, &[("x-should-retry", value)], &IDEMPOTENT), RETRY, "{value:?}");
        assert_eq!(on_status(503, &[("x-should-retry", value)], &NOT_IDEMPOTENT), GIVE_UP, "{value:?}");
    }
}

// --- the attempt limit --------------------------------------------------------------------------

#[test]
fn no_retry_once_the_attempt_number_exceeds_max_retries() {
    let policy = RetryPolicy { max_retries: 3, ..IDEMPOTENT };
    let expected = [
        (1, Decision::RetryAfter(ms(500))),
        (2, Decision::RetryAfter(ms(1000))),
        (3, Decision::RetryAfter(ms(2000))),
        (4, GIVE_UP),
        (5, GIVE_UP),
    ];
    for (attempt, decision) in expected {
        assert_eq!(decide(&Outcome::ConnectFailed, attempt, &policy, NO_JITTER), decision, "attempt {attempt}");
        assert_eq!(on_status_at(503, &[], attempt, &policy), decision, "attempt {attempt}");
    }
}

#[test]
fn max_retries_zero_never_retries() {
    let policy = RetryPolicy { max_retries: 0, ..OPTED_IN };
    assert_eq!(decide(&Outcome::ConnectFailed, 1, &policy, NO_JITTER), GIVE_UP);
    assert_eq!(decide(&Outcome::TimedOut, 1, &policy, NO_JITTER), GIVE_UP);
    assert_eq!(on_status(429, &[("retry-after", "1")], &policy), GIVE_UP);
    assert_eq!(on_status(400, &[("x-should-retry", "true")], &policy), GIVE_UP);
}

// --- the delay ----------------------------------------------------------------------------------

#[test]
fn backoff_doubles_from_half_a_second_and_is_capped_at_eight() {
    let policy = RetryPolicy { max_retries: u32::MAX, ..IDEMPOTENT };
    let expected = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    for (attempt, millis) in (1..).zip(expected) {
        assert_eq!(
            decide(&Outcome::ConnectFailed, attempt, &policy, NO_JITTER),
            Decision::RetryAfter(ms(millis)),
            "attempt {attempt}"
        );
    }
    // The exponent is bounded: no overflow however many attempts.
    for attempt in [17, 32, 33, 1000, u32::MAX] {
        assert_eq!(
            decide(&Outcome::ConnectFailed, attempt, &policy, NO_JITTER),
            Decision::RetryAfter(ms(8000)),
            "attempt {attempt}"
        );
    }
}

#[test]
fn jitter_takes_off_at_most_a_quarter() {
    let policy = RetryPolicy { max_retries: 10, ..IDEMPOTENT };
    assert_eq!(decide(&Outcome::ConnectFailed, 1, &policy, 0.5), Decision::RetryAfter(Duration::from_micros(437_500)));
    assert_eq!(decide(&Outcome::ConnectFailed, 5, &policy, 0.5), Decision::RetryAfter(ms(7000)));
    for attempt in 1..=6 {
        let Decision::RetryAfter(full) = decide(&Outcome::ConnectFailed, attempt, &policy, NO_JITTER) else { panic!() };
        let mut previous = full;
        for step in 0..100 {
            let jitter = f64::from(step) / 100.0;
            let Decision::RetryAfter(d) = decide(&Outcome::ConnectFailed, attempt, &policy, jitter) else { panic!() };
            assert!(d <= previous, "more jitter, longer delay: {d:?} > {previous:?}");
            assert!(d > full.mul_f64(0.75) && d <= full, "attempt {attempt}, jitter {jitter}: {d:?} of {full:?}");
            previous = d;
        }
    }
}

#[test]
fn retry_after_ms_replaces_the_backoff_and_is_not_jittered() {
    let map = headers(&[("retry-after-ms", "1500")]);
    let outcome = Outcome::Response { status: StatusCode::SERVICE_UNAVAILABLE, headers: &map, received: now() };
    // Attempt 3 would back off 2 s.
    assert_eq!(decide(&outcome, 3, &IDEMPOTENT, NO_JITTER), Decision::RetryAfter(ms(1500)));
    assert_eq!(decide(&outcome, 3, &IDEMPOTENT, 0.9), Decision::RetryAfter(ms(1500)));
}

#[test]
fn retry_after_seconds_and_http_date_replace_the_backoff() {
    assert_eq!(on_status(429, &[("retry-after", "3")], &NOT_IDEMPOTENT), Decision::RetryAfter(ms(3000)));
    assert_eq!(on_status(503, &[("retry-after", "0")], &IDEMPOTENT), Decision::RetryAfter(Duration::ZERO));
    let in_seven_seconds = httpdate::fmt_http_date(now() + Duration::from_secs(7));
    assert_eq!(on_status(503, &[("retry-after", &in_seven_seconds)], &IDEMPOTENT), Decision::RetryAfter(ms(7000)));
    let a_minute_ago = httpdate::fmt_http_date(now() - Duration::from_secs(60));
    assert_eq!(on_status(503, &[("retry-after", &a_minute_ago)], &IDEMPOTENT), Decision::RetryAfter(Duration::ZERO));
}

#[test]
fn retry_after_ms_wins_over_retry_after() {
    let pairs = [("retry-after", "5"), ("retry-after-ms", "250")];
    assert_eq!(on_status(429, &pairs, &IDEMPOTENT), Decision::RetryAfter(ms(250)));
}

#[test]
fn a_retry_after_over_sixty_seconds_is_ignored_for_the_backoff() {
    assert_eq!(on_status(503, &[("retry-after", "60")], &IDEMPOTENT), Decision::RetryAfter(ms(60_000)));
    assert_eq!(on_status(503, &[("retry-after", "61")], &IDEMPOTENT), RETRY);
    assert_eq!(on_status(503, &[("retry-after", "3600")], &IDEMPOTENT), RETRY);
    assert_eq!(on_status(503, &[("retry-after-ms", "60000")], &IDEMPOTENT), Decision::RetryAfter(ms(60_000)));
    assert_eq!(on_status(503, &[("retry-after-ms", "60001")], &IDEMPOTENT), RETRY);
    let in_two_minutes = httpdate::fmt_http_date(now() + Duration::from_secs(120));
    assert_eq!(on_status_at(503, &[("retry-after", &in_two_minutes)], 2, &IDEMPOTENT), Decision::RetryAfter(ms(1000)));
}

#[test]
fn a_retry_after_does_not_make_a_response_retryable() {
    assert_eq!(on_status(400, &[("retry-after", "1")], &IDEMPOTENT), GIVE_UP);
    assert_eq!(on_status(503, &[("retry-after-ms", "10")], &NOT_IDEMPOTENT), GIVE_UP);
}

// --- Retry-After parsing -------------------------------------------------------------------------

fn parse(pairs: &[(&'static str, &str)]) -> Option<Duration> {
    retry_after(&headers(pairs), now())
}

#[test]
fn retry_after_parses_milliseconds_seconds_and_dates() {
    assert_eq!(parse(&[]), None);
    assert_eq!(parse(&[("retry-after-ms", "250")]), Some(ms(250)));
    assert_eq!(parse(&[("retry-after-ms", "1.5")]), Some(Duration::from_micros(1500)));
    assert_eq!(parse(&[("retry-after-ms", "  250 ")]), Some(ms(250)));
    assert_eq!(parse(&[("retry-after", "2")]), Some(ms(2000)));
    assert_eq!(parse(&[("retry-after", " 2 ")]), Some(ms(2000)));
    assert_eq!(parse(&[("retry-after", "0")]), Some(Duration::ZERO));
    // Fractional seconds are accepted, though RFC 9110 allows only whole ones.
    assert_eq!(parse(&[("retry-after", "1.5")]), Some(ms(1500)));
    // The three date formats of RFC 9110, 30 s after `now()`.
    for date in ["Tue, 14 Nov 2023 22:13:50 GMT", "Tuesday, 14-Nov-23 22:13:50 GMT", "Tue Nov 14 22:13:50 2023"] {
        assert_eq!(parse(&[("retry-after", date)]), Some(Duration::from_secs(30)), "{date}");
    }
    // A date in the past means now.
    assert_eq!(parse(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]), Some(Duration::ZERO));
}

#[test]
fn retry_after_rejects_what_it_cannot_use() {
    for value in ["soon", "-1", "NaN", "inf", "1e400", "Tue, 14 Nov 2023 25:00:00 GMT", ""] {
        assert_eq!(parse(&[("retry-after", value)]), None, "retry-after: {value:?}");
    }
    for value in ["-1", "NaN", "inf"] {
        assert_eq!(parse(&[("retry-after-ms", value)]), None, "retry-after-ms: {value:?}");
    }
    assert_eq!(parse(&[("retry-after", "60")]), Some(Duration::from_secs(60)));
    assert_eq!(parse(&[("retry-after", "60.001")]), None);
    assert_eq!(parse(&[("retry-after-ms", "60000")]), Some(Duration::from_secs(60)));
    assert_eq!(parse(&[("retry-after-ms", "60000.5")]), None);
    assert_eq!(parse(&[("retry-after", "Tue, 14 Nov 2023 22:14:20 GMT")]), Some(Duration::from_secs(60)));
    assert_eq!(parse(&[("retry-after", "Tue, 14 Nov 2023 22:14:21 GMT")]), None);
}

#[test]
fn retry_after_ms_that_is_not_a_number_falls_back_to_retry_after() {
    assert_eq!(parse(&[("retry-after-ms", "soon"), ("retry-after", "2")]), Some(ms(2000)));
    let mut map = headers(&[("retry-after", "2")]);
    map.insert("retry-after-ms", HeaderValue::from_bytes(b"\xff").unwrap());
    assert_eq!(retry_after(&map, now()), Some(ms(2000)));
}

#[test]
fn retry_after_ms_that_is_a_number_but_no_duration_hides_retry_after() {
    // A number that is no duration (negative, NaN, infinite) ends the parse: there is no fallback
    // to `Retry-After` then, unlike for text that is not a number.
    assert_eq!(parse(&[("retry-after-ms", "-5"), ("retry-after", "2")]), None);
    assert_eq!(parse(&[("retry-after-ms", "NaN"), ("retry-after", "2")]), None);
}

// --- idempotent methods ---------------------------------------------------------------------------

#[test]
fn idempotent_methods_are_those_of_rfc_9110() {
    for method in [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE, Method::TRACE] {
        assert!(idempotent_method(&method), "{method}");
    }
    for method in [Method::POST, Method::PATCH, Method::CONNECT, Method::from_bytes(b"PURGE").unwrap()] {
        assert!(!idempotent_method(&method), "{method}");
    }
}

// --- path building ------------------------------------------------------------------------------

fn one_segment<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let path = PathBuilder::new("/v1/items/{id}").literal("/v1/items/").param(value).literal("/logs").finish();
    match path {
        Ok(path) => {
            assert_eq!(path.template, "/v1/items/{id}", "traces show the template");
            Ok(path.path)
        }
        Err(runtime::Error::InvalidRequest(message)) => Err(message),
        Err(other) => panic!("not an invalid request: {other:?}"),
    }
}

#[test]
fn path_parameters_are_percent_encoded_into_one_segment() {
    assert_eq!(one_segment("dbx_1").unwrap(), "/v1/items/dbx_1/logs");
    assert_eq!(one_segment("a b/c?d#e%f").unwrap(), "/v1/items/a%20b%2Fc%3Fd%23e%25f/logs");
    assert_eq!(one_segment("-._~").unwrap(), "/v1/items/-._~/logs");
    assert_eq!(one_segment("é").unwrap(), "/v1/items/%C3%A9/logs");
    assert_eq!(one_segment("...").unwrap(), "/v1/items/.../logs");
    assert_eq!(one_segment("..a").unwrap(), "/v1/items/..a/logs");
    assert_eq!(one_segment(&42).unwrap(), "/v1/items/42/logs");
    assert_eq!(one_segment(&true).unwrap(), "/v1/items/true/logs");
}

#[test]
fn path_parameters_that_would_change_the_path_are_refused() {
    for value in ["", ".", ".."] {
        assert_eq!(
            one_segment(value).unwrap_err(),
            format!("path parameter value {value:?} in `/v1/items/{{id}}` would change the request path"),
        );
    }
    assert_eq!(one_segment(&None::<String>).unwrap_err(), "path parameter in `/v1/items/{id}` is null");
}

#[test]
fn dots_after_a_literal_inside_a_segment_are_allowed() {
    // `/files/{name}.{ext}`: the second parameter does not start a segment.
    let path =
        PathBuilder::new("/files/{name}.{ext}").literal("/files/").param("report").literal(".").param("..").finish();
    assert_eq!(path.unwrap().path, "/files/report...");
}

#[test]
fn the_first_path_error_is_the_one_reported() {
    let path = PathBuilder::new("/a/{x}/{y}").literal("/a/").param(&None::<u8>).literal("/").param("..").finish();
    match path {
        Err(runtime::Error::InvalidRequest(message)) => assert_eq!(message, "path parameter in `/a/{x}/{y}` is null"),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Server-sent events, JSON Lines and multipart parts: the pure parsers and encoders.
// ---------------------------------------------------------------------------------------------

use std::collections::VecDeque;

use runtime::Parts;
use runtime::json_lines::LineSplitter;
use runtime::sse::{RawEvent, SseParser};

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

#[test]
fn multipart_values_are_text_json_or_repeated() {
    let parts = Parts::new()
        .value("path", "a/b.txt", None)
        .value("count", &3, None)
        .value("flag", &true, None)
        .value("meta", &serde_json::json!({"k": "v"}), None)
        .value("tags", &["x", "y"], None)
        .value("absent", &Option::<String>::None, None)
        .value("as_json", &["z"], Some("application/json"))
        .value("name_json", "q", Some("application/json"));
    let debug = format!("{parts:?}");
    for expected in [
        r#"Text { name: "path", value: "a/b.txt", content_type: None }"#,
        r#"Text { name: "count", value: "3", content_type: None }"#,
        r#"Text { name: "flag", value: "true", content_type: None }"#,
        r#"Text { name: "meta", value: "{\"k\":\"v\"}", content_type: Some("application/json") }"#,
        r#"Text { name: "tags", value: "x", content_type: None }, Text { name: "tags", value: "y", content_type: None }"#,
        r#"Text { name: "as_json", value: "[\"z\"]", content_type: Some("application/json") }"#,
        r#"Text { name: "name_json", value: "\"q\"", content_type: Some("application/json") }"#,
    ] {
        assert!(debug.contains(expected), "{expected} not in {debug}");
    }
    assert!(!debug.contains("absent"));
}

#[test]
fn content_disposition_file_names_never_leave_their_directory() {
    use runtime::download::content_disposition_file_name as name;
    assert_eq!(name("attachment; filename=\"report.pdf\"").as_deref(), Some("report.pdf"));
    assert_eq!(name("attachment; filename=plain.txt").as_deref(), Some("plain.txt"));
    assert_eq!(
        name("attachment; filename=\"fallback.bin\"; filename*=UTF-8''d%C3%A9j%C3%A0.bin").as_deref(),
        Some("d\u{e9}j\u{e0}.bin")
    );
    assert_eq!(name("attachment; filename=\"../../etc/passwd\"").as_deref(), Some("passwd"));
    assert_eq!(name("attachment; filename=\"C:\\\\x\\\\y.txt\"").as_deref(), Some("y.txt"));
    assert_eq!(name("attachment; filename=\"..\""), None);
    assert_eq!(name("attachment; filename*=UTF-8''..%2F"), None);
    assert_eq!(name("inline"), None);
}

mod nullable {
    use super::runtime::Nullable;

    const ABSENT: Nullable<String> = Nullable::Absent;
    const NULL: Nullable<String> = Nullable::Null;

    fn value() -> Nullable<String> {
        Nullable::Value("bash".to_owned())
    }

    #[test]
    fn predicates_tell_the_three_states_apart() {
        let states = [ABSENT, NULL, value()];
        let table: Vec<(bool, bool, bool, bool)> =
            states.iter().map(|n| (n.is_absent(), n.is_null(), n.is_value(), n.is_present())).collect();
        assert_eq!(table, [(true, false, false, false), (false, true, false, true), (false, false, true, true)]);
    }

    #[test]
    fn reading_treats_absent_and_null_as_no_value() {
        assert_eq!(value().value(), Some(&"bash".to_owned()));
        assert_eq!(NULL.value(), None);
        assert_eq!(ABSENT.value(), None);
        assert_eq!(value().into_option(), Some("bash".to_owned()));
        assert_eq!(Option::<String>::from(NULL), None);
        assert_eq!(Option::from(value()), Some("bash".to_owned()));
        assert_eq!(NULL.unwrap_or("sh".to_owned()), "sh");
        assert_eq!(value().unwrap_or("sh".to_owned()), "bash");
        assert_eq!(ABSENT.unwrap_or_default(), "");
        assert_eq!(NULL.unwrap_or_else(|| "zsh".to_owned()), "zsh");
        assert_eq!(value().ok_or("missing"), Ok("bash".to_owned()));
        assert_eq!(ABSENT.ok_or("missing"), Err("missing"));
        assert_eq!(Nullable::<i32>::Null.ok_or(-1), Err(-1));
    }

    #[test]
    fn adapters_keep_absent_and_null_apart() {
        assert_eq!(value().as_ref(), Nullable::Value(&"bash".to_owned()));
        assert_eq!(NULL.as_ref(), Nullable::Null);
        assert_eq!(ABSENT.as_ref(), Nullable::Absent);
        assert_eq!(value().as_deref(), Nullable::Value("bash"));
        assert_eq!(NULL.as_deref(), Nullable::Null);
        assert_eq!(value().map(|s| s.len()), Nullable::Value(4));
        assert_eq!(NULL.map(|s| s.len()), Nullable::Null);
        assert_eq!(ABSENT.map(|s| s.len()), Nullable::Absent);
        let mut n = value();
        if let Nullable::Value(s) = n.as_mut() {
            s.push_str("-5");
        }
        assert_eq!(n, Nullable::Value("bash-5".to_owned()));
        let mut null = NULL;
        assert_eq!(null.as_mut(), Nullable::Null);
    }

    #[test]
    fn options_become_nullable_only_by_a_named_choice() {
        assert_eq!(Nullable::absent_if_none(None::<String>), ABSENT);
        assert_eq!(Nullable::null_if_none(None::<String>), NULL);
        assert_eq!(Nullable::absent_if_none(Some("bash".to_owned())), value());
        assert_eq!(Nullable::null_if_none(Some("bash".to_owned())), value());
        assert_eq!(Nullable::from("bash".to_owned()), value());
        assert_eq!(Nullable::<String>::default(), ABSENT);
    }

    #[test]
    fn serialises_a_value_and_null_and_reads_null_as_null() {
        assert_eq!(serde_json::to_string(&value()).unwrap(), "\"bash\"");
        assert_eq!(serde_json::to_string(&NULL).unwrap(), "null");
        assert_eq!(serde_json::from_str::<Nullable<String>>("null").unwrap(), NULL);
        assert_eq!(serde_json::from_str::<Nullable<String>>("\"bash\"").unwrap(), value());
    }
}

/// The runtime's `object` helpers as the generator calls them for a type with additional
/// properties (the `containers` fixture shows and compiles the generated impls this mirrors):
/// named fields first, every other key kept, and written back after the named fields.
mod object {
    use std::collections::BTreeMap;

    use super::runtime::Nullable;
    use super::runtime::object::{self, Fields, Object};

    #[derive(Debug, PartialEq)]
    struct WithExtras {
        name: Option<String>,
        note: Nullable<String>,
        id: Option<i64>,
        additional_properties: BTreeMap<String, u32>,
    }

    impl serde::Serialize for WithExtras {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len =
                1 + object::count(&[self.name.is_some(), self.note.is_present()]) + self.additional_properties.len();
            let mut out = object::map_fields(serializer, len);
            out.optional("name", &self.name);
            out.nullable("note", &self.note);
            out.field("id", &self.id);
            out.additional(&self.additional_properties);
            out.end()
        }
    }

    impl<'de> serde::Deserialize<'de> for WithExtras {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object::deserialize(deserializer, "struct WithExtras")
        }
    }

    impl Object for WithExtras {
        fn from_fields<'de, A: serde::de::MapAccess<'de>>(mut fields: Fields<'de, A>) -> Result<Self, A::Error> {
            let (mut name, mut note, mut id) = (None, None, None);
            let mut additional_properties = BTreeMap::new();
            while let Some(key) = fields.key()? {
                match key.as_str() {
                    "name" => fields.value(&mut name, "name"),
                    "note" => fields.value(&mut note, "note"),
                    "id" => fields.value(&mut id, "id"),
                    _ => fields.additional(key, &mut additional_properties),
                }?;
            }
            Ok(Self {
                name: fields.optional(name),
                note: fields.nullable(note),
                id: fields.optional(id),
                additional_properties,
            })
        }
    }

    #[test]
    fn additional_properties_are_kept_and_written_after_the_named_fields() {
        let value: WithExtras = serde_json::from_str(r#"{"b": 2, "name": "x", "a": 1, "note": null}"#).unwrap();
        assert_eq!(value.name.as_deref(), Some("x"));
        assert_eq!(value.note, Nullable::Null);
        assert_eq!(value.id, None);
        assert_eq!(value.additional_properties, BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
        // `note: null` is written (it was sent as null), `id` is a required nullable field: `null`.
        assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"name":"x","note":null,"id":null,"a":1,"b":2}"#);
    }

    #[test]
    fn absent_fields_are_left_out_and_a_bad_extra_value_is_an_error() {
        let value: WithExtras = serde_json::from_str(r#"{"id": 7}"#).unwrap();
        assert_eq!(value.note, Nullable::Absent);
        assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"id":7}"#);
        let err = serde_json::from_str::<WithExtras>(r#"{"extra": "not a number"}"#).unwrap_err();
        assert!(err.to_string().starts_with("invalid type: string \"not a number\", expected u32"), "{err}");
    }

    /// A type without fields (the `containers` fixture's `HolderMergedEmpty`) reads any object.
    #[derive(Debug)]
    struct Nothing;

    impl Object for Nothing {
        fn from_fields<'de, A: serde::de::MapAccess<'de>>(fields: Fields<'de, A>) -> Result<Self, A::Error> {
            fields.skip_all()?;
            Ok(Self)
        }
    }

    impl<'de> serde::Deserialize<'de> for Nothing {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object::deserialize(deserializer, "struct Nothing")
        }
    }

    #[test]
    fn a_type_without_fields_skips_every_entry_but_wants_an_object() {
        serde_json::from_str::<Nothing>(r#"{"a": [1, {"b": null}], "c": "d"}"#).unwrap();
        serde_json::from_str::<Nothing>("{}").unwrap();
        let err = serde_json::from_str::<Nothing>("[]").unwrap_err();
        assert!(err.to_string().starts_with("invalid type: sequence, expected struct Nothing"), "{err}");
    }

    #[test]
    fn count_counts_what_is_present() {
        assert_eq!(object::count(&[]), 0);
        assert_eq!(object::count(&[true, false, true]), 2);
    }
}

/// A connect timeout is a connection that failed before the request was sent: a `POST` is resent
/// after it, as after a refused connection; a timeout once connected is not (the server may have
/// the request).
#[test]
fn a_connect_timeout_is_retried_for_a_post() {
    let post = RetryPolicy { idempotent: false, retry_non_idempotent: false, max_retries: 2 };
    assert!(matches!(transport_outcome(true, true), Outcome::ConnectFailed));
    assert!(matches!(decide(&transport_outcome(true, true), 1, &post, NO_JITTER), Decision::RetryAfter(_)));
    assert!(matches!(transport_outcome(false, true), Outcome::TimedOut));
    assert_eq!(decide(&transport_outcome(false, true), 1, &post, NO_JITTER), Decision::GiveUp);
    assert!(matches!(transport_outcome(false, false), Outcome::TransportFailed));
    assert_eq!(decide(&transport_outcome(false, false), 1, &post, NO_JITTER), Decision::GiveUp);
}
