//! `cargo xtask`: thin automation over the `codegen` library, and what the workspace's own tests
//! share with it (where things are, and how the checked-in Runloop client is generated).
//!
//! [`flags`] is the command line; [`commands`] has one module per command; [`shell`] runs other
//! programs; [`corpus`] fetches and runs the real-world specs of `cargo xtask corpus` and `bench`.

pub mod commands;
pub mod corpus;
pub mod flags;
pub mod shell;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is in the workspace").to_owned()
}

/// The options the checked-in Runloop client is generated with.
pub fn runloop_options() -> codegen::Options {
    codegen::Options { crate_name: "runloop".into(), strict: true, ..Default::default() }
}

/// Generates the Runloop client from `spec/runloop.yaml` as `cargo xtask codegen` would: against
/// the generation recorded in `generated-client/` (its version, changelog and spec copy).
pub fn generate_runloop() -> Result<codegen::Generated, String> {
    let spec = root().join("spec/runloop.yaml");
    let text = std::fs::read_to_string(&spec).map_err(|e| format!("reading {}: {e}", spec.display()))?;
    let previous = codegen::previous(&root().join("generated-client")).map_err(|e| e.to_string())?;
    codegen::regenerate(&text, &previous, &runloop_options(), true)
        .map(|r| r.generated)
        .map_err(|e| format!("{}: {e}", spec.display()))
}
