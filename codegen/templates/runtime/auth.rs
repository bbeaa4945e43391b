//! Authentication: the spec's security schemes (`Scheme`, from `crate::SPEC`), the credentials a
//! client holds for them (`Credential`, secrets that never print), and `apply`, which puts the
//! credentials of a call's first satisfied requirement on its request.
//!
//! Which schemes an operation needs is decided by the generator (`Security`, passed by each
//! generated call); this module only chooses among the alternatives at run time, by what is
//! configured. Must not: print or log a secret (`Debug` shows `<redacted>`), or send anything for
//! an operation whose security is empty.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::Error;
use super::client::Inner;
use super::oauth::{Endpoint, TokenCache};

/// A security scheme, as the crate root's `SPEC` lists it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scheme {
    /// Its name in the spec (`bearerAuth`).
    pub(crate) name: &'static str,
    /// What is sent, and where.
    pub(crate) kind: SchemeKind,
    /// The `ClientBuilder` method that sets its credential.
    pub(crate) setter: &'static str,
    /// Its environment variable after the crate's prefix (`API_KEY`); a basic scheme's are this
    /// with `_USERNAME` and `_PASSWORD`.
    pub(crate) env: &'static str,
}

/// What a scheme sends.
#[derive(Clone, Copy, Debug)]
// A crate's `SPEC` constructs some of these; the others are unused in it.
#[allow(dead_code)]
pub(crate) enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2 and OpenID Connect access tokens).
    Bearer,
    /// `Authorization: Basic base64(username:password)`.
    Basic,
    /// The key in the named header.
    Header(&'static str),
    /// The key in the named query parameter.
    Query(&'static str),
    /// The key in the named cookie.
    Cookie(&'static str),
    /// OAuth 2: a bearer token, supplied, or fetched from the client-credentials flow's token URL
    /// (when the spec has that flow) asking for these scopes.
    OAuth2 { token_url: Option<&'static str>, scopes: &'static [&'static str] },
    /// OpenID Connect: a bearer token, supplied, or fetched by the client-credentials flow from
    /// the token endpoint of the discovery document at `url`.
    OpenIdConnect { url: &'static str, scopes: &'static [&'static str] },
}

/// Which of the spec's requirements a call sends: alternatives, each a set of indices into
/// `SPEC.schemes`, the first whose schemes all have credentials being sent.
pub(crate) type Requirements = &'static [&'static [usize]];

/// What a call sends, as the generator decided for its operation.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Security {
    /// No credential (`security: []`).
    None,
    /// The document's requirements (`SPEC.security`).
    Document,
    /// The operation's own requirements.
    Own(Requirements),
}

/// A secret that never shows itself in `Debug` or `Display`.
#[derive(Clone)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// A function returning an access token for each call that needs one (a user's own OAuth flow).
pub(crate) type TokenProvider =
    Arc<dyn Fn() -> super::HookFuture<'static, Result<String, super::HookError>> + Send + Sync>;

/// The credential of one scheme.
#[derive(Clone)]
pub(crate) enum Credential {
    /// A key or a token.
    Secret(Secret),
    /// A user name and password, for HTTP basic.
    Basic { username: String, password: Secret },
    /// An OAuth 2 client's id and secret, exchanged for tokens (see `oauth.rs`).
    ClientCredentials { client_id: String, client_secret: Secret },
    /// A function the call asks for a token (other OAuth 2 flows, run by the user).
    Provider(TokenProvider),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Secret(secret) => f.debug_tuple("Secret").field(secret).finish(),
            Self::Basic { username, password } => {
                f.debug_struct("Basic").field("username", username).field("password", password).finish()
            }
            Self::ClientCredentials { client_id, client_secret } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .finish(),
            Self::Provider(_) => f.write_str("Provider"),
        }
    }
}

// The generated `ClientBuilder` methods of a crate's schemes call only some of these.
#[allow(dead_code)]
impl Credential {
    /// A key or a token.
    pub(crate) fn secret(value: impl Into<String>) -> Self {
        Self::Secret(Secret(value.into()))
    }

    /// A user name and password.
    pub(crate) fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic { username: username.into(), password: Secret(password.into()) }
    }

    /// A function returning a token, asked by each call that needs one.
    pub(crate) fn provider<F, T>(provider: F) -> Self
    where
        F: Fn() -> T + Send + Sync + 'static,
        T: std::future::Future<Output = Result<String, super::HookError>> + Send + 'static,
    {
        Self::Provider(Arc::new(move || Box::pin(provider())))
    }

    /// An OAuth 2 client's id and secret, for the client-credentials flow.
    pub(crate) fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self::ClientCredentials { client_id: client_id.into(), client_secret: Secret(client_secret.into()) }
    }
}

