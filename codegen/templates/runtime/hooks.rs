//! Hooks: user code the request loop runs around every attempt of every call, to sign a request,
//! add a header, or record metrics, without forking the generated crate.
//!
//! A [`Hook`] is registered on [`ClientBuilder::hook`](super::ClientBuilder::hook) (every call)
//! or [`RequestBuilder::hook`](super::RequestBuilder::hook) (one call); the client's run first,
//! then the call's, each in the order registered. The request loop calls them (`run_*` here) and
//! nothing else: it does no I/O of its own here, and skips every step when no hook is registered.
//!
//! What a hook is shown never prints a secret: the contexts' `Debug` shows header names and the
//! URL's path, never a header value, a query string (an API key may be in it) or a body.
//! Must not: decide retries or change what the runtime sends before the hooks run (auth, the
//! idempotency key); a hook sees the request as it would go out and may change it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};
use reqwest::{Method, StatusCode};

use super::Error;

/// The future a [`Hook`] method returns: `Box::pin(async move { ... })`.
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a `before_attempt` hook returns to stop a call: any error, kept as the source of
/// [`Error::Hook`].
pub type HookError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Code run around every attempt of a call. Every method has a default that does nothing, so a
/// hook implements only what it needs; each returns a boxed future (`Box::pin(async move {..})`)
/// so hooks of different types can be registered together. The crate's README has an example
/// (a request-signing hook).
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt (the first and every retry) with the request as it is about to
    /// be sent: auth, default headers and the idempotency key already set. It may add or change
    /// headers (a signature computed here is fresh on every attempt; the idempotency key stays the
    /// same). An error stops the call with [`Error::Hook`]; it is not retried.
    fn before_attempt<'a>(&'a self, request: &'a mut AttemptRequest<'_>) -> HookFuture<'a, Result<(), HookError>> {
        let _ = request;
        Box::pin(std::future::ready(Ok(())))
    }

    /// Called after each response, whatever its status, once its headers (and, unless it is a
    /// stream or a download, its body) arrived.
    fn after_response<'a>(&'a self, response: &'a AttemptResponse<'_>) -> HookFuture<'a, ()> {
        let _ = response;
        Box::pin(std::future::ready(()))
    }

    /// Called on each error: once per failed attempt that is retried (`retrying()` is true), and
    /// once with the error the call ends with.
    fn on_error<'a>(&'a self, failure: &'a AttemptError<'_>) -> HookFuture<'a, ()> {
        let _ = failure;
        Box::pin(std::future::ready(()))
    }
}

/// The hooks of a client or a call, run in order.
pub(crate) type Hooks = Vec<Arc<dyn Hook>>;

/// The request of one attempt, as a [`Hook::before_attempt`] sees it.
pub struct AttemptRequest<'r> {
    pub(super) operation: &'static str,
    pub(super) attempt: u32,
    pub(super) request: &'r mut reqwest::Request,
}

impl AttemptRequest<'_> {
    /// The operation id (`createDevbox`), or `custom request` for [`Client::request`](super::Client::request).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt's number: 1 for the first, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.request.method()
    }

    /// The whole URL, query included (which may hold an API key: print [`AttemptRequest::path`]).
    pub fn url(&self) -> &url::Url {
        self.request.url()
    }

    /// The URL's path (percent-encoded, without the query).
    pub fn path(&self) -> &str {
        self.request.url().path()
    }

    /// The headers to be sent (auth among them, marked sensitive).
    pub fn headers(&self) -> &HeaderMap {
        self.request.headers()
    }

    /// The headers, to add or change some (a signature, a trace id).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.request.headers_mut()
    }

    /// The body, when it is held in memory (JSON, form, bytes); `None` without a body and for a
    /// body streamed from a file, a reader or a multipart form.
    pub fn body(&self) -> Option<&[u8]> {
        self.request.body().and_then(reqwest::Body::as_bytes)
    }
}

impl fmt::Debug for AttemptRequest<'_> {
    /// Header names and the path only: values, the query and the body may carry secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttemptRequest")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("method", self.request.method())
            .field("path", &self.path())
            .field("headers", &header_names(self.request.headers()))
            .finish_non_exhaustive()
    }
}

/// A response to one attempt, as a [`Hook::after_response`] sees it.
pub struct AttemptResponse<'r> {
    pub(super) operation: &'static str,
    pub(super) attempt: u32,
    pub(super) status: StatusCode,
    pub(super) headers: &'r HeaderMap,
    pub(super) elapsed: Duration,
}

impl AttemptResponse<'_> {
    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt's number (1 for the first).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// How long the attempt took, from sending the request to the response (its body read,
    /// unless it is a stream or a download).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl fmt::Debug for AttemptResponse<'_> {
    /// Header names only: a value (a cookie, a token) may be a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttemptResponse")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("headers", &header_names(self.headers))
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

/// An error of a call, as a [`Hook::on_error`] sees it.
#[derive(Debug)]
pub struct AttemptError<'r> {
    pub(super) operation: &'static str,
    pub(super) attempt: u32,
    pub(super) error: &'r Error,
    pub(super) retrying: bool,
}

impl AttemptError<'_> {
    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt that failed (1 for the first; 0 when the call failed before its first attempt,
    /// e.g. for a missing credential).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The error (its `Display` and `Debug` hold no credential).
    pub fn error(&self) -> &Error {
        self.error
    }

    /// Whether the call goes on with another attempt (false: this is the error the call ends with).
    pub fn retrying(&self) -> bool {
        self.retrying
    }
}

fn header_names(headers: &HeaderMap) -> Vec<&str> {
    headers.keys().map(HeaderName::as_str).collect()
}

/// Runs every `before_attempt` hook in order; the first error stops the call.
pub(super) async fn run_before<'h>(
    hooks: impl Iterator<Item = &'h Arc<dyn Hook>>,
    mut request: AttemptRequest<'_>,
) -> Result<(), Error> {
    for hook in hooks {
        hook.before_attempt(&mut request).await.map_err(|source| Error::Hook {
            operation: request.operation,
            attempt: request.attempt,
            source,
        })?;
    }
    Ok(())
}

/// Runs every `after_response` hook in order.
pub(super) async fn run_after<'h>(hooks: impl Iterator<Item = &'h Arc<dyn Hook>>, response: AttemptResponse<'_>) {
    for hook in hooks {
        hook.after_response(&response).await;
    }
}

/// Runs every `on_error` hook in order.
pub(super) async fn run_on_error<'h>(hooks: impl Iterator<Item = &'h Arc<dyn Hook>>, failure: AttemptError<'_>) {
    for hook in hooks {
        hook.on_error(&failure).await;
    }
}
