//! `cargo xtask`: thin automation over the `codegen` library.
//!
//! * `cargo xtask codegen` regenerates `generated-client/` from `spec/runloop.yaml`;
//! * `cargo xtask codegen --check` writes nothing and fails with a diff when it is stale;
//! * `cargo xtask codegen --spec PATH --out DIR [--name CRATE]` generates a crate for any spec;
//! * `cargo xtask test` installs what the tests need (Prism) and runs every check CI runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Project automation for the OpenAPI → Rust generator")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Regenerate a client crate from a spec (default: the Runloop client).
    Codegen {
        /// Write nothing; fail with a diff if the output is stale.
        #[arg(long)]
        check: bool,
        /// The spec (YAML or JSON). Default: spec/runloop.yaml.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The crate directory to write. Default: generated-client/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The crate name. Default: runloop (or the --out directory's name).
        #[arg(long)]
        name: Option<String>,
        /// Treat warnings as errors (always on for the Runloop client).
        #[arg(long)]
        strict: bool,
    },
    /// Install test tools (Prism) and run everything CI runs.
    Test,
    /// Run the generator over the APIs.guru directory and GitHub's spec, and report.
    Corpus {
        /// Only the ~20 coverage specs CI runs (plus GitHub's), and fail on any failure (with
        /// `--compile`, those are the crates checked).
        #[arg(long)]
        ci: bool,
        /// Also `cargo check` crates generated from a seeded sample plus GitHub's, warnings denied.
        #[arg(long)]
        compile: bool,
        /// Size of the compile sample.
        #[arg(long, default_value_t = 100)]
        sample: usize,
        /// Seed of the compile sample.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Worker threads.
        #[arg(long, default_value_t = 2)]
        threads: usize,
    },
    /// Benchmark codegen per phase on Runloop, GitHub and Microsoft Graph; peak memory; the
    /// generated GitHub crate's size and `cargo check` time. Run in release mode:
    /// `cargo run --release -p xtask -- bench`.
    Bench {
        /// Runs per spec (the minimum is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Internal: generate this spec once and print the peak RSS (used in a child process).
        #[arg(long, hide = true)]
        rss_of: Option<PathBuf>,
        /// Skip the `cargo check` of the generated GitHub crate.
        #[arg(long)]
        no_check: bool,
    },
    /// Mutation-fuzz the generator for longer than CI does (release build).
    Fuzz {
        /// How long to run.
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        /// The random seed (a failure prints the seed that reproduces it).
        #[arg(long)]
        seed: Option<u64>,
    },
}

use xtask::root;

fn main() -> Result<()> {
    match Cli::parse().command {
        Cmd::Codegen { check, spec, out, name, strict } => codegen(check, spec, out, name, strict),
        Cmd::Test => test(),
        Cmd::Fuzz { seconds, seed } => fuzz(seconds, seed),
        Cmd::Bench { runs, rss_of, no_check } => bench(runs, rss_of, no_check),
        Cmd::Corpus { ci, compile, sample, seed, threads } => corpus(ci, compile, sample, seed, threads),
    }
}

fn codegen(check: bool, spec: Option<PathBuf>, out: Option<PathBuf>, name: Option<String>, strict: bool) -> Result<()> {
    let root = root();
    let default = spec.is_none() && out.is_none();
    let spec = spec.unwrap_or_else(|| root.join("spec/runloop.yaml"));
    let out = out.unwrap_or_else(|| root.join("generated-client"));
    let mut options = if default { xtask::runloop_options() } else { codegen::Options::default() };
    if let Some(name) = name {
        options.crate_name = name;
    } else if !default {
        let dir = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        options.crate_name = if dir.is_empty() { "api_client".into() } else { dir };
    }
    options.strict |= strict;
    if !default {
        options.command = format!("cargo xtask codegen --spec {} --out {}", spec.display(), out.display());
    }
    let text = std::fs::read_to_string(&spec).with_context(|| format!("reading {}", spec.display()))?;
    let generated =
        codegen::generate(&text, &options).with_context(|| format!("generating from {}", spec.display()))?;
    for w in &generated.warnings {
        eprintln!("warning: {}: {w}", spec.display());
    }
    if check {
        let changes = codegen::sync::check(&out, &generated.files)?;
        if changes.is_empty() {
            println!("{} is up to date with {}", out.display(), spec.display());
            return Ok(());
        }
        print!("{}", changes.render());
        bail!("{} is stale: run `cargo xtask codegen` and commit the result", out.display());
    }
    let changes = codegen::sync::write(&out, &generated.files)?;
    if changes.is_empty() {
        println!("{} is up to date", out.display());
    } else {
        for f in &changes.added {
            println!("created  {}", out.join(f).display());
        }
        for (f, _) in &changes.changed {
            println!("updated  {}", out.join(f).display());
        }
        for f in &changes.removed {
            println!("removed  {}", out.join(f).display());
        }
    }
    Ok(())
}

fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {cmd:?}");
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Installs Prism (pinned in `xtask/prism/package-lock.json`) into the git-ignored `.tools/`.
fn install_prism(root: &Path) -> Result<PathBuf> {
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

fn corpus(ci: bool, compile: bool, sample: usize, seed: u64, threads: usize) -> Result<()> {
    use xtask::corpus;
    let (api, github) = corpus::fetch()?;
    let all = corpus::directory_specs(&api)?;
    let github = corpus::Spec { name: "api.github.com.json (@octokit/openapi)".into(), path: github };
    let mut specs: Vec<corpus::Spec> = if ci {
        let chosen: Vec<corpus::Spec> =
            all.iter().filter(|s| corpus::CI_SUBSET.contains(&s.name.as_str())).cloned().collect();
        if chosen.len() != corpus::CI_SUBSET.len() {
            bail!("CI subset names {} specs, found {}", corpus::CI_SUBSET.len(), chosen.len());
        }
        chosen
    } else {
        all.clone()
    };
    specs.push(github.clone());
    let started = std::time::Instant::now();
    let results = corpus::run_all(&specs, threads.max(1), std::time::Duration::from_secs(120));
    let report = root().join(".cache/corpus").join(if ci { "report-ci.md" } else { "report.md" });
    let summary = corpus::report(&results, started.elapsed(), &report)?;
    println!(
        "{summary}
full report: {}",
        report.display()
    );
    let panics = results.iter().filter(|(_, o, _)| matches!(o, corpus::Outcome::Panicked(_))).count();
    if panics > 0 {
        bail!("{panics} spec(s) made the generator panic");
    }
    if ci && results.iter().any(|(_, o, _)| !matches!(o, corpus::Outcome::Generated { .. })) {
        bail!("a CI corpus spec failed to generate; see {}", report.display());
    }
    if compile {
        let mut chosen = if ci { specs.clone() } else { corpus::sample(&all, sample, seed) };
        if !ci {
            chosen.push(github);
            let list: String = chosen.iter().map(|s| format!("{}\n", s.name)).collect();
            let list_path = root().join("xtask/corpus-sample.txt");
            std::fs::write(
                &list_path,
                format!("# Written by `cargo xtask corpus --compile --sample {sample} --seed {seed}`.\n{list}"),
            )?;
            println!("compile sample written to {}", list_path.display());
        }
        let workspace = root().join(".cache/corpus").join(if ci { "check-ci" } else { "check" });
        let corpus::Checked { members, failed, wall } = corpus::compile(&chosen, &workspace)?;
        println!(
            "{} of {} generated crates pass `cargo clippy --all-targets -D warnings` ({:.0?})",
            members.len() - failed.len(),
            members.len(),
            wall
        );
        for (krate, spec) in &failed {
            println!("  does not compile: {spec} ({krate}); see {}", workspace.join("check.log").display());
        }
        if !failed.is_empty() {
            bail!("{} generated crate(s) do not compile cleanly", failed.len());
        }
    }
    Ok(())
}

fn bench(runs: usize, rss_of: Option<PathBuf>, no_check: bool) -> Result<()> {
    use xtask::bench;
    let scratch = root().join(".cache/bench");
    std::fs::create_dir_all(&scratch)?;
    if let Some(spec) = rss_of {
        bench::measure(&spec, 1, &scratch.join("rss"))?;
        println!("{}", bench::peak_rss_kib().unwrap_or(0));
        return Ok(());
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; run `cargo run --release -p xtask -- bench` for real numbers");
    }
    let (api, github) = xtask::corpus::fetch()?;
    let graph = api.join("microsoft.com/graph.json");
    let specs = [("Runloop", root().join("spec/runloop.yaml")), ("GitHub", github.clone()), ("Microsoft Graph", graph)];
    println!(
        "| spec | size | serde_json floor | load | lower | emit + format | write | end to end | MB/s | × floor | lines | peak RSS |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ms = |d: std::time::Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    for (name, spec) in &specs {
        let runloop_json;
        // The floor is a serde_json parse of the same document: for the YAML spec, its JSON form.
        let path = if spec.extension().is_some_and(|e| e == "yaml") {
            let value = codegen::load::parse(&std::fs::read_to_string(spec)?)?;
            runloop_json = scratch.join("runloop.json");
            std::fs::write(&runloop_json, serde_json::to_string_pretty(&value)?)?;
            &runloop_json
        } else {
            spec
        };
        let (p, lines, bytes) = bench::measure(path, runs, &scratch.join("out"))?;
        let e2e = p.end_to_end();
        let rss = Command::new(std::env::current_exe()?).args(["bench", "--rss-of"]).arg(path).output()?;
        let rss_kib: u64 = String::from_utf8_lossy(&rss.stdout).trim().parse().unwrap_or(0);
        println!(
            "| {name} | {:.1} MB | {} | {} | {} | {} | {} | {} | {:.1} | {:.2} | {lines} | {:.0} MB |",
            bytes as f64 / 1e6,
            ms(p.json_floor),
            ms(p.load),
            ms(p.lower),
            ms(p.render),
            ms(p.write),
            ms(e2e),
            bytes as f64 / 1e6 / e2e.as_secs_f64(),
            e2e.as_secs_f64() / p.json_floor.as_secs_f64(),
            rss_kib as f64 / 1024.0,
        );
    }
    if !no_check {
        // `cargo check` of the generated GitHub crate with its dependencies already built.
        let dir = scratch.join("github");
        let text = std::fs::read_to_string(&github)?;
        let options = codegen::Options { crate_name: "github".into(), ..Default::default() };
        let generated = codegen::generate(&text, &options)?;
        let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
        codegen::sync::write(&dir, &generated.files)?;
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))?;
        if !manifest.contains("[workspace]") {
            std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n"))?;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        // The target directory lives outside the crate, which is replaced on every run.
        let target = scratch.join("target");
        run(Command::new(&cargo).args(["check", "--quiet"]).env("CARGO_TARGET_DIR", &target).current_dir(&dir))?;
        let lib = dir.join("src/lib.rs");
        std::fs::write(&lib, std::fs::read_to_string(&lib)?)?;
        // Incremental compilation would reuse nearly everything for an unchanged file: measure a
        // full check of the crate itself, as after a real change.
        let timed = Command::new("/usr/bin/time")
            .args(["-f", "%e %M"])
            .arg(&cargo)
            .args(["check", "--quiet"])
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&dir)
            .output()?;
        let stderr = String::from_utf8_lossy(&timed.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        let mut parts = last.split_whitespace();
        let secs: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
        let kib: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
        println!(
            "\nGenerated GitHub crate: {lines} lines; `cargo check` with dependencies built: {secs:.1} s, peak {:.0} MB",
            kib / 1024.0
        );
    }
    Ok(())
}

