//! The streaming part of `cargo xtask bench --plot`: the generated Runloop client's peak memory
//! above idle while it downloads, uploads and reads event streams of growing size. The measuring
//! is `codegen/benches/streams_memory.rs` (it needs the generated crate, which xtask must not
//! depend on), run once per size; this reads the `data` lines it prints.

use std::process::Command;

use anyhow::{Context, Result, bail};

use super::plot::Stream;
use crate::{root, shell};

/// The body sizes measured, MiB.
const SIZES_MIB: &[u64] = &[16, 64, 256, 1024];

/// Runs the streams bench at every size and returns its data points.
pub fn run() -> Result<Vec<Stream>> {
    let mut points = Vec::new();
    for mib in SIZES_MIB {
        eprintln!("streams_memory at {mib} MiB");
        let out = Command::new(shell::cargo())
            .args(["bench", "-q", "-p", "codegen", "--bench", "streams_memory"])
            .env("STREAMS_MEMORY_MIB", mib.to_string())
            .current_dir(root())
            .output()
            .context("running cargo bench --bench streams_memory")?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            bail!("streams_memory at {mib} MiB failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
        }
        let found = parse(&stdout)?;
        if found.is_empty() {
            bail!("streams_memory at {mib} MiB printed no data lines:\n{stdout}");
        }
        for line in stdout.lines().filter(|l| !l.starts_with("data\t")) {
            println!("{line}");
        }
        points.extend(found);
    }
    Ok(points)
}

/// The `data\tphase\tbytes\tMiB above idle` lines of the bench's output.
fn parse(stdout: &str) -> Result<Vec<Stream>> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("data\t"))
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            let [phase, bytes, above] = fields[..] else { bail!("a data line of {} fields: {l}", fields.len()) };
            Ok(Stream { phase: phase.to_owned(), bytes: bytes.parse()?, above_idle_mb: above.parse()? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_lines_are_read_and_others_skipped() {
        let out = "idle client: peak RSS 9.0 MiB\ndata\tdownload, Download::save\t16777216\t2.500\nother\n";
        let points = parse(out).unwrap();
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].phase, "download, Download::save");
        assert_eq!(points[0].bytes, 16 << 20);
        assert!((points[0].above_idle_mb - 2.5).abs() < 1e-9);
        assert!(parse("data\tx\t1\n").is_err());
    }
}
