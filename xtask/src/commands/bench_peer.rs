//! The peer part of `cargo xtask bench` (`--no-peer` skips it): this generator beside a peer, openapi-to-rust (the most complete
//! other Rust generator: OpenAPI 3.1, SSE, multipart), on the same specs in the same run.
//!
//! For each spec and each generator: the generation as a process (the best of several runs, wall
//! time and peak RSS from `/usr/bin/time`, files written included: both are command-line tools),
//! the lines of Rust it wrote, and a `cargo check` of the crate around its output with the
//! dependencies already built, `CARGO_INCREMENTAL=0` (a full check of the crate itself, as after a
//! real change): time, peak memory, whether it compiles, and its warnings.
//!
//! The peer is installed with `cargo install --locked` at a pinned version into the git-ignored
//! `.tools/openapi-to-rust/`; only its command line is used. Its output is a module
//! (`src/generated/`) plus `REQUIRED_DEPS.toml`, the dependency table to paste into a crate; the
//! crate around it here is that table and `pub mod generated;`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{root, shell};

/// The peer's crate and the version measured.
const PEER: &str = "openapi-to-rust";
const PEER_VERSION: &str = "0.23.0";

/// The peer's binary, installed on first use.
fn install_peer() -> Result<PathBuf> {
    let dir = root().join(".tools").join(PEER);
    let bin = dir.join("bin").join(PEER);
    let stamp = dir.join("installed");
    if !bin.exists() || std::fs::read_to_string(&stamp).ok().as_deref() != Some(PEER_VERSION) {
        shell::run(
            Command::new(shell::cargo())
                .args(["install", "--locked", "--force", PEER, "--version", PEER_VERSION, "--root"])
                .arg(&dir),
        )?;
        std::fs::write(&stamp, PEER_VERSION)?;
    }
    Ok(bin)
}

/// Wall time and peak RSS of a finished command run under `/usr/bin/time -f "%e %M"`.
#[derive(Clone, Copy, Debug)]
struct Timed {
    secs: f64,
    peak_mb: f64,
}

/// Runs `program` under `/usr/bin/time` in `dir`: its time, whether it succeeded, and its stderr
/// (without `time`'s lines).
fn timed(program: &Path, args: &[&OsStr], dir: &Path, env: &[(&str, &OsStr)]) -> Result<(Timed, bool, String)> {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M"]).arg(program).args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().with_context(|| format!("starting {cmd:?}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let (rest, last) = match stderr.trim_end().rsplit_once('\n') {
        Some((rest, last)) => (rest.to_owned(), last.to_owned()),
        None => (String::new(), stderr.trim_end().to_owned()),
    };
    let mut parts = last.split_whitespace();
    let secs = parts.next().and_then(|s| s.parse().ok());
    let kib: Option<f64> = parts.next().and_then(|s| s.parse().ok());
    let (Some(secs), Some(kib)) = (secs, kib) else {
        bail!("{cmd:?}: no time in its output:\n{stderr}");
    };
    // `time` prefixes "Command exited with non-zero status N" when the program failed.
    let ok = out.status.success();
    let rest = rest.lines().filter(|l| !l.starts_with("Command exited with")).collect::<Vec<_>>().join("\n");
    Ok((Timed { secs, peak_mb: kib / 1024.0 }, ok, rest))
}

/// One generator on one spec.
struct Row {
    generate: Timed,
    lines: usize,
    check: Timed,
    compiles: bool,
    warnings: usize,
    errors: usize,
}

/// Lines of the `.rs` files under `dir`.
fn rust_lines(dir: &Path) -> Result<usize> {
    let mut lines = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            lines += rust_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            lines += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(lines)
}

/// The count in cargo's summary line `warning: `x` (lib) generated N warnings` (or `error`s:
/// `could not compile `x` (lib) due to N previous errors`).
fn diagnostics(stderr: &str) -> (usize, usize) {
    let number_after = |line: &str, word: &str| -> Option<usize> {
        let mut words = line.split_whitespace().skip_while(|w| *w != word);
        words.nth(1)?.parse().ok()
    };
    let mut warnings = 0;
    let mut errors = 0;
    for line in stderr.lines() {
        if line.starts_with("warning: `") {
            warnings += number_after(line, "generated").unwrap_or(0);
        } else if line.starts_with("error: could not compile") {
            errors += number_after(line, "to").unwrap_or(1);
        }
    }
    (warnings, errors)
}

