//! `cargo xtask semver-oracle DIR`: checks the change report's verdicts against
//! `cargo semver-checks`, the independent oracle. For every pair of specs `NAME.old.EXT` and
//! `NAME.new.EXT` in DIR, it computes `codegen::compare`'s verdict, generates both crates (same
//! name, same version 1.0.0) under `.cache/oracle/crates/NAME/`, runs
//! `cargo semver-checks check-release --release-type minor` (does the pair need a major
//! release?) and prints one row per pair plus the agreement counts; the rows are also written to
//! `DIR/results.md`, followed by a per-item comparison (which items semver-checks reported that
//! no breaking change of the report names, and the reverse). Disagreements do not fail the
//! command: they are for a person to explain. `--reuse` reads the saved semver-checks output of
//! each pair instead of running it again.
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
    /// Every item semver-checks reported: (lint, `failure` or `warning`, text).
    items: Vec<(String, String, String)>,
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
        rows.push(check_pair(&name, &old, &new, flags.reuse)?);
    }
    let table = render(&rows);
    print!("{table}");
    std::fs::write(flags.dir.join("results.md"), &table)?;
    Ok(())
}

fn check_pair(name: &str, old: &Path, new: &Path, reuse: bool) -> Result<Row> {
    let options =
        codegen::Options { crate_name: "oracle_client".into(), version: "1.0.0".into(), ..Default::default() };
    let (old_text, new_text) = (std::fs::read_to_string(old)?, std::fs::read_to_string(new)?);
    let report = codegen::compare(&old_text, &new_text, &options).with_context(|| format!("comparing {name}"))?;
    let dir = root().join(".cache/oracle/crates").join(name);
    let saved = dir.join("semver-checks.txt");
    if reuse && saved.exists() {
        let text = std::fs::read_to_string(&saved)?;
        let oracle_breaking = text.contains("requires new major version");
        return Ok(Row { name: name.to_owned(), report, oracle_breaking, lints: lints(&text), items: items(&text) });
    }
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
    Ok(Row { name: name.to_owned(), report, oracle_breaking, lints: lints(&text), items: items(&text) })
}

/// The names of the lints that failed: semver-checks prints `--- failure NAME: description ---`.
fn lints(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .map(|l| l.split(':').next().unwrap_or(l).trim().to_owned())
        .collect()
}

/// Every item under a lint's `Failed in:`, with the lint's name and level.
fn items(output: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut listing = false;
    for line in output.lines() {
        for level in ["failure", "warning"] {
            if let Some(rest) = line.strip_prefix(&format!("--- {level} ")) {
                current = Some((rest.split(':').next().unwrap_or(rest).trim().to_owned(), level.to_owned()));
                listing = false;
            }
        }
        if line.trim() == "Failed in:" {
            listing = true;
        } else if listing && line.starts_with("  ") && !line.starts_with("   ") {
            if let Some((lint, level)) = &current {
                out.push((lint.clone(), level.clone(), line.trim().to_owned()));
            }
        } else if line.trim().is_empty() || !line.starts_with("  ") {
            listing = false;
        }
    }
    out
}

/// The Rust names an item of semver-checks mentions (types, variants, methods), file paths left out.
fn item_names(text: &str) -> Vec<&str> {
    let text = text.split(" in /").next().unwrap_or(text);
    let text = text.split(", previously").next().unwrap_or(text);
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|t| t.len() > 1).collect()
}

/// The name a change is about: the type, or the operation's method.
fn change_name(change: &codegen::Change) -> &str {
    let inner = change.subject.split('`').nth(1).unwrap_or("");
    match inner.strip_suffix("()") {
        Some(call) => call.rsplit('.').next().unwrap_or(call),
        None => inner,
    }
}

