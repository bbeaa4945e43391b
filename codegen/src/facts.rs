//! Facts: what the emitter, the cargo features and the change report all need to know about the
//! lowered model, decided once here so that what the report says of the generated code is what
//! the emitter writes: which types callers build (and so get `with_*` setters), and which structs
//! derive `Eq`.
//!
//! Must not: produce tokens or text of Rust code, or look at the OpenAPI document.

use std::collections::{BTreeSet, HashSet};

use crate::ir::{Ir, Struct, Ty, TypeIndex, TypeKind};

/// The facts of one lowered spec.
pub(crate) struct Facts<'a> {
    /// The names of the string enums: the only named types taken as `Eq` without looking
    /// further, which keeps the check local.
    eq_names: HashSet<&'a str>,
    /// The types a caller builds: request bodies and parameters, and everything they contain.
    sent: BTreeSet<String>,
}

impl<'a> Facts<'a> {
    /// Decides the facts of `ir`.
    pub(crate) fn of(ir: &'a Ir) -> Self {
        let eq_names =
            ir.types.iter().filter(|t| matches!(t.kind, TypeKind::Enum(_))).map(|t| t.name.as_str()).collect();
        let mut roots = Vec::new();
        ir.operations.iter().for_each(|op| op.sent_names(&mut roots));
        Self { eq_names, sent: TypeIndex::new(&ir.types).reachable(roots) }
    }

    /// Whether callers build values of the type `name` (it is reachable from a request body or
    /// parameter). Only these get `with_*` setters; responses are read, and `new` serves tests
    /// that build them.
    pub(crate) fn is_sent(&self, name: &str) -> bool {
        self.sent.contains(name)
    }

    /// Whether the struct derives `Eq`: every field and the additional properties are `Eq`.
    pub(crate) fn derives_eq(&self, s: &Struct) -> bool {
        s.fields.iter().all(|f| self.is_eq(&f.ty)) && s.additional.as_ref().is_none_or(|(_, t)| self.is_eq(t))
    }

    /// Whether a type is `Eq` (no floats or JSON values inside; of named types, only string enums).
    fn is_eq(&self, t: &Ty) -> bool {
        match t {
            Ty::String | Ty::Bool | Ty::Int(_) | Ty::Unit | Ty::Bytes | Ty::DateTime | Ty::Date | Ty::Uuid => true,
            Ty::Float | Ty::Json | Ty::JsonObject => false,
            Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => self.is_eq(i),
            Ty::Named(n) => self.eq_names.contains(n.as_str()),
        }
    }
}
