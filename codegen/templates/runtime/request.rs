//! One API call: `RequestBuilder` and its request loop (I/O only: what to do after a failed
//! attempt is `retry::decide`'s), the decoders of whole bodies, and `Response`.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use super::auth::{Requirements, Security};
use super::body::{Body, FilePart, Parts};
use super::client::{IDEMPOTENCY_HEADER, Inner, header_pair, same_origin};
use super::error::error_chain;
use super::form::FormField;
use super::hooks::{AttemptError, AttemptRequest, AttemptResponse, Hook, Hooks, run_after, run_before, run_on_error};
use super::live::{LiveBody, StreamLimits, push_bytes};
use super::path::RequestPath;
use super::resume::{Reconnect, Resume};
use super::retry::{Decision, Outcome, RetryPolicy, decide, transport_outcome};
use super::{ApiError, Client, Error};

/// A successful response: the decoded value with the status, headers and attempts it took.
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("value", &self.value)
            .field("status", &self.status)
            .field("headers", &super::error::ShownHeaders(&self.headers))
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl<T> Response<T> {
    pub(super) fn new(value: T, status: StatusCode, headers: HeaderMap, attempts: u32) -> Self {
        Self { value, status, headers, attempts }
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, by value.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// How many attempts the call took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// Decodes a success body.
type Decoder<T> = fn(&[u8]) -> Result<T, (String, String)>;

/// How a success response becomes the call's output.
// `Live` only for specs with streams or downloads.
#[allow(dead_code)]
enum Decode<T> {
    /// Read the whole body within the attempt's timeout, then decode it.
    Buffered(Decoder<T>),
    /// Hand the live response over as soon as its headers arrived (streams and downloads).
    Live(fn(LiveBody) -> T),
}

/// A method `reqwest::Method` has no constant for (OpenAPI 3.2's `QUERY`, or one of its
/// `additionalOperations`), as sent exactly.
// Only specs with such methods call it; the generator checked that the name is an HTTP token.
#[allow(dead_code)]
pub(crate) fn method(name: &'static str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("the generator emits HTTP tokens only")
}

pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, (String, String)> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
}

// Only for operations with an empty response.
#[allow(dead_code)]
pub(crate) fn decode_empty(_: &[u8]) -> Result<(), (String, String)> {
    Ok(())
}

// Only for operations with a text response.
#[allow(dead_code)]
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, (String, String)> {
    String::from_utf8(bytes.to_vec()).map_err(|e| (".".into(), e.to_string()))
}

/// One API call, ready to send: `.await` it for the value, or adjust it first.
///
/// # Retries
///
/// A call is attempted up to `1 + max_retries` times (default 6 in all), waiting between attempts
/// with exponential backoff: 0.5 s doubling to 8 s, less up to 25 % random jitter. A
/// `retry-after-ms` or `Retry-After` (seconds or HTTP date) response header up to 60 s replaces
/// the computed delay. The overall deadline, if set, is never overrun: no attempt starts, and no
/// attempt runs, past it.
///
/// What is retried depends on whether the request is idempotent:
///
/// | outcome | `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE` | `POST`, `PATCH` |
/// |---|---|---|
/// | connection refused / failed before sending | retried | retried |
/// | timeout, or connection lost after sending | retried | **not** retried |
/// | 429 | retried | retried |
/// | 408, 409, 5xx | retried | **not** retried |
/// | `x-should-retry: true` | retried | retried |
/// | `x-should-retry: false` | not retried | not retried |
///
/// A `POST` that may have reached the server is never resent behind your back: the server may
/// already be doing what it asked for (`execute_async` starts a process). Opt in per call with
/// [`RequestBuilder::retry_non_idempotent`] when the server deduplicates. Every request other
/// than `GET`/`HEAD` carries an idempotency key in the `x-request-id` header, the same on every
/// attempt of one call; set your own with [`RequestBuilder::idempotency_key`].
///
/// # Streams, downloads and uploads
///
/// A call returning an [`EventStream`](super::EventStream), a [`JsonLines`](super::JsonLines) stream or
/// a [`Download`](super::Download) completes when
/// the response headers arrive: the policy above and the per-attempt timeout apply until then,
/// and the body is handed over unread. From then on the request is not retried, and the idle
/// timeout ([`RequestBuilder::idle_timeout`]) bounds each wait for data instead of the
/// per-attempt timeout. An event stream whose connection drops is resumed from where it was, when
/// the server says how (see [`RequestBuilder::max_reconnects`]): no event is delivered twice. A body with a [`FilePart`](super::FilePart) is resent on a retry from its
/// bytes or by reopening its path; a call with a reader part is never retried.
///
/// # Limits
///
/// No buffer the server fills grows without bound. A line of an event stream or a JSON Lines
/// stream holds at most [`max_line_bytes`](RequestBuilder::max_line_bytes) (default 8 MiB), and an
/// event's data at most [`max_event_bytes`](RequestBuilder::max_event_bytes) (default 8 MiB): past
/// either, the stream yields [`Error::LimitExceeded`] and ends, without reading the rest. A stream
/// whose body ends inside a line or an event yields [`Error::Truncated`] rather than ending as if
/// it were complete. An error response's body is read up to
/// [`max_error_body_bytes`](RequestBuilder::max_error_body_bytes) (default 1 MiB) and kept in
/// [`ApiError`]; the rest is not read. Each is set for the client on
/// [`ClientBuilder`](super::ClientBuilder), or per call here. A body decoded whole (a JSON or text
/// response) and a [`Download`](super::Download) read with `bytes` are the size the server sends:
/// that is what the call asks for.
#[must_use = "a request does nothing until it is awaited"]
pub struct RequestBuilder<T> {
    client: Client,
    method: Method,
    pub(super) operation: &'static str,
    /// The path template (`/v1/devboxes/{id}`), for traces.
    template: Cow<'static, str>,
    path: Result<String, Error>,
    decode: Decode<T>,
    /// Which credentials it sends.
    security: Security,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    /// Cookie parameters, name and value as given: sent together in one `Cookie` header.
    cookies: Vec<(String, String)>,
    /// A whole query string, encoded (OpenAPI 3.2's `in: querystring`): after the query pairs.
    query_string: Option<String>,
    body: Option<Result<Body, Error>>,
    timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    max_retries: Option<u32>,
    deadline: Option<Duration>,
    max_line_bytes: Option<usize>,
    max_event_bytes: Option<usize>,
    max_part_bytes: Option<usize>,
    max_error_body_bytes: Option<usize>,
    max_reconnects: Option<u32>,
    /// How the operation's event stream is resumed, if it is one.
    resume: Option<Resume>,
    idempotency_key: Option<String>,
    retry_non_idempotent: bool,
    /// Whether the operation may be resent after it may have reached the server; see
    /// [`RetryPolicy::idempotent`].
    idempotent: bool,
    /// This call's own hooks, run after the client's.
    hooks: Hooks,
}

impl<T> fmt::Debug for RequestBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path.as_ref().ok())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> RequestBuilder<T> {
    pub(crate) fn new(
        client: &Client,
        method: Method,
        operation: &'static str,
        path: Result<RequestPath, Error>,
        decode: Decoder<T>,
    ) -> Self {
        Self::with_decode(client, method, operation, path, Decode::Buffered(decode))
    }
}

