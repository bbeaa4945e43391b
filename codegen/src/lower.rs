//! Lower: the typed OpenAPI document → the [`Ir`](crate::ir::Ir).
//!
//! # Schemas
//!
//! | schema | Rust |
//! |---|---|
//! | required, not nullable | `T` |
//! | required, nullable | `Option<T>`; `None` is sent as `null` |
//! | optional, not nullable | `Option<T>`; `None` is omitted; an incoming `null` reads as `None` |
//! | optional, nullable | `Nullable<T>`: `Absent` (omitted), `Null` (sent as `null`) or `Value(T)` |
//! | `type: string` + `enum` | an enum with one variant per value (serde-renamed), `Display`, `FromStr`, `as_str`, and a fallback variant that keeps an unknown value and re-serialises it unchanged |
//! | `type: integer`/`number`/`boolean` + `enum`, or mixed enums | a newtype over the base type with one associated constant per listed value (open: any value decodes) |
//! | `integer` | by `format`: `int8`..`int64`, `uint8`..`uint64` → `i8`..`u64`; `int32` → `i32`; anything else → `i64` |
//! | `number` | `f64` |
//! | `string` (any format) | `String` (formats such as `date-time` are documentation; values are kept verbatim) |
//! | `boolean` | `bool` |
//! | `array` | `Vec<T>`; nullable items → `Vec<Option<T>>` |
//! | `object` with `properties` | a struct; unknown properties in responses are ignored |
//! | `additionalProperties: <schema>` | with properties: a flattened `BTreeMap<String, T>` field; alone: `BTreeMap<String, T>` |
//! | `object` without properties, `additionalProperties: true` | `serde_json::Map<String, Value>` |
//! | `{}` or no `type` | `serde_json::Value` |
//! | `type: 'null'` only | `()` |
//! | `oneOf`/`anyOf` with `discriminator` | an enum decoded by the tag property, with a fallback variant keeping unknown tags |
//! | `oneOf`/`anyOf` without one | an untagged enum, tried in spec order (first match wins, also for `anyOf`) |
//! | `allOf` of objects | one struct with the properties of every branch (a property listed twice keeps its first position and the last schema); required if required anywhere |
//! | `allOf` with a single branch | that branch (this is how `$ref` with siblings arrives), with the wrapper's docs and nullability |
//! | `allOf` of other shapes | `serde_json::Value`, with a warning |
//! | `not` | ignored with a warning: it only constrains values |
//! | recursion | `Box<T>` on exactly the fields/variants that close a cycle without a `Vec` or map in between |
//! | an alias that refers to itself through a container | a `#[serde(transparent)]` newtype |
//! | an alias that refers to itself directly (`A: $ref B`, `B: $ref A`) | an error |
//! | `readOnly`/`writeOnly`, `default`, `example`, validation keywords | not represented in the type |
//! | `$defs`/`definitions` inside a schema | kept for `$ref`s that point into them; each becomes a type where it is referenced |
//!
//! Inline schemas that need a named type (objects, enums, unions) are named after their parent;
//! an inline schema identical in shape to an earlier inline one (docs aside) reuses that type:
//! `Parent` + `Property`, `Parent` + `Item` for array items, `Parent` + `Value` for map values,
//! `Parent` + `Variant` for union branches, `Operation` + `Body`/`Response`/`Param`.
//!
//! # Names
//!
//! Names go through `heck`. Characters that are not ASCII letters or digits separate words;
//! other non-ASCII characters become `uXXXX`; a leading sign is spelled (`+1` → `plus_1`); a leading
//! digit gets a prefix word (`Type`, `Value`, `field_`, `param_`);
//! Rust keywords get a trailing `_` (`type_`, `self_`), `Self` becomes `SelfType`. Component
//! schemas are named first, in sorted order, so an inline schema never takes a component's name;
//! any later clash gets a numeric suffix (`Pet2`). Two schemas never share one type.
//!
//! # Operations
//!
//! * Resource and method: from the Python `x-codeSamples` entry (`client.devboxes.execute_async(`),
//!   else the JavaScript one (camelCase turned to snake_case); else the first tag is the resource
//!   and the `operationId` (or method + path) is the method. A method name already taken in its
//!   resource falls back to the `operationId`; duplicate `operationId`s are an error.
//! * A path template may not contain a query string (an error); a `{name}` in it without a
//!   declared path parameter becomes a `String` parameter (a warning).
//! * Callbacks and webhooks describe requests the API sends to you: not generated (a warning).
//! * Path parameters become positional arguments; query and header parameters a `…Params` struct
//!   (required ones in its constructor). Cookie parameters are not supported (warning; skipped).
//! * Request bodies: JSON (`application/json`, `*/*+json`), `application/x-www-form-urlencoded`,
//!   `text/*` (a `String`) and any other media type as bytes; JSON is preferred when several are
//!   offered. `multipart/form-data` is not supported: the operation is skipped with a warning.
//!   A body is always sent, even when the spec marks it optional.
//! * Success: the first `2XX` response with content decides the type; without content it is `()`.
//!   Other statuses become `Error::Api` carrying the status and body; their documented schemas are
//!   listed in the method docs.
//! * Authentication: the first supported scheme of the first global requirement (bearer, basic,
//!   API key in header or query; OAuth 2 and OpenID Connect send the key as a bearer token).
//!   Operations whose `security` is `[]` (or lists only `{}`) are sent without the key.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Operation as ApiOperation, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema,
    SchemaData, SchemaKind, SecurityScheme, StatusCode, Type,
};
use serde_json::Value;

use crate::error::{Error, Pointer, Warning};
use crate::ir::*;

/// Lowers a loaded document.
pub fn lower(api: &OpenAPI, raw: &Value, original: &Value) -> Result<(Ir, Vec<Warning>), Error> {
    let mut cx = Lowerer {
        api,
        raw,
        original,
        schemas: HashMap::new(),
        shapes: HashMap::new(),
        names: Names::default(),
        by_pointer: HashMap::new(),
        types: BTreeMap::new(),
        warnings: Vec::new(),
    };
    cx.lower_components()?;
    let operations = cx.lower_operations()?;
    let mut ir = Ir {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        api_version: api.info.version.clone(),
        base_url: base_url(api),
        auth: cx.auth()?,
        types: Vec::new(),
        operations,
    };
    let mut types: Vec<TypeDef> = std::mem::take(&mut cx.types).into_values().collect();
    resolve_alias_cycles(&mut types)?;
    box_recursion(&mut types);
    ir.types = types;
    Ok((ir, cx.warnings))
}

/// Allocates unique identifiers.
#[derive(Default)]
struct Names {
    used: BTreeSet<String>,
}

