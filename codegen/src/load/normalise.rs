//! Normalising: OpenAPI 3.1 (JSON Schema 2020-12) spellings → the 3.0 spellings `openapiv3`
//! reads, in place, accounting for every keyword. [`schema`] runs the passes in the order of the
//! table in [`crate::load`]; each pass is one function below, named for its row.

mod required;
mod v32;

use serde_json::{Map, Value};

use super::MAX_DEPTH;
use crate::diagnostics::{Diagnostics, expected, kind};
use crate::error::{Error, Pointer};

/// Keys under which the document holds data, not OpenAPI objects: never walked into.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

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

/// OpenAPI 3.2's additions outside schemas, rewritten into what the rest reads (or reported),
/// in the document as written: lowering reads schemas there, so it must see them rewritten too.
/// Nothing for 3.0 and 3.1.
pub(super) fn additions_32(original: &mut Value, diag: &mut Diagnostics) -> Result<(), Error> {
    match original {
        Value::Object(obj) if v32::is_32(obj) => v32::before(obj, diag),
        _ => Ok(()),
    }
}

/// Normalises a whole document: the required fields `openapiv3` would refuse to miss
/// ([`required`]), component schemas, every schema under a `schema` key (webhooks' included), the
/// webhooks gathered where lowering reads them ([`webhooks`]), and callbacks, for which no code is
/// generated, reported.
pub(super) fn document(raw: &mut Value, diag: &mut Diagnostics) -> Result<(), Error> {
    let root = Pointer::root();
    let Value::Object(obj) = raw else {
        return Err(Error::expected(&root, "an OpenAPI document (a mapping)", raw));
    };
    let v32 = v32::is_32(obj);
    required::document(obj, diag)?;
    if let Some(Value::Object(components)) = obj.get_mut("components")
        && let Some(schemas) = components.get_mut("schemas")
    {
        let at = root.push("components").push("schemas");
        let Value::Object(schemas) = schemas else {
            return Err(Error::expected(&at, "a mapping of schema names to schemas", schemas));
        };
        for (name, schema) in schemas.iter_mut() {
            self::schema(schema, &at.push(name), diag, 0)?;
        }
    }
    remove_callbacks(raw, diag);
    // Every other schema in the document sits under a `schema` key (parameters, headers, media types).
    walk_for_schemas(raw, &root, diag, 0)?;
    if let Value::Object(obj) = raw {
        webhooks(obj, diag)?;
        if v32 {
            v32::after(obj);
        }
    }
    Ok(())
}

/// Where the webhooks go for lowering: an extension `openapiv3` keeps
/// ([`crate::lower`]'s webhooks read it).
pub(crate) const WEBHOOKS: &str = "x-codegen-webhooks";

/// Gathers the webhooks, requests the API sends to you: 3.1's `webhooks` and `x-webhooks` (where
/// 3.0 specs such as GitHub's put them; its schemas normalised here like every other), as a list
/// of `{key, name, item}` in document order under [`WEBHOOKS`]. A name both declare is taken from
/// `webhooks`, with a warning at the other.
fn webhooks(obj: &mut Map<String, Value>, diag: &mut Diagnostics) -> Result<(), Error> {
    let root = Pointer::root();
    let mut entries: Vec<Value> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for key in ["webhooks", "x-webhooks"] {
        let Some(mut hooks) = obj.remove(key) else { continue };
        let at = root.push(key);
        if key == "x-webhooks" {
            walk_for_schemas(&mut hooks, &at, diag, 1)?;
        }
        let Value::Object(hooks) = hooks else {
            return Err(Error::expected(&at, "a mapping of webhook names to path items", &hooks));
        };
        for (name, item) in hooks {
            // Extensions of the map (`x-sdk-exclude: true`), not webhooks.
            if name.starts_with("x-") {
                continue;
            }
            if !names.insert(name.clone()) {
                diag.warn(
                    &at.push(&name),
                    format!("webhook `{name}` is also in `webhooks`, which is used; this one is ignored"),
                );
                continue;
            }
            entries.push(serde_json::json!({"key": key, "name": name, "item": item}));
        }
    }
    if !entries.is_empty() {
        obj.insert(WEBHOOKS.to_owned(), Value::Array(entries));
    }
    Ok(())
}

/// Callbacks describe requests the API makes to you; no client code is generated for them.
fn remove_callbacks(raw: &mut Value, diag: &mut Diagnostics) {
    let root = Pointer::root();
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            for (method, op) in item.iter_mut() {
                if let Value::Object(op) = op
                    && op.remove("callbacks").is_some()
                {
                    diag.warn(&root.push("paths").push(path).push(method).push("callbacks"), CALLBACKS_NOT_GENERATED);
                }
            }
        }
    }
    if let Some(Value::Object(components)) = raw.get_mut("components")
        && components.remove("callbacks").is_some()
    {
        diag.warn(&root.push("components").push("callbacks"), CALLBACKS_NOT_GENERATED);
    }
}

