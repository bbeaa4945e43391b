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
//! 5. `sync`: compare with or atomically replace the files on disk ([`check`], [`write()`]).
//!
//! [`generate`] runs 1–4. Every failure is an [`Error`] carrying the JSON pointer of its cause;
//! every interpretation is a [`Warning`]. ARCHITECTURE.md at the repository root has the map.
//!
//! # The public API
//!
//! - [`generate`]: spec text and [`Options`] → the files of a crate ([`Generated`]);
//! - [`previous`], [`regenerate`]: what a crate on disk records of its last generation, and a
//!   regeneration against it (the change [`Report`], the version bump, the changelog entry);
//! - [`check`], [`write()`]: compare the files with a directory (the drift check), or replace the
//!   directory atomically; hand-written files under [`EXTRA_DIR`] are never touched;
//! - [`compare`]: the change report between two specs; [`parse`]: YAML or JSON text as the
//!   generator reads it.
//!
//! The `openapi-client-gen` crate of the same repository is the command line over these, with
//! the same flags as the repository's own `cargo xtask codegen`.
//!
//! # Example
//!
//! A build tool (an `xtask`, say) regenerating a client crate, or checking it for drift:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let spec = "openapi: 3.0.3
//! info: {title: Pets, version: '1'}
//! paths:
//!   /pets/{id}:
//!     get:
//!       operationId: getPet
//!       parameters: [{name: id, in: path, required: true, schema: {type: string}}]
//!       responses: {'200': {description: OK}}
//! ";
//! let dir = std::env::temp_dir().join(format!("codegen-doc-crate-{}", std::process::id()));
//! let options = codegen::Options { crate_name: "pets".into(), strict: true, ..Default::default() };
//! let previous = codegen::previous(&dir)?; // nothing yet: a new crate
//! let regenerated = codegen::regenerate(spec, &previous, &options, true)?;
//! let written = codegen::write(&dir, &regenerated.generated.files)?;
//! assert!(written.added.contains(&"src/lib.rs".to_owned()));
//! // The drift check: nothing differs until the spec (or the generator) changes.
//! assert!(codegen::check(&dir, &regenerated.generated.files)?.is_empty());
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod coverage;
mod diagnostics;
mod emit;
mod error;
mod facts;
mod ir;
#[cfg(test)]
mod layers;
mod load;
mod lower;
mod naming;
mod options;
mod release;
mod render;
mod report;
mod sync;

use std::collections::BTreeMap;

pub use coverage::Coverage;
use diagnostics::Diagnostics;
pub use error::{Error, Pointer, Warning};

/// The cargo feature of a generated crate's `webhooks` module (its spec's webhooks as typed
/// events, and their signature checks), off by default; only crates whose spec has webhooks have it.
pub const WEBHOOKS_FEATURE: &str = emit::WEBHOOKS;

/// The cargo feature of a generated crate's `mock` module (a typed mock server for tests of code
/// that uses the client), off by default; every generated crate has it.
pub const MOCK_FEATURE: &str = emit::MOCK;
pub use load::parse;
pub use options::{EXTRA_DIR, Format, Options, Publish};
pub use release::Previous;
pub use report::{Bump, Change, Report};
pub use sync::{Changes, IoError, check, previous, write};

/// The output of a generation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// File contents keyed by path relative to the crate root (`src/lib.rs`, `Cargo.toml`, ...).
    pub files: BTreeMap<String, String>,
    /// What the generator interpreted or passed over.
    pub warnings: Vec<Warning>,
    /// The generated operations, in the order of the generated code.
    pub operations: Vec<OperationSummary>,
    /// Operations per kind of request body and response, and operations left out per cause.
    pub coverage: Coverage,
    /// The generated type of each component schema (`#/components/schemas/Pet` → `Pet`, in the
    /// crate's `types` module), by the schema's JSON pointer: for tools that read values of a
    /// schema with the generated crate, such as the check of the spec's own examples.
    pub schema_types: BTreeMap<String, String>,
}