// What generated operations call to build their requests: each operation uses only some.
#[allow(dead_code)]
impl<T: Send + 'static> RequestBuilder<T> {
    /// A call whose output is made from the live response (an event stream, a JSON Lines stream
    /// or a download): retries and timeouts apply until the response headers arrive, then
    /// `handler` gets the body unread.
    pub(crate) fn live(
        client: &Client,
        method: Method,
        operation: &'static str,
        path: Result<RequestPath, Error>,
        handler: fn(LiveBody) -> T,
    ) -> Self {
        Self::with_decode(client, method, operation, path, Decode::Live(handler))
    }

    fn with_decode(
        client: &Client,
        method: Method,
        operation: &'static str,
        path: Result<RequestPath, Error>,
        decode: Decode<T>,
    ) -> Self {
        let idempotent = idempotent_method(&method);
        let (template, path) = match path {
            Ok(RequestPath { template, path }) => (template, Ok(path)),
            Err(e) => (Cow::Borrowed(""), Err(e)),
        };
        Self {
            client: client.clone(),
            method,
            operation,
            template,
            path,
            decode,
            security: Security::None,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            query_string: None,
            body: None,
            timeout: None,
            idle_timeout: None,
            max_retries: None,
            deadline: None,
            max_line_bytes: None,
            max_event_bytes: None,
            max_part_bytes: None,
            max_error_body_bytes: None,
            max_reconnects: None,
            resume: None,
            idempotency_key: None,
            retry_non_idempotent: false,
            idempotent,
            hooks: Vec::new(),
        }
    }

    /// Whether the operation is idempotent, which decides its retry policy. Generated operations
    /// set it as the generator decided; [`Client::request`] keeps the default from the method
    /// ([`idempotent_method`]).
    pub(crate) fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// How this operation's event stream is resumed when its connection drops.
    pub(crate) fn resumable(mut self, how: Resume) -> Self {
        self.resume = Some(how);
        self
    }

    /// Sends the document's requirements (`true`) or no credential (`false`).
    pub(crate) fn authenticated(mut self, yes: bool) -> Self {
        self.security = if yes { Security::Document } else { Security::None };
        self
    }

    /// Sends the operation's own requirements, which differ from the document's.
    pub(crate) fn security(mut self, requirements: Requirements) -> Self {
        self.security = Security::Own(requirements);
        self
    }

    pub(crate) fn json_body<B: serde::Serialize + ?Sized>(mut self, content_type: &'static str, body: &B) -> Self {
        self.body = Some(
            serde_json::to_vec(body)
                .map(|v| Body::Bytes { content_type, bytes: v.into() })
                .map_err(|e| Error::InvalidRequest(format!("request body: {e}"))),
        );
        self
    }

    pub(crate) fn form_body<B: serde::Serialize + ?Sized>(self, content_type: &'static str, body: &B) -> Self {
        self.form_body_with(content_type, body, &[])
    }

    /// A form body whose fields in `fields` are written as the spec's `encoding` says.
    pub(crate) fn form_body_with<B: serde::Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &B,
        fields: &[FormField],
    ) -> Self {
        let encoded = serde_json::to_value(body)
            .map_err(|e| format!("request body: {e}"))
            .and_then(|v| super::form::encoded(v, fields).ok_or_else(|| "form body must be an object".to_owned()));
        self.body = Some(match encoded {
            Ok(text) => Ok(Body::Bytes { content_type, bytes: text.into_bytes().into() }),
            Err(message) => Err(Error::InvalidRequest(message)),
        });
        self
    }

    /// A JSON Lines body: each item's JSON on a line of its own (`application/json-seq`: each
    /// after a record separator, RFC 7464), written out now, so that a retry sends the same bytes.
    pub(crate) fn json_lines_body<V, I, B>(mut self, content_type: &'static str, items: I) -> Self
    where
        V: serde::Serialize,
        I: IntoIterator<Item = B>,
        B: std::borrow::Borrow<V>,
    {
        let sequence = content_type.contains("json-seq");
        let mut bytes = Vec::new();
        let mut written = Ok(());
        for item in items {
            if sequence {
                bytes.push(0x1E);
            }
            written = serde_json::to_writer(&mut bytes, item.borrow());
            if written.is_err() {
                break;
            }
            bytes.push(b'\n');
        }
        self.body = Some(match written {
            Ok(()) => Ok(Body::Bytes { content_type, bytes: bytes.into() }),
            Err(e) => Err(Error::InvalidRequest(format!("request body: {e}"))),
        });
        self
    }

    /// The whole query string (OpenAPI 3.2's `in: querystring`): an object's fields
    /// form-urlencoded, or (`json`) the value's JSON text percent-encoded. Set again, it replaces.
    pub(crate) fn query_string<V: serde::Serialize + ?Sized>(mut self, value: &V, json: bool) -> Self {
        let encoded = match serde_json::to_value(value) {
            Ok(value) if json => {
                Ok(percent_encoding::utf8_percent_encode(&value.to_string(), super::path::UNRESERVED_ONLY).to_string())
            }
            Ok(value) => {
                super::form::encoded(value, &[]).ok_or_else(|| "a form query string must be an object".to_owned())
            }
            Err(e) => Err(e.to_string()),
        };
        match encoded {
            Ok(text) => self.query_string = Some(text),
            Err(e) => self.path = Err(Error::InvalidRequest(format!("query string: {e}"))),
        }
        self
    }

    pub(crate) fn bytes_body(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.body = Some(Ok(Body::Bytes { content_type, bytes: body.into() }));
        self
    }

    /// A file as the whole body; its own content type, if set, replaces `content_type`.
    pub(crate) fn file_body(mut self, content_type: &'static str, file: FilePart) -> Self {
        self.body = Some(Ok(Body::File { content_type, file }));
        self
    }

    /// A `multipart/form-data` body.
    pub(crate) fn multipart_body(mut self, parts: Parts) -> Self {
        self.body = Some(match parts.error {
            Some(e) => Err(Error::InvalidRequest(e)),
            None => Ok(Body::Multipart(parts.parts)),
        });
        self
    }

    /// A body of parts of another `multipart/*` media type (`multipart/mixed`, ...): each part
    /// with its content type and no name.
    pub(crate) fn mixed_body(mut self, media: &'static str, parts: Parts) -> Self {
        self.body = Some(match parts.error {
            Some(e) => Err(Error::InvalidRequest(e)),
            None => Ok(Body::Mixed { media, parts: parts.parts }),
        });
        self
    }

    pub(crate) fn query_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => {
                // deepObject style: name[key]=value
                for (k, v) in map {
                    for text in expand(v) {
                        self.query.push((format!("{name}[{k}]"), text));
                    }
                }
            }
            Ok(v) => {
                for text in expand(v) {
                    self.query.push((name.to_owned(), text));
                }
            }
            Err(e) => self.path = Err(Error::InvalidRequest(format!("query parameter {name}: {e}"))),
        }
        self
    }

    pub(crate) fn header_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::Array(items)) => {
                let joined: Vec<String> = items.into_iter().flat_map(expand).collect();
                self.headers.push((name.to_owned(), joined.join(",")));
            }
            Ok(v) => self.headers.extend(expand(v).into_iter().map(|t| (name.to_owned(), t))),
            Err(e) => self.path = Err(Error::InvalidRequest(format!("header parameter {name}: {e}"))),
        }
        self
    }

    /// Replaces every value of query parameter `name` (also `name[key]`) with `value`: an
    /// optional parameter set twice keeps the last value.
    pub(crate) fn set_query_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.query.retain(|(k, _)| k != name && !(k.starts_with(name) && k[name.len()..].starts_with('[')));
        self.query_param(name, value)
    }

    /// Replaces every value of header parameter `name` with `value`.
    pub(crate) fn set_header_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.header_param(name, value)
    }

    /// A cookie parameter: its value as text (an array's items joined with `,`), sent in the
    /// request's one `Cookie` header.
    pub(crate) fn cookie_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(v) => self.cookies.push((name.to_owned(), expand(v).join(","))),
            Err(e) => self.path = Err(Error::InvalidRequest(format!("cookie parameter {name}: {e}"))),
        }
        self
    }

    /// Replaces the value of cookie parameter `name` with `value`.
    pub(crate) fn set_cookie_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.cookies.retain(|(k, _)| k != name);
        self.cookie_param(name, value)
    }
}

