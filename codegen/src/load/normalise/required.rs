//! Required fields: what `openapiv3` requires and real specs leave out.
//!
//! `openapiv3` refuses a document when a field its types require is missing, even where the
//! generator would lose nothing by going on (a vendor's official spec without `info.version`).
//! Each required field gets one decision, applied here before typing; the table is
//! below, and `codegen/tests/bad_specs.rs` asserts each row and writes the messages into
//! `codegen/ERRORS.md`. The kinds of decision:
//!
//! - **default, with a warning**: the field only documents, or a neutral value exists;
//! - **drop the node, with a warning**: the node is not used by the generator (tags, links,
//!   external docs, a server without a URL);
//! - **error**: the generator cannot guess without changing what the client sends (a parameter
//!   without a name, an API key scheme without the header's name).
//!
//! Every warning and error names the JSON pointer of the node. `$ref` objects are left alone:
//! their targets are checked where they are defined.
//!
//! | missing (or malformed) | decision |
//! |---|---|
//! | `openapi` | error: not an OpenAPI document (checked before anything else) |
//! | `info` | an empty title and version, with one warning |
//! | `info.title` | default empty (the docs say "this API"), with a warning |
//! | `info.version` | default empty (the docs leave the version out), with a warning |
//! | `info.title`/`info.version` written as a number or boolean | read as its text, with a warning (quote it to keep `1.10` exact) |
//! | `info.license.name` | the license is dropped, with a warning (not used) |
//! | `paths` | default `{}` (optional in 3.1), with a warning: no operations are generated |
//! | operation `responses` | default `{}`, with a warning: the call returns `()` and ignores any body |
//! | response `description` | default empty, with a warning |
//! | parameter `name` or `in` | error: the client cannot send a parameter it cannot name or place |
//! | parameter or header `schema`/`content` | default `schema: {type: string}`, with a warning |
//! | server `url` | the server is dropped, with a warning (the base URL comes from the next one, or the caller) |
//! | server variable `default` | its first `enum` value, with a warning; without `enum` the server is dropped, with a warning |
//! | tag `name` | the tag is dropped, with a warning (tags only group operations) |
//! | `externalDocs.url` (document, tag, operation, schema) | `externalDocs` is dropped, with a warning (not used) |
//! | link `operationId`/`operationRef` | the link is dropped, with a warning (links are not generated) |
//! | `discriminator.propertyName` | the discriminator is dropped, with a warning: the union is decoded untagged |
//! | `apiKey` scheme `name`/`in`, `http` scheme `scheme`, unknown scheme `type` | error: the client would send the key wrong |
//! | `oauth2` scheme `flows` (and each flow's URLs and `scopes`) | not used (the key is sent as a bearer token): an invalid `flows` becomes `{}`, with a warning |
//! | `openIdConnect` scheme `openIdConnectUrl` | default empty, with a warning (not used) |
//! | `mutualTLS` scheme (3.1) | dropped, and removed from every security requirement, with a warning: the certificate is a client setting (`ClientBuilder::configure_http`) |
//! | any field of an OpenAPI object (not a schema) left empty in YAML (`servers:`, `paths:`: `null`) | removed as if absent (then as above), with a warning |
//! | path not starting with `/` | dropped, with a warning (openapiv3 would drop it silently) |
//! | response key that is not a status code, a range or `default` | dropped, with a warning (openapiv3 would drop it silently) |
//! | encoding `explode` | written out, silently: `true` for `style: form` (or no style), else `false`, as the specification defaults it (openapiv3 reads a missing one as `false`) |

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostics, expected, kind};
use crate::error::{Error, Pointer};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Applies the decisions to a whole document (an object, checked by `check_version`).
pub(super) fn document(raw: &mut Map<String, Value>, diag: &mut Diagnostics) -> Result<(), Error> {
    let root = Pointer::root();
    drop_nulls(raw, &root, diag);
    if let Some(Value::Object(components)) = raw.get_mut("components") {
        drop_nulls(components, &root.push("components"), diag);
    }
    info(raw, diag);
    if !raw.contains_key("paths") {
        diag.warn(&root, "no `paths`: the client has no operations");
        raw.insert("paths".into(), Value::Object(Map::new()));
    }
    servers(raw, &root, diag);
    external_docs(raw, &root, diag);
    if let Some(Value::Array(tags)) = raw.get_mut("tags") {
        let at = root.push("tags");
        let mut i = 0;
        tags.retain_mut(|tag| {
            let t_at = at.push(i);
            i += 1;
            if !tag.get("name").is_some_and(Value::is_string) {
                diag.warn(&t_at, "tag without a `name`; ignored");
                return false;
            }
            if let Value::Object(tag) = tag {
                external_docs(tag, &t_at, diag);
            }
            true
        });
    }
    let mtls = security_schemes(raw, diag);
    if !mtls.is_empty() {
        remove_requirements(raw, &mtls);
    }
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        let at = root.push("paths");
        paths.retain(|path, _| {
            let keep = path.starts_with('/') || path.starts_with("x-");
            if !keep {
                diag.warn(&at.push(path), format!("path `{path}` does not start with `/`; ignored"));
            }
            keep
        });
        for (path, item) in paths.iter_mut() {
            if let Value::Object(item) = item {
                path_item(item, &at.push(path), diag)?;
            }
        }
    }
    let Some(Value::Object(components)) = raw.get_mut("components") else { return Ok(()) };
    let at = root.push("components");
    for (kind, entries) in components.iter_mut() {
        let Value::Object(entries) = entries else { continue };
        for (name, entry) in entries.iter_mut() {
            let Value::Object(entry) = entry else { continue };
            if entry.contains_key("$ref") {
                continue;
            }
            let e_at = at.push(kind).push(name);
            match kind.as_str() {
                "responses" => response(entry, &e_at, diag),
                "parameters" => parameter(entry, &e_at, diag)?,
                "headers" => header(entry, &e_at, diag),
                "requestBodies" => content(entry, &e_at, diag),
                "pathItems" => path_item(entry, &e_at, diag)?,
                _ => {}
            }
        }
        if kind == "links" {
            links(entries, &at.push("links"), diag);
        }
    }
    Ok(())
}

