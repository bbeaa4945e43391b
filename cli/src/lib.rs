//! The `generate` command shared by the `openapi-client-gen` binary and `cargo xtask codegen`:
//! its flags ([`GenerateFlags`]) and what it does ([`generate`]): generate a client crate from a
//! spec and write it, or with `--check` compare it with what is on disk, printing the same
//! messages from both command lines.
//!
//! Both print the API change report: what the new spec changes in the crate's public API compared
//! with the spec the crate on disk records (`openapi.yaml`), each change marked breaking or
//! compatible (`codegen::compare`'s rules). Writing applies the report's semver level to the
//! crate's version and prepends a CHANGELOG.md entry (`--no-bump` keeps both); `--check` fails
//! when anything, version and changelog included, would change. `--report FILE` writes the report
//! as Markdown; under GitHub Actions (`GITHUB_OUTPUT` set) the step outputs `changed`, `semver`
//! and `version` are written too, for a regenerate workflow's pull request. Hand-written files
//! under `src/extra/` (`codegen::EXTRA_DIR`) are neither compared nor written: both name them
//! apart, and a write carries them into the new generation unchanged.
//!
//! [`init`] sets up another repository to do the same from its own `xtask`.
//!
//! Must not: generate anything itself (it calls `codegen`'s public API), or know a project's
//! defaults (the caller passes them as a [`Preset`]).

pub mod init;
mod init_files;

use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::Args;
/// The generator library, for callers that set [`codegen::Options`] themselves.
pub use codegen;

/// The flags of `generate` beside the spec and the output directory, the same in every command
/// line that generates.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct GenerateFlags {
    /// Write nothing; fail with a diff if the output is stale (the drift check).
    #[arg(long)]
    pub check: bool,
    /// The crate name (snake_case or kebab-case). Default: the output directory's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Prefix of the environment variables the client reads (`<PREFIX>_API_KEY`, ...).
    /// Default: the crate name in SHOUTY_SNAKE_CASE.
    #[arg(long, value_name = "PREFIX")]
    pub env_prefix: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Write the API change report (Markdown, last line `semver: major|minor|patch`) here.
    #[arg(long, value_name = "FILE")]
    pub report: Option<std::path::PathBuf>,
    /// Keep the crate's version and CHANGELOG.md as they are even if the spec changed.
    #[arg(long)]
    pub no_bump: bool,
    /// Keep these string formats `String` instead of typed (`date-time` → chrono's
    /// `DateTime<Utc>`, `date` → `NaiveDate`, `uuid` → `Uuid`), for servers known to send values
    /// that do not parse. Comma-separated; `all` for every one.
    #[arg(long, value_name = "FORMAT", value_delimiter = ',', value_parser = ["date-time", "date", "uuid", "all"])]
    pub string_formats: Vec<String>,
    /// Make the crate publishable: no `publish = false` in its Cargo.toml, and the links below
    /// (the home page defaults to the spec's `externalDocs.url` or `info.contact.url`, the
    /// documentation to the crate's docs.rs page).
    #[arg(long)]
    pub publish: bool,
    /// With --publish: the crate's repository URL.
    #[arg(long, value_name = "URL", requires = "publish")]
    pub repository: Option<String>,
    /// With --publish: the crate's home page URL.
    #[arg(long, value_name = "URL", requires = "publish")]
    pub homepage: Option<String>,
    /// With --publish: the crate's documentation URL.
    #[arg(long, value_name = "URL", requires = "publish")]
    pub documentation: Option<String>,
}

/// Where the generation's options start from, before the flags apply.
#[derive(Clone, Debug)]
pub enum Preset {
    /// A crate for any spec: the default options, the crate named by `--name` or after the output
    /// directory, and `command` (the command line up to the flags, e.g. `openapi-client-gen
    /// generate api.yaml --out api`) with the flags that shape the output as the command written
    /// into every file's header.
    Standalone {
        /// The command line up to the flags.
        command: String,
    },
    /// A project's own crate (the Runloop client of this repository): these options, name and
    /// regenerating command included; the flags add to them.
    Project(codegen::Options),
}

