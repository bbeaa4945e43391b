//! `cargo xtask bench`: codegen speed per phase and end to end, peak memory, and the size and
//! `cargo check` time of the generated GitHub crate. Client benchmarks are criterion benches in
//! `codegen/benches/client.rs` (they need the generated crate, which xtask must not depend on).
//!
//! Each phase is timed over several runs and the minimum is reported (the least disturbed run);
//! the floor is `serde_json::from_str::<Value>` of the same file.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// Times of one generation, by phase.
#[derive(Clone, Copy, Debug, Default)]
pub struct Phases {
    /// `serde_json` parse alone (the floor).
    pub json_floor: Duration,
    /// Load: parse + normalise + type with `openapiv3`.
    pub load: Duration,
    /// Lower to the IR.
    pub lower: Duration,
    /// Emit token streams and format them with prettyplease (overlapping: the types are emitted
    /// and formatted in two halves on two threads).
    pub render: Duration,
    /// Write the crate to disk (atomic swap).
    pub write: Duration,
}

impl Phases {
    /// Load through write.
    pub fn end_to_end(&self) -> Duration {
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

/// Runs every phase once on `text`, writing to `out`.
pub fn run_once(text: &str, out: &Path) -> Result<(Phases, usize)> {
    let mut p = Phases::default();
    let t = Instant::now();
    let value: serde_json::Value = serde_json::from_str(text).context("not JSON")?;
    p.json_floor = t.elapsed();
    drop(value);

    let t = Instant::now();
    let loaded = codegen::load::load(text)?;
    p.load = t.elapsed();

    let t = Instant::now();
    let (ir, _warnings) = codegen::lower::lower(&loaded.api, &loaded.raw, &loaded.original)?;
    p.lower = t.elapsed();

    let t = Instant::now();
    let options = codegen::emit::EmitOptions { crate_name: "bench", env_prefix: "BENCH" };
    let emitted = codegen::emit::emit(&ir, &options);
    let example = codegen::emit::example(&ir, &options);
    let info = codegen::render::CrateInfo {
        crate_name: "bench",
        version: "0.1.0",
        description: "bench".into(),
        command: "cargo xtask bench",
    };
    let files = codegen::render::crate_files(&ir, emitted, example, &info)?;
    p.render = t.elapsed();
    let lines = files.values().map(|f| f.lines().count()).sum();

    let t = Instant::now();
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    codegen::sync::write(out, &files)?;
    p.write = t.elapsed();
    Ok((p, lines))
}

/// The best of `runs` runs.
pub fn measure(spec: &Path, runs: usize, out: &Path) -> Result<(Phases, usize, u64)> {
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
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