/// A schema's required fields: `discriminator.propertyName` and `externalDocs.url`.
pub(super) fn schema(map: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    if let Some(d) = map.get("discriminator")
        && !d.get("propertyName").is_some_and(Value::is_string)
    {
        diag.warn(
            &at.push("discriminator"),
            "`discriminator` without a `propertyName` string; ignored (the union is decoded untagged)",
        );
        map.remove("discriminator");
    }
    external_docs(map, at, diag);
}

/// An empty YAML key (`servers:`, `paths:`) is `null`, which `openapiv3` refuses where it wants a
/// list or a mapping. In an OpenAPI object (not a schema, not data) `null` says nothing: the key
/// is removed as if it were absent (and then defaulted or not like an absent one), with a warning.
fn drop_nulls(object: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    object.retain(|key, value| {
        let drop = value.is_null() && !key.starts_with("x-") && !matches!(key.as_str(), "example" | "default");
        if drop {
            diag.warn(&at.push(key), format!("`{key}` is empty (null); treated as absent"));
        }
        !drop
    });
}

/// `info`, `info.title`, `info.version`, `info.license.name`.
fn info(raw: &mut Map<String, Value>, diag: &mut Diagnostics) {
    let at = Pointer::root().push("info");
    let info = raw.entry("info").or_insert_with(|| {
        diag.warn(&at, "no `info`: generated without a title or version");
        let mut info = Map::new();
        info.insert("title".into(), Value::String(String::new()));
        info.insert("version".into(), Value::String(String::new()));
        Value::Object(info)
    });
    let Value::Object(info) = info else { return };
    for (key, missing) in [
        ("title", "no `info.title`: the docs call it \"this API\""),
        ("version", "no `info.version`: the docs leave the version out"),
    ] {
        match info.get(key) {
            None | Some(Value::Null) => {
                diag.warn(&at.push(key), missing);
                info.insert(key.into(), Value::String(String::new()));
            }
            Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                let text = v.to_string();
                diag.warn(
                    &at.push(key),
                    format!("written as {}; read as \"{text}\" (quote it to keep it exact)", kind(v)),
                );
                info.insert(key.into(), Value::String(text));
            }
            Some(_) => {}
        }
    }
    if let Some(license) = info.get("license")
        && !license.get("name").is_some_and(Value::is_string)
    {
        diag.warn(&at.push("license"), "license without a `name`; ignored");
        info.remove("license");
    }
}

