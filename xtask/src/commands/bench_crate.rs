//! The generated GitHub crate under the compiler (part of `cargo xtask bench`): its size, a full
//! `cargo check` with the default features (every resource), the same with the typed webhooks
//! (`webhooks`) or with the types no operation reaches as well (`unreferenced-types`, off by
//! default), with one resource feature alone (`issues`, `repos`) or three, and a debug
//! `cargo build` with every resource and with `repos` alone, each with its wall time, CPU time
//! (user + system) and peak memory.
//!
//! Dependencies are built first, so only the crate itself is measured; `CARGO_INCREMENTAL=0`
//! makes each run compile the whole crate, as after a real change (with incremental compilation
//! on, an unchanged file is a cached recheck, which is not the number that matters). The peak is
//! `/usr/bin/time`'s maximum resident set size, which is that of the largest process (rustc).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::shell;

/// The resource features measured alone: `issues` and `repos`, the largest resource (the goal: a
/// debug build with `repos` alone at most a quarter of the full one), and three together. The
/// transport feature (`rustls`, on by default) is named too, so the dependencies are the ones
/// built beforehand and only the crate is compiled in the measured run.
const ALONE: &[&str] = &["issues", "repos", "issues,pulls,repos"];

/// One measured cargo run.
struct Run {
    wall: f64,
    cpu: f64,
    peak_mb: f64,
}

/// Generates GitHub's crate into `scratch/github`, prints the table of its compile costs and
/// returns them for the chart (name, wall seconds, peak MB).
pub fn run(scratch: &Path, github: &Path) -> Result<Vec<super::plot::FeatureSet>> {
    let dir = scratch.join("github");
    let text = std::fs::read_to_string(github)?;
    let options = codegen::Options { crate_name: "github".into(), ..Default::default() };
    let generated = codegen::generate(&text, &options)?;
    let lines = super::bench::rust_lines(&generated.files);
    codegen::write(&dir, &generated.files)?;
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))?;
    if !manifest.contains("[workspace]") {
        std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n"))?;
    }
    let cargo = shell::cargo();
    // The target directory lives outside the crate, which is replaced on every run.
    let target = scratch.join("target");
    // Dependencies, for checking and for building, with an empty library in place of the crate's
    // (so the crate itself is compiled only when measured).
    let lib = dir.join("src/lib.rs");
    let lib_text = std::fs::read_to_string(&lib)?;
    std::fs::write(&lib, "")?;
    for args in [&["check"][..], &["build"], &["check", "--features", "webhooks"]] {
        shell::run(Command::new(&cargo).args(args).arg("--quiet").env("CARGO_TARGET_DIR", &target).current_dir(&dir))?;
    }
    let measure = |args: &[&str]| -> Result<Run> {
        // Written again, so that cargo compiles the crate even when nothing else changed.
        std::fs::write(&lib, &lib_text)?;
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%e %U %S %M"])
            .arg(&cargo)
            .args(args)
            .arg("--quiet")
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&dir)
            .output()
            .context("running /usr/bin/time cargo")?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            bail!("cargo {} failed:\n{stderr}", args.join(" "));
        }
        let last = stderr.lines().last().unwrap_or_default();
        let numbers: Vec<f64> = last.split_whitespace().filter_map(|s| s.parse().ok()).collect();
        let [wall, user, sys, kib] = numbers[..] else { bail!("unexpected /usr/bin/time output: {last}") };
        Ok(Run { wall, cpu: user + sys, peak_mb: kib / 1024.0 })
    };
    println!("\nGenerated GitHub crate: {lines} lines of Rust; dependencies built, the crate compiled whole:\n");
    // The ratio is of CPU time, which other work on the machine disturbs less than wall time.
    // Rows are printed as they are measured (a debug build takes a while).
    println!("| | wall | CPU (user + sys) | CPU, × default check | peak memory |");
    println!("|---|---:|---:|---:|---:|");
    let mut full_cpu = None;
    let mut full_build = None;
    let alone = |f: &str, command: &'static str| {
        (
            format!("`cargo {command}`, only `{f}`"),
            f.replace(',', "+"),
            vec![
                command.to_owned(),
                "--no-default-features".to_owned(),
                "--features".to_owned(),
                format!("{f},rustls"),
            ],
        )
    };
    let runs = [
        ("`cargo check`, default features (every resource)".to_owned(), "default".to_owned(), vec!["check".into()]),
        (
            "`cargo check`, default features and `webhooks` (GitHub's 270 webhooks, typed)".to_owned(),
            "default + webhooks".to_owned(),
            vec!["check".into(), "--features".into(), "webhooks".into()],
        ),
        (
            "`cargo check`, every resource and `unreferenced-types` (every type)".to_owned(),
            "every type".to_owned(),
            vec!["check".into(), "--features".into(), "unreferenced-types".into()],
        ),
    ]
    .into_iter()
    .chain(ALONE.iter().map(|f| alone(f, "check")))
    .chain([
        ("`cargo build` (debug), default features".to_owned(), "debug build".to_owned(), vec!["build".into()]),
        alone("repos", "build"),
    ]);
    let mut points = Vec::new();
    for (what, short, args) in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = measure(&args)?;
        let full = *full_cpu.get_or_insert(run.cpu);
        let ratio = if args[0] == "build" {
            // Builds are compared with the full debug build.
            let full = *full_build.get_or_insert(run.cpu);
            format!("{:.2} of the full build", run.cpu / full)
        } else {
            format!("{:.2}", run.cpu / full)
        };
        println!("| {what} | {:.1} s | {:.1} s | {ratio} | {:.0} MB |", run.wall, run.cpu, run.peak_mb);
        if args[0] == "check" {
            points.push(super::plot::FeatureSet { name: short, secs: run.wall, peak_mb: run.peak_mb });
        }
    }
    // For the chart: from the quickest feature set to the slowest.
    points.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    Ok(points)
}
