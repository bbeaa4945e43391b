//! Webhooks, the requests the API sends to you (gathered by loading from 3.1's `webhooks` and
//! `x-webhooks` under `x-codegen-webhooks`): each operation of a webhook's path item is an event,
//! with its JSON body's type (lowered as a request body is) and what tells a received request to
//! be it:
//!
//! | source | gives |
//! |---|---|
//! | the operation's `x-webhook-match: {headers: {Name: value}, fields: {name: value}}` (our extension) | exactly those, nothing inferred |
//! | a header parameter whose schema allows one value (`enum: [x]`, `const: x`) | that header with that value |
//! | GitHub's `X-GitHub-Event` parameter with no value, and the operation's `x-github.subcategory` | the header with the subcategory as value |
//! | a required top-level property of the body schema that allows one string (`type: {enum: [batch.cancelled]}`) | that field with that value |
//!
//! Must not: emit code, or decide in which order events are tried (the emitter tries the most
//! specific first).

use std::collections::BTreeSet;

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody};
use serde_json::Value;

use super::Lowerer;
use super::media::is_json;
use super::view::{View, doc_of};
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::load::WEBHOOKS;
use crate::naming::{Style, camel_ident, unique};

/// The extension that says how a webhook's requests are told apart, where the spec cannot.
const MATCH: &str = "x-webhook-match";

impl Lowerer<'_> {
    /// Every webhook's events, in document order; variants unique, never `Unknown`.
    pub(super) fn lower_webhooks(&mut self) -> Result<Vec<Webhook>, Error> {
        let api = self.api;
        let Some(Value::Array(entries)) = api.extensions.get(WEBHOOKS) else { return Ok(Vec::new()) };
        let mut used: BTreeSet<String> = BTreeSet::from(["Unknown".to_owned()]);
        let mut out = Vec::new();
        for entry in entries {
            let (Some(key), Some(name)) =
                (entry.get("key").and_then(Value::as_str), entry.get("name").and_then(Value::as_str))
            else {
                continue;
            };
            let at = Pointer::root().push(key).push(name);
            let item: openapiv3::PathItem = match serde_json::from_value(entry.get("item").cloned().unwrap_or_default())
            {
                Ok(item) => item,
                Err(e) => {
                    // Webhooks generated no code before they became events: a spec whose webhook
                    // is not a path item still generates its client.
                    self.warn(&at, format!("expected a path item ({e}); no event is generated for this webhook"));
                    continue;
                }
            };
            let ops: Vec<(&str, &openapiv3::Operation)> = item.iter().collect();
            for &(method, op) in &ops {
                let op_at = at.push(method);
                let label = if ops.len() == 1 { name.to_owned() } else { format!("{name} {method}") };
                let variant = unique(&mut used, &camel_ident(&label, "Event", "Event"), Style::Camel);
                let id = op.operation_id.clone().unwrap_or_else(|| label.clone());
                let (payload, mut fields) = match &op.request_body {
                    Some(rb) => self.webhook_payload(rb, &op_at, &id, &variant)?,
                    None => (Ty::Json, Vec::new()),
                };
                let mut headers = self.webhook_headers(op, &item, &op_at)?;
                if let Some(rule) = op.extensions.get(MATCH) {
                    (headers, fields) = explicit_match(rule, &op_at.push(MATCH))?;
                }
                out.push(Webhook {
                    name: label,
                    variant,
                    doc: doc_of(op.summary.as_deref(), op.description.as_deref()),
                    payload,
                    headers,
                    fields,
                    pointer: op_at.to_string(),
                });
            }
        }
        Ok(out)
    }

    /// The body's type, and the string tags its schema fixes (required properties of one value).
    fn webhook_payload(
        &mut self,
        rb: &ReferenceOr<RequestBody>,
        at: &Pointer,
        id: &str,
        variant: &str,
    ) -> Result<(Ty, Vec<(String, String)>), Error> {
        let ty = match self.lower_body(rb, at, id, &format!("{variant} Webhook"))? {
            Some(Body { kind: BodyKind::Json(ty), .. }) => ty,
            Some(body) => {
                self.warn(
                    &at.push("requestBody"),
                    format!(
                        "the body of webhook `{id}` is `{}`, not JSON: its event holds it as JSON, if it is",
                        body.media_type
                    ),
                );
                Ty::Json
            }
            None => Ty::Json,
        };
        let b_at = at.push("requestBody");
        let body: RequestBody = self.resolve(rb, &b_at, "a request body")?;
        let Some((media, mt)) = body.content.iter().find(|(m, _)| is_json(m)) else { return Ok((ty, Vec::new())) };
        let Some(schema) = &mt.schema else { return Ok((ty, Vec::new())) };
        let (schema, s_at) = self.resolved(schema, &b_at.push("content").push(media).push("schema"))?;
        let view = View::of(&schema);
        let mut fields = Vec::new();
        for (wire, prop) in view.properties.into_iter().flatten() {
            if !view.required.contains(wire) {
                continue;
            }
            let p_at = s_at.push("properties").push(wire);
            let (prop, _) = self.resolved_boxed(prop, p_at)?;
            if let [Value::String(value)] = View::of(&prop).enumeration.as_slice() {
                fields.push((wire.clone(), value.clone()));
            }
        }
        Ok((ty, fields))
    }

    /// The header fields with one value the webhook's parameters declare (see the table).
    fn webhook_headers(
        &mut self,
        op: &openapiv3::Operation,
        item: &openapiv3::PathItem,
        at: &Pointer,
    ) -> Result<Vec<(String, String)>, Error> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut github_event = false;
        for (i, param) in item.parameters.iter().chain(&op.parameters).enumerate() {
            let p_at = at.push("parameters").push(i);
            let Parameter::Header { parameter_data, .. } = self.resolve(param, &p_at, "a parameter")? else {
                continue;
            };
            let name = parameter_data.name.to_ascii_lowercase();
            let value = match &parameter_data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let (schema, _) = self.resolved(schema, &p_at.push("schema"))?;
                    match View::of(&schema).enumeration.as_slice() {
                        [Value::String(v)] => Some(v.clone()),
                        _ => None,
                    }
                }
                ParameterSchemaOrContent::Content(_) => None,
            };
            match value {
                Some(v) if !out.iter().any(|(n, _)| *n == name) => out.push((name, v)),
                None if name == "x-github-event" => github_event = true,
                _ => {}
            }
        }
        let subcategory = op.extensions.get("x-github").and_then(|g| g.get("subcategory")).and_then(Value::as_str);
        if github_event
            && let Some(event) = subcategory
            && !out.iter().any(|(n, _)| n == "x-github-event")
        {
            out.push(("x-github-event".to_owned(), event.to_owned()));
        }
        Ok(out)
    }
}