impl<T: Send + 'static> RequestBuilder<T> {
    /// Sends `body` as JSON (for [`Client::request`]; generated methods set their body already).
    pub fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        self.json_body("application/json", body)
    }

    /// Adds a query parameter (arrays repeat the name, objects use `name[key]`).
    pub fn query<V: serde::Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        self.query_param(name, value)
    }

    /// Sets a header on this request only (after the client's default headers).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The timeout of each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The idle timeout of this stream or download: the longest wait for the next chunk once the
    /// response headers arrived (default 60 s, or the client's). It replaces
    /// the per-attempt timeout for the body, which a long stream would outlive; calls decoded
    /// from a whole body ignore it.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt, for this call.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An overall deadline for this call, across all attempts.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The longest line this event stream or JSON Lines stream may send, in bytes (default 8 MiB,
    /// or the client's: [`ClientBuilder::max_line_bytes`](super::ClientBuilder::max_line_bytes)).
    /// A longer line ends the stream with [`Error::LimitExceeded`]; calls that are not streams
    /// ignore it.
    pub fn max_line_bytes(mut self, max: usize) -> Self {
        self.max_line_bytes = Some(max);
        self
    }

    /// The most data one event of this event stream may carry, in bytes: its `data:` lines joined
    /// with `\n` (default 8 MiB, or the client's:
    /// [`ClientBuilder::max_event_bytes`](super::ClientBuilder::max_event_bytes)). More ends the
    /// stream with [`Error::LimitExceeded`]; calls that are not event streams ignore it.
    pub fn max_event_bytes(mut self, max: usize) -> Self {
        self.max_event_bytes = Some(max);
        self
    }

    /// The largest part this `multipart/mixed` response may send, in bytes: its headers and its
    /// content (default 8 MiB, or the client's:
    /// [`ClientBuilder::max_part_bytes`](super::ClientBuilder::max_part_bytes)). A larger part
    /// ends the stream with [`Error::LimitExceeded`]; calls that are not part streams ignore it.
    pub fn max_part_bytes(mut self, max: usize) -> Self {
        self.max_part_bytes = Some(max);
        self
    }

    /// How much of an error response's body this call reads and keeps in [`ApiError`], in bytes
    /// (default 1 MiB, or the client's:
    /// [`ClientBuilder::max_error_body_bytes`](super::ClientBuilder::max_error_body_bytes)).
    pub fn max_error_body_bytes(mut self, max: usize) -> Self {
        self.max_error_body_bytes = Some(max);
        self
    }

    /// How many times in a row this event stream is reconnected when its connection drops before
    /// the error is returned (default 5, or the client's:
    /// [`ClientBuilder::max_reconnects`](super::ClientBuilder::max_reconnects)); `0` never
    /// reconnects. The count starts again when the stream resumes from a position it was never
    /// resumed from (the server's event id or the `x-resume` value advanced), so a server that
    /// ignores the position and sends the same events again cannot keep the loop going.
    ///
    /// A stream is resumed when its body is cut ([`Error::BodyCut`]), goes idle
    /// ([`Error::IdleTimeout`]) or ends inside an event ([`Error::Truncated`]), and the server says
    /// where to continue: by the `id:` of its events, sent back as `Last-Event-ID`, or by a
    /// query parameter the spec names with `x-resume` (Runloop's output streams take the last
    /// event's `offset`). A stream that delivered no event yet is simply sent again. The wait
    /// before reconnecting is the server's `retry:` (at most 60 s), else the retry backoff; the
    /// new request has the call's retries. Only idempotent operations are resumed, unless the call
    /// opted in with [`retry_non_idempotent`](RequestBuilder::retry_non_idempotent). The
    /// incomplete event of a dropped connection is never delivered: the server sends it again.
    pub fn max_reconnects(mut self, max: u32) -> Self {
        self.max_reconnects = Some(max);
        self
    }

    /// The idempotency key (`x-request-id`) sent on every attempt; default: a random UUID per call.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Lets this `POST`/`PATCH` be retried like an idempotent request (timeouts, 408, 409, 5xx).
    /// Use it only when the server deduplicates by the idempotency key.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// A [`Hook`] for this call only, run after the client's hooks (see
    /// [`ClientBuilder::hook`](super::ClientBuilder::hook)).
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Sends the request and returns the decoded value.
    pub async fn send(self) -> Result<T, Error> {
        self.with_response().await.map(Response::into_value)
    }

    /// Sends the request and returns the value with status, headers and attempt count.
    ///
    /// The call is a [`tracing`] span named `request` (level `INFO`) with the fields `operation`,
    /// `method`, `path` (the template, `/v1/devboxes/{id}`, not the values filled in), and, once
    /// the call ends, `attempts`, the last `status` and `request_id`, `elapsed_ms` and, when it
    /// fails, `error` (the kind of failure: never a body). Each attempt is a span `attempt` inside
    /// it (`attempt`, `status`, `request_id`); each retry is an `INFO` event `retrying` in the call's
    /// span with `attempt`, `reason` and `delay_ms`. Every field is recorded once. No span or
    /// event holds the API key, a header value or a body.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        let span = tracing::info_span!(
            "request",
            operation = self.operation,
            method = %self.method,
            path = %self.template,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        let started = Instant::now();
        let mut last = LastAttempt::default();
        // The hooks that see the error the call ends with; nothing is cloned when there are none.
        let hooks = (!self.client.inner.hooks.is_empty() || !self.hooks.is_empty())
            .then(|| (Arc::clone(&self.client.inner), self.hooks.clone()));
        let operation = self.operation;
        let result = self.execute(&span, &mut last).instrument(span.clone()).await;
        if let (Err(error), Some((inner, own))) = (&result, &hooks) {
            let failure = AttemptError { operation, attempt: last.attempt, error, retrying: false };
            run_on_error(inner.hooks.iter().chain(own), failure).instrument(span.clone()).await;
        }
        span.record("attempts", last.attempt);
        if let Some(status) = last.status {
            span.record("status", status);
        }
        if let Some(id) = &last.request_id {
            span.record("request_id", id.as_str());
        }
        span.record("elapsed_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        if let Err(e) = &result {
            span.record("error", tracing::field::display(trace_reason(e)));
        }
        result
    }

    /// The request loop of [`RequestBuilder::with_response`], inside its span.
    async fn execute(self, span: &tracing::Span, last: &mut LastAttempt) -> Result<Response<T>, Error> {
        let inner = Arc::clone(&self.client.inner);
        let mut reconnect = self.reconnect();
        let path = self.path?;
        let body = self.body.transpose()?;
        let mut url = target_url(&inner.base_url, &path, &self.query, self.query_string.as_deref());
        let mut headers = request_headers(&inner, &self.headers, &self.cookies, &self.method, self.idempotency_key)?;
        let mut applied = super::auth::apply(&inner, self.security, self.operation, &mut headers, &mut url).await?;
        // A body streamed from a reader can be sent once only: such a call is never retried.
        let replayable = body.as_ref().is_none_or(Body::replayable);
        let policy = RetryPolicy {
            idempotent: self.idempotent,
            retry_non_idempotent: self.retry_non_idempotent,
            max_retries: if replayable { self.max_retries.unwrap_or(inner.max_retries) } else { 0 },
        };
        let live = matches!(self.decode, Decode::Live(_));
        let idle_timeout = self.idle_timeout.unwrap_or(inner.idle_timeout);
        let limits = StreamLimits {
            line: self.max_line_bytes.unwrap_or(inner.max_line_bytes),
            event: self.max_event_bytes.unwrap_or(inner.max_event_bytes),
            part: self.max_part_bytes.unwrap_or(inner.max_part_bytes),
        };
        let max_error_body = self.max_error_body_bytes.unwrap_or(inner.max_error_body_bytes);
        let timeout = self.timeout.unwrap_or(inner.timeout);
        let deadline = self.deadline.or(inner.deadline);
        let started = Instant::now();
        let operation = self.operation;
        let hooked = !inner.hooks.is_empty() || !self.hooks.is_empty();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            *last = LastAttempt { attempt, ..LastAttempt::default() };
            let attempt_span = attempt_span(span, attempt);
            let remaining = deadline.map(|d| d.saturating_sub(started.elapsed()));
            if remaining == Some(Duration::ZERO) {
                let elapsed = started.elapsed();
                return Err(Error::Timeout { operation, attempts: attempt - 1, elapsed, deadline: true });
            }
            let attempt_timeout = remaining.map_or(timeout, |r| r.min(timeout));
            let limited_by_deadline = remaining.is_some_and(|r| r < timeout);
            // reqwest's own timeout would also cover the body, which a stream may take hours to send.
            let request_timeout = (!live).then_some(attempt_timeout);
            let mut request =
                attempt_request(&self.method, &url, &headers, body.as_ref(), &inner.http, request_timeout).await?;
            if hooked {
                let hooks = inner.hooks.iter().chain(&self.hooks);
                run_before(hooks, AttemptRequest { operation, attempt, request: &mut request }).await?;
            }
            let attempt_started = Instant::now();
            let received = receive(&inner.http, request, live, max_error_body, last, &attempt_span);
            let outcome = tokio::time::timeout(attempt_timeout, received).instrument(attempt_span.clone()).await;
            if hooked && let Ok(Ok(received)) = &outcome {
                let response = received.seen(operation, attempt, attempt_started.elapsed());
                run_after(inner.hooks.iter().chain(&self.hooks), response).await;
            }
            let (decision, error) = match outcome {
                Err(_) => failed(None, operation, attempt, &policy, started.elapsed(), limited_by_deadline),
                Ok(Err(e)) => failed(Some(e), operation, attempt, &policy, started.elapsed(), limited_by_deadline),
                Ok(Ok(Received::Live(response))) => {
                    let Decode::Live(handler) = self.decode else { unreachable!("live responses are for live calls") };
                    let live_body = LiveBody::new(operation, response, idle_timeout, limits, reconnect.take());
                    return Ok(live_body.respond(handler, attempt));
                }
                Ok(Ok(Received::Whole(status, resp_headers, bytes, body_truncated_at))) => {
                    if status.is_success() {
                        let Decode::Buffered(decode) = self.decode else {
                            unreachable!("live calls return their success response live")
                        };
                        return decoded(operation, decode, status, resp_headers, &bytes, attempt);
                    }
                    // A client-credentials token refused: one fresh token and one more attempt; a
                    // body that cannot be sent again is not, but the token is forgotten all the
                    // same, so that the next call fetches a fresh one instead of reusing it.
                    if status == StatusCode::UNAUTHORIZED {
                        if !replayable {
                            applied.forget().await;
                        } else if applied.refresh(&inner, &mut headers).await? {
                            if hooked {
                                let e = api_error(operation, status, resp_headers, &bytes, body_truncated_at, attempt);
                                let failure = AttemptError { operation, attempt, error: &e, retrying: true };
                                run_on_error(inner.hooks.iter().chain(&self.hooks), failure).await;
                            }
                            continue;
                        }
                    }
                    let outcome = Outcome::Response { status, headers: &resp_headers, received: SystemTime::now() };
                    let decision = decide(&outcome, attempt, &policy, fastrand::f64());
                    (decision, api_error(operation, status, resp_headers, &bytes, body_truncated_at, attempt))
                }
            };
            let delay = match decision {
                Decision::RetryAfter(delay) if deadline.is_none_or(|d| started.elapsed() + delay < d) => delay,
                _ => return Err(error),
            };
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            tracing::info!(attempt, reason = %trace_reason(&error), delay_ms, "retrying");
            if hooked {
                let failure = AttemptError { operation, attempt, error: &error, retrying: true };
                run_on_error(inner.hooks.iter().chain(&self.hooks), failure).await;
            }
            tokio::time::sleep(delay).await;
        }
    }
}

