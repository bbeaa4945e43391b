//! The intermediate representation: what the emitter needs and nothing of OpenAPI's spelling.
//!
//! Types are named and deduplicated here, so the emitter never invents names; every name is a
//! valid Rust identifier already.

use crate::error::Pointer;

/// A lowered spec.
#[derive(Clone, Debug, Default)]
pub struct Ir {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub api_version: String,
    /// The default base URL: the first server's URL with its variables' defaults filled in.
    pub base_url: Option<String>,
    /// How the client authenticates, from `components.securitySchemes`.
    pub auth: Option<Auth>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by resource path then method name.
    pub operations: Vec<Operation>,
    /// The struct name of every resource path and its prefixes (`["devboxes", "executions"]` →
    /// `DevboxesExecutions`), unique: `["a_b"]` and `["a", "b"]` would both be `AB`.
    pub resource_types: std::collections::BTreeMap<Vec<String>, String>,
}

/// The named types by name, to follow what each type mentions: the one reachability walk that
/// sent/received lowering, the setters of request types and the per-resource features share.
pub(crate) struct TypeIndex<'a>(std::collections::HashMap<&'a str, &'a TypeKind>);

impl<'a> TypeIndex<'a> {
    /// Indexes `types`.
    pub(crate) fn new(types: &'a [TypeDef]) -> Self {
        Self(types.iter().map(|t| (t.name.as_str(), &t.kind)).collect())
    }

    /// The types among `roots` and every type they mention, transitively.
    pub(crate) fn reachable(&self, mut todo: Vec<String>) -> std::collections::BTreeSet<String> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = todo.pop() {
            let Some(kind) = self.0.get(name.as_str()) else { continue };
            if seen.insert(name) {
                kind.names(&mut todo);
            }
        }
        seen
    }
}

impl Ir {
    /// How prose names the API: `the Runloop API` (also for a title that already ends in "API"),
    /// or `this API` when the spec has no title.
    pub fn api_phrase(&self) -> String {
        let title = self.title.trim();
        if title.is_empty() {
            "this API".to_owned()
        } else if title.to_ascii_lowercase().ends_with(" api") || title.eq_ignore_ascii_case("api") {
            format!("the {title}")
        } else {
            format!("the {title} API")
        }
    }

    /// Whether any type expression of the generated API (fields, variants, aliases, parameters,
    /// bodies, responses) is or contains a type `leaf` accepts: decides the optional
    /// dependencies and re-exports of the crate.
    pub fn mentions(&self, leaf: &impl Fn(&Ty) -> bool) -> bool {
        let in_types = self.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().any(|f| f.ty.contains(leaf))
                    || s.additional.as_ref().is_some_and(|(_, t)| t.contains(leaf))
            }
            TypeKind::Union(u) => u.variants.iter().any(|v| v.ty.contains(leaf)),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => t.contains(leaf),
            TypeKind::Constants(c) => c.base.contains(leaf),
            TypeKind::Multipart(m) => {
                m.fields.iter().any(|f| matches!(&f.kind, PartKind::Value(t) if t.contains(leaf)))
            }
            TypeKind::Enum(_) => false,
        });
        in_types
            || self.operations.iter().any(|op| {
                op.params.iter().any(|p| p.ty.contains(leaf))
                    || op.body.as_ref().is_some_and(|b| b.kind.ty().contains(leaf))
                    || match &op.success {
                        Success::Json(t)
                        | Success::JsonLines(t)
                        | Success::EventStream(EventData::Json(t) | EventData::Envelope(t)) => t.contains(leaf),
                        Success::Empty | Success::Text | Success::Binary | Success::EventStream(EventData::Text) => {
                            false
                        }
                    }
            })
    }

    /// Whether the API names a `chrono` type (`date-time` or `date` values).
    pub fn uses_chrono(&self) -> bool {
        self.mentions(&|t| matches!(t, Ty::DateTime | Ty::Date))
    }

    /// Whether a union checks a branch's `pattern` (the crate depends on `regex-lite` then).
    pub fn uses_patterns(&self) -> bool {
        self.types
            .iter()
            .any(|t| matches!(&t.kind, TypeKind::Union(u) if u.variants.iter().any(|v| v.pattern.is_some())))
    }

    /// Whether the API names `uuid::Uuid`.
    pub fn uses_uuid(&self) -> bool {
        self.mentions(&|t| *t == Ty::Uuid)
    }
}

