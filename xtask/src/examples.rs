//! The machinery of `cargo xtask examples` (see [`crate::commands::examples`]): the spec's own
//! examples, decoded by the types generated from it.
//!
//! For each spec: [`collect`] gathers the examples whose schema is a component schema (the
//! schema's `example` and `examples`, and JSON media types' `example` and `examples` whose
//! `schema` is a `$ref` to one); [`Validation`] checks each against its schema with the
//! `jsonschema` crate (OpenAPI 3.0 documents made JSON Schema first by [`convert_30`]); the valid
//! ones are written beside a crate generated from the spec, with a program
//! (`examples/decode_examples.rs`, [`program`]) that decodes each as its schema's generated type
//! three ways: `decode_strict` (to the declared branch: no `Unknown` fallback), leniently
//! (`serde_json::from_str`), and a round trip (serialise and decode again to an equal value). The
//! crates share one Cargo workspace in `.cache/example-crates/` and the main `target/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// One example: where it is, the component schema it is declared for, and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// JSON pointer of the value (`#/components/schemas/Pet/example`, `#/paths/…/examples/cat`,
    /// or `#/components/examples/Cat/value` when a media type refers to it).
    pub pointer: String,
    /// JSON pointer of the component schema (`#/components/schemas/Pet`).
    pub schema: String,
    /// The example.
    pub value: Value,
}

/// The HTTP methods of a path item (its other keys are not operations).
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Escapes a JSON pointer segment (`~` → `~0`, `/` → `~1`).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Unescapes a JSON pointer segment.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `true` for JSON media types: `application/json` and `*/*+json`, parameters ignored.
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.contains('/') && essence.ends_with("+json"))
}

/// The component schema a media type's `schema` is exactly a reference to: `{"$ref":
/// "#/components/schemas/X"}` (annotations `description` and `summary` beside it allowed).
fn component_ref(schema: Option<&Value>) -> Option<String> {
    let map = schema?.as_object()?;
    let target = map.get("$ref")?.as_str()?;
    if map.keys().any(|k| !matches!(k.as_str(), "$ref" | "description" | "summary")) {
        return None;
    }
    let name = target.strip_prefix("#/components/schemas/")?;
    (!name.is_empty() && !name.contains('/')).then(|| target.to_owned())
}

/// Every example of `doc` declared for a component schema, in document order; duplicates (the
/// same `#/components/examples` value used twice for one schema) once.
pub fn collect(doc: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut push = |out: &mut Vec<Example>, pointer: String, schema: &str, value: &Value| {
        if seen.insert((pointer.clone(), schema.to_owned())) {
            out.push(Example { pointer, schema: schema.to_owned(), value: value.clone() });
        }
    };
    let components = doc.get("components");
    // Component schemas' own `example` and (3.1) `examples`.
    if let Some(schemas) = components.and_then(|c| c.get("schemas")).and_then(Value::as_object) {
        for (name, schema) in schemas {
            let pointer = format!("#/components/schemas/{}", escape(name));
            if let Some(example) = schema.get("example") {
                push(&mut out, format!("{pointer}/example"), &pointer, example);
            }
            if let Some(examples) = schema.get("examples").and_then(Value::as_array) {
                for (i, example) in examples.iter().enumerate() {
                    push(&mut out, format!("{pointer}/examples/{i}"), &pointer, example);
                }
            }
        }
    }
    // Media types: each `(pointer of the content map, content map)`.
    let mut contents: Vec<(String, &Value)> = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else { continue };
            for method in METHODS {
                let Some(operation) = item.get(*method) else { continue };
                let base = format!("#/paths/{}/{method}", escape(path));
                if let Some(content) = operation.get("requestBody").and_then(|b| b.get("content")) {
                    contents.push((format!("{base}/requestBody/content"), content));
                }
                for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
                    if let Some(content) = response.get("content") {
                        contents.push((format!("{base}/responses/{}/content", escape(status)), content));
                    }
                }
            }
        }
    }
    for kind in ["responses", "requestBodies"] {
        for (name, object) in components.and_then(|c| c.get(kind)).and_then(Value::as_object).into_iter().flatten() {
            if let Some(content) = object.get("content") {
                contents.push((format!("#/components/{kind}/{}/content", escape(name)), content));
            }
        }
    }
    let named_examples = components.and_then(|c| c.get("examples"));
    for (base, content) in contents {
        for (media_type, media) in content.as_object().into_iter().flatten() {
            if !is_json(media_type) {
                continue;
            }
            let Some(schema) = component_ref(media.get("schema")) else { continue };
            let pointer = format!("{base}/{}", escape(media_type));
            if let Some(example) = media.get("example") {
                push(&mut out, format!("{pointer}/example"), &schema, example);
            }
            for (key, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
                if let Some(value) = example.get("value") {
                    push(&mut out, format!("{pointer}/examples/{}/value", escape(key)), &schema, value);
                } else if let Some(target) = example.get("$ref").and_then(Value::as_str) {
                    // `externalValue` is skipped; a reference is followed to its `value`.
                    let Some(name) = target.strip_prefix("#/components/examples/") else { continue };
                    let resolved = named_examples.and_then(|e| e.get(unescape(name)));
                    if let Some(value) = resolved.and_then(|e| e.get("value")) {
                        push(&mut out, format!("{target}/value"), &schema, value);
                    }
                }
            }
        }
    }
    out
}

