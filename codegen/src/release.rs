//! Release: what a regeneration does to the crate's version and changelog, from the change report.
//!
//! The generated crate records its own history, never read from git: a copy of the spec it was
//! generated from (`openapi.yaml`, or `openapi.json` for a JSON spec), its `Cargo.toml` version
//! and `CHANGELOG.md`. [`crate::sync::previous`] reads them back as a [`Previous`]. When the spec
//! differs from the copy, the report of [`crate::report`] decides the bump ([`Bump::apply`],
//! Cargo's rules) and becomes a new changelog entry at the top. An unchanged spec changes
//! neither, so regenerating is a fixed point and the drift check can compare byte for byte.
//! Entries carry the version and the changes, no dates: output stays deterministic.
//!
//! The report compares specs, so it cannot see a change of the *generator* that changes the
//! generated API for the same spec (a renamed type, a new call shape). Those are listed in
//! [`OUTPUT_CHANGES`]; the crate records how many of them it was generated with (`output` in
//! `[package.metadata.codegen]` of its `Cargo.toml`), and regenerating it with a generator that
//! lists more is a breaking change whose entry names them.

use crate::report::{Bump, Report};

/// The generator changes that break a generated crate's API for an unchanged spec, oldest first.
/// Append one when the generator changes generated code incompatibly; never edit or remove one
/// (a crate's record is an index into this list). A crate generated before the record existed
/// counts as generated with none.
pub(crate) const OUTPUT_CHANGES: &[&str] = &[
    "every operation returns its own request type: optional parameters are its setters \
     (`client.devboxes().list().limit(10).await`), in place of the `…Params` structs",
    "optional nullable fields are `Nullable<T>` only in types sent in requests (`Option<T>` in \
     types only received), and `Nullable` has no `From<Option<T>>`",
    "`date-time`, `date` and `uuid` strings are `chrono::DateTime<Utc>`, `chrono::NaiveDate` and \
     `uuid::Uuid`",
    "shared inline types and union variants are named for what they are, not for their first user",
    "each top-level resource is a cargo feature; the types no operation uses are behind \
     `unreferenced-types`, off by default",
    "object types no longer accept a JSON array in place of an object",
    "`send` and `with_response` return `impl Future` instead of being `async fn`s",
    "discriminated unions are selected (and their variants named) by each branch's own \
     `const`/`enum` tag rather than its schema name; untagged unions decode exact-first; unions \
     of constants are one enum; types named like the prelude (`None`, `Result`, ...) get a `Type` \
     suffix",
    "`Client::request` returns a `RawRequest`: `.send::<T>()` decodes the body as JSON of `T`, \
     `.send_response()` gives it as bytes with status and headers, and `.body(..)` sends bytes or \
     a file (it returned a `RequestBuilder<T>` decoding JSON)",
];

/// How many of [`OUTPUT_CHANGES`] this generator has made: what a crate records.
pub(crate) fn output_generation() -> u32 {
    u32::try_from(OUTPUT_CHANGES.len()).expect("fewer than 2^32 generator changes")
}

/// What the crate on disk was generated from, as recorded in it (see [`crate::previous`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Previous {
    /// The spec text it was generated from (its `openapi.yaml` or `openapi.json`).
    pub spec: Option<String>,
    /// Its `Cargo.toml` version.
    pub version: Option<String>,
    /// The entries of its `CHANGELOG.md`: everything from the first `## ` heading on.
    pub changelog: Option<String>,
    /// How many of the generator's breaking output changes it was generated with (see
    /// `OUTPUT_CHANGES` in the generator's `release.rs`); `None` for a crate that predates the record, which counts as none.
    pub output: Option<u32>,
    /// Its hand-written files (under [`EXTRA_DIR`](crate::options::EXTRA_DIR), relative to the
    /// crate root, sorted): when there are any, the crate root declares `pub mod extra;`.
    pub hand_written: Vec<String>,
}

/// The file name of the spec copy: `openapi.json` for a JSON document, else `openapi.yaml`.
pub(crate) fn spec_file(spec: &str) -> &'static str {
    if spec.trim_start().starts_with('{') { "openapi.json" } else { "openapi.yaml" }
}

/// The version and changelog a generation writes.
pub(crate) struct Release {
    /// The `Cargo.toml` version.
    pub(crate) version: String,
    /// The changelog entries, newest first.
    pub(crate) changelog: String,
}