/// How the API key is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <key>` (HTTP bearer, and OAuth 2 / OpenID Connect access tokens).
    Bearer,
    /// `Authorization: Basic <key>`, the key being `user:password` already base64-encoded by the caller.
    Basic,
    /// The key in a header of this name.
    Header(String),
    /// The key in a query parameter of this name.
    Query(String),
}

/// A named Rust type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique).
    pub name: String,
    /// Rustdoc: title and description.
    pub doc: Option<String>,
    /// Where the schema is, for docs and errors.
    pub pointer: Pointer,
    /// What it is.
    pub kind: TypeKind,
}

/// The shapes a named type can take.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A string enum with an open fallback variant.
    Enum(StringEnum),
    /// A non-string enum: a newtype over the base type with one associated constant per value.
    Constants(Constants),
    /// `oneOf`/`anyOf`.
    Union(Union),
    /// `pub type Name = Ty;`
    Alias(Ty),
    /// `pub struct Name(pub Ty);` (used where an alias would be recursive).
    Newtype(Ty),
    /// The parts of a `multipart/form-data` request body: a struct whose file fields take a
    /// `FilePart`, encoded part by part (not with serde).
    Multipart(Multipart),
}

impl TypeKind {
    /// Every named type this one mentions, anywhere in its fields, variants or target.
    pub fn names(&self, out: &mut Vec<String>) {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| f.ty.names(out));
                if let Some((_, t)) = &s.additional {
                    t.names(out);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| v.ty.names(out)),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => t.names(out),
            TypeKind::Multipart(m) => m.fields.iter().for_each(|f| {
                if let PartKind::Value(t) = &f.kind {
                    t.names(out);
                }
            }),
            TypeKind::Enum(_) | TypeKind::Constants(_) => {}
        }
    }
}

impl TypeKind {
    /// Renames the named types this one mentions (`map`: old name → new name).
    pub(crate) fn rename(&mut self, map: &std::collections::HashMap<String, String>) {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|f| f.ty.rename(map));
                if let Some((_, t)) = &mut s.additional {
                    t.rename(map);
                }
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.ty.rename(map)),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => t.rename(map),
            TypeKind::Multipart(m) => m.fields.iter_mut().for_each(|f| {
                if let PartKind::Value(t) = &mut f.kind {
                    t.rename(map);
                }
            }),
            TypeKind::Enum(_) | TypeKind::Constants(_) => {}
        }
    }
}

/// A struct.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties: <schema>`: the type of the extra properties, kept in a flattened map.
    pub additional: Option<(String, Ty)>,
}

/// A `multipart/form-data` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Multipart {
    /// Parts in spec order.
    pub fields: Vec<PartField>,
}

/// One property of a multipart body.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PartField {
    /// Rust name (snake_case, unique within the struct).
    pub name: String,
    /// The part name.
    pub wire: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// A value, a file, or files.
    pub kind: PartKind,
    /// In the schema's `required` list.
    pub required: bool,
    /// `encoding.<name>.contentType` (for a value; files carry their own).
    pub content_type: Option<String>,
}

/// What a multipart property holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PartKind {
    /// A value: text for strings, numbers and booleans, JSON for objects; arrays give one part
    /// per item.
    Value(Ty),
    /// One file (`format: binary`, or 3.1's `contentMediaType`).
    File,
    /// An array of files: one part per file, all with the property's name.
    Files,
}

/// A struct field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// Rust name (snake_case, unique within the struct).
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The type without the optional/nullable wrapper.
    pub ty: Ty,
    /// In the schema's `required` list.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
}

impl Field {
    /// How the field is represented, per the table in [`crate::lower`].
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

/// Required/optional × nullable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// `T`
    Required,
    /// `Option<T>`, sent as `null`.
    RequiredNullable,
    /// `Option<T>`, omitted when `None`.
    Optional,
    /// `Nullable<T>`: absent, `null` or a value.
    OptionalNullable,
}

