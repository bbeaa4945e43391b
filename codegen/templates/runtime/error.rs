//! What can go wrong with a call: `Error`, `ApiError` for a non-success response, and
//! `StreamPart`, the part of a stream a limit or a truncation is about.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, PROXY_AUTHENTICATE, WWW_AUTHENTICATE};

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status the operation does not document as success.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// An attempt timed out, or the overall deadline passed.
    #[error("{} timed out after {:.1?} ({attempts} attempt(s){})", .operation, .elapsed, if *.deadline { ", overall deadline reached" } else { "" })]
    Timeout {
        /// The operation id.
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// Time since the call started.
        elapsed: Duration,
        /// Whether the overall deadline (rather than one attempt's timeout) ended the call.
        deadline: bool,
    },
    /// The connection failed (refused, reset, TLS, DNS, ...). Its message names the root cause
    /// (`tcp connect error: Connection refused`, `dns error: failed to lookup address
    /// information`), which reqwest's own message ("error sending request") leaves to its sources.
    #[error("{operation}: connection failed after {attempts} attempt(s): {}", error_chain(.source))]
    Connection {
        /// The operation id.
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// The underlying error (its URL removed: it may carry a query-string key).
        #[source]
        source: reqwest::Error,
    },
    /// The response body did not match the documented type.
    #[error("{operation}: could not decode the {status} response at `{path}`: {message}; body starts with {excerpt:?}")]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The response status.
        status: StatusCode,
        /// Where in the body decoding failed (serde path, e.g. `data[0].status`).
        path: String,
        /// serde's message.
        message: String,
        /// The first 256 bytes of the body.
        excerpt: String,
        /// The response's request id, if any.
        request_id: Option<String>,
    },
    /// The connection failed while the body of a success response was being read (a download,
    /// a stream): the body ended after `received` bytes, of `expected` when the server said how
    /// many (`Content-Length`). Nothing is retried once the body has started.
    #[error("{operation}: the response body ended after {received} {}: {}", match .expected { Some(n) => format!("of {n} bytes"), None => "bytes, before its end".to_owned() }, error_chain(.source))]
    BodyCut {
        /// The operation id.
        operation: &'static str,
        /// The bytes of the body received.
        received: u64,
        /// The body's length as the server announced it (`Content-Length`), if it did.
        expected: Option<u64>,
        /// The underlying error (its URL removed).
        #[source]
        source: reqwest::Error,
    },
    /// A stream or download received no data for longer than its idle timeout (see
    /// [`RequestBuilder::idle_timeout`](super::RequestBuilder::idle_timeout)).
    #[error("{operation}: no data for {idle:.1?} while reading the response body (idle timeout)")]
    IdleTimeout {
        /// The operation id.
        operation: &'static str,
        /// The idle timeout that passed.
        idle: Duration,
    },
    /// Reading a file to upload, or writing a download to disk, failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the file's path.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The request could not be built (bad path parameter, unencodable body, ...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client configuration is unusable (missing key, bad base URL or header).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A line or an event of a stream was longer than its limit (see
    /// [`ClientBuilder::max_line_bytes`](super::ClientBuilder::max_line_bytes) and
    /// [`ClientBuilder::max_event_bytes`](super::ClientBuilder::max_event_bytes), also settable per
    /// call). The stream yields this once, after the events or lines completed before it, and
    /// ends: the connection is closed and nothing more of the body is read or held.
    #[error("{operation}: {} exceeded the {} limit ({})", limit_subject(*.part), size(*.max_bytes), limit_setting(*.part))]
    LimitExceeded {
        /// The operation id.
        operation: &'static str,
        /// What was too long: a line, or an event's data.
        part: StreamPart,
        /// The limit that was passed, in bytes.
        max_bytes: usize,
    },
    /// A stream's body ended in the middle of a line or an event: the connection was closed
    /// before the line end, or the blank line, that completes it. The incomplete line or event is
    /// not delivered (as browsers discard an unfinished server-sent event); the stream yields this
    /// once, after everything completed before it, and ends. A body that ends between events or
    /// lines ends the stream without an error.
    #[error("{operation}: the response body ended inside {part}; the stream was cut short")]
    Truncated {
        /// The operation id.
        operation: &'static str,
        /// What the body ended inside.
        part: StreamPart,
    },
    /// A security scheme's credential could not be obtained: its OAuth 2 token endpoint (or
    /// OpenID Connect discovery document) failed or answered without a token. The message has the
    /// status and the RFC 6749 `error` code, never a secret.
    #[error("security scheme `{scheme}`: {message}")]
    Auth {
        /// The scheme's name in the spec.
        scheme: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The operation needs a credential of a security scheme that is not configured; nothing was
    /// sent.
    #[error("{operation}: no credential for the security scheme `{scheme}`; set it with {how}")]
    MissingCredential {
        /// The operation id.
        operation: &'static str,
        /// The scheme's name in the spec.
        scheme: &'static str,
        /// How to set it: the `ClientBuilder` method and the environment variable.
        how: String,
    },
    /// A [`Hook`](super::Hook)'s `before_attempt` refused the request (its error is the source);
    /// the call is not retried.
    #[error("{operation}: a hook stopped attempt {attempt}: {source}")]
    Hook {
        /// The operation id.
        operation: &'static str,
        /// The attempt the hook stopped.
        attempt: u32,
        /// What the hook returned.
        #[source]
        source: super::HookError,
    },
    /// Walking the pages of a list went wrong: the server sent a cursor or link it had sent
    /// before (walking on would never end), or a link to another host (not followed).
    #[error("{operation}: paging stopped: {message}")]
    Pagination {
        /// The operation id.
        operation: &'static str,
        /// What happened.
        message: String,
    },
}

