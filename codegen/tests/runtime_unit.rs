//! The client runtime's pure parts, without a server, one file per runtime module under
//! `runtime_unit/` (named as the module it tests): the retry decision and `Retry-After`, the
//! method rules, how URLs show in errors, path building, the SSE parser, the JSON Lines splitter, the `multipart/mixed` splitter, form fields, multipart parts, download
//! file names, `Nullable` and the object helpers. The same behaviour against a real HTTP server is
//! in `client_faults.rs`, `streams.rs` and `pagination.rs`.

#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "RUNTIME_UNIT", default_base_url: None, schemes: &[], security: &[] };

#[path = "runtime_unit/auth.rs"]
mod auth;
#[path = "runtime_unit/body.rs"]
mod body;
#[path = "runtime_unit/client.rs"]
mod client;
#[path = "runtime_unit/download.rs"]
mod download;
#[path = "runtime_unit/form.rs"]
mod form;
#[path = "runtime_unit/json_lines.rs"]
mod json_lines;
#[path = "runtime_unit/methods.rs"]
mod methods;
#[path = "runtime_unit/mixed.rs"]
mod mixed;
#[path = "runtime_unit/nullable.rs"]
mod nullable;
#[path = "runtime_unit/object.rs"]
mod object;
#[path = "runtime_unit/path.rs"]
mod path;
#[path = "runtime_unit/retry.rs"]
mod retry;
#[path = "runtime_unit/sse.rs"]
mod sse;