fn walk_for_schemas(value: &mut Value, at: &Pointer, diag: &mut Diagnostics, depth: usize) -> Result<(), Error> {
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
                    schema(child, &child_at, diag, 0)?;
                } else {
                    walk_for_schemas(child, &child_at, diag, depth + 1)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk_for_schemas(child, &at.push(i), diag, depth + 1)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Normalises one schema and, recursively, its subschemas.
pub(super) fn schema(value: &mut Value, at: &Pointer, diag: &mut Diagnostics, depth: usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid(at, format!("schemas nested deeper than {MAX_DEPTH} levels")));
    }
    boolean_schema(value, at, diag);
    let Value::Object(map) = value else {
        return Err(Error::expected(at, "a schema (a mapping)", value));
    };
    if !ref_siblings(map, at)? {
        return Ok(());
    }
    drop_annotations(map);
    type_arrays(map, at)?;
    null_type(map);
    const_to_enum(map, at, diag);
    examples_to_example(map);
    exclusive_bounds(map);
    check_shapes(map, at, diag)?;
    required::schema(map, at, diag);
    null_branches(map, at)?;
    account_for_keywords(map, at, diag);
    subschemas(map, at, diag, depth + 1)
}

/// JSON Schema allows `true` (anything) and `false` (nothing) as schemas: both become `{}`.
fn boolean_schema(value: &mut Value, at: &Pointer, diag: &mut Diagnostics) {
    if let Value::Bool(b) = value {
        if !*b {
            diag.warn(at, "schema `false` (no value allowed) is generated as an arbitrary JSON value");
        }
        *value = Value::Object(Map::new());
    }
}

/// `$ref` with sibling keywords (3.1, or 3.0's common `nullable` next to `$ref`) → `allOf: [{$ref}]`
/// plus the siblings, so `description` and `nullable` are kept. Returns whether there is more to
/// normalise (`false` for a bare `$ref`).
fn ref_siblings(map: &mut Map<String, Value>, at: &Pointer) -> Result<bool, Error> {
    let Some(target) = map.get("$ref") else { return Ok(true) };
    if !target.is_string() {
        return Err(Error::expected(&at.push("$ref"), "a reference string", target));
    }
    if map.len() == 1 {
        return Ok(false);
    }
    // Keep the reference in an `allOf` so `openapiv3` does not drop its siblings.
    let reference = map.remove("$ref").expect("checked");
    let only_docs = map.keys().all(|k| is_doc_sibling(k));
    let mut wrapped = Map::new();
    wrapped.insert("$ref".into(), reference);
    let mut all_of = vec![Value::Object(wrapped)];
    if let Some(Value::Array(more)) = map.remove("allOf") {
        all_of.extend(more);
    }
    map.insert("allOf".into(), Value::Array(all_of));
    if only_docs {
        map.insert("x-codegen-ref-docs".into(), Value::Bool(true));
    }
    Ok(true)
}

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

/// `$schema`, `$id`, `$comment`, `$anchor`, `contentEncoding`, `contentMediaType` (and `summary`,
/// which may sit beside `$ref` in 3.1): removed.
fn drop_annotations(map: &mut Map<String, Value>) {
    // 3.1 spells a binary string `contentMediaType` (of a non-textual type) without
    // `contentEncoding`; 3.0 spells it `format: binary`, which it becomes here, so multipart file
    // parts are recognised.
    let textual = |m: &str| {
        let m = m.to_ascii_lowercase();
        m.starts_with("text/") || m.contains("json") || m.contains("xml")
    };
    if map.get("contentMediaType").and_then(Value::as_str).is_some_and(|m| !textual(m))
        && !map.contains_key("contentEncoding")
        && !map.contains_key("format")
        && map.get("type").is_none_or(|t| t == "string")
    {
        map.insert("format".into(), Value::String("binary".into()));
        map.entry("type").or_insert_with(|| Value::String("string".into()));
    }
    for key in ANNOTATIONS {
        map.remove(*key);
    }
    map.remove("summary");
}

