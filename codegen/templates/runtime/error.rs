//! What can go wrong with a call: `Error`, and `ApiError` for a non-success response.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

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
#[derive(Debug)]
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
    /// The raw body (lossily decoded as UTF-8).
    pub body: String,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<serde_json::Value>,
    /// Attempts made.
    pub attempts: u32,
}

impl ApiError {
    /// Decodes the body as the error type the spec documents for this status.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
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
