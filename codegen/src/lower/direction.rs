//! Which types are sent and which are only received, and what that changes: an optional
//! nullable field of a type that is only ever received is an `Option<T>` (absent and `null`
//! read alike), not a `Nullable<T>`, whose tri-state only matters when sending (see the
//! table in [`crate::lower`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;

/// Makes the optional nullable fields of received-only structs plain optional ones.
///
/// A type reachable from a request (body or parameter) is *sent*, also when responses use it
/// too; one reachable only from responses (success, documented errors, stream items) is
/// *received-only*. A type reachable from neither keeps the tri-state: a caller may build it for
/// `Client::request`.
pub(super) fn relax_received(types: &mut [TypeDef], operations: &[Operation]) {
    let mut sent_roots = Vec::new();
    let mut received_roots = Vec::new();
    for op in operations {
        if let Some(body) = &op.body {
            body.kind.ty().names(&mut sent_roots);
        }
        op.params.iter().for_each(|p| p.ty.names(&mut sent_roots));
        match &op.success {
            Success::Json(t) | Success::JsonLines(t) => t.names(&mut received_roots),
            Success::EventStream(EventData::Json(t) | EventData::Envelope(t)) => t.names(&mut received_roots),
            Success::EventStream(EventData::Text) | Success::Empty | Success::Text | Success::Binary => {}
        }
        op.errors.iter().filter_map(|e| e.ty.as_ref()).for_each(|t| t.names(&mut received_roots));
    }
    let index: BTreeMap<&str, &TypeKind> = types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
    let sent = reachable(&index, sent_roots);
    let received = reachable(&index, received_roots);
    for def in types.iter_mut() {
        if sent.contains(&def.name) || !received.contains(&def.name) {
            continue;
        }
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in s.fields.iter_mut().filter(|f| !f.required) {
                f.nullable = false;
            }
        }
    }
}

/// The names of `roots` and every type they mention, transitively.
fn reachable(index: &BTreeMap<&str, &TypeKind>, mut todo: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(kind) = index.get(name.as_str()) {
            kind.names(&mut todo);
        }
    }
    seen
}