/// `type: [T, 'null']` → `type: T` + `nullable: true`; `type: ['null']` → `x-codegen-null`;
/// several non-null types → `anyOf` with one branch per type.
fn type_arrays(map: &mut Map<String, Value>, at: &Pointer) -> Result<(), Error> {
    let Some(ty) = map.get("type") else { return Ok(()) };
    let types = match ty {
        Value::String(_) => return Ok(()),
        Value::Array(types) => types,
        other => return Err(Error::expected(&at.push("type"), "a type name or an array of type names", other)),
    };
    let mut names = Vec::new();
    for (i, t) in types.iter().enumerate() {
        match t.as_str() {
            Some(s) => names.push(s.to_owned()),
            None => return Err(Error::expected(&at.push("type").push(i), "a type name", t)),
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
    Ok(())
}

/// `type: 'null'` → `nullable: true` + `x-codegen-null: true` (a value that is always `null`).
fn null_type(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
        map.insert("x-codegen-null".into(), Value::Bool(true));
    }
}

/// `const: v` → `enum: [v]`.
fn const_to_enum(map: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    if let Some(c) = map.remove("const") {
        if map.contains_key("enum") {
            diag.warn(&at.push("const"), "both `const` and `enum`: `const` wins");
        }
        map.insert("enum".into(), Value::Array(vec![c]));
    }
}

/// `examples: [a, ...]` → `example: a` (examples are documentation only).
fn examples_to_example(map: &mut Map<String, Value>) {
    if let Some(examples) = map.remove("examples")
        && let Value::Array(mut items) = examples
        && !map.contains_key("example")
        && !items.is_empty()
    {
        map.insert("example".into(), items.swap_remove(0));
    }
}

/// Numeric `exclusiveMinimum: n` / `exclusiveMaximum: n` → `minimum: n` + `exclusiveMinimum: true`.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (bound, flag) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
        if let Some(Value::Number(n)) = map.get(flag).cloned() {
            map.insert(bound.into(), Value::Number(n));
            map.insert(flag.into(), Value::Bool(true));
        }
    }
}

/// Keywords whose value has the wrong shape: dropped with a warning where nothing depends on them,
/// an error where the type would change.
fn check_shapes(map: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) -> Result<(), Error> {
    if let Some(required) = map.get("required")
        && !required.is_array()
    {
        // A common 3.0 mistake: `required: true` on a property. Required-ness belongs to the parent.
        diag.warn(
            &at.push("required"),
            format!(
                "`required` must list property names, found {}; ignored (mark the property required in its parent)",
                kind(required)
            ),
        );
        map.remove("required");
    }
    if let Some(nullable) = map.get("nullable")
        && !nullable.is_boolean()
    {
        return Err(Error::expected(&at.push("nullable"), "a boolean", nullable));
    }
    for key in ["description", "title", "format", "pattern"] {
        if let Some(v) = map.get(key)
            && !v.is_string()
        {
            diag.warn(&at.push(key), format!("{}; ignored", expected("a string", v)));
            map.remove(key);
        }
    }
    if let Some(v) = map.get("enum")
        && !v.is_array()
    {
        return Err(Error::expected(&at.push("enum"), "an array of values", v));
    }
    // Validation keywords only constrain values: a malformed one is dropped, never fatal.
    for key in ["minimum", "maximum", "multipleOf"] {
        if let Some(v) = map.get(key)
            && !v.is_number()
        {
            diag.warn(&at.push(key), format!("{}; ignored", expected("a number", v)));
            map.remove(key);
        }
    }
    for key in ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"] {
        if let Some(v) = map.get(key)
            && !v.is_boolean()
        {
            diag.warn(&at.push(key), format!("{}; ignored", expected("a boolean", v)));
            map.remove(key);
        }
    }
    for key in ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"] {
        if let Some(v) = map.get(key)
            && !v.is_u64()
        {
            diag.warn(&at.push(key), format!("{}; ignored", expected("a non-negative 64-bit integer", v)));
            map.remove(key);
        }
    }
    Ok(())
}

/// `oneOf`/`anyOf` with a `{type: 'null'}` branch → the other branches + `nullable: true` (a single
/// remaining branch is used directly, through `allOf`).
fn null_branches(map: &mut Map<String, Value>, at: &Pointer) -> Result<(), Error> {
    for key in ["oneOf", "anyOf"] {
        let Some(list) = map.get_mut(key) else { continue };
        let Value::Array(branches) = list else {
            return Err(Error::expected(&at.push(key), "an array of schemas", list));
        };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() == before {
            continue;
        }
        let single = branches.len() == 1;
        map.insert("nullable".into(), Value::Bool(true));
        if single {
            let Some(Value::Array(mut branches)) = map.remove(key) else { unreachable!("checked above") };
            let mut all = match map.remove("allOf") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            all.insert(0, branches.remove(0));
            map.insert("allOf".into(), Value::Array(all));
        }
    }
    Ok(())
}