/// `cargo check` of the crate in `dir`, after a first check builds its dependencies: the second,
/// timed one checks the crate alone, fully (`CARGO_INCREMENTAL=0`, the crate's files touched).
fn check(dir: &Path, target: &Path) -> Result<(Timed, bool, usize, usize)> {
    let cargo = PathBuf::from(shell::cargo());
    // The crate may not compile: that is reported by the timed check, not an error here.
    Command::new(&cargo).args(["check", "--quiet"]).env("CARGO_TARGET_DIR", target).current_dir(dir).output()?;
    touch_sources(&dir.join("src"))?;
    let env = [("CARGO_TARGET_DIR", target.as_os_str()), ("CARGO_INCREMENTAL", "0".as_ref())];
    let (t, ok, stderr) = timed(&cargo, &["check".as_ref()], dir, &env)?;
    let (warnings, errors) = diagnostics(&stderr);
    Ok((t, ok, warnings, errors))
}

/// Rewrites every file under `dir` with its own contents, so cargo rechecks the crate.
fn touch_sources(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            touch_sources(&path)?;
        } else {
            std::fs::write(&path, std::fs::read(&path)?)?;
        }
    }
    Ok(())
}

/// The best (least disturbed) of `runs` runs of a generation, by wall time.
fn best_of(runs: usize, mut once: impl FnMut() -> Result<Timed>) -> Result<Timed> {
    let mut best: Option<Timed> = None;
    for _ in 0..runs.max(1) {
        let t = once()?;
        best = Some(match best {
            Some(b) if b.secs <= t.secs => b,
            _ => t,
        });
    }
    Ok(best.expect("at least one run"))
}

/// Ours: `cargo xtask codegen --spec SPEC --out DIR --name NAME` (this binary), into a fresh
/// directory each run so nothing is compared with a previous generation.
fn ours(spec: &Path, work: &Path, name: &str, runs: usize, target: &Path) -> Result<Row> {
    let dir = work.join("ours");
    let exe = std::env::current_exe()?;
    let generate = best_of(runs, || {
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        let args = [
            "codegen".as_ref(),
            "--spec".as_ref(),
            spec.as_os_str(),
            "--out".as_ref(),
            dir.as_os_str(),
            "--name".as_ref(),
            name.as_ref(),
        ];
        let (t, ok, stderr) = timed(&exe, &args, work, &[])?;
        if !ok {
            bail!("generating {name}: {stderr}");
        }
        Ok(t)
    })?;
    let lines = rust_lines(&dir.join("src"))?;
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))?;
    if !manifest.contains("[workspace]") {
        std::fs::write(dir.join("Cargo.toml"), format!("{manifest}\n[workspace]\n"))?;
    }
    let (check, compiles, warnings, errors) = check(&dir, target)?;
    Ok(Row { generate, lines, check, compiles, warnings, errors })
}

/// The peer: `openapi-to-rust generate SPEC --output-dir src/generated`, then a crate around it.
fn peer(bin: &Path, spec: &Path, work: &Path, name: &str, runs: usize, target: &Path) -> Result<Row> {
    let dir = work.join("peer");
    let out = dir.join("src/generated");
    let generate = best_of(runs, || {
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        let args =
            ["generate".as_ref(), spec.as_os_str(), "--output-dir".as_ref(), out.as_os_str(), "--quiet".as_ref()];
        let (t, ok, stderr) = timed(bin, &args, &dir, &[])?;
        if !ok {
            bail!("{PEER} on {name}: {stderr}");
        }
        Ok(t)
    })?;
    let lines = rust_lines(&out)?;
    let deps = std::fs::read_to_string(out.join("REQUIRED_DEPS.toml")).unwrap_or_else(|_| "[dependencies]\n".into());
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n{deps}"
        ),
    )?;
    std::fs::write(dir.join("src/lib.rs"), "pub mod generated;\n")?;
    let (check, compiles, warnings, errors) = check(&dir, target)?;
    Ok(Row { generate, lines, check, compiles, warnings, errors })
}