/// The request's URL: the base URL with the path appended, then the query parameters and the
/// whole query string (`in: querystring`), if any.
fn target_url(base: &url::Url, path: &str, query: &[(String, String)], query_string: Option<&str>) -> url::Url {
    let mut url = base.clone();
    let base_path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{base_path}{path}"));
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
    }
    if let Some(whole) = query_string {
        let joined = match url.query() {
            Some(pairs) if !pairs.is_empty() => format!("{pairs}&{whole}"),
            _ => whole.to_owned(),
        };
        url.set_query(Some(&joined));
    }
    url
}

/// The headers every attempt sends before authentication: the client's, the call's, its cookie
/// parameters, and the idempotency key where the method takes one (the same on every attempt).
fn request_headers(
    inner: &Inner,
    own: &[(String, String)],
    cookies: &[(String, String)],
    method: &Method,
    idempotency_key: Option<String>,
) -> Result<HeaderMap, Error> {
    let mut headers = inner.headers.clone();
    for (name, value) in own {
        let (n, v) = header_pair(name, value).map_err(Error::InvalidRequest)?;
        headers.insert(n, v);
    }
    if !cookies.is_empty() {
        add_cookies(&mut headers, cookies)?;
    }
    if super::methods::sends_idempotency_key(method.as_str()) {
        let key = idempotency_key.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let value = HeaderValue::from_str(&key)
            .map_err(|_| Error::InvalidRequest("idempotency key is not a valid header value".into()))?;
        headers.insert(HeaderName::from_static(IDEMPOTENCY_HEADER), value);
    }
    Ok(headers)
}

