//! Facts: what the emitter, the cargo features and the change report all need to know about the
//! lowered model, decided once here so that what the report says of the generated code is what
//! the emitter writes: which types callers build (and so get `with_*` setters), which structs
//! derive `Eq`, what a struct's `new` asks for and fills in, and whether it has `Default`; of
//! each operation, how it is retried, whether it carries an idempotency key, and the floor of its
//! attempts' timeout. The rules by HTTP method are the runtime's own file
//! (`templates/runtime/methods.rs`), compiled here too: the generated call tells the runtime
//! whether it is idempotent, and the runtime adds the idempotency key by the same rule.
//!
//! Must not: produce tokens or text of Rust code, or look at the OpenAPI document.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::ir::{Field, Ir, Operation, Presence, Struct, Ty, TypeId, TypeKind};

/// The runtime's rules by HTTP method, compiled here from the template itself.
#[path = "../templates/runtime/methods.rs"]
mod methods;

/// How an operation's request is retried after a failure that may have reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Idempotent: retried on connection errors, timeouts, 408, 409, 429 and 5xx.
    Idempotent,
    /// Not idempotent: resent only when the server provably did not process it (a refused
    /// connection, 429, `x-should-retry: true`), unless the caller opts in.
    WhenUnprocessed,
}

/// What the generated call of one operation does beyond sending its request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OperationFacts {
    /// How it is retried (by its HTTP method, or the spec's `x-idempotent`).
    pub(crate) retry: Retry,
    /// Whether it carries an idempotency key, the same on every attempt (by its HTTP method).
    pub(crate) keyed: bool,
    /// How long the server may hold it (a long poll), in seconds: each attempt's timeout is at
    /// least that plus the runtime's margin.
    pub(crate) long_poll: Option<u64>,
    /// How long it may take (`x-timeout`), in seconds: each attempt's timeout is at least this.
    pub(crate) min_timeout: Option<u64>,
}

impl OperationFacts {
    /// The facts of `op`.
    pub(crate) fn of(op: &Operation) -> Self {
        let method = op.http_method.as_str();
        Self {
            retry: if op.idempotent.unwrap_or_else(|| methods::is_idempotent(method)) {
                Retry::Idempotent
            } else {
                Retry::WhenUnprocessed
            },
            keyed: methods::sends_idempotency_key(method),
            long_poll: op.long_poll,
            min_timeout: op.timeout,
        }
    }

    /// Whether it is retried as an idempotent request.
    pub(crate) fn idempotent(&self) -> bool {
        self.retry == Retry::Idempotent
    }
}

/// How a struct gets `Default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DefaultImpl {
    /// Derived: no field is required.
    Derived,
    /// Written as `new()`: every required field holds one possible value, which `new` fills in
    /// (derived it could not be: one-value enums have no `Default`).
    New,
}

/// The facts of one lowered spec.
pub(crate) struct Facts<'a> {
    /// The string enums: the only named types taken as `Eq` without looking further, which keeps
    /// the check local.
    eq_types: HashSet<TypeId>,
    /// The types a caller builds: request bodies and parameters, and everything they contain.
    sent: BTreeSet<TypeId>,
    /// The one value of every one-value enum or constants type: its variant (or constant) name,
    /// and for a string enum its wire value.
    fixed: HashMap<TypeId, (&'a str, Option<&'a str>)>,
    /// The top-level resources whose operations reach each type (through parameters, bodies,
    /// successes, documented errors and page items, and every type those mention): the per-resource
    /// cargo features gate the type by them. A type no operation reaches is absent.
    reached_by: HashMap<TypeId, BTreeSet<&'a str>>,
}

