//! Load: spec text (YAML or JSON, OpenAPI 3.0.x or 3.1.x) → a typed `openapiv3::OpenAPI`.
//!
//! `openapiv3` models OpenAPI 3.0 only, and it silently ignores schema keywords it does not know.
//! So loading is a bridge in three steps over `serde_json::Value`:
//!
//! 1. **Parse** YAML or JSON into a `Value` (YAML keys such as an unquoted `200:` become strings,
//!    merge keys `<<` are applied). Syntax errors carry line and column.
//! 2. **Normalise** every schema in place, rewriting OpenAPI 3.1 (JSON Schema 2020-12) spellings
//!    into the 3.0 spellings `openapiv3` understands, and accounting for every keyword: each is
//!    rewritten, kept, or reported as a [`Warning`] naming its JSON pointer. Nothing is dropped
//!    without a word. The rewrites:
//!
//!    | 3.1 spelling | becomes |
//!    |---|---|
//!    | `type: [T, 'null']` | `type: T` + `nullable: true` |
//!    | `type: ['null']` | `nullable: true` + `x-codegen-null: true` (a value that is always `null`) |
//!    | `type: [A, B, ...]` (several non-null types) | `anyOf: [{type: A, ...}, {type: B, ...}]`, each branch keeping the keywords for its type |
//!    | `const: v` | `enum: [v]` |
//!    | `examples: [a, ...]` | `example: a` (examples are documentation only) |
//!    | numeric `exclusiveMinimum: n` / `exclusiveMaximum: n` | `minimum: n` + `exclusiveMinimum: true` (same for maximum) |
//!    | `oneOf`/`anyOf` with a `{type: 'null'}` branch | the other branches + `nullable: true` (a single remaining branch is used directly) |
//!    | `$ref` with sibling keywords (3.1, or 3.0's common `nullable` next to `$ref`) | `allOf: [{$ref}]` + the siblings, so `description` and `nullable` are kept |
//!    | `$schema`, `$id`, `$comment`, `$anchor`, `contentEncoding`, `contentMediaType` | removed: annotations with no effect on the Rust type |
//!
//!    Keywords that only constrain values (`pattern`, `minLength`, `maximum`, `uniqueItems`, ...)
//!    are kept for `openapiv3` but do not change the generated type; the client does not validate
//!    them (the server does). JSON Schema keywords with no 3.0 equivalent (`prefixItems`,
//!    `patternProperties`, `if`/`then`/`else`, `unevaluatedProperties`, ...) and unknown keywords
//!    produce a warning and are ignored; in strict mode that warning is an error.
//! 3. **Type** the normalised `Value` as `openapiv3::OpenAPI`, with `serde_path_to_error` turning
//!    the failure path into a JSON pointer.

use openapiv3::OpenAPI;
use serde_json::{Map, Value};

use crate::error::{Error, Pointer, Warning};

/// The loaded document.
pub struct Loaded {
    /// The typed document.
    pub api: OpenAPI,
    /// The normalised document as JSON, for resolving `$ref`s to non-schema nodes (parameters,
    /// responses, path items), whose pointers normalisation does not change.
    pub raw: Value,
    /// The document as written: `$ref`s to schemas resolve here, and the target is normalised on
    /// demand ([`normalise_schema_at`]), because normalising may move nodes inside a schema.
    pub original: Value,
    /// The `openapi` version string as written in the spec.
    pub version: String,
    /// Everything the normaliser interpreted or passed over.
    pub warnings: Vec<Warning>,
}

/// How deep schemas may nest before we refuse (the parsers also limit nesting to 128 levels).
const MAX_DEPTH: usize = 256;

/// Parses and normalises spec text.
pub fn load(text: &str) -> Result<Loaded, Error> {
    let original = parse(text)?;
    let version = check_version(&original)?;
    let mut raw = original.clone();
    let mut warnings = Vec::new();
    normalise_document(&mut raw, &mut warnings)?;
    let api = typed(&raw)?;
    warnings.sort();
    warnings.dedup();
    Ok(Loaded { api, raw, original, version, warnings })
}

/// Normalises one schema (a `$ref` target) as the document pass would have.
pub fn normalise_schema_at(value: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    normalise_schema(value, at, warnings, 0)
}