/// The span of one attempt, inside the call's.
fn attempt_span(call: &tracing::Span, attempt: u32) -> tracing::Span {
    tracing::info_span!(
        parent: call,
        "attempt",
        attempt,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
    )
}

/// One attempt's request: the method, URL and headers, the body built afresh, and reqwest's
/// timeout when given.
async fn attempt_request(
    method: &Method,
    url: &url::Url,
    headers: &HeaderMap,
    body: Option<&Body>,
    http: &reqwest::Client,
    timeout: Option<Duration>,
) -> Result<reqwest::Request, Error> {
    let mut request = reqwest::Request::new(method.clone(), url.clone());
    *request.headers_mut() = headers.clone();
    *request.timeout_mut() = timeout;
    if let Some(body) = body {
        let (bytes, content_type, length) = body.build(http).await?;
        let content_type = HeaderValue::from_str(&content_type)
            .map_err(|_| Error::InvalidRequest(format!("invalid content type {content_type:?}")))?;
        request.headers_mut().insert(reqwest::header::CONTENT_TYPE, content_type);
        if let Some(n) = length {
            request.headers_mut().insert(reqwest::header::CONTENT_LENGTH, HeaderValue::from(n));
        }
        *request.body_mut() = Some(bytes);
    }
    Ok(request)
}

