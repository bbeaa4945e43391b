//! The intermediate representation: what the emitter needs and nothing of OpenAPI's spelling.
//!
//! Types are named and deduplicated here, so the emitter never invents names; every name is a
//! valid Rust identifier already.

mod operation;
mod security;
mod store;
mod webhook;

pub use operation::*;
pub use security::*;
pub(crate) use store::Slots;
pub use store::{TypeId, Types};
pub use webhook::Webhook;

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
    /// The security schemes the spec's requirements name, in `components.securitySchemes` order.
    pub schemes: Vec<Scheme>,
    /// The document's `security`: what operations without their own send.
    pub security: Requirements,
    /// Named types, in one store (sorted by name) that type expressions refer into by [`TypeId`].
    pub types: Types,
    /// Operations, sorted by resource path then method name.
    pub operations: Vec<Operation>,
    /// The struct name of every resource path and its prefixes (`["devboxes", "executions"]` →
    /// `DevboxesExecutions`), unique: `["a_b"]` and `["a", "b"]` would both be `AB`.
    pub resource_types: std::collections::BTreeMap<Vec<String>, String>,
    /// Webhooks, the requests the API sends to you, in document order (`webhooks`, then
    /// `x-webhooks`).
    pub webhooks: Vec<Webhook>,
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
        self.types.iter().any(|t| t.kind.tys().into_iter().any(|ty| ty.contains(leaf)))
            || self.operations.iter().any(|op| op.written_tys().iter().any(|ty| ty.contains(leaf)))
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

/// A named Rust type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// Its identity: what type expressions refer to it by.
    pub id: TypeId,
    /// The Rust name (UpperCamelCase, unique), given by the naming pass once all types are known.
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
    /// Every type expression of the type: its fields', variants', parts' or target's, in order.
    /// The one walk over a kind's contents: what it mentions, what the crate depends on and
    /// recursion all go through it.
    pub fn tys(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref().map(|(_, t)| t)).collect()
            }
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![t],
            TypeKind::Constants(c) => vec![&c.base],
            TypeKind::Multipart(m) => m
                .fields
                .iter()
                .filter_map(|p| match &p.kind {
                    PartKind::Value(t) => Some(t),
                    PartKind::File | PartKind::Files => None,
                })
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// Every named type this one mentions, anywhere in its fields, variants or target.
    pub fn ids(&self, out: &mut Vec<TypeId>) {
        self.tys().into_iter().for_each(|t| t.ids(out));
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

/// A `multipart/form-data` body, or the positional parts of another `multipart/*` body
/// (OpenAPI 3.2's `prefixItems` with `prefixEncoding`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Multipart {
    /// Parts in spec order.
    pub fields: Vec<PartField>,
    /// Positional parts of another `multipart/*` media type (`multipart/mixed`, ...): written in
    /// field order, each with its content type and no name (`wire` is only shown in docs).
    pub positional: bool,
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
    /// The variant a value with an unknown or missing tag decodes to instead (OpenAPI 3.2's
    /// `defaultMapping`), by its index in `variants`.
    pub default: Option<usize>,
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
    Named(TypeId),
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
    pub fn direct_id(&self) -> Option<TypeId> {
        match self {
            Ty::Named(id) => Some(*id),
            Ty::Option(inner) | Ty::Box(inner) => inner.direct_id(),
            _ => None,
        }
    }

    /// Every named type mentioned anywhere in the expression.
    pub fn ids(&self, out: &mut Vec<TypeId>) {
        match self {
            Ty::Named(id) => out.push(*id),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => inner.ids(out),
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
