//! Load: spec text (YAML or JSON, OpenAPI 3.0.x, 3.1.x or 3.2.x) → a typed `openapiv3::OpenAPI`.
//! What 3.2 adds outside schemas is rewritten or reported first (`normalise/v32.rs`).
//!
//! `openapiv3` models OpenAPI 3.0 only, and it silently ignores schema keywords it does not know.
//! So loading is a bridge in three steps over `serde_json::Value`:
//!
//! 1. **Parse** YAML or JSON into a `Value` (YAML keys such as an unquoted `200:` become strings,
//!    merge keys `<<` are applied). Syntax errors carry line and column. Numbers have no size
//!    limit in JSON Schema: an integer beyond `i64`/`u64` is loaded as the nearest `f64`, in YAML
//!    as in JSON, in every keyword (bounds, `multipleOf`, `enum`, `const`, `default`, `example`);
//!    lowering decides what it means for the Rust type.
//! 2. **Normalise** the document: first the fields `openapiv3` requires and real specs leave
//!    out (`info.version`, an operation's `responses`, ...), each defaulted or dropped with a
//!    warning or refused, per the table in `normalise/required.rs`; then every schema in place, rewriting OpenAPI 3.1 (JSON Schema 2020-12) spellings
//!    into the 3.0 spellings `openapiv3` understands, and accounting for every keyword: each is
//!    rewritten, kept, or reported as a [`Warning`] naming its JSON pointer. Nothing is dropped
//!    without a word. The rewrites:
//!
//!    | 3.1 spelling | becomes |
//!    |---|---|
//!    | `type: [T, 'null']` | `type: T` + `nullable: true` |
//!    | `type: ['null']` | `nullable: true` + `x-codegen-null: true` (a value that is always `null`) |
//!    | `type: [A, B, ...]` (several non-null types) | `anyOf: [{type: A, ...}, {type: B, ...}]`, each branch keeping the keywords for its type |
//!    | `const: v` | `enum: [v]` |
//!    | `examples: [a, ...]` | `example: a` (examples are documentation only) |
//!    | numeric `exclusiveMinimum: n` / `exclusiveMaximum: n` | `minimum: n` + `exclusiveMinimum: true` (same for maximum) |
//!    | `oneOf`/`anyOf` with a `{type: 'null'}` branch | the other branches + `nullable: true` (a single remaining branch is used directly) |
//!    | `$ref` with sibling keywords (3.1, or 3.0's common `nullable` next to `$ref`) | `allOf: [{$ref}]` + the siblings, so `description` and `nullable` are kept |
//!    | `contentMediaType` of a non-textual type, without `contentEncoding`, on a string without `format` | `format: binary` (3.0's spelling of a file), then removed as below |
//!    | `$schema`, `$id`, `$comment`, `$anchor`, `contentEncoding`, `contentMediaType` | removed: annotations with no effect on the Rust type |
//!
//!    Keywords that only constrain values (`pattern`, `minLength`, `maximum`, `uniqueItems`, ...)
//!    are kept for `openapiv3` but do not change the generated type; the client does not validate
//!    them (the server does). One of the wrong kind (`maxLength: -1`) is dropped with a warning. JSON Schema keywords with no 3.0 equivalent (`prefixItems`,
//!    `patternProperties`, `if`/`then`/`else`, `unevaluatedProperties`, ...) and unknown keywords
//!    produce a warning and are ignored; in strict mode that warning is an error.
//! 3. **Type** the normalised `Value` as `openapiv3::OpenAPI`, with `serde_path_to_error` turning
//!    the failure path into a JSON pointer.
//!
//! Steps 1 and 3 are [`parse`] (with the pointer narrowing that finds the offending node inside
//! `openapiv3`'s untagged types); step 2 is [`normalise`], one function per row of the table.

mod normalise;
mod parse;

use openapiv3::OpenAPI;
use serde_json::Value;

pub(crate) use normalise::WEBHOOKS;
pub use parse::parse;

use crate::diagnostics::Diagnostics;
use crate::error::{Error, Pointer};

/// The loaded document.
pub(crate) struct Loaded {
    /// The typed document.
    pub(crate) api: OpenAPI,
    /// The normalised document as JSON, for resolving `$ref`s to non-schema nodes (parameters,
    /// responses, path items), whose pointers normalisation does not change.
    pub(crate) raw: Value,
    /// The document as written: `$ref`s to schemas resolve here, and the target is normalised on
    /// demand ([`normalise_schema_at`]), because normalising may move nodes inside a schema.
    pub(crate) original: Value,
}

/// How deep documents and schemas may nest before we refuse (the parsers also limit nesting to
/// 128 levels).
const MAX_DEPTH: usize = 256;

/// Parses and normalises spec text; what the normaliser interpreted or passed over goes to `diag`.
pub(crate) fn load(text: &str, diag: &mut Diagnostics) -> Result<Loaded, Error> {
    let mut original = parse(text)?;
    parse::check_version(&original)?;
    normalise::additions_32(&mut original, diag)?;
    let mut raw = original.clone();
    normalise::document(&mut raw, diag)?;
    let api = parse::typed(&raw)?;
    Ok(Loaded { api, raw, original })
}

/// Normalises one schema (a `$ref` target) as the document pass would have.
pub(crate) fn normalise_schema_at(value: &mut Value, at: &Pointer, diag: &mut Diagnostics) -> Result<(), Error> {
    normalise::schema(value, at, diag, 0)
}