/// One generated operation, for reports: what the corpus and benchmarks count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationSummary {
    /// The `operationId` (or method and path where the spec has none).
    pub id: String,
    /// HTTP method and path template, e.g. `GET /v1/devboxes`.
    pub route: String,
    /// For a paged list, how the next page is asked for: `after_last`, `token`, `offset`, `page`
    /// or `link`.
    pub pagination: Option<&'static str>,
}

fn summary(op: &ir::Operation) -> OperationSummary {
    let path = op.path_template();
    let pagination = op.pagination.as_ref().map(|p| match p.style {
        ir::PageStyle::AfterLast { .. } => "after_last",
        ir::PageStyle::Token { .. } => "token",
        ir::PageStyle::Offset { .. } => "offset",
        ir::PageStyle::PageNumber { .. } => "page",
        ir::PageStyle::Link => "link",
    });
    OperationSummary { id: op.id.clone(), route: format!("{} {path}", op.http_method), pagination }
}

/// [`Generated::schema_types`].
fn schema_types(ir: &ir::Ir) -> BTreeMap<String, String> {
    ir.types
        .iter()
        .filter(|t| t.pointer.component_schema().is_some())
        .map(|t| (t.pointer.to_string(), t.name.clone()))
        .collect()
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
    let ir = lower::lower(&loaded.api, &loaded.raw, &loaded.original, &options.string_formats, &mut diag)?;
    let warnings = diag.finish();
    if options.strict && !warnings.is_empty() {
        return Err(Error::Strict(warnings));
    }
    Ok((ir, warnings))
}

/// The library name and the environment variables' prefix; an [`Error::CrateName`] when the
/// crate name cannot name a library (names are refused, not changed).
fn names(options: &Options) -> Result<(String, String), Error> {
    let name = &options.crate_name;
    if let Some((problem, suggestion)) = naming::crate_name_problem(name, emit::DEPENDENCIES) {
        return Err(Error::CrateName { name: name.clone(), problem, suggestion });
    }
    let lib = name.replace('-', "_");
    let env = options.env_prefix.clone().unwrap_or_else(|| heck::ToShoutySnakeCase::to_shouty_snake_case(lib.as_str()));
    let valid = env.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && env.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        return Err(Error::Option(format!(
            "environment variable prefix `{env}`: expected letters, digits and `_`, not starting with a digit"
        )));
    }
    Ok((lib, env))
}

/// The links of a published crate: as given, else from the spec (`externalDocs.url`, else
/// `info.contact.url`, for the home page), else the crate's docs.rs page (documentation).
fn publish_urls(publish: &Publish, api: &openapiv3::OpenAPI, lib: &str) -> Publish {
    let from_spec = api.external_docs.as_ref().map(|d| d.url.clone()).filter(|u| !u.is_empty());
    let contact = api.info.contact.as_ref().and_then(|c| c.url.clone()).filter(|u| !u.is_empty());
    Publish {
        repository: publish.repository.clone(),
        homepage: publish.homepage.clone().or(from_spec).or(contact),
        documentation: Some(publish.documentation.clone().unwrap_or_else(|| format!("https://docs.rs/{lib}"))),
    }
}

/// How long each stage of one generation took, for benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    /// Parse, normalise and type the document.
    pub load: std::time::Duration,
    /// Lower it to the intermediate representation.
    pub lower: std::time::Duration,
    /// Emit token streams and format them into files (large files in pieces, on every core).
    pub render: std::time::Duration,
}

