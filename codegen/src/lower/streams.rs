//! Bodies that are not one JSON value: event streams, JSON Lines, `multipart/*` parts and binary
//! responses, and `multipart/*` and raw request bodies. Media types come from [`super::media`].
//!
//! | media type | request | response |
//! |---|---|---|
//! | `text/event-stream` | raw (warning) | `EventStream<T>`: `T` from `itemSchema`, else `schema`; `String` without one |
//! | JSON Lines | items (`impl IntoIterator<Item = impl Borrow<T>>`), written one per line | `JsonLines<T>` |
//! | `multipart/form-data` | a struct of parts (`TypeKind::Multipart`) | raw |
//! | other `multipart/*`, positional (3.2 `prefixItems`) | a struct of parts in order (`Multipart { positional: true }`) | `PartStream<Vec<u8>>` |
//! | other `multipart/*` with items (`itemSchema`; in 3.2 also an array's `items`) | items, one part each (`BodyKind::PartItems`) | `PartStream<T>` |
//! | other `multipart/*` otherwise | `FilePart` (warning) | `Download` (warning) |
//! | binary | `FilePart` | `Download` |
//! | unknown | `FilePart` (warning) | `Download` (warning) |
//!
//! For both JSON Lines columns, `T` is from `itemSchema`, else the `items` of an array `schema`,
//! else `schema`. A part's `T` is bytes for a binary string, text for another string, else JSON.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema};

use super::Lowerer;
use super::media::{Media, classify};
use super::view::{View, doc_of};
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::naming::{Style, camel_ident, snake_ident, unique};