/// The credentials of a client, by scheme index, and the `api_key` every scheme without its
/// own uses.
#[derive(Clone, Debug, Default)]
pub(crate) struct Credentials {
    pub(crate) by_scheme: Vec<Option<Credential>>,
    pub(crate) api_key: Option<Secret>,
    /// The token cache of each client-credentials scheme, made by `start` when the client is built.
    caches: Vec<Option<Arc<TokenCache>>>,
}

impl Credentials {
    /// The credentials the environment sets (`var` reads `<PREFIX>_<name>`): `API_KEY`, and each
    /// scheme's own variable (a basic scheme's `_USERNAME` and `_PASSWORD`). The document's
    /// requirements must be met by them (unless one is empty): otherwise the error names the
    /// variables of the first scheme missing.
    pub(crate) fn from_env(var: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let schemes = crate::SPEC.schemes;
        let mut credentials =
            Self { by_scheme: vec![None; schemes.len()], api_key: var("API_KEY").map(Secret), caches: Vec::new() };
        for (slot, scheme) in credentials.by_scheme.iter_mut().zip(schemes) {
            *slot = match scheme.kind {
                // Its variable is `API_KEY`, read above.
                _ if scheme.env == "API_KEY" => None,
                SchemeKind::Basic => {
                    let (user, password) =
                        (var(&format!("{}_USERNAME", scheme.env)), var(&format!("{}_PASSWORD", scheme.env)));
                    user.zip(password).map(|(u, p)| Credential::basic(u, p))
                }
                SchemeKind::OAuth2 { token_url: Some(_), .. } | SchemeKind::OpenIdConnect { .. } => {
                    let (id, secret) =
                        (var(&format!("{}_CLIENT_ID", scheme.env)), var(&format!("{}_CLIENT_SECRET", scheme.env)));
                    let flow = id.zip(secret).map(|(i, s)| Credential::client_credentials(i, s));
                    flow.or_else(|| var(scheme.env).map(Credential::secret))
                }
                _ => var(scheme.env).map(Credential::secret),
            };
        }
        let document = crate::SPEC.security;
        if document.is_empty() || document.iter().any(|r| r.is_empty() || credentials.satisfies(r, schemes)) {
            return Ok(credentials);
        }
        let prefix = crate::SPEC.env_prefix;
        let missing = document[0].iter().find(|&&i| credentials.get(i).is_none()).map(|&i| &schemes[i]);
        Err(Error::Config(match missing.map(|s| (s.kind, s.env)) {
            Some((SchemeKind::Basic, env)) => {
                format!("{prefix}_{env}_USERNAME and {prefix}_{env}_PASSWORD are not set")
            }
            Some((SchemeKind::OAuth2 { token_url: Some(_), .. } | SchemeKind::OpenIdConnect { .. }, env)) => {
                format!("{prefix}_{env} (or {prefix}_{env}_CLIENT_ID and {prefix}_{env}_CLIENT_SECRET) is not set")
            }
            Some((_, env)) => format!("{prefix}_{env} is not set"),
            None => "no credential is set".to_owned(),
        }))
    }
}

/// What one scheme sends, ready for the request: a header value (sensitive) or a query pair.
enum Prepared<'a> {
    Header(HeaderName, HeaderValue),
    Cookie(&'static str, &'a str),
    Query(&'static str, &'a str),
}

impl Credentials {
    /// The credential of scheme `index`: its own, else the API key (only the key's own scheme's,
    /// when it has one). A basic scheme takes the API
    /// key (as `user:password` already base64-encoded, as `api_key` always took it) only in an
    /// API whose schemes are all basic: otherwise the key is another scheme's.
    fn get(&self, index: usize) -> Option<Credential> {
        if let Some(Some(own)) = self.by_scheme.get(index) {
            return Some(own.clone());
        }
        let schemes = crate::SPEC.schemes;
        // When the key is one scheme's own (the only one taking a key, with no method of its own),
        // it is that scheme's only: given to another (an OAuth 2 scheme listed first), it would be
        // sent where it does not belong and the scheme it is for would go without.
        if let Some(owner) = schemes.iter().position(|s| s.env == "API_KEY") {
            return if owner == index { self.api_key.clone().map(Credential::Secret) } else { None };
        }
        let is_basic = |s: &Scheme| matches!(s.kind, SchemeKind::Basic);
        if schemes.get(index).is_some_and(is_basic) && !schemes.iter().all(is_basic) {
            return None;
        }
        self.api_key.clone().map(Credential::Secret)
    }

