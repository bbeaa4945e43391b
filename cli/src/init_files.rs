//! The files `init` writes beside the generated crate: the `xtask` crate and the two workflows,
//! as text, keyed by path relative to the repository root.
//!
//! Must not: touch the disk (`init.rs` does, after checking nothing exists).

use std::collections::BTreeMap;

use crate::init::Init;

/// `xtask/Cargo.toml` and `xtask/src/main.rs`: `cargo xtask codegen [--check] ...`, the
/// `generate` command with this crate's spec, directory and preset.
pub(crate) fn xtask(init: &Init) -> BTreeMap<String, String> {
    let Init { spec, name, generator, .. } = init;
    let manifest = format!(
        r#"# Written by `openapi-client-gen init`: `cargo xtask codegen` regenerates {name}/ from {spec}.
[package]
name = "xtask"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
anyhow = "1"
clap = {{ version = "4.5", features = ["derive"] }}
openapi-client-gen = {generator}
"#
    );
    let main = format!(
        r#"//! `cargo xtask codegen`: regenerates `{name}/` from `{spec}`; `--check` writes nothing and fails
//! with a diff when it is stale (the drift check CI runs). `cargo xtask codegen --help` lists the
//! flags, those of `openapi-client-gen generate`. Written by `openapi-client-gen init`.

use clap::Parser;

/// This repository's automation.
#[derive(Parser)]
enum Xtask {{
    /// Regenerate {name}/ from {spec} (with --check: fail with a diff if it is stale).
    Codegen(openapi_client_gen::GenerateFlags),
}}

fn main() -> anyhow::Result<()> {{
    let Xtask::Codegen(flags) = Xtask::parse();
    let root = openapi_client_gen::init::workspace_root()?;
    let preset = openapi_client_gen::init::preset("{name}");
    openapi_client_gen::generate(&root.join("{spec}"), &root.join("{name}"), &flags, preset)
}}
"#
    );
    BTreeMap::from([("xtask/Cargo.toml".to_owned(), manifest), ("xtask/src/main.rs".to_owned(), main)])
}

/// `.github/workflows/{name}-drift.yml` (the drift check on every push and pull request) and
/// `.github/workflows/{name}-regenerate.yml` (on a spec change, a pull request with the
/// regenerated crate and the change report as its body).
pub(crate) fn workflows(init: &Init) -> BTreeMap<String, String> {
    let Init { spec, name, .. } = init;
    let drift = format!(
        r#"# Written by `openapi-client-gen init`: fails when {name}/ is not what {spec} generates.
name: {name} drift check
on:
  push:
  pull_request:
jobs:
  drift:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - uses: Swatinem/rust-cache@v2
      - run: cargo xtask codegen --check
"#
    );
    let regenerate = format!(
        r#"# Written by `openapi-client-gen init`: when {spec} changes, regenerates {name}/ and opens (or
# updates) a pull request whose body is the API change report. The repository must allow GitHub
# Actions to create pull requests (Settings → Actions).
name: {name} regenerate
on:
  push:
    branches: [main]
    paths: ['{spec}']
  workflow_dispatch:
permissions:
  contents: write
  pull-requests: write
concurrency:
  group: {name}-regenerate
  cancel-in-progress: true
jobs:
  regenerate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - uses: Swatinem/rust-cache@v2
      - name: Regenerate the crate and write the change report
        id: codegen
        # Also writes the step outputs `changed`, `semver` and `version` to $GITHUB_OUTPUT.
        run: cargo xtask codegen --report "$RUNNER_TEMP/report.md"
      - name: Open or update the pull request (nothing happens when the crate did not change)
        uses: peter-evans/create-pull-request@v7
        with:
          branch: regenerate/{name}
          delete-branch: true
          add-paths: {name}/**
          commit-message: >-
            Regenerate {name} from {spec} (semver: ${{{{ steps.codegen.outputs.semver }}}},
            version ${{{{ steps.codegen.outputs.version }}}})
          title: >-
            Regenerate {name}: ${{{{ steps.codegen.outputs.semver }}}} change,
            version ${{{{ steps.codegen.outputs.version }}}}
          body-path: ${{{{ runner.temp }}}}/report.md
"#
    );
    BTreeMap::from([
        (format!(".github/workflows/{name}-drift.yml"), drift),
        (format!(".github/workflows/{name}-regenerate.yml"), regenerate),
    ])
}