impl Names {
    fn allocate(&mut self, base: &str) -> String {
        let mut candidate = base.to_owned();
        let mut n = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

/// Allocates `base`, `base_2`, ... within one scope (fields of a struct, methods of a resource).
pub(crate) fn unique_in(used: &mut BTreeSet<String>, base: &str) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        // `self_` + 2 → `self_2`, not `self__2` (which is not snake case).
        candidate = if base.ends_with('_') { format!("{base}{n}") } else { format!("{base}_{n}") };
        n += 1;
    }
    candidate
}

const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "union",
    "macro_rules",
    "raw",
    "safe",
];

/// Replaces what `heck` cannot turn into identifier characters. Non-ASCII alphanumerics become
/// `uXXXX` words so that `名前` and `名字` stay distinct.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// A snake_case identifier (field, parameter, method, resource).
pub fn snake_ident(raw: &str, empty: &str) -> String {
    let mut s = words(&spell_sign(raw)).to_snake_case();
    if s.is_empty() {
        s = empty.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        // `_1st` would be an identifier of underscores and digits only for `1`: use a word.
        s = format!("{empty}_{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A leading sign spelled out, so `+1` and `-1` (GitHub's reactions) stay distinct and readable.
fn spell_sign(raw: &str) -> std::borrow::Cow<'_, str> {
    match raw.strip_prefix('-').map(|r| ("minus", r)).or_else(|| raw.strip_prefix('+').map(|r| ("plus", r))) {
        Some((word, rest)) if rest.starts_with(|c: char| c.is_ascii_digit()) => format!("{word} {rest}").into(),
        _ => raw.into(),
    }
}

/// An UpperCamelCase identifier (type, variant).
pub fn camel_ident(raw: &str, prefix_for_digit: &str, empty: &str) -> String {
    let mut s = words(&spell_sign(raw)).to_upper_camel_case();
    if s.is_empty() {
        s = empty.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{prefix_for_digit}{s}");
    }
    if s == "Self" {
        s = "SelfType".to_owned();
    }
    s
}

/// A uniform view of a schema, whichever of `openapiv3`'s shapes it was parsed into.
struct View<'a> {
    data: &'a SchemaData,
    ty: Option<&'a str>,
    format: Option<String>,
    enumeration: Vec<Value>,
    properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
    items: Option<&'a ReferenceOr<Box<Schema>>>,
    one_of: &'a [ReferenceOr<Schema>],
    any_of: &'a [ReferenceOr<Schema>],
    all_of: &'a [ReferenceOr<Schema>],
    not: bool,
}

fn format_string<T: std::fmt::Debug>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_snake_case().replace('_', "-")),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn opt_values<T: Into<Value> + Clone>(values: &[Option<T>]) -> Vec<Value> {
    values.iter().map(|v| v.clone().map_or(Value::Null, Into::into)).collect()
}

impl<'a> View<'a> {
    fn of(schema: &'a Schema) -> Self {
        let mut v = View {
            data: &schema.schema_data,
            ty: None,
            format: None,
            enumeration: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.ty = Some("string");
                v.format = format_string(&s.format);
                v.enumeration = opt_values(&s.enumeration);
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.ty = Some("number");
                v.format = format_string(&n.format);
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|x| x.and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                v.ty = Some("integer");
                v.format = format_string(&i.format);
                v.enumeration = opt_values(&i.enumeration);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.ty = Some("boolean");
                v.enumeration = opt_values(&b.enumeration);
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.ty = Some("object");
                v.properties = Some(&o.properties);
                v.required = &o.required;
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.ty = Some("array");
                v.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.not = true,
            SchemaKind::Any(any) => {
                v.ty = any.typ.as_deref();
                v.format = any.format.clone();
                v.enumeration = any.enumeration.clone();
                if !any.properties.is_empty() {
                    v.properties = Some(&any.properties);
                }
                v.required = &any.required;
                v.additional = any.additional_properties.as_ref();
                v.items = any.items.as_ref();
                v.one_of = &any.one_of;
                v.any_of = &any.any_of;
                v.all_of = &any.all_of;
                v.not = any.not.is_some();
            }
        }
        v
    }

    fn nullable(&self) -> bool {
        self.data.nullable || self.enumeration.iter().any(Value::is_null)
    }

    fn is_object_like(&self) -> bool {
        self.properties.is_some()
            || self.ty == Some("object")
            || matches!(self.additional, Some(AdditionalProperties::Schema(_)))
    }

    fn doc(&self) -> Option<String> {
        doc_of(self.data.title.as_deref(), self.data.description.as_deref())
    }
}

fn doc_of(title: Option<&str>, description: Option<&str>) -> Option<String> {
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    match (title, description) {
        (Some(t), Some(d)) if d.starts_with(t) => Some(d.to_owned()),
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.to_owned()),
        (None, Some(d)) => Some(d.to_owned()),
        (None, None) => None,
    }
}

/// A lowered reference to a type: the type, whether `null` is allowed, and docs from `$ref` siblings.
struct Lowered {
    ty: Ty,
    nullable: bool,
}

struct Lowerer<'a> {
    api: &'a OpenAPI,
    raw: &'a Value,
    original: &'a Value,
    /// `$ref` targets, normalised and typed once.
    schemas: HashMap<Pointer, Rc<Schema>>,
    /// Inline types by shape, for [`Lowerer::dedup_inline`].
    shapes: HashMap<String, String>,
    names: Names,
    /// Named types by the pointer of the schema they were made from.
    by_pointer: HashMap<Pointer, String>,
    types: BTreeMap<String, TypeDef>,
    warnings: Vec<Warning>,
}

