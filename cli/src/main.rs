//! `openapi-client-gen`: the generator's installable command line (`cargo install --path cli`).
//!
//! `openapi-client-gen generate SPEC --out DIR` writes a client crate for any OpenAPI 3.0 or 3.1
//! document, or with `--check` fails with a diff when the crate on disk is stale. The command is
//! the library's `openapi_client_gen::generate`, which `cargo xtask codegen` runs too: the same
//! flags, the same messages. `openapi-client-gen init --spec SPEC --name NAME` sets up the git
//! repository it is run in to do the same from its own `cargo xtask codegen`
//! (`openapi_client_gen::init`). Exit statuses: 0 done (or up to date), 1 stale or failed, 2 bad
//! usage.
//!
//! Must not: do anything the library does not (this file parses, resolves paths and reports).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

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
    /// Set up this git repository to generate a client crate from SPEC with `cargo xtask codegen`.
    ///
    /// Writes a workspace (or joins the existing one), an `xtask` crate of a few lines calling
    /// this generator's library, the `xtask` alias in `.cargo/config.toml`, the crate NAME/, a CI
    /// workflow running the drift check (`cargo xtask codegen --check`) and one that opens a pull
    /// request when the spec changes. It refuses to overwrite anything that exists, naming the file.
    #[command(after_help = EXIT_STATUS)]
    Init {
        /// The OpenAPI document (YAML or JSON), inside the repository.
        #[arg(long)]
        spec: PathBuf,
        /// The crate name, also its directory at the repository root.
        #[arg(long)]
        name: String,
        /// Make the xtask depend on the generator from this git repository. Default: the checkout
        /// this binary was built from, by path.
        #[arg(long, value_name = "URL")]
        generator_git: Option<String>,
    },
}

fn main() -> ExitCode {
    // Bad usage exits with 2 here, and `--help` and `--version` with 0.
    let result = match Cli::parse().command {
        Command::Generate { spec, out, flags } => {
            let command = format!("openapi-client-gen generate {} --out {}", spec.display(), out.display());
            openapi_client_gen::generate(&spec, &out, &flags, Preset::Standalone { command })
        }
        Command::Init { spec, name, generator_git } => init(&spec, name, generator_git),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // As `cargo xtask codegen` reports it (its `main` returns the error).
        Err(e) => {
            eprintln!("Error: {e:?}");
            ExitCode::FAILURE
        }
    }
}

/// `init` in the repository the current directory is in.
fn init(spec: &Path, name: String, generator_git: Option<String>) -> anyhow::Result<()> {
    let root = openapi_client_gen::init::repository_root(&std::env::current_dir()?)?;
    let spec_path = spec.canonicalize().with_context(|| format!("reading {}", spec.display()))?;
    let relative = spec_path.strip_prefix(root.canonicalize()?).map_err(|_| {
        anyhow::anyhow!("{} is outside the repository {}: CI could not read it", spec.display(), root.display())
    })?;
    let generator = match generator_git {
        Some(url) => format!("{{ git = {url:?} }}"),
        None => {
            // The checkout `cargo install --path cli` built this binary from.
            let source = Path::new(env!("CARGO_MANIFEST_DIR"));
            anyhow::ensure!(
                source.join("Cargo.toml").exists(),
                "{} (where this binary was built from) is gone: pass --generator-git URL",
                source.display()
            );
            format!("{{ path = {:?} }}", source.display().to_string())
        }
    };
    let spec = relative.to_string_lossy().replace('\\', "/");
    let written = openapi_client_gen::init::init(&openapi_client_gen::init::Init { root, spec, name, generator })?;
    for file in &written {
        println!("wrote    {file}");
    }
    println!("next: cargo xtask codegen --check   # passes now; fails with a diff once the spec changes");
    Ok(())
}