/// Generates a crate for each fixture spec into one workspace under `.cache/` and runs clippy and
/// rustdoc with warnings denied over all of them (sharing the main target directory, so
/// dependencies are reused).
fn lint_fixtures(root: &Path, cargo: &str) -> Result<()> {
    let fixtures = root.join("codegen/tests/fixtures");
    let dir = root.join(".cache/fixture-crates");
    let mut members = Vec::new();
    let mut specs: Vec<PathBuf> =
        std::fs::read_dir(&fixtures)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"));
    specs.sort();
    for spec in specs {
        let stem = spec.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let name = format!("fixture_{stem}");
        let options = codegen::Options { crate_name: name.clone(), ..Default::default() };
        let text = std::fs::read_to_string(&spec)?;
        let generated = codegen::generate(&text, &options).with_context(|| format!("generating {}", spec.display()))?;
        codegen::sync::write(&dir.join(&name), &generated.files)?;
        members.push(name);
    }
    let manifest = format!(
        "# Written by `cargo xtask test`: one crate per fixture spec, for clippy.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    run(Command::new(cargo)
        .args(["clippy", "--quiet", "--workspace", "--all-targets", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(&dir))?;
    // Spec prose becomes rustdoc: it must not produce broken links, HTML or doctests.
    run(Command::new(cargo)
        .args(["doc", "--quiet", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(&dir))
}

fn codegen_corpus_ci() -> Result<()> {
    corpus(true, false, 0, 0, 2)
}

fn fuzz(seconds: u64, seed: Option<u64>) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let seed = seed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs())
    });
    run(Command::new(cargo)
        .args(["test", "--release", "-p", "codegen", "--test", "fuzz", "--", "--nocapture"])
        .env("FUZZ_SECONDS", seconds.to_string())
        .env("FUZZ_SEED", seed.to_string())
        .current_dir(root()))
}

fn test() -> Result<()> {
    let root = root();
    let prism = install_prism(&root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // 1. The drift check: the checked-in client matches the spec and the generator.
    codegen(true, None, None, None, false)?;
    // 2. Formatting of hand-written code (generated files opt out with rustfmt.toml / #[rustfmt::skip]).
    run(Command::new(&cargo).args(["fmt", "--all", "--check"]).current_dir(&root))?;
    // 3. Every test: unit, fixtures (trybuild), serde round trips, fault tests, Prism contract tests.
    run(Command::new(&cargo)
        .args(["test", "--workspace", "--all-targets"])
        .env("PRISM_BIN", &prism)
        .env("REQUIRE_PRISM", "1")
        .current_dir(&root))?;
    // 4. Lints, generated code included, warnings as errors.
    run(Command::new(&cargo)
        .args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])
        .current_dir(&root))?;
    // 5. Clippy and rustdoc over generated code for every fixture spec, not only Runloop's.
    lint_fixtures(&root, &cargo)?;
    // 6. The generator on ~20 real specs chosen for coverage (3.1, huge, recursive, unions, keywords).
    codegen_corpus_ci()?;
    // 7. Docs of the generated client build without warnings.
    run(Command::new(&cargo)
        .args(["doc", "--no-deps", "-p", "runloop"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(&root))?;
    println!("all checks passed");
    Ok(())
}