/// A string enum.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StringEnum {
    /// (Rust variant name, wire value) in spec order.
    pub variants: Vec<(String, String)>,
    /// The name of the variant that keeps unknown values.
    pub fallback: String,
    /// Rustdoc of variants, by Rust name: the `description` of a union branch that allowed only
    /// that value (a union of constants becomes one enum).
    pub docs: std::collections::BTreeMap<String, String>,
}

/// A non-string enum.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Constants {
    /// The underlying type.
    pub base: Ty,
    /// (SHOUTY_SNAKE constant name, value). With an integer base, every value fits it.
    pub values: Vec<(String, serde_json::Value)>,
    /// Listed values the base type cannot hold (an integer beyond its range, or written as a
    /// float): documented, never emitted as constants.
    pub beyond: Vec<serde_json::Value>,
    /// Rustdoc of constants, by name: the `description` of a union branch that allowed only that
    /// value (a union of constants becomes one newtype with constants).
    pub docs: std::collections::BTreeMap<String, String>,
}

/// A union of schemas.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Union {
    /// Variants in spec order.
    pub variants: Vec<Variant>,
    /// `discriminator.propertyName`, when every variant has a tag.
    pub discriminator: Option<String>,
    /// The name of the variant that keeps a value with an unknown tag (discriminated unions only).
    pub fallback: String,
}

/// One branch of a union.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// The branch type.
    pub ty: Ty,
    /// The discriminator values that select this branch.
    pub tags: Vec<String>,
    /// The `pattern` of a string branch of an untagged union: a value that does not match it is
    /// not this branch's in the exact rounds of decoding (a regex the generator has compiled).
    pub pattern: Option<String>,
}

/// A type expression.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// A primitive integer type.
    Int(IntKind),
    /// `f64`
    Float,
    /// `serde_json::Value`: any JSON.
    Json,
    /// `serde_json::Map<String, Value>`: a free-form object.
    JsonObject,
    /// `()`: a value that is always `null`.
    Unit,
    /// A named type from [`Ir::types`].
    Named(String),
    /// `Vec<T>`
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`
    Map(Box<Ty>),
    /// `Option<T>` inside containers (nullable items or values).
    Option(Box<Ty>),
    /// `Box<T>`, inserted where recursion needs indirection.
    Box(Box<Ty>),
    /// `Vec<u8>`: a body that is not JSON, as raw bytes.
    Bytes,
    /// `chrono::DateTime<Utc>`: a `format: date-time` string (RFC 3339).
    DateTime,
    /// `chrono::NaiveDate`: a `format: date` string (`YYYY-MM-DD`).
    Date,
    /// `uuid::Uuid`: a `format: uuid` string.
    Uuid,
}

/// A JSON value as text for names and docs: numbers loaded as floats but integral are written as
/// integers (`18446744073709551616`, the exact value loaded, not `1.8446744073709552e+19`).
pub fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f.abs() < 1e39 { format!("{f:.0}") } else { f.to_string() }
        }
        other => other.to_string(),
    }
}

/// Rust's primitive integer types, chosen by an integer schema's `format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntKind {
    /// `int8`
    I8,
    /// `int16`
    I16,
    /// `int32`
    I32,
    /// `int64`, and any other or no format
    I64,
    /// `uint8`
    U8,
    /// `uint16`
    U16,
    /// `uint32`
    U32,
    /// `uint64`
    U64,
}

impl IntKind {
    /// The kind for an integer schema's `format`.
    pub fn from_format(format: Option<&str>) -> Self {
        match format {
            Some("int8") => Self::I8,
            Some("int16") => Self::I16,
            Some("int32") => Self::I32,
            Some("uint8") => Self::U8,
            Some("uint16") => Self::U16,
            Some("uint32") => Self::U32,
            Some("uint64") => Self::U64,
            _ => Self::I64,
        }
    }

