//! Publishing checks run by `cargo xtask test` ([`check`]): `cargo package` of the generator library (which
//! builds the packaged crate on its own, so a file it needs but leaves out, such as the runtime
//! template, fails here), its declared `rust-version` against its dependencies', and `cargo
//! package` of the Runloop crate generated as publishable (`Options::publish`, `--publish`).
//!
//! Must not: publish anything, or change a manifest.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::shell;

/// Every publishing check: [`check_codegen`], [`check_runloop`], then the docs of the library
/// and the command line (warnings denied) and the library's doctests (`cargo test
/// --all-targets` leaves doctests out).
pub fn check(cargo: &str, root: &Path) -> Result<()> {
    check_codegen(cargo, root)?;
    check_runloop(cargo, root)?;
    shell::run(
        Command::new(cargo)
            .args(["doc", "--no-deps", "-p", "codegen", "-p", "openapi-client-gen"])
            .env("RUSTDOCFLAGS", "-D warnings")
            .current_dir(root),
    )?;
    shell::run(Command::new(cargo).args(["test", "-p", "codegen", "--doc"]).current_dir(root))
}

/// `cargo package -p codegen`, verified (the packaged crate is built in the target directory), then
/// the `rust-version` check. `--allow-dirty`: the check is of the files as they are, committed or
/// not.
pub fn check_codegen(cargo: &str, root: &Path) -> Result<()> {
    shell::run(Command::new(cargo).args(["package", "-p", "codegen", "--allow-dirty"]).current_dir(root))?;
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).context("reading cargo metadata")?;
    let (declared, needed) = rust_versions(&metadata, "codegen")?;
    if let Some((dependency, version)) = needed.iter().find(|(_, v)| older(&declared, v)) {
        bail!("codegen declares rust-version {declared}, but its dependency {dependency} needs {version}");
    }
    println!("codegen's rust-version {declared} covers its {} dependencies'", needed.len());
    Ok(())
}

/// The Runloop crate generated publishable (a copy of `generated-client/`, its hand-written
/// `src/extra/` included, regenerated with `Options::publish`) in a scratch workspace outside the
/// repository (inside it, git would hide the ignored scratch files from `cargo package`), then
/// `cargo package`, which builds the packaged crate on its own.
pub fn check_runloop(cargo: &str, root: &Path) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("runloop-publish-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let crate_dir = dir.join("runloop");
    copy_tree(&root.join("generated-client"), &crate_dir)?;
    let options = codegen::Options { publish: Some(codegen::Publish::default()), ..crate::runloop_options() };
    let spec = std::fs::read_to_string(root.join("spec/runloop.yaml"))?;
    let regenerated = codegen::regenerate(&spec, &codegen::previous(&crate_dir)?, &options, false)?;
    codegen::write(&crate_dir, &regenerated.generated.files)?;
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml"))?;
    if manifest.contains("publish = false") || !manifest.contains("documentation = \"https://docs.rs/runloop\"") {
        bail!("the publishable Runloop crate's Cargo.toml is not publishable:\n{manifest}");
    }
    crate::write_workspace(
        &dir,
        "Written by `cargo xtask test`: the Runloop crate, publishable.",
        &["runloop".into()],
        "",
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    shell::run(
        Command::new(cargo)
            .args(["package", "--allow-dirty", "--manifest-path"])
            .arg(crate_dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| root.join("target").into()))
            .current_dir(&dir),
    )?;
    std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))
}

/// Copies the files under `from` to `to`, directories created as needed.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}

/// The `rust-version` `package` declares, and that of each package it depends on (normal
/// dependencies, transitively) that declares one.
fn rust_versions(metadata: &serde_json::Value, package: &str) -> Result<(String, BTreeMap<String, String>)> {
    let packages = metadata["packages"].as_array().context("no packages in cargo metadata")?;
    let by_id: BTreeMap<&str, &serde_json::Value> =
        packages.iter().filter_map(|p| Some((p["id"].as_str()?, p))).collect();
    let root = packages.iter().find(|p| p["name"] == package).with_context(|| format!("no package {package}"))?;
    let declared = root["rust_version"].as_str().with_context(|| format!("{package} declares no rust-version"))?;
    let nodes = metadata["resolve"]["nodes"].as_array().context("no resolve graph in cargo metadata")?;
    let deps: BTreeMap<&str, Vec<&str>> = nodes
        .iter()
        .filter_map(|n| {
            let normal = n["deps"]
                .as_array()?
                .iter()
                .filter(|d| d["dep_kinds"].as_array().is_some_and(|kinds| kinds.iter().any(|k| k["kind"].is_null())));
            Some((n["id"].as_str()?, normal.filter_map(|d| d["pkg"].as_str()).collect()))
        })
        .collect();
    let mut needed = BTreeMap::new();
    let mut stack: Vec<&str> = deps.get(root["id"].as_str().unwrap_or_default()).cloned().unwrap_or_default();
    while let Some(id) = stack.pop() {
        let Some(p) = by_id.get(id) else { continue };
        let name = format!("{} {}", p["name"].as_str().unwrap_or("?"), p["version"].as_str().unwrap_or("?"));
        if needed.contains_key(&name) {
            continue;
        }
        needed.insert(name, p["rust_version"].as_str().unwrap_or("0").to_owned());
        stack.extend(deps.get(id).into_iter().flatten());
    }
    Ok((declared.to_owned(), needed))
}

/// Whether Rust version `a` (`1.88`, `1.85.0`) is older than `b`.
fn older(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|n| n.parse().unwrap_or(0)).collect() };
    let (mut a, mut b) = (parse(a), parse(b));
    a.resize(3, 0);
    b.resize(3, 0);
    a < b
}

#[cfg(test)]
mod tests {
    use super::older;

    #[test]
    fn versions_compare_by_number_with_missing_parts_as_zero() {
        assert!(older("1.85", "1.88"));
        assert!(older("1.9", "1.10"));
        assert!(!older("1.88", "1.85.0"));
        assert!(!older("1.88", "1.88.0"));
        assert!(older("1.88", "1.88.1"));
    }

    /// The workspace's own metadata: codegen declares a version, and every dependency that
    /// declares one is found (syn, serde and openapiv3 among them).
    #[test]
    fn codegen_and_its_dependencies_have_rust_versions() {
        let output = std::process::Command::new(crate::shell::cargo())
            .args(["metadata", "--format-version", "1", "--offline"])
            .current_dir(crate::root())
            .output()
            .unwrap();
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let (declared, needed) = super::rust_versions(&metadata, "codegen").unwrap();
        assert!(!older(&declared, "1.88"), "{declared}");
        for dependency in ["syn ", "serde ", "openapiv3 "] {
            assert!(needed.keys().any(|k| k.starts_with(dependency)), "{dependency} not in {needed:?}");
        }
        assert!(!needed.keys().any(|k| k.starts_with("criterion ") || k.starts_with("runloop ")), "dev-dependencies");
    }
}
