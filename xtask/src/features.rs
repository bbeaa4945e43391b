//! The per-resource cargo features of a generated crate (see `codegen/src/emit/features.rs`):
//! read back from its manifest with `cargo metadata`, sampled, and linted one by one.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::shell;

/// The features the crate in `dir` declares, sorted, without `default`.
pub fn of_crate(cargo: &str, dir: &Path) -> Result<Vec<String>> {
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!("cargo metadata of {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let manifest = dir.join("Cargo.toml").canonicalize()?;
    let package = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["manifest_path"].as_str().is_some_and(|m| Path::new(m) == manifest))
        .with_context(|| format!("no package at {}", manifest.display()))?;
    let mut features: Vec<String> = package["features"]
        .as_object()
        .map(|f| f.keys().filter(|k| *k != "default").cloned().collect())
        .unwrap_or_default();
    features.sort();
    Ok(features)
}

/// `n` features spread evenly over the sorted list (all of them when there are no more than `n`).
pub fn sample(features: &[String], n: usize) -> Vec<String> {
    if features.len() <= n {
        return features.to_vec();
    }
    (0..n).map(|i| features[i * features.len() / n].clone()).collect()
}

/// Clippy (`--all-targets`, warnings denied) and rustdoc (warnings denied) over the crate in
/// `dir` with no feature, with each of `alone` alone, and with the default (all) features: the
/// runtime and the client compile with no resource at all, and each resource compiles with
/// exactly the types it reaches.
pub fn lint_each(cargo: &str, dir: &Path, target: &Path, alone: &[String]) -> Result<()> {
    let mut configurations: Vec<Vec<String>> = vec![vec!["--no-default-features".into()]];
    configurations.extend(alone.iter().map(|f| vec!["--no-default-features".into(), "--features".into(), f.clone()]));
    configurations.push(Vec::new());
    for features in &configurations {
        println!("{}: clippy and rustdoc with {}", dir.display(), describe(features));
        shell::run(
            Command::new(cargo)
                .args(["clippy", "--quiet", "--all-targets"])
                .args(features)
                .args(["--", "-D", "warnings"])
                .env("CARGO_TARGET_DIR", target)
                .current_dir(dir),
        )?;
        shell::run(
            Command::new(cargo)
                .args(["doc", "--quiet", "--no-deps"])
                .args(features)
                .env("RUSTDOCFLAGS", "-D warnings")
                .env("CARGO_TARGET_DIR", target)
                .current_dir(dir),
        )?;
    }
    Ok(())
}

fn describe(args: &[String]) -> String {
    match args {
        [] => "the default features".into(),
        [_] => "no feature".into(),
        [_, _, f] => format!("only `{f}`"),
        _ => args.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn sample_spreads_over_the_list() {
        let features: Vec<String> = (0..12).map(|i| format!("f{i:02}")).collect();
        assert_eq!(sample(&features, 5), ["f00", "f02", "f04", "f07", "f09"]);
        assert_eq!(sample(&features[..3], 5), ["f00", "f01", "f02"]);
    }
}
