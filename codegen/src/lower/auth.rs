//! Security: the schemes the client sends (`components.securitySchemes`, the ones a `security`
//! requirement names), their builder methods and environment variables, and the requirements of
//! the document and of each operation, as indices into the schemes.
//!
//! | spec | scheme |
//! |---|---|
//! | `http`, `bearer` | `Authorization: Bearer <token>` |
//! | `http`, `basic` | `Authorization: Basic base64(user:password)` |
//! | `http`, another scheme (`digest`, ...) | sent as bearer, with a warning |
//! | `apiKey` in `header`, `query`, `cookie` | the key under the scheme's `name` there |
//! | `oauth2` with `clientCredentials` | a token fetched from `tokenUrl` (or supplied), as bearer |
//! | `oauth2`, other flows | a token the user supplies, as bearer |
//! | `openIdConnect` | a token the user supplies, as bearer |
//! | `mutualTLS` | removed when loading, with a warning: the client certificate is a client setting (`ClientBuilder::configure_http`) |
//! | `$ref` | not followed: a warning, and the requirements naming it are dropped |
//!
//! A requirement naming a scheme that is missing or skipped is dropped with a warning; an
//! operation left with no requirement sends nothing. Must not: produce tokens, or decide
//! anything the runtime decides at run time (which alternative is configured).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme};

use super::Lowerer;
use crate::error::Pointer;
use crate::ir::{KeyLocation, OpSecurity, Requirements, Scheme, SchemeKind};
use crate::naming::{Style, constant_ident, first_untaken, snake_ident, unique};

/// `ClientBuilder`'s own methods (`templates/runtime/client.rs`), which no scheme's method may take.
pub(crate) const BUILDER_METHODS: &[&str] = &[
    "api_key",
    "base_url",
    "build",
    "configure_http",
    "connect_timeout",
    "deadline",
    "default",
    "default_header",
    "hook",
    "http_client",
    "idle_timeout",
    "max_error_body_bytes",
    "max_event_bytes",
    "max_line_bytes",
    "max_part_bytes",
    "max_reconnects",
    "max_retries",
    "timeout",
];

/// The environment variables the runtime reads itself (after the prefix), which no scheme's may take.
const RESERVED_ENV: &[&str] = &["API_KEY", "BASE_URL", "CUSTOM_HEADERS"];

/// The schemes, by name, while operations are lowered.
#[derive(Debug, Default)]
pub(super) struct SchemeTable {
    pub(super) schemes: Vec<Scheme>,
    index: BTreeMap<String, usize>,
    pub(super) document: Requirements,
}