impl<'a> Lowerer<'a> {
    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.clone(), message: message.into() });
    }

    fn lower_components(&mut self) -> Result<(), Error> {
        let Some(components) = &self.api.components else { return Ok(()) };
        let base = Pointer::root().push("components").push("schemas");
        let mut sorted: Vec<&String> = components.schemas.keys().collect();
        sorted.sort();
        for key in &sorted {
            let name = self.names.allocate(&camel_ident(key, "Type", "Schema"));
            self.by_pointer.insert(base.push(key), name);
        }
        for key in sorted {
            let at = base.push(key);
            let name = self.by_pointer[&at].clone();
            let schema = component_schema(&components.schemas[key]);
            self.define_named(&schema, &at, &name)?;
        }
        Ok(())
    }

    /// Finds the schema a reference points at, as an owned `Schema` (parsed from the raw document
    /// when the target is not a component schema).
    fn schema_at(&mut self, reference: &str, at: &Pointer) -> Result<(Rc<Schema>, Pointer), Error> {
        let target = ref_target(reference, at)?;
        if let Some(schema) = self.schemas.get(&target) {
            return Ok((schema.clone(), target));
        }
        // Resolved in the document as written: normalising may have moved nodes inside schemas.
        let mut node = node_at(self.original, &target, reference, at)?.clone();
        crate::load::normalise_schema_at(&mut node, &target, &mut self.warnings)?;
        let schema: Schema = serde_json::from_value(node)
            .map_err(|e| Error::invalid(&target, format!("expected a schema (target of `$ref` at {at}): {e}")))?;
        let schema = Rc::new(schema);
        self.schemas.insert(target.clone(), Rc::clone(&schema));
        Ok((schema, target))
    }

    /// Lowers a reference: named types come back as `Ty::Named` without being lowered again.
    fn lower_ref(&mut self, reference: &str, at: &Pointer) -> Result<Lowered, Error> {
        let (schema, target) = self.schema_at(reference, at)?;
        let nullable = View::of(&schema).nullable();
        if let Some(name) = self.by_pointer.get(&target) {
            return Ok(Lowered { ty: Ty::Named(name.clone()), nullable });
        }
        // A reference to a non-component node: lower it once, named after where it is.
        let hint = target
            .segments()
            .filter(|s| {
                !matches!(
                    s.as_str(),
                    "properties" | "items" | "components" | "schemas" | "content" | "schema" | "paths"
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        self.lower_inline(&schema, &target, &camel_ident(&hint, "Type", "Schema"))
    }

    fn lower_schema(&mut self, schema: &ReferenceOr<Schema>, at: &Pointer, hint: &str) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, at),
            ReferenceOr::Item(s) => self.lower_inline(s, at, hint),
        }
    }

    fn lower_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, at: &Pointer, hint: &str) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, at),
            ReferenceOr::Item(s) => self.lower_inline(s, at, hint),
        }
    }

    /// Lowers an inline schema: primitives and containers directly, everything else to a new named type.
    fn lower_inline(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<Lowered, Error> {
        if let Some(name) = self.by_pointer.get(at) {
            return Ok(Lowered { ty: Ty::Named(name.clone()), nullable: View::of(schema).nullable() });
        }
        let view = View::of(schema);
        let nullable = view.nullable();
        if let Some(ty) = self.structural(&view, at, hint)? {
            return Ok(Lowered { ty, nullable });
        }
        // `$ref` with only documentation siblings, or `allOf` with one branch: the branch itself.
        if let Some(branch) = single_all_of(&view) {
            let inner = self.lower_schema(branch, &at.push("allOf").push(0), hint)?;
            return Ok(Lowered { ty: inner.ty, nullable: nullable || inner.nullable });
        }
        let name = self.names.allocate(&camel_ident(hint, "Type", "Schema"));
        self.by_pointer.insert(at.clone(), name.clone());
        self.define_named(schema, at, &name)?;
        let name = self.dedup_inline(name, at);
        Ok(Lowered { ty: Ty::Named(name), nullable })
    }

    /// Inline schemas are often repeated verbatim (the same `state` enum in fifty places): a new
    /// inline type identical in shape to an earlier one (ignoring docs) is replaced by it. The
    /// earlier name wins, so the result depends only on the spec's order. Component schemas are
    /// never merged: their names are part of the API.
    fn dedup_inline(&mut self, name: String, at: &Pointer) -> String {
        let Some(def) = self.types.get(&name) else { return name };
        let mut mentioned = Vec::new();
        def.kind.names(&mut mentioned);
        if mentioned.contains(&name) {
            return name; // recursive: its own name is part of its shape
        }
        let key = shape_key(&def.kind);
        match self.shapes.get(&key) {
            Some(existing) => {
                let existing = existing.clone();
                self.types.remove(&name);
                self.names.used.remove(&name);
                self.by_pointer.insert(at.clone(), existing.clone());
                existing
            }
            None => {
                self.shapes.insert(key, name.clone());
                name
            }
        }
    }

    /// The type of a schema that needs no name of its own, or `None` if it does.
    fn structural(&mut self, view: &View<'_>, at: &Pointer, hint: &str) -> Result<Option<Ty>, Error> {
        if view.not {
            self.warn(at, "`not` only constrains values; ignored");
        }
        let non_null_enum = view.enumeration.iter().any(|v| !v.is_null());
        if non_null_enum
            || !view.one_of.is_empty()
            || !view.any_of.is_empty()
            || view.properties.is_some_and(|p| !p.is_empty())
        {
            return Ok(None);
        }
        if !view.all_of.is_empty() {
            return Ok(None);
        }
        if view.data.extensions.get("x-codegen-null") == Some(&Value::Bool(true)) {
            return Ok(Some(Ty::Unit));
        }
        Ok(Some(match view.ty {
            Some("string") => Ty::String,
            Some("boolean") => Ty::Bool,
            Some("integer") => Ty::Int(int_type(view.format.as_deref())),
            Some("number") => Ty::Float,
            Some("array") => {
                let item = match view.items {
                    Some(items) => {
                        let l = self.lower_boxed(items, &at.push("items"), &format!("{hint} Item"))?;
                        if l.nullable && l.ty != Ty::Unit { Ty::Option(Box::new(l.ty)) } else { l.ty }
                    }
                    None => Ty::Json,
                };
                Ty::Vec(Box::new(item))
            }
            Some("object") | None if view.is_object_like() || view.ty == Some("object") => match view.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let l = self.lower_schema(s, &at.push("additionalProperties"), &format!("{hint} Value"))?;
                    let value = if l.nullable && l.ty != Ty::Unit { Ty::Option(Box::new(l.ty)) } else { l.ty };
                    Ty::Map(Box::new(value))
                }
                _ => Ty::JsonObject,
            },
            None => Ty::Json,
            Some(other) => {
                return Err(Error::invalid(
                    &at.push("type"),
                    format!("unknown type `{other}`; expected string, number, integer, boolean, array, object or null"),
                ));
            }
        }))
    }

    /// Defines a named type for a schema.
    fn define_named(&mut self, schema: &Schema, at: &Pointer, name: &str) -> Result<(), Error> {
        let view = View::of(schema);
        let doc = view.doc();
        let kind = self.kind_of(&view, at, name)?;
        self.types.insert(name.to_owned(), TypeDef { name: name.to_owned(), doc, pointer: at.clone(), kind });
        Ok(())
    }

    fn kind_of(&mut self, view: &View<'_>, at: &Pointer, name: &str) -> Result<TypeKind, Error> {
        let values: Vec<&Value> = view.enumeration.iter().filter(|v| !v.is_null()).collect();
        if !values.is_empty() {
            return Ok(self.enum_kind(view, &values, at));
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            let (key, branches) = if view.one_of.is_empty() { ("anyOf", view.any_of) } else { ("oneOf", view.one_of) };
            if !view.one_of.is_empty() && !view.any_of.is_empty() {
                self.warn(&at.push("anyOf"), "both `oneOf` and `anyOf`: `anyOf` ignored");
            }
            if view.properties.is_some_and(|p| !p.is_empty()) {
                self.warn(
                    at,
                    format!(
                        "`properties` beside `{key}`: the properties are not generated; the union decides the type"
                    ),
                );
            }
            return self.union_kind(view, key, branches, at, name);
        }
        if !view.all_of.is_empty() {
            return self.all_of_kind(view, at, name);
        }
        if view.properties.is_some_and(|p| !p.is_empty()) {
            return Ok(TypeKind::Struct(self.struct_of(&[(view, at.clone())], name)?));
        }
        match self.structural(view, at, name)? {
            Some(ty) => Ok(TypeKind::Alias(ty)),
            None => unreachable!("every schema without a structural type was handled above"),
        }
    }

    fn enum_kind(&mut self, view: &View<'_>, values: &[&Value], at: &Pointer) -> TypeKind {
        let all_strings = values.iter().all(|v| v.is_string());
        if all_strings && matches!(view.ty, Some("string") | None) {
            let mut used = BTreeSet::new();
            let mut seen = BTreeSet::new();
            let mut variants = Vec::new();
            for v in values {
                let wire = v.as_str().expect("checked").to_owned();
                if !seen.insert(wire.clone()) {
                    self.warn(&at.push("enum"), format!("duplicate enum value `{wire}` listed once"));
                    continue;
                }
                let base = camel_ident(&wire, "Value", "Empty");
                let mut candidate = base.clone();
                let mut n = 2;
                while !used.insert(candidate.clone()) {
                    candidate = format!("{base}{n}");
                    n += 1;
                }
                variants.push((candidate, wire));
            }
            let fallback = ["Unknown", "UnknownValue", "Other"]
                .iter()
                .map(|s| s.to_string())
                .find(|s| !used.contains(s))
                .unwrap_or_else(|| {
                    let mut n = 2;
                    while used.contains(&format!("Unknown{n}")) {
                        n += 1;
                    }
                    format!("Unknown{n}")
                });
            return TypeKind::Enum(StringEnum { variants, fallback });
        }
        let base = match view.ty {
            Some("integer") if values.iter().all(|v| v.is_i64() || v.is_u64()) => {
                Ty::Int(int_type(view.format.as_deref()))
            }
            Some("number") if values.iter().all(|v| v.is_number()) => Ty::Float,
            Some("boolean") if values.iter().all(|v| v.is_boolean()) => Ty::Bool,
            Some("string") if all_strings => Ty::String,
            _ => Ty::Json,
        };
        let mut used = BTreeSet::new();
        let consts = values
            .iter()
            .map(|v| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string().replace('-', "minus ").replace('.', " point "),
                    other => other.to_string(),
                };
                let base = words(&text).to_shouty_snake_case();
                let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("VALUE_{base}")
                } else {
                    base
                };
                let base = base.trim_end_matches('_').to_owned();
                (unique_in(&mut used, &base), (*v).clone())
            })
            .collect();
        TypeKind::Constants(Constants { base, values: consts })
    }

    fn union_kind(
        &mut self,
        view: &View<'_>,
        key: &str,
        branches: &[ReferenceOr<Schema>],
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        let discriminator = view.data.discriminator.as_ref();
        let mut variants: Vec<Variant> = Vec::new();
        let mut used = BTreeSet::new();
        for (i, branch) in branches.iter().enumerate() {
            let b_at = at.push(key).push(i);
            let (vname_base, tags) = match branch {
                ReferenceOr::Reference { reference } => {
                    let short = reference.rsplit('/').next().unwrap_or(reference).to_owned();
                    let mut tags = Vec::new();
                    if let Some(d) = discriminator {
                        for (tag, target) in &d.mapping {
                            if target == reference || target == &short {
                                tags.push(tag.clone());
                            }
                        }
                        if tags.is_empty() {
                            tags.push(short.clone());
                        }
                    }
                    (camel_ident(&short, "Variant", "Variant"), tags)
                }
                ReferenceOr::Item(s) => {
                    let label = s.schema_data.title.clone().unwrap_or_default();
                    (camel_ident(&label, "Variant", ""), Vec::new())
                }
            };
            let lowered = self.lower_schema(branch, &b_at, &format!("{name} Variant {i}"))?;
            let vname_base = if vname_base.is_empty() { variant_label(&lowered.ty, i) } else { vname_base };
            let mut vname = vname_base.clone();
            let mut n = 2;
            while !used.insert(vname.clone()) {
                vname = format!("{vname_base}{n}");
                n += 1;
            }
            let ty =
                if lowered.nullable && lowered.ty != Ty::Unit { Ty::Option(Box::new(lowered.ty)) } else { lowered.ty };
            variants.push(Variant { name: vname, ty, tags });
        }
        let discriminator = match discriminator {
            Some(d) if variants.iter().all(|v| !v.tags.is_empty()) => Some(d.property_name.clone()),
            Some(_) => {
                self.warn(&at.push("discriminator"), "discriminator ignored: some branches are inline schemas without a mapping; decoded as an untagged union");
                None
            }
            None => None,
        };
        let fallback = ["Unknown", "UnknownVariant", "Other"]
            .iter()
            .map(|s| s.to_string())
            .find(|s| !used.contains(s))
            .unwrap_or_else(|| format!("Unknown{}", variants.len()));
        Ok(TypeKind::Union(Union { variants, discriminator, fallback }))
    }

    fn all_of_kind(&mut self, view: &View<'_>, at: &Pointer, name: &str) -> Result<TypeKind, Error> {
        if let Some(branch) = single_all_of(view) {
            let lowered = self.lower_schema(branch, &at.push("allOf").push(0), name)?;
            let ty = if lowered.nullable && !view.nullable() && lowered.ty != Ty::Unit {
                Ty::Option(Box::new(lowered.ty))
            } else {
                lowered.ty
            };
            return Ok(TypeKind::Alias(ty));
        }
        // Collect the object parts of every branch, following references and nested allOfs.
        let mut parts: Vec<(Rc<Schema>, Pointer)> = Vec::new();
        let mut others = Vec::new();
        let mut stack: Vec<(ReferenceOr<Schema>, Pointer, usize)> =
            view.all_of.iter().enumerate().rev().map(|(i, b)| (b.clone(), at.push("allOf").push(i), 0)).collect();
        let mut own: Option<Schema> = None;
        if view.properties.is_some_and(|p| !p.is_empty())
            || matches!(view.additional, Some(AdditionalProperties::Schema(_)))
        {
            // The wrapper's own properties come last.
            let mut s = Schema {
                schema_data: view.data.clone(),
                schema_kind: SchemaKind::Type(Type::Object(Default::default())),
            };
            if let SchemaKind::Type(Type::Object(o)) = &mut s.schema_kind {
                o.properties = view.properties.cloned().unwrap_or_default();
                o.required = view.required.to_vec();
                o.additional_properties = view.additional.cloned();
            }
            own = Some(s);
        }
        let mut visited = BTreeSet::new();
        while let Some((branch, b_at, depth)) = stack.pop() {
            if depth > 64 {
                return Err(Error::invalid(&b_at, "`allOf` nested more than 64 levels"));
            }
            let (schema, s_at) = match &branch {
                ReferenceOr::Reference { reference } => {
                    let (s, target) = self.schema_at(reference, &b_at)?;
                    if !visited.insert(target.clone()) {
                        if target == *at {
                            return Err(Error::invalid(
                                &b_at,
                                format!("`allOf` includes itself through `{reference}`"),
                            ));
                        }
                        continue;
                    }
                    (s, target)
                }
                ReferenceOr::Item(s) => (Rc::new(s.clone()), b_at.clone()),
            };
            let v = View::of(&schema);
            if !v.all_of.is_empty() {
                if v.is_object_like() {
                    let mut s = Schema::clone(&schema);
                    s.schema_kind = SchemaKind::Type(Type::Object(openapiv3::ObjectType {
                        properties: v.properties.cloned().unwrap_or_default(),
                        required: v.required.to_vec(),
                        additional_properties: v.additional.cloned(),
                        ..Default::default()
                    }));
                    // Nested allOf branches first, then the schema's own properties.
                    stack.push((ReferenceOr::Item(s), s_at.clone(), depth + 1));
                }
                for (i, b) in v.all_of.iter().enumerate().rev() {
                    stack.push((b.clone(), s_at.push("allOf").push(i), depth + 1));
                }
                continue;
            }
            if v.is_object_like() {
                parts.push((schema, s_at));
            } else if v.ty.is_none()
                && v.enumeration.is_empty()
                && v.one_of.is_empty()
                && v.any_of.is_empty()
                && v.items.is_none()
            {
                // Documentation-only branch (`description`, `nullable`, ...): nothing to merge.
            } else {
                others.push(s_at);
            }
        }
        if let Some(s) = own {
            parts.push((Rc::new(s), at.clone()));
        }
        if !others.is_empty() {
            if parts.is_empty() && others.len() == 1 {
                // allOf of one non-object schema plus documentation: that schema.
                let (schema, _) = self.schema_at(&format!("#{}", others[0].as_str()), at)?;
                let lowered = self.lower_inline(&schema, &others[0], name)?;
                return Ok(TypeKind::Alias(lowered.ty));
            }
            self.warn(
                at,
                format!(
                    "`allOf` combines schemas that are not all objects ({}); generated as an arbitrary JSON value",
                    others.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
                ),
            );
            return Ok(TypeKind::Alias(Ty::Json));
        }
        if parts.is_empty() {
            return Ok(TypeKind::Alias(Ty::JsonObject));
        }
        let views: Vec<(View<'_>, Pointer)> = parts.iter().map(|(s, p)| (View::of(s), p.clone())).collect();
        let refs: Vec<(&View<'_>, Pointer)> = views.iter().map(|(v, p)| (v, p.clone())).collect();
        Ok(TypeKind::Struct(self.struct_of(&refs, name)?))
    }

    /// A struct from one or more object schemas (several for `allOf`).
    fn struct_of(&mut self, parts: &[(&View<'_>, Pointer)], name: &str) -> Result<Struct, Error> {
        let mut required: BTreeSet<&str> = BTreeSet::new();
        for (v, _) in parts {
            required.extend(v.required.iter().map(String::as_str));
        }
        // wire name → (position, schema, pointer)
        let mut props: IndexMap<&str, (&ReferenceOr<Box<Schema>>, Pointer)> = IndexMap::new();
        let mut additional = None;
        for (v, p_at) in parts {
            if let Some(properties) = v.properties {
                for (wire, schema) in properties {
                    props.insert(wire.as_str(), (schema, p_at.push("properties").push(wire)));
                }
            }
            if let Some(AdditionalProperties::Schema(s)) = v.additional {
                additional = Some((s.as_ref(), p_at.push("additionalProperties")));
            }
        }
        let mut used = BTreeSet::new();
        let mut fields = Vec::new();
        for (wire, (schema, p_at)) in props {
            let lowered = self.lower_boxed(schema, &p_at, &format!("{name} {wire}"))?;
            let doc = match schema {
                ReferenceOr::Item(s) => doc_of(s.schema_data.title.as_deref(), s.schema_data.description.as_deref()),
                ReferenceOr::Reference { .. } => None,
            };
            let field_name = unique_in(&mut used, &snake_ident(wire, "field"));
            let (ty, nullable) = if lowered.ty == Ty::Unit { (Ty::Json, true) } else { (lowered.ty, lowered.nullable) };
            fields.push(Field {
                name: field_name,
                wire: wire.to_owned(),
                doc,
                ty,
                required: required.contains(wire),
                nullable,
            });
        }
        let additional = match additional {
            Some((schema, a_at)) => {
                let l = self.lower_schema(schema, &a_at, &format!("{name} Value"))?;
                let ty = if l.nullable && l.ty != Ty::Unit { Ty::Option(Box::new(l.ty)) } else { l.ty };
                Some((unique_in(&mut used, "additional_properties"), ty))
            }
            None => None,
        };
        Ok(Struct { fields, additional })
    }

    fn auth(&mut self) -> Result<Option<Auth>, Error> {
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
                        format!("HTTP auth scheme `{scheme}` is sent as `Authorization: {scheme} <key>`"),
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

    fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut ops = Vec::new();
        let mut ids: BTreeMap<String, Pointer> = BTreeMap::new();
        for (path, item) in self.api.paths.iter() {
            let p_at = Pointer::root().push("paths").push(path);
            let item: openapiv3::PathItem = self.resolve(item, &p_at, "a path item")?;
            let item = &item;
            for (method, op) in item.iter() {
                let o_at = p_at.push(method);
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
                if let Some(first) = ids.insert(id.clone(), o_at.clone()) {
                    return Err(Error::invalid(
                        &o_at.push("operationId"),
                        format!("duplicate operationId `{id}` (also at {first})"),
                    ));
                }
                let mut params = item.parameters.clone();
                // Operation parameters override path-item ones with the same name and location.
                for p in &op.parameters {
                    params.push(p.clone());
                }
                match self.lower_operation(path, method, op, &params, (&p_at, &o_at), &id)? {
                    Some(op) => ops.push(op),
                    None => continue,
                }
            }
        }
        assign_method_names(self, &mut ops)?;
        ops.sort_by(|a, b| (&a.resource, &a.method_name).cmp(&(&b.resource, &b.method_name)));
        Ok(ops)
    }

    fn resolve<T: serde::de::DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        at: &Pointer,
        what: &str,
    ) -> Result<T, Error> {
        match item {
            ReferenceOr::Item(t) => Ok(t.clone()),
            ReferenceOr::Reference { reference } => {
                let target = ref_target(reference, at)?;
                let node = node_at(self.raw, &target, reference, at)?;
                serde_json::from_value(node.clone())
                    .map_err(|e| Error::invalid(&target, format!("expected {what}: {e}")))
            }
        }
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        op: &ApiOperation,
        params: &[ReferenceOr<Parameter>],
        (path_at, at): (&Pointer, &Pointer),
        id: &str,
    ) -> Result<Option<Operation>, Error> {
        let op_name = camel_ident(id, "Op", "Operation");
        // Parameters, later ones overriding earlier ones with the same (name, location).
        let mut resolved: IndexMap<(String, &'static str), (Parameter, Pointer)> = IndexMap::new();
        for (i, p) in params.iter().enumerate() {
            let p_at = if i < params.len() - op.parameters.len() {
                path_at.push("parameters").push(i)
            } else {
                at.push("parameters").push(i - (params.len() - op.parameters.len()))
            };
            let p = self.resolve(p, &p_at, "a parameter")?;
            let loc = match &p {
                Parameter::Path { .. } => "path",
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => "cookie",
            };
            resolved.insert((p.parameter_data_ref().name.clone(), loc), (p, p_at));
        }
        let mut used = BTreeSet::new();
        let mut out_params = Vec::new();
        for ((wire, loc), (p, p_at)) in &resolved {
            let location = match *loc {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                _ => {
                    self.warn(p_at, format!("cookie parameter `{wire}` is not supported; not generated"));
                    continue;
                }
            };
            if location == ParamLocation::Header
                && ["authorization", "content-type", "accept"].contains(&wire.to_ascii_lowercase().as_str())
            {
                self.warn(p_at, format!("header parameter `{wire}` is set by the client itself; not generated"));
                continue;
            }
            let data = p.parameter_data_ref();
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let l = self.lower_schema(s, &p_at.push("schema"), &format!("{op_name} {wire}"))?;
                    if l.ty == Ty::Unit { Ty::Json } else { l.ty }
                }
                ParameterSchemaOrContent::Content(content) => match content.first() {
                    Some((media, mt)) if is_json(media) => match &mt.schema {
                        Some(s) => {
                            self.lower_schema(
                                s,
                                &p_at.push("content").push(media).push("schema"),
                                &format!("{op_name} {wire}"),
                            )?
                            .ty
                        }
                        None => Ty::Json,
                    },
                    _ => Ty::String,
                },
            };
            let required = data.required || location == ParamLocation::Path;
            let name = unique_in(&mut used, &snake_ident(wire, "param"));
            out_params.push(Param { name, wire: wire.clone(), location, ty, required, doc: data.description.clone() });
        }

        // Path template. A fragment is never sent over HTTP; a query string in the template (as in
        // specs converted from AWS's) becomes constant query pairs and `{name}` query parameters.
        let (path, fragment) = path.split_once('#').map_or((path, None), |(p, f)| (p, Some(f)));
        if let Some(fragment) = fragment {
            self.warn(
                at,
                format!("path template fragment `#{fragment}` is not sent (HTTP never sends fragments); ignored"),
            );
        }
        let (path, template_query) = path.split_once('?').map_or((path, None), |(p, q)| (p, Some(q)));
        let mut constant_query = Vec::new();
        for pair in template_query.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                Some(wire) => {
                    if !out_params.iter().any(|p| p.location == ParamLocation::Query && p.wire == key) {
                        self.warn(at, format!("query `{key}={{{wire}}}` in the path template is not declared; generated as a string query parameter"));
                        let name = unique_in(&mut used, &snake_ident(key, "param"));
                        out_params.push(Param {
                            name,
                            wire: key.to_owned(),
                            location: ParamLocation::Query,
                            ty: Ty::String,
                            required: true,
                            doc: None,
                        });
                    }
                }
                None => constant_query.push((key.to_owned(), value.to_owned())),
            }
        }
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| Error::invalid(at, format!("unclosed `{{` in path `{path}`")))?;
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let wire = &rest[open + 1..close];
            let name = match out_params.iter().find(|p| p.location == ParamLocation::Path && p.wire == wire) {
                Some(param) => param.name.clone(),
                None => {
                    // An undeclared template parameter: taken as a string, with a warning.
                    self.warn(
                        at,
                        format!("path `{path}` uses `{{{wire}}}` but no path parameter `{wire}` is declared; generated as a string parameter"),
                    );
                    let name = unique_in(&mut used, &snake_ident(wire, "param"));
                    let param = Param {
                        name: name.clone(),
                        wire: wire.to_owned(),
                        location: ParamLocation::Path,
                        ty: Ty::String,
                        required: true,
                        doc: None,
                    };
                    out_params.push(param);
                    name
                }
            };
            parts.push(PathPart::Param(name));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        let declared: Vec<String> =
            out_params.iter().filter(|p| p.location == ParamLocation::Path).map(|p| p.name.clone()).collect();
        for name in declared {
            if !parts.iter().any(|p| matches!(p, PathPart::Param(n) if *n == name)) {
                self.warn(at, format!("path parameter `{name}` is not in the path template `{path}`; not generated"));
                out_params.retain(|p| !(p.location == ParamLocation::Path && p.name == name));
            }
        }

        // Body.
        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let b_at = at.push("requestBody");
                let rb: openapiv3::RequestBody = self.resolve(rb, &b_at, "a request body")?;
                let chosen = rb
                    .content
                    .iter()
                    .find(|(m, _)| is_json(m))
                    .or_else(|| rb.content.iter().find(|(m, _)| !m.starts_with("multipart/")));
                match chosen {
                    None if rb.content.is_empty() => None,
                    None => {
                        let media = rb.content.keys().next().cloned().unwrap_or_default();
                        self.warn(
                            &b_at.push("content").push(&media),
                            format!("request media type `{media}` is not supported; operation `{id}` is not generated"),
                        );
                        return Ok(None);
                    }
                    Some((media, mt)) => {
                        let encoding = encoding_of(media);
                        let ty = match (&mt.schema, encoding) {
                            (_, Encoding::Text) => Ty::String,
                            (_, Encoding::Bytes) => Ty::Vec(Box::new(Ty::Int("u8"))),
                            (Some(s), _) => {
                                let l = self.lower_schema(
                                    s,
                                    &b_at.push("content").push(media).push("schema"),
                                    &format!("{op_name} Body"),
                                )?;
                                if l.ty == Ty::Unit { Ty::Json } else { l.ty }
                            }
                            (None, _) => Ty::Json,
                        };
                        Some(Body { media_type: media.clone(), encoding, ty })
                    }
                }
            }
        };

        // Responses.
        let mut success = ResponseBody { encoding: None, ty: None };
        let mut found_success = false;
        let mut errors = Vec::new();
        let mut entries: Vec<(String, &ReferenceOr<openapiv3::Response>)> =
            op.responses.responses.iter().map(|(code, r)| (status_text(code), r)).collect();
        if let Some(d) = &op.responses.default {
            entries.push(("default".to_owned(), d));
        }
        for (code, response) in entries {
            let r_at = at.push("responses").push(&code);
            let response: openapiv3::Response = self.resolve(response, &r_at, "a response")?;
            let is_success = code.starts_with('2');
            let chosen = response.content.iter().find(|(m, _)| is_json(m)).or_else(|| response.content.first());
            if is_success {
                if found_success {
                    continue;
                }
                found_success = true;
                if let Some((media, mt)) = chosen {
                    let encoding = encoding_of(media);
                    let ty = match (&mt.schema, encoding) {
                        (_, Encoding::Text) => Ty::String,
                        (_, Encoding::Bytes) | (_, Encoding::Form) => Ty::Vec(Box::new(Ty::Int("u8"))),
                        (Some(s), Encoding::Json) => {
                            let l = self.lower_schema(
                                s,
                                &r_at.push("content").push(media).push("schema"),
                                &format!("{op_name} Response"),
                            )?;
                            if l.nullable && l.ty != Ty::Unit { Ty::Option(Box::new(l.ty)) } else { l.ty }
                        }
                        (None, Encoding::Json) => Ty::Json,
                    };
                    let encoding = if encoding == Encoding::Form { Encoding::Bytes } else { encoding };
                    success = ResponseBody { encoding: Some(encoding), ty: Some(ty) };
                }
            } else {
                let ty = match chosen {
                    Some((media, mt)) if is_json(media) => match &mt.schema {
                        Some(s) => Some(
                            self.lower_schema(
                                s,
                                &r_at.push("content").push(media).push("schema"),
                                &format!("{op_name} Error {code}"),
                            )?
                            .ty,
                        ),
                        None => None,
                    },
                    _ => None,
                };
                errors.push((code, response.description.trim().to_owned(), ty));
            }
        }

        let params_type = if out_params.iter().any(|p| p.location != ParamLocation::Path) {
            let name = self.names.allocate(&camel_ident(&format!("{id} params"), "Op", "Params"));
            let fields = out_params
                .iter()
                .filter(|p| p.location != ParamLocation::Path)
                .map(|p| Field {
                    name: p.name.clone(),
                    wire: p.wire.clone(),
                    doc: p.doc.clone(),
                    ty: p.ty.clone(),
                    required: p.required,
                    nullable: false,
                })
                .collect();
            let doc = format!("Query and header parameters of `{id}`.");
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    doc: Some(doc),
                    pointer: at.push("parameters"),
                    kind: TypeKind::Struct(Struct { fields, additional: None }),
                },
            );
            Some(name)
        } else {
            None
        };
        let authenticated = match &op.security {
            Some(reqs) => reqs.iter().any(|r| !r.is_empty()),
            None => self.api.security.as_ref().is_some_and(|reqs| reqs.iter().any(|r| !r.is_empty())),
        };
        let (resource, method_name) = sdk_name(op).unwrap_or_else(|| {
            let resource = op.tags.first().map(|t| snake_ident(t, "api")).unwrap_or_else(|| "api".to_owned());
            (vec![resource], snake_ident(op.operation_id.as_deref().unwrap_or(&format!("{method} {path}")), "call"))
        });
        Ok(Some(Operation {
            id: id.to_owned(),
            pointer: at.clone(),
            resource,
            method_name,
            http_method: method.to_ascii_uppercase(),
            path: parts,
            constant_query,
            params: out_params,
            params_type,
            body,
            success,
            errors,
            authenticated,
            doc: doc_of(op.summary.as_deref(), op.description.as_deref()),
            deprecated: op.deprecated,
        }))
    }
}

