//! The retry policy as a pure function: `decide` takes a failed attempt's outcome and says
//! whether to try again and when, with no I/O, clock or randomness of its own.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::client::{INITIAL_BACKOFF, MAX_BACKOFF, MAX_RETRY_AFTER};

/// What one failed attempt came to, as far as the retry decision goes. A success is not an
/// outcome to decide on: it is returned.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Outcome<'a> {
    /// The connection failed before any byte of the request was sent (refused, DNS, TLS, ...):
    /// the server provably did not process it.
    ConnectFailed,
    /// Any other transport error (connection reset or closed mid-exchange, body error, ...): the
    /// server may have processed the request.
    TransportFailed,
    /// The attempt timed out (its own timeout, its share of the deadline, or reqwest's).
    TimedOut,
    /// The server answered with a status other than success.
    Response {
        /// The status.
        status: StatusCode,
        /// The response headers; `x-should-retry`, `retry-after-ms` and `Retry-After` are read.
        headers: &'a HeaderMap,
        /// When the response arrived, for a `Retry-After` HTTP date.
        received: SystemTime,
    },
}

/// The outcome of an attempt that failed in transport, from what the error says of itself:
/// `connect` (it failed while connecting) and `timeout` (it timed out). A connect timeout is a
/// connection that failed before any byte of the request was sent, like a refused one: the server
/// provably did not process it, so even a `POST` is resent; any other timeout may have reached it.
pub(crate) fn transport_outcome(connect: bool, timeout: bool) -> Outcome<'static> {
    match (connect, timeout) {
        (true, _) => Outcome::ConnectFailed,
        (false, true) => Outcome::TimedOut,
        (false, false) => Outcome::TransportFailed,
    }
}

/// What [`decide`] needs to know about the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Whether the operation is idempotent (by default from its method: [`idempotent_method`](super::idempotent_method)),
    /// so that it may be resent after it may have reached the server.
    pub(crate) idempotent: bool,
    /// The caller's opt-in ([`RequestBuilder::retry_non_idempotent`](super::RequestBuilder::retry_non_idempotent)) to retry a request that is
    /// not idempotent as if it were.
    pub(crate) retry_non_idempotent: bool,
    /// Retries allowed after the first attempt.
    pub(crate) max_retries: u32,
}

/// Whether to try again, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then make the next attempt.
    RetryAfter(Duration),
    /// Return the attempt's error.
    GiveUp,
}

/// The retry decision after attempt number `attempt` (1-based) ended in `outcome`: the policy
/// table of [`RequestBuilder`](super::RequestBuilder), with no I/O, clock or randomness of its own.
///
/// * Retried whatever the method: a connection that failed before sending, a 429, and any
///   response with `x-should-retry: true`.
/// * Retried only when the request is idempotent or the call opted in: a timeout, any other
///   transport error, 408, 409 and 5xx.
/// * Never retried: other statuses, and any response with `x-should-retry: false`.
/// * Nothing is retried once `attempt > policy.max_retries`.
///
/// The delay is the response's `retry-after-ms` / `Retry-After` (see [`retry_after`]) when it is
/// present and at most [`MAX_RETRY_AFTER`], else the exponential [`backoff`] for `attempt` less
/// `jitter` (in `[0, 1)`, a fraction of 25 %). The overall deadline is the caller's business.
pub(crate) fn decide(outcome: &Outcome<'_>, attempt: u32, policy: &RetryPolicy, jitter: f64) -> Decision {
    let resend_maybe_processed = policy.idempotent || policy.retry_non_idempotent;
    let (retry, hint) = match *outcome {
        Outcome::ConnectFailed => (true, None),
        Outcome::TransportFailed | Outcome::TimedOut => (resend_maybe_processed, None),
        Outcome::Response { status, headers, received } => {
            let retry = match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
                Some("true") => true,
                Some("false") => false,
                _ => {
                    status == StatusCode::TOO_MANY_REQUESTS
                        || (resend_maybe_processed
                            && (status == StatusCode::REQUEST_TIMEOUT
                                || status == StatusCode::CONFLICT
                                || status.is_server_error()))
                }
            };
            (retry, retry_after(headers, received))
        }
    };
    if !retry || attempt > policy.max_retries {
        return Decision::GiveUp;
    }
    Decision::RetryAfter(hint.unwrap_or_else(|| backoff(attempt, jitter)))
}

/// The server's requested delay: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP
/// date (relative to `now`, and zero when past). `None` when absent, unparsable, or above
/// [`MAX_RETRY_AFTER`].
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let delay = if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Duration::try_from_secs_f64(ms / 1000.0).ok()?
    } else {
        let value = text("retry-after")?;
        match value.parse::<f64>() {
            Ok(secs) => Duration::try_from_secs_f64(secs).ok()?,
            Err(_) => httpdate::parse_http_date(value).ok()?.duration_since(now).unwrap_or(Duration::ZERO),
        }
    };
    (delay <= MAX_RETRY_AFTER).then_some(delay)
}

/// Exponential backoff for the retry after attempt `attempt` (1-based): [`INITIAL_BACKOFF`]
/// doubling per attempt up to [`MAX_BACKOFF`], less `jitter` (in `[0, 1)`) times 25 %.
pub(crate) fn backoff(attempt: u32, jitter: f64) -> Duration {
    let exp = INITIAL_BACKOFF.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let capped = exp.min(MAX_BACKOFF);
    capped.mul_f64(1.0 - 0.25 * jitter)
}
