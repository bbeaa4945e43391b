//! Which types are sent and which are only received, and what that changes: an optional
//! nullable field of a type that is only ever received is an `Option<T>` (absent and `null`
//! read alike), not a `Nullable<T>`, whose tri-state only matters when sending (see the
//! table in [`crate::lower`]).

use crate::ir::*;

/// Makes the optional nullable fields of received-only structs plain optional ones.
///
/// A type reachable from a request (body or parameter) is *sent*, also when responses use it
/// too; one reachable only from responses (success, documented errors, stream items) is
/// *received-only*. A type reachable from neither keeps the tri-state: a caller may build it for
/// `Client::request`.
pub(super) fn relax_received(types: &mut Types, operations: &[Operation]) {
    let mut sent_roots = Vec::new();
    let mut received_roots = Vec::new();
    for op in operations {
        op.sent_ids(&mut sent_roots);
        op.received_ids(&mut received_roots);
    }
    let sent = types.reachable(sent_roots);
    let received = types.reachable(received_roots);
    for def in types.iter_mut() {
        if sent.contains(&def.id) || !received.contains(&def.id) {
            continue;
        }
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in s.fields.iter_mut().filter(|f| !f.required) {
                f.nullable = false;
            }
        }
    }
}