/// `servers`: without a `url` a server is dropped; a variable without `default` takes its first
/// `enum` value, else the server is dropped.
fn servers(object: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    let Some(Value::Array(list)) = object.get_mut("servers") else { return };
    let at = at.push("servers");
    let mut i = 0;
    list.retain_mut(|server| {
        let s_at = at.push(i);
        i += 1;
        server_ok(server, &s_at, diag)
    });
}

/// Whether a server can be kept (after giving its variables defaults).
fn server_ok(server: &mut Value, at: &Pointer, diag: &mut Diagnostics) -> bool {
    if !server.get("url").is_some_and(Value::is_string) {
        diag.warn(at, "server without a `url`; ignored");
        return false;
    }
    let Some(Value::Object(variables)) = server.get_mut("variables") else { return true };
    for (name, variable) in variables.iter_mut() {
        let v_at = at.push("variables").push(name);
        let Value::Object(variable) = variable else {
            diag.warn(&v_at, format!("server variable `{name}` is not a mapping; server ignored"));
            return false;
        };
        if variable.get("default").is_some_and(Value::is_string) {
            continue;
        }
        let first = variable.get("enum").and_then(Value::as_array).and_then(|e| e.first()).and_then(Value::as_str);
        match first {
            Some(first) => {
                diag.warn(&v_at, format!("server variable `{name}` has no `default`; using its first value `{first}`"));
                let first = Value::String(first.to_owned());
                variable.insert("default".into(), first);
            }
            None => {
                diag.warn(&v_at, format!("server variable `{name}` has no `default` and no `enum`; server ignored"));
                return false;
            }
        }
    }
    true
}

/// `externalDocs` without a `url`: dropped.
fn external_docs(object: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    if let Some(docs) = object.get("externalDocs")
        && !docs.get("url").is_some_and(Value::is_string)
    {
        diag.warn(&at.push("externalDocs"), "`externalDocs` without a `url` string; ignored");
        object.remove("externalDocs");
    }
}

fn path_item(item: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) -> Result<(), Error> {
    if item.contains_key("$ref") {
        return Ok(());
    }
    drop_nulls(item, at, diag);
    servers(item, at, diag);
    parameters(item, at, diag)?;
    for (op, op_at) in operations(item, at) {
        operation(op, &op_at, diag)?;
    }
    Ok(())
}

/// The operations of a path item, with where each is: one per method field, and OpenAPI 3.2's
/// `query` and `additionalOperations` (other versions have neither).
fn operations<'a>(
    item: &'a mut Map<String, Value>,
    at: &Pointer,
) -> impl Iterator<Item = (&'a mut Map<String, Value>, Pointer)> {
    let mut out = Vec::new();
    for (key, value) in item.iter_mut() {
        match (key.as_str(), value) {
            ("additionalOperations", Value::Object(ops)) => {
                let ops_at = at.push(key);
                out.extend(ops.iter_mut().filter_map(|(name, op)| Some((op.as_object_mut()?, ops_at.push(name)))));
            }
            (method, Value::Object(op)) if METHODS.contains(&method) || method == "query" => {
                out.push((op, at.push(method)));
            }
            _ => {}
        }
    }
    out.into_iter()
}

