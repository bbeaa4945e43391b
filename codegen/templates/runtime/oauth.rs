//! OAuth 2 client credentials (RFC 6749 §4.4), also behind an OpenID Connect discovery document:
//! the access token is fetched when a call first needs it, cached, and fetched again
//! [`TOKEN_REFRESH_MARGIN`] before it expires; concurrent calls share one fetch (they wait on the
//! cache's lock, which the fetching call holds). A call answered 401 invalidates the token it sent
//! (`invalidate`, only if no other call replaced it already) so that the request loop's one
//! retry gets a fresh one.
//!
//! Must not: print the client secret or a token (`Secret`), retry a failing token endpoint itself
//! (its failure is `Error::Auth` for the call), or follow a token URL from anywhere but the spec,
//! the discovery document or the builder.

use std::fmt;
use std::time::{Duration, Instant};

use super::Error;
use super::auth::Secret;

/// How long before a token's expiry it is fetched again (half its lifetime for a shorter-lived
/// token), so that a call never sends a token that expires on the way.
pub const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Where the token endpoint is: given, or read from an OpenID Connect discovery document.
#[derive(Clone, Debug)]
pub(crate) enum Endpoint {
    /// The token URL (the spec's `tokenUrl`, or the builder's).
    Token(String),
    /// The discovery document's URL (`openIdConnectUrl`), whose `token_endpoint` is used.
    Discovery(String),
}

/// A cached token: the secret and when to fetch another (`None`: it did not say it expires).
struct Token {
    access: Secret,
    refresh_at: Option<Instant>,
}