/// Plans the release: `report` is `Some` when the spec differs from the recorded copy.
pub(crate) fn plan(
    previous: &Previous,
    initial_version: &str,
    api: &str,
    report: Option<&Report>,
    bump: bool,
) -> Result<Release, crate::error::Error> {
    let current = previous.version.clone().unwrap_or_else(|| initial_version.to_owned());
    let history = previous.changelog.clone();
    // Generator changes count only for a crate that was generated before (it has a version).
    let generator_changes: &[&str] = match (&previous.version, previous.output) {
        (Some(_), recorded) => OUTPUT_CHANGES.get(recorded.unwrap_or(0) as usize..).unwrap_or_default(),
        (None, _) => &[],
    };
    match (report, bump) {
        (report, true) if report.is_some() || !generator_changes.is_empty() => {
            let level = match report {
                Some(report) if generator_changes.is_empty() => report.semver(),
                _ => Bump::Major,
            };
            let version = level.apply(&current).map_err(|message| crate::error::Error::Previous { message })?;
            let mut changelog = match report {
                Some(report) => entry(&version, api, report, level),
                None => format!("## {version}\n\nRegenerated from {api}, unchanged, by a newer generator.\n"),
            };
            if !generator_changes.is_empty() {
                changelog = generator_entry(&changelog, generator_changes);
            }
            if let Some(history) = history {
                changelog.push('\n');
                changelog.push_str(&history);
            }
            Ok(Release { version, changelog })
        }
        _ => {
            let changelog = history.unwrap_or_else(|| format!("## {current}\n\nFirst generated from {api}.\n"));
            Ok(Release { version: current, changelog })
        }
    }
}

/// An entry with the generator's breaking changes appended (its heading's version is already the
/// bumped one: they are breaking).
fn generator_entry(entry: &str, changes: &[&str]) -> String {
    let mut out = entry.trim_end().to_owned();
    out.push_str(&format!("\n\n### Breaking, from the generator ({})\n\n", changes.len()));
    for change in changes {
        out.push_str(&format!("- **breaking** {change}\n"));
    }
    out
}

/// One changelog entry: the version, the spec, the verdict (`level`: the report's, or major when
/// the generator's changes come too) and the spec's changes.
fn entry(version: &str, api: &str, report: &Report, level: Bump) -> String {
    let why = match level {
        Bump::Major => "breaking changes",
        Bump::Minor => "compatible additions",
        Bump::Patch => "no change to the public API",
    };
    format!(
        "## {version}\n\nRegenerated from {api}: {why} (semver: {}).\n\n{}",
        level.as_str(),
        report.changes_markdown()
    )
}

/// `CHANGELOG.md`: a header, then the entries.
pub(crate) fn changelog_file(command: &str, entries: &str) -> String {
    format!(
        "<!-- @generated by `{command}`: each regeneration from a changed spec, or by a generator whose output \
         changed, adds an entry. -->\n# Changelog\n\n{entries}"
    )
}

/// The entries of a `CHANGELOG.md`: everything from the first `## ` heading on.
pub(crate) fn changelog_entries(file: &str) -> Option<String> {
    if file.starts_with("## ") {
        return Some(file.to_owned());
    }
    file.find("\n## ").map(|i| file[i + 1..].to_owned())
}

/// The `version = "..."` of a `Cargo.toml`'s `[package]` table.
pub(crate) fn cargo_version(manifest: &str) -> Option<String> {
    manifest_value(manifest, "[package]", "version").map(|v| v.trim_matches('"').to_owned())
}

/// The `output = N` of a `Cargo.toml`'s `[package.metadata.codegen]` table (see [`Previous::output`]).
pub(crate) fn cargo_output(manifest: &str) -> Option<u32> {
    manifest_value(manifest, "[package.metadata.codegen]", "output")?.parse().ok()
}

