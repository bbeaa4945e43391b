//! `runtime/retry.rs`: the retry decision (the policy table of `RequestBuilder`'s documentation),
//! `Retry-After` parsing, backoff and jitter, and how a transport failure is classed.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::runtime::retry::{Decision, Outcome, RetryPolicy, decide, retry_after, transport_outcome};

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
