//! `openapi-client-gen`: the generator's installable command line (`cargo install --path cli`).
//!
//! `openapi-client-gen generate SPEC --out DIR` writes a client crate for any OpenAPI 3.0 or 3.1
//! document, or with `--check` fails with a diff when the crate on disk is stale. The command is
//! the library's `openapi_client_gen::generate`, which `cargo xtask codegen` runs too: the same
//! flags, the same messages. Exit statuses: 0 done (or up to date), 1 stale or failed, 2 bad usage.
//!
//! Must not: do anything the shared command does not (this file parses and reports).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use openapi_client_gen::{GenerateFlags, Preset};

/// mimalloc instead of the system allocator, as in xtask (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_STATUS: &str = "\
Examples:
  openapi-client-gen generate api.yaml --out my_api           # write the crate my_api/
  openapi-client-gen generate api.yaml --out my_api --check   # fail with a diff if it is stale

Exit status:
  0  the crate was written, or is up to date
  1  --check found it stale (the diff is printed), or generating or writing failed
  2  bad usage (an unknown flag, a missing argument)";

/// Generate a typed, async Rust client crate from an OpenAPI 3.0 or 3.1 document.
#[derive(Parser, Debug)]
#[command(name = "openapi-client-gen", version, after_help = EXIT_STATUS)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate a client crate from SPEC into DIR, or with --check compare it with DIR.
    ///
    /// DIR is replaced atomically, and only after the whole generation succeeded; its `src/extra/`
    /// is hand-written code, kept as it is. When DIR already holds a generated crate, the change
    /// report of the new spec against the one it records is printed, and its version and
    /// CHANGELOG.md are bumped by the report's semver level.
    #[command(after_help = EXIT_STATUS)]
    Generate {
        /// The OpenAPI document (YAML or JSON).
        spec: PathBuf,
        /// The crate directory to write (or, with --check, to compare).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        flags: GenerateFlags,
    },
}

fn main() -> ExitCode {
    // Bad usage exits with 2 here, and `--help` and `--version` with 0.
    let Command::Generate { spec, out, flags } = Cli::parse().command;
    let command = format!("openapi-client-gen generate {} --out {}", spec.display(), out.display());
    match openapi_client_gen::generate(&spec, &out, &flags, Preset::Standalone { command }) {
        Ok(()) => ExitCode::SUCCESS,
        // As `cargo xtask codegen` reports it (its `main` returns the error).
        Err(e) => {
            eprintln!("Error: {e:?}");
            ExitCode::FAILURE
        }
    }
}