    /// The Rust type name.
    pub fn rust_name(self) -> &'static str {
        match self {
            Self::I8 => "i8",
            Self::I16 => "i16",
            Self::I32 => "i32",
            Self::I64 => "i64",
            Self::U8 => "u8",
            Self::U16 => "u16",
            Self::U32 => "u32",
            Self::U64 => "u64",
        }
    }

    /// The smallest and largest value of the type.
    pub fn range(self) -> (i128, i128) {
        match self {
            Self::I8 => (i8::MIN.into(), i8::MAX.into()),
            Self::I16 => (i16::MIN.into(), i16::MAX.into()),
            Self::I32 => (i32::MIN.into(), i32::MAX.into()),
            Self::I64 => (i64::MIN.into(), i64::MAX.into()),
            Self::U8 => (0, u8::MAX.into()),
            Self::U16 => (0, u16::MAX.into()),
            Self::U32 => (0, u32::MAX.into()),
            Self::U64 => (0, u64::MAX.into()),
        }
    }

    /// Whether `value` is an integer this type holds exactly. A number loaded as a float (written
    /// with a fraction or an exponent, or beyond 64 bits) never fits: it has no exact integer
    /// literal.
    pub fn fits(self, value: &serde_json::Number) -> bool {
        let exact = value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from));
        let (min, max) = self.range();
        exact.is_some_and(|v| min <= v && v <= max)
    }
}

impl Ty {
    /// The named type this refers to without indirection through a container, if any.
    pub fn direct_name(&self) -> Option<&str> {
        match self {
            Ty::Named(n) => Some(n),
            Ty::Option(inner) | Ty::Box(inner) => inner.direct_name(),
            _ => None,
        }
    }

    /// Renames the named types mentioned in the expression (`map`: old name → new name).
    pub(crate) fn rename(&mut self, map: &std::collections::HashMap<String, String>) {
        match self {
            Ty::Named(n) => {
                if let Some(new) = map.get(n.as_str()) {
                    new.clone_into(n);
                }
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => inner.rename(map),
            _ => {}
        }
    }

    /// Every named type mentioned anywhere in the expression.
    pub fn names(&self, out: &mut Vec<String>) {
        match self {
            Ty::Named(n) => out.push(n.clone()),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => inner.names(out),
            _ => {}
        }
    }

    /// Whether the expression is or contains (through containers, not named types) a type
    /// `leaf` accepts.
    pub fn contains(&self, leaf: &impl Fn(&Ty) -> bool) -> bool {
        match self {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => inner.contains(leaf),
            other => leaf(other),
        }
    }
}

/// An API operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// Where it is: `/paths/~1v1~1devboxes/post`.
    pub pointer: Pointer,
    /// Resource path, e.g. `["devboxes"]` or `["devboxes", "executions"]` (snake_case).
    pub resource: Vec<String>,
    /// Method name (snake_case), unique within its resource.
    pub method_name: String,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Literal path pieces and parameters, in order.
    pub path: Vec<PathPart>,
    /// Query pairs fixed by the path template (`/?Action=List` → `("Action", "List")`).
    pub constant_query: Vec<(String, String)>,
    /// Path, query and header parameters. Path and required parameters are the method's
    /// positional arguments (in this order); optional ones are set by name on its request type.
    pub params: Vec<Param>,
    /// The name of the operation's request type in `resources` (`ListDevboxesRequest`): what the
    /// method returns, with a setter per optional parameter; unique among the resource structs.
    pub request_type: String,
    /// The request body.
    pub body: Option<Body>,
    /// What a success decodes to.
    pub success: Success,
    /// Documented non-success statuses.
    pub errors: Vec<ErrorResponse>,
    /// Whether sending the request twice has the effect of sending it once (by HTTP method:
    /// `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, `TRACE`); decides the retry policy.
    pub idempotent: bool,
    /// Whether the API key is sent.
    pub authenticated: bool,
    /// Rustdoc: summary and description.
    pub doc: Option<String>,
    /// Marked `deprecated`.
    pub deprecated: bool,
    /// How to walk the pages of a paged list operation (`None`: not paged).
    pub pagination: Option<Pagination>,
    /// How long the server may hold the request (a long poll, `x-long-poll`), in seconds.
    pub long_poll: Option<u64>,
    /// How long the operation may take (`x-timeout`), in seconds: its attempts' timeout is at
    /// least this.
    pub timeout: Option<u64>,
}

