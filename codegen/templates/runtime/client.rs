//! Configuration and authentication: what the crate root tells the runtime about the API
//! (`Spec`, `Auth`), the defaults, the API key, and `ClientBuilder` and `Client`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::Error;
use super::auth::{Credential, Credentials, Requirements, Scheme, SchemeKind, Secret};
use super::hooks::{Hook, Hooks};

/// What the runtime needs to know about the API.
pub(crate) struct Spec {
    /// Prefix of the environment variables (`<PREFIX>_API_KEY`, ...).
    pub(crate) env_prefix: &'static str,
    /// The first server in the spec.
    pub(crate) default_base_url: Option<&'static str>,
    /// The security schemes the spec's requirements name.
    pub(crate) schemes: &'static [Scheme],
    /// The document's requirements: what operations without their own send.
    pub(crate) security: Requirements,
}

/// The default timeout of one attempt, as in the official SDKs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default idle timeout of an event stream, a JSON Lines stream or a download: the longest
/// wait for the next chunk of the body once the response headers arrived.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 5;
/// The first backoff delay; it doubles per retry up to [`MAX_BACKOFF`].
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The longest computed backoff delay.
pub const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// `Retry-After` / `retry-after-ms` values above this are not trusted; the computed backoff is used.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The default limit of one line of an event stream or a JSON Lines stream, in bytes: 8 MiB.
// Real lines are bytes to kilobytes (a token delta, a log record); the largest legitimate ones
// carry a whole document or an image as base64 (a 4 MiB image is 5.3 MiB of base64), which 8 MiB
// still holds. Beyond that, a line is far more likely a server that never sends its line end,
// and each stream holds at most one line and one event's data: 16 MiB at the defaults.
pub const DEFAULT_MAX_LINE_BYTES: usize = 8 * 1024 * 1024;
/// The default limit of the data of one server-sent event (its `data:` lines joined), in bytes:
/// 8 MiB, as one line, so that an event of one data line is limited by the line limit alone.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;
/// The default limit of one part of a `multipart/mixed` response (its headers and its content),
/// in bytes: 8 MiB, as one line of a stream. A part is decoded whole, so the stream holds one
/// part at a time, within this.
pub const DEFAULT_MAX_PART_BYTES: usize = 8 * 1024 * 1024;
/// The default limit of an error response's body that is read and kept in [`ApiError::body`], in
/// bytes: 1 MiB.
///
/// [`ApiError::body`]: super::ApiError::body
// An error document is a message, a code and perhaps a list of field errors: hundreds of bytes to
// a few KiB, and a proxy's HTML error page some tens of KiB. 1 MiB keeps any of them whole, while
// an `Error`, which callers keep, log and send across threads, never holds more, whatever a
// misbehaving server sends with a 500.
pub const DEFAULT_MAX_ERROR_BODY_BYTES: usize = 1024 * 1024;
/// The default number of times a dropped event stream is reconnected in a row without receiving
/// an event in between (see [`RequestBuilder::max_reconnects`]).
///
/// [`RequestBuilder::max_reconnects`]: super::RequestBuilder::max_reconnects
// As many as the retries of one call: a connection that drops again five times in a row before
// any event comes is a server that cannot serve the stream now, not a network blip.
pub const DEFAULT_MAX_RECONNECTS: u32 = 5;
/// The request header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "x-request-id";

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    credentials: Credentials,
    /// Token URLs set for client-credentials schemes, by scheme index.
    token_urls: Vec<(usize, String)>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    max_retries: Option<u32>,
    deadline: Option<Duration>,
    max_line_bytes: Option<usize>,
    max_event_bytes: Option<usize>,
    max_part_bytes: Option<usize>,
    max_error_body_bytes: Option<usize>,
    max_reconnects: Option<u32>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    configure_http: Option<ConfigureHttp>,
    hooks: Hooks,
}

/// A change to the `reqwest::ClientBuilder` the client's HTTP client is built with.
type ConfigureHttp = Box<dyn FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send>;

impl fmt::Debug for ClientBuilder {
    /// Header names only: a default header may carry a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.credentials.api_key)
            .field("credentials", &configured(&self.credentials))
            .field("base_url", &self.base_url.as_deref().map(redacted_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_retries", &self.max_retries)
            .field("deadline", &self.deadline)
            .field("max_line_bytes", &self.max_line_bytes)
            .field("max_event_bytes", &self.max_event_bytes)
            .field("max_part_bytes", &self.max_part_bytes)
            .field("max_error_body_bytes", &self.max_error_body_bytes)
            .field("max_reconnects", &self.max_reconnects)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("http", &self.http.is_some())
            .field("configure_http", &self.configure_http.is_some())
            .field("hooks", &self.hooks.len())
            .finish()
    }
}

impl ClientBuilder {
    /// The API key (sent as the spec's security scheme requires): the credential of the one scheme
    /// that takes a key and has no method of its own, when there is one; otherwise of every scheme
    /// that takes one key or token (bearer, API key, OAuth 2 or OpenID Connect token) and has none
    /// of its own.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.credentials.api_key = Some(Secret(key.into()));
        self
    }