impl Error {
    /// A body, or a line, event or part of one, that did not decode: `path` and `message` are
    /// serde's (`decode_json`'s), and the error keeps the start of `body` for its message.
    pub(crate) fn decode(
        operation: &'static str,
        status: StatusCode,
        request_id: Option<String>,
        body: &[u8],
        (path, message): (String, String),
    ) -> Self {
        Self::Decode { operation, status, path, message, excerpt: excerpt(body, 256), request_id }
    }

    /// The HTTP status, for [`Error::Api`] and [`Error::Decode`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// The server's request id, where there was a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id.as_deref(),
            Self::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

/// The part of a stream that an [`Error::LimitExceeded`] or an [`Error::Truncated`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StreamPart {
    /// One line of an event stream (`text/event-stream`), whatever its field; its limit is
    /// [`ClientBuilder::max_line_bytes`](super::ClientBuilder::max_line_bytes).
    EventStreamLine,
    /// One server-sent event; its limit counts its data (the `data:` lines, joined with `\n`) and
    /// is [`ClientBuilder::max_event_bytes`](super::ClientBuilder::max_event_bytes).
    Event,
    /// One line (record) of a JSON Lines or JSON text sequence stream; its limit is
    /// [`ClientBuilder::max_line_bytes`](super::ClientBuilder::max_line_bytes).
    JsonLine,
    /// One part of a `multipart/mixed` response, its headers and content; its limit is
    /// [`ClientBuilder::max_part_bytes`](super::ClientBuilder::max_part_bytes). A body that ends
    /// before its closing boundary is truncated in its last part.
    MultipartPart,
}

impl fmt::Display for StreamPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EventStreamLine => "an event-stream line",
            Self::Event => "an event",
            Self::JsonLine => "a JSON Lines line",
            Self::MultipartPart => "a multipart part",
        })
    }
}

/// What a limit counts, for [`Error::LimitExceeded`]'s message.
fn limit_subject(part: StreamPart) -> String {
    match part {
        StreamPart::Event => "an event's data".to_owned(),
        other => other.to_string(),
    }
}

/// The setting of a limit, for [`Error::LimitExceeded`]'s message.
fn limit_setting(part: StreamPart) -> &'static str {
    match part {
        StreamPart::Event => "ClientBuilder::max_event_bytes",
        StreamPart::EventStreamLine | StreamPart::JsonLine => "ClientBuilder::max_line_bytes",
        StreamPart::MultipartPart => "ClientBuilder::max_part_bytes",
    }
}