/// OpenAI's current spec (OpenAPI 3.1, with `webhooks`), from github.com/openai/openai-openapi at
/// this commit: no package registry carries it, so the bench reads it from `.cache/peers/` and
/// says how to fetch it when it is not there.
const OPENAI_COMMIT: &str = "f85dbe223d40e1a31cba812ab2d755c7e98a92a3";

/// The spec over 5 MB of the table: one of the corpus's (Zuora's, 5.5 MB of JSON) that both
/// generators accept, and the quickest of them for the peer: 1.0-1.7 s, against 5 s for loket.nl
/// (6.3 MB) and 15 s for Mailchimp (5.3 MB).
const LARGE: (&str, &str) = ("Zuora (5.5 MB)", "zuora.com.json");

/// The path of OpenAI's spec, or an error saying how to fetch it.
pub fn openai_spec() -> Result<PathBuf> {
    let path = root().join(".cache/peers").join(format!("openai-{}.yaml", &OPENAI_COMMIT[..12]));
    if !path.exists() {
        bail!(
            "OpenAI's spec is not in {}; fetch it with\n  curl -fsSL -o {} \\\n    \
             https://raw.githubusercontent.com/openai/openai-openapi/{OPENAI_COMMIT}/openapi.yaml",
            path.display(),
            path.display()
        );
    }
    Ok(path)
}

/// Runs both generators on Runloop, GitHub, OpenAI and a spec over 5 MB, prints the table and
/// returns the check costs for the chart.
pub fn run(scratch: &Path, github: &Path, api: &Path, runs: usize) -> Result<Vec<super::plot::Check>> {
    let bin = install_peer()?;
    let specs = [
        ("Runloop", "runloop", root().join("spec/runloop.yaml")),
        ("GitHub", "github", github.to_path_buf()),
        ("OpenAI", "openai", openai_spec()?),
        (LARGE.0, "large", api.join(LARGE.1)),
    ];
    // One target directory for every crate, so each dependency is built once.
    let target = scratch.join("peer-target");
    println!(
        "\n| spec | generator | generate | generate peak RSS | lines | `cargo check` | check peak | compiles | warnings |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---|---:|");
    let mut points = Vec::new();
    for (title, short, spec) in &specs {
        let work = scratch.join("peer").join(short);
        std::fs::create_dir_all(&work)?;
        let bytes = std::fs::metadata(spec)?.len();
        let rows = [
            ("this generator", ours(spec, &work, &format!("ours_{short}"), runs, &target)?),
            (PEER, peer(&bin, spec, &work, &format!("peer_{short}"), runs, &target)?),
        ];
        for (generator, r) in rows {
            let compiles = if r.compiles { "yes".to_owned() } else { format!("no ({} errors)", r.errors) };
            println!(
                "| {title} | {generator} | {:.2} s | {:.0} MB | {} | {:.1} s | {:.0} MB | {compiles} | {} |",
                r.generate.secs, r.generate.peak_mb, r.lines, r.check.secs, r.check.peak_mb, r.warnings
            );
            if r.compiles {
                let spec = title.split(" (").next().unwrap_or(title).to_owned();
                points.push(super::plot::Check {
                    spec,
                    generator: generator.to_owned(),
                    bytes,
                    check_secs: r.check.secs,
                    check_peak_mb: r.check.peak_mb,
                });
            }
        }
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_summaries_give_the_counts() {
        let stderr = "warning: unused import\n  --> src/a.rs:1:5\n\
                      warning: `peer_x` (lib) generated 12 warnings (run `cargo fix`)\n\
                      error: could not compile `peer_x` (lib) due to 3 previous errors; 12 warnings emitted\n";
        assert_eq!(diagnostics(stderr), (12, 3));
        assert_eq!(diagnostics("warning: `x` (lib) generated 1 warning\n"), (1, 0));
        assert_eq!(diagnostics("    Finished `dev` profile\n"), (0, 0));
    }
}
