//! OpenAPI 3.2's additions outside schemas, rewritten into what `openapiv3` (a 3.0 model) keeps
//! and lowering reads, or reported. Runs only on 3.2 documents, so 3.0 and 3.1 load exactly as
//! before. `openapiv3` ignores fields it does not know, so each addition is either moved where it
//! is kept (an `x-codegen-*` extension, a 3.0 field) or named in a warning: none is lost unsaid.
//!
//! | 3.2 addition | becomes |
//! |---|---|
//! | `$ref` to `#/components/mediaTypes/…` in a `content` map | the media type, inlined; `components/mediaTypes` is then removed |
//! | path item `query` | `x-codegen-query` (after the schema pass): the `QUERY` method |
//! | path item `additionalOperations` | `x-codegen-additional-operations`: methods sent exactly as written |
//! | tag `parent`, `kind` | `x-codegen-parent`, `x-codegen-kind`: resource nesting |
//! | tag `summary`, response `summary` | the `description` when there is none |
//! | server `name` | kept in its `description` (`name: description`) |
//! | example `dataValue` | `value` when there is none (`serializedValue` is the same value as text) |
//! | parameter `in: querystring` | `in: query` + `x-codegen-querystring`: lowering makes it the whole query string |
//! | parameter `style: cookie` | `style: form`, the 3.0 spelling `openapiv3` reads (every cookie parameter is sent in one `Cookie` header) |
//! | media type `itemEncoding`, `prefixEncoding`, and its inline schema's `prefixItems`, on a `multipart/*` other than `form-data` | `x-codegen-item-encoding`, `x-codegen-prefix-encoding`, `x-codegen-prefix-items`: lowering makes the parts (`lower/streams.rs`); on other media types, removed with a warning |
//! | an event's `data` (in a `text/event-stream` `itemSchema`) that is a string with `contentMediaType: application/json` (or `+json`) and `contentSchema` | the `contentSchema`: the data line decoded as that schema |
//! | discriminator `defaultMapping` | `x-codegen-default-mapping`: an unknown or missing tag decodes to that branch |
//! | `$self` | the base URI of references: a `$ref` naming this document by it becomes a local `#…` one |
//! | OAuth 2 `deviceAuthorization` flow | kept: as with the authorization-code flow, the client sends the token the user supplies |
//! | OAuth 2 `oauth2MetadataUrl` | `x-codegen-oauth2-metadata-url`: named in the scheme's docs (tokens the client fetches come from the client-credentials `tokenUrl`) |
//!
//! `itemSchema` (sequential media types) is read by `lower/streams.rs` in every version.
//! Must not: decide Rust types, or drop a field without a warning.

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostics;
use crate::error::{Error, Pointer};

/// Whether `raw` is an OpenAPI 3.2 document.
pub(super) fn is_32(raw: &Map<String, Value>) -> bool {
    raw.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.2"))
}

/// The rewrites that come before the required fields and the schemas are normalised.
pub(super) fn before(raw: &mut Map<String, Value>, diag: &mut Diagnostics) -> Result<(), Error> {
    let root = Pointer::root();
    if let Some(Value::String(self_uri)) = raw.get("$self") {
        let self_uri = self_uri.clone();
        local_refs(raw, &self_uri);
    }
    let media_types = match raw.get_mut("components").and_then(|c| c.as_object_mut()) {
        Some(components) => components.remove("mediaTypes"),
        None => None,
    };
    let media_types = media_types.unwrap_or(Value::Object(Map::new()));
    if let Some(Value::Array(tags)) = raw.get_mut("tags") {
        for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
            rename(tag, "parent", "x-codegen-parent");
            rename(tag, "kind", "x-codegen-kind");
            summary_as_description(tag);
        }
    }
    server_names(raw.get_mut("servers"));
    let mut walk = Walk { media_types: &media_types, diag, event_schemas: Vec::new() };
    for key in ["paths", "components", "webhooks"] {
        if let Some(node) = raw.get_mut(key) {
            walk.node(node, &root.push(key), 0)?;
        }
    }
    let mut pending = std::mem::take(&mut walk.event_schemas);
    let mut seen = std::collections::HashSet::new();
    while let Some(at) = pending.pop() {
        if seen.insert(at.clone()) && seen.len() <= 4096 {
            pending.extend(event_data_content(raw, &at));
        }
    }
    Ok(())
}