impl Lowerer<'_> {
    /// Lowers every scheme a requirement names, then the document's requirements.
    pub(super) fn lower_schemes(&mut self) {
        let mut named: Vec<(String, Vec<String>)> = Vec::new();
        // OpenAPI 3.2's `query` and `additionalOperations`, which loading moved to extensions
        // `openapiv3::OpenAPI::operations` does not list.
        let extended: Vec<SecurityRequirement> = self
            .api
            .paths
            .paths
            .values()
            .filter_map(ReferenceOr::as_item)
            .flat_map(|item| {
                let query = item.extensions.get("x-codegen-query");
                let additional = item.extensions.get("x-codegen-additional-operations").and_then(|ops| ops.as_object());
                query.into_iter().chain(additional.into_iter().flat_map(|ops| ops.values()))
            })
            .filter_map(|op| serde_json::from_value::<Vec<SecurityRequirement>>(op.get("security")?.clone()).ok())
            .flatten()
            .collect();
        let all = self
            .api
            .security
            .iter()
            .flatten()
            .chain(self.api.operations().flat_map(|(_, _, op)| op.security.iter().flatten()))
            .chain(&extended);
        for requirement in all {
            for (name, scopes) in requirement {
                match named.iter_mut().find(|(n, _)| n == name) {
                    Some((_, known)) => {
                        known.extend(scopes.iter().filter(|s| !known.contains(s)).cloned().collect::<Vec<_>>())
                    }
                    None => named.push((name.clone(), scopes.clone())),
                }
            }
        }
        let mut table = SchemeTable::default();
        let Some(components) = &self.api.components else {
            self.schemes = table;
            self.schemes.document =
                self.requirements(self.api.security.as_deref().unwrap_or_default(), &Pointer::root().push("security"));
            return;
        };
        let at = Pointer::root().push("components").push("securitySchemes");
        for (name, scheme) in &components.security_schemes {
            let Some((_, scopes)) = named.iter().find(|(n, _)| n == name) else { continue };
            let scheme = match scheme {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.warn(
                        &at.push(name),
                        "a `$ref` security scheme is not followed; the requirements naming it are dropped",
                    );
                    continue;
                }
            };
            let (kind, doc) = self.scheme_kind(scheme, scopes, &at.push(name));
            table.index.insert(name.clone(), table.schemes.len());
            table.schemes.push(Scheme { name: name.clone(), kind, method: None, env: String::new(), doc });
        }
        name_schemes(&mut table.schemes);
        self.schemes = table;
        self.schemes.document =
            self.requirements(self.api.security.as_deref().unwrap_or_default(), &Pointer::root().push("security"));
    }

    /// What a scheme sends, with its description.
    fn scheme_kind(
        &mut self,
        scheme: &SecurityScheme,
        scopes: &[String],
        at: &Pointer,
    ) -> (SchemeKind, Option<String>) {
        match scheme {
            SecurityScheme::HTTP { scheme, description, .. } => {
                let kind = if scheme.eq_ignore_ascii_case("basic") {
                    SchemeKind::Basic
                } else {
                    if !scheme.eq_ignore_ascii_case("bearer") {
                        self.warn(
                            at,
                            format!("HTTP auth scheme `{scheme}` is not supported; the credential is sent as `Authorization: Bearer <token>`"),
                        );
                    }
                    SchemeKind::Bearer
                };
                (kind, description.clone())
            }
            SecurityScheme::APIKey { location, name, description, .. } => {
                let location = match location {
                    APIKeyLocation::Header => KeyLocation::Header,
                    APIKeyLocation::Query => KeyLocation::Query,
                    APIKeyLocation::Cookie => KeyLocation::Cookie,
                };
                (SchemeKind::ApiKey(location, name.clone()), description.clone())
            }
            SecurityScheme::OAuth2 { flows, description, extensions } => {
                let token_url =
                    flows.client_credentials.as_ref().map(|f| f.token_url.clone()).filter(|u| !u.is_empty());
                // OpenAPI 3.2's `oauth2MetadataUrl` (moved here by the 3.2 pass): named in the docs.
                let metadata = extensions
                    .get("x-codegen-oauth2-metadata-url")
                    .and_then(|u| u.as_str())
                    .map(|url| format!("Its authorization server's metadata (RFC 8414): <{url}>."));
                let doc = match (description.clone(), metadata) {
                    (Some(d), Some(m)) => Some(format!("{d}\n\n{m}")),
                    (d, m) => d.or(m),
                };
                (SchemeKind::OAuth2 { token_url, scopes: scopes.to_vec() }, doc)
            }
            SecurityScheme::OpenIDConnect { open_id_connect_url, description, .. } => (
                SchemeKind::OpenIdConnect { url: open_id_connect_url.clone(), scopes: scopes.to_vec() },
                description.clone(),
            ),
        }
    }

    /// A `security` list as indices into the schemes; a requirement naming a scheme the client
    /// cannot send is dropped with a warning.
    fn requirements(&mut self, list: &[SecurityRequirement], at: &Pointer) -> Requirements {
        let mut out = Vec::new();
        for (i, requirement) in list.iter().enumerate() {
            let mut schemes = Vec::new();
            for name in requirement.keys() {
                match self.schemes.index.get(name) {
                    Some(&index) => schemes.push(index),
                    None => {
                        self.warn(
                            &at.push(i.to_string()),
                            format!("security requirement names `{name}`, which is not a scheme the client can send (missing from components.securitySchemes, or skipped); requirement dropped"),
                        );
                        schemes.clear();
                        break;
                    }
                }
            }
            if schemes.is_empty() && !requirement.is_empty() {
                continue;
            }
            if !out.contains(&schemes) {
                out.push(schemes);
            }
        }
        out
    }

    /// What an operation sends: its own `security` (at `at`), else the document's.
    pub(super) fn op_security(&mut self, own: Option<&[SecurityRequirement]>, at: &Pointer) -> OpSecurity {
        let requirements = match own {
            None => self.schemes.document.clone(),
            Some(list) => self.requirements(list, &at.push("security")),
        };
        if requirements.is_empty() || requirements.iter().all(Vec::is_empty) {
            OpSecurity::None
        } else if requirements == self.schemes.document {
            OpSecurity::Document
        } else {
            OpSecurity::Own(requirements)
        }
    }
}

/// Gives each scheme its builder method and environment variable. The spec's only scheme taking
/// one secret (not counting OAuth schemes, which need their methods) keeps `api_key`
/// and `API_KEY`; other schemes get their own, unique names.
fn name_schemes(schemes: &mut [Scheme]) {
    let api_key_sets = |k: &SchemeKind| k.takes_one_secret() && !k.is_oauth();
    let one_secret = schemes.iter().filter(|s| api_key_sets(&s.kind)).count() == 1;
    let mut methods: BTreeSet<String> = BUILDER_METHODS.iter().map(|m| (*m).to_owned()).collect();
    let mut env: BTreeSet<String> = RESERVED_ENV.iter().map(|e| (*e).to_owned()).collect();
    for scheme in schemes {
        if one_secret && api_key_sets(&scheme.kind) {
            scheme.env = "API_KEY".to_owned();
            continue;
        }
        // An OAuth scheme's methods with these suffixes too.
        const SUFFIXES: [&str; 3] = ["_client_credentials", "_token_url", "_token_provider"];
        let taken = |m: &str| methods.contains(m) || SUFFIXES.iter().any(|s| methods.contains(&format!("{m}{s}")));
        let method = first_untaken(&snake_ident(&scheme.name, "scheme"), Style::Snake, taken);
        if scheme.kind.is_oauth() {
            methods.extend(SUFFIXES.iter().map(|s| format!("{method}{s}")));
        }
        methods.insert(method.clone());
        scheme.method = Some(method);
        scheme.env = unique(&mut env, &constant_ident(&scheme.name), Style::Snake);
    }
}

#[cfg(test)]
mod tests {
    use super::BUILDER_METHODS;

    #[test]
    fn builder_methods_are_the_runtime_builders() {
        let runtime = include_str!("../../templates/runtime/client.rs");
        let start = runtime.find("impl ClientBuilder {").unwrap();
        let end = start + runtime[start..].find("\n}\n").unwrap();
        let mut found: Vec<&str> = runtime[start..end]
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub fn "))
            .map(|l| l.split(['(', '<']).next().unwrap())
            .collect();
        found.push("default");
        found.sort_unstable();
        assert_eq!(found, BUILDER_METHODS);
    }
}
