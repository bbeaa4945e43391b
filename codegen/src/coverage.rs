//! What a generation covered: operations per kind of request body and of success response, and
//! operations left out per cause, for the corpus report.

use std::collections::BTreeMap;

use crate::error::Warning;
use crate::ir::{BodyKind, Ir, KeyLocation, OpSecurity, SchemeKind, Success, Ty, TypeKind};

/// Operations per body kind, counted over one spec (or, added up, a corpus).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Operations generated.
    pub operations: usize,
    /// Operations per request body kind: `none`, `json`, `form`, `text`, `multipart`, `binary`.
    pub requests: BTreeMap<&'static str, usize>,
    /// Operations per success response kind: `empty`, `json`, `text`, `sse`, `jsonl`, `binary`.
    pub responses: BTreeMap<&'static str, usize>,
    /// Operations left out, per cause (the warning saying so, with names removed).
    pub skipped: BTreeMap<String, usize>,
    /// Unions by how they are decoded: `tagged` (by a discriminator), `untagged`, and of those
    /// `open branch first`: a branch that keeps values it does not know (an enum's or a tagged
    /// union's fallback, an object's unknown fields) before another branch, which is what
    /// exact-first decoding is for. No union is decoded first-match, so none of them can take a
    /// value another branch matches exactly.
    pub unions: BTreeMap<&'static str, usize>,
    /// Security schemes the requirements name, per type (`http bearer`, `apiKey cookie`, ...), and
    /// those not generated as declared, per the warning that says so (`mutualTLS (warned)`).
    pub schemes: BTreeMap<&'static str, usize>,
    /// Operations whose `security` overrides the document's: with requirements of their own, and
    /// with none (`security: []`) where the document has some.
    pub security_overrides: BTreeMap<&'static str, usize>,
}

impl Coverage {
    pub(crate) fn of(ir: &Ir, warnings: &[Warning]) -> Self {
        let mut c = Coverage { operations: ir.operations.len(), ..Default::default() };
        for op in &ir.operations {
            let request = match op.body.as_ref().map(|b| &b.kind) {
                None => "none",
                Some(BodyKind::Json(_)) => "json",
                Some(BodyKind::Form(_)) => "form",
                Some(BodyKind::Text) => "text",
                Some(BodyKind::Multipart(_)) => "multipart",
                Some(BodyKind::File) => "binary",
                Some(BodyKind::JsonLines(_)) => "json lines",
                Some(BodyKind::PartItems(..)) => "multipart items",
            };
            *c.requests.entry(request).or_default() += 1;
            let response = match op.success {
                Success::Empty => "empty",
                Success::Json(_) => "json",
                Success::Text => "text",
                Success::EventStream(_) => "sse",
                Success::JsonLines(_) => "jsonl",
                Success::Parts(_) => "multipart parts",
                Success::Binary => "binary",
            };
            *c.responses.entry(response).or_default() += 1;
        }
        let open = |ty: &Ty| match ty.direct_id().map(|id| &ir.types.get(id).kind) {
            Some(TypeKind::Enum(_) | TypeKind::Constants(_) | TypeKind::Struct(_)) => true,
            Some(TypeKind::Union(u)) => u.discriminator.is_some(),
            _ => matches!(ty, Ty::Json | Ty::JsonObject),
        };
        for t in &ir.types {
            if let TypeKind::Union(u) = &t.kind {
                if u.discriminator.is_some() {
                    *c.unions.entry("tagged").or_default() += 1;
                    continue;
                }
                *c.unions.entry("untagged").or_default() += 1;
                let earlier = u.variants.split_last().map_or(&[][..], |(_, earlier)| earlier);
                if earlier.iter().any(|v| open(&v.ty)) {
                    *c.unions.entry("untagged, open branch first (decoded exact-first)").or_default() += 1;
                }
            }
        }
        c.count_security(ir, warnings);
        // The lowering states every operation it leaves out as "operation `…` is not generated".
        for w in warnings {
            let text = w.to_string();
            if text.contains("operation `") && text.contains("is not generated") {
                let cause = text.split_once(": ").map_or(text.as_str(), |(_, m)| m);
                *c.skipped.entry(cause.split('`').step_by(2).collect::<Vec<_>>().join("`…`")).or_default() += 1;
            }
        }
        c
    }

    /// The schemes per type and the operations overriding the document's `security`.
    fn count_security(&mut self, ir: &Ir, warnings: &[Warning]) {
        for s in &ir.schemes {
            let kind = match &s.kind {
                SchemeKind::Bearer => "http bearer",
                SchemeKind::Basic => "http basic",
                SchemeKind::ApiKey(KeyLocation::Header, _) => "apiKey header",
                SchemeKind::ApiKey(KeyLocation::Query, _) => "apiKey query",
                SchemeKind::ApiKey(KeyLocation::Cookie, _) => "apiKey cookie",
                SchemeKind::OAuth2 { token_url: Some(_), .. } => "oauth2 client credentials",
                SchemeKind::OAuth2 { token_url: None, .. } => "oauth2 other flows (token supplied)",
                SchemeKind::OpenIdConnect { .. } => "openIdConnect",
            };
            *self.schemes.entry(kind).or_default() += 1;
        }
        let warned = [
            ("mutual TLS is a client setting", "mutualTLS (warned: a client certificate through `configure_http`)"),
            ("HTTP auth scheme `", "http, another scheme (warned: sent as bearer)"),
            ("a `$ref` security scheme is not followed", "`$ref` scheme (warned: skipped)"),
        ];
        for w in warnings {
            let text = w.to_string();
            if let Some((_, key)) = warned.iter().find(|(needle, _)| text.contains(needle)) {
                *self.schemes.entry(key).or_default() += 1;
            }
        }
        let document = ir.security.iter().any(|r| !r.is_empty());
        for op in &ir.operations {
            let key = match op.security {
                OpSecurity::Own(_) if document => "own requirements, other than the document's",
                OpSecurity::Own(_) => "own requirements, the document has none",
                OpSecurity::None if document => "none (`security: []`) where the document has some",
                _ => continue,
            };
            *self.security_overrides.entry(key).or_default() += 1;
        }
    }

    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Coverage) {
        self.operations += other.operations;
        for (k, v) in &other.requests {
            *self.requests.entry(k).or_default() += v;
        }
        for (k, v) in &other.responses {
            *self.responses.entry(k).or_default() += v;
        }
        for (k, v) in &other.skipped {
            *self.skipped.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.unions {
            *self.unions.entry(k).or_default() += v;
        }
        for (k, v) in &other.schemes {
            *self.schemes.entry(k).or_default() += v;
        }
        for (k, v) in &other.security_overrides {
            *self.security_overrides.entry(k).or_default() += v;
        }
    }
}
