//! Parsing: YAML or JSON text → `serde_json::Value`, the version check, and typing the normalised
//! value as `openapiv3::OpenAPI` with errors narrowed to the JSON pointer of the offending node.
//!
//! Numbers: JSON Schema numbers have no size limit, but a JSON value holds an `i64`, a `u64` or
//! an `f64`. An integer beyond 64 bits (`maximum: 18446744073709552000`, as two large AI vendors
//! write) is loaded as the nearest `f64`, in YAML as in JSON (where `serde_json` already does so);
//! lowering decides what such a value means for the Rust type ([`crate::lower`]). A number beyond
//! `f64` (`1e400`) has no JSON representation: in JSON it is a syntax error with line and column;
//! in YAML it is not a number at all (the YAML parser reads it as a string), so a keyword that
//! needs a number reports it with its pointer.

mod yaml;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Pointer};

/// Parses YAML or JSON text into a JSON value. JSON is tried when the text starts with `{`.
///
/// # Example
///
/// ```
/// let value = codegen::parse("openapi: 3.1.0\ninfo: {title: T, version: '1'}\n").unwrap();
/// assert_eq!(value["info"]["title"], "T");
/// let error = codegen::parse("{\"openapi\": ").unwrap_err();
/// assert!(error.to_string().contains("line 1"), "{error}");
/// ```
pub fn parse(text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| Error::Syntax {
            format: "JSON",
            location: Some((e.line(), e.column())),
            message: strip_location(&e.to_string()),
        });
    }
    yaml::parse(trimmed)
}

fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Refuses what is not OpenAPI 3.0, 3.1 or 3.2, saying what it is instead.
pub(super) fn check_version(raw: &Value) -> Result<(), Error> {
    let root = Pointer::root();
    let Some(obj) = raw.as_object() else {
        return Err(Error::expected(&root, "an OpenAPI document (a mapping)", raw));
    };
    if let Some(swagger) = obj.get("swagger") {
        return Err(Error::unsupported(
            &root.push("swagger"),
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0, 3.1 and 3.2 are supported. \
                 Convert it first, e.g. `npx swagger2openapi spec.yaml -o spec3.yaml`",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    let Some(version) = obj.get("openapi") else {
        return Err(Error::invalid(&root, "not an OpenAPI document: the `openapi` field is missing"));
    };
    let Some(version) = version.as_str() else {
        return Err(Error::expected(&root.push("openapi"), "a version string such as \"3.1.0\"", version));
    };
    if version.starts_with("3.0") || version.starts_with("3.1") || version.starts_with("3.2") {
        Ok(())
    } else {
        Err(Error::unsupported(
            &root.push("openapi"),
            format!("OpenAPI version `{version}`: supported are 3.0.x, 3.1.x and 3.2.x"),
        ))
    }
}

/// Types the normalised document. Tracking the path costs a sixth of the typing (GitHub's spec:
/// 920 M instructions with it, 772 M without), so it is paid only on the error path: a document
/// that fails is typed again with `serde_path_to_error` (the same deserialiser, so the same
/// error), then narrowed.
pub(super) fn typed(raw: &Value) -> Result<OpenAPI, Error> {
    use serde::Deserialize;
    OpenAPI::deserialize(raw).or_else(|_| {
        serde_path_to_error::deserialize(raw)
            .map_err(|e| narrow(raw).unwrap_or_else(|| path_error(&Pointer::root(), e)))
    })
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