/// How a paged list operation's pages are walked; see the pagination section of `lower`.
#[derive(Clone, Debug)]
pub struct Pagination {
    /// How the next page is asked for.
    pub style: PageStyle,
    /// Where the items are: `None` when the response is the array itself.
    pub items: Option<FieldRef>,
    /// The item type.
    pub item_ty: Ty,
    /// A boolean response field whose `false` says there are no more pages.
    pub has_more: Option<FieldRef>,
}

/// How the next page of a paged list is requested.
#[derive(Clone, Debug)]
pub enum PageStyle {
    /// Query parameter `param` = a field of the last item (`starting_after` = its `id`).
    AfterLast {
        /// The query parameter's wire name.
        param: String,
        /// The item field whose value is sent.
        field: FieldRef,
    },
    /// Query parameter `param` = a token the page returns (`page_token` = `next_page_token`).
    Token {
        /// The query parameter's wire name.
        param: String,
        /// The response field holding the next token; absent or empty ends the list.
        next: FieldRef,
    },
    /// Query parameter `param` = the previous offset plus the items received.
    Offset {
        /// The query parameter's wire name.
        param: String,
    },
    /// Query parameter `param` = the previous page number plus one.
    PageNumber {
        /// The query parameter's wire name.
        param: String,
    },
    /// The URL of the `Link: <…>; rel="next"` response header (GitHub).
    Link,
}

/// A field of a generated struct, as generated code reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef {
    /// The Rust field name.
    pub name: String,
    /// How it is wrapped.
    pub presence: Presence,
    /// Its type without the wrapper.
    pub ty: Ty,
}

impl Operation {
    /// Renames the named types the operation mentions (`map`: old name → new name); before
    /// pagination is detected.
    pub(crate) fn rename(&mut self, map: &std::collections::HashMap<String, String>) {
        let name = |n: &mut String| {
            if let Some(new) = map.get(n.as_str()) {
                new.clone_into(n);
            }
        };
        self.params.iter_mut().for_each(|p| p.ty.rename(map));
        match self.body.as_mut().map(|b| &mut b.kind) {
            Some(BodyKind::Json(t) | BodyKind::Form(t)) => t.rename(map),
            Some(BodyKind::Multipart(t)) => name(t),
            Some(BodyKind::Text | BodyKind::File) | None => {}
        }
        match &mut self.success {
            Success::Json(t) | Success::JsonLines(t) => t.rename(map),
            Success::EventStream(EventData::Json(t) | EventData::Envelope(t)) => t.rename(map),
            Success::EventStream(EventData::Text) | Success::Empty | Success::Text | Success::Binary => {}
        }
        self.errors.iter_mut().filter_map(|e| e.ty.as_mut()).for_each(|t| t.rename(map));
    }

    /// The named types the operation sends: its request body and parameters.
    pub(crate) fn sent_names(&self, out: &mut Vec<String>) {
        if let Some(body) = &self.body {
            body.kind.ty().names(out);
        }
        self.params.iter().for_each(|p| p.ty.names(out));
    }

    /// The named types the operation receives: its success type and documented error bodies.
    pub(crate) fn received_names(&self, out: &mut Vec<String>) {
        match &self.success {
            Success::Json(t) | Success::JsonLines(t) => t.names(out),
            Success::EventStream(EventData::Json(t) | EventData::Envelope(t)) => t.names(out),
            Success::EventStream(EventData::Text) | Success::Empty | Success::Text | Success::Binary => {}
        }
        self.errors.iter().filter_map(|e| e.ty.as_ref()).for_each(|t| t.names(out));
    }

    /// The positional arguments' parameters, in order: path parameters, then required query and
    /// header parameters.
    pub fn positional_params(&self) -> impl Iterator<Item = &Param> {
        let path = self.params.iter().filter(|p| p.location == ParamLocation::Path);
        path.chain(self.params.iter().filter(|p| p.location != ParamLocation::Path && p.required))
    }

    /// The parameters set by name on the request type: optional query and header parameters.
    pub fn named_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location != ParamLocation::Path && !p.required)
    }

    /// The path template as the spec writes it, with Rust parameter names: `/v1/devboxes/{id}`.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|p| match p {
                PathPart::Literal(l) => l.clone(),
                PathPart::Param(n) => format!("{{{n}}}"),
            })
            .collect()
    }
}

