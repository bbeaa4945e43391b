//! `cargo xtask bench`: codegen speed per phase and end to end, peak memory, the size and
//! compile costs of the generated GitHub crate ([`super::bench_crate`]), and a peer generator
//! beside ours ([`super::bench_peer`]). Client benchmarks are criterion benches in
//! `codegen/benches/client.rs` (they need the generated crate, which xtask must not depend on).
//!
//! The generation timed is [`codegen::generate_timed`], the same pipeline `cargo xtask codegen`
//! runs (warnings collected, options applied), which reports load, lower and render; the write is
//! timed around [`codegen::write`]. Each phase is timed over several runs and the minimum is
//! reported (the least disturbed run); the floor is `serde_json::from_str::<Value>` of the same
//! file.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::flags::BenchFlags;
use crate::root;

/// Times of one generation, by phase.
#[derive(Clone, Copy, Debug, Default)]
struct Phases {
    /// `serde_json` parse alone (the floor).
    json_floor: Duration,
    /// Load: parse + normalise + type with `openapiv3`.
    load: Duration,
    /// Lower to the IR.
    lower: Duration,
    /// Emit token streams and format them with prettyplease (overlapping: the types are emitted
    /// and formatted in two halves on two threads).
    render: Duration,
    /// Write the crate to disk (atomic swap).
    write: Duration,
}

impl Phases {
    /// Load through write.
    fn end_to_end(&self) -> Duration {
        self.load + self.lower + self.render + self.write
    }

    fn min(self, other: Phases) -> Phases {
        Phases {
            json_floor: self.json_floor.min(other.json_floor),
            load: self.load.min(other.load),
            lower: self.lower.min(other.lower),
            render: self.render.min(other.render),
            write: self.write.min(other.write),
        }
    }
}

/// How the benchmarked crate is generated.
fn options() -> codegen::Options {
    codegen::Options { crate_name: "bench".into(), command: "cargo xtask bench".into(), ..Default::default() }
}

/// Runs every phase once on `text`, writing to `out`; returns the times and the lines generated.
fn run_once(text: &str, out: &Path) -> Result<(Phases, usize)> {
    let mut p = Phases::default();
    let t = Instant::now();
    let value: serde_json::Value = serde_json::from_str(text).context("not JSON")?;
    p.json_floor = t.elapsed();
    drop(value);

    let (generated, timings) = codegen::generate_timed(text, &options())?;
    p.load = timings.load;
    p.lower = timings.lower;
    p.render = timings.render;
    let lines = rust_lines(&generated.files);

    // Into an empty directory, so that every file is written.
    let t = Instant::now();
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    codegen::write(out, &generated.files)?;
    p.write = t.elapsed();
    Ok((p, lines))
}

/// Lines of the generated Rust files (not the spec copy or the manifest).
pub(super) fn rust_lines(files: &std::collections::BTreeMap<String, String>) -> usize {
    files.iter().filter(|(path, _)| path.ends_with(".rs")).map(|(_, text)| text.lines().count()).sum()
}

/// The best of `runs` runs, the lines generated and the size of the spec in bytes.
fn measure(spec: &Path, runs: usize, out: &Path) -> Result<(Phases, usize, u64)> {
    let text = std::fs::read_to_string(spec).with_context(|| format!("reading {}", spec.display()))?;
    let mut best: Option<Phases> = None;
    let mut lines = 0;
    for _ in 0..runs.max(1) {
        let (p, l) = run_once(&text, out)?;
        lines = l;
        best = Some(best.map_or(p, |b| b.min(p)));
    }
    Ok((best.expect("at least one run"), lines, text.len() as u64))
}