/// A component schema; one that is itself only a `$ref` becomes an alias to its target.
fn component_schema(schema: &ReferenceOr<Schema>) -> Schema {
    match schema {
        ReferenceOr::Item(s) => s.clone(),
        ReferenceOr::Reference { reference } => {
            let mut s = Schema {
                schema_data: SchemaData::default(),
                schema_kind: SchemaKind::AllOf { all_of: vec![ReferenceOr::ref_(reference)] },
            };
            s.schema_data.extensions.insert("x-codegen-ref-docs".into(), Value::Bool(true));
            s
        }
    }
}

/// The pointer a `$ref` (at `at`) names; references into other files are refused.
fn ref_target(reference: &str, at: &Pointer) -> Result<Pointer, Error> {
    Pointer::from_ref(reference).ok_or_else(|| {
        Error::unsupported(
            at,
            format!("`$ref: {reference}` points into another file; bundle the spec into one file first (e.g. `npx @redocly/cli bundle`)"),
        )
    })
}

/// The node `target` names in `root`, or an error naming the first segment that is missing.
fn node_at<'v>(root: &'v Value, target: &Pointer, reference: &str, at: &Pointer) -> Result<&'v Value, Error> {
    let mut node = root;
    for segment in target.segments() {
        node = match node {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
        .ok_or_else(|| {
            Error::invalid(at, format!("`$ref: {reference}` does not resolve: no `{segment}` at {target}"))
        })?;
    }
    Ok(node)
}

