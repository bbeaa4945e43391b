//! `cargo xtask test`: everything CI runs (`.ci/run` calls exactly this), in order: the drift
//! check, actionlint over the workflow files, `openapi-spec-validator` over the Runloop spec (and
//! its 3.2 edition, and the 3.2 fixtures), formatting (the workspace, then the runtime template,
//! the spec's examples and the generated crate's hand-written `src/extra/`, which `cargo fmt` does
//! not see), every test with Prism, clippy, clippy, rustdoc and doctests over a crate per fixture
//! spec, the same with each per-resource feature alone (a fixture made for them, five of Runloop's
//! resources), the generator on the CI corpus subset, those specs' own examples decoded by the
//! generated types, `cargo package` of the generator library and its `rust-version`, `cargo
//! package` of the Runloop crate generated publishable, and the generated client's docs. Prism,
//! actionlint and the validator are installed first.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::flags::{CodegenFlags, CorpusFlags, ExamplesFlags, GenerateFlags};
use crate::root;
use crate::shell;

/// The hand-written runtime copied into every generated crate, one file per module: it is
/// included as text, so `cargo fmt` never sees it.
const RUNTIME_TEMPLATE: &str = "codegen/templates/runtime";

/// Runs the command.
pub fn run() -> Result<()> {
    let root = root();
    let prism = shell::install_prism(&root)?;
    let actionlint = shell::install_actionlint(&root)?;
    let cargo = shell::cargo();
    // 1. The drift check: the checked-in client matches the spec and the generator.
    let check = GenerateFlags { check: true, ..Default::default() };
    super::codegen::run(&CodegenFlags { generate: check, ..Default::default() })?;
    // 1b. The workflow files (CI, regenerate) pass actionlint.
    lint_workflows(&root, &actionlint)?;
    // 1c. The spec, its 3.2 edition and every 3.2 fixture are valid OpenAPI by an independent
    //     validator, not only by our own loader (Prism does not read 3.2 yet).
    let validator = shell::install_spec_validator(&root)?;
    shell::run(Command::new(validator).args(validated_specs(&root)?))?;
    // 2. Formatting of hand-written code (generated files opt out with rustfmt.toml / #[rustfmt::skip]).
    shell::run(Command::new(&cargo).args(["fmt", "--all", "--check"]).current_dir(&root))?;
    // 3. The same for the runtime template, the examples kept beside the spec (copied into
    //    the generated crate, where formatting is off) and the generated crate's hand-written
    //    `src/extra/` (in the crate, where formatting is off), with the workspace's rustfmt.toml.
    let examples = crate::spec_example_paths();
    let mut runtime = runtime_template_paths(&root)?;
    // The webhooks' and the mocks' templates, copied into generated crates beside their modules.
    for dir in ["codegen/templates/webhooks", "codegen/templates/mock"] {
        runtime.extend(rust_files(&root.join(dir))?);
    }
    let extra = rust_files(&root.join("generated-client").join(codegen::EXTRA_DIR))?;
    shell::run(
        Command::new("rustfmt")
            .args(["--check", "--edition", "2024", "--config-path"])
            .arg(root.join("rustfmt.toml"))
            .args(&runtime)
            .args(&examples)
            .args(&extra)
            .current_dir(&root),
    )?;
    // 4. Every test: unit, fixtures (trybuild), serde round trips, fault tests, Prism contract tests.
    shell::run(
        Command::new(&cargo)
            .args(["test", "--workspace", "--all-targets"])
            .env("PRISM_BIN", &prism)
            .env("REQUIRE_PRISM", "1")
            .current_dir(&root),
    )?;
    // 5. Lints, generated code included, warnings as errors.
    shell::run(
        Command::new(&cargo)
            .args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])
            .current_dir(&root),
    )?;
    // 6. Clippy, rustdoc and doctests over generated code for every fixture spec, not only Runloop's.
    lint_fixtures(&root, &cargo)?;
    // 6b. Per-resource features: with none, each alone and all, for the fixture made for them
    //     and for a sample of five of the Runloop client's resources.
    let fixture = root.join(".cache/fixture-crates/fixture_resource_features");
    let features = crate::features::of_crate(&cargo, &fixture)?;
    crate::features::lint_each(&cargo, &fixture, &root.join("target"), &features)?;
    let runloop = root.join("generated-client");
    let features = crate::features::of_crate(&cargo, &runloop)?;
    crate::features::lint_each(&cargo, &runloop, &root.join("target"), &crate::features::sample(&features, 5))?;
    // 7. The generator on ~20 real specs chosen for coverage (3.1, huge, recursive, unions, keywords).
    super::corpus::run(&CorpusFlags { ci: true, ..Default::default() })?;
    // 7b. The same specs' own examples validate against their schemas and decode as the
    //     generated types: strictly (or allowed in xtask/examples-allowed.txt), leniently and
    //     round-tripped.
    super::examples::run(&ExamplesFlags::default())?;
    // 7c. The generator library and the publishable Runloop crate package and build on their own;
    //     the library's rust-version, docs and doctests (see `xtask::package`).
    crate::package::check(&cargo, &root)?;
    // 8. Docs of the generated client build without warnings.
    shell::run(
        Command::new(&cargo)
            .args(["doc", "--no-deps", "-p", "runloop", "--features", codegen::MOCK_FEATURE])
            .env("RUSTDOCFLAGS", "-D warnings")
            .current_dir(&root),
    )?;
    // 8b. Every method's and accessor's example compiles (`no_run` doctests; `--all-targets`
    //     above leaves doctests out, and the crate's `doctest = false` only keeps spec prose out).
    shell::run(
        Command::new(&cargo)
            .args(["test", "-p", "runloop", "--doc", "--features", codegen::MOCK_FEATURE])
            .current_dir(&root),
    )?;
    println!("all checks passed");
    Ok(())
}