/// Peak resident memory of this process so far, from `/proc/self/status` (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the command.
pub fn run(flags: &BenchFlags) -> Result<()> {
    let scratch = root().join(".cache/bench");
    std::fs::create_dir_all(&scratch)?;
    if let Some(spec) = &flags.rss_of {
        measure(spec, 1, &scratch.join("rss"))?;
        println!("{}", peak_rss_kib().unwrap_or(0));
        return Ok(());
    }
    if flags.redraw {
        return draw();
    }
    if !flags.no_peer && !flags.crate_only {
        // Before minutes of measuring: the peer table needs a spec no registry carries.
        super::bench_peer::openai_spec()?;
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; run `cargo run --release -p xtask -- bench` for real numbers");
    }
    let (api, github) = crate::corpus::fetch()?;
    if flags.crate_only {
        let features = super::bench_crate::run(&scratch, &github)?;
        if flags.plot {
            super::plot::save_features(features)?;
            draw()?;
        }
        return Ok(());
    }
    let graph = api.join("microsoft.com/graph.json");
    let specs = [("Runloop", root().join("spec/runloop.yaml")), ("GitHub", github.clone()), ("Microsoft Graph", graph)];
    println!(
        "| spec | size | serde_json floor | load | lower | emit + format | write | end to end | MB/s | × floor | lines | peak RSS |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    for (name, spec) in &specs {
        let runloop_json;
        // The floor is a serde_json parse of the same document: for the YAML spec, its JSON form.
        let path = if spec.extension().is_some_and(|e| e == "yaml") {
            let value = codegen::parse(&std::fs::read_to_string(spec)?)?;
            runloop_json = scratch.join("runloop.json");
            std::fs::write(&runloop_json, serde_json::to_string_pretty(&value)?)?;
            &runloop_json
        } else {
            spec
        };
        let (p, lines, bytes) = measure(path, flags.runs, &scratch.join("out"))?;
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
    if flags.plot {
        super::plot::save_generation(corpus_times(&api, &github)?)?;
    }
    if !flags.no_check {
        let features = super::bench_crate::run(&scratch, &github)?;
        if flags.plot {
            super::plot::save_features(features)?;
        }
    }
    if !flags.no_peer {
        let checks = super::bench_peer::run(&scratch, &github, &api, flags.runs.min(3))?;
        if flags.plot {
            super::plot::save_check(checks)?;
        }
    }
    if flags.plot {
        super::plot::save_streams(super::bench_streams::run()?)?;
        draw()?;
    }
    Ok(())
}

/// Draws the charts from their latest data and lists them.
fn draw() -> Result<()> {
    for path in super::plot::draw_all()? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Every corpus spec's generation time (in process, one spec at a time, files not written), for
/// the chart of time against size.
fn corpus_times(api: &Path, github: &Path) -> Result<Vec<super::plot::Generation>> {
    let mut specs = crate::corpus::directory_specs(api)?;
    specs.push(crate::corpus::Spec { name: "api.github.com.json (@octokit/openapi)".into(), path: github.to_owned() });
    eprintln!("timing the generation of {} specs, one at a time", specs.len());
    let results = crate::corpus::run_all(&specs, 1, Duration::from_secs(120));
    let mut points = Vec::new();
    for (spec, outcome, time) in results {
        if matches!(outcome, crate::corpus::Outcome::Generated { .. }) {
            let bytes = std::fs::metadata(&spec.path)?.len();
            points.push(super::plot::Generation { spec: spec.name, bytes, secs: time.as_secs_f64() });
        }
    }
    points.sort_by(|a, b| a.spec.cmp(&b.spec));
    println!("\nGenerated {} corpus specs one at a time", points.len());
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_writes_what_the_library_generates() {
        let spec = root().join("codegen/tests/fixtures/json_input.json");
        let out = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        let (p, lines, bytes) = measure(&spec, 2, &out).unwrap();
        let text = std::fs::read_to_string(&spec).unwrap();
        let generated = codegen::generate(&text, &options()).unwrap();
        assert!(codegen::check(&out, &generated.files).unwrap().is_empty());
        let rs: usize =
            generated.files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, f)| f.lines().count()).sum();
        assert!(rs > 0 && rs < generated.files.values().map(|f| f.lines().count()).sum::<usize>());
        assert_eq!(lines, rs);
        assert_eq!(bytes, text.len() as u64);
        assert!(p.end_to_end() > Duration::ZERO && p.json_floor > Duration::ZERO);
        std::fs::remove_dir_all(&out).unwrap();
    }
}