/// The keywords of OpenAPI 3.0's schema object that JSON Schema does not have and that constrain
/// nothing: dropped.
const OPENAPI_ONLY: &[&str] = &["example", "discriminator", "xml", "externalDocs", "nullable"];

/// Rewrites an OpenAPI 3.0 schema (and every schema inside it) into JSON Schema draft 7:
/// `nullable: true` adds `"null"` to `type` and to `enum`, or, on a schema with no `type` that
/// composes others (`allOf`, `anyOf`, `oneOf`), wraps it as `anyOf: [{type: null}, schema]`;
/// boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric form; `example`,
/// `discriminator`, `xml` and `externalDocs` are dropped; a schema with `properties` but no `type`
/// nor composition gets `type: object`, as OpenAPI 3.0 tools read it. A schema with a `$ref` is left alone
/// (its siblings are ignored, in OpenAPI 3.0 as in draft 7). Draft 7 keeps `readOnly` and
/// `writeOnly` as annotations.
pub fn convert_30(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    if map.contains_key("$ref") {
        return;
    }
    for key in ["items", "additionalProperties", "additionalItems", "not"] {
        match map.get_mut(key) {
            Some(Value::Array(items)) => items.iter_mut().for_each(convert_30),
            Some(one) => convert_30(one),
            None => {}
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            items.iter_mut().for_each(convert_30);
        }
    }
    for key in ["properties", "patternProperties", "definitions"] {
        if let Some(Value::Object(named)) = map.get_mut(key) {
            named.values_mut().for_each(convert_30);
        }
    }
    for (bound, exclusive) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
        if let Some(Value::Bool(on)) = map.get(exclusive) {
            let on = *on;
            map.remove(exclusive);
            if on && let Some(limit) = map.remove(bound) {
                map.insert(exclusive.to_owned(), limit);
            }
        }
    }
    // OpenAPI 3.0 tools, the generator among them, read a schema with `properties` and no `type`
    // as an object; JSON Schema would let any non-object through.
    if map.contains_key("properties") && !["type", "allOf", "anyOf", "oneOf"].iter().any(|k| map.contains_key(*k)) {
        map.insert("type".into(), json!("object"));
    }
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    for key in OPENAPI_ONLY {
        map.remove(*key);
    }
    if !nullable {
        return;
    }
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match map.get_mut("type") {
        Some(Value::String(one)) => {
            let one = std::mem::take(one);
            map.insert("type".into(), json!([one, "null"]));
        }
        Some(Value::Array(types)) => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
        }
        Some(_) => {}
        None => {
            if ["allOf", "anyOf", "oneOf"].iter().any(|k| map.contains_key(*k)) {
                let inner = std::mem::take(map);
                map.insert("anyOf".into(), json!([{"type": "null"}, Value::Object(inner)]));
            }
        }
    }
}

/// The OpenAPI version family of a document: `true` for 3.1 (and later 3.x).
pub fn is_31(doc: &Value) -> bool {
    doc.get("openapi").and_then(Value::as_str).is_some_and(|v| !v.starts_with("3.0") && !v.starts_with('2'))
}

