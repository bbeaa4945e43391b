//! Resolving `$ref`s: to schemas (normalised and typed once, on demand) and to the other objects
//! a document may reference (parameters, request bodies, responses, path items).

use std::rc::Rc;

use openapiv3::{ReferenceOr, Schema, SchemaData, SchemaKind};
use serde_json::Value;

use super::view::View;
use super::{Lowered, Lowerer};
use crate::error::{Error, Pointer};
use crate::ir::Ty;
use crate::naming::camel_ident;

impl Lowerer<'_> {
    /// Finds the schema a reference points at, as an owned `Schema` (parsed from the document
    /// when the target is not a component schema).
    pub(super) fn schema_at(&mut self, reference: &str, at: &Pointer) -> Result<(Rc<Schema>, Pointer), Error> {
        let target = ref_target(reference, at)?;
        if let Some(schema) = self.schemas.get(&target) {
            return Ok((schema.clone(), target));
        }
        // A component schema was normalised and typed when the document was loaded: taken as it
        // is, so it is neither normalised twice nor warned about twice.
        if let Some(schema) = self.component_at(&target) {
            let schema = Rc::new(schema.clone());
            self.schemas.insert(target.clone(), Rc::clone(&schema));
            return Ok((schema, target));
        }
        // Deeper targets are resolved in the document as written: normalising may have moved nodes
        // inside schemas.
        let mut node = node_at(self.original, &target, reference, at)?.clone();
        crate::load::normalise_schema_at(&mut node, &target, self.diag)?;
        let schema: Schema = serde_json::from_value(node)
            .map_err(|e| Error::invalid(&target, format!("expected a schema (target of `$ref` at {at}): {e}")))?;
        let schema = Rc::new(schema);
        self.schemas.insert(target.clone(), Rc::clone(&schema));
        Ok((schema, target))
    }

    /// A schema with its `$ref` resolved, and where it is.
    pub(super) fn resolved(&mut self, schema: &ReferenceOr<Schema>, at: &Pointer) -> Result<(Schema, Pointer), Error> {
        Ok(match schema {
            ReferenceOr::Reference { reference } => {
                let (s, t) = self.schema_at(reference, at)?;
                ((*s).clone(), t)
            }
            ReferenceOr::Item(s) => (s.clone(), at.clone()),
        })
    }

    /// A property's or an array's `items` schema (boxed in openapiv3) with its `$ref` resolved,
    /// and where it is (`at` when it is written in place).
    pub(super) fn resolved_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: Pointer,
    ) -> Result<(Schema, Pointer), Error> {
        Ok(match schema {
            ReferenceOr::Reference { reference } => {
                let (s, t) = self.schema_at(reference, &at)?;
                ((*s).clone(), t)
            }
            ReferenceOr::Item(s) => ((**s).clone(), at),
        })
    }

    /// A union or `allOf` branch as a schema, with its own pointer: the target of a reference, or
    /// the inline schema where it is.
    pub(super) fn branch_schema(
        &mut self,
        branch: &ReferenceOr<Schema>,
        at: &Pointer,
    ) -> Result<(Rc<Schema>, Pointer), Error> {
        match branch {
            ReferenceOr::Reference { reference } => self.schema_at(reference, at),
            ReferenceOr::Item(s) => Ok((Rc::new(s.clone()), at.clone())),
        }
    }

    /// The typed component schema at `target` (`/components/schemas/Name`), if that is what it
    /// points at and the component is a schema rather than a `$ref`.
    fn component_at(&self, target: &Pointer) -> Option<&Schema> {
        let name = target.component_schema()?;
        match self.api.components.as_ref()?.schemas.get(&name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// Lowers a reference: named types come back as `Ty::Named` without being lowered again.
    pub(super) fn lower_ref(&mut self, reference: &str, at: &Pointer) -> Result<Lowered, Error> {
        let (schema, target) = self.schema_at(reference, at)?;
        let nullable = View::of(&schema).nullable();
        if let Some(id) = self.lowered_at(&target) {
            return Ok(Lowered { ty: Ty::Named(id), nullable });
        }
        // A reference to a non-component node: lower it once, named after where it is.
        let hint = target
            .segments()
            .filter(|s| {
                !matches!(
                    s.as_str(),
                    "properties" | "items" | "components" | "schemas" | "content" | "schema" | "paths"
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        self.lower_inline(&schema, &target, &camel_ident(&hint, "Type", "Schema"))
    }

    /// The object a non-schema reference (parameter, request body, response, path item) names,
    /// or the inline one.
    pub(super) fn resolve<T: serde::de::DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        at: &Pointer,
        what: &str,
    ) -> Result<T, Error> {
        match item {
            ReferenceOr::Item(t) => Ok(t.clone()),
            ReferenceOr::Reference { reference } => {
                let target = ref_target(reference, at)?;
                let node = node_at(self.raw, &target, reference, at)?;
                serde_json::from_value(node.clone())
                    .map_err(|e| Error::invalid(&target, format!("expected {what}: {e}")))
            }
        }
    }
}

/// A component schema; one that is itself only a `$ref` becomes an alias to its target.
pub(super) fn component_schema(schema: &ReferenceOr<Schema>) -> Schema {
    match schema {
        ReferenceOr::Item(s) => s.clone(),
        ReferenceOr::Reference { reference } => {
            let mut s = Schema {
                schema_data: SchemaData::default(),
                schema_kind: SchemaKind::AllOf { all_of: vec![ReferenceOr::ref_(reference)] },
            };
            s.schema_data.extensions.insert("x-codegen-ref-docs".into(), Value::Bool(true));
            s
        }
    }
}

/// The pointer a `$ref` (at `at`) names; references into other files are refused.
fn ref_target(reference: &str, at: &Pointer) -> Result<Pointer, Error> {
    Pointer::from_ref(reference).ok_or_else(|| {
        Error::unsupported(
            at,
            format!("`$ref: {reference}` points into another file; bundle the spec into one file first (e.g. `npx @redocly/cli bundle`)"),
        )
    })
}

/// The node `target` names in `root`, or an error naming the first segment that is missing.
fn node_at<'v>(root: &'v Value, target: &Pointer, reference: &str, at: &Pointer) -> Result<&'v Value, Error> {
    let mut node = root;
    for segment in target.segments() {
        node = match node {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
        .ok_or_else(|| {
            Error::invalid(at, format!("`$ref: {reference}` does not resolve: no `{segment}` at {target}"))
        })?;
    }
    Ok(node)
}
