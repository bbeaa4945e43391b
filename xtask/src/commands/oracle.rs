//! `cargo xtask semver-oracle DIR`: checks the change report's verdicts against
//! `cargo semver-checks`, the independent oracle. For every pair of specs `NAME.old.EXT` and
//! `NAME.new.EXT` in DIR, it computes `codegen::compare`'s verdict, generates both crates (same
//! name, same version 1.0.0) under `.cache/oracle/crates/NAME/`, runs
//! `cargo semver-checks check-release --release-type minor` (does the pair need a major
//! release?) and prints one row per pair plus the agreement counts; the rows are also written to
//! `DIR/results.md`. Disagreements do not fail the command: they are for a person to explain.
//!
//! The pairs come from `codegen/tests/report.rs` (run it with `ORACLE_EDITS=DIR` to write its
//! hand-made edits of `spec/runloop.yaml`) and from any two real specs, e.g. GitHub's
//! (`@octokit/openapi`) at two versions. `cargo-semver-checks` must be installed.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::flags::OracleFlags;
use crate::root;

/// One pair's outcome.
struct Row {
    name: String,
    report: codegen::Report,
    /// semver-checks found a major-level violation.
    oracle_breaking: bool,
    /// The lints that fired (from semver-checks' output).
    lints: Vec<String>,
}

/// Runs the command.
pub fn run(flags: &OracleFlags) -> Result<()> {
    let mut pairs = Vec::new();
    for entry in std::fs::read_dir(&flags.dir).with_context(|| format!("reading {}", flags.dir.display()))? {
        let path = entry?.path();
        let file = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if let Some((name, _)) = file.split_once(".old.") {
            let new = std::fs::read_dir(&flags.dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.file_name().is_some_and(|f| f.to_string_lossy().starts_with(&format!("{name}.new."))))
                .with_context(|| format!("{name}.old has no {name}.new"))?;
            if flags.only.as_ref().is_none_or(|o| name.contains(o.as_str())) {
                pairs.push((name.to_owned(), path.clone(), new));
            }
        }
    }
    pairs.sort();
    let mut rows = Vec::new();
    for (name, old, new) in pairs {
        eprintln!("== {name}");
        rows.push(check_pair(&name, &old, &new)?);
    }
    let table = render(&rows);
    print!("{table}");
    std::fs::write(flags.dir.join("results.md"), &table)?;
    Ok(())
}

fn check_pair(name: &str, old: &Path, new: &Path) -> Result<Row> {
    let options =
        codegen::Options { crate_name: "oracle_client".into(), version: "1.0.0".into(), ..Default::default() };
    let (old_text, new_text) = (std::fs::read_to_string(old)?, std::fs::read_to_string(new)?);
    let report = codegen::compare(&old_text, &new_text, &options).with_context(|| format!("comparing {name}"))?;
    let dir = root().join(".cache/oracle/crates").join(name);
    let lock = std::fs::read(root().join("Cargo.lock"))?;
    for (side, text) in [("old", &old_text), ("new", &new_text)] {
        let mut generated = codegen::generate(text, &options).with_context(|| format!("generating {name} {side}"))?;
        // A workspace of its own (it sits below ours), and our lock file's dependency versions.
        generated.files.get_mut("Cargo.toml").expect("generated").push_str("\n[workspace]\n");
        codegen::write(&dir.join(side), &generated.files)?;
        std::fs::write(dir.join(side).join("Cargo.lock"), &lock)?;
    }
    let mut cmd = Command::new(crate::shell::cargo());
    cmd.args(["semver-checks", "check-release", "--release-type", "minor", "--manifest-path"])
        .arg(dir.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(dir.join("old"));
    // One target directory for every pair, so the dependencies are built once.
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        cmd.env("CARGO_TARGET_DIR", root().join(".cache/oracle/target"));
    }
    let output = cmd
        .output()
        .context("running cargo semver-checks (install it with `cargo install cargo-semver-checks --locked`)")?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    std::fs::write(dir.join("semver-checks.txt"), &text)?;
    let oracle_breaking = !output.status.success();
    if oracle_breaking && !text.contains("requires new major version") {
        bail!("cargo semver-checks failed on {name} without a verdict:\n{text}");
    }
    Ok(Row { name: name.to_owned(), report, oracle_breaking, lints: lints(&text) })
}

/// The names of the lints that failed: semver-checks prints `--- failure NAME: description ---`.
fn lints(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .map(|l| l.split(':').next().unwrap_or(l).trim().to_owned())
        .collect()
}

fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "| pair | report | breaking changes reported | semver-checks | lints | agree |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    let mut agree = 0;
    for row in rows {
        let ours = row.report.semver() == codegen::Bump::Major;
        let breaking = row.report.changes.iter().filter(|c| c.is_breaking()).count();
        let same = ours == row.oracle_breaking;
        agree += usize::from(same);
        out.push_str(&format!(
            "| {} | {} | {breaking} of {} | {} | {} | {} |\n",
            row.name,
            row.report.semver().as_str(),
            row.report.changes.len(),
            if row.oracle_breaking { "major" } else { "not major" },
            row.lints.join(", "),
            if same { "yes" } else { "**no**" },
        ));
    }
    out.push_str(&format!("\n{agree} of {} pairs agree on breaking vs not breaking.\n", rows.len()));
    out
}