/// Parses YAML or JSON text into a JSON value. JSON is tried when the text starts with `{`.
pub fn parse(text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| Error::Syntax {
            format: "JSON",
            location: Some((e.line(), e.column())),
            message: strip_location(&e.to_string()),
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(trimmed).map_err(|e| Error::Syntax {
        format: "YAML",
        location: e.location().map(|l| (l.line(), l.column())),
        message: strip_location(&e.to_string()),
    })?;
    yaml.apply_merge().map_err(|e| Error::Syntax { format: "YAML", location: None, message: e.to_string() })?;
    yaml_to_json(yaml, &Pointer::root(), 0)
}

fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn yaml_to_json(value: serde_yaml::Value, at: &Pointer, depth: usize) -> Result<Value, Error> {
    use serde_yaml::Value as Y;
    if depth > MAX_DEPTH {
        return Err(Error::invalid(at, format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                // NaN and infinities have no JSON spelling.
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| Error::invalid(at, format!("number `{n}` has no JSON representation")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &at.push(i), depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        return Err(Error::invalid(at, format!("mapping key {other:?} is not a string")));
                    }
                };
                let child = yaml_to_json(v, &at.push(&key), depth + 1)?;
                out.insert(key, child);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err(Error::invalid(at, format!("YAML tag `{}` is not allowed in an OpenAPI document", tagged.tag)));
        }
    })
}

fn check_version(raw: &Value) -> Result<String, Error> {
    let root = Pointer::root();
    let Some(obj) = raw.as_object() else {
        return Err(Error::invalid(&root, format!("expected an OpenAPI document (a mapping), found {}", kind(raw))));
    };
    if let Some(swagger) = obj.get("swagger") {
        return Err(Error::unsupported(
            &root.push("swagger"),
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0 and 3.1 are supported. \
                 Convert it first, e.g. `npx swagger2openapi spec.yaml -o spec3.yaml`",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    let Some(version) = obj.get("openapi") else {
        return Err(Error::invalid(&root, "not an OpenAPI document: the `openapi` field is missing"));
    };
    let Some(version) = version.as_str() else {
        return Err(Error::invalid(
            &root.push("openapi"),
            format!("expected a version string such as \"3.1.0\", found {}", kind(version)),
        ));
    };
    if version.starts_with("3.0") || version.starts_with("3.1") {
        Ok(version.to_owned())
    } else {
        Err(Error::unsupported(
            &root.push("openapi"),
            format!("OpenAPI version `{version}`: supported are 3.0.x and 3.1.x"),
        ))
    }
}

/// A short description of a JSON value's kind for error messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a mapping",
    }
}

/// Keys under which the document holds data, not OpenAPI objects: never walked into.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

fn normalise_document(raw: &mut Value, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let root = Pointer::root();
    let obj = raw.as_object_mut().expect("checked by check_version");
    // 3.1 makes `paths` optional; openapiv3 requires it.
    obj.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    if obj.get("webhooks").is_some_and(|w| w.as_object().is_some_and(|m| !m.is_empty())) {
        warnings.push(Warning {
            pointer: root.push("webhooks"),
            message: "webhooks describe requests the API sends to you; no client code is generated for them".into(),
        });
    }
    if let Some(Value::Object(components)) = obj.get_mut("components") {
        let at = root.push("components");
        if let Some(schemas) = components.get_mut("schemas") {
            let at = at.push("schemas");
            let Value::Object(schemas) = schemas else {
                return Err(Error::invalid(
                    &at,
                    format!("expected a mapping of schema names to schemas, found {}", kind(schemas)),
                ));
            };
            for (name, schema) in schemas.iter_mut() {
                normalise_schema(schema, &at.push(name), warnings, 0)?;
            }
        }
    }
    // Callbacks describe requests the API makes to you; no client code is generated for them.
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            for (method, op) in item.iter_mut() {
                if let Value::Object(op) = op
                    && op.remove("callbacks").is_some()
                {
                    warnings.push(Warning {
                        pointer: root.push("paths").push(path).push(method).push("callbacks"),
                        message: CALLBACKS_NOT_GENERATED.into(),
                    });
                }
            }
        }
    }
    if let Some(Value::Object(components)) = raw.get_mut("components")
        && components.remove("callbacks").is_some()
    {
        warnings.push(Warning {
            pointer: root.push("components").push("callbacks"),
            message: CALLBACKS_NOT_GENERATED.into(),
        });
    }
    // Every other schema in the document sits under a `schema` key (parameters, headers, media types).
    walk_for_schemas(raw, &root, warnings, 0)
}

