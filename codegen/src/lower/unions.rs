//! Unions: `oneOf`/`anyOf` as enums, decoded by a discriminator's tag when every branch has one,
//! else tried in spec order (untagged). Properties beside the union (`properties` next to
//! `oneOf`) constrain every branch, as in JSON Schema: each object branch becomes a struct with
//! the wrapper's properties and its own (`Pet` + `Cat` → `PetCat`); other branches stay as they are.
//!
//! Variant names never repeat the union's name nor count positions: a branch is named by its one
//! discriminator value (`role: user` → `User`), a `$ref` by its schema name without the words it
//! shares with the union's (`ChatCompletionRequestUserMessage` in `ChatCompletionRequestMessage`
//! → `User`), an inline branch by its title, its one value, a property that tags it, a required
//! property only it has, the schema an `allOf` extends, or its type (`String`, `TagList`).

use std::collections::BTreeSet;
use std::rc::Rc;

use openapiv3::{ReferenceOr, Schema};

use super::objects::{AllOfParts, own_properties};
use super::view::View;
use super::{Lowered, Lowerer};
use crate::error::{Error, Pointer};
use crate::ir::*;
use serde_json::Value;

use crate::naming::{Style, camel_ident, first_free, unique, without_container};

impl Lowerer<'_> {
    pub(super) fn union_kind(&mut self, view: &View<'_>, at: &Pointer, name: &str) -> Result<TypeKind, Error> {
        let (key, branches) = if view.one_of.is_empty() { ("anyOf", view.any_of) } else { ("oneOf", view.one_of) };
        if !view.one_of.is_empty() && !view.any_of.is_empty() {
            self.warn(&at.push("anyOf"), "both `oneOf` and `anyOf`: `anyOf` ignored");
        }
        // Properties beside the union constrain every branch: object branches carry them.
        let own = if view.has_properties() { own_properties(view) } else { None };
        let mut merged_any = false;
        let discriminator = view.data.discriminator.as_ref();
        let mut variants: Vec<Variant> = Vec::new();
        let mut used = BTreeSet::new();
        let labels = self.branch_labels(branches, discriminator, at, key, name)?;
        for (i, (branch, (label, tags))) in branches.iter().zip(labels).enumerate() {
            let b_at = at.push(key).push(i);
            let label = if label.is_empty() { label } else { unique(&mut used, &label, Style::Camel) };
            let merged = match &own {
                Some(own) => self.with_properties(branch, &b_at, (own, at), &merged_name(name, &label, i))?,
                None => None,
            };
            merged_any |= merged.is_some();
            let lowered = match merged {
                Some(lowered) => lowered,
                None => self.lower_schema(branch, &b_at, &merged_name(name, &label, i))?,
            };
            let name = if label.is_empty() {
                let label = match &lowered.ty {
                    Ty::Named(id) => self.started_name(*id).to_owned(),
                    other => variant_label(other, i),
                };
                unique(&mut used, &label, Style::Camel)
            } else {
                label
            };
            let pattern = self.branch_pattern(branch, &b_at)?;
            variants.push(Variant { name, ty: lowered.or_null(), tags, pattern });
        }
        let discriminator = match discriminator {
            Some(d) if variants.iter().all(|v| !v.tags.is_empty()) => Some(d.property_name.clone()),
            Some(_) => {
                self.warn(&at.push("discriminator"), "discriminator ignored: some branches have no tag (an inline schema without a mapping entry or a value of its own for the property); decoded as an untagged union");
                None
            }
            None => None,
        };
        if discriminator.is_some() {
            // Selected by tag: patterns play no part.
            variants.iter_mut().for_each(|v| v.pattern = None);
        }
        if own.is_some() && !merged_any {
            self.warn(
                &at.push("properties"),
                format!("`properties` beside `{key}` constrain object branches only, and no branch is an object; not generated"),
            );
        }
        let fallback = first_free(&mut used, &["Unknown", "UnknownVariant", "Other"]);
        let default = match view.data.discriminator.as_ref() {
            Some(d) if discriminator.is_some() => self.default_branch(d, branches, at),
            _ => None,
        };
        Ok(TypeKind::Union(Union { variants, discriminator, fallback, default }))
    }

    /// The branch OpenAPI 3.2's `defaultMapping` names (loading kept it as
    /// `x-codegen-default-mapping`): a schema name or a reference, matched against the branches'
    /// `$ref`s. One that names no branch is ignored with a warning.
    fn default_branch(
        &mut self,
        d: &openapiv3::Discriminator,
        branches: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Option<usize> {
        let value = d.extensions.get("x-codegen-default-mapping")?;
        let d_at = at.push("discriminator").push("defaultMapping");
        let Some(target) = value.as_str() else {
            self.warn(&d_at, format!("{}; ignored", crate::diagnostics::expected("a schema name or reference", value)));
            return None;
        };
        let found = branches.iter().position(|b| match b {
            ReferenceOr::Reference { reference } => reference == target || reference.rsplit('/').next() == Some(target),
            ReferenceOr::Item(_) => false,
        });
        if found.is_none() {
            let message =
                format!("`{target}` is not a `$ref` branch of the union; an unknown tag decodes to `Unknown`");
            self.warn(&d_at, message);
        }
        found
    }

    /// An object branch of a union whose wrapper has properties of its own (`own`, at its
    /// pointer): a struct named `name` with the wrapper's properties first, then the branch's (a
    /// property in both keeps the wrapper's position and the branch's schema); required if
    /// required in either. `None` for a branch that is not an object (a string, an array, a
    /// union): it is lowered as it is.
    fn with_properties(
        &mut self,
        branch: &ReferenceOr<Schema>,
        b_at: &Pointer,
        (own, own_at): (&Schema, &Pointer),
        name: &str,
    ) -> Result<Option<Lowered>, Error> {
        let (schema, s_at) = self.branch_schema(branch, b_at)?;
        let v = View::of(&schema);
        let mut parts: Vec<(Rc<Schema>, Pointer)> = vec![(Rc::new(own.clone()), own_at.clone())];
        if !v.all_of.is_empty() && v.one_of.is_empty() && v.any_of.is_empty() && v.enumeration.is_empty() {
            let AllOfParts { objects, others } = self.all_of_parts(&v, &s_at)?;
            if !others.is_empty() || objects.is_empty() {
                return Ok(None);
            }
            parts.extend(objects);
            if let Some(own_branch) = own_properties(&v) {
                parts.push((Rc::new(own_branch), s_at.clone()));
            }
        } else if is_object_branch(&v) {
            parts.push((Rc::clone(&schema), s_at.clone()));
        } else {
            return Ok(None);
        }
        let type_name = self.allocate(&camel_ident(name, "Type", "Schema"));
        let id = self.start(&type_name);
        let views: Vec<(View<'_>, Pointer)> = parts.iter().map(|(s, p)| (View::of(s), p.clone())).collect();
        let refs: Vec<(&View<'_>, Pointer)> = views.iter().map(|(v, p)| (v, p.clone())).collect();
        let kind = TypeKind::Struct(self.struct_of(&refs, &type_name)?);
        let doc = v.doc();
        self.slots.define(TypeDef { id, name: type_name, doc, pointer: b_at.clone(), kind });
        Ok(Some(Lowered { ty: Ty::Named(id), nullable: v.nullable() }))
    }
}

/// Whether a union branch is an object the wrapper's properties apply to: an object schema, or
/// one that only lists `required` properties (`oneOf: [{required: [a]}, {required: [b]}]`).
fn is_object_branch(v: &View<'_>) -> bool {
    let plain = v.one_of.is_empty() && v.any_of.is_empty() && v.all_of.is_empty() && v.enumeration.is_empty();
    plain && (v.is_object_like() || (v.ty.is_none() && v.items.is_none() && !v.required.is_empty()))
}

/// The name of a branch's type (merged with the wrapper's properties, or inline): the union's
/// name and the branch's label (`Pet` + `Cat` → `PetCat`), or its position.
fn merged_name(union: &str, label: &str, i: usize) -> String {
    if label.is_empty() { format!("{union} Variant {i}") } else { format!("{union} {label}") }
}

impl Lowerer<'_> {
    /// Each branch's variant name (empty when only its lowered type can name it) and the
    /// discriminator values that select it. A `$ref` branch is named by its one discriminator
    /// value (`role: user` → `User`), else by its schema name without the words it repeats from
    /// the union's (`ChatCompletionRequestUserMessage` in `ChatCompletionRequestMessage` →
    /// `User`); an inline branch by [`inline_label`].
    fn branch_labels(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        at: &Pointer,
        key: &str,
        union: &str,
    ) -> Result<Vec<(String, Vec<String>)>, Error> {
        // Each branch's required properties, to find the ones only one branch requires.
        let mut required: Vec<Vec<String>> = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            required.push(match branch {
                ReferenceOr::Reference { reference } => {
                    let (schema, _) = self.schema_at(reference, &at.push(key).push(i))?;
                    View::of(&schema).required.to_vec()
                }
                ReferenceOr::Item(s) => View::of(s).required.to_vec(),
            });
        }
        let mut out = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let b_at = at.push(key).push(i);
            let (tags, own) = match discriminator {
                Some(d) => self.branch_tags(branch, d, &b_at)?,
                None => (Vec::new(), Vec::new()),
            };
            // Named by its one value of its own, else its one tag (so a mapping entry added for a
            // branch with a value of its own does not rename it).
            let one_tag = match (own.as_slice(), tags.as_slice()) {
                ([tag], _) | (_, [tag]) => Some(camel_ident(tag, "Variant", "")).filter(|t| !t.is_empty()),
                _ => None,
            };
            out.push(match branch {
                ReferenceOr::Reference { reference } => {
                    let short = reference.rsplit('/').next().unwrap_or(reference);
                    let own = camel_ident(short, "Variant", "Variant");
                    (one_tag.unwrap_or_else(|| without_container(&own, union)), tags)
                }
                ReferenceOr::Item(s) => {
                    let others: BTreeSet<&str> = required
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .flat_map(|(_, r)| r.iter().map(String::as_str))
                        .collect();
                    (one_tag.unwrap_or_else(|| inline_label(&View::of(s), &others, union)), tags)
                }
            });
        }
        // A tag selects one branch: a value two branches allow selects the first (a warning).
        let mut taken = BTreeSet::new();
        for (i, (_, tags)) in out.iter_mut().enumerate() {
            let before = tags.len();
            tags.retain(|tag| taken.insert(tag.clone()));
            if tags.len() < before {
                self.warn(
                    &at.push(key).push(i),
                    "a discriminator value of this branch selects an earlier branch already; it selects that one",
                );
            }
        }
        Ok(out)
    }

    /// The tags that select a branch, and the values it allows for the property itself: the
    /// mapping's tags, then its own values (they combine with a partial mapping); the schema name
    /// (the specification's implicit mapping) only when neither gives one.
    fn branch_tags(
        &mut self,
        branch: &ReferenceOr<Schema>,
        d: &openapiv3::Discriminator,
        b_at: &Pointer,
    ) -> Result<(Vec<String>, Vec<String>), Error> {
        let mut tags = Vec::new();
        if let ReferenceOr::Reference { reference } = branch {
            let short = reference.rsplit('/').next().unwrap_or(reference);
            for (tag, target) in &d.mapping {
                if target == reference || target == short {
                    tags.push(tag.clone());
                }
            }
        }
        let own = self.own_tags(branch, &d.property_name, b_at)?;
        for tag in &own {
            if !tags.contains(tag) && !d.mapping.contains_key(tag) {
                tags.push(tag.clone());
            }
        }
        if tags.is_empty()
            && let ReferenceOr::Reference { reference } = branch
        {
            tags.push(reference.rsplit('/').next().unwrap_or(reference).to_owned());
        }
        Ok((tags, own))
    }

    /// The `pattern` of a string branch (through a `$ref`), when the generated crate can check it:
    /// compiled here with the crate it uses, `regex-lite`. One it cannot compile (look-around,
    /// back-references, Unicode classes) is a warning, and the branch takes any string.
    fn branch_pattern(&mut self, branch: &ReferenceOr<Schema>, at: &Pointer) -> Result<Option<String>, Error> {
        let (schema, s_at) = self.branch_schema(branch, at)?;
        let v = View::of(&schema);
        let Some(pattern) = v.pattern.filter(|_| v.ty == Some("string") && v.enumeration.is_empty()) else {
            return Ok(None);
        };
        match regex_lite::Regex::new(pattern) {
            Ok(_) => Ok(Some(pattern.to_owned())),
            Err(e) => {
                let why = e.to_string().lines().last().unwrap_or_default().trim().to_owned();
                self.warn(
                    &s_at.push("pattern"),
                    format!("pattern not supported by regex-lite ({why}); this union branch takes any string"),
                );
                Ok(None)
            }
        }
    }

    /// The values a union branch allows for the discriminator `property`: its `const` or `enum`
    /// (after normalising, a `const` is a one-value `enum`), found through `$ref`s and `allOf`.
    fn own_tags(&mut self, branch: &ReferenceOr<Schema>, property: &str, at: &Pointer) -> Result<Vec<String>, Error> {
        let mut stack = vec![(branch.clone(), at.clone(), 0)];
        while let Some((branch, b_at, depth)) = stack.pop() {
            if depth > 64 {
                break;
            }
            let (schema, s_at) = self.branch_schema(&branch, &b_at)?;
            let v = View::of(&schema);
            if let Some(prop) = v.properties.and_then(|props| props.get(property)) {
                let values = match prop {
                    ReferenceOr::Reference { reference } => {
                        View::of(&self.schema_at(reference, &s_at.push("properties").push(property))?.0).enumeration
                    }
                    ReferenceOr::Item(p) => View::of(p).enumeration,
                };
                let tags: Vec<String> = values.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                if !tags.is_empty() {
                    return Ok(tags);
                }
            }
            for (i, b) in v.all_of.iter().enumerate().rev() {
                stack.push((b.clone(), s_at.push("allOf").push(i), depth + 1));
            }
        }
        Ok(Vec::new())
    }
}

