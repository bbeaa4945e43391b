//! Enums: string enums with an open fallback variant, and other enums as constants on a newtype;
//! also unions whose every branch allows one value of one scalar type (`oneOf: [{const: a,
//! title: A}, ...]`): one enum of those values, named from the branches' titles.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Lowerer;
use super::view::View;
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::naming::{Style, camel_ident, constant_ident, first_free, unique};

impl Lowerer<'_> {
    /// The kind of a schema with an `enum` (its `null` already removed from `values`).
    pub(super) fn enum_kind(&mut self, view: &View<'_>, values: &[&Value], at: &Pointer) -> TypeKind {
        let all_strings = values.iter().all(|v| v.is_string());
        if all_strings && matches!(view.ty, Some("string") | None) {
            return TypeKind::Enum(self.string_enum(values, at));
        }
        let is_integer = |v: &&Value| v.as_f64().is_some_and(|f| f.fract() == 0.0);
        let base = match view.ty {
            // Integers written as floats (beyond 64 bits, or `1e3`) keep the integer base; they
            // are listed in the docs but get no constant.
            Some("integer") if values.iter().all(is_integer) => Ty::Int(IntKind::from_format(view.format.as_deref())),
            Some("number") if values.iter().all(|v| v.is_number()) => Ty::Float,
            Some("boolean") if values.iter().all(|v| v.is_boolean()) => Ty::Bool,
            Some("string") if all_strings => Ty::String,
            _ => Ty::Json,
        };
        let mut used = BTreeSet::new();
        let mut constants = Vec::new();
        let mut beyond = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if let (Ty::Int(kind), Value::Number(n)) = (&base, v)
                && !kind.fits(n)
            {
                let kind = kind.rust_name();
                let why = if n.is_f64() {
                    format!(
                        "was loaded as a float (written with a fraction or an exponent, or beyond 64 bits), not an exact `{kind}`"
                    )
                } else {
                    format!("is out of the range of `{kind}`, the Rust type of this integer")
                };
                self.warn(
                    &at.push("enum").push(i),
                    format!("enum value `{}` {why}; listed in the docs, no constant", json_text(v)),
                );
                beyond.push((*v).clone());
                continue;
            }
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(_) => json_text(v).replace('-', "minus ").replace('.', " point "),
                other => other.to_string(),
            };
            constants.push((unique(&mut used, &constant_ident(&text), Style::Snake), (*v).clone()));
        }
        TypeKind::Constants(Constants { base, values: constants, beyond, docs: BTreeMap::new() })
    }

    fn string_enum(&mut self, values: &[&Value], at: &Pointer) -> StringEnum {
        let mut used = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for wire in values.iter().filter_map(|v| v.as_str()) {
            if !seen.insert(wire) {
                self.warn(&at.push("enum"), format!("duplicate enum value `{wire}` listed once"));
                continue;
            }
            let name = unique(&mut used, &camel_ident(wire, "Value", "Empty"), Style::Camel);
            variants.push((name, wire.to_owned()));
        }
        let fallback = first_free(&mut used, &["Unknown", "UnknownValue", "Other"]);
        StringEnum { variants, fallback, docs: BTreeMap::new() }
    }
}

/// A branch of a union of constants: its one value, `title` and `description`.
struct Constant {
    value: Value,
    title: Option<String>,
    description: Option<String>,
}

impl Lowerer<'_> {
    /// The enum a `oneOf`/`anyOf` is when each branch allows exactly one value (a `const` or a
    /// one-value `enum`, through `$ref`s) and the values are all strings, all integers or all
    /// booleans: one variant (or constant) per value, named from the branch's `title` when it
    /// has one, documented from its `description`. `None` for any other union. Decoding one
    /// enum instead of trying one-value enums in turn is what keeps the values apart: each
    /// branch's open fallback would accept every other branch's value.
    pub(super) fn constant_union(&mut self, view: &View<'_>, at: &Pointer) -> Result<Option<TypeKind>, Error> {
        let (key, branches) = if view.one_of.is_empty() { ("anyOf", view.any_of) } else { ("oneOf", view.one_of) };
        if branches.is_empty() || view.data.discriminator.is_some() || view.has_properties() {
            return Ok(None);
        }
        let mut constants = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let (schema, _) = self.branch_schema(branch, &at.push(key).push(i))?;
            let v = View::of(&schema);
            let structured = !v.one_of.is_empty() || !v.any_of.is_empty() || !v.all_of.is_empty() || v.has_properties();
            let [value] = v.enumeration.as_slice() else { return Ok(None) };
            if structured || value.is_null() {
                return Ok(None);
            }
            let text = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
            constants.push(Constant {
                value: value.clone(),
                title: text(&v.data.title),
                description: text(&v.data.description),
            });
        }
        let kind = if constants.iter().all(|c| c.value.is_string()) {
            let mut used = BTreeSet::new();
            let (mut variants, mut docs, mut seen) = (Vec::new(), BTreeMap::new(), BTreeSet::new());
            for c in &constants {
                let wire = c.value.as_str().unwrap_or_default();
                if !seen.insert(wire) {
                    continue;
                }
                let label = c.title.as_deref().map(|t| camel_ident(t, "Value", "")).filter(|t| !t.is_empty());
                let name =
                    unique(&mut used, &label.unwrap_or_else(|| camel_ident(wire, "Value", "Empty")), Style::Camel);
                if let Some(d) = &c.description {
                    docs.insert(name.clone(), d.clone());
                }
                variants.push((name, wire.to_owned()));
            }
            let fallback = first_free(&mut used, &["Unknown", "UnknownValue", "Other"]);
            TypeKind::Enum(StringEnum { variants, fallback, docs })
        } else {
            let integers = constants.iter().all(|c| c.value.as_i64().is_some() || c.value.as_u64().is_some());
            let base = if integers {
                let kind = IntKind::from_format(view.format.as_deref());
                if !constants.iter().all(|c| matches!(&c.value, Value::Number(n) if kind.fits(n))) {
                    return Ok(None);
                }
                Ty::Int(kind)
            } else if constants.iter().all(|c| c.value.is_boolean()) {
                Ty::Bool
            } else {
                return Ok(None);
            };
            let mut used = BTreeSet::new();
            let (mut values, mut docs) = (Vec::new(), BTreeMap::new());
            for c in &constants {
                let text = c.title.clone().unwrap_or_else(|| json_text(&c.value).replace('-', "minus "));
                let name = unique(&mut used, &constant_ident(&text), Style::Snake);
                if let Some(d) = &c.description {
                    docs.insert(name.clone(), d.clone());
                }
                values.push((name, c.value.clone()));
            }
            TypeKind::Constants(Constants { base, values, beyond: Vec::new(), docs })
        };
        Ok(Some(kind))
    }
}