/// A piece of a path template.
#[derive(Clone, Debug)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// The value of the parameter with this Rust name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// An operation parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// Rust name: the argument's (path and required parameters) or the setter's (optional ones).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: Ty,
    /// Required.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// A request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// The media type sent in `Content-Type`.
    pub media_type: String,
    /// How it is encoded, and its type.
    pub kind: BodyKind,
}

/// Request body encodings the client supports.
#[derive(Clone, Debug)]
pub enum BodyKind {
    /// JSON (`application/json`, `*+json`) of this type.
    Json(Ty),
    /// `application/x-www-form-urlencoded` fields of this type.
    Form(Ty),
    /// `text/*`, as a string.
    Text,
    /// `multipart/form-data`: the named [`TypeKind::Multipart`] struct.
    Multipart(String),
    /// Anything else (`application/octet-stream`, images, unknown types): a `FilePart`.
    File,
}

impl BodyKind {
    /// A type expression naming every type the body mentions (`Ty::Bytes` for a file).
    pub fn ty(&self) -> Ty {
        match self {
            Self::Json(ty) | Self::Form(ty) => ty.clone(),
            Self::Text => Ty::String,
            Self::Multipart(name) => Ty::Named(name.clone()),
            Self::File => Ty::Bytes,
        }
    }
}

/// What a successful response decodes to.
#[derive(Clone, Debug)]
pub enum Success {
    /// No content: `()`.
    Empty,
    /// JSON of this type.
    Json(Ty),
    /// `text/*`, as a `String`.
    Text,
    /// `text/event-stream`: an `EventStream` of events whose data is this.
    EventStream(EventData),
    /// JSON Lines: a `JsonLines` stream of this type.
    JsonLines(Ty),
    /// Anything else (binary, unknown): a `Download`, read when asked.
    Binary,
}

/// What the events of an event stream decode to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventData {
    /// The `data:` of each event, as JSON of this type.
    Json(Ty),
    /// The `data:` of each event, as text (no schema, or a string schema).
    Text,
    /// The whole event (`event`, `data`, `id`, `retry`) as this type: the item schema describes
    /// the event object, as OpenAPI 3.2's `itemSchema` does; named events documented as a union
    /// decode by their `event` field.
    Envelope(Ty),
}

/// A documented non-success response.
#[derive(Clone, Debug)]
pub struct ErrorResponse {
    /// The status code, range (`4XX`) or `default`.
    pub status: Status,
    /// The response's description (trimmed).
    pub description: String,
    /// The type of its JSON body, when documented.
    pub ty: Option<Ty>,
}

/// An operation's HTTP method: one of the eight a path item can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl HttpMethod {
    /// The method of a path item's key (`get`, `post`, ...), if it is one.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => Self::Get,
            "put" => Self::Put,
            "post" => Self::Post,
            "delete" => Self::Delete,
            "options" => Self::Options,
            "head" => Self::Head,
            "patch" => Self::Patch,
            "trace" => Self::Trace,
            _ => return None,
        })
    }

    /// The method as sent: upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110 §9.2.2):
    /// what decides an operation's retry policy.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    /// Whether the request carries an idempotency key: every method but `GET` and `HEAD`, as the
    /// runtime sends it (`RequestBuilder::idempotency_key`).
    pub fn sends_idempotency_key(self) -> bool {
        !matches!(self, Self::Get | Self::Head)
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A documented response's status: a code, a range of codes, or `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One code: `404`.
    Code(u16),
    /// A class of codes, by its first digit: `4` for `4XX`.
    Range(u16),
    /// `default`: any status not documented otherwise.
    Default,
}

impl Status {
    /// Whether the status is a success (`2XX`).
    pub fn is_success(self) -> bool {
        match self {
            Self::Code(code) => (200..300).contains(&code),
            Self::Range(class) => class == 2,
            Self::Default => false,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Code(code) => write!(f, "{code}"),
            Self::Range(class) => write!(f, "{class}XX"),
            Self::Default => f.write_str("default"),
        }
    }
}