/// A type's shape without its documentation, for deduplication.
fn shape_key(kind: &TypeKind) -> String {
    let mut kind = kind.clone();
    if let TypeKind::Struct(s) = &mut kind {
        for f in &mut s.fields {
            f.doc = None;
        }
    }
    format!("{kind:?}")
}

fn single_all_of<'v>(view: &View<'v>) -> Option<&'v ReferenceOr<Schema>> {
    if view.all_of.len() == 1
        && view.properties.is_none_or(|p| p.is_empty())
        && view.additional.is_none()
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.enumeration.is_empty()
    {
        view.all_of.first()
    } else {
        None
    }
}

fn variant_label(ty: &Ty, i: usize) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "Boolean".into(),
        Ty::Int(_) => "Integer".into(),
        Ty::Float => "Number".into(),
        Ty::Vec(_) => "Array".into(),
        Ty::Map(_) | Ty::JsonObject => "Object".into(),
        Ty::Unit => "Null".into(),
        Ty::Named(n) => n.clone(),
        _ => format!("Variant{i}"),
    }
}

fn int_type(format: Option<&str>) -> &'static str {
    match format {
        Some("int8") => "i8",
        Some("int16") => "i16",
        Some("int32") => "i32",
        Some("uint8") => "u8",
        Some("uint16") => "u16",
        Some("uint32") => "u32",
        Some("uint64") => "u64",
        _ => "i64",
    }
}