/// `["teams", "discussions"]`-style resource names as the emitter spells the struct: `TeamsDiscussions`.
fn camel(call: &str) -> String {
    call.split(['.', '_'])
        .filter(|p| !p.is_empty() && *p != "client")
        .map(|p| {
            let p = p.trim_end_matches("()");
            let mut c = p.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// Names in the report's text that are not about one item.
const COMMON: &[&str] = &["Option", "String", "Vec", "BTreeMap", "Box", "Nullable", "Value", "Map", "Eq", "Default"];

/// Per-item agreement: which items semver-checks reported that no breaking change of the report
/// names, and which breaking changes no item names.
fn item_agreement(row: &Row) -> String {
    let breaking: Vec<&codegen::Change> = row.report.changes.iter().filter(|c| c.is_breaking()).collect();
    // Resource structs of the operations the report changes: `client.teams().x()` → `Teams`.
    let resources: Vec<String> = breaking
        .iter()
        .filter(|c| c.subject.starts_with("operation"))
        .map(|c| {
            let call = c.subject.split('`').nth(1).unwrap_or("");
            camel(call.rsplit_once('.').map_or(call, |(r, _)| r))
        })
        .collect();
    // A method or type the change is about, a resource struct of a changed operation, or a type
    // a breaking change's text names (such as the parameters struct of a removed operation).
    let named = |name: &str| {
        breaking.iter().any(|c| change_name(c) == name)
            || resources.iter().any(|r| r == name)
            || (name.starts_with(|c: char| c.is_ascii_uppercase())
                && breaking.iter().any(|c| c.detail.contains(&format!("`{name}`"))))
            || breaking.iter().any(|c| format!("{} {}", c.subject, c.detail).contains(&format!(".{name}()")))
    };
    let mut out = String::new();
    let failures: Vec<_> = row.items.iter().filter(|(_, level, _)| level == "failure").collect();
    let unexplained: Vec<_> =
        failures.iter().filter(|(_, _, text)| !item_names(text).iter().any(|n| named(n))).collect();
    out.push_str(&format!(
        "{}: semver-checks failed {} item(s); {} of them name a type or method the report marks breaking.\n",
        row.name,
        failures.len(),
        failures.len() - unexplained.len()
    ));
    for (lint, _, text) in &unexplained {
        out.push_str(&format!("- not in the report: {lint}: {text}\n"));
    }
    let mentioned: std::collections::HashSet<&str> = row.items.iter().flat_map(|(_, _, t)| item_names(t)).collect();
    let mut unseen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for c in &breaking {
        // The items it is about: its type or method, and for an operation its parameters struct
        // (`ExecAsyncCommandParams::new`) and a resource that comes or goes (`client.devbox()`).
        // Other types its text names (a field's new type) do not count.
        let own = c.detail.split('`').skip(1).step_by(2).flat_map(item_names).filter(|t| {
            (t.ends_with("Params") || c.detail.contains(&format!("`client.{t}()`"))) && !COMMON.contains(t)
        });
        let seen = mentioned.contains(change_name(c)) || own.into_iter().any(|t| mentioned.contains(t));
        if !seen {
            let kind: String = c.detail.split('`').step_by(2).collect::<Vec<_>>().join("…");
            let kind = kind.split(':').next().unwrap_or(&kind).trim().to_owned();
            *unseen.entry(kind).or_default() += 1;
        }
    }
    let total: usize = unseen.values().sum();
    out.push_str(&format!(
        "{} of {} breaking change(s) of the report name something no semver-checks item names:\n",
        total,
        breaking.len()
    ));
    for (kind, n) in unseen {
        out.push_str(&format!("- {n} × {kind}\n"));
    }
    let warnings: Vec<_> = row.items.iter().filter(|(_, level, _)| level == "warning").collect();
    for (lint, _, text) in warnings {
        out.push_str(&format!("- semver-checks warning {lint}: {text}\n"));
    }
    out
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
    for row in rows {
        out.push('\n');
        out.push_str(&item_agreement(row));
    }
    out
}