/// An attempt that got no response: a transport error (`Some`), or no answer within the
/// attempt's timeout (`None`, or reqwest's own timeout), and whether to try again.
fn failed(
    error: Option<reqwest::Error>,
    operation: &'static str,
    attempt: u32,
    policy: &RetryPolicy,
    elapsed: Duration,
    deadline: bool,
) -> (Decision, Error) {
    match error {
        // A connect error (a connect timeout too) happens before any byte of the request is
        // sent; other transport errors and timeouts may come after the server read it.
        Some(e) if e.is_connect() || !e.is_timeout() => {
            let outcome = transport_outcome(e.is_connect(), e.is_timeout());
            let decision = decide(&outcome, attempt, policy, fastrand::f64());
            (decision, Error::Connection { operation, attempts: attempt, source: e.without_url() })
        }
        _ => {
            let e = Error::Timeout { operation, attempts: attempt, elapsed, deadline };
            (decide(&Outcome::TimedOut, attempt, policy, fastrand::f64()), e)
        }
    }
}

/// Sends one attempt and reads its response: a live call's success as it comes, any other
/// body whole (an error body up to `max_error_body` bytes). Records the status and request id.
async fn receive(
    http: &reqwest::Client,
    request: reqwest::Request,
    live: bool,
    max_error_body: usize,
    last: &mut LastAttempt,
    attempt_span: &tracing::Span,
) -> Result<Received, reqwest::Error> {
    let response = http.execute(request).await?;
    let status = response.status();
    attempt_span.record("status", status.as_u16());
    last.status = Some(status.as_u16());
    if let Some(id) = request_id(response.headers()) {
        attempt_span.record("request_id", id);
        last.request_id = Some(id.to_owned());
    }
    if live && status.is_success() {
        return Ok(Received::Live(response));
    }
    let headers = response.headers().clone();
    if status.is_success() {
        let bytes = response.bytes().await?;
        return Ok(Received::Whole(status, headers, bytes, None));
    }
    let (bytes, truncated_at) = read_error_body(response, max_error_body).await?;
    Ok(Received::Whole(status, headers, bytes, truncated_at))
}

/// A response's `x-request-id` header, when it is text: what errors, traces and streams report.
pub(super) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

/// A successful buffered response, decoded.
fn decoded<T>(
    operation: &'static str,
    decode: Decoder<T>,
    status: StatusCode,
    headers: HeaderMap,
    bytes: &Bytes,
    attempts: u32,
) -> Result<Response<T>, Error> {
    match decode(bytes) {
        Ok(value) => Ok(Response { value, status, headers, attempts }),
        Err(e) => Err(Error::decode(operation, status, request_id(&headers).map(str::to_owned), bytes, e)),
    }
}

