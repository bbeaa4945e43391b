//! What a request's HTTP method decides: whether it is idempotent, and whether it carries an
//! idempotency key. One rule for the generator and the runtime: the generator compiles this very
//! file (`codegen/src/facts.rs` includes it) to decide what each generated call tells the runtime
//! and what its docs and the change report say; the runtime reads it only for calls that are
//! not generated (`Client::request`) and for the idempotency key.
//!
//! Must not: use anything outside this file (the generator compiles it on its own).

/// Whether a method is idempotent (RFC 9110 §9.2.2): resending it after it may have reached the
/// server does no more than sending it once. `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, `TRACE`
/// and `QUERY` (safe, like `GET`, though it carries a body); not `POST`, `PATCH`, `CONNECT` or a
/// method of an extension (which a spec may declare idempotent with `x-idempotent: true`).
pub(crate) fn is_idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE" | "QUERY")
}

/// Whether a request of this method carries an idempotency key (the same on every attempt of one
/// call): every method but the safe `GET`, `HEAD` and `QUERY`, whose requests have no effect to
/// repeat.
pub(crate) fn sends_idempotency_key(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "QUERY")
}
