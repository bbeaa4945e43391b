//! `cargo xtask codegen`: generate a client crate from a spec and write it, or with `--check`
//! compare it with what is on disk. With neither `--spec` nor `--out`, the Runloop client:
//! `spec/runloop.yaml` → `generated-client/`, strict.
//!
//! Both print the API change report: what the new spec changes in the crate's public API compared
//! with the spec the crate on disk records (`openapi.yaml`), each change marked breaking or
//! compatible (`codegen::compare`'s rules). Writing applies the report's semver level to the
//! crate's version and prepends a CHANGELOG.md entry (`--no-bump` keeps both); `--check` fails
//! when anything, version and changelog included, would change. `--report FILE` writes the report
//! as Markdown; under GitHub Actions (`GITHUB_OUTPUT` set) the step outputs `changed`, `semver`
//! and `version` are written too, for the regenerate workflow's pull request.
//!
//! Hand-written files under `src/extra/` (`codegen::EXTRA_DIR`) are neither compared nor written:
//! both name them apart, and a write carries them into the new generation unchanged.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::flags::CodegenFlags;
use crate::root;

/// Runs the command.
pub fn run(flags: &CodegenFlags) -> Result<()> {
    let default = flags.spec.is_none() && flags.out.is_none();
    // The workspace is looked up only for what is not given: `--spec` and `--out` together work
    // anywhere.
    let spec = flags.spec.clone().unwrap_or_else(|| root().join("spec/runloop.yaml"));
    let out = flags.out.clone().unwrap_or_else(|| root().join("generated-client"));
    let mut options = if default { crate::runloop_options() } else { codegen::Options::default() };
    // A name taken from the directory is a guess: if the library refuses it and knows a valid
    // one close to it (`MyClient` → `myclient`), that is used, with a note. An explicit `--name`
    // is used as given or refused.
    let mut from_dir = false;
    if let Some(name) = &flags.name {
        options.crate_name = name.clone();
    } else if !default {
        let dir = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        options.crate_name = if dir.is_empty() { "api_client".into() } else { dir };
        from_dir = true;
    }
    options.strict |= flags.strict;
    options.string_formats = string_formats(&flags.string_formats)?;
    if let Some(prefix) = &flags.env_prefix {
        options.env_prefix = Some(prefix.clone());
    }
    if !default {
        options.command = format!("cargo xtask codegen --spec {} --out {}", spec.display(), out.display());
        if let Some(name) = &flags.name {
            options.command.push_str(&format!(" --name {name}"));
        }
        if let Some(prefix) = &flags.env_prefix {
            options.command.push_str(&format!(" --env-prefix {prefix}"));
        }
        if flags.strict {
            options.command.push_str(" --strict");
        }
    }
    if !options.string_formats.is_empty() {
        let names: Vec<&str> = options.string_formats.iter().map(|f| f.as_str()).collect();
        options.command.push_str(&format!(" --string-formats {}", names.join(",")));
    }
    let text = std::fs::read_to_string(&spec).with_context(|| format!("reading {}", spec.display()))?;
    let previous = codegen::previous(&out)?;
    let regenerated = match codegen::regenerate(&text, &previous, &options, !flags.no_bump) {
        Err(codegen::Error::CrateName { name, problem, suggestion: Some(suggestion) }) if from_dir => {
            eprintln!(
                "note: the directory name `{name}` is not a valid crate name: {problem}.\nnote: the crate is called `{suggestion}` (pass --name to choose)"
            );
            options.crate_name = suggestion;
            codegen::regenerate(&text, &previous, &options, !flags.no_bump)
        }
        other => other,
    }
    .with_context(|| format!("generating from {}", spec.display()))?;
    for w in &regenerated.generated.warnings {
        eprintln!("warning: {}: {w}", spec.display());
    }
    let report = report_markdown(&options.crate_name, &regenerated);
    if regenerated.report.is_some() {
        print!("{report}");
    }
    if let Some(path) = &flags.report {
        std::fs::write(path, &report).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Ok(path) = std::env::var("GITHUB_OUTPUT")
        && !path.is_empty()
    {
        append(Path::new(&path), &github_outputs(&regenerated))?;
    }
    let files = &regenerated.generated.files;
    if flags.check {
        let changes = codegen::check(&out, files)?;
        if changes.is_empty() {
            println!("{} is up to date with {}{}", out.display(), spec.display(), hand_written_note(&changes));
            return Ok(());
        }
        print!("{}", changes.render());
        bail!("{} is stale: run `cargo xtask codegen` and commit the result", out.display());
    }
    let changes = codegen::write(&out, files)?;
    if changes.is_empty() {
        println!("{} is up to date{}", out.display(), hand_written_note(&changes));
    } else {
        for f in &changes.added {
            println!("created  {}", out.join(f).display());
        }
        for (f, _) in &changes.changed {
            println!("updated  {}", out.join(f).display());
        }
        for f in &changes.removed {
            println!("removed  {}", out.join(f).display());
        }
        for f in &changes.hand_written {
            println!("kept     {} (hand-written)", out.join(f).display());
        }
    }
    Ok(())
}

/// What an unchanged crate's hand-written files were: not compared, not written.
fn hand_written_note(changes: &codegen::Changes) -> String {
    match changes.hand_written.len() {
        0 => String::new(),
        n => format!(
            " (not compared: {n} hand-written file{} in {}/)",
            if n == 1 { "" } else { "s" },
            codegen::EXTRA_DIR
        ),
    }
}

/// The report as Markdown: a title naming the crate and its versions, the changes, and the last
/// line `semver: <level>` (`patch` when the spec did not change).
pub fn report_markdown(crate_name: &str, regenerated: &codegen::Regenerated) -> String {
    let (old, new) = (&regenerated.old_version, &regenerated.version);
    match &regenerated.report {
        Some(report) if old != new => report.markdown(&format!("API changes: {crate_name} {old} → {new}")),
        Some(report) => report.markdown(&format!("API changes: {crate_name} {old} (version not bumped)")),
        None => codegen::Report::default().markdown(&format!("{crate_name} {old}: the spec did not change")),
    }
}

/// GitHub Actions step outputs: whether the spec changed, the semver level and the new version.
pub fn github_outputs(regenerated: &codegen::Regenerated) -> String {
    let semver = regenerated.report.as_ref().map_or(codegen::Bump::Patch, codegen::Report::semver);
    format!("changed={}\nsemver={}\nversion={}\n", regenerated.report.is_some(), semver.as_str(), regenerated.version)
}

fn append(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

/// The formats `--string-formats` names (`all`: every one).
fn string_formats(names: &[String]) -> Result<std::collections::BTreeSet<codegen::Format>> {
    let mut formats = std::collections::BTreeSet::new();
    for name in names {
        if name == "all" {
            formats.extend(codegen::Format::ALL);
        } else {
            formats.insert(name.parse::<codegen::Format>().map_err(anyhow::Error::msg)?);
        }
    }
    Ok(formats)
}