/// Rewrites the `data` of the event schema at JSON pointer `at` (and of each of its `oneOf`/
/// `anyOf` branches written inline) to its `contentSchema` when it is JSON text; returns the
/// pointers of branches that are `$ref`s, to be rewritten the same way.
fn event_data_content(raw: &mut Map<String, Value>, at: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let Some(schema) = pointer_mut(raw, at) else { return refs };
    let mut stack = vec![schema];
    while let Some(schema) = stack.pop() {
        let Value::Object(map) = schema else { continue };
        if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            refs.push(target.to_owned());
            continue;
        }
        let mut branches = Vec::new();
        for (key, value) in map.iter_mut() {
            match (key.as_str(), value) {
                ("properties", Value::Object(props)) => {
                    if let Some(data) = props.get_mut("data")
                        && let Value::Object(d) = &*data
                        && let Some(content) = json_content_schema(d)
                    {
                        *data = content;
                    }
                }
                ("oneOf" | "anyOf", Value::Array(items)) => branches.extend(items.iter_mut()),
                _ => {}
            }
        }
        stack.extend(branches);
    }
    refs
}

/// The node at a JSON pointer (`/components/schemas/Event`) of the document.
fn pointer_mut<'a>(raw: &'a mut Map<String, Value>, at: &str) -> Option<&'a mut Value> {
    let mut segments = at.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"));
    let mut node = raw.get_mut(&segments.next()?)?;
    for segment in segments {
        node = match node {
            Value::Object(map) => map.get_mut(&segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The rewrites that come after the schemas are normalised: the operations `openapiv3` has no
/// field for move to extensions, their schemas normalised like every other.
pub(super) fn after(raw: &mut Map<String, Value>) {
    let Some(Value::Object(paths)) = raw.get_mut("paths") else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        rename(item, "query", "x-codegen-query");
        rename(item, "additionalOperations", "x-codegen-additional-operations");
    }
}

fn rename(map: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(value) = map.remove(from) {
        map.insert(to.to_owned(), value);
    }
}

/// The base `$self` and relative references are resolved against when `$self` is itself relative.
const NO_BASE: &str = "https://no-base.invalid/";

/// Rewrites every `$ref` that names this document by its `$self` URI (absolute, or relative to
/// `$self`) into the local `#…` form the rest of the loader resolves. Others are left as they
/// are: a reference into another document is refused where it is used.
fn local_refs(raw: &mut Map<String, Value>, self_uri: &str) {
    let base = url::Url::parse(NO_BASE).and_then(|b| b.join(self_uri));
    let Ok(mut base) = base else { return };
    base.set_fragment(None);
    let mut stack: Vec<&mut Value> = raw.values_mut().collect();
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref")
                    && !reference.starts_with('#')
                    && let Ok(target) = base.join(reference)
                {
                    let mut document = target.clone();
                    document.set_fragment(None);
                    if document == base {
                        *reference = format!("#{}", target.fragment().unwrap_or_default());
                    }
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// A `summary` becomes the `description` of an object that has none.
/// Servers' `name`, kept in their `description` (`Production: the live API`): only the first
/// server's URL is read, for the default base URL.
fn server_names(servers: Option<&mut Value>) {
    let Some(Value::Array(servers)) = servers else { return };
    for server in servers.iter_mut().filter_map(Value::as_object_mut) {
        let Some(Value::String(name)) = server.remove("name") else { continue };
        let description = match server.get("description").and_then(Value::as_str) {
            Some(d) if !d.is_empty() => format!("{name}: {d}"),
            _ => name,
        };
        server.insert("description".into(), Value::String(description));
    }
}

fn summary_as_description(map: &mut Map<String, Value>) {
    if let Some(summary) = map.remove("summary")
        && map.get("description").and_then(Value::as_str).is_none_or(str::is_empty)
    {
        map.insert("description".into(), summary);
    }
}

/// Inside schemas, whose property names are anyone's, only a discriminator's `defaultMapping` is
/// rewritten: to `x-codegen-default-mapping`, which `openapiv3` keeps for lowering.
fn default_mappings(value: &mut Value, depth: usize) {
    if depth > super::MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(d)) = map.get_mut("discriminator") {
                rename(d, "defaultMapping", "x-codegen-default-mapping");
            }
            for (_, child) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-") && !is_data(k)) {
                default_mappings(child, depth + 1);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|child| default_mappings(child, depth + 1)),
        _ => {}
    }
}

/// The `contentSchema` of a string schema whose `contentMediaType` is JSON: an event's `data`
/// line is JSON text of that schema, which the client decodes as that schema. Its `description`
/// is kept when the content schema has none. (Only for event data: in a JSON body such a value is
/// a JSON string on the wire, and stays a `String`.)
fn json_content_schema(map: &Map<String, Value>) -> Option<Value> {
    let media = map.get("contentMediaType")?.as_str()?;
    let json = media == "application/json" || media.ends_with("+json");
    let string = map.get("type").and_then(Value::as_str) == Some("string");
    let mut content = map.get("contentSchema").filter(|_| json && string)?.clone();
    if let (Some(description), Value::Object(c)) = (map.get("description"), &mut content)
        && !c.contains_key("description")
        && !c.contains_key("$ref")
    {
        c.insert("description".into(), description.clone());
    }
    Some(content)
}

/// Keys whose value is a schema (or, under `components`, a map of them): walked only for
/// `defaultMapping`.
const SCHEMA_KEYS: &[&str] = &["schema", "itemSchema", "schemas"];

/// Keys whose value is example data, never rewritten.
const DATA_KEYS: &[&str] = &["value", "dataValue", "serializedValue", "example", "externalValue", "default"];

/// Keys inside a schema whose value is data, not schemas.
fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const")
}