/// The string formats the generated types decode as typed values (`chrono`, `uuid`): asserted,
/// since an example the type cannot hold is wrong whatever the schema says. Other formats are
/// annotations here.
pub const TYPED_FORMATS: &[&str] = &["date", "date-time", "uuid"];

/// Removes every string `format` but [`TYPED_FORMATS`] from `value` and everything in it, and
/// makes each `$ref` a URI reference (`#/components/schemas/Owner Name` → `…/Owner%20Name`).
fn keep_typed_formats(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("format").and_then(Value::as_str).is_some_and(|f| !TYPED_FORMATS.contains(&f)) {
                map.remove("format");
            }
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                *target = fragment(target);
            }
            map.values_mut().for_each(keep_typed_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(keep_typed_formats),
        _ => {}
    }
}

/// The forms of a UUID the `uuid` crate reads: simple, hyphenated, braced and URN.
fn is_uuid(text: &str) -> bool {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let text = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    match text.len() {
        32 => hex(text),
        36 => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| hex(g))
        }
        _ => false,
    }
}

/// The document as JSON Schema: 3.0's component schemas converted by [`convert_30`], and only
/// [`TYPED_FORMATS`] left to assert.
pub fn as_json_schema(doc: &Value) -> Value {
    let v31 = is_31(doc);
    let mut doc = doc.clone();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        if !v31 {
            schemas.values_mut().for_each(convert_30);
        }
        schemas.values_mut().for_each(keep_typed_formats);
    }
    doc
}

/// Where the document is registered for the validator: `#/components/...` references inside it
/// resolve against this.
const BASE: &str = "urn:openapi:spec";

/// Validates examples against component schemas of one document.
pub struct Validation {
    doc: Value,
    draft: jsonschema::Draft,
}

impl Validation {
    /// Prepares `doc` (converted when 3.0): draft 2020-12 for 3.1 documents, draft 7 for 3.0
    /// ones (after [`convert_30`], which gives `exclusiveMinimum` its numeric form).
    pub fn new(doc: &Value) -> Self {
        let draft = if is_31(doc) { jsonschema::Draft::Draft202012 } else { jsonschema::Draft::Draft7 };
        Self { doc: as_json_schema(doc), draft }
    }

    /// Validates each of `examples`: `None` when valid, the validator's first error otherwise.
    /// Validators are built once per schema.
    pub fn check(&self, examples: &[Example]) -> Result<Vec<Option<String>>> {
        let registry = jsonschema::Registry::new()
            .draft(self.draft)
            .add(BASE, &self.doc)
            .and_then(|r| r.prepare())
            .map_err(|e| anyhow::anyhow!("registering the document: {e}"))?;
        let mut validators = BTreeMap::new();
        let mut out = Vec::with_capacity(examples.len());
        for example in examples {
            let validator = validators.entry(example.schema.clone()).or_insert_with(|| {
                let target = format!("{BASE}{}", fragment(&example.schema));
                jsonschema::options()
                    .with_draft(self.draft)
                    .with_registry(&registry)
                    .should_validate_formats(true)
                    .with_format("uuid", is_uuid)
                    .build(&json!({ "$ref": target }))
                    .map_err(|e| e.to_string())
            });
            out.push(match validator {
                Ok(v) => v.validate(&example.value).err().map(|e| {
                    let at = e.instance_path().to_string();
                    let at = if at.is_empty() { "the root".to_owned() } else { format!("`{at}`") };
                    one_line(&format!("at {at}: {e}"))
                }),
                Err(e) => Some(one_line(&format!("the schema does not compile: {e}"))),
            });
        }
        Ok(out)
    }
}

/// A pointer as a URI fragment: characters a fragment cannot hold percent-encoded (`%` is kept,
/// so an encoded reference stays as it is).
fn fragment(pointer: &str) -> String {
    let mut out = String::new();
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"#/-._~!$&'()*+,;=:@%?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `text` on one line, at most 300 characters.
pub fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 300 { format!("{}…", flat.chars().take(300).collect::<String>()) } else { flat }
}

/// A crate name for a spec: `examples_` + the sanitised spec name.
pub fn crate_name(spec: &str) -> String {
    let stem = spec.trim_end_matches(".json").trim_end_matches(".yaml").trim_end_matches(".yml");
    let s: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let words: Vec<&str> = s.split('_').filter(|w| !w.is_empty()).collect();
    format!("examples_{}", words.join("_"))
}