    /// The credential of the spec's scheme `index` (what the crate root's per-scheme methods set).
    // Only crates with more than one scheme, or one that is not a key, have such methods.
    #[allow(dead_code)]
    pub(crate) fn credential(mut self, index: usize, credential: Credential) -> Self {
        if self.credentials.by_scheme.len() <= index {
            self.credentials.by_scheme.resize(index + 1, None);
        }
        self.credentials.by_scheme[index] = Some(credential);
        self
    }

    /// The token URL of the client-credentials scheme `index`, in place of the spec's.
    // Only crates with a client-credentials scheme have the method that calls it.
    #[allow(dead_code)]
    pub(crate) fn token_url(mut self, index: usize, url: impl Into<String>) -> Self {
        self.token_urls.push((index, url.into()));
        self
    }

    /// The base URL; default: the spec's first server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The timeout of each attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The idle timeout of streams and downloads (default 60 s): how long to wait for the next
    /// chunk once the response headers arrived. See [`RequestBuilder::idle_timeout`](super::RequestBuilder::idle_timeout).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// The connect timeout (default 5 s); ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt (default 5).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An overall deadline for a call, across all attempts and backoff (default: none).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The longest line an event stream or a JSON Lines stream may send, in bytes (default
    /// 8 MiB). A longer line ends the stream with [`Error::LimitExceeded`] as soon as it passes
    /// the limit: the rest of it is never read. Per call: [`RequestBuilder::max_line_bytes`](super::RequestBuilder::max_line_bytes).
    pub fn max_line_bytes(mut self, max: usize) -> Self {
        self.max_line_bytes = Some(max);
        self
    }

    /// The most data one server-sent event may carry, in bytes: its `data:` lines joined with
    /// `\n` (default 8 MiB). More ends the stream with [`Error::LimitExceeded`]. Per call:
    /// [`RequestBuilder::max_event_bytes`](super::RequestBuilder::max_event_bytes).
    pub fn max_event_bytes(mut self, max: usize) -> Self {
        self.max_event_bytes = Some(max);
        self
    }

    /// The largest part a `multipart/mixed` response may send, in bytes: its headers and its
    /// content (default 8 MiB). A larger part ends the stream with [`Error::LimitExceeded`] as
    /// soon as it passes the limit: the rest is never read. Per call:
    /// [`RequestBuilder::max_part_bytes`](super::RequestBuilder::max_part_bytes).
    pub fn max_part_bytes(mut self, max: usize) -> Self {
        self.max_part_bytes = Some(max);
        self
    }

    /// How much of an error response's body is read and kept in [`ApiError`](super::ApiError),
    /// in bytes (default 1 MiB). The rest of a longer body is not read, and
    /// [`ApiError::body_truncated_at`](super::ApiError::body_truncated_at) says so. Per call:
    /// [`RequestBuilder::max_error_body_bytes`](super::RequestBuilder::max_error_body_bytes).
    pub fn max_error_body_bytes(mut self, max: usize) -> Self {
        self.max_error_body_bytes = Some(max);
        self
    }

    /// How many times in a row a dropped event stream is reconnected before its error is
    /// returned (default 5; `0` never reconnects). Per call: [`RequestBuilder::max_reconnects`](super::RequestBuilder::max_reconnects),
    /// which says when a stream is resumed.
    pub fn max_reconnects(mut self, max: u32) -> Self {
        self.max_reconnects = Some(max);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Your own `reqwest::Client` (proxies, TLS roots, connection pool settings), used as given:
    /// its redirect policy, timeouts and `Referer` setting are its own, so a client that follows
    /// redirects to other origins sends them what your default headers hold. To keep the client's
    /// own settings and change others, use [`configure_http`](Self::configure_http).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adjusts the `reqwest::ClientBuilder` the client's HTTP client is built with, after the
    /// client set its connect timeout and redirect policy: a client certificate for mutual TLS
    /// (the spec's `mutualTLS` schemes), extra root certificates, a proxy. Not together with
    /// [`http_client`](Self::http_client), whose client is used as given.
    ///
    /// ```no_run
    /// # fn run(pem: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    /// // A certificate and its private key, PEM-encoded (with the default `rustls` feature).
    /// let identity = crate_name::reqwest::Identity::from_pem(pem)?;
    /// let client = crate_name::Client::builder().configure_http(|http| http.identity(identity)).build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn configure_http(
        mut self,
        configure: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + 'static,
    ) -> Self {
        self.configure_http = Some(Box::new(configure));
        self
    }