/// The error of a response with an error status.
fn api_error(
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    bytes: &Bytes,
    body_truncated_at: Option<usize>,
    attempts: u32,
) -> Error {
    let body = error_text(bytes, body_truncated_at.is_some());
    let json = serde_json::from_slice(bytes).ok().filter(|_| body_truncated_at.is_none());
    let request_id = request_id(&headers).map(str::to_owned);
    Error::Api(Box::new(ApiError { operation, status, request_id, headers, body, json, body_truncated_at, attempts }))
}

/// What the call's span records of its last attempt once the call ends.
#[derive(Debug, Default)]
struct LastAttempt {
    /// Its number (1 for the first).
    attempt: u32,
    /// The response status, if a response came.
    status: Option<u16>,
    /// The response's `x-request-id`, if any.
    request_id: Option<String>,
}

/// What traces say about a failure: its kind and, for a connection, the root cause. Never a
/// body, a header value or a URL (one may carry a query-string key).
pub(crate) fn trace_reason(error: &Error) -> String {
    match error {
        Error::Api(e) => format!("status {}", e.status),
        Error::Timeout { .. } => "timed out".to_owned(),
        Error::Connection { source, .. } => format!("connection failed: {}", error_chain(source)),
        Error::Decode { path, .. } => format!("could not decode the response at `{path}`"),
        Error::BodyCut { source, .. } => format!("the body was cut short: {}", error_chain(source)),
        Error::IdleTimeout { .. } => "idle timeout".to_owned(),
        Error::Io { .. } => "i/o error".to_owned(),
        Error::InvalidRequest(_) => "invalid request".to_owned(),
        Error::Config(_) => "invalid client configuration".to_owned(),
        Error::Hook { .. } => "a hook stopped the request".to_owned(),
        Error::Auth { scheme, .. } => format!("no token for the security scheme `{scheme}`"),
        Error::MissingCredential { scheme, .. } => format!("no credential for the security scheme `{scheme}`"),
        Error::Pagination { .. } => "paging stopped".to_owned(),
        Error::LimitExceeded { part, .. } => format!("{part} exceeded its limit"),
        Error::Truncated { part, .. } => format!("the body ended inside {part}"),
    }
}

/// What an attempt received: a whole response (with, for an error response cut at its limit,
/// the limit), or a live success response for a live call.
enum Received {
    Whole(StatusCode, HeaderMap, Bytes, Option<usize>),
    Live(reqwest::Response),
}

impl Received {
    /// The response as the hooks see it.
    fn seen(&self, operation: &'static str, attempt: u32, elapsed: Duration) -> AttemptResponse<'_> {
        let (status, headers) = match self {
            Self::Whole(status, headers, ..) => (*status, headers),
            Self::Live(response) => (response.status(), response.headers()),
        };
        AttemptResponse { operation, attempt, status, headers, elapsed }
    }
}

/// Reads an error response's body up to `max` bytes: the body, and `Some(max)` when there was
/// more. The rest is never read; dropping the response closes the connection instead of
/// draining a body that may never end.
pub(super) async fn read_error_body(
    mut response: reqwest::Response,
    max: usize,
) -> reqwest::Result<(Bytes, Option<usize>)> {
    let mut kept = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        // What fits; `push_bytes` then cannot refuse it, and grows `kept` no further than `max`.
        let fits = chunk.len().min(max - kept.len());
        push_bytes(&mut kept, &chunk[..fits], max);
        if fits < chunk.len() {
            return Ok((kept.into(), Some(max)));
        }
    }
    Ok((kept.into(), None))
}

