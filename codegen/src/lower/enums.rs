//! Enums: string enums with an open fallback variant, and other enums as constants on a newtype.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Lowerer;
use super::view::View;
use crate::error::Pointer;
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
        TypeKind::Constants(Constants { base, values: constants, beyond })
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
        StringEnum { variants, fallback }
    }
}
