//! A uniform view of a schema, whichever of `openapiv3`'s shapes it was parsed into.

use heck::ToSnakeCase;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type};
use serde_json::Value;

use crate::ir::{IntKind, json_text};

/// The keywords lowering reads, gathered from `SchemaKind::Type(..)` or `SchemaKind::Any`.
pub(super) struct View<'a> {
    pub(super) data: &'a SchemaData,
    pub(super) ty: Option<&'a str>,
    pub(super) format: Option<String>,
    pub(super) enumeration: Vec<Value>,
    pub(super) properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub(super) required: &'a [String],
    pub(super) additional: Option<&'a AdditionalProperties>,
    pub(super) items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub(super) one_of: &'a [ReferenceOr<Schema>],
    pub(super) any_of: &'a [ReferenceOr<Schema>],
    pub(super) all_of: &'a [ReferenceOr<Schema>],
    pub(super) not: bool,
    /// `minimum` and `maximum`, each with whether it is exclusive (as loaded: `f64` where a bound
    /// is not an `i64`).
    pub(super) minimum: Option<(f64, bool)>,
    pub(super) maximum: Option<(f64, bool)>,
    /// A string schema's `pattern`.
    pub(super) pattern: Option<&'a str>,
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
    pub(super) fn of(schema: &'a Schema) -> Self {
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
            minimum: None,
            maximum: None,
            pattern: None,
        };
        match &schema.schema_kind {
            SchemaKind::Type(t) => v.typed(t),
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
                v.minimum = any.minimum.map(|m| (m, any.exclusive_minimum.unwrap_or(false)));
                v.maximum = any.maximum.map(|m| (m, any.exclusive_maximum.unwrap_or(false)));
                v.pattern = any.pattern.as_deref();
            }
        }
        v
    }

    fn typed(&mut self, t: &'a Type) {
        match t {
            Type::String(s) => {
                self.ty = Some("string");
                self.format = format_string(&s.format);
                self.enumeration = opt_values(&s.enumeration);
                self.pattern = s.pattern.as_deref();
            }
            Type::Number(n) => {
                self.ty = Some("number");
                self.format = format_string(&n.format);
                self.enumeration = n
                    .enumeration
                    .iter()
                    .map(|x| x.and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number))
                    .collect();
                self.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                self.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
            }
            Type::Integer(i) => {
                self.ty = Some("integer");
                self.format = format_string(&i.format);
                self.enumeration = opt_values(&i.enumeration);
                // Documentation only: precision beyond 2^53 does not matter for the comparison
                // with the Rust type's range (see `int_range_note`).
                self.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
                self.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
            }
            Type::Boolean(b) => {
                self.ty = Some("boolean");
                self.enumeration = opt_values(&b.enumeration);
            }
            Type::Object(o) => {
                self.ty = Some("object");
                self.properties = Some(&o.properties);
                self.required = &o.required;
                self.additional = o.additional_properties.as_ref();
            }
            Type::Array(a) => {
                self.ty = Some("array");
                self.items = a.items.as_ref();
            }
        }
    }

    pub(super) fn nullable(&self) -> bool {
        self.data.nullable || self.enumeration.iter().any(Value::is_null)
    }

    pub(super) fn is_object_like(&self) -> bool {
        self.properties.is_some()
            || self.ty == Some("object")
            || matches!(self.additional, Some(AdditionalProperties::Schema(_)))
    }

    /// Has `properties` with at least one entry.
    pub(super) fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }

    /// Rustdoc: title, description, and a note on bounds the Rust type cannot reach.
    pub(super) fn doc(&self) -> Option<String> {
        let doc = doc_of(self.data.title.as_deref(), self.data.description.as_deref());
        match self.range_note() {
            None => doc,
            Some(note) => Some(match doc {
                Some(d) => format!("{d}\n\n{note}"),
                None => note,
            }),
        }
    }

    /// The integer type this schema lowers to, if it is a plain integer.
    pub(super) fn int_kind(&self) -> Option<IntKind> {
        (self.ty == Some("integer")).then(|| IntKind::from_format(self.format.as_deref()))
    }

    /// For an integer whose `minimum`/`maximum` lie beyond its Rust type: what the spec allows,
    /// for the docs (the type is chosen by `format`; a bound does not widen it).
    pub(super) fn range_note(&self) -> Option<String> {
        let kind = self.int_kind()?;
        let beyond = self.beyond_bounds(kind);
        if beyond.is_empty() {
            return None;
        }
        let listed: Vec<String> = beyond.iter().map(|(key, value)| format!("`{key}: {value}`")).collect();
        Some(format!(
            "The spec allows values beyond the range of `{}` ({}): such values do not decode.",
            kind.rust_name(),
            listed.join(", ")
        ))
    }

    /// The bounds (keyword and value as text) that lie outside `kind`'s range. Compared at the
    /// precision bounds are loaded with (`f64` beyond `i64`): `9223372036854776000`, the usual
    /// rounded spelling of `i64::MAX`, counts as `i64::MAX`.
    pub(super) fn beyond_bounds(&self, kind: IntKind) -> Vec<(&'static str, String)> {
        let (min, max) = kind.range();
        let mut out = Vec::new();
        // An exclusive bound one past the type's limit excludes exactly what the type cannot hold.
        let slack = |exclusive: bool| if exclusive { 1.0 } else { 0.0 };
        if let Some((m, exclusive)) = self.minimum
            && m < min as f64 - slack(exclusive)
        {
            out.push((if exclusive { "exclusiveMinimum" } else { "minimum" }, number_text(m)));
        }
        if let Some((m, exclusive)) = self.maximum
            && m > max as f64 + slack(exclusive)
        {
            out.push((if exclusive { "exclusiveMaximum" } else { "maximum" }, number_text(m)));
        }
        out
    }

    /// The single branch of an `allOf` that is nothing but that branch plus documentation (how a
    /// `$ref` with siblings arrives from the loader).
    pub(super) fn single_all_of(&self) -> Option<&'a ReferenceOr<Schema>> {
        if self.all_of.len() == 1
            && self.properties.is_none_or(|p| p.is_empty())
            && self.additional.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.enumeration.is_empty()
        {
            self.all_of.first()
        } else {
            None
        }
    }
}

/// A bound as text (see [`json_text`]).
pub(super) fn number_text(n: f64) -> String {
    serde_json::Number::from_f64(n).map(|n| json_text(&Value::Number(n))).unwrap_or_else(|| n.to_string())
}

/// Rustdoc from a title and a description (the title is dropped when the description repeats it).
pub(super) fn doc_of(title: Option<&str>, description: Option<&str>) -> Option<String> {
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