/// Generates a complete crate from spec text (YAML or JSON): its files, the warnings and what was
/// generated. Nothing is written: see [`write()`].
///
/// # Example
///
/// ```
/// let spec = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
/// let generated = codegen::generate(spec, &codegen::Options::default()).unwrap();
/// assert!(generated.files["Cargo.toml"].contains("name = \"api_client\""));
/// assert!(generated.warnings.is_empty());
///
/// // A spec that is not OpenAPI 3 is an error saying what was found.
/// let error = codegen::generate("swagger: '2.0'\n", &codegen::Options::default()).unwrap_err();
/// assert!(error.to_string().contains("Swagger 2.0"), "{error}");
/// ```
pub fn generate(spec: &str, options: &Options) -> Result<Generated, Error> {
    generate_timed(spec, options).map(|(generated, _)| generated)
}

/// [`generate`], also reporting how long each stage took.
///
/// # Example
///
/// ```
/// let spec = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
/// let (generated, timings) = codegen::generate_timed(spec, &codegen::Options::default()).unwrap();
/// println!("{} files; load {:?}, lower {:?}, render {:?}", generated.files.len(), timings.load, timings.lower, timings.render);
/// ```
pub fn generate_timed(spec: &str, options: &Options) -> Result<(Generated, Timings), Error> {
    generate_release(spec, options, &Previous::default(), true).map(|(r, t)| (r.generated, t))
}

/// A regeneration: the files, and what it changed compared with the previous one.
#[derive(Clone, Debug)]
pub struct Regenerated {
    /// The crate's files (the spec copy, `Cargo.toml` with [`Regenerated::version`] and
    /// `CHANGELOG.md` included).
    pub generated: Generated,
    /// The public API changes since the recorded spec; `None` when the spec is the recorded one
    /// or nothing was recorded.
    pub report: Option<Report>,
    /// The version before: the recorded one, else [`Options::version`].
    pub old_version: String,
    /// The version written: bumped by the report's level when the spec changed (unless told
    /// not to bump).
    pub version: String,
}

/// Regenerates a crate whose previous generation is `previous` (see [`previous`]): compares the
/// recorded spec with `spec`, and when they differ and `bump` is set, applies the report's semver
/// level to the version and prepends a `CHANGELOG.md` entry. The same inputs give the same files.
/// The crate root declares `pub mod extra;` when `previous` has hand-written files.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let old = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {id: {type: string}}}\n";
/// let new = old.replace("id: {type: string}", "id: {type: string}, name: {type: string}");
/// let dir = std::env::temp_dir().join(format!("codegen-doc-regenerate-{}", std::process::id()));
/// let options = codegen::Options::default();
/// let first = codegen::regenerate(old, &codegen::previous(&dir)?, &options, true)?;
/// codegen::write(&dir, &first.generated.files)?;
/// // The crate records the spec, version and changelog it was generated with.
/// let second = codegen::regenerate(&new, &codegen::previous(&dir)?, &options, true)?;
/// assert_eq!((first.version.as_str(), second.version.as_str()), ("0.1.0", "0.1.1"));
/// assert_eq!(second.report.as_ref().map(codegen::Report::semver), Some(codegen::Bump::Minor));
/// assert!(second.generated.files["CHANGELOG.md"].contains("## 0.1.1"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
pub fn regenerate(spec: &str, previous: &Previous, options: &Options, bump: bool) -> Result<Regenerated, Error> {
    generate_release(spec, options, previous, bump).map(|(r, _)| r)
}

