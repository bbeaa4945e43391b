//! An OpenAPI 3.0/3.1 → Rust client generator.
//!
//! The pipeline has one module per stage:
//!
//! 1. [`load`]: YAML/JSON text → normalised `openapiv3` document (3.1 spellings rewritten, every
//!    keyword accounted for);
//! 2. [`lower`]: document → [`ir::Ir`] (named, deduplicated types and operations);
//! 3. [`emit`]: IR → token streams with `quote`;
//! 4. [`render`]: token streams → prettyplease-formatted files with a "generated" header;
//! 5. [`sync`]: compare with or atomically replace the files on disk.
//!
//! [`generate`] runs 1–4. Every failure is an [`Error`] carrying the JSON pointer of its cause.

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod render;
pub mod sync;

use std::collections::BTreeMap;

pub use error::{Error, Pointer, Warning};

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
}

/// The lowered spec, with its warnings: stages 1 and 2.
pub fn lower_spec(spec: &str, options: &Options) -> Result<(ir::Ir, Vec<Warning>), Error> {
    let loaded = load::load(spec)?;
    let (ir, mut warnings) = lower::lower(&loaded.api, &loaded.raw, &loaded.original)?;
    warnings.extend(loaded.warnings);
    warnings.sort();
    warnings.dedup();
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

/// Generates a complete crate from spec text (YAML or JSON).
pub fn generate(spec: &str, options: &Options) -> Result<Generated, Error> {
    let (ir, warnings) = lower_spec(spec, options)?;
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
    Ok(Generated { files, warnings })
}

/// Generates the single-file form used by fixture tests (see [`render::fixture_file`]).
pub fn generate_fixture(spec: &str, options: &Options, runtime_path: &str) -> Result<String, Error> {
    let (ir, _) = lower_spec(spec, options)?;
    let (lib, env) = names(options);
    let emitted = emit::emit(&ir, &emit::EmitOptions { crate_name: &lib, env_prefix: &env });
    render::fixture_file(&ir, emitted, runtime_path, &options.command)
}