impl Lowerer<'_> {
    /// The success of a response with a media type that is not JSON.
    pub(super) fn lower_stream_success(
        &mut self,
        media: &str,
        mt: &openapiv3::MediaType,
        m_at: &Pointer,
        op_name: &str,
    ) -> Result<Success, Error> {
        Ok(match classify(media) {
            Media::Text | Media::Form => Success::Text,
            Media::EventStream => {
                let Some((schema, s_at, from_item_schema)) = self.item_schema(mt, m_at)? else {
                    return Ok(Success::EventStream(EventData::Text));
                };
                let view = View::of(&schema);
                if view.ty == Some("string") && view.enumeration.is_empty() {
                    return Ok(Success::EventStream(EventData::Text));
                }
                // In OpenAPI 3.2 an event stream's `itemSchema` is the event itself (`data`,
                // `event`, `id`, `retry`); before, a schema is the event only with `event` and `data`.
                let whole_event = from_item_schema && self.api.openapi.starts_with("3.2");
                if whole_event && let Some(data) = self.event_data_of(&view, &s_at)? {
                    return self.lower_event_data(data, op_name);
                }
                let envelope = self.is_event_envelope(&view, &s_at, whole_event)?;
                let ty = self.lower_inline(&schema, &s_at, &format!("{op_name} Event"))?.or_null();
                Success::EventStream(if envelope { EventData::Envelope(ty) } else { EventData::Json(ty) })
            }
            Media::JsonLines => {
                let Some((schema, s_at, _)) = self.item_schema(mt, m_at)? else {
                    return Ok(Success::JsonLines(Ty::Json));
                };
                let ty = self.lower_inline(&schema, &s_at, &format!("{op_name} Item"))?.or_null();
                Success::JsonLines(if ty == Ty::Unit { Ty::Json } else { ty })
            }
            Media::Binary | Media::Multipart => Success::Binary,
            Media::Mixed => match self.part_items(mt, m_at, op_name)? {
                Some((item, _)) => Success::Parts(item),
                // Positional parts of several kinds: each part's bytes, with its headers.
                None if mt.extensions.contains_key(PREFIX_ITEMS) => Success::Parts(PartItem::Bytes),
                None => {
                    self.warn(
                        m_at,
                        format!("response media type `{media}` has no `itemSchema`; the body is returned unread (`Download`)"),
                    );
                    Success::Binary
                }
            },
            Media::Unknown => {
                self.warn(
                    m_at,
                    format!("response media type `{media}` is not known; the body is returned unread (`Download`)"),
                );
                Success::Binary
            }
            Media::Json => unreachable!("JSON responses are lowered by the caller"),
        })
    }

    /// The item type of a JSON Lines request body: as for a response, from `itemSchema`, else the
    /// `items` of an array `schema`, else `schema`; JSON without one.
    pub(super) fn json_lines_item(
        &mut self,
        mt: &openapiv3::MediaType,
        m_at: &Pointer,
        op_name: &str,
    ) -> Result<Ty, Error> {
        let Some((schema, s_at, _)) = self.item_schema(mt, m_at)? else { return Ok(Ty::Json) };
        let ty = self.lower_inline(&schema, &s_at, &format!("{op_name} Item"))?.or_null();
        Ok(if ty == Ty::Unit { Ty::Json } else { ty })
    }

    /// The schema of one item of a stream: OpenAPI 3.2's `itemSchema` (read from the document as
    /// written: `openapiv3` does not know it), else the `schema`, else the `items` of an array
    /// `schema` for JSON Lines (described as an array of its lines). `$ref`s are resolved.
    fn item_schema(
        &mut self,
        mt: &openapiv3::MediaType,
        m_at: &Pointer,
    ) -> Result<Option<(Schema, Pointer, bool)>, Error> {
        let item_at = m_at.push("itemSchema");
        if let Some(node) = self.as_written(&item_at) {
            // A `$ref` is followed; an inline schema is read (and normalised) where it is.
            let reference = match node.get("$ref").and_then(serde_json::Value::as_str) {
                Some(r) => r.to_owned(),
                None => item_at.to_string(),
            };
            let (schema, target) = self.schema_at(&reference, &item_at)?;
            return Ok(Some(((*schema).clone(), target, true)));
        }
        let s_at = m_at.push("schema");
        let Some(schema) = &mt.schema else { return Ok(None) };
        let (schema, s_at) = self.resolved(schema, &s_at)?;
        if classify_is_jsonl(m_at)
            && let Some((item, item_at)) = self.array_items(&schema, &s_at)?
        {
            return Ok(Some((item, item_at, false)));
        }
        Ok(Some((schema, s_at, false)))
    }

    /// The `items` schema of an array schema (resolved), and where it is; `None` for a schema that
    /// is not an array with `items`.
    fn array_items(&mut self, schema: &Schema, at: &Pointer) -> Result<Option<(Schema, Pointer)>, Error> {
        let view = View::of(schema);
        let (Some("array"), Some(items)) = (view.ty, view.items) else { return Ok(None) };
        self.resolved_boxed(items, at.push("items")).map(Some)
    }

    /// The parts of another `multipart/*` than `form-data` described by their items: what each
    /// holds, from `itemSchema`, else (in an OpenAPI 3.2 document, where `itemEncoding` describes
    /// them) the array `schema`'s `items`; and `itemEncoding`'s content type. `None` when neither
    /// describes them (positional parts, or a 3.0/3.1 body as it always was: raw bytes).
    pub(super) fn part_items(
        &mut self,
        mt: &openapiv3::MediaType,
        m_at: &Pointer,
        op_name: &str,
    ) -> Result<Option<(PartItem, Option<String>)>, Error> {
        // A 3.0 or 3.1 body without `itemSchema` is left as it always was, its schema unread.
        let by_items = self.api.openapi.starts_with("3.2") && !mt.extensions.contains_key(PREFIX_ITEMS);
        if !by_items && self.as_written(&m_at.push("itemSchema")).is_none() {
            return Ok(None);
        }
        let Some((schema, s_at, from_item_schema)) = self.item_schema(mt, m_at)? else { return Ok(None) };
        let (schema, s_at) = if from_item_schema {
            (schema, s_at)
        } else if by_items {
            match self.array_items(&schema, &s_at)? {
                Some(items) => items,
                None => return Ok(None),
            }
        } else {
            return Ok(None);
        };
        let item = self.part_item(&schema, &s_at, &format!("{op_name} Part"))?;
        Ok(Some((item, encoding_content_type(mt.extensions.get(ITEM_ENCODING)))))
    }

    /// What one part holds: bytes for a binary string, text for another string, else JSON.
    fn part_item(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<PartItem, Error> {
        let view = View::of(schema);
        if is_binary(&view) {
            return Ok(PartItem::Bytes);
        }
        if view.ty == Some("string") && view.enumeration.is_empty() {
            return Ok(PartItem::Text);
        }
        let ty = self.lower_inline(schema, at, hint)?.or_null();
        Ok(PartItem::Json(if ty == Ty::Unit { Ty::Json } else { ty }))
    }

    /// Positional parts of another `multipart/*` than `form-data` (OpenAPI 3.2's `prefixItems`,
    /// with `prefixEncoding`; the 3.2 pass moved both onto the media type): a struct with a field
    /// per position, in order, and a `rest` of the array's `items` (with `itemEncoding`). Files are
    /// binary strings; a part without a content type of its own is JSON for an object or array,
    /// else text. `None` when the media type has no `prefixItems`.
    pub(super) fn positional_parts(
        &mut self,
        mt: &openapiv3::MediaType,
        m_at: &Pointer,
        id: &str,
    ) -> Result<Option<TypeId>, Error> {
        let Some(serde_json::Value::Array(prefix)) = mt.extensions.get(PREFIX_ITEMS) else { return Ok(None) };
        let encodings = mt.extensions.get(PREFIX_ENCODING).and_then(serde_json::Value::as_array);
        let name = self.allocate(&camel_ident(&format!("{id} body"), "Op", "Body"));
        let type_id = self.start(&name);
        let mut used = BTreeSet::new();
        let mut fields = Vec::new();
        for (i, node) in prefix.iter().enumerate() {
            let at = m_at.push(PREFIX_ITEMS).push(i);
            // A `$ref` is followed (to the type it names); an inline schema is read where it is.
            let reference = match node.get("$ref").and_then(serde_json::Value::as_str) {
                Some(r) => r.to_owned(),
                None => at.to_string(),
            };
            let (schema, s_at) = self.schema_at(&reference, &at)?;
            // Named by its title, else by the schema it refers to, else by its position.
            let named = schema.schema_data.title.clone().or_else(|| {
                let target = node.get("$ref").and_then(serde_json::Value::as_str)?;
                target.rsplit('/').next().map(str::to_owned)
            });
            let base = named.unwrap_or_else(|| format!("part {}", i + 1));
            let field = unique(&mut used, &snake_ident(&base, "part"), Style::Snake);
            let encoding = encodings.and_then(|e| e.get(i));
            fields.push(self.positional_field(&schema, &s_at, &format!("{name} {base}"), field, encoding, true)?);
        }
        if let Some(schema) = &mt.schema {
            let (schema, s_at) = self.resolved(schema, &m_at.push("schema"))?;
            if let Some((items, items_at)) = self.array_items(&schema, &s_at)? {
                let field = unique(&mut used, "rest", Style::Snake);
                let encoding = mt.extensions.get(ITEM_ENCODING);
                let mut rest =
                    self.positional_field(&items, &items_at, &format!("{name} rest"), field, encoding, false)?;
                rest.kind = match rest.kind {
                    PartKind::File => PartKind::Files,
                    PartKind::Value(t) => PartKind::Value(Ty::Vec(Box::new(t))),
                    files => files,
                };
                rest.doc = Some(format!(
                    "The parts after the first {}, one per item.{}",
                    prefix.len(),
                    rest.doc.map(|d| format!("\n\n{d}")).unwrap_or_default()
                ));
                fields.push(rest);
            }
        }
        self.slots.define(TypeDef {
            id: type_id,
            name,
            doc: Some(format!("The `{}` parts of `{id}`, in order.", m_at.segments().last().unwrap_or_default())),
            pointer: m_at.clone(),
            kind: TypeKind::Multipart(Multipart { fields, positional: true }),
        });
        Ok(Some(type_id))
    }

    /// One positional part: a file for a binary string, else a value of the schema's type.
    fn positional_field(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
        name: String,
        encoding: Option<&serde_json::Value>,
        required: bool,
    ) -> Result<PartField, Error> {
        let view = View::of(schema);
        let doc = doc_of(schema.schema_data.title.as_deref(), schema.schema_data.description.as_deref());
        let mut content_type = encoding_content_type(encoding);
        let kind = if is_binary(&view) {
            PartKind::File
        } else {
            if content_type.is_none() && !matches!(view.ty, Some("string" | "number" | "integer" | "boolean")) {
                content_type = Some("application/json".to_owned());
            }
            let ty = self.lower_inline(schema, at, hint)?.or_null();
            PartKind::Value(if ty == Ty::Unit { Ty::Json } else { ty })
        };
        Ok(PartField { wire: name.clone(), name, doc, kind, required, content_type })
    }

    /// The node at `at` in the document as written (after the 3.2 pass), which keeps what
    /// `openapiv3` drops (`itemSchema`).
    fn as_written(&self, at: &Pointer) -> Option<&serde_json::Value> {
        at.segments().try_fold(self.original, |node, seg| match node {
            serde_json::Value::Object(map) => map.get(&seg),
            _ => None,
        })
    }

    /// The `data` schema of a 3.2 whole-event `itemSchema` that is one object (not a union of
    /// named events) with `data` among its properties: `Event<T>` already carries `event`, `id`
    /// and `retry`, so `T` is the data's type, and the stream reads as one described by its data.
    fn event_data_of(&mut self, view: &View<'_>, at: &Pointer) -> Result<Option<(Schema, Pointer)>, Error> {
        let Some(data) = view.properties.and_then(|p| p.get("data")) else { return Ok(None) };
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            return Ok(None);
        }
        self.resolved_boxed(data, at.push("properties").push("data")).map(Some)
    }

    /// An event stream described by its data's schema: text for a plain string, else `T`.
    fn lower_event_data(&mut self, (schema, at): (Schema, Pointer), op_name: &str) -> Result<Success, Error> {
        let view = View::of(&schema);
        if view.ty == Some("string") && view.enumeration.is_empty() {
            return Ok(Success::EventStream(EventData::Text));
        }
        let ty = self.lower_inline(&schema, &at, &format!("{op_name} Event"))?.or_null();
        Ok(Success::EventStream(EventData::Json(ty)))
    }

    /// Whether an event schema describes the whole event (properties `event` and `data`, in itself
    /// or in every branch of its union) rather than only its data.
    fn is_event_envelope(&mut self, view: &View<'_>, at: &Pointer, whole_event: bool) -> Result<bool, Error> {
        let is_envelope = |v: &View<'_>| {
            v.properties.is_some_and(|p| {
                let fields = ["data", "event", "id", "retry"];
                (p.contains_key("event") && p.contains_key("data"))
                    || (whole_event && fields.iter().any(|f| p.contains_key(*f)))
            })
        };
        if is_envelope(view) {
            return Ok(true);
        }
        let branches: Vec<ReferenceOr<Schema>> = view.one_of.iter().chain(view.any_of).cloned().collect();
        if branches.is_empty() {
            return Ok(false);
        }
        for (i, branch) in branches.iter().enumerate() {
            let (schema, _) = self.resolved(branch, &at.push("oneOf").push(i))?;
            if !is_envelope(&View::of(&schema)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A `multipart/form-data` body: a struct of parts from the object schema's properties. Files
    /// are `format: binary` strings (3.1's `contentMediaType` arrives as that from the loader) and
    /// arrays of them; `encoding.<name>.contentType` is kept for the other parts. `None` when the
    /// schema has no properties (the caller sends a raw body instead).
    pub(super) fn multipart_body(
        &mut self,
        mt: &openapiv3::MediaType,
        m_at: &Pointer,
        id: &str,
    ) -> Result<Option<TypeId>, Error> {
        let Some(schema) = &mt.schema else { return Ok(None) };
        let (schema, s_at) = self.resolved(schema, &m_at.push("schema"))?;
        let view = View::of(&schema);
        // `allOf` of objects: merge their properties (the common shape is one `$ref` plus extras).
        let mut parts: Vec<(Schema, Pointer)> = Vec::new();
        if view.has_properties() {
            parts.push((schema.clone(), s_at.clone()));
        }
        for (i, branch) in view.all_of.iter().enumerate() {
            parts.push(self.resolved(branch, &s_at.push("allOf").push(i))?);
        }
        let mut required: BTreeSet<String> = BTreeSet::new();
        let mut props: indexmap::IndexMap<String, (ReferenceOr<Box<Schema>>, Pointer)> = indexmap::IndexMap::new();
        for (s, at) in &parts {
            let v = View::of(s);
            required.extend(v.required.iter().cloned());
            if let Some(p) = v.properties {
                for (wire, prop) in p {
                    props.insert(wire.clone(), (prop.clone(), at.push("properties").push(wire)));
                }
            }
        }
        if props.is_empty() {
            return Ok(None);
        }
        let name = self.allocate(&camel_ident(&format!("{id} body"), "Op", "Body"));
        let type_id = self.start(&name);
        let mut used = BTreeSet::new();
        let mut fields = Vec::new();
        for (wire, (prop, p_at)) in props {
            let (resolved, _) = self.resolved_boxed(&prop, p_at.clone())?;
            let v = View::of(&resolved);
            let kind = if is_binary(&v) {
                PartKind::File
            } else if v.ty == Some("array")
                && let Some(items) = v.items
                && self.is_binary_ref(items, &p_at.push("items"))?
            {
                PartKind::Files
            } else {
                let l = self.lower_schema(&prop, &p_at, &format!("{name} {wire}"))?;
                PartKind::Value(if l.ty == Ty::Unit { Ty::Json } else { l.ty })
            };
            let content_type = mt.encoding.get(&wire).and_then(|e| e.content_type.clone());
            fields.push(PartField {
                name: unique(&mut used, &snake_ident(&wire, "field"), Style::Snake),
                doc: doc_of(resolved.schema_data.title.as_deref(), resolved.schema_data.description.as_deref()),
                required: required.contains(&wire),
                wire,
                kind,
                content_type,
            });
        }
        self.slots.define(TypeDef {
            id: type_id,
            name,
            doc: Some(format!("The `multipart/form-data` body of `{id}`.")),
            pointer: s_at,
            kind: TypeKind::Multipart(Multipart { fields, positional: false }),
        });
        Ok(Some(type_id))
    }

    fn is_binary_ref(&mut self, schema: &ReferenceOr<Box<Schema>>, at: &Pointer) -> Result<bool, Error> {
        Ok(match schema {
            ReferenceOr::Reference { reference } => is_binary(&View::of(&self.schema_at(reference, at)?.0)),
            ReferenceOr::Item(s) => is_binary(&View::of(s)),
        })
    }
}

/// A string of bytes: `format: binary` (3.0; 3.1's `contentMediaType` becomes it when loaded).
fn is_binary(v: &View<'_>) -> bool {
    v.ty == Some("string") && v.format.as_deref() == Some("binary")
}

/// Where the 3.2 pass puts a `multipart/*` media type's `prefixItems` (moved from its schema),
/// `prefixEncoding` and `itemEncoding` (`load/normalise/v32.rs`).
pub(crate) const PREFIX_ITEMS: &str = "x-codegen-prefix-items";
pub(crate) const PREFIX_ENCODING: &str = "x-codegen-prefix-encoding";
pub(crate) const ITEM_ENCODING: &str = "x-codegen-item-encoding";

/// The `contentType` of an Encoding object.
fn encoding_content_type(encoding: Option<&serde_json::Value>) -> Option<String> {
    encoding?.get("contentType")?.as_str().map(str::to_owned)
}

/// Whether the media type at the end of a `.../content/<media>` pointer is JSON Lines.
fn classify_is_jsonl(m_at: &Pointer) -> bool {
    m_at.segments().last().is_some_and(|m| classify(&m) == Media::JsonLines)
}

#[cfg(test)]
mod tests {
    use crate::ir::*;

    /// The success of operation `id`, and the types it may name.
    fn success_of(spec: &str, id: &str) -> (Success, Types) {
        let (ir, _) = crate::lower_spec(spec, &crate::Options::default()).unwrap();
        let success = ir.operations.into_iter().find(|op| op.id == id).unwrap().success;
        (success, ir.types)
    }

    fn is_tick(ty: &Ty, types: &Types) -> bool {
        matches!(ty, Ty::Named(id) if types.name(*id) == "Tick")
    }

    /// OpenAPI 3.2's `itemSchema` (read from the document as written, which `openapiv3` drops)
    /// wins over `schema` for both kinds of stream.
    #[test]
    fn item_schema_is_the_type_of_each_item() {
        let spec = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /events:
    get:
      operationId: events
      responses:
        '200':
          description: ok
          content:
            text/event-stream:
              itemSchema: {$ref: '#/components/schemas/Tick'}
  /lines:
    get:
      operationId: lines
      responses:
        '200':
          description: ok
          content:
            application/jsonl:
              schema: {type: string}
              itemSchema: {$ref: '#/components/schemas/Tick'}
  /inline:
    get:
      operationId: inline
      responses:
        '200':
          description: ok
          content:
            application/x-ndjson:
              itemSchema: {type: integer, format: int32}
components:
  schemas:
    Tick: {type: object, properties: {n: {type: integer}}}
"#;
        let (events, types) = success_of(spec, "events");
        assert!(matches!(events, Success::EventStream(EventData::Json(t)) if is_tick(&t, &types)));
        let (lines, types) = success_of(spec, "lines");
        assert!(matches!(lines, Success::JsonLines(t) if is_tick(&t, &types)));
        assert!(matches!(success_of(spec, "inline").0, Success::JsonLines(Ty::Int(IntKind::I32))));
    }

    /// Other `multipart/*` media types: parts by `itemSchema` in every version, by an array's
    /// `items` in 3.2 only; a 3.0/3.1 body without `itemSchema` stays raw bytes, as before.
    #[test]
    fn multipart_mixed_is_parts_by_item_schema_or_in_32_by_items() {
        let spec = |version: &str| {
            format!(
                r#"
openapi: {version}
info: {{title: T, version: '1'}}
paths:
  /a:
    get:
      operationId: byItems
      responses:
        '200':
          description: ok
          content:
            multipart/mixed:
              schema: {{type: array, items: {{type: string, format: binary}}}}
  /b:
    get:
      operationId: byItemSchema
      responses:
        '200':
          description: ok
          content:
            multipart/related:
              itemSchema: {{type: string}}
    post:
      operationId: send
      requestBody:
        content:
          multipart/mixed:
            schema: {{type: array, items: {{$ref: '#/components/schemas/Tick'}}}}
      responses:
        '204': {{description: ok}}
components:
  schemas:
    Tick: {{type: object, properties: {{n: {{type: integer}}}}}}
"#
            )
        };
        let body = |spec: &str| {
            let (ir, _) = crate::lower_spec(spec, &crate::Options::default()).unwrap();
            let op = ir.operations.into_iter().find(|op| op.id == "send").unwrap();
            (op.body.unwrap().kind, ir.types)
        };
        let old = spec("3.1.0");
        assert!(matches!(success_of(&old, "byItems").0, Success::Binary));
        assert!(matches!(success_of(&old, "byItemSchema").0, Success::Parts(PartItem::Text)));
        assert!(matches!(body(&old).0, BodyKind::File));
        let new = spec("3.2.0");
        assert!(matches!(success_of(&new, "byItems").0, Success::Parts(PartItem::Bytes)));
        let (kind, types) = body(&new);
        assert!(matches!(kind, BodyKind::PartItems(PartItem::Json(t), None) if is_tick(&t, &types)));
    }
}