    /// Makes the token cache of each client-credentials scheme, at the token URL `token_urls`
    /// gives it or the spec's (a discovery document's, for OpenID Connect).
    pub(crate) fn start(&mut self, token_urls: &[(usize, String)]) -> Result<(), Error> {
        let schemes = crate::SPEC.schemes;
        self.caches = vec![None; self.by_scheme.len()];
        for (index, credential) in self.by_scheme.iter().enumerate() {
            let Some(Credential::ClientCredentials { client_id, client_secret }) = credential else { continue };
            let scheme = &schemes[index];
            let given = token_urls.iter().rev().find(|(i, _)| *i == index).map(|(_, url)| Endpoint::Token(url.clone()));
            let (endpoint, scopes) = match scheme.kind {
                SchemeKind::OAuth2 { token_url, scopes } => {
                    (given.or(token_url.map(|u| Endpoint::Token(u.to_owned()))), scopes)
                }
                SchemeKind::OpenIdConnect { url, scopes } => {
                    (given.or(Some(Endpoint::Discovery(url.to_owned()))), scopes)
                }
                _ => (None, &[][..]),
            };
            let endpoint = endpoint.ok_or_else(|| {
                Error::Config(format!(
                    "security scheme `{}` has no client-credentials flow (no token URL)",
                    scheme.name
                ))
            })?;
            let cache = TokenCache::new(scheme.name, client_id.clone(), client_secret.clone(), endpoint, scopes);
            self.caches[index] = Some(Arc::new(cache));
        }
        Ok(())
    }

    /// Whether every scheme of `requirement` has a credential.
    pub(crate) fn satisfies(&self, requirement: &[usize], schemes: &[Scheme]) -> bool {
        requirement.iter().all(|&i| i < schemes.len() && self.get(i).is_some())
    }
}

/// What `apply` sent that a 401 may refresh: the client-credentials token, with its cache.
#[derive(Default)]
pub(crate) struct Applied {
    token: Option<(Arc<TokenCache>, Secret)>,
}

impl Applied {
    /// After a 401: forgets the token sent and puts a fresh one on `headers`, once per call
    /// (`true`: send again). Without a client-credentials token, or the second time, `false`.
    pub(super) async fn refresh(&mut self, inner: &Inner, headers: &mut HeaderMap) -> Result<bool, Error> {
        let Some(cache) = self.forget().await else { return Ok(false) };
        let fresh = cache.token(&inner.http, &inner.base_url).await?;
        headers.insert(reqwest::header::AUTHORIZATION, bearer(&fresh)?);
        Ok(true)
    }

    /// After a 401, also one that is not answered by sending again (the body cannot be): forgets
    /// the token sent, so that the next call fetches a fresh one instead of reusing it; the cache
    /// it came from, `None` without a client-credentials token or the second time.
    pub(super) async fn forget(&mut self) -> Option<Arc<TokenCache>> {
        let (cache, sent) = self.token.take()?;
        cache.invalidate(&sent).await;
        Some(cache)
    }
}