fn generate_release(
    spec: &str,
    options: &Options,
    previous: &Previous,
    bump: bool,
) -> Result<(Regenerated, Timings), Error> {
    let mut timings = Timings::default();
    let (lib, env) = names(options)?;
    let started = std::time::Instant::now();
    let mut diag = Diagnostics::default();
    let loaded = load::load(spec, &mut diag)?;
    let publish = options.publish.as_ref().map(|p| publish_urls(p, &loaded.api, &lib));
    timings.load = started.elapsed();
    let started = std::time::Instant::now();
    let (ir, warnings) = lower_loaded(loaded, diag, options)?;
    timings.lower = started.elapsed();
    let report = match &previous.spec {
        Some(old) if old != spec => {
            let lenient = Options { strict: false, ..options.clone() };
            let (old, _) = lower_spec(old, &lenient).map_err(|e| Error::Previous {
                message: format!(
                    "the recorded spec ({}) does not generate any more, so there is nothing to compare with \
                     (remove it to regenerate without a report): {e}",
                    release::spec_file(old)
                ),
            })?;
            Some(report::compare(&old, &ir))
        }
        _ => None,
    };
    let api = format!("{} {}", ir.title.trim(), ir.api_version.trim());
    let release = release::plan(previous, &options.version, &api, report.as_ref(), bump)?;
    let started = std::time::Instant::now();
    let facts = facts::Facts::of(&ir);
    let features = emit::ResourceFeatures::new(&ir, &facts);
    let emit_options =
        emit::EmitOptions { crate_name: &lib, env_prefix: &env, features: Some(&features), facts: &facts };
    let emitted = emit::emit(&ir, &emit_options);
    let example = emit::example(&ir, &emit_options);
    let info = render::CrateInfo {
        features: &features,
        facts: &facts,
        example_feature: emit::example_resource(&ir).and_then(|r| features.of_resource(r)),
        crate_name: &options.crate_name,
        version: &release.version,
        description: format!("Rust client for {}, generated from its OpenAPI description.", ir.api_phrase()),
        command: &options.command,
        examples: &options.examples,
        spec,
        changelog: &release.changelog,
        readme: emit::readme(&ir, &emit_options),
        extra: !previous.hand_written.is_empty(),
        publish,
    };
    let files = render::crate_files(&ir, emitted, example, &info)?;
    timings.render = started.elapsed();
    let operations = ir.operations.iter().map(summary).collect();
    let coverage = Coverage::of(&ir, &warnings);
    let old_version = previous.version.clone().unwrap_or_else(|| options.version.clone());
    let generated = Generated { files, warnings, operations, coverage, schema_types: schema_types(&ir) };
    let regenerated = Regenerated { generated, report, old_version, version: release.version };
    Ok((regenerated, timings))
}

/// Generates the single-file form used by fixture tests: the crate's modules inline, the runtime
/// included from `runtime_path`, and a `main`, so the file compiles on its own.
///
/// Hidden from the documentation: it is this repository's test form (`tests/fixtures.rs`,
/// `tests/report_claims.rs` compile its output with trybuild), not an interface for users, who
/// get a crate from [`generate`]. Integration tests can reach only public items, hence `pub`.
#[doc(hidden)]
pub fn generate_fixture(spec: &str, options: &Options, runtime_path: &str) -> Result<String, Error> {
    let (lib, env) = names(options)?;
    let (ir, _) = lower_spec(spec, options)?;
    let facts = facts::Facts::of(&ir);
    let emitted =
        emit::emit(&ir, &emit::EmitOptions { crate_name: &lib, env_prefix: &env, features: None, facts: &facts });
    render::fixture_file((&ir, &facts), emitted, runtime_path, &options.command)
}

/// What regenerating from `new` instead of `old` (spec texts) changes in the generated crate's
/// public API, each change with the semver level it needs (the rules are in `report/mod.rs`).
/// Warnings are ignored; `options.strict` is not.
///
/// # Example
///
/// ```
/// let old = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, required: [id], properties: {id: {type: string}}}\n";
/// let new = old.replace("required: [id], ", "");
/// let report = codegen::compare(old, &new, &codegen::Options::default()).unwrap();
/// assert_eq!(report.semver(), codegen::Bump::Major); // `Pet::id` is an `Option` now
/// assert!(report.changes.iter().any(|c| c.is_breaking()));
/// println!("{}", report.markdown("API changes"));
/// ```
pub fn compare(old: &str, new: &str, options: &Options) -> Result<Report, Error> {
    let (old, _) = lower_spec(old, options)?;
    let (new, _) = lower_spec(new, options)?;
    Ok(report::compare(&old, &new))
}

