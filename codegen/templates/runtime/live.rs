//! Live bodies: a success response handed over unread once its headers arrived, and its body
//! as a `ByteStream` of chunks under the idle timeout. Downloads, event streams and JSON Lines
//! are made from it. Also the limits of streams (`StreamLimits`) and the bounded appends
//! (`push_bytes`, `push_text`) their parsers buffer with, so that no buffer grows past a limit
//! whatever the server sends.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::Error;
use super::resume::Reconnect;

/// A success response whose body has not been read: what streams and downloads are made from.
// Read by the handlers of live calls (downloads, event streams, JSON Lines), which only some
// specs have; `operation` is read by none of them today.
#[allow(dead_code)]
pub(crate) struct LiveBody {
    pub(super) operation: &'static str,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) chunks: ByteStream,
    pub(super) limits: StreamLimits,
    /// How to send the request again when an event stream's connection drops, if it may be.
    pub(super) reconnect: Option<Reconnect>,
}

impl LiveBody {
    /// The body of a live call's successful response, read as it comes.
    pub(super) fn new(
        operation: &'static str,
        response: reqwest::Response,
        idle_timeout: Duration,
        limits: StreamLimits,
        reconnect: Option<Reconnect>,
    ) -> Self {
        let (status, headers) = (response.status(), response.headers().clone());
        let chunks = ByteStream::new(operation, response, idle_timeout);
        Self { operation, status, headers, chunks, limits, reconnect }
    }

    /// The call's response: `handler` turns this body into the call's stream or download.
    pub(super) fn respond<T>(self, handler: fn(LiveBody) -> T, attempts: u32) -> super::request::Response<T> {
        let (status, headers) = (self.status, self.headers.clone());
        super::request::Response::new(handler(self), status, headers, attempts)
    }
}

/// The limits of a stream's buffers, in bytes, as the call resolved them (per call, else the
/// client's, else the defaults in `client.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StreamLimits {
    /// One line of an event stream or a JSON Lines stream.
    pub(crate) line: usize,
    /// The data of one server-sent event.
    pub(crate) event: usize,
    /// One part of a `multipart/mixed` response: its headers and its content.
    pub(crate) part: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self {
            line: super::client::DEFAULT_MAX_LINE_BYTES,
            event: super::client::DEFAULT_MAX_EVENT_BYTES,
            part: super::client::DEFAULT_MAX_PART_BYTES,
        }
    }
}

/// How much to reserve so that a buffer of `len` bytes and `capacity` can take `extra` more while
/// holding at most `max`; `None` when it would hold more than `max`. It doubles as `Vec` does,
/// but never past `max`, so a buffer near its limit does not reserve twice the limit.
fn bounded_growth(len: usize, capacity: usize, extra: usize, max: usize) -> Option<usize> {
    let needed = len.checked_add(extra).filter(|&n| n <= max)?;
    if needed <= capacity {
        return Some(0);
    }
    Some(capacity.saturating_mul(2).clamp(needed, max) - len)
}

/// Appends `bytes` to `buf` if it then holds at most `max` bytes, else leaves it as it was and
/// returns `false`.
pub(crate) fn push_bytes(buf: &mut Vec<u8>, bytes: &[u8], max: usize) -> bool {
    let Some(reserve) = bounded_growth(buf.len(), buf.capacity(), bytes.len(), max) else {
        return false;
    };
    buf.reserve_exact(reserve);
    buf.extend_from_slice(bytes);
    true
}

/// Appends `text` to `buf` if it then holds at most `max` bytes, else leaves it as it was and
/// returns `false`.
pub(crate) fn push_text(buf: &mut String, text: &str, max: usize) -> bool {
    let Some(reserve) = bounded_growth(buf.len(), buf.capacity(), text.len(), max) else {
        return false;
    };
    buf.reserve_exact(reserve);
    buf.push_str(text);
    true
}

/// The body of a response as a [`Stream`] of chunks, each within the idle timeout of the one
/// before (see [`RequestBuilder::idle_timeout`](super::RequestBuilder::idle_timeout)). Dropping it closes the connection.
pub struct ByteStream {
    pub(super) operation: &'static str,
    /// The bytes received so far, and the body's announced length (`Content-Length`), to say
    /// how much of it came when the connection fails.
    received: u64,
    expected: Option<u64>,
    pub(super) inner: Option<Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>>,
    idle: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("idle_timeout", &self.idle)
            .field("finished", &self.inner.is_none())
            .finish()
    }
}

impl ByteStream {
    pub(super) fn new(operation: &'static str, response: reqwest::Response, idle: Duration) -> Self {
        Self {
            operation,
            received: 0,
            expected: response.content_length(),
            inner: Some(Box::pin(response.bytes_stream())),
            idle,
            sleep: Box::pin(tokio::time::sleep(idle)),
        }
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else { return Poll::Ready(None) };
        match inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let next = tokio::time::Instant::now() + this.idle;
                this.sleep.as_mut().reset(next);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.inner = None;
                let operation = this.operation;
                Poll::Ready(Some(Err(Error::BodyCut {
                    operation,
                    received: this.received,
                    expected: this.expected,
                    source: e.without_url(),
                })))
            }
            Poll::Ready(None) => {
                this.inner = None;
                Poll::Ready(None)
            }
            Poll::Pending => match this.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    // Dropping the body closes the connection.
                    this.inner = None;
                    Poll::Ready(Some(Err(Error::IdleTimeout { operation: this.operation, idle: this.idle })))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}