/// The variant name of an inline branch, from what it says of itself: its `title` (without the
/// union's words), its one value (`const`, or a one-value `enum`), the one value of a property
/// that tags it (`type: {const: text}` → `Text`), a required property no other branch requires
/// (`others`), the schema an `allOf` extends, or its type (`String`, `Array`, `FooList` for an array of `Foo`, `Object`). Empty
/// when none says anything (the lowered type names it then).
fn inline_label(v: &View<'_>, others: &BTreeSet<&str>, union: &str) -> String {
    let camel = |text: &str| camel_ident(text, "Variant", "");
    if let Some(title) = v.data.title.as_deref().map(camel).filter(|t| !t.is_empty()) {
        return without_container(&title, union);
    }
    if let [value] = v.enumeration.as_slice() {
        let label = match value {
            Value::String(text) => camel(text),
            other => camel(&json_text(other)),
        };
        if !label.is_empty() {
            return label;
        }
    }
    if let Some(props) = v.properties {
        for prop in props.values() {
            if let ReferenceOr::Item(p) = prop
                && let [Value::String(value)] = View::of(p).enumeration.as_slice()
                && !camel(value).is_empty()
            {
                return camel(value);
            }
        }
    }
    if let Some(only) = v.required.iter().find(|r| !others.contains(r.as_str())) {
        let label = camel(only);
        if !label.is_empty() {
            return label;
        }
    }
    // `allOf` extending a named schema: that schema's name.
    if let Some(reference) = v.all_of.iter().find_map(|b| match b {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(_) => None,
    }) {
        let short = reference.rsplit('/').next().unwrap_or(reference);
        return without_container(&camel_ident(short, "Variant", "Variant"), union);
    }
    let plain = v.one_of.is_empty() && v.any_of.is_empty() && v.all_of.is_empty();
    match v.ty {
        _ if !plain => String::new(),
        Some("string") => "String".into(),
        Some("boolean") => "Boolean".into(),
        Some("integer") => "Integer".into(),
        Some("number") => "Number".into(),
        Some("array") => match v.items {
            Some(ReferenceOr::Reference { reference }) => {
                format!("{}List", camel_ident(reference.rsplit('/').next().unwrap_or(reference), "Variant", "Variant"))
            }
            _ => "Array".into(),
        },
        Some("null") => "Null".into(),
        Some("object") => "Object".into(),
        None if v.is_object_like() => "Object".into(),
        _ => String::new(),
    }
}

/// A variant name from the branch's type, for branches without a name of their own that are
/// not a named type (those are named by its name).
fn variant_label(ty: &Ty, i: usize) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "Boolean".into(),
        Ty::Int(_) => "Integer".into(),
        Ty::Float => "Number".into(),
        Ty::Vec(_) => "Array".into(),
        Ty::Map(_) | Ty::JsonObject => "Object".into(),
        Ty::Unit => "Null".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::Json => "Value".into(),
        _ => format!("Variant{i}"),
    }
}