#[cfg(test)]
mod tests {
    /// An inline type that something lowered inside it refers to (here `c.back`, through a
    /// `$ref` into the document) is never merged into a type of the same shape (here `y`, made
    /// inside it too): what refers to it holds its id. Every id in the model is defined.
    #[test]
    fn a_type_referred_to_from_inside_is_never_merged() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                    Root:\n      type: object\n      properties:\n        x:\n          type: object\n          \
                    properties:\n            c:\n              type: object\n              properties:\n                \
                    back: {$ref: '#/components/schemas/Root/properties/x'}\n                y:\n                  \
                    type: object\n                  properties:\n                    \
                    c: {$ref: '#/components/schemas/Root/properties/x/properties/c'}\n";
        let (ir, _) = crate::lower_spec(spec, &crate::Options::default()).unwrap();
        for t in ir.types.iter() {
            let mut ids = Vec::new();
            t.kind.ids(&mut ids);
            for id in ids {
                assert!(ir.types.position(id).is_some(), "{} refers to {id:?}, which is not defined", t.name);
            }
        }
        let names: Vec<&str> = ir.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Root", "RootX", "RootXC", "RootXcY"]);
        crate::generate(spec, &crate::Options::default()).unwrap();
    }

    /// A crate asked to be publishable has no `publish = false` and its links: given, from the
    /// spec (`externalDocs` before `info.contact`), or docs.rs; others keep `publish = false`.
    #[test]
    fn publishable_crates_have_their_links() {
        let spec =
            "openapi: 3.0.3\ninfo: {title: t, version: '1', contact: {url: 'https://contact.example'}}\npaths: {}\n";
        let manifest = |spec: &str, publish: Option<crate::Publish>| {
            let options = crate::Options { crate_name: "pets".into(), publish, ..Default::default() };
            crate::generate(spec, &options).unwrap().files["Cargo.toml"].clone()
        };
        assert!(manifest(spec, None).contains("readme = \"README.md\"\npublish = false\n"));
        let given = crate::Publish { repository: Some("https://git.example/pets".into()), ..Default::default() };
        let toml = manifest(spec, Some(given));
        assert!(!toml.contains("publish = false"), "{toml}");
        assert!(
            toml.contains("repository = \"https://git.example/pets\"\nhomepage = \"https://contact.example\"\ndocumentation = \"https://docs.rs/pets\"\n"),
            "{toml}"
        );
        let with_docs = format!("{spec}externalDocs: {{url: 'https://docs.example'}}\n");
        let toml = manifest(&with_docs, Some(crate::Publish::default()));
        assert!(toml.contains("homepage = \"https://docs.example\"\n") && !toml.contains("repository"), "{toml}");
    }

    /// Each warning is produced once: loading normalises every schema once and lowering takes the
    /// typed component schemas as they are, so on the fixtures (which warn about much) the
    /// collector's de-duplication removes nothing.
    #[test]
    fn warnings_are_produced_once() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut specs: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        specs.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"));
        specs.sort();
        let mut texts: Vec<(String, String)> =
            specs.iter().map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap())).collect();
        // A referenced component schema with a keyword the normaliser reports: once, not once
        // when loading and again when the `$ref` is resolved.
        texts.push((
            "a $ref to a component with an unknown keyword".into(),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
             A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n    \
             B: {type: string, frobnicate: 1}\n"
                .into(),
        ));
        let mut warned = 0;
        for (name, text) in texts {
            let mut diag = crate::diagnostics::Diagnostics::default();
            let loaded = crate::load::load(&text, &mut diag).unwrap();
            let options = crate::options::Options::default();
            crate::lower::lower(&loaded.api, &loaded.raw, &loaded.original, &options.string_formats, &mut diag)
                .unwrap();
            assert_eq!(diag.repeated(), 0, "{name}: a warning was produced twice");
            warned += diag.finish().len();
        }
        assert!(warned > 10, "the fixtures should exercise warnings; {warned} seen");
    }
}