/// The client-credentials flow of one scheme, shared by the clients built from one builder.
pub(crate) struct TokenCache {
    scheme: &'static str,
    client_id: String,
    client_secret: Secret,
    endpoint: Endpoint,
    scopes: &'static [&'static str],
    /// The current token; the lock is held across a fetch, so concurrent callers wait for it.
    token: tokio::sync::Mutex<Option<Token>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("scheme", &self.scheme)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    pub(crate) fn new(
        scheme: &'static str,
        client_id: String,
        client_secret: Secret,
        endpoint: Endpoint,
        scopes: &'static [&'static str],
    ) -> Self {
        Self { scheme, client_id, client_secret, endpoint, scopes, token: tokio::sync::Mutex::new(None) }
    }

    /// The current token, fetched first if there is none or it is about to expire.
    pub(crate) async fn token(&self, http: &reqwest::Client, base: &url::Url) -> Result<Secret, Error> {
        let mut token = self.token.lock().await;
        if let Some(t) = token.as_ref().filter(|t| t.refresh_at.is_none_or(|at| Instant::now() < at)) {
            return Ok(t.access.clone());
        }
        let fresh = self.fetch(http, base).await?;
        let access = fresh.access.clone();
        *token = Some(fresh);
        Ok(access)
    }

    /// Forgets `sent` (a 401 refused it), unless another call replaced it already.
    pub(crate) async fn invalidate(&self, sent: &Secret) {
        let mut token = self.token.lock().await;
        if token.as_ref().is_some_and(|t| t.access.0 == sent.0) {
            *token = None;
        }
    }

    fn failed(&self, message: String) -> Error {
        Error::Auth { scheme: self.scheme, message }
    }

    async fn fetch(&self, http: &reqwest::Client, base: &url::Url) -> Result<Token, Error> {
        let url = match &self.endpoint {
            Endpoint::Token(url) => self.resolve(base, url)?,
            Endpoint::Discovery(url) => self.discover(http, base, url).await?,
        };
        // Built before any await: the serializer is not `Sync`.
        let form = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials");
            if !self.scopes.is_empty() {
                form.append_pair("scope", &self.scopes.join(" "));
            }
            form.finish()
        };
        // RFC 6749 §2.3.1: the client's id and secret, form-encoded, as HTTP basic credentials.
        let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let basic = super::auth::base64(&format!("{}:{}", encode(&self.client_id), encode(&self.client_secret.0)));
        let mut authorization = reqwest::header::HeaderValue::from_str(&format!("Basic {basic}"))
            .map_err(|_| self.failed("the client id or secret is not a valid header value".into()))?;
        authorization.set_sensitive(true);
        let started = Instant::now();
        let response = http
            .post(url)
            .timeout(TOKEN_REQUEST_TIMEOUT)
            .header(reqwest::header::AUTHORIZATION, authorization)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form)
            .send()
            .await
            .map_err(|e| {
                self.failed(format!(
                    "the token endpoint could not be reached: {}",
                    super::error::error_chain(&e.without_url())
                ))
            })?;
        let status = response.status();
        let body = self.bounded_body(response, "the token response").await?;
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if !status.is_success() {
            // RFC 6749 §5.2's `error` code only, and only when it is one (a short token of the
            // characters §5.2 allows): the description, or anything else, may echo what was sent.
            let code = json.get("error").and_then(|e| e.as_str()).filter(|e| is_error_code(e));
            let code = code.map(|e| format!(" ({e})")).unwrap_or_default();
            return Err(self.failed(format!("the token endpoint answered {status}{code}")));
        }
        let access = json.get("access_token").and_then(|t| t.as_str()).filter(|t| !t.is_empty());
        let access = access.ok_or_else(|| self.failed("the token response has no `access_token`".into()))?;
        // A number, or (as some servers send it) a number in a string.
        let lifetime = json
            .get("expires_in")
            .and_then(|e| e.as_f64().or_else(|| e.as_str().and_then(|s| s.trim().parse().ok())))
            .filter(|s: &f64| s.is_finite() && *s >= 0.0);
        let refresh_at = lifetime.map(|secs| {
            let lifetime = Duration::from_secs_f64(secs.min(1e9));
            started + lifetime.saturating_sub(TOKEN_REFRESH_MARGIN.min(lifetime / 2))
        });
        Ok(Token { access: Secret(access.to_owned()), refresh_at })
    }

    /// A token or discovery URL from the spec, absolute or relative to the base URL.
    fn resolve(&self, base: &url::Url, url: &str) -> Result<url::Url, Error> {
        base.join(url).map_err(|e| self.failed(format!("the token URL {url:?} is not a URL: {e}")))
    }

    /// The `token_endpoint` of the OpenID Connect discovery document at `url`. Both must be
    /// `https` (or `http` to a loopback address, for tests and local servers): the client's
    /// secret is sent to the endpoint the document names.
    async fn discover(&self, http: &reqwest::Client, base: &url::Url, url: &str) -> Result<url::Url, Error> {
        let url = self.resolve(base, url)?;
        let failed = |what: String| self.failed(format!("the OpenID Connect discovery document: {what}"));
        if !secure(&url) {
            return Err(failed("its URL is not https".into()));
        }
        let response = http
            .get(url.clone())
            .timeout(TOKEN_REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| failed(super::error::error_chain(&e.without_url())))?;
        if !response.status().is_success() {
            return Err(failed(format!("answered {}", response.status())));
        }
        let body = self.bounded_body(response, "the OpenID Connect discovery document").await?;
        let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| failed(format!("not JSON: {e}")))?;
        let endpoint = json.get("token_endpoint").and_then(|e| e.as_str());
        let endpoint = endpoint.ok_or_else(|| failed("no `token_endpoint`".into()))?;
        let endpoint = url.join(endpoint).map_err(|e| failed(format!("`token_endpoint` is not a URL: {e}")))?;
        if !secure(&endpoint) {
            return Err(failed("its `token_endpoint` is not https".into()));
        }
        Ok(endpoint)
    }

    /// A token or discovery response's body, at most [`MAX_TOKEN_RESPONSE_BYTES`].
    async fn bounded_body(&self, response: reqwest::Response, what: &str) -> Result<bytes::Bytes, Error> {
        let (body, cut) = super::request::read_error_body(response, MAX_TOKEN_RESPONSE_BYTES)
            .await
            .map_err(|e| self.failed(format!("reading {what}: {}", e.without_url())))?;
        match cut {
            Some(_) => Err(self.failed(format!("{what} is larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"))),
            None => Ok(body),
        }
    }
}

/// How long a token or discovery request may take, its body included: it runs before the call's
/// own attempt, and holds back every call of its scheme while it runs.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest token or discovery response read: a few KiB in practice.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;

/// Whether a URL may carry the client's secret: `https`, or `http` to a loopback address.
fn secure(url: &url::Url) -> bool {
    match url.host() {
        _ if url.scheme() == "https" => true,
        Some(url::Host::Ipv4(ip)) => url.scheme() == "http" && ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => url.scheme() == "http" && ip.is_loopback(),
        Some(url::Host::Domain(host)) => url.scheme() == "http" && host == "localhost",
        None => false,
    }
}

/// Whether `code` reads as an RFC 6749 §5.2 `error` code: 1 to 64 printable ASCII characters
/// other than the double quote and the backslash.
fn is_error_code(code: &str) -> bool {
    (1..=64).contains(&code.len()) && code.bytes().all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\')
}
