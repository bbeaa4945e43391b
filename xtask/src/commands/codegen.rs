//! `cargo xtask codegen`: the `generate` command of the `openapi-client-gen` binary (its flags and
//! messages: `openapi_client_gen::generate`), with this repository's defaults. With neither
//! `--spec` nor `--out`, the Runloop client: `spec/runloop.yaml` → `generated-client/`, strict,
//! with the examples kept in `spec/examples/`; with both, a crate for any spec, anywhere.
//!
//! Must not: generate, compare or print anything itself (the shared command does).

use anyhow::Result;
use openapi_client_gen::Preset;

use crate::flags::CodegenFlags;
use crate::root;

/// Runs the command.
pub fn run(flags: &CodegenFlags) -> Result<()> {
    let default = flags.spec.is_none() && flags.out.is_none();
    // The workspace is looked up only for what is not given: `--spec` and `--out` together work
    // anywhere.
    let spec = flags.spec.clone().unwrap_or_else(|| root().join("spec/runloop.yaml"));
    let out = flags.out.clone().unwrap_or_else(|| root().join("generated-client"));
    let preset = if default {
        Preset::Project(crate::runloop_options())
    } else {
        Preset::Standalone { command: format!("cargo xtask codegen --spec {} --out {}", spec.display(), out.display()) }
    };
    openapi_client_gen::generate(&spec, &out, &flags.generate, preset)
}