fn status_text(code: &StatusCode) -> String {
    code.to_string()
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*"
}

fn encoding_of(media: &str) -> Encoding {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if is_json(&essence) {
        Encoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Encoding::Form
    } else if essence.starts_with("text/") {
        Encoding::Text
    } else {
        Encoding::Bytes
    }
}

/// The SDK name from `x-codeSamples`: Python's `client.a.b.method(`, else JavaScript's `client.a.b.method(`.
fn sdk_name(op: &ApiOperation) -> Option<(Vec<String>, String)> {
    let samples = op.extensions.get("x-codeSamples").or_else(|| op.extensions.get("x-code-samples"))?.as_array()?;
    let find = |langs: &[&str]| {
        samples.iter().find_map(|s| {
            let lang = s.get("lang")?.as_str()?.to_ascii_lowercase();
            if !langs.contains(&lang.as_str()) {
                return None;
            }
            let source = s.get("source")?.as_str()?;
            let start = source.find("client.")? + "client.".len();
            let chain: String =
                source[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
            if !source[start + chain.len()..].trim_start().starts_with('(') {
                return None;
            }
            let mut parts: Vec<String> =
                chain.split('.').filter(|p| !p.is_empty()).map(|p| snake_ident(p, "api")).collect();
            if parts.len() < 2 {
                return None;
            }
            let method = parts.pop()?;
            Some((parts, method))
        })
    };
    find(&["python"]).or_else(|| find(&["javascript", "typescript", "node", "js", "ts"]))
}

/// Names that the generated `Client` and resource structs use for themselves.
const RESERVED_METHODS: &[&str] = &["new", "builder", "from_env", "client", "with_options", "base_url"];

/// Makes method names unique within each resource, and resource names distinct from methods.
fn assign_method_names(cx: &mut Lowerer<'_>, ops: &mut [Operation]) -> Result<(), Error> {
    // Sub-resource names per parent path.
    let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for op in ops.iter() {
        for depth in 1..=op.resource.len() {
            children.entry(op.resource[..depth - 1].to_vec()).or_default().insert(op.resource[depth - 1].clone());
        }
    }
    // Top-level resources must not collide with the client's own methods.
    for op in ops.iter_mut() {
        if RESERVED_METHODS.contains(&op.resource[0].as_str()) {
            op.resource[0] = format!("{}_api", op.resource[0]);
        }
    }
    let mut taken: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    // Process in a fixed order: by (resource, method, id).
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by(|&a, &b| {
        (&ops[a].resource, &ops[a].method_name, &ops[a].id).cmp(&(&ops[b].resource, &ops[b].method_name, &ops[b].id))
    });
    for i in order {
        let op = &mut ops[i];
        let used = taken.entry(op.resource.clone()).or_default();
        let subs = children.get(&op.resource).cloned().unwrap_or_default();
        let clash =
            |n: &str, used: &BTreeSet<String>| used.contains(n) || subs.contains(n) || RESERVED_METHODS.contains(&n);
        if clash(&op.method_name, used) {
            let fallback = snake_ident(&op.id, "call");
            let fallback = if clash(&fallback, used) {
                format!("{}_{}", fallback, op.http_method.to_ascii_lowercase())
            } else {
                fallback
            };
            cx.warn(
                &op.pointer,
                format!(
                    "method name `{}` is taken in resource `{}`; using `{fallback}`",
                    op.method_name,
                    op.resource.join(".")
                ),
            );
            op.method_name = fallback;
        }
        let name = unique_in(used, &op.method_name);
        op.method_name = name;
    }
    Ok(())
}

fn base_url(api: &OpenAPI) -> Option<String> {
    let server = api.servers.first()?;
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        Some(url.trim_end_matches('/').to_owned())
    } else {
        None
    }
}

