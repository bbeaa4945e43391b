//! `cargo xtask fuzz`: the generator's mutation fuzzer (`codegen/tests/fuzz.rs`, 10 s in every
//! test run) and the runtime parsers' fuzzer (`codegen/tests/fuzz_runtime.rs`, 3 s in every test
//! run), in a release build, each for as long as asked, with a given or time-based seed.

use std::process::Command;

use anyhow::Result;

use crate::flags::FuzzFlags;
use crate::root;
use crate::shell;

/// Runs the command.
pub fn run(flags: &FuzzFlags) -> Result<()> {
    let seed = flags.seed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs())
    });
    shell::run(
        Command::new(shell::cargo())
            .args([
                "test",
                "--release",
                "-p",
                "codegen",
                "--test",
                "fuzz",
                "--test",
                "fuzz_runtime",
                "--",
                "--nocapture",
            ])
            .env("FUZZ_SECONDS", flags.seconds.to_string())
            .env("FUZZ_SEED", seed.to_string())
            .current_dir(root()),
    )
}
