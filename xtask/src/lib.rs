//! `cargo xtask`: thin automation over the `codegen` library, and what the workspace's own tests
//! share with it (where things are, and how the checked-in Runloop client is generated).
//!
//! [`flags`] is the command line; [`commands`] has one module per command; [`shell`] runs other
//! programs; [`corpus`] fetches and runs the real-world specs of `cargo xtask corpus` and `bench`;
//! [`features`] reads and lints a generated crate's per-resource features; [`examples`] decodes
//! the specs' own examples with the generated types (`cargo xtask examples`).

pub mod commands;
pub mod corpus;
pub mod examples;
pub mod features;
pub mod flags;
pub mod shell;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is in the workspace").to_owned()
}

/// Writes `Cargo.toml` of a scratch workspace over the generated crates `members` in `dir` (so
/// they share one lock file and, with `CARGO_TARGET_DIR`, one target directory): `comment` as its
/// first line when not empty, then `tail` after the members (a `[profile]`, say).
pub fn write_workspace(dir: &Path, comment: &str, members: &[String], tail: &str) -> std::io::Result<()> {
    let comment = if comment.is_empty() { String::new() } else { format!("# {comment}\n") };
    let members = members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("{comment}[workspace]\nresolver = \"3\"\nmembers = [{members}]\n{tail}"),
    )
}

/// The options the checked-in Runloop client is generated with: strict, and with the example
/// programs kept in `spec/examples/`.
pub fn runloop_options() -> codegen::Options {
    codegen::Options { crate_name: "runloop".into(), strict: true, examples: runloop_examples(), ..Default::default() }
}

/// The hand-written example programs in `spec/examples/`, sorted. Unreadable entries are a bug of
/// the checkout and panic with the path.
pub fn spec_example_paths() -> Vec<PathBuf> {
    let dir = root().join("spec/examples");
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())).path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    paths.sort();
    paths
}

/// The examples of [`spec_example_paths`], by file name.
fn runloop_examples() -> std::collections::BTreeMap<String, String> {
    spec_example_paths()
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            (name, text)
        })
        .collect()
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
