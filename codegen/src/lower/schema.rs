//! Schemas: the dispatch from a schema to a type expression or a named type, and the sharing of
//! identical inline types.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::view::View;
use super::{Lowered, Lowerer};
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::naming::{Shared, camel_ident, shared_names};
use crate::options::Format;

impl Lowerer<'_> {
    /// Lowers a schema or a reference to one (`S` is `Schema`, or `Box<Schema>` for properties
    /// and items).
    pub(super) fn lower_schema<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        at: &Pointer,
        hint: &str,
    ) -> Result<Lowered, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, at),
            ReferenceOr::Item(s) => self.lower_inline(s.borrow(), at, hint),
        }
    }

    /// Lowers an inline schema: primitives and containers directly, everything else to a new
    /// named type (called `hint`, made unique).
    pub(super) fn lower_inline(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<Lowered, Error> {
        if let Some(id) = self.lowered_at(at) {
            return Ok(Lowered { ty: Ty::Named(id), nullable: View::of(schema).nullable() });
        }
        let view = View::of(schema);
        let nullable = view.nullable();
        if let Some(ty) = self.structural(&view, at, hint)? {
            return Ok(Lowered { ty, nullable });
        }
        // `$ref` with only documentation siblings, or `allOf` with one branch: the branch itself.
        if let Some(branch) = view.single_all_of() {
            let inner = self.lower_schema(branch, &at.push("allOf").push(0), hint)?;
            return Ok(Lowered { ty: inner.ty, nullable: nullable || inner.nullable });
        }
        let base = camel_ident(hint, "Type", "Schema");
        // The name it will take unless it repeats another type; its parts are named after it.
        let name = self.free_name(&base);
        self.reserved.insert(name.clone());
        let id = self.start(&name);
        self.by_pointer.insert(at.clone(), id);
        let def = self.define_named(schema, at, id)?;
        let title = schema.schema_data.title.clone().filter(|t| !t.trim().is_empty());
        let id = self.dedup_inline(def, (base, title), at);
        Ok(Lowered { ty: Ty::Named(id), nullable })
    }

    /// Inline schemas are often repeated verbatim (the same `state` enum in fifty places): a new
    /// inline type identical in shape to an earlier one (ignoring docs) is never defined, its
    /// users refer to the earlier one, and `user` (the name it would have had, and the schema's
    /// `title`) is recorded, so that [`Lowerer::name_shared`] can name it for what it is or what
    /// its users share once all are known. A new shape takes the name it reserved. Component schemas are
    /// never merged: their names are part of the API.
    fn dedup_inline(&mut self, def: TypeDef, (user, title): (String, Option<String>), at: &Pointer) -> TypeId {
        let id = def.id;
        self.reserved.remove(&def.name);
        // Recursive (its own id is part of its shape, or something lowered inside it refers to
        // it): never merged, since what refers to it holds its id.
        let key = (!self.referred_early.contains(&id)).then(|| shape_key(&def.kind));
        if let Some(&existing) = key.as_ref().and_then(|k| self.shapes.get(k)) {
            self.by_pointer.insert(at.clone(), existing);
            let uses = self.shared.entry(existing).or_default();
            uses.0.insert(user);
            uses.1.extend(title);
            return existing;
        }
        self.names.insert(def.name.clone());
        if let Some(key) = key {
            self.shapes.insert(key, id);
            let uses = self.shared.entry(id).or_default();
            uses.0.insert(user);
            uses.1.extend(title);
        }
        self.slots.define(def);
        id
    }

    /// The naming pass: names the inline types that several parents share for what they are or
    /// what all their users share ([`crate::naming::shared_names`]), never after whichever user
    /// came first; every other type keeps the name it was started with. Groups are named in the
    /// sorted order of their users' names, so the result does not depend on the order the spec
    /// was walked in. Types refer to each other by id: nothing else changes.
    pub(super) fn name_shared(&mut self) {
        let mut groups: Vec<(Vec<String>, String, Vec<String>, TypeId)> = std::mem::take(&mut self.shared)
            .into_iter()
            .filter(|(_, (users, _))| users.len() > 1)
            .map(|(id, (users, titles))| {
                (users.into_iter().collect(), self.started_name(id).to_owned(), titles.into_iter().collect(), id)
            })
            .collect();
        groups.sort();
        for (_, old, _, _) in &groups {
            self.names.remove(old);
        }
        for (users, _, titles, id) in groups {
            let values: Vec<String> = match self.slots.get(id).map(|t| &t.kind) {
                Some(TypeKind::Enum(e)) => e.variants.iter().map(|(_, wire)| wire.clone()).collect(),
                _ => Vec::new(),
            };
            let candidates = shared_names(&Shared { users: &users, values: &values, titles: &titles });
            let new = match candidates.iter().find(|c| !self.names.contains(*c)) {
                Some(free) => self.allocate(free),
                None => {
                    let shortest = users.iter().min_by_key(|u| (u.len(), u.as_str())).unwrap_or(&users[0]);
                    self.allocate(&shortest.clone())
                }
            };
            if let Some(def) = self.slots.get_mut(id) {
                def.name = new;
            }
        }
    }

    /// The type of a schema that needs no name of its own, or `None` if it does.
    pub(super) fn structural(&mut self, view: &View<'_>, at: &Pointer, hint: &str) -> Result<Option<Ty>, Error> {
        if view.not {
            self.warn(at, "`not` only constrains values; ignored");
        }
        let non_null_enum = view.enumeration.iter().any(|v| !v.is_null());
        if non_null_enum
            || !view.one_of.is_empty()
            || !view.any_of.is_empty()
            || view.has_properties()
            || !view.all_of.is_empty()
        {
            return Ok(None);
        }
        if view.data.extensions.get("x-codegen-null") == Some(&Value::Bool(true)) {
            return Ok(Some(Ty::Unit));
        }
        Ok(Some(match view.ty {
            Some("string") => self.string_type(view.format.as_deref()),
            Some("boolean") => Ty::Bool,
            Some("integer") => {
                let kind = IntKind::from_format(view.format.as_deref());
                for (key, value) in view.beyond_bounds(kind) {
                    self.warn(
                        &at.push(key),
                        format!(
                            "`{key}: {value}` is beyond the range of `{}`, the Rust type of this integer (chosen by \
                             `format`); values beyond it do not decode (noted in the docs)",
                            kind.rust_name()
                        ),
                    );
                }
                Ty::Int(kind)
            }
            Some("number") => Ty::Float,
            Some("array") => {
                let item = match view.items {
                    Some(items) => self.lower_schema(items, &at.push("items"), &format!("{hint} Item"))?.or_null(),
                    None => Ty::Json,
                };
                Ty::Vec(Box::new(item))
            }
            Some("object") | None if view.is_object_like() || view.ty == Some("object") => match view.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let value = self.lower_schema(s, &at.push("additionalProperties"), &format!("{hint} Value"))?;
                    Ty::Map(Box::new(value.or_null()))
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

    /// The type of a string schema: typed for the formats in the table of [`super`], unless the
    /// options keep that format a `String`.
    fn string_type(&self, format: Option<&str>) -> Ty {
        let typed = match format.and_then(|f| f.parse::<Format>().ok()) {
            Some(f) if !self.string_formats.contains(&f) => f,
            _ => return Ty::String,
        };
        match typed {
            Format::DateTime => Ty::DateTime,
            Format::Date => Ty::Date,
            Format::Uuid => Ty::Uuid,
        }
    }

    /// The named type of a schema, started as `id` (and named so).
    pub(super) fn define_named(&mut self, schema: &Schema, at: &Pointer, id: TypeId) -> Result<TypeDef, Error> {
        let view = View::of(schema);
        let doc = view.doc();
        let name = self.started_name(id).to_owned();
        let kind = self.kind_of(&view, at, &name)?;
        Ok(TypeDef { id, name, doc, pointer: at.clone(), kind })
    }

    fn kind_of(&mut self, view: &View<'_>, at: &Pointer, name: &str) -> Result<TypeKind, Error> {
        let values: Vec<&Value> = view.enumeration.iter().filter(|v| !v.is_null()).collect();
        if !values.is_empty() {
            return Ok(self.enum_kind(view, &values, at));
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            if let Some(kind) = self.constant_union(view, at)? {
                return Ok(kind);
            }
            return self.union_kind(view, at, name);
        }
        if !view.all_of.is_empty() {
            return self.all_of_kind(view, at, name);
        }
        if view.has_properties() {
            return Ok(TypeKind::Struct(self.struct_of(&[(view, at.clone())], name)?));
        }
        match self.structural(view, at, name)? {
            Some(ty) => Ok(TypeKind::Alias(ty)),
            None => unreachable!("every schema without a structural type was handled above"),
        }
    }
}

/// A type's shape without its documentation, for deduplication: compared structurally (the IR's
/// kinds derive `Eq` and `Hash`).
fn shape_key(kind: &TypeKind) -> TypeKind {
    let mut kind = kind.clone();
    if let TypeKind::Struct(s) = &mut kind {
        for f in &mut s.fields {
            f.doc = None;
        }
    }
    kind
}