/// A size for messages: `8 MiB`, `64 KiB`, `100 bytes` (exact: a size that is not a whole number
/// of KiB is written in bytes).
pub(super) fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    match bytes {
        1 => "1 byte".to_owned(),
        n if n >= MIB && n % MIB == 0 => format!("{} MiB", n / MIB),
        n if n >= KIB && n % KIB == 0 => format!("{} KiB", n / KIB),
        n => format!("{n} bytes"),
    }
}

/// An error's message followed by those of its sources, `: `-separated, skipping a message that
/// repeats the one before it (as wrappers often do). The URL is already removed from a
/// [`Error::Connection`]'s source, and the sources below it (hyper's, the OS's) name no URL.
pub(super) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut last = text.clone();
    let mut source = error.source();
    while let Some(e) = source {
        let message = e.to_string();
        if !message.is_empty() && !last.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        last = message;
        source = e.source();
    }
    text
}

/// A non-success response.
#[non_exhaustive]
pub struct ApiError {
    /// The operation id.
    pub operation: &'static str,
    /// The status.
    pub status: StatusCode,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body (lossily decoded as UTF-8): all of it, or its start when it was longer than
    /// the limit (see [`body_truncated_at`](Self::body_truncated_at)).
    pub body: String,
    /// The body parsed as JSON, when it is JSON (never when it was truncated).
    pub json: Option<serde_json::Value>,
    /// `Some(limit)` when the body was longer than the error body limit
    /// ([`ClientBuilder::max_error_body_bytes`](super::ClientBuilder::max_error_body_bytes), 1 MiB
    /// by default): only its first `limit` bytes were read and kept in `body`, and the rest was
    /// never read (the connection was closed instead).
    pub body_truncated_at: Option<usize>,
    /// Attempts made.
    pub attempts: u32,
}

impl ApiError {
    /// Decodes the body as the error type the spec documents for this status (an error when the
    /// body was truncated).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("headers", &ShownHeaders(&self.headers))
            .field("body", &self.body)
            .field("json", &self.json)
            .field("body_truncated_at", &self.body_truncated_at)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// Response headers as `Debug` shows them (in errors, responses and downloads): each name with
/// its value, except the values that can carry a credential or a session, which show as
/// `<redacted>`: those marked sensitive, cookies, `Authorization`-like headers, and any whose
/// name mentions a token, key, secret, session, password, signature or auth (so that a logged
/// error never hands someone the server's `Set-Cookie` or an echoed key). The challenges of a
/// 401 or 407 (`WWW-Authenticate`, `Proxy-Authenticate`) show: they say why a credential was
/// refused and hold none.
pub(crate) struct ShownHeaders<'a>(pub(crate) &'a HeaderMap);

impl ShownHeaders<'_> {
    /// Whether a header's value is hidden (header names are lower case already).
    fn hidden(name: &HeaderName, value: &HeaderValue) -> bool {
        const WORDS: [&str; 9] =
            ["auth", "cookie", "token", "key", "secret", "session", "password", "signature", "credential"];
        let challenge = *name == WWW_AUTHENTICATE || *name == PROXY_AUTHENTICATE;
        value.is_sensitive() || (!challenge && WORDS.iter().any(|word| name.as_str().contains(word)))
    }
}

impl fmt::Debug for ShownHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if Self::hidden(name, value) {
                map.entry(&name.as_str(), &format_args!("<redacted>"));
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: server answered {}", self.operation, self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        let body = self.body.trim();
        if !body.is_empty() {
            write!(f, ": {}", excerpt(body.as_bytes(), 512))?;
        }
        if let Some(limit) = self.body_truncated_at {
            write!(f, " (body cut at the {} limit, ClientBuilder::max_error_body_bytes)", size(limit))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

pub(super) fn excerpt(bytes: &[u8], max: usize) -> String {
    let cut = &bytes[..bytes.len().min(max)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > max {
        s.push('…');
    }
    s
}