/// The raw value of `key = value` in `table` of a `Cargo.toml` as this crate writes it (one key
/// per line; enough for reading back our own file, not a TOML parser).
fn manifest_value<'a>(manifest: &'a str, table: &str, key: &str) -> Option<&'a str> {
    let mut in_table = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_table = line == table;
        } else if in_table
            && let Some(rest) = line.strip_prefix(key)
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            return Some(value.trim());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Change, Report};

    fn report(bump: Bump) -> Report {
        Report { changes: vec![Change { bump, subject: "type `A`".into(), detail: "added".into() }] }
    }

    #[test]
    fn a_changed_spec_bumps_and_adds_an_entry() {
        let previous = Previous {
            spec: Some("old".into()),
            version: Some("0.3.1".into()),
            changelog: Some("## 0.3.1\n\nFirst generated from X 1.\n".into()),
            output: Some(output_generation()),
            hand_written: Vec::new(),
        };
        let release = plan(&previous, "0.1.0", "X 2", Some(&report(Bump::Major)), true).unwrap();
        assert_eq!(release.version, "0.4.0");
        assert!(release.changelog.starts_with("## 0.4.0\n\nRegenerated from X 2: breaking changes (semver: major).\n\n### Breaking (1)\n\n- **breaking** type `A`: added\n\n## 0.3.1\n"), "{}", release.changelog);
        let file = changelog_file("cmd", &release.changelog);
        assert_eq!(changelog_entries(&file).as_deref(), Some(release.changelog.as_str()));
    }

    #[test]
    fn no_bump_or_no_change_keeps_version_and_history() {
        let previous = Previous {
            spec: None,
            version: Some("1.2.3".into()),
            changelog: Some("## 1.2.3\n".into()),
            output: Some(output_generation()),
            hand_written: Vec::new(),
        };
        for (report, bump) in [(Some(report(Bump::Minor)), false), (None, true)] {
            let release = plan(&previous, "0.1.0", "X", report.as_ref(), bump).unwrap();
            assert_eq!((release.version.as_str(), release.changelog.as_str()), ("1.2.3", "## 1.2.3\n"));
        }
        let fresh = plan(&Previous::default(), "0.1.0", "X 1", None, true).unwrap();
        assert_eq!(
            (fresh.version.as_str(), fresh.changelog.as_str()),
            ("0.1.0", "## 0.1.0\n\nFirst generated from X 1.\n")
        );
    }

    /// A crate generated by an older generator (here: before the record existed) gets a major
    /// bump and an entry naming the generator's changes, even for an unchanged spec; after that the
    /// record is current and regenerating changes nothing.
    #[test]
    fn a_newer_generator_is_a_breaking_change_once() {
        let old = Previous {
            spec: Some("same".into()),
            version: Some("0.2.1".into()),
            changelog: Some("## 0.2.1\n\nFirst generated from X 1.\n".into()),
            output: None,
            hand_written: Vec::new(),
        };
        let release = plan(&old, "0.1.0", "X 1", None, true).unwrap();
        assert_eq!(release.version, "0.3.0");
        let listed: String = OUTPUT_CHANGES.iter().map(|c| format!("- **breaking** {c}\n")).collect();
        let expected = format!(
            "## 0.3.0\n\nRegenerated from X 1, unchanged, by a newer generator.\n\n### Breaking, from the generator \
             ({})\n\n{listed}\n## 0.2.1\n",
            OUTPUT_CHANGES.len(),
        );
        assert!(release.changelog.starts_with(&expected), "{}", release.changelog);
        // With a spec change of its own, the entry has both, and the level is major.
        let both = plan(&old, "0.1.0", "X 2", Some(&report(Bump::Minor)), true).unwrap();
        assert_eq!(both.version, "0.3.0");
        assert!(both.changelog.starts_with("## 0.3.0\n\nRegenerated from X 2: breaking changes (semver: major)."));
        assert!(both.changelog.contains("- **compatible** type `A`: added"), "{}", both.changelog);
        assert!(both.changelog.contains("### Breaking, from the generator"), "{}", both.changelog);
        // Recorded as current: nothing to do. Told not to bump: nothing either.
        let current = Previous { version: Some("0.3.0".into()), output: Some(output_generation()), ..old.clone() };
        assert_eq!(plan(&current, "0.1.0", "X 1", None, true).unwrap().version, "0.3.0");
        assert_eq!(plan(&old, "0.1.0", "X 1", None, false).unwrap().version, "0.2.1");
        // A first generation has nothing to compare with.
        let fresh = Previous { output: None, ..Previous::default() };
        assert_eq!(plan(&fresh, "0.1.0", "X 1", None, true).unwrap().version, "0.1.0");
    }

    #[test]
    fn the_output_generation_is_read_from_the_metadata_table() {
        let manifest =
            "[package]\nversion = \"0.2.0\"\n\n[package.metadata.codegen]\n# note\noutput = 3\n\n[lib]\noutput = 9\n";
        assert_eq!(cargo_output(manifest), Some(3));
        assert_eq!(cargo_output("[package]\nversion = \"1\"\n"), None);
    }

    #[test]
    fn versions_are_read_from_the_package_table() {
        let manifest = "# c\n[package]\nname = \"a\"\nversion = \"0.2.0\"\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(cargo_version(manifest).as_deref(), Some("0.2.0"));
        assert_eq!(cargo_version("[dependencies]\nversion = \"1\"\n"), None);
    }
}