/// The documents the independent validator checks: the Runloop spec and its OpenAPI 3.2
/// edition, and every fixture spec written in 3.2 (the others include deliberately lenient ones).
fn validated_specs(root: &Path) -> Result<Vec<PathBuf>> {
    let mut specs = vec![root.join("spec/runloop.yaml"), root.join("spec/runloop-openapi-3.2.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("codegen/tests/fixtures"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    fixtures.retain(|p| {
        p.extension().is_some_and(|e| e == "yaml")
            && std::fs::read_to_string(p).is_ok_and(|text| text.starts_with("openapi: 3.2"))
    });
    fixtures.sort();
    anyhow::ensure!(!fixtures.is_empty(), "no OpenAPI 3.2 fixture found to validate");
    specs.extend(fixtures);
    Ok(specs)
}

/// Every file of the runtime template, sorted: rustfmt checks each (given `mod.rs` alone it would
/// follow its `mod` items, but a file no `mod` names would go unchecked).
fn runtime_template_paths(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join(RUNTIME_TEMPLATE);
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();
    anyhow::ensure!(files.iter().any(|p| p.ends_with("mod.rs")), "no mod.rs in {}", dir.display());
    Ok(files)
}

/// Every `.rs` file under `dir` (none when it does not exist), sorted.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Runs actionlint over every file in `.github/workflows/`.
fn lint_workflows(root: &Path, actionlint: &Path) -> Result<()> {
    let dir = root.join(".github/workflows");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"));
    files.sort();
    shell::run(Command::new("node").arg(actionlint).args(&files).current_dir(root))
}

