//! Objects: structs from `properties`, and `allOf` merged into one struct.

use std::collections::BTreeSet;
use std::rc::Rc;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::view::View;
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::naming::{Style, snake_ident, unique};

/// The branches of an `allOf`, flattened: object parts to merge, and the pointers of branches
/// that are neither objects nor documentation.
#[derive(Default)]
pub(super) struct AllOfParts {
    pub(super) objects: Vec<(Rc<Schema>, Pointer)>,
    pub(super) others: Vec<Pointer>,
}

impl Lowerer<'_> {
    pub(super) fn all_of_kind(&mut self, view: &View<'_>, at: &Pointer, name: &str) -> Result<TypeKind, Error> {
        if let Some(branch) = view.single_all_of() {
            let lowered = self.lower_schema(branch, &at.push("allOf").push(0), name)?;
            let ty = if lowered.nullable && !view.nullable() && lowered.ty != Ty::Unit {
                Ty::Option(Box::new(lowered.ty))
            } else {
                lowered.ty
            };
            return Ok(TypeKind::Alias(ty));
        }
        let AllOfParts { mut objects, others } = self.all_of_parts(view, at)?;
        if let Some(own) = own_properties(view) {
            // The wrapper's own properties come last.
            objects.push((Rc::new(own), at.clone()));
        }
        if !others.is_empty() {
            if objects.is_empty() && others.len() == 1 {
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
        if objects.is_empty() {
            return Ok(TypeKind::Alias(Ty::JsonObject));
        }
        let views: Vec<(View<'_>, Pointer)> = objects.iter().map(|(s, p)| (View::of(s), p.clone())).collect();
        let refs: Vec<(&View<'_>, Pointer)> = views.iter().map(|(v, p)| (v, p.clone())).collect();
        Ok(TypeKind::Struct(self.struct_of(&refs, name)?))
    }

    /// Walks the branches of an `allOf` depth first, following references and nested `allOf`s.
    pub(super) fn all_of_parts(&mut self, view: &View<'_>, at: &Pointer) -> Result<AllOfParts, Error> {
        let mut parts = AllOfParts::default();
        let mut stack: Vec<(ReferenceOr<Schema>, Pointer, usize)> =
            view.all_of.iter().enumerate().rev().map(|(i, b)| (b.clone(), at.push("allOf").push(i), 0)).collect();
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
                    s.schema_kind = object_kind(&v);
                    // Nested allOf branches first, then the schema's own properties.
                    stack.push((ReferenceOr::Item(s), s_at.clone(), depth + 1));
                }
                for (i, b) in v.all_of.iter().enumerate().rev() {
                    stack.push((b.clone(), s_at.push("allOf").push(i), depth + 1));
                }
                continue;
            }
            if v.is_object_like() {
                parts.objects.push((schema, s_at));
            } else if v.ty.is_none()
                && v.enumeration.is_empty()
                && v.one_of.is_empty()
                && v.any_of.is_empty()
                && v.items.is_none()
            {
                // Documentation-only branch (`description`, `nullable`, ...): nothing to merge.
            } else {
                parts.others.push(s_at);
            }
        }
        Ok(parts)
    }

    /// A struct from one or more object schemas (several for `allOf`).
    pub(super) fn struct_of(&mut self, parts: &[(&View<'_>, Pointer)], name: &str) -> Result<Struct, Error> {
        let mut required: BTreeSet<&str> = BTreeSet::new();
        for (v, _) in parts {
            required.extend(v.required.iter().map(String::as_str));
        }
        // wire name → (schema, pointer); a later part's property replaces an earlier one in place.
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
            let lowered = self.lower_schema(schema, &p_at, &format!("{name} {wire}"))?;
            let doc = match schema {
                ReferenceOr::Item(s) => View::of(s).doc(),
                ReferenceOr::Reference { .. } => None,
            };
            let field_name = unique(&mut used, &snake_ident(wire, "field"), Style::Snake);
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
                let value = self.lower_schema(schema, &a_at, &format!("{name} Value"))?.or_null();
                Some((unique(&mut used, "additional_properties", Style::Snake), value))
            }
            None => None,
        };
        Ok(Struct { fields, additional })
    }
}

/// An object schema kind with a view's properties, required list and additional properties.
fn object_kind(v: &View<'_>) -> SchemaKind {
    SchemaKind::Type(Type::Object(openapiv3::ObjectType {
        properties: v.properties.cloned().unwrap_or_default(),
        required: v.required.to_vec(),
        additional_properties: v.additional.cloned(),
        ..Default::default()
    }))
}

/// The `allOf` wrapper's own properties as an object schema, if it has any.
pub(super) fn own_properties(view: &View<'_>) -> Option<Schema> {
    let has_own = view.has_properties() || matches!(view.additional, Some(AdditionalProperties::Schema(_)));
    has_own.then(|| Schema { schema_data: view.data.clone(), schema_kind: object_kind(view) })
}
