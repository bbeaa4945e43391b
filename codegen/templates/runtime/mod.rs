//! The client runtime: configuration, authentication, retries, errors and decoding; event
//! streams, JSON Lines, `multipart/mixed` parts, downloads and uploads (files and multipart
//! bodies).
//!
//! No buffer the server fills is unbounded: a stream's line and event, and the error body kept
//! in an `ApiError`, each have a limit (`client.rs` has the defaults and why; `RequestBuilder`'s
//! docs list them), and a stream whose body is cut short says so (`Error::Truncated`).
//!
//! This module is the same for every generated crate (its doc examples name the crate: `render.rs`
//! writes its name for `crate_name`); only `crate::SPEC` (the base URL, the authentication scheme
//! and the environment prefix) comes from the spec. It is hand-written
//! because no crate offers an HTTP client runtime with this retry policy: retry middlewares such
//! as `reqwest-retry` retry by method and status only, and cannot tell "provably not processed"
//! (refused connection, 429, `x-should-retry: true`) from "maybe processed" for a `POST`.

pub(crate) mod auth;
pub(crate) mod body;
pub(crate) mod client;
pub mod defaults;
pub(crate) mod download;
pub(crate) mod error;
// Called by the generated types with enums or unions only.
#[allow(dead_code)]
pub(crate) mod exact;
pub(crate) mod form;
pub(crate) mod hooks;
pub(crate) mod json_lines;
pub(crate) mod live;
pub(crate) mod methods;
pub(crate) mod mixed;
pub(crate) mod nullable;
pub(crate) mod oauth;
pub(crate) mod raw;
// Called by the generated object types only (`map_fields` and `additional` by those with
// additional properties).
#[allow(dead_code)]
pub(crate) mod object;
pub(crate) mod paging;
// Called by operations with path parameters only.
#[allow(dead_code)]
pub(crate) mod path;
pub(crate) mod request;
pub(crate) mod resume;
pub(crate) mod retry;
pub(crate) mod sse;
// Called by the generated unions only.
#[allow(dead_code)]
pub(crate) mod union;

// The names the generated code uses, as `runtime::X` (every item is also at its module's path).
// The crate root re-exports the public ones; its `SPEC` is a `Spec` with `Scheme`s, and its
// per-scheme `ClientBuilder` methods make `Credential`s:
// Named by `SPEC` in crates with security schemes; `Credential` by the per-scheme
// `ClientBuilder` methods, which only some of those have.
#[allow(unused_imports)]
pub(crate) use self::auth::{Credential, Scheme, SchemeKind};
pub use self::body::FilePart;
pub(crate) use self::client::Spec;
pub use self::client::{Client, ClientBuilder};
pub use self::download::Download;
pub use self::error::{ApiError, Error, StreamPart};
pub use self::exact::decode_strict;
pub use self::hooks::{AttemptError, AttemptRequest, AttemptResponse, Hook, HookError, HookFuture};
pub use self::json_lines::JsonLines;
pub use self::live::ByteStream;
pub use self::mixed::{Part, PartStream};
pub use self::nullable::Nullable;
pub use self::paging::{PageStream, Paged};
pub use self::raw::RawRequest;
pub use self::request::{RequestBuilder, Response};
pub use self::sse::{Event, EventStream};
// What the operations call: a spec's operations use only some of them (paths with parameters,
// multipart bodies, paged lists, streams, ...).
#[allow(unused_imports)]
pub(crate) use self::{
    body::Parts,
    download::download,
    form::{FormField, FormStyle},
    json_lines::json_lines,
    mixed::{part_stream_bytes, part_stream_json, part_stream_text},
    paging::{PageStyle, Paging, cursor},
    path::PathBuilder,
    request::{decode_empty, decode_json, decode_text, method},
    resume::Resume,
    sse::{event_stream_envelope, event_stream_json, event_stream_text},
};