fn operation(op: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) -> Result<(), Error> {
    drop_nulls(op, at, diag);
    servers(op, at, diag);
    external_docs(op, at, diag);
    parameters(op, at, diag)?;
    if let Some(Value::Object(body)) = op.get_mut("requestBody")
        && !body.contains_key("$ref")
    {
        content(body, &at.push("requestBody"), diag);
    }
    match op.get_mut("responses") {
        None => {
            diag.warn(at, "operation without `responses`: generated as returning `()` (any response body is ignored)");
            op.insert("responses".into(), Value::Object(Map::new()));
        }
        Some(Value::Object(responses)) => {
            let r_at = at.push("responses");
            responses.retain(|code, _| {
                let keep = code == "default" || code.starts_with("x-") || is_status(code);
                if !keep {
                    diag.warn(
                        &r_at.push(code),
                        format!(
                            "response key `{code}` is not a status code (`200`), a range (`2XX`) or `default`; ignored"
                        ),
                    );
                }
                keep
            });
            for (code, r) in responses.iter_mut() {
                if let Value::Object(r) = r
                    && !code.starts_with("x-")
                    && !r.contains_key("$ref")
                {
                    response(r, &r_at.push(code), diag);
                }
            }
        }
        Some(_) => {}
    }
    Ok(())
}

/// What `openapiv3` reads as a status code: a number from 100 to 999, or a digit and `XX`.
fn is_status(code: &str) -> bool {
    let b = code.as_bytes();
    match code.parse::<u16>() {
        Ok(n) => b.len() == 3 && (100..=999).contains(&n),
        Err(_) => b.len() == 3 && b[0].is_ascii_digit() && b[1..].eq_ignore_ascii_case(b"XX"),
    }
}

fn parameters(object: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) -> Result<(), Error> {
    let Some(Value::Array(list)) = object.get_mut("parameters") else { return Ok(()) };
    for (i, p) in list.iter_mut().enumerate() {
        if let Value::Object(p) = p
            && !p.contains_key("$ref")
        {
            parameter(p, &at.push("parameters").push(i), diag)?;
        }
    }
    Ok(())
}

fn parameter(p: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) -> Result<(), Error> {
    drop_nulls(p, at, diag);
    for key in ["name", "in"] {
        match p.get(key) {
            Some(Value::String(_)) => {}
            Some(other) => return Err(Error::expected(&at.push(key), "a string", other)),
            None => {
                let what = if key == "name" {
                    "the name the client sends it under"
                } else {
                    "where the client sends it (`path`, `query`, `header` or `cookie`)"
                };
                return Err(Error::invalid(at, format!("parameter without `{key}`: expected {what}")));
            }
        }
    }
    schema_or_content(p, at, diag, "parameter");
    Ok(())
}

fn header(h: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    drop_nulls(h, at, diag);
    schema_or_content(h, at, diag, "header");
}

/// A parameter or header without `schema` or `content` is a string.
fn schema_or_content(object: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics, what: &str) {
    if !object.contains_key("schema") && !object.contains_key("content") {
        diag.warn(at, format!("{what} without `schema` or `content`: generated as a string"));
        let mut schema = Map::new();
        schema.insert("type".into(), Value::String("string".into()));
        object.insert("schema".into(), Value::Object(schema));
    }
    content(object, at, diag);
}

fn response(r: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    drop_nulls(r, at, diag);
    if !r.get("description").is_some_and(Value::is_string) {
        match r.get("description") {
            None => diag.warn(&at.push("description"), "response without a `description`; generated without one"),
            Some(other) => diag.warn(&at.push("description"), format!("{}; ignored", expected("a string", other))),
        }
        r.insert("description".into(), Value::String(String::new()));
    }
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            if let Value::Object(h) = h
                && !h.contains_key("$ref")
            {
                header(h, &at.push("headers").push(name), diag);
            }
        }
    }
    content(r, at, diag);
    if let Some(Value::Object(links)) = r.get_mut("links") {
        self::links(links, &at.push("links"), diag);
    }
}

