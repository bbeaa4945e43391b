//! Hand-written additions to the generated client: helpers built on the generated resources.
//!
//! This directory (`src/extra/`) is the one place of the crate that is not generated.
//! Regeneration (`cargo xtask codegen`) never writes, compares or removes anything under it: it
//! copies it unchanged into each new generation, and the drift check (`--check`) lists its files
//! as hand-written instead of comparing them. The crate root declares `pub mod extra;` because
//! this directory has files; its root is this `mod.rs`.
//!
//! Runloop's helpers, after the official SDKs' (each polls a long-poll endpoint until a terminal
//! state, within an overall deadline, and fails with a `WaitError` naming the state it ended in),
//! with the `devboxes` feature:
#![cfg_attr(
    feature = "devboxes",
    doc = r#"
- [`Devboxes::await_running`](crate::resources::Devboxes::await_running),
  [`Devboxes::await_suspended`](crate::resources::Devboxes::await_suspended) and
  [`Devboxes::create_running`](crate::resources::Devboxes::create_running) (the SDK's
  `create_and_await_running`; the spec's operation of that name is the request alone);
- [`DevboxesExecutions::await_completed`](crate::resources::DevboxesExecutions::await_completed)
  and [`DevboxesExecutions::execute_and_await_completion`](crate::resources::DevboxesExecutions::execute_and_await_completion);
  their error is [`WaitError`].
"#
)]
//!
//! # Adding a helper
//!
//! Write it in a file here and declare it below, behind the cargo feature of the resource it
//! uses (`#[cfg(feature = "devboxes")]`), as an inherent `impl` of the resource struct
//! (`crate::resources::Devboxes<'a>`, whose `client` field is crate-visible for this) or as free
//! items re-exported here. Build on the generated calls and the runtime's policy: poll only
//! requests that change nothing on the server, and never resend one that does. Test it against
//! wiremock (`codegen/tests/helpers.rs`), and run `cargo xtask codegen` once after adding the first
//! file, so that the crate root declares this module.
//!
//! Must not: copy generated code or the runtime (call them), or be edited by the generator.

#[cfg(feature = "devboxes")]
mod devboxes;
#[cfg(feature = "devboxes")]
mod executions;
#[cfg(feature = "devboxes")]
mod wait;

#[cfg(feature = "devboxes")]
pub use wait::{DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_DEADLINE, Wait, WaitError};