/// Names with the one value each must have: headers (lower case) or body fields.
type Pairs = Vec<(String, String)>;

/// `x-webhook-match`: `{headers: {Name: value}, fields: {name: value}}`, strings only.
fn explicit_match(rule: &Value, at: &Pointer) -> Result<(Pairs, Pairs), Error> {
    let pairs = |key: &str, lower: bool| -> Result<Pairs, Error> {
        let Some(map) = rule.get(key) else { return Ok(Vec::new()) };
        let Value::Object(map) = map else {
            return Err(Error::expected(&at.push(key), "a mapping of names to string values", map));
        };
        map.iter()
            .map(|(name, value)| match value {
                Value::String(v) => Ok((if lower { name.to_ascii_lowercase() } else { name.clone() }, v.clone())),
                other => Err(Error::expected(&at.push(key).push(name), "a string", other)),
            })
            .collect()
    };
    if !rule.is_object() {
        return Err(Error::expected(at, "a mapping with `headers` and/or `fields`", rule));
    }
    Ok((pairs("headers", true)?, pairs("fields", false)?))
}

#[cfg(test)]
mod tests {
    /// Extensions in a webhooks map are not webhooks, and a webhook that is not a path item is
    /// warned and left out: the spec still generates, with the other events.
    #[test]
    fn extensions_and_broken_webhooks_do_not_stop_generation() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-webhooks:\n  x-sdk-exclude: true\n  broken: 3\n  created:\n    post:\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n      responses: {'200': {description: ok}}\n";
        let (ir, warnings) = crate::lower_spec(spec, &crate::Options::default()).unwrap();
        let names: Vec<&str> = ir.webhooks.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["created"]);
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            warnings.iter().any(|w| w.starts_with("at #/x-webhooks/broken: expected a path item")),
            "{warnings:#?}"
        );
        assert!(!warnings.iter().any(|w| w.contains("x-sdk-exclude")), "{warnings:#?}");
    }
}
