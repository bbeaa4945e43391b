//! `cargo xtask examples`: the specs' own examples decoded by the types generated from them
//! (issue 27). For each spec of the CI corpus subset plus GitHub's (or only the `--spec` files):
//! collect the examples declared for component schemas, validate them against their schema, and
//! decode the valid ones as the generated type: strictly (`decode_strict`: the declared branch, no
//! `Unknown` fallback), leniently, and round-tripped. Fails when a valid example does not decode
//! leniently or round-trip, or fails the strict decode without an entry in
//! `xtask/examples-allowed.txt`. The report is `.cache/examples/report.md`. The machinery is in
//! [`crate::examples`].

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::examples::{self, Spec};
use crate::flags::ExamplesFlags;
use crate::{corpus, root, shell};

/// The allow-list of strict failures, relative to the workspace root.
pub const ALLOWED: &str = "xtask/examples-allowed.txt";

/// Runs the command.
pub fn run(flags: &ExamplesFlags) -> Result<()> {
    let root = root();
    let specs = if flags.spec.is_empty() { corpus_specs()? } else { given_specs(&flags.spec) };
    let allowed_path = root.join(ALLOWED);
    let allowed_text =
        std::fs::read_to_string(&allowed_path).with_context(|| format!("reading {}", allowed_path.display()))?;
    let allowed = examples::parse_allowed(&allowed_text).with_context(|| format!("in {}", allowed_path.display()))?;
    let workspace = root.join(".cache/example-crates");
    if workspace.exists() {
        std::fs::remove_dir_all(&workspace)?;
    }
    std::fs::create_dir_all(&workspace)?;
    let started = Instant::now();
    let mut results = Vec::new();
    let mut members = Vec::new();
    for spec in &specs {
        let t = Instant::now();
        let (result, krate) =
            examples::prepare(spec, &workspace).with_context(|| format!("preparing {}", spec.name))?;
        eprintln!(
            "{}: {} examples, {} valid ({:.1?})",
            spec.name,
            result.examples.len(),
            result.invalid.iter().filter(|e| e.is_none()).count(),
            t.elapsed()
        );
        members.extend(krate.clone());
        results.push((result, krate));
    }
    crate::write_workspace(
        &workspace,
        "Written by `cargo xtask examples`: one crate per spec, each with a program decoding its examples.",
        &members,
        "",
    )?;
    let cargo = shell::cargo();
    for (result, krate) in &mut results {
        if let Some(krate) = krate {
            eprintln!("$ cargo run --example decode_examples -p {krate} ({} examples)", result.decoded.len());
            examples::run(&cargo, &workspace, krate, result)?;
            eprintln!("  {:.1?}", result.build_and_run);
        }
    }
    let results: Vec<_> = results.into_iter().map(|(r, _)| r).collect();
    let (report, failures) = examples::report(&results, &allowed, started.elapsed());
    let out = root.join(".cache/examples");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("report.md"), &report)?;
    println!("{report}\nreport: {}", out.join("report.md").display());
    if !failures.is_empty() {
        for f in failures.iter().take(20) {
            eprintln!("  {f}");
        }
        bail!(
            "{} example check(s) failed (strict failures can be allowed in {ALLOWED}, with the reason)",
            failures.len()
        );
    }
    Ok(())
}

/// The CI corpus subset and GitHub's spec.
fn corpus_specs() -> Result<Vec<Spec>> {
    let (api, github) = corpus::fetch()?;
    let mut specs: Vec<Spec> =
        corpus::CI_SUBSET.iter().map(|name| Spec { name: (*name).to_owned(), path: api.join(name) }).collect();
    specs.push(Spec { name: "api.github.com.json".into(), path: github });
    Ok(specs)
}

/// The `--spec` files, named by file name.
fn given_specs(paths: &[std::path::PathBuf]) -> Vec<Spec> {
    paths
        .iter()
        .map(|p| Spec {
            name: p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string()),
            path: Path::new(p).to_owned(),
        })
        .collect()
}