/// One walk over paths and components for the rewrites that can sit at any depth.
struct Walk<'a> {
    media_types: &'a Value,
    diag: &'a mut Diagnostics,
    /// Where the item schemas of event streams are (a `$ref`'s target, else the schema itself),
    /// for [`event_data_content`] once the walk is done.
    event_schemas: Vec<String>,
}

impl Walk<'_> {
    fn node(&mut self, value: &mut Value, at: &Pointer, depth: usize) -> Result<(), Error> {
        if depth > super::MAX_DEPTH {
            return Err(Error::invalid(at, format!("nesting deeper than {} levels", super::MAX_DEPTH)));
        }
        match value {
            Value::Object(map) => {
                self.object(map, at)?;
                for (key, child) in map.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
                    let child_at = at.push(key);
                    if SCHEMA_KEYS.contains(&key.as_str()) {
                        default_mappings(child, depth + 1);
                    } else if !DATA_KEYS.contains(&key.as_str()) {
                        self.node(child, &child_at, depth + 1)?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.node(child, &at.push(i), depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// `prefixEncoding` and `itemEncoding` of a `multipart/*` media type other than `form-data`,
    /// and its inline schema's `prefixItems`, moved where lowering reads them (`x-codegen-*`, see
    /// `lower/streams.rs`), before the schema pass would drop `prefixItems` as a keyword with no
    /// 3.0 equivalent. On other media types they mean nothing, and are warned.
    fn positional_encodings(&mut self, media: &str, mt: &mut Map<String, Value>, at: &Pointer) {
        let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let parts = essence.starts_with("multipart/") && essence != "multipart/form-data";
        for (key, moved) in
            [("itemEncoding", "x-codegen-item-encoding"), ("prefixEncoding", "x-codegen-prefix-encoding")]
        {
            let Some(value) = mt.remove(key) else { continue };
            if parts {
                mt.insert(moved.to_owned(), value);
            } else {
                self.diag.warn(
                    &at.push(key),
                    format!("`{key}` describes the parts of a `multipart/*` body other than `form-data`; ignored on `{media}`"),
                );
            }
        }
        if parts
            && let Some(Value::Object(schema)) = mt.get_mut("schema")
            && let Some(prefix) = schema.remove("prefixItems")
        {
            mt.insert("x-codegen-prefix-items".to_owned(), prefix);
        }
    }

    /// The rewrites of one object, by what it is: a content map, a parameter, a response, an
    /// example, a discriminator, an OAuth 2 scheme.
    fn object(&mut self, map: &mut Map<String, Value>, at: &Pointer) -> Result<(), Error> {
        if let Some(Value::Object(content)) = map.get_mut("content") {
            for (media, mt) in content.iter_mut() {
                let mt_at = at.push("content").push(media);
                self.inline_media_type(mt, &mt_at)?;
                if media.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("text/event-stream"))
                    && let Some(item) = mt.get("itemSchema")
                {
                    let target = item.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'));
                    self.event_schemas.push(target.map_or_else(|| format!("{mt_at}/itemSchema"), str::to_owned));
                }
                if let Value::Object(mt) = mt {
                    self.positional_encodings(media, mt, &mt_at);
                }
            }
        }
        match map.get("in").and_then(Value::as_str) {
            // Typed as a query parameter, marked for lowering, which leaves it out with a warning.
            Some("querystring") => {
                map.insert("in".into(), Value::String("query".into()));
                map.insert("x-codegen-querystring".into(), Value::Bool(true));
            }
            Some("cookie") if map.get("style").and_then(Value::as_str) == Some("cookie") => {
                map.insert("style".into(), Value::String("form".into()));
            }
            _ => {}
        }
        if map.contains_key("responses")
            && let Some(Value::Object(responses)) = map.get_mut("responses")
        {
            for response in responses.values_mut().filter_map(Value::as_object_mut) {
                summary_as_description(response);
            }
        }
        if map.contains_key("servers") {
            server_names(map.get_mut("servers"));
        }
        if map.contains_key("dataValue") && !map.contains_key("value") {
            rename(map, "dataValue", "value");
        }
        map.remove("serializedValue");
        self.oauth2(map);
        Ok(())
    }

    /// A media type that is a `$ref` to `components/mediaTypes` is replaced by its target.
    fn inline_media_type(&mut self, mt: &mut Value, at: &Pointer) -> Result<(), Error> {
        for _ in 0..16 {
            let Some(reference) = mt.get("$ref").and_then(Value::as_str) else { return Ok(()) };
            let Some(name) = reference.strip_prefix("#/components/mediaTypes/") else {
                return Err(Error::invalid(
                    &at.push("$ref"),
                    format!(
                        "expected a reference to `#/components/mediaTypes/…` for a media type, found `{reference}`"
                    ),
                ));
            };
            let name = name.replace("~1", "/").replace("~0", "~");
            let Some(target) = self.media_types.get(&name) else {
                return Err(Error::invalid(
                    &at.push("$ref"),
                    format!("no media type `{name}` in `components/mediaTypes`"),
                ));
            };
            *mt = target.clone();
        }
        Err(Error::invalid(at, "media type references nested more than 16 deep (a cycle?)"))
    }

    /// OAuth 2's 3.2 additions. The device authorization flow needs nothing generated: like the
    /// authorization-code flow, the client sends the token the user supplies (`api_key`, the
    /// scheme's environment variable or a token provider). The metadata URL is kept as an
    /// extension `openapiv3` reads, for the scheme's docs: tokens the client fetches itself come
    /// from the client-credentials flow's `tokenUrl`.
    fn oauth2(&mut self, map: &mut Map<String, Value>) {
        if map.get("type").and_then(Value::as_str) == Some("oauth2") {
            rename(map, "oauth2MetadataUrl", "x-codegen-oauth2-metadata-url");
        }
    }
}