fn walk_for_schemas(value: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>, depth: usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid(at, format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_at = at.push(key);
                if key.starts_with("x-") || DATA_KEYS.contains(&key.as_str()) {
                    continue;
                }
                if depth == 1 && at.as_str() == "/components" && key == "schemas" {
                    continue; // already normalised
                }
                if key == "schema" && child.is_object() {
                    normalise_schema(child, &child_at, warnings, 0)?;
                } else {
                    walk_for_schemas(child, &child_at, warnings, depth + 1)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk_for_schemas(child, &at.push(i), warnings, depth + 1)?;
            }
        }
        _ => {}
    }
    Ok(())
}

const CALLBACKS_NOT_GENERATED: &str =
    "callbacks describe requests the API sends to you; no client code is generated for them";

/// Keywords of an OpenAPI 3.0 Schema Object that `openapiv3` reads.
const SCHEMA_KEYWORDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// Annotations removed because they never change the Rust type.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$comment", "$anchor", "contentEncoding", "contentMediaType"];

/// Keywords that are valid JSON Schema but have no equivalent here; ignored with a warning.
const IGNORED_JSON_SCHEMA: &[&str] = &[
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
];

/// Keywords holding named schemas for `$ref`s to point into: kept as written, never lowered on their
/// own; a definition is normalised and becomes a type where a `$ref` points at it.
const DEFINITION_CONTAINERS: &[&str] = &["$defs", "definitions"];

/// Keywords allowed only as siblings of `$ref` that carry documentation: kept on the wrapper.
fn is_doc_sibling(key: &str) -> bool {
    matches!(
        key,
        "description"
            | "summary"
            | "title"
            | "example"
            | "examples"
            | "deprecated"
            | "readOnly"
            | "writeOnly"
            | "default"
    ) || key.starts_with("x-")
}

