//! Unions: `oneOf`/`anyOf` as enums, decoded by a discriminator's tag when every branch has one,
//! else tried in spec order (untagged).

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema};

use super::Lowerer;
use super::view::View;
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::naming::{Style, camel_ident, first_free, unique};

impl Lowerer<'_> {
    pub(super) fn union_kind(&mut self, view: &View<'_>, at: &Pointer, name: &str) -> Result<TypeKind, Error> {
        let (key, branches) = if view.one_of.is_empty() { ("anyOf", view.any_of) } else { ("oneOf", view.one_of) };
        if !view.one_of.is_empty() && !view.any_of.is_empty() {
            self.warn(&at.push("anyOf"), "both `oneOf` and `anyOf`: `anyOf` ignored");
        }
        if view.has_properties() {
            self.warn(
                at,
                format!("`properties` beside `{key}`: the properties are not generated; the union decides the type"),
            );
        }
        let discriminator = view.data.discriminator.as_ref();
        let mut variants: Vec<Variant> = Vec::new();
        let mut used = BTreeSet::new();
        for (i, branch) in branches.iter().enumerate() {
            let (label, tags) = branch_label(branch, discriminator);
            let lowered = self.lower_schema(branch, &at.push(key).push(i), &format!("{name} Variant {i}"))?;
            let label = if label.is_empty() { variant_label(&lowered.ty, i) } else { label };
            let name = unique(&mut used, &label, Style::Camel);
            variants.push(Variant { name, ty: lowered.or_null(), tags });
        }
        let discriminator = match discriminator {
            Some(d) if variants.iter().all(|v| !v.tags.is_empty()) => Some(d.property_name.clone()),
            Some(_) => {
                self.warn(&at.push("discriminator"), "discriminator ignored: some branches are inline schemas without a mapping; decoded as an untagged union");
                None
            }
            None => None,
        };
        let fallback = first_free(&mut used, &["Unknown", "UnknownVariant", "Other"]);
        Ok(TypeKind::Union(Union { variants, discriminator, fallback }))
    }
}

/// A branch's variant name (empty when it has none of its own) and the discriminator values
/// that select it: a `$ref`'s schema name, or an inline branch's `title`.
fn branch_label(
    branch: &ReferenceOr<Schema>,
    discriminator: Option<&openapiv3::Discriminator>,
) -> (String, Vec<String>) {
    match branch {
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
    }
}

/// A variant name from the branch's type, for branches without a name of their own.
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