/// The program that decodes the examples of `examples/decode_examples.json` (one `[pointer, JSON
/// text]` pair per example, in order), one `check::<T>` per example, each `T` the generated type
/// of the example's schema (`types` are the Rust names, in the same order).
pub fn program(krate: &str, types: &[&str]) -> String {
    let mut checks = String::new();
    for ty in types {
        checks.push_str(&format!("    check::<types::{ty}>,\n"));
    }
    format!(
        r#"//! Written by `cargo xtask examples`: decodes each of the spec's examples as the type generated for
//! its schema, strictly, leniently and round-tripped, and prints one JSON line per example.
#![allow(clippy::all)]

use {krate}::types;

type Outcome = [::std::result::Result<(), String>; 3];

fn check<T>(json: &str) -> Outcome
where
    T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::cmp::PartialEq + ::std::fmt::Debug,
{{
    let strict = {krate}::decode_strict::<T>(json).map(|_| ()).map_err(|e| e.to_string());
    let (lenient, round_trip) = match ::serde_json::from_str::<T>(json) {{
        Ok(value) => {{
            let round_trip = match ::serde_json::to_string(&value) {{
                Ok(text) => match ::serde_json::from_str::<T>(&text) {{
                    Ok(again) if again == value => Ok(()),
                    Ok(again) => Err(format!("decoded again as a different value: wrote {{text}}, read {{again:?}}")),
                    Err(e) => Err(format!("does not decode what it wrote ({{text}}): {{e}}")),
                }},
                Err(e) => Err(format!("does not serialise: {{e}}")),
            }};
            (Ok(()), round_trip)
        }}
        Err(e) => (Err(e.to_string()), Err("not decoded".to_owned())),
    }};
    [strict, lenient, round_trip]
}}

const CHECKS: &[fn(&str) -> Outcome] = &[
{checks}];

fn main() {{
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/decode_examples.json");
    let text = ::std::fs::read_to_string(path).expect("reading the examples");
    let examples: Vec<(String, String)> = ::serde_json::from_str(&text).expect("the examples file");
    assert_eq!(examples.len(), CHECKS.len(), "one check per example");
    // Deeply nested types decode recursively: a large stack.
    let worker = ::std::thread::Builder::new().stack_size(512 << 20).spawn(move || {{
        for (index, ((pointer, json), check)) in examples.iter().zip(CHECKS).enumerate() {{
            let outcome = ::std::panic::catch_unwind(|| check(json))
                .unwrap_or_else(|_| [Err("panicked".to_owned()), Err("panicked".to_owned()), Err("panicked".to_owned())]);
            let field = |r: &::std::result::Result<(), String>| match r {{
                Ok(()) => ::serde_json::Value::Null,
                Err(e) => ::serde_json::Value::String(e.clone()),
            }};
            let line = ::serde_json::json!({{
                "index": index,
                "pointer": pointer,
                "strict": field(&outcome[0]),
                "lenient": field(&outcome[1]),
                "round_trip": field(&outcome[2]),
            }});
            println!("{{line}}");
        }}
    }});
    worker.expect("spawning the worker").join().expect("the worker");
}}
"#
    )
}

/// What decoding one valid example gave: `None` for success, else the error.
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    /// `decode_strict`: the declared branch, no fallback.
    pub strict: Option<String>,
    /// `serde_json::from_str`.
    pub lenient: Option<String>,
    /// Serialised and decoded again to an equal value.
    pub round_trip: Option<String>,
}

/// One spec's results.
#[derive(Debug, Default)]
pub struct SpecResult {
    /// The spec's name.
    pub spec: String,
    /// Every example collected.
    pub examples: Vec<Example>,
    /// Per example: the validation error, if any.
    pub invalid: Vec<Option<String>>,
    /// Valid examples whose schema has no generated type (by pointer).
    pub untyped: Vec<String>,
    /// Per valid, typed example (by pointer): what decoding gave.
    pub decoded: Vec<(Example, Decoded)>,
    /// Why the spec was not decoded at all (does not generate, the program failed).
    pub failure: Option<String>,
    /// Time to build and run the program.
    pub build_and_run: Duration,
}

