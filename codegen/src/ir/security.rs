//! Security: the schemes a client can send (`components.securitySchemes`, those the document's
//! or an operation's `security` names) and which of them each operation needs.

/// A security scheme the client sends, as the spec declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheme {
    /// Its key in `components.securitySchemes` (`bearerAuth`): what errors and docs call it.
    pub name: String,
    /// What is sent and how.
    pub kind: SchemeKind,
    /// The `ClientBuilder` method that sets its credential (`petstore_auth`), unique among the
    /// builder's methods; `None` for the spec's only scheme taking one secret, which `api_key` sets.
    pub method: Option<String>,
    /// The environment variable's name after the crate's prefix (`API_KEY` for the scheme
    /// `api_key` sets, else the scheme's name in SHOUTY_SNAKE_CASE); basic and client-credentials
    /// schemes add `_USERNAME`/`_PASSWORD` and `_CLIENT_ID`/`_CLIENT_SECRET` to it.
    pub env: String,
    /// The spec's `description`.
    pub doc: Option<String>,
}

/// How a scheme's credential is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP `bearer`).
    Bearer,
    /// `Authorization: Basic base64(user:password)` (HTTP `basic`).
    Basic,
    /// An API key in a header, a query parameter or a cookie of this name.
    ApiKey(KeyLocation, String),
    /// OAuth 2: an access token sent as a bearer token. With a client-credentials flow, the client
    /// fetches the token itself from `token_url` (asking for `scopes`); with other flows only, the
    /// user supplies it.
    OAuth2 {
        /// The client-credentials flow's `tokenUrl`, if the scheme has that flow.
        token_url: Option<String>,
        /// The scopes the spec's requirements ask of this scheme, in the order first named.
        scopes: Vec<String>,
    },
    /// OpenID Connect: an access token sent as a bearer token, supplied, or fetched by the
    /// client-credentials flow from the token endpoint of the discovery document at `url`.
    OpenIdConnect {
        /// `openIdConnectUrl`.
        url: String,
        /// The scopes the spec's requirements ask of this scheme, in the order first named.
        scopes: Vec<String>,
    },
}

impl SchemeKind {
    /// Whether its credential is one secret (a token or a key), which `api_key` may set.
    pub fn takes_one_secret(&self) -> bool {
        !matches!(self, Self::Basic)
    }

    /// Whether it is OAuth 2 or OpenID Connect: its token may also come from a provider function.
    pub fn is_oauth(&self) -> bool {
        matches!(self, Self::OAuth2 { .. } | Self::OpenIdConnect { .. })
    }

    /// Whether the client can fetch its tokens itself (OAuth 2 client credentials, also through
    /// OpenID Connect discovery), given a client id and secret.
    pub fn client_credentials(&self) -> bool {
        matches!(self, Self::OAuth2 { token_url: Some(_), .. } | Self::OpenIdConnect { .. })
    }
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie (in the `Cookie` header).
    Cookie,
}

/// A `security` list: alternatives, the first one whose schemes all have credentials is sent;
/// each is a set of indices into `Ir::schemes`, all of them sent together. An empty alternative
/// means no credential is needed.
pub type Requirements = Vec<Vec<usize>>;

/// What an operation sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpSecurity {
    /// Nothing: `security: []`, or no requirement in the document.
    None,
    /// The document's requirements (`Ir::security`), not empty.
    Document,
    /// Its own requirements, which differ from the document's.
    Own(Requirements),
}