fn bearer(token: &Secret) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.0))
        .map_err(|_| Error::Config("an access token is not a valid header value".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Puts on the request the credentials of the first requirement of `security` whose schemes all
/// have one (fetching a client-credentials token if it needs one); with none (and no empty
/// requirement allowing anonymous calls), the error names the first scheme missing, before
/// anything is sent.
pub(super) async fn apply(
    inner: &Inner,
    security: Security,
    operation: &'static str,
    headers: &mut HeaderMap,
    url: &mut url::Url,
) -> Result<Applied, Error> {
    let credentials = &inner.credentials;
    let mut applied = Applied::default();
    let schemes = crate::SPEC.schemes;
    let requirements = match security {
        Security::None => return Ok(applied),
        Security::Document => crate::SPEC.security,
        Security::Own(requirements) => requirements,
    };
    let chosen = requirements.iter().find(|r| !r.is_empty() && credentials.satisfies(r, schemes));
    let Some(requirement) = chosen else {
        if requirements.iter().any(|r| r.is_empty()) {
            return Ok(applied);
        }
        let missing = requirements
            .iter()
            .flat_map(|r| r.iter())
            .filter_map(|&i| schemes.get(i).map(|s| (i, s)))
            .find(|(i, _)| credentials.get(*i).is_none());
        let Some((_, scheme)) = missing else { return Ok(applied) };
        return Err(missing_credential(operation, scheme));
    };
    for &index in requirement.iter() {
        let scheme = &schemes[index];
        let Some(mut credential) = credentials.get(index) else { continue };
        if let (Credential::ClientCredentials { .. }, Some(Some(cache))) = (&credential, credentials.caches.get(index))
        {
            let token = cache.token(&inner.http, &inner.base_url).await?;
            applied.token = Some((Arc::clone(cache), token.clone()));
            credential = Credential::Secret(token);
        } else if let Credential::Provider(provider) = &credential {
            let token = provider()
                .await
                .map_err(|e| Error::Auth { scheme: scheme.name, message: format!("the token provider failed: {e}") })?;
            credential = Credential::Secret(Secret(token));
        }
        match prepare(scheme, &credential)? {
            Prepared::Header(name, value) => {
                headers.insert(name, value);
            }
            Prepared::Cookie(name, value) => add_cookie(headers, name, value)?,
            Prepared::Query(name, value) => {
                url.query_pairs_mut().append_pair(name, value);
            }
        }
    }
    Ok(applied)
}

/// The error of a call whose operation needs `scheme` with no credential for it configured.
pub(crate) fn missing_credential(operation: &'static str, scheme: &Scheme) -> Error {
    let prefix = crate::SPEC.env_prefix;
    let env = match scheme.kind {
        SchemeKind::Basic => format!("`{prefix}_{0}_USERNAME` and `{prefix}_{0}_PASSWORD`", scheme.env),
        _ => format!("`{prefix}_{}`", scheme.env),
    };
    Error::MissingCredential {
        operation,
        scheme: scheme.name,
        how: format!("`ClientBuilder::{}`, or {env}", scheme.setter),
    }
}

fn prepare<'a>(scheme: &Scheme, credential: &'a Credential) -> Result<Prepared<'a>, Error> {
    let invalid =
        || Error::Config(format!("the credential of security scheme `{}` is not a valid header value", scheme.name));
    let sensitive = |text: String| {
        let mut value = HeaderValue::from_str(&text).map_err(|_| invalid())?;
        value.set_sensitive(true);
        Ok::<_, Error>(value)
    };
    let authorization = reqwest::header::AUTHORIZATION;
    Ok(match (scheme.kind, credential) {
        (SchemeKind::Basic, Credential::Basic { username, password }) => Prepared::Header(
            authorization,
            sensitive(format!("Basic {}", base64(&format!("{username}:{}", password.0))))?,
        ),
        // A basic scheme given one secret (`api_key`) takes it as `user:password`, encoded already.
        (SchemeKind::Basic, Credential::Secret(key)) => {
            Prepared::Header(authorization, sensitive(format!("Basic {}", key.0))?)
        }
        (_, Credential::Basic { .. } | Credential::ClientCredentials { .. } | Credential::Provider(_)) => {
            return Err(invalid());
        }
        (
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. },
            Credential::Secret(token),
        ) => Prepared::Header(authorization, bearer(token)?),
        (SchemeKind::Header(name), Credential::Secret(key)) => {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid auth header name {name:?}")))?;
            Prepared::Header(name, sensitive(key.0.clone())?)
        }
        (SchemeKind::Cookie(name), Credential::Secret(key)) => Prepared::Cookie(name, &key.0),
        (SchemeKind::Query(name), Credential::Secret(key)) => Prepared::Query(name, &key.0),
    })
}

/// Adds the credential `name=value` to the request's `Cookie` header, which becomes sensitive.
fn add_cookie(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), Error> {
    super::request::append_cookies(headers, [format!("{name}={value}")])
        .map_err(|_| Error::Config(format!("the credential of cookie {name:?} is not a valid cookie value")))?;
    if let Some(cookie) = headers.get_mut(reqwest::header::COOKIE) {
        cookie.set_sensitive(true);
    }
    Ok(())
}

/// Standard base64 with padding (RFC 4648 §4), for HTTP basic credentials.
pub(crate) fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
