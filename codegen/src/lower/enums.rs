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
        let base = match view.ty {
            Some("integer") if values.iter().all(|v| v.is_i64() || v.is_u64()) => {
                Ty::Int(IntKind::from_format(view.format.as_deref()))
            }
            Some("number") if values.iter().all(|v| v.is_number()) => Ty::Float,
            Some("boolean") if values.iter().all(|v| v.is_boolean()) => Ty::Bool,
            Some("string") if all_strings => Ty::String,
            _ => Ty::Json,
        };
        let mut used = BTreeSet::new();
        let values = values
            .iter()
            .map(|v| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string().replace('-', "minus ").replace('.', " point "),
                    other => other.to_string(),
                };
                (unique(&mut used, &constant_ident(&text), Style::Snake), (*v).clone())
            })
            .collect();
        TypeKind::Constants(Constants { base, values })
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