/// Generates the crate for `spec` into `out` (or with `--check` compares it with `out`),
/// printing what it did; an error for a stale crate under `--check`, and for every failure.
pub fn generate(spec: &Path, out: &Path, flags: &GenerateFlags, preset: Preset) -> Result<()> {
    let (mut options, from_dir) = options(out, flags, preset)?;
    let text = std::fs::read_to_string(spec).with_context(|| format!("reading {}", spec.display()))?;
    let previous = codegen::previous(out)?;
    let regenerated = match codegen::regenerate(&text, &previous, &options, !flags.no_bump) {
        // A name taken from the directory is a guess: if the library refuses it and knows a valid
        // one close to it (`MyClient` → `myclient`), that is used, with a note. An explicit
        // `--name` is used as given or refused.
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
    sync(spec, out, &regenerated.generated.files, flags.check, &options.command)
}

/// The options for `preset` with the flags applied, and whether the crate name was taken from
/// the output directory.
fn options(out: &Path, flags: &GenerateFlags, preset: Preset) -> Result<(codegen::Options, bool)> {
    let (mut options, standalone) = match preset {
        Preset::Standalone { command } => (codegen::Options { command, ..codegen::Options::default() }, true),
        Preset::Project(options) => (options, false),
    };
    let mut from_dir = false;
    if let Some(name) = &flags.name {
        options.crate_name = name.clone();
    } else if standalone {
        let dir = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        options.crate_name = if dir.is_empty() { "api_client".into() } else { dir };
        from_dir = true;
    }
    options.strict |= flags.strict;
    options.string_formats = string_formats(&flags.string_formats)?;
    if let Some(prefix) = &flags.env_prefix {
        options.env_prefix = Some(prefix.clone());
    }
    if standalone {
        if let Some(name) = &flags.name {
            options.command.push_str(&format!(" --name {name}"));
        }
        if let Some(prefix) = &flags.env_prefix {
            options.command.push_str(&format!(" --env-prefix {prefix}"));
        }
        if flags.strict {
            options.command.push_str(" --strict");
        }
        if flags.publish {
            options.command.push_str(" --publish");
        }
        let links =
            [("repository", &flags.repository), ("homepage", &flags.homepage), ("documentation", &flags.documentation)];
        for (flag, url) in links {
            if let Some(url) = url {
                options.command.push_str(&format!(" --{flag} {url}"));
            }
        }
    }
    if flags.publish {
        let (repository, homepage, documentation) =
            (flags.repository.clone(), flags.homepage.clone(), flags.documentation.clone());
        options.publish = Some(codegen::Publish { repository, homepage, documentation });
    }
    if !options.string_formats.is_empty() {
        let names: Vec<&str> = options.string_formats.iter().map(|f| f.as_str()).collect();
        options.command.push_str(&format!(" --string-formats {}", names.join(",")));
    }
    Ok((options, from_dir))
}

/// Checks or writes the files, printing what differs or what changed.
fn sync(
    spec: &Path,
    out: &Path,
    files: &std::collections::BTreeMap<String, String>,
    check: bool,
    command: &str,
) -> Result<()> {
    if check {
        let changes = codegen::check(out, files)?;
        if changes.is_empty() {
            println!("{} is up to date with {}{}", out.display(), spec.display(), hand_written_note(&changes));
            return Ok(());
        }
        print!("{}", changes.render());
        bail!("{} is stale: run `{command}` and commit the result", out.display());
    }
    let changes = codegen::write(out, files)?;
    if changes.is_empty() {
        println!("{} is up to date{}", out.display(), hand_written_note(&changes));
        return Ok(());
    }
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
fn report_markdown(crate_name: &str, regenerated: &codegen::Regenerated) -> String {
    let (old, new) = (&regenerated.old_version, &regenerated.version);
    match &regenerated.report {
        Some(report) if old != new => report.markdown(&format!("API changes: {crate_name} {old} → {new}")),
        Some(report) => report.markdown(&format!("API changes: {crate_name} {old} (version not bumped)")),
        None => codegen::Report::default().markdown(&format!("{crate_name} {old}: the spec did not change")),
    }
}

/// GitHub Actions step outputs: whether the spec changed, the semver level and the new version.
fn github_outputs(regenerated: &codegen::Regenerated) -> String {
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