    /// A [`Hook`] run around every attempt of every call (after those registered before it, and
    /// before any registered on the call itself): to sign requests, add headers, or record
    /// metrics. A client without hooks does no hook work at all.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Builds the client, validating the base URL and headers.
    pub fn build(self) -> Result<Client, Error> {
        let base = self
            .base_url
            .or_else(|| crate::SPEC.default_base_url.map(str::to_owned))
            .ok_or_else(|| Error::Config("no base URL: the spec names no server; set one with `base_url`".into()))?;
        let shown = redacted_url(&base);
        let base_url = url::Url::parse(&base).map_err(|e| Error::Config(format!("base URL {shown:?}: {e}")))?;
        if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base URL {shown:?} must be an http(s) URL")));
        }
        let mut credentials = self.credentials;
        credentials.start(&self.token_urls)?;
        let mut headers = HeaderMap::new();
        let user_agent = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"), " (rust)");
        headers.insert(reqwest::header::USER_AGENT, HeaderValue::from_static(user_agent));
        for (name, value) in self.headers {
            let (name, value) = header_pair(&name, &value).map_err(Error::Config)?;
            headers.insert(name, value);
        }
        let http = match (self.http, self.configure_http) {
            (Some(_), Some(_)) => {
                let message = "`configure_http` and `http_client` were both set: configure the client you pass";
                return Err(Error::Config(message.into()));
            }
            (Some(http), None) => http,
            (None, configure) => {
                // No `Referer` on a redirect: it is the previous URL with its query, which may
                // hold a query-parameter key, sent to wherever the redirect leads.
                let builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .redirect(redirect_policy())
                    .referer(false);
                let builder = match configure {
                    Some(configure) => configure(builder),
                    None => builder,
                };
                builder.build().map_err(|e| Error::Config(format!("HTTP client: {}", e.without_url())))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                headers,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                idle_timeout: self.idle_timeout.unwrap_or(DEFAULT_IDLE_TIMEOUT),
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                deadline: self.deadline,
                max_line_bytes: self.max_line_bytes.unwrap_or(DEFAULT_MAX_LINE_BYTES),
                max_event_bytes: self.max_event_bytes.unwrap_or(DEFAULT_MAX_EVENT_BYTES),
                max_part_bytes: self.max_part_bytes.unwrap_or(DEFAULT_MAX_PART_BYTES),
                max_error_body_bytes: self.max_error_body_bytes.unwrap_or(DEFAULT_MAX_ERROR_BODY_BYTES),
                max_reconnects: self.max_reconnects.unwrap_or(DEFAULT_MAX_RECONNECTS),
                hooks: self.hooks,
            }),
        })
    }
}

/// Same scheme, host and port (a default port written or not): where the API key may go.
pub(super) fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// Redirects are followed (up to 10) except where the key would go along to another origin.
/// reqwest drops `Authorization` on a redirect to another host, but not a key in a header of
/// another name: with such a scheme, a redirect that leaves the origin is not followed, and the
/// 3xx response is returned as an error.
fn redirect_policy() -> reqwest::redirect::Policy {
    let key_in_header = crate::SPEC.schemes.iter().any(|s| matches!(s.kind, SchemeKind::Header(_)));
    match key_in_header {
        true => reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt.previous().last().is_some_and(|previous| same_origin(previous, attempt.url()));
            if attempt.previous().len() > 10 {
                attempt.error("too many redirects")
            } else if same_origin {
                attempt.follow()
            } else {
                attempt.stop()
            }
        }),
        false => reqwest::redirect::Policy::limited(10),
    }
}

/// A URL as errors and `Debug` show it: credentials in its user info (`https://user:secret@host`,
/// `https://token@host`) replaced by `***`, also when it does not parse.
pub(crate) fn redacted_url(raw: &str) -> String {
    if let Ok(mut url) = url::Url::parse(raw) {
        if url.username().is_empty() && url.password().is_none() {
            return raw.to_owned();
        }
        if url.set_username("***").is_ok() && url.set_password(None).is_ok() {
            return url.to_string();
        }
    }
    // Not a URL the parser takes: hide whatever sits between the scheme and an `@` in the
    // authority.
    let Some((scheme, rest)) = raw.split_once("://") else { return raw.to_owned() };
    let authority = rest.find(['/', '?', '#']).map_or(rest, |end| &rest[..end]);
    match authority.rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => raw.to_owned(),
    }
}