/// Generates a crate for each fixture spec into one workspace under `.cache/` and runs clippy and
/// rustdoc with warnings denied over all of them, then their doctests (sharing the main target
/// directory, so dependencies are reused).
fn lint_fixtures(root: &Path, cargo: &str) -> Result<()> {
    let fixtures = root.join("codegen/tests/fixtures");
    let dir = root.join(".cache/fixture-crates");
    let mut members = Vec::new();
    let mut specs: Vec<PathBuf> =
        std::fs::read_dir(&fixtures)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"));
    specs.sort();
    for spec in specs {
        let stem = spec.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let name = format!("fixture_{stem}");
        // As in `codegen/tests/fixtures.rs`: a `*_as_strings` fixture keeps every typed format `String`.
        let string_formats =
            if stem.ends_with("_as_strings") { codegen::Format::ALL.into_iter().collect() } else { Default::default() };
        let options = codegen::Options { crate_name: name.clone(), string_formats, ..Default::default() };
        let text = std::fs::read_to_string(&spec)?;
        let generated = codegen::generate(&text, &options).with_context(|| format!("generating {}", spec.display()))?;
        codegen::write(&dir.join(&name), &generated.files)?;
        members.push(name);
    }
    crate::write_workspace(
        &dir,
        "Written by `cargo xtask test`: one crate per fixture spec, for clippy.",
        &members,
        "",
    )?;
    shell::run(
        Command::new(cargo)
            .args(["clippy", "--quiet", "--workspace", "--all-targets", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root.join("target"))
            .current_dir(&dir),
    )?;
    // Spec prose becomes rustdoc: it must not produce broken links, HTML or doctests.
    shell::run(
        Command::new(cargo)
            .args(["doc", "--quiet", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings")
            .env("CARGO_TARGET_DIR", root.join("target"))
            .current_dir(&dir),
    )?;
    // Every example the generator writes compiles for every fixture spec, not only Runloop's:
    // the methods' and the crate docs' `no_run` doctests, and the README's programs.
    shell::run(
        Command::new(cargo)
            .args(["test", "--quiet", "--workspace", "--doc"])
            .env("CARGO_TARGET_DIR", root.join("target"))
            .current_dir(&dir),
    )?;
    // The `mock` module is off by default: every crate again with it on.
    let mocks: Vec<String> = members.iter().map(|m| format!("{m}/{}", codegen::MOCK_FEATURE)).collect();
    shell::run(
        Command::new(cargo)
            .args(["clippy", "--quiet", "--workspace", "--all-targets", "--features", &mocks.join(",")])
            .args(["--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root.join("target"))
            .current_dir(&dir),
    )?;
    shell::run(
        Command::new(cargo)
            .args(["doc", "--quiet", "--workspace", "--no-deps", "--features", &mocks.join(",")])
            .env("RUSTDOCFLAGS", "-D warnings")
            .env("CARGO_TARGET_DIR", root.join("target"))
            .current_dir(&dir),
    )?;
    shell::run(
        Command::new(cargo)
            .args(["test", "--quiet", "--workspace", "--doc", "--features", &mocks.join(",")])
            .env("CARGO_TARGET_DIR", root.join("target"))
            .current_dir(&dir),
    )?;
    // The `webhooks` module is off by default: the crates that have one again with it on.
    for member in &members {
        let manifest = std::fs::read_to_string(dir.join(member).join("Cargo.toml"))?;
        if !manifest.lines().any(|l| l.starts_with(&format!("{} = [", codegen::WEBHOOKS_FEATURE))) {
            continue;
        }
        let with = ["--quiet", "-p", member, "--features", codegen::WEBHOOKS_FEATURE];
        let target = root.join("target");
        shell::run(
            Command::new(cargo)
                .arg("clippy")
                .args(with)
                .args(["--all-targets", "--", "-D", "warnings"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(&dir),
        )?;
        shell::run(
            Command::new(cargo)
                .arg("doc")
                .args(with)
                .arg("--no-deps")
                .env("RUSTDOCFLAGS", "-D warnings")
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(&dir),
        )?;
        shell::run(
            Command::new(cargo).arg("test").args(with).arg("--doc").env("CARGO_TARGET_DIR", &target).current_dir(&dir),
        )?;
    }
    Ok(())
}