/// A spec to run.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The name in reports and in the allow-list.
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// Prepares one spec: collects and validates its examples, and writes its crate with the
/// decoding program into `workspace`. Returns the crate name when there is something to decode.
pub fn prepare(spec: &Spec, workspace: &Path) -> Result<(SpecResult, Option<String>)> {
    let text = std::fs::read_to_string(&spec.path).with_context(|| format!("reading {}", spec.path.display()))?;
    let doc = codegen::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", spec.name))?;
    let examples = collect(&doc);
    let mut result = SpecResult { spec: spec.name.clone(), ..Default::default() };
    result.invalid = Validation::new(&doc).check(&examples)?;
    result.examples = examples;
    let valid: Vec<&Example> =
        result.examples.iter().zip(&result.invalid).filter(|(_, e)| e.is_none()).map(|(x, _)| x).collect();
    if valid.is_empty() {
        return Ok((result, None));
    }
    let name = crate_name(&spec.name);
    let options = codegen::Options {
        crate_name: name.clone(),
        command: format!("cargo xtask examples ({})", spec.name),
        ..Default::default()
    };
    let generated = match codegen::generate(&text, &options) {
        Ok(g) => g,
        Err(e) => {
            result.failure = Some(format!("does not generate: {}", one_line(&e.to_string())));
            return Ok((result, None));
        }
    };
    let mut data = Vec::new();
    let mut types = Vec::new();
    for example in valid {
        match generated.schema_types.get(&example.schema) {
            Some(ty) => {
                data.push((example.pointer.clone(), serde_json::to_string(&example.value)?));
                types.push(ty.as_str());
                result.decoded.push((example.clone(), Decoded::default()));
            }
            None => result.untyped.push(example.pointer.clone()),
        }
    }
    if data.is_empty() {
        return Ok((result, None));
    }
    let dir = workspace.join(&name);
    codegen::write(&dir, &generated.files).with_context(|| format!("writing {}", dir.display()))?;
    // After `write`, which replaces the whole directory.
    std::fs::create_dir_all(dir.join("examples"))?;
    std::fs::write(dir.join("examples/decode_examples.rs"), program(&name, &types))?;
    std::fs::write(dir.join("examples/decode_examples.json"), serde_json::to_string_pretty(&data)?)?;
    Ok((result, Some(name)))
}

/// The one feature of a generated crate that holds types and is off by default (a crate has it
/// only when some type is used by no operation).
const UNREFERENCED: &str = "unreferenced-types";

/// Builds and runs the decoding program of crate `krate` in `workspace`, filling `result`.
/// The default features (every resource, and `rustls`; not `native-tls`, which would need
/// OpenSSL) and [`UNREFERENCED`] are on, so every type compiles.
pub fn run(cargo: &str, workspace: &Path, krate: &str, result: &mut SpecResult) -> Result<()> {
    let dir = workspace.join(krate);
    let unreferenced = crate::features::of_crate(cargo, &dir)?.iter().any(|f| f == UNREFERENCED);
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--example", "decode_examples", "-p", krate])
        .args(unreferenced.then_some(["--features", UNREFERENCED]).into_iter().flatten())
        .env("CARGO_TARGET_DIR", crate::root().join("target"))
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .current_dir(workspace)
        .output()
        .with_context(|| format!("running cargo for {krate}"))?;
    result.build_and_run = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines: BTreeMap<u64, Decoded> = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else { continue };
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let Some(index) = v.get("index").and_then(Value::as_u64) else { continue };
        lines.insert(
            index,
            Decoded { strict: field("strict"), lenient: field("lenient"), round_trip: field("round_trip") },
        );
    }
    if !output.status.success() || lines.len() < result.decoded.len() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let log = workspace.join(format!("{krate}.log"));
        std::fs::write(&log, stderr.as_bytes())?;
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        result.failure = Some(format!(
            "the decoding program failed ({}): {}; see {}",
            output.status,
            one_line(&tail.into_iter().rev().collect::<Vec<_>>().join(" ")),
            log.display()
        ));
    }
    for (index, (_, decoded)) in result.decoded.iter_mut().enumerate() {
        let not_run = || Some("not run".to_owned());
        *decoded = lines.get(&(index as u64)).cloned().unwrap_or(Decoded {
            strict: not_run(),
            lenient: not_run(),
            round_trip: not_run(),
        });
    }
    Ok(())
}