fn normalise_schema(value: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>, depth: usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid(at, format!("schemas nested deeper than {MAX_DEPTH} levels")));
    }
    // JSON Schema allows `true` (anything) and `false` (nothing) as schemas.
    if let Value::Bool(b) = value {
        if !*b {
            warnings.push(Warning {
                pointer: at.clone(),
                message: "schema `false` (no value allowed) is generated as an arbitrary JSON value".into(),
            });
        }
        *value = Value::Object(Map::new());
        return Ok(());
    }
    let Value::Object(map) = value else {
        return Err(Error::invalid(at, format!("expected a schema (a mapping), found {}", kind(value))));
    };

    // `summary` is not a schema keyword; in 3.1 it may sit beside `$ref`.
    if map.contains_key("$ref") {
        let target = &map["$ref"];
        if !target.is_string() {
            return Err(Error::invalid(
                &at.push("$ref"),
                format!("expected a reference string, found {}", kind(target)),
            ));
        }
        if map.len() == 1 {
            return Ok(());
        }
        // Keep the reference in an `allOf` so `openapiv3` does not drop its siblings.
        let reference = map.remove("$ref").expect("checked");
        let only_docs = map.keys().all(|k| is_doc_sibling(k));
        let mut wrapped = Map::new();
        wrapped.insert("$ref".into(), reference);
        let existing = map.remove("allOf");
        let mut all_of = vec![Value::Object(wrapped)];
        if let Some(Value::Array(more)) = existing {
            all_of.extend(more);
        }
        map.insert("allOf".into(), Value::Array(all_of));
        if only_docs {
            map.insert("x-codegen-ref-docs".into(), Value::Bool(true));
        }
    }

    for key in ANNOTATIONS {
        map.remove(*key);
    }
    map.remove("summary");

    // `type` arrays.
    if let Some(ty) = map.get("type").cloned() {
        match ty {
            Value::String(_) => {}
            Value::Array(types) => {
                let mut names = Vec::new();
                for (i, t) in types.iter().enumerate() {
                    match t.as_str() {
                        Some(s) => names.push(s.to_owned()),
                        None => {
                            return Err(Error::invalid(
                                &at.push("type").push(i),
                                format!("expected a type name, found {}", kind(t)),
                            ));
                        }
                    }
                }
                let nullable = names.iter().any(|n| n == "null");
                names.retain(|n| n != "null");
                names.dedup();
                if nullable {
                    map.insert("nullable".into(), Value::Bool(true));
                }
                match names.len() {
                    0 => {
                        map.remove("type");
                        map.insert("x-codegen-null".into(), Value::Bool(true));
                    }
                    1 => {
                        map.insert("type".into(), Value::String(names.remove(0)));
                    }
                    _ => split_multi_type(map, &names),
                }
            }
            other => {
                return Err(Error::invalid(
                    &at.push("type"),
                    format!("expected a type name or an array of type names, found {}", kind(&other)),
                ));
            }
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
        map.insert("x-codegen-null".into(), Value::Bool(true));
    }

    if let Some(c) = map.remove("const") {
        if map.contains_key("enum") {
            warnings
                .push(Warning { pointer: at.push("const"), message: "both `const` and `enum`: `const` wins".into() });
        }
        map.insert("enum".into(), Value::Array(vec![c]));
    }
    if let Some(examples) = map.remove("examples")
        && let Value::Array(mut items) = examples
        && !map.contains_key("example")
        && !items.is_empty()
    {
        map.insert("example".into(), items.swap_remove(0));
    }
    for (bound, flag) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
        if let Some(Value::Number(n)) = map.get(flag).cloned() {
            map.insert(bound.into(), Value::Number(n));
            map.insert(flag.into(), Value::Bool(true));
        }
    }
    if let Some(required) = map.get("required")
        && !required.is_array()
    {
        // A common 3.0 mistake: `required: true` on a property. Required-ness belongs to the parent.
        warnings.push(Warning {
            pointer: at.push("required"),
            message: format!(
                "`required` must list property names, found {}; ignored (mark the property required in its parent)",
                kind(required)
            ),
        });
        map.remove("required");
    }
    if let Some(nullable) = map.get("nullable")
        && !nullable.is_boolean()
    {
        return Err(Error::invalid(&at.push("nullable"), format!("expected a boolean, found {}", kind(nullable))));
    }
    for key in ["description", "title", "format", "pattern"] {
        if let Some(v) = map.get(key)
            && !v.is_string()
        {
            warnings.push(Warning {
                pointer: at.push(key),
                message: format!("expected a string, found {}; ignored", kind(v)),
            });
            map.remove(key);
        }
    }
    if let Some(v) = map.get("enum")
        && !v.is_array()
    {
        return Err(Error::invalid(&at.push("enum"), format!("expected an array of values, found {}", kind(v))));
    }

    // `oneOf`/`anyOf` with a `{type: 'null'}` branch.
    for key in ["oneOf", "anyOf"] {
        let Some(list) = map.get_mut(key) else { continue };
        let Value::Array(branches) = list else {
            return Err(Error::invalid(&at.push(key), format!("expected an array of schemas, found {}", kind(list))));
        };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() != before {
            map.insert("nullable".into(), Value::Bool(true));
            let Some(Value::Array(branches)) = map.get(key) else { unreachable!() };
            if branches.len() == 1 {
                let single = map.remove(key).and_then(|v| v.as_array().cloned()).unwrap_or_default().remove(0);
                let mut all = match map.remove("allOf") {
                    Some(Value::Array(a)) => a,
                    _ => Vec::new(),
                };
                all.insert(0, single);
                map.insert("allOf".into(), Value::Array(all));
            }
        }
    }

    // Account for every keyword.
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        if key.starts_with("x-")
            || SCHEMA_KEYWORDS.contains(&key.as_str())
            || DEFINITION_CONTAINERS.contains(&key.as_str())
        {
            continue;
        }
        let message = if IGNORED_JSON_SCHEMA.contains(&key.as_str()) {
            format!(
                "JSON Schema keyword `{key}` has no OpenAPI 3.0 equivalent and does not change the generated type; ignored"
            )
        } else {
            format!("unknown schema keyword `{key}`; ignored")
        };
        warnings.push(Warning { pointer: at.push(&key), message });
        map.remove(&key);
    }

    // Recurse into subschemas.
    let child_depth = depth + 1;

    if let Some(props) = map.get_mut("properties") {
        let p_at = at.push("properties");
        let Value::Object(props) = props else {
            return Err(Error::invalid(
                &p_at,
                format!("expected a mapping of property names to schemas, found {}", kind(props)),
            ));
        };
        for (name, schema) in props.iter_mut() {
            normalise_schema(schema, &p_at.push(name), warnings, child_depth)?;
        }
    }
    for key in ["items", "not"] {
        if let Some(child) = map.get_mut(key) {
            if key == "items" && child.is_array() {
                // Draft-04 tuple `items: [A, B]`: the element type is left open.
                warnings.push(Warning {
                    pointer: at.push(key),
                    message: "tuple-form `items` (an array of schemas) is generated as arbitrary JSON values".into(),
                });
                map.remove(key);
                continue;
            }
            normalise_schema(child, &at.push(key), warnings, child_depth)?;
        }
    }
    if let Some(child) = map.get_mut("additionalProperties") {
        if child.is_object() {
            normalise_schema(child, &at.push("additionalProperties"), warnings, child_depth)?;
        } else if !child.is_boolean() {
            return Err(Error::invalid(
                &at.push("additionalProperties"),
                format!("expected a boolean or a schema, found {}", kind(child)),
            ));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = map.get_mut(key) {
            let Value::Array(branches) = list else {
                return Err(Error::invalid(
                    &at.push(key),
                    format!("expected an array of schemas, found {}", kind(list)),
                ));
            };
            for (i, b) in branches.iter_mut().enumerate() {
                normalise_schema(b, &at.push(key).push(i), warnings, child_depth)?;
            }
        }
    }
    Ok(())
}