/// An error body as text, lossily decoded as UTF-8; a body cut at its limit drops the partial
/// character the cut may have left at its end rather than showing it as U+FFFD.
fn error_text(bytes: &[u8], truncated: bool) -> String {
    match std::str::from_utf8(bytes) {
        Err(e) if truncated && e.error_len().is_none() => {
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned()
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

impl<T: Send + 'static> IntoFuture for RequestBuilder<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Expands a parameter value: arrays to one text per item (form style, exploded), `null` to none.
/// Adds cookie parameters to the request's `Cookie` header, each value percent-encoded but for
/// RFC 3986's unreserved characters, so that no `;`, `,`, space or quote can end it early.
fn add_cookies(headers: &mut HeaderMap, cookies: &[(String, String)]) -> Result<(), Error> {
    let pairs = cookies.iter().map(|(name, value)| {
        let value = percent_encoding::utf8_percent_encode(value, super::path::UNRESERVED_ONLY);
        format!("{name}={value}")
    });
    append_cookies(headers, pairs).map_err(|_| Error::InvalidRequest("a cookie name is not valid in a header".into()))
}

/// Appends `name=value` pairs to the request's one `Cookie` header (after any cookie already
/// there), joined with `; ` (RFC 6265 §5.4). A header that was sensitive stays sensitive.
pub(super) fn append_cookies(
    headers: &mut HeaderMap,
    pairs: impl IntoIterator<Item = String>,
) -> Result<(), reqwest::header::InvalidHeaderValue> {
    let existing = headers.get(reqwest::header::COOKIE);
    let sensitive = existing.is_some_and(HeaderValue::is_sensitive);
    let mut all: Vec<String> =
        existing.and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()).map(str::to_owned).into_iter().collect();
    all.extend(pairs);
    let mut value = HeaderValue::from_str(&all.join("; "))?;
    value.set_sensitive(sensitive);
    headers.insert(reqwest::header::COOKIE, value);
    Ok(())
}

/// A parameter's or form field's value as texts: a string as it is, an array's items (flattened),
/// other values as JSON; nothing for `null`.
pub(crate) fn expand(value: serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(items) => items.into_iter().flat_map(expand).collect(),
        other => vec![other.to_string()],
    }
}

/// Whether a method is idempotent (RFC 9110 §9.2.2): resending it after it may have reached the
/// server does no more than sending it once ([`super::methods::is_idempotent`]).
pub(crate) fn idempotent_method(method: &Method) -> bool {
    super::methods::is_idempotent(method.as_str())
}

/// How much longer than the time the server may hold a long poll one attempt may take.
pub const LONG_POLL_MARGIN: Duration = Duration::from_secs(30);

impl<T: Send + 'static> RequestBuilder<T> {
    /// Marks a long poll: the server may hold the request for `held` before answering, so the
    /// attempt timeout is at least `held` plus [`LONG_POLL_MARGIN`] (the client's timeout if
    /// longer). A per-call [`RequestBuilder::timeout`] still decides.
    // Only specs with long polls have operations that call it.
    #[allow(dead_code)]
    pub(crate) fn long_poll(self, held: Duration) -> Self {
        self.min_timeout(held + LONG_POLL_MARGIN)
    }

    /// An operation that may take up to `time`: the attempt timeout is at least that (the
    /// client's timeout if longer). A per-call [`RequestBuilder::timeout`] still decides.
    // Only specs with long polls or slow operations have operations that call it.
    #[allow(dead_code)]
    pub(crate) fn min_timeout(mut self, time: Duration) -> Self {
        // Called while the operation's request is built, before any per-call `timeout`.
        self.timeout = Some(self.timeout.unwrap_or(self.client.inner.timeout).max(time));
        self
    }

    /// A copy for the next page's request; `None` when this request can never be sent (its path
    /// or body failed to build, which sending it reports).
    pub(super) fn try_clone(&self) -> Option<Self> {
        let decode = match &self.decode {
            Decode::Buffered(f) => Decode::Buffered(*f),
            Decode::Live(f) => Decode::Live(*f),
        };
        self.copy_as(decode)
    }

    /// What a dropped event stream sends again: a copy of this request whose output is the live
    /// body, if the stream is resumable and its request may be resent (as a retry could be).
    fn reconnect(&self) -> Option<Reconnect> {
        let how = self.resume?;
        let max = self.max_reconnects.unwrap_or(self.client.inner.max_reconnects);
        let resendable = self.idempotent || self.retry_non_idempotent;
        if max == 0 || !resendable {
            return None;
        }
        let request = self.copy_as(Decode::Live(std::convert::identity))?;
        Some(Reconnect { request, how, max })
    }

    /// A copy of this request with another output; `None` as for [`try_clone`](Self::try_clone).
    fn copy_as<U>(&self, decode: Decode<U>) -> Option<RequestBuilder<U>> {
        let path = self.path.as_ref().ok()?.clone();
        let body = match &self.body {
            None => None,
            Some(Ok(Body::Bytes { content_type, bytes })) => {
                Some(Ok(Body::Bytes { content_type, bytes: bytes.clone() }))
            }
            // A file or multipart body is not copied: the generator never pages or resumes such an
            // operation.
            Some(_) => return None,
        };
        Some(RequestBuilder {
            client: self.client.clone(),
            method: self.method.clone(),
            operation: self.operation,
            template: self.template.clone(),
            path: Ok(path),
            decode,
            security: self.security,
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            query_string: self.query_string.clone(),
            body,
            timeout: self.timeout,
            idle_timeout: self.idle_timeout,
            max_retries: self.max_retries,
            deadline: self.deadline,
            max_line_bytes: self.max_line_bytes,
            max_event_bytes: self.max_event_bytes,
            max_part_bytes: self.max_part_bytes,
            max_error_body_bytes: self.max_error_body_bytes,
            max_reconnects: self.max_reconnects,
            // The copy is sent once per reconnection; the stream it feeds does the resuming.
            resume: None,
            idempotency_key: self.idempotency_key.clone(),
            retry_non_idempotent: self.retry_non_idempotent,
            idempotent: self.idempotent,
            hooks: self.hooks.clone(),
        })
    }

    /// Replaces every value of query parameter `name` with `value`.
    pub(super) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(k, _)| k != name);
        self.query.push((name.to_owned(), value));
    }

    /// The first value of query parameter `name`.
    pub(super) fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Points the request at `link` (absolute, or relative to the base URL), which must be under
    /// the client's base URL: the API key is never sent to another host.
    pub(super) fn set_link(&mut self, link: &str) -> Result<(), Error> {
        let base = &self.client.inner.base_url;
        let refused = |message: String| Error::Pagination { operation: self.operation, message };
        let base_path = base.path().trim_end_matches('/');
        // A relative link is relative to the request that returned it (RFC 8288).
        let mut current = base.clone();
        current.set_path(&format!("{base_path}{}", self.path.as_deref().unwrap_or_default()));
        let url = current.join(link).map_err(|e| refused(format!("the next page's link is not a URL: {e}")))?;
        let same_origin = same_origin(&url, base);
        // Under the base path at a segment boundary: `/api` does not cover `/api2`.
        let under_base = |path: &&str| path.is_empty() || path.starts_with('/');
        let Some(path) = url.path().strip_prefix(base_path).filter(under_base).filter(|_| same_origin) else {
            let host = url.host_str().unwrap_or_default();
            return Err(refused(format!("the next page's link leads outside the API (to `{host}`); not followed")));
        };
        self.path = Ok(path.to_owned());
        self.query = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        Ok(())
    }
}