/// The allow-list of strict failures: `(spec, pointer)` → reason.
pub type Allowed = BTreeMap<(String, String), String>;

/// Reads the allow-list (format in the file's header: `spec-name pointer  # reason`; blank lines
/// and lines starting with `#` are ignored).
pub fn parse_allowed(text: &str) -> Result<Allowed> {
    let mut out = Allowed::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (entry, reason) = match line.find(" # ") {
            Some(at) => (line[..at].trim(), line[at + 3..].trim()),
            None => (line, ""),
        };
        let Some((spec, pointer)) = entry.split_once(char::is_whitespace) else {
            bail!("line {}: expected `spec-name pointer  # reason`, found `{line}`", i + 1);
        };
        out.insert((spec.to_owned(), pointer.trim().to_owned()), reason.to_owned());
    }
    Ok(out)
}

/// The verdict over all specs: the report (Markdown) and the failures that fail the command.
pub fn report(results: &[SpecResult], allowed: &Allowed, wall: Duration) -> (String, Vec<String>) {
    let mut out = String::from(
        "# Examples decoded\n\nWritten by `cargo xtask examples`: the specs' own examples, validated against their \
         component schema, then decoded as the generated type.\n\n\
         | spec | examples | valid | no type | strict ok | lenient ok | round-tripped | build + run |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut failures = Vec::new();
    let mut totals = [0usize; 6];
    for r in results {
        let valid = r.invalid.iter().filter(|e| e.is_none()).count();
        let ok = |f: fn(&Decoded) -> &Option<String>| r.decoded.iter().filter(|(_, d)| f(d).is_none()).count();
        let row =
            [r.examples.len(), valid, r.untyped.len(), ok(|d| &d.strict), ok(|d| &d.lenient), ok(|d| &d.round_trip)];
        for (t, n) in totals.iter_mut().zip(row) {
            *t += n;
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.1} s |\n",
            r.spec,
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            r.build_and_run.as_secs_f64()
        ));
        if let Some(f) = &r.failure {
            failures.push(format!("{}: {f}", r.spec));
        }
    }
    out.push_str(&format!(
        "| **total** | {} | {} | {} | {} | {} | {} | {:.0} s wall |\n",
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        totals[4],
        totals[5],
        wall.as_secs_f64()
    ));
    let mut invalid = String::new();
    let mut strict = String::new();
    let mut lenient = String::new();
    let mut stale = String::new();
    let mut failed_specs = String::new();
    for r in results {
        if let Some(f) = &r.failure {
            failed_specs.push_str(&format!("- {}: {}\n", r.spec, f.replace('\n', " ")));
        }
        for (example, error) in r.examples.iter().zip(&r.invalid) {
            if let Some(error) = error {
                invalid
                    .push_str(&format!("- {} `{}` (schema `{}`): {error}\n", r.spec, example.pointer, example.schema));
            }
        }
        for pointer in &r.untyped {
            failed_specs.push_str(&format!("- {}: `{pointer}`: its schema has no generated type\n", r.spec));
        }
        for (example, d) in &r.decoded {
            let key = (r.spec.clone(), example.pointer.clone());
            if let Some(e) = &d.strict {
                let note = match allowed.get(&key) {
                    Some(reason) => format!(" (allowed: {reason})"),
                    None => {
                        failures.push(format!("{} {}: strict decode: {e}", r.spec, example.pointer));
                        " (NOT ALLOWED)".to_owned()
                    }
                };
                strict.push_str(&format!(
                    "- {} `{}` as `{}`{note}: {}\n",
                    r.spec,
                    example.pointer,
                    example.schema,
                    one_line(e)
                ));
            } else if allowed.contains_key(&key) {
                stale.push_str(&format!("- {} `{}`\n", r.spec, example.pointer));
            }
            for (what, e) in [("lenient decode", &d.lenient), ("round trip", &d.round_trip)] {
                if let Some(e) = e {
                    if !(what == "round trip" && d.lenient.is_some()) {
                        lenient.push_str(&format!(
                            "- {} `{}` as `{}`: {what}: {}\n",
                            r.spec,
                            example.pointer,
                            example.schema,
                            one_line(e)
                        ));
                    }
                    failures.push(format!("{} {}: {what}: {}", r.spec, example.pointer, one_line(e)));
                }
            }
        }
    }
    for (title, body) in [
        ("Specs not decoded", failed_specs),
        ("Lenient decode or round trip failed (generator bugs)", lenient),
        ("Strict decode failed (an `Unknown` fallback or another branch)", strict),
        ("Allowed strict failures that now decode (remove them from xtask/examples-allowed.txt)", stale),
        ("Invalid examples (do not validate against their schema; not decoded)", invalid),
    ] {
        if !body.is_empty() {
            out.push_str(&format!("\n## {title}\n\n{body}"));
        }
    }
    (out, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(examples: &[Example]) -> Vec<(&str, &str)> {
        examples.iter().map(|e| (e.pointer.as_str(), e.schema.as_str())).collect()
    }

    #[test]
    fn examples_are_collected_where_their_schema_is_a_component() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {
                "/pets/{id}": {
                    "parameters": [],
                    "get": {
                        "responses": {
                            "200": {"content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Pet"},
                                    "example": {"name": "a"},
                                    "examples": {
                                        "cat": {"value": {"name": "c"}},
                                        "dog": {"$ref": "#/components/examples/Dog"},
                                        "far": {"externalValue": "https://example.com/far.json"}
                                    }
                                },
                                "application/problem+json; charset=utf-8": {
                                    "schema": {"$ref": "#/components/schemas/Problem"},
                                    "example": {"title": "t"}
                                },
                                "text/plain": {"schema": {"$ref": "#/components/schemas/Pet"}, "example": "x"}
                            }},
                            "404": {"$ref": "#/components/responses/NotFound"}
                        }
                    },
                    "post": {
                        "requestBody": {"content": {"application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                            "example": [{"name": "inline"}]
                        }}},
                        "responses": {}
                    }
                }
            },
            "components": {
                "schemas": {
                    "Pet": {"type": "object", "example": {"name": "p"}, "examples": [{"name": "q"}]},
                    "a/b": {"type": "string", "example": "s"},
                    "Problem": {"type": "object"}
                },
                "responses": {"NotFound": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "examples": {"gone": {"value": {"title": "gone"}}, "dog": {"$ref": "#/components/examples/Dog"}}
                }}}},
                "requestBodies": {"NewPet": {"content": {"application/vnd.api+json": {
                    "schema": {"$ref": "#/components/schemas/Pet", "description": "a pet"},
                    "example": {"name": "new"}
                }}}},
                "examples": {"Dog": {"value": {"name": "d"}}}
            }
        });
        let examples = collect(&doc);
        let media = "#/paths/~1pets~1{id}/get/responses/200/content/application~1json";
        assert_eq!(
            pointers(&examples),
            [
                ("#/components/schemas/Pet/example", "#/components/schemas/Pet"),
                ("#/components/schemas/Pet/examples/0", "#/components/schemas/Pet"),
                ("#/components/schemas/a~1b/example", "#/components/schemas/a~1b"),
                (&format!("{media}/example") as &str, "#/components/schemas/Pet"),
                (&format!("{media}/examples/cat/value"), "#/components/schemas/Pet"),
                ("#/components/examples/Dog/value", "#/components/schemas/Pet"),
                (
                    "#/paths/~1pets~1{id}/get/responses/200/content/application~1problem+json; charset=utf-8/example",
                    "#/components/schemas/Problem"
                ),
                (
                    "#/components/responses/NotFound/content/application~1json/examples/gone/value",
                    "#/components/schemas/Problem"
                ),
                // The same named example under another schema is another check.
                ("#/components/examples/Dog/value", "#/components/schemas/Problem"),
                (
                    "#/components/requestBodies/NewPet/content/application~1vnd.api+json/example",
                    "#/components/schemas/Pet"
                ),
            ]
        );
        assert_eq!(examples[5].value, json!({"name": "d"}));
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("application/x-ndjson"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("+json"));
    }

    #[test]
    fn openapi_30_schemas_become_json_schema() {
        let mut schema = json!({
            "type": "object",
            "nullable": true,
            "example": {},
            "discriminator": {"propertyName": "kind"},
            "xml": {"name": "x"},
            "externalDocs": {"url": "https://example.com"},
            "properties": {
                // Property names that are keywords elsewhere stay.
                "example": {"type": "string", "nullable": true, "enum": ["a", "b"]},
                "nullable": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false},
                "composed": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]},
                "referenced": {"$ref": "#/components/schemas/A", "nullable": true},
                "list": {"type": "array", "items": {"type": "number", "nullable": true, "readOnly": true}},
                "map": {"type": "object", "additionalProperties": {"type": "boolean", "nullable": true}},
                "untyped": {"properties": {"a": {}}},
                "oneOf": {"oneOf": [{"properties": {}}]}
            }
        });
        convert_30(&mut schema);
        assert_eq!(
            schema,
            json!({
                "type": ["object", "null"],
                "properties": {
                    "example": {"type": ["string", "null"], "enum": ["a", "b", null]},
                    "nullable": {"type": "integer", "exclusiveMinimum": 0, "maximum": 9},
                    "composed": {"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/components/schemas/A"}]}]},
                    "referenced": {"$ref": "#/components/schemas/A", "nullable": true},
                    "list": {"type": "array", "items": {"type": ["number", "null"], "readOnly": true}},
                    "map": {"type": "object", "additionalProperties": {"type": ["boolean", "null"]}},
                    "untyped": {"type": "object", "properties": {"a": {}}},
                    "oneOf": {"oneOf": [{"type": "object", "properties": {}}]}
                }
            })
        );
    }

    #[test]
    fn examples_are_validated_against_their_schema_with_refs_resolved() {
        let doc = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Pet": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "nullable": true},
                    "age": {"type": "integer", "minimum": 0, "exclusiveMinimum": true},
                    "owner": {"$ref": "#/components/schemas/Owner Name"}
                }},
                "Owner Name": {"type": "string", "format": "email"},
                "Id": {"type": "string", "format": "uuid"}
            }}
        });
        let example =
            |value: Value| Example { pointer: "#/x".into(), schema: "#/components/schemas/Pet".into(), value };
        let checked = Validation::new(&doc)
            .check(&[
                example(json!({"name": null, "age": 1, "owner": "not an email: formats are not asserted"})),
                example(json!({"name": "a", "age": 0})),
                example(json!({"name": "a", "owner": 3})),
            ])
            .unwrap();
        assert_eq!(checked[0], None);
        assert!(checked[1].as_deref().unwrap().starts_with("at `/age`"), "{checked:?}");
        assert!(checked[2].as_deref().unwrap().starts_with("at `/owner`"), "{checked:?}");
        // The formats the generated types decode are asserted.
        let id = |value: &str| Example {
            pointer: "#/y".into(),
            schema: "#/components/schemas/Id".into(),
            value: json!(value),
        };
        let checked =
            Validation::new(&doc).check(&[id("{67e55044-10b1-426f-9247-bb680e5fe0c8}"), id("67e55044")]).unwrap();
        assert_eq!(checked[0], None);
        assert!(checked[1].is_some());
    }

    #[test]
    fn uuids_in_the_forms_the_uuid_crate_reads() {
        for ok in [
            "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "67e5504410b1426f9247bb680e5fe0c8",
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
            "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
        ] {
            assert!(is_uuid(ok), "{ok}");
        }
        for bad in [
            "",
            "67e55044-10b1-426f-9247-bb680e5fe0c",
            "67e55044-10b1-426f-9247bb680e5fe0c8x",
            "g7e5504410b1426f9247bb680e5fe0c8",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }

    #[test]
    fn the_allow_list_is_read() {
        let text = "# header\n\nstripe.com.json #/components/schemas/A/example  # a reason # with a hash\n\
                    x.json #/paths/~1a/get/responses/200/content/application~1json/examples/Example 1/value\n";
        let allowed = parse_allowed(text).unwrap();
        assert_eq!(
            allowed.get(&("stripe.com.json".into(), "#/components/schemas/A/example".into())).map(String::as_str),
            Some("a reason # with a hash")
        );
        assert!(allowed.contains_key(&(
            "x.json".into(),
            "#/paths/~1a/get/responses/200/content/application~1json/examples/Example 1/value".into()
        )));
        assert!(parse_allowed("only-a-name\n").is_err());
    }

    #[test]
    fn crate_names() {
        assert_eq!(crate_name("atlassian.com/jira.json"), "examples_atlassian_com_jira");
        assert_eq!(crate_name("api.github.com.json"), "examples_api_github_com");
        assert_eq!(crate_name("My Spec.yaml"), "examples_my_spec");
    }
}