pub(super) fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let n = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| format!("invalid header name {name:?}"))?;
    let v = HeaderValue::from_str(value.trim()).map_err(|_| format!("invalid value for header {name:?}"))?;
    Ok((n, v))
}

/// The API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: url::Url,
    pub(super) credentials: Credentials,
    pub(super) headers: HeaderMap,
    pub(super) timeout: Duration,
    pub(super) idle_timeout: Duration,
    pub(super) max_retries: u32,
    pub(super) deadline: Option<Duration>,
    pub(super) max_line_bytes: usize,
    pub(super) max_event_bytes: usize,
    pub(super) max_part_bytes: usize,
    pub(super) max_error_body_bytes: usize,
    pub(super) max_reconnects: u32,
    pub(super) hooks: Hooks,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &redacted_url(i.base_url.as_str()))
            .field("api_key", &i.credentials.api_key)
            .field("credentials", &configured(&i.credentials))
            .field("timeout", &i.timeout)
            .field("idle_timeout", &i.idle_timeout)
            .field("max_retries", &i.max_retries)
            .field("deadline", &i.deadline)
            .field("max_line_bytes", &i.max_line_bytes)
            .field("max_event_bytes", &i.max_event_bytes)
            .field("max_part_bytes", &i.max_part_bytes)
            .field("max_error_body_bytes", &i.max_error_body_bytes)
            .field("max_reconnects", &i.max_reconnects)
            .field("default_headers", &i.headers.keys().map(HeaderName::as_str).collect::<Vec<_>>())
            .field("hooks", &i.hooks.len())
            .finish()
    }
}

impl Client {
    /// A builder with nothing set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the spec's default server with this API key.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// The builder `Client::from_env` uses: `<PREFIX>_API_KEY` and each scheme's variables (see
    /// `Credentials::from_env`), `<PREFIX>_BASE_URL`, and `<PREFIX>_CUSTOM_HEADERS`
    /// (newline-separated `Name: value` pairs). `from_env` and
    /// `builder_from_env` themselves are emitted at the crate root, so their docs can name the
    /// crate's real variables.
    pub(crate) fn env_builder() -> Result<ClientBuilder, Error> {
        let prefix = crate::SPEC.env_prefix;
        let var = |name: &str| std::env::var(format!("{prefix}_{name}")).ok().filter(|v| !v.trim().is_empty());
        let mut builder = Self::builder();
        builder.credentials = Credentials::from_env(&var)?;
        if let Some(url) = var("BASE_URL") {
            builder = builder.base_url(url);
        }
        if let Some(headers) = var("CUSTOM_HEADERS") {
            for (n, line) in headers.lines().enumerate().map(|(n, l)| (n + 1, l.trim())).filter(|(_, l)| !l.is_empty())
            {
                // The line itself is not shown: a header value may be a secret.
                let (name, value) = line.split_once(':').ok_or_else(|| {
                    Error::Config(format!(
                        "{prefix}_CUSTOM_HEADERS: line {n} is not `Name: value` (its text is not shown: header values may be secrets)"
                    ))
                })?;
                builder = builder.default_header(name, value);
            }
        }
        Ok(builder)
    }

    /// The base URL requests go to, as configured (with any credentials it holds; `Debug` and
    /// errors show it with them replaced by `***`).
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// A request to an endpoint the spec does not describe (or describes differently), with the
    /// same authentication, headers, timeouts, retry rules, idempotency key, tracing and hooks as
    /// generated calls: see [`RawRequest`](super::RawRequest). `path` is appended to the base
    /// URL's path (a `/` is added before it if missing) and never changes its host; one with a
    /// `?` or `#` (query parameters go through [`RawRequest::query`](super::RawRequest::query))
    /// or a `.`/`..` segment is refused with [`Error::InvalidRequest`](super::Error::InvalidRequest).
    pub fn request(&self, method: Method, path: &str) -> super::RawRequest {
        super::RawRequest::new(self, method, path)
    }
}

/// The names of the schemes with a credential of their own, for `Debug` (never the credential).
fn configured(credentials: &Credentials) -> Vec<&'static str> {
    let configured = credentials.by_scheme.iter().enumerate().filter(|(_, c)| c.is_some());
    configured.filter_map(|(i, _)| crate::SPEC.schemes.get(i).map(|s| s.name)).collect()
}