impl<'a> Facts<'a> {
    /// Decides the facts of `ir`.
    pub(crate) fn of(ir: &'a Ir) -> Self {
        let eq_types = ir.types.iter().filter(|t| matches!(t.kind, TypeKind::Enum(_))).map(|t| t.id).collect();
        let mut roots = Vec::new();
        ir.operations.iter().for_each(|op| op.sent_ids(&mut roots));
        let fixed = ir
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Enum(e) if e.variants.len() == 1 => {
                    let (name, wire) = &e.variants[0];
                    Some((t.id, (name.as_str(), Some(wire.as_str()))))
                }
                TypeKind::Constants(c) if c.values.len() == 1 && c.beyond.is_empty() && !matches!(c.base, Ty::Json) => {
                    Some((t.id, (c.values[0].0.as_str(), None)))
                }
                _ => None,
            })
            .collect();
        Self { eq_types, sent: ir.types.reachable(roots), fixed, reached_by: reached_by(ir) }
    }

    /// The top-level resources whose operations reach the type `id`; `None` when no operation does.
    pub(crate) fn reached_by(&self, id: TypeId) -> Option<&BTreeSet<&'a str>> {
        self.reached_by.get(&id)
    }

    /// The facts of an operation of the model.
    pub(crate) fn operation(&self, op: &Operation) -> OperationFacts {
        // Derived on each call from the operation's method and extensions: two comparisons,
        // cheaper than keeping a table of them.
        OperationFacts::of(op)
    }

    /// The one value a field of type `ty` can hold, as the name of its variant or constant (`List`
    /// of `ListObject`): for a one-value enum or constants type.
    pub(crate) fn fixed(&self, ty: &Ty) -> Option<&'a str> {
        let Ty::Named(id) = ty else { return None };
        self.fixed.get(id).map(|(name, _)| *name)
    }

    /// The wire value of a one-value string enum type (`ListObject` → `list`).
    pub(crate) fn fixed_wire(&self, ty: &Ty) -> Option<&'a str> {
        let Ty::Named(id) = ty else { return None };
        self.fixed.get(id).and_then(|(_, wire)| *wire)
    }

    /// Whether `new` fills the field in rather than asking for it: a required, non-nullable
    /// field that can hold one value.
    pub(crate) fn filled_by_new(&self, f: &Field) -> bool {
        f.presence() == Presence::Required && self.fixed(&f.ty).is_some()
    }

    /// The fields `new` takes, in order; `None` when the struct has no `new` (no required field:
    /// it derives `Default` instead).
    pub(crate) fn new_args<'s>(&self, s: &'s Struct) -> Option<Vec<&'s Field>> {
        s.fields
            .iter()
            .any(|f| f.required)
            .then(|| s.fields.iter().filter(|f| f.required && !self.filled_by_new(f)).collect())
    }

    /// How the struct implements `Default`, if it does.
    pub(crate) fn default_impl(&self, s: &Struct) -> Option<DefaultImpl> {
        match self.new_args(s) {
            None => Some(DefaultImpl::Derived),
            Some(args) if args.is_empty() && s.fields.iter().filter(|f| f.required).all(|f| self.filled_by_new(f)) => {
                Some(DefaultImpl::New)
            }
            Some(_) => None,
        }
    }

    /// Whether callers build values of the type `id` (it is reachable from a request body or
    /// parameter). Only these get `with_*` setters; responses are read, and `new` serves tests
    /// that build them.
    pub(crate) fn is_sent(&self, id: TypeId) -> bool {
        self.sent.contains(&id)
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
            Ty::Named(id) => self.eq_types.contains(id),
        }
    }
}

/// What [`Facts::reached_by`] names the webhooks by, beside the top-level resources: no resource
/// name (a snake_case identifier) can be it.
pub(crate) const WEBHOOKS_ROOT: &str = "(webhooks)";

/// [`Facts::reached_by`]: for each top-level resource, every type its operations mention
/// directly and every type those mention; for the webhooks ([`WEBHOOKS_ROOT`]), every type their
/// payloads mention.
fn reached_by(ir: &Ir) -> HashMap<TypeId, BTreeSet<&str>> {
    let mut roots: std::collections::BTreeMap<&str, Vec<TypeId>> = std::collections::BTreeMap::new();
    for hook in &ir.webhooks {
        hook.payload.ids(roots.entry(WEBHOOKS_ROOT).or_default());
    }
    for op in &ir.operations {
        let Some(top) = op.resource.first() else { continue };
        let ids = roots.entry(top.as_str()).or_default();
        op.sent_ids(ids);
        op.received_ids(ids);
        if let Some(p) = &op.pagination {
            p.item_ty.ids(ids);
        }
    }
    let mut reached: HashMap<TypeId, BTreeSet<&str>> = HashMap::new();
    for (top, ids) in roots {
        for id in ir.types.reachable(ids) {
            reached.entry(id).or_default().insert(top);
        }
    }
    reached
}
