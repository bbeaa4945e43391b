//! Running other programs: echo a command and fail unless it succeeds, find the `cargo` that runs
//! us, and install Prism (the spec-validating mock server) for the contract tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Prints `cmd`, runs it with inherited output, and fails unless it exits successfully.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {cmd:?}");
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// The `cargo` that started us (`$CARGO`), or the one on the `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Installs Prism (pinned in `xtask/prism/package-lock.json`) into the git-ignored `.tools/`.
pub fn install_prism(root: &Path) -> Result<PathBuf> {
    let tools = root.join(".tools/prism");
    let bin = tools.join("node_modules/.bin/prism");
    let lock = root.join("xtask/prism/package-lock.json");
    let stamp = tools.join("package-lock.json");
    let current = bin.exists() && std::fs::read(&stamp).ok() == std::fs::read(&lock).ok();
    if !current {
        std::fs::create_dir_all(&tools)?;
        std::fs::copy(root.join("xtask/prism/package.json"), tools.join("package.json"))?;
        std::fs::copy(&lock, &stamp)?;
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&tools))?;
    }
    Ok(bin)
}
