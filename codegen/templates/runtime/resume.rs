//! Resuming an event stream whose connection dropped: how the operation resumes (`Resume`, from
//! the generator), the request to send again (`Reconnect`), and what an `EventStream` keeps to
//! do it (`Resuming`): the position reached, the reconnections in a row, the one under way.
//!
//! It decides whether, from where and when to reconnect; `sse.rs` swaps in the new body. It must
//! not resend a request the call's retry rules would not resend (only idempotent operations, or
//! calls that opted in, get a `Reconnect`), and must not reconnect from a position it does not
//! know once events were delivered: that would deliver them twice.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::client::MAX_RETRY_AFTER;
use super::live::LiveBody;
use super::request::trace_reason;
use super::retry::backoff;
use super::sse::RawEvent;
use super::{Error, RequestBuilder};

/// How an operation's event stream is resumed after its connection drops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Only specs with event streams resume them.
#[allow(dead_code)]
pub(crate) enum Resume {
    /// By the `Last-Event-ID` header (WHATWG HTML §9.2.4): the server sent `id:` fields, and
    /// continues after the event with that id.
    LastEventId,
    /// By query parameter `param`, set to field `from` of the last event's data (the spec's
    /// `x-resume`); `Last-Event-ID` is sent too when the server sent ids.
    Param {
        /// The query parameter's wire name (`offset`).
        param: &'static str,
        /// The field of an event's JSON data holding the position to resume from.
        from: &'static str,
    },
}

/// The request to send again when the stream drops: a copy of the call's, made before it was
/// sent, whose output is the live body itself.
pub(crate) struct Reconnect {
    pub(crate) request: RequestBuilder<LiveBody>,
    pub(crate) how: Resume,
    /// Reconnections allowed in a row without the stream advancing.
    pub(crate) max: u32,
}

/// A reconnection under way: the wait, then the request (with its own retries).
type Pending = Pin<Box<dyn Future<Output = Result<LiveBody, Error>> + Send>>;

/// What an event stream keeps to resume itself.
pub(crate) struct Resuming {
    reconnect: Reconnect,
    /// The last event id received: what `Last-Event-ID` carries.
    last_id: Option<String>,
    /// The `from` field of the last event that had one, as the query parameter's text.
    position: Option<String>,
    /// Whether any event was delivered: before one, starting over repeats nothing.
    delivered: bool,
    /// Every position the stream was resumed from (last id, parameter value): resuming from one
    /// of them again is no progress, however many events came in between (a server that ignores
    /// the position and sends the same events again).
    resumed_from: HashSet<(Option<String>, Option<String>)>,
    /// Reconnections since the stream last resumed from a new position.
    in_a_row: u32,
    /// The server's reconnection time (`retry:`), at most [`MAX_RETRY_AFTER`].
    retry: Option<Duration>,
    pending: Option<Pending>,
}

impl fmt::Debug for Resuming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resuming")
            .field("how", &self.reconnect.how)
            .field("reconnects_in_a_row", &self.in_a_row)
            .field("reconnecting", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

impl Resuming {
    pub(crate) fn new(reconnect: Reconnect) -> Self {
        Self {
            reconnect,
            last_id: None,
            position: None,
            delivered: false,
            resumed_from: HashSet::new(),
            in_a_row: 0,
            retry: None,
            pending: None,
        }
    }

    /// The last event id received, which a new body's parser starts from.
    pub(crate) fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Notes an event as it is delivered: the position the stream reached.
    pub(crate) fn delivered(&mut self, raw: &RawEvent) {
        self.delivered = true;
        if raw.id.is_some() {
            self.last_id.clone_from(&raw.id);
        }
        if let Some(ms) = raw.retry {
            self.retry = Some(Duration::from_millis(ms).min(MAX_RETRY_AFTER));
        }
        if let Resume::Param { from, .. } = self.reconnect.how
            && let Some(value) = field_text(&raw.data, from)
        {
            self.position = Some(value);
        }
    }

    /// Starts reconnecting after `error` ended the body, when it may: the connection dropped or
    /// went idle, or the body ended inside an event; the position is known (or nothing was
    /// delivered yet); and fewer than `max` reconnections came in a row without the stream
    /// advancing to a position it was never resumed from. `false`: the stream ends with `error`.
    pub(crate) fn start(&mut self, error: &Error) -> bool {
        let dropped = matches!(error, Error::BodyCut { .. } | Error::IdleTimeout { .. } | Error::Truncated { .. });
        let position_known = match self.reconnect.how {
            Resume::LastEventId => self.last_id.is_some(),
            Resume::Param { .. } => self.position.is_some(),
        };
        if !dropped || (self.delivered && !position_known) {
            return false;
        }
        if self.resumed_from.insert((self.last_id.clone(), self.position.clone())) {
            self.in_a_row = 0;
        }
        if self.in_a_row >= self.reconnect.max {
            return false;
        }
        let Some(mut request) = self.reconnect.request.try_clone() else { return false };
        if let Some(id) = &self.last_id {
            request = request.header("Last-Event-ID", id.as_str());
        }
        if let (Resume::Param { param, .. }, Some(position)) = (self.reconnect.how, &self.position) {
            request.set_query(param, position.clone());
        }
        self.in_a_row += 1;
        let delay = self.retry.unwrap_or_else(|| backoff(self.in_a_row, fastrand::f64()));
        tracing::info!(
            reconnect = self.in_a_row,
            reason = %trace_reason(error),
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "reconnecting"
        );
        self.pending = Some(Box::pin(async move {
            tokio::time::sleep(delay).await;
            request.send().await
        }));
        true
    }

    /// Polls the reconnection under way: `None` when there is none.
    pub(crate) fn poll_pending(&mut self, cx: &mut Context<'_>) -> Option<Poll<Result<LiveBody, Error>>> {
        let pending = self.pending.as_mut()?;
        let poll = pending.as_mut().poll(cx);
        if poll.is_ready() {
            self.pending = None;
        }
        Some(poll)
    }
}

/// Field `name` of a JSON object, as a query parameter's text: a string as it is, a number or a
/// boolean as written; `None` when the data is not an object with that field, or it is `null`,
/// an array or an object.
fn field_text(data: &str, name: &str) -> Option<String> {
    let serde_json::Value::Object(mut map) = serde_json::from_str(data).ok()? else { return None };
    match map.remove(name)? {
        serde_json::Value::String(s) => Some(s),
        value @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => Some(value.to_string()),
        _ => None,
    }
}