/// The media types of a request body, response, parameter or header: their encodings' headers.
fn content(object: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    let Some(Value::Object(content)) = object.get_mut("content") else { return };
    for (media, mt) in content.iter_mut() {
        let Some(Value::Object(encoding)) = mt.get_mut("encoding") else { continue };
        for (property, enc) in encoding.iter_mut() {
            if let Value::Object(e) = enc
                && !e.contains_key("explode")
            {
                let form = e.get("style").and_then(Value::as_str).is_none_or(|s| s == "form");
                e.insert("explode".into(), Value::Bool(form));
            }
            let Some(Value::Object(headers)) = enc.get_mut("headers") else { continue };
            for (name, h) in headers.iter_mut() {
                if let Value::Object(h) = h
                    && !h.contains_key("$ref")
                {
                    let h_at =
                        at.push("content").push(media).push("encoding").push(property).push("headers").push(name);
                    header(h, &h_at, diag);
                }
            }
        }
    }
}

/// Links without `operationId` or `operationRef` are dropped; a link's server is checked.
fn links(links: &mut Map<String, Value>, at: &Pointer, diag: &mut Diagnostics) {
    links.retain(|name, link| {
        let l_at = at.push(name);
        if link.get("$ref").is_some() {
            return true;
        }
        let named = ["operationId", "operationRef"].iter().any(|k| link.get(*k).is_some_and(Value::is_string));
        if !named {
            diag.warn(&l_at, "link without `operationId` or `operationRef`; ignored (links are not generated)");
            return false;
        }
        if let Some(server) = link.get_mut("server")
            && !server_ok(server, &l_at.push("server"), diag)
            && let Value::Object(link) = link
        {
            link.remove("server");
        }
        true
    });
}

/// Security schemes: `oauth2` and `openIdConnect` details the generator does not use are given
/// neutral values; `mutualTLS` schemes are removed. Returns the names removed.
fn security_schemes(raw: &mut Map<String, Value>, diag: &mut Diagnostics) -> Vec<String> {
    let mut removed = Vec::new();
    let Some(Value::Object(components)) = raw.get_mut("components") else { return removed };
    let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else { return removed };
    let at = Pointer::root().push("components").push("securitySchemes");
    schemes.retain(|name, scheme| {
        let s_at = at.push(name);
        let Value::Object(scheme) = scheme else { return true };
        match scheme.get("type").and_then(Value::as_str) {
            Some("mutualTLS") => {
                diag.warn(
                    &s_at,
                    "mutual TLS is a client setting, not a credential sent per request: give the client its \
                     certificate with `ClientBuilder::configure_http`; the scheme is removed from security requirements",
                );
                removed.push(name.clone());
                false
            }
            Some("oauth2") => {
                let flows_ok = scheme
                    .get("flows")
                    .is_some_and(|f| serde_json::from_value::<openapiv3::OAuth2Flows>(f.clone()).is_ok());
                if !flows_ok {
                    diag.warn(
                        &s_at.push("flows"),
                        "OAuth 2 `flows` missing or incomplete; not used (the key is sent as a bearer token)",
                    );
                    scheme.insert("flows".into(), Value::Object(Map::new()));
                }
                true
            }
            Some("openIdConnect") if !scheme.get("openIdConnectUrl").is_some_and(Value::is_string) => {
                diag.warn(
                    &s_at.push("openIdConnectUrl"),
                    "OpenID Connect scheme without `openIdConnectUrl`; not used (the key is sent as a bearer token)",
                );
                scheme.insert("openIdConnectUrl".into(), Value::String(String::new()));
                true
            }
            _ => true,
        }
    });
    removed
}

/// Removes `names` from every security requirement (global and per operation).
fn remove_requirements(raw: &mut Map<String, Value>, names: &[String]) {
    fn strip(object: &mut Map<String, Value>, names: &[String]) {
        if let Some(Value::Array(reqs)) = object.get_mut("security") {
            for r in reqs.iter_mut() {
                if let Value::Object(r) = r {
                    r.retain(|k, _| !names.contains(k));
                }
            }
        }
    }
    strip(raw, names);
    let Some(Value::Object(paths)) = raw.get_mut("paths") else { return };
    for item in paths.values_mut() {
        let Value::Object(item) = item else { continue };
        for (op, _) in operations(item, &Pointer::root()) {
            strip(op, names);
        }
    }
}