/// Every keyword left is an OpenAPI 3.0 one, an extension or a definitions container; anything
/// else is removed with a warning (an error in strict mode).
fn account_for_keywords(map: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    map.retain(|key, _| {
        if key.starts_with("x-")
            || SCHEMA_KEYWORDS.contains(&key.as_str())
            || DEFINITION_CONTAINERS.contains(&key.as_str())
        {
            return true;
        }
        let message = if IGNORED_JSON_SCHEMA.contains(&key.as_str()) {
            format!(
                "JSON Schema keyword `{key}` has no OpenAPI 3.0 equivalent and does not change the generated type; ignored"
            )
        } else {
            format!("unknown schema keyword `{key}`; ignored")
        };
        diag.warn(&at.push(key), message);
        false
    });
}

/// Recurses into `properties`, `items`, `not`, `additionalProperties`, `allOf`, `oneOf`, `anyOf`.
fn subschemas(map: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics, depth: usize) -> Result<(), Error> {
    if let Some(props) = map.get_mut("properties") {
        let p_at = at.push("properties");
        let Value::Object(props) = props else {
            return Err(Error::expected(&p_at, "a mapping of property names to schemas", props));
        };
        for (name, child) in props.iter_mut() {
            schema(child, &p_at.push(name), diag, depth)?;
        }
    }
    if map.get("items").is_some_and(Value::is_array) {
        // Draft-04 tuple `items: [A, B]`: the element type is left open.
        diag.warn(&at.push("items"), "tuple-form `items` (an array of schemas) is generated as arbitrary JSON values");
        map.remove("items");
    }
    for key in ["items", "not"] {
        if let Some(child) = map.get_mut(key) {
            schema(child, &at.push(key), diag, depth)?;
        }
    }
    if let Some(child) = map.get_mut("additionalProperties") {
        if child.is_object() {
            schema(child, &at.push("additionalProperties"), diag, depth)?;
        } else if !child.is_boolean() {
            return Err(Error::expected(&at.push("additionalProperties"), "a boolean or a schema", child));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = map.get_mut(key) {
            let Value::Array(branches) = list else {
                return Err(Error::expected(&at.push(key), "an array of schemas", list));
            };
            for (i, b) in branches.iter_mut().enumerate() {
                schema(b, &at.push(key).push(i), diag, depth)?;
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

/// `type: [A, B, ...]` → `anyOf: [{type: A, ...}, {type: B, ...}]`, each branch keeping the
/// keywords for its type.
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn normalised(mut value: Value) -> (Value, Vec<String>) {
        let mut diag = Diagnostics::default();
        schema(&mut value, &Pointer::root().push("s"), &mut diag, 0).unwrap();
        (value, diag.finish().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn type_array_with_null() {
        let (v, w) = normalised(json!({"type": ["string", "null"]}));
        assert_eq!(v, json!({"type": "string", "nullable": true}));
        assert!(w.is_empty());
    }

    #[test]
    fn multi_type_splits_keywords() {
        let (v, _) = normalised(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1}));
        assert_eq!(v, json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]}));
    }

    #[test]
    fn ref_with_siblings_becomes_all_of() {
        let (v, _) = normalised(json!({"$ref": "#/components/schemas/A", "description": "d"}));
        assert_eq!(
            v,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}], "x-codegen-ref-docs": true})
        );
    }

    #[test]
    fn const_exclusive_and_examples() {
        let (v, _) = normalised(json!({"const": "a", "examples": ["x", "y"]}));
        assert_eq!(v, json!({"enum": ["a"], "example": "x"}));
        let (v, _) = normalised(json!({"type": "number", "exclusiveMinimum": 0}));
        assert_eq!(v, json!({"type": "number", "exclusiveMinimum": true, "minimum": 0}));
    }

    #[test]
    fn null_branch_of_one_of() {
        let (v, _) = normalised(json!({"oneOf": [{"type": "null"}, {"$ref": "#/A"}]}));
        assert_eq!(v, json!({"nullable": true, "allOf": [{"$ref": "#/A"}]}));
    }

    #[test]
    fn unknown_keywords_are_reported() {
        let (v, w) = normalised(json!({"type": "object", "patternProperties": {}, "frobnicate": 1}));
        assert_eq!(v, json!({"type": "object"}));
        assert_eq!(w.len(), 2);
        assert!(w[0].contains("#/s/frobnicate") && w[0].contains("unknown schema keyword"));
        assert!(w[1].contains("patternProperties") && w[1].contains("no OpenAPI 3.0 equivalent"));
    }

    #[test]
    fn bad_shapes_name_the_pointer() {
        let mut diag = Diagnostics::default();
        let mut v = json!({"properties": {"a": {"nullable": "yes"}}});
        let e = schema(&mut v, &Pointer::root(), &mut diag, 0).unwrap_err();
        assert_eq!(e.to_string(), "at #/properties/a/nullable: expected a boolean, found a string");
    }
}
