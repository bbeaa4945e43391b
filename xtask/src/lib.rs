//! `cargo xtask`: thin automation over the `codegen` library, and what the workspace's own tests
//! share with it (where things are, and how the checked-in Runloop client is generated).
//!
//! [`flags`] is the command line; [`commands`] has one module per command; [`shell`] runs other
//! programs; [`corpus`] fetches and runs the real-world specs of `cargo xtask corpus` and `bench`;
//! [`features`] reads and lints a generated crate's per-resource features; [`examples`] decodes
//! the specs' own examples with the generated types (`cargo xtask examples`); [`package`] checks
//! that the generator library packages and builds on its own, with a truthful `rust-version`.

pub mod commands;
pub mod corpus;
pub mod examples;
pub mod features;
pub mod flags;
pub mod package;
pub mod shell;

use std::path::{Path, PathBuf};

/// The workspace root, found at run time by [`find_root`]: the commands work on the checkout
/// they are run in.
///
/// # Panics
///
/// Outside a workspace, with [`find_root`]'s error. `main` calls [`find_root`] before any command
/// that needs the workspace, so the command line reports that as an error instead; this panics
/// only for tests and library callers run from elsewhere.
pub fn root() -> PathBuf {
    find_root().unwrap_or_else(|e| panic!("{e}"))
}

/// The workspace root: the nearest directory, from the current one up, whose `Cargo.toml` has a
/// `[workspace]` with an `xtask` member. Looked up once per process.
///
/// At run time, not compile time (`env!("CARGO_MANIFEST_DIR")`): with a shared
/// `CARGO_TARGET_DIR`, cargo reuses a binary built in one checkout (or worktree) when asked to run
/// it in another, and a path baked in at compile time would make `cargo xtask codegen` in the
/// second regenerate the first one's crate.
///
/// Walking up rather than asking `cargo locate-project --workspace`: no cargo process (the binary
/// also runs without cargo: the tests run it directly), and `locate-project` stops at the nearest
/// workspace, which below ours may be one of the scratch workspaces the commands write under
/// `.cache/` ([`write_workspace`]); the walk passes over workspaces without an `xtask` member.
pub fn find_root() -> anyhow::Result<PathBuf> {
    static ROOT: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let found = ROOT.get_or_init(|| {
        let cwd = std::env::current_dir().map_err(|e| format!("reading the current directory: {e}"))?;
        find_root_from(&cwd).ok_or_else(|| {
            format!(
                "not in the generator's workspace: no Cargo.toml with a `[workspace]` that has an `xtask` \
                 member in {} or any directory above it; run this from the repository's checkout",
                cwd.display()
            )
        })
    });
    found.clone().map_err(anyhow::Error::msg)
}

/// The nearest directory from `dir` up that is the workspace root (see [`find_root`]).
pub fn find_root_from(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| is_workspace_root(d)).map(Path::to_owned)
}

/// Whether `dir/Cargo.toml` declares a workspace with an `xtask` member. A manifest that does not
/// parse is not ours, and the walk goes on.
fn is_workspace_root(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else { return false };
    let Ok(manifest) = toml::from_str::<toml::Table>(&text) else { return false };
    let members = manifest.get("workspace").and_then(|w| w.get("members")).and_then(toml::Value::as_array);
    members.is_some_and(|m| m.iter().any(|m| m.as_str() == Some("xtask")))
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
