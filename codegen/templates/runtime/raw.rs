//! `RawRequest`: a call the spec does not describe (or describes differently), made through the
//! same runtime as generated calls: authentication, default headers, retries and their rules by
//! method, the idempotency key, timeouts, limits, tracing and hooks.

use std::time::Duration;

use reqwest::Method;

use super::{Client, Error, FilePart, Hook, RequestBuilder, Response, decode_json};

/// What traces, hooks and errors call a raw request: it has no operation id.
pub(crate) const OPERATION: &str = "custom request";

/// A raw call's path, refused when it would not be a path below the base URL's: a query or
/// fragment in it (which [`RawRequest::query`] sets) or a `.`/`..` segment (which would climb out
/// of the base URL's path), also percent-encoded.
fn checked(path: String) -> Result<super::path::RequestPath, Error> {
    if path.contains(['?', '#']) {
        return Err(Error::InvalidRequest(format!(
            "raw call path {path:?} has a query or fragment: set query parameters with `.query(..)`"
        )));
    }
    let dot = |segment: &str| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    };
    if path.split('/').any(dot) {
        return Err(Error::InvalidRequest(format!("raw call path {path:?} has a `.` or `..` segment")));
    }
    Ok(path.into())
}

/// A request to a path of the API that the spec does not describe, made with
/// [`Client::request`]: set its query, headers and body, then send it with
/// [`send`](Self::send) (the body decoded as JSON of `T`) or
/// [`send_response`](Self::send_response) (the body as bytes, with status and headers).
///
/// It goes through the same runtime as generated calls: the client's authentication (every
/// configured scheme's credential), default headers, timeouts and limits; retries by the same
/// rules (a `GET`, `PUT` or `DELETE` is resent after a 503, a `POST` only when the server provably
/// did not process it, with the same idempotency key on every attempt); tracing and hooks. A
/// status other than 2XX is [`Error::Api`], as for generated calls.
///
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
/// # async fn run(client: crate_name::Client) -> Result<(), crate_name::Error> {
/// use crate_name::Method;
///
/// let created: serde_json::Value = client
///     .request(Method::POST, "/v1/beta/things")
///     .query("dry_run", &true)
///     .header("x-beta", "things=1")
///     .json(&serde_json::json!({"name": "first"}))
///     .send()
///     .await?;
/// let raw = client.request(Method::GET, "/v1/beta/things/1/export").send_response().await?;
/// println!("{} bytes of {:?}", raw.value().len(), raw.headers().get("content-type"));
/// # let _ = created;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest {
    inner: RequestBuilder<Vec<u8>>,
}

impl RawRequest {
    /// A request of `method` to `path`, below the client's base URL.
    pub(crate) fn new(client: &Client, method: Method, path: &str) -> Self {
        let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        // Traces show the path as written: there is no template to show instead.
        let inner = RequestBuilder::new(client, method, OPERATION, checked(path), |bytes| Ok(bytes.to_vec()))
            .authenticated(true);
        Self { inner }
    }

    /// Adds a query parameter (arrays repeat the name, objects use `name[key]`).
    pub fn query<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.inner = self.inner.query(name, value);
        self
    }

    /// Sets a header on this request only (after the client's default headers).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inner = self.inner.header(name, value);
        self
    }

    /// Sends `body` as JSON (`Content-Type: application/json`).
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.inner = self.inner.json(body);
        self
    }

    /// Sends `body` as it is: bytes, a file streamed from a path, or a reader (which makes the
    /// call one-shot, as for generated uploads). Its content type is the file's
    /// ([`FilePart::content_type`]), else `application/octet-stream`.
    pub fn body(mut self, body: impl Into<FilePart>) -> Self {
        self.inner = self.inner.file_body("application/octet-stream", body.into());
        self
    }

    /// The timeout of each attempt (see [`RequestBuilder::timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.inner = self.inner.timeout(timeout);
        self
    }

    /// Retries after the first attempt, for this call (see [`RequestBuilder::max_retries`]).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.inner = self.inner.max_retries(retries);
        self
    }

    /// An overall deadline for this call, across all attempts (see [`RequestBuilder::deadline`]).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.inner = self.inner.deadline(deadline);
        self
    }

    /// How much of an error response's body this call keeps, in bytes (see
    /// [`RequestBuilder::max_error_body_bytes`]).
    pub fn max_error_body_bytes(mut self, max: usize) -> Self {
        self.inner = self.inner.max_error_body_bytes(max);
        self
    }

    /// The idempotency key sent on every attempt of a `POST` or `PATCH` (see
    /// [`RequestBuilder::idempotency_key`]).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.inner = self.inner.idempotency_key(key);
        self
    }

    /// Lets this call be retried like an idempotent request (see
    /// [`RequestBuilder::retry_non_idempotent`]).
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.inner = self.inner.retry_non_idempotent(yes);
        self
    }

    /// A [`Hook`] for this call only, run after the client's.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.inner = self.inner.hook(hook);
        self
    }

    /// Sends the request and decodes the success body as JSON of `T` (an empty body as `null`,
    /// so `()` and `Option<_>` take it).
    pub async fn send<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        let response = self.inner.with_response().await?;
        let body = response.value();
        let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
        decode_json(json)
            .map_err(|e| Error::decode(OPERATION, response.status(), response.request_id().map(str::to_owned), body, e))
    }

    /// Sends the request and returns the success response as it came: its body as bytes, with
    /// its status, headers and attempt count.
    pub async fn send_response(self) -> Result<Response<Vec<u8>>, Error> {
        self.inner.with_response().await
    }
}