/// Aliases that refer to themselves: through a container they become newtypes; directly, an error.
fn resolve_alias_cycles(types: &mut [TypeDef]) -> Result<(), Error> {
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut graph = petgraph::graphmap::DiGraphMap::<usize, bool>::new();
    for (i, t) in types.iter().enumerate() {
        graph.add_node(i);
        if let TypeKind::Alias(ty) | TypeKind::Newtype(ty) = &t.kind {
            let direct = ty.direct_name().map(str::to_owned);
            let mut names = Vec::new();
            ty.names(&mut names);
            for n in names {
                if let Some(&j) = index.get(&n)
                    && matches!(types[j].kind, TypeKind::Alias(_))
                {
                    let is_direct = direct.as_deref() == Some(n.as_str());
                    graph.add_edge(i, j, is_direct);
                }
            }
        }
    }
    for scc in petgraph::algo::tarjan_scc(&graph) {
        let cyclic = scc.len() > 1 || graph.contains_edge(scc[0], scc[0]);
        if !cyclic {
            continue;
        }
        let all_direct = scc.iter().all(|&i| graph.edges(i).filter(|(_, j, _)| scc.contains(j)).all(|(_, _, d)| *d));
        let mut members: Vec<usize> = scc.clone();
        members.sort();
        if all_direct {
            let names: Vec<String> = members.iter().map(|&i| types[i].name.clone()).collect();
            return Err(Error::invalid(
                &types[members[0]].pointer,
                format!("reference cycle with no data in between: {} → {}", names.join(" → "), names[0]),
            ));
        }
        for i in members {
            if let TypeKind::Alias(ty) = &types[i].kind {
                types[i].kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
    Ok(())
}

/// Boxes the fields and variants that close a cycle of direct containment: the back edges of a
/// depth-first search over types in name order (fields in spec order). Removing back edges leaves
/// no cycle, so every type gets a finite size with one `Box` per cycle rather than one per edge.
fn box_recursion(types: &mut [TypeDef]) {
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    // For each type, its direct (unboxed) references: (slot, target).
    let slots = |t: &TypeDef| -> Vec<(usize, usize)> {
        let targets: Vec<Option<&str>> = match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty.direct_name()).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| v.ty.direct_name()).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty.direct_name()],
            _ => Vec::new(),
        };
        targets.into_iter().enumerate().filter_map(|(slot, n)| Some((slot, *index.get(n?)?))).collect()
    };
    let edges: Vec<Vec<(usize, usize)>> = types.iter().map(slots).collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; types.len()];
    let mut back_edges: Vec<(usize, usize)> = Vec::new();
    // Iterative DFS: schemas can nest deeper than the stack would like.
    for root in 0..types.len() {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        mark[root] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(slot, target)) = edges[node].get(*next) {
                *next += 1;
                match mark[target] {
                    Mark::Open => back_edges.push((node, slot)),
                    Mark::New => {
                        mark[target] = Mark::Open;
                        stack.push((target, 0));
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    let boxed = |ty: &Ty| match ty {
        Ty::Option(inner) => Ty::Option(Box::new(Ty::Box(inner.clone()))),
        other => Ty::Box(Box::new(other.clone())),
    };
    for (node, slot) in back_edges {
        match &mut types[node].kind {
            TypeKind::Struct(s) => s.fields[slot].ty = boxed(&s.fields[slot].ty),
            TypeKind::Union(u) => u.variants[slot].ty = boxed(&u.variants[slot].ty),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => *ty = boxed(ty),
            _ => {}
        }
    }
}
