//! An OpenAPI 3.0/3.1 → Rust client generator.
//!
//! The pipeline has one (private) module per stage:
//!
//! 1. `load`: YAML/JSON text → normalised `openapiv3` document (3.1 spellings rewritten, every
//!    keyword accounted for);
//! 2. `lower`: document → the intermediate representation `ir::Ir` (named, deduplicated types
//!    and operations);
//! 3. `emit`: IR → token streams with `quote`;
//! 4. `render`: token streams → prettyplease-formatted files with a "generated" header;
//! 5. `sync`: compare with or atomically replace the files on disk ([`check`], [`write`]).
//!
//! [`generate`] runs 1–4. Every failure is an [`Error`] carrying the JSON pointer of its cause;
//! every interpretation is a [`Warning`]. ARCHITECTURE.md at the repository root has the map.

#![deny(missing_docs)]

mod coverage;
mod diagnostics;
mod emit;
mod error;
mod ir;
mod load;
mod lower;
mod naming;
mod render;
mod sync;

use std::collections::BTreeMap;

pub use coverage::Coverage;
use diagnostics::Diagnostics;
pub use error::{Error, Pointer, Warning};
pub use load::parse;
pub use sync::{Changes, IoError, check, write};

/// How to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Package and library name of the generated crate (snake_case or kebab-case).
    pub crate_name: String,
    /// Package version of the generated crate.
    pub version: String,
    /// Prefix of the environment variables the client reads; default: the crate name in SHOUTY_CASE.
    pub env_prefix: Option<String>,
    /// The command that regenerates the output, written into every file's header.
    pub command: String,
    /// Treat warnings as errors.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            crate_name: "api_client".into(),
            version: "0.1.0".into(),
            env_prefix: None,
            command: "cargo xtask codegen".into(),
            strict: false,
        }
    }
}

/// The output of a generation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// File contents keyed by path relative to the crate root (`src/lib.rs`, `Cargo.toml`, ...).
    pub files: BTreeMap<String, String>,
    /// What the generator interpreted or passed over.
    pub warnings: Vec<Warning>,
    /// Operations per kind of request body and response, and operations left out per cause.
    pub coverage: Coverage,
}

/// The lowered spec, with its warnings: stages 1 and 2.
fn lower_spec(spec: &str, options: &Options) -> Result<(ir::Ir, Vec<Warning>), Error> {
    let mut diag = Diagnostics::default();
    let loaded = load::load(spec, &mut diag)?;
    lower_loaded(loaded, diag, options)
}

fn lower_loaded(
    loaded: load::Loaded,
    mut diag: Diagnostics,
    options: &Options,
) -> Result<(ir::Ir, Vec<Warning>), Error> {
    let ir = lower::lower(&loaded.api, &loaded.raw, &loaded.original, &mut diag)?;
    let warnings = diag.finish();
    if options.strict && !warnings.is_empty() {
        return Err(Error::Strict(warnings));
    }
    Ok((ir, warnings))
}

fn names(options: &Options) -> (String, String) {
    let lib = options.crate_name.replace('-', "_");
    let env = options.env_prefix.clone().unwrap_or_else(|| heck::ToShoutySnakeCase::to_shouty_snake_case(lib.as_str()));
    (lib, env)
}

/// How long each stage of one generation took, for benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    /// Parse, normalise and type the document.
    pub load: std::time::Duration,
    /// Lower it to the intermediate representation.
    pub lower: std::time::Duration,
    /// Emit token streams and format them into files (the types on two threads, overlapping the rest).
    pub render: std::time::Duration,
}

/// Generates a complete crate from spec text (YAML or JSON).
pub fn generate(spec: &str, options: &Options) -> Result<Generated, Error> {
    generate_timed(spec, options).map(|(generated, _)| generated)
}

/// [`generate`], also reporting how long each stage took.
pub fn generate_timed(spec: &str, options: &Options) -> Result<(Generated, Timings), Error> {
    let mut timings = Timings::default();
    let started = std::time::Instant::now();
    let mut diag = Diagnostics::default();
    let loaded = load::load(spec, &mut diag)?;
    timings.load = started.elapsed();
    let started = std::time::Instant::now();
    let (ir, warnings) = lower_loaded(loaded, diag, options)?;
    timings.lower = started.elapsed();
    let started = std::time::Instant::now();
    let (lib, env) = names(options);
    let emit_options = emit::EmitOptions { crate_name: &lib, env_prefix: &env };
    let emitted = emit::emit(&ir, &emit_options);
    let example = emit::example(&ir, &emit_options);
    let info = render::CrateInfo {
        crate_name: &options.crate_name,
        version: &options.version,
        description: format!("Rust client for the {} API, generated from its OpenAPI description.", ir.title.trim()),
        command: &options.command,
    };
    let files = render::crate_files(&ir, emitted, example, &info)?;
    timings.render = started.elapsed();
    let coverage = Coverage::of(&ir, &warnings);
    Ok((Generated { files, warnings, coverage }, timings))
}

/// Generates the single-file form used by fixture tests: the crate's modules inline, the runtime
/// included from `runtime_path`, and a `main`, so the file compiles on its own.
pub fn generate_fixture(spec: &str, options: &Options, runtime_path: &str) -> Result<String, Error> {
    let (ir, _) = lower_spec(spec, options)?;
    let (lib, env) = names(options);
    let emitted = emit::emit(&ir, &emit::EmitOptions { crate_name: &lib, env_prefix: &env });
    render::fixture_file(&ir, emitted, runtime_path, &options.command)
}
