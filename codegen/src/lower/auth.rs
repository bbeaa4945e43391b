//! Authentication: the scheme the client uses, from `security` and `components.securitySchemes`.

use openapiv3::{ReferenceOr, SecurityScheme};

use super::Lowerer;
use crate::error::{Error, Pointer};
use crate::ir::Auth;

impl Lowerer<'_> {
    /// The first supported scheme of the first global requirement (else of any operation's).
    pub(super) fn auth(&mut self) -> Result<Option<Auth>, Error> {
        let Some(components) = &self.api.components else { return Ok(None) };
        let requirements = self.api.security.clone().unwrap_or_default();
        let mut candidates: Vec<&String> = requirements.iter().flat_map(|r| r.keys()).collect();
        if candidates.is_empty() {
            // No global requirement: use the first scheme any operation asks for.
            for (_, _, op) in self.api.operations() {
                if let Some(reqs) = &op.security {
                    candidates.extend(reqs.iter().flat_map(|r| r.keys()));
                }
            }
        }
        let at = Pointer::root().push("components").push("securitySchemes");
        for name in candidates {
            let Some(scheme) = components.security_schemes.get(name) else {
                return Err(Error::invalid(
                    &Pointer::root().push("security"),
                    format!("security requirement names `{name}`, which is not in components.securitySchemes"),
                ));
            };
            let scheme = match scheme {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.warn(&at.push(name), "a `$ref` security scheme is not followed; scheme skipped");
                    continue;
                }
            };
            return Ok(Some(match scheme {
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => Auth::Bearer,
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => Auth::Basic,
                SecurityScheme::HTTP { scheme, .. } => {
                    self.warn(
                        &at.push(name),
                        format!("HTTP auth scheme `{scheme}` is not supported; the key is sent as `Authorization: Bearer <key>`"),
                    );
                    Auth::Bearer
                }
                SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Header, name, .. } => {
                    Auth::Header(name.clone())
                }
                SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Query, name, .. } => {
                    Auth::Query(name.clone())
                }
                SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Cookie, .. } => {
                    self.warn(&at.push(name), "API keys in cookies are not supported; scheme skipped");
                    continue;
                }
                SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => Auth::Bearer,
            }));
        }
        Ok(None)
    }
}