fn is_null_schema(value: &Value) -> bool {
    match value.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => value.get("enum").is_some_and(|e| e == &Value::Array(vec![Value::Null])),
    }
}

/// Which keywords belong to which type, for splitting `type: [A, B]` into `anyOf` branches.
fn keyword_type(key: &str) -> Option<&'static str> {
    Some(match key {
        "format" | "pattern" | "minLength" | "maxLength" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => "object",
        _ => return None,
    })
}

fn split_multi_type(map: &mut Map<String, Value>, names: &[String]) {
    map.remove("type");
    let mut branches = Vec::new();
    for name in names {
        let mut branch = Map::new();
        branch.insert("type".into(), Value::String(name.clone()));
        for (k, v) in map.iter() {
            let owner = keyword_type(k);
            let applies = owner == Some(name.as_str()) || (owner == Some("number") && name == "integer");
            if applies {
                branch.insert(k.clone(), v.clone());
            }
        }
        branches.push(Value::Object(branch));
    }
    map.retain(|k, _| keyword_type(k).is_none());
    map.insert("anyOf".into(), Value::Array(branches));
}

fn typed(raw: &Value) -> Result<OpenAPI, Error> {
    serde_path_to_error::deserialize(raw).map_err(|e| narrow(raw).unwrap_or_else(|| path_error(&Pointer::root(), e)))
}

/// `serde_path_to_error` loses the path inside `openapiv3`'s untagged and flattened types (a bad
/// operation is reported at `/paths`). Re-typing the usual suspects one by one finds the node.
fn narrow(raw: &Value) -> Option<Error> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Option<Error> {
        serde_path_to_error::deserialize::<_, T>(value).err().map(|e| path_error(at, e))
    }
    let root = Pointer::root();
    if let Some(Value::Object(paths)) = raw.get("paths") {
        for (path, item) in paths {
            let item_at = root.push("paths").push(path);
            let Value::Object(item_map) = item else {
                return check::<openapiv3::PathItem>(item, &item_at);
            };
            for (method, op) in item_map {
                let op_at = item_at.push(method);
                let found = match method.as_str() {
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                        check::<openapiv3::Operation>(op, &op_at)
                    }
                    "parameters" => check::<Vec<openapiv3::ReferenceOr<openapiv3::Parameter>>>(op, &op_at),
                    _ => None,
                };
                if found.is_some() {
                    return found;
                }
            }
        }
    }
    if let Some(Value::Object(components)) = raw.get("components") {
        let at = root.push("components");
        for (kind, entries) in components {
            let Value::Object(entries) = entries else { continue };
            for (name, entry) in entries {
                let e_at = at.push(kind).push(name);
                let found = match kind.as_str() {
                    "parameters" => check::<openapiv3::ReferenceOr<openapiv3::Parameter>>(entry, &e_at),
                    "responses" => check::<openapiv3::ReferenceOr<openapiv3::Response>>(entry, &e_at),
                    "requestBodies" => check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(entry, &e_at),
                    "securitySchemes" => check::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>(entry, &e_at),
                    "headers" => check::<openapiv3::ReferenceOr<openapiv3::Header>>(entry, &e_at),
                    "schemas" => check::<openapiv3::ReferenceOr<openapiv3::Schema>>(entry, &e_at),
                    _ => None,
                };
                if found.is_some() {
                    return found;
                }
            }
        }
    }
    None
}

fn path_error(base: &Pointer, e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    {
        let mut pointer = base.clone();
        for segment in e.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Map { key } => pointer = pointer.push(key),
                Segment::Seq { index } => pointer = pointer.push(index),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        let message = e.into_inner().to_string();
        let message = if message.contains("did not match any variant of untagged enum ReferenceOr") {
            "expected either a `$ref` or an inline object of the kind OpenAPI allows here".to_owned()
        } else {
            message
        };
        Error::Invalid { pointer, message }
    }
}
