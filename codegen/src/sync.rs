//! Sync: compare generated files with a directory, or replace the directory atomically.
//!
//! The one place that touches the disk. [`check`] never writes. [`write()`] writes the complete new
//! tree into a sibling temporary directory and swaps it in with two renames, so a failed or
//! interrupted run leaves the old directory byte-identical (or, if interrupted between the two
//! renames, the complete old tree beside it under a `.old` name, reported by the next run).
//!
//! Hand-written files (under [`EXTRA_DIR`]) are never compared, written or removed: [`check`]
//! lists them apart ([`Changes::hand_written`]), and [`write()`] copies them into the new tree
//! before the swap, so they come through it unchanged.
//!
//! Must not: generate anything, or write a file of the generation under [`EXTRA_DIR`].

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::options::EXTRA_DIR;

/// A file-system failure, naming the path.
#[derive(Debug, thiserror::Error)]
#[error("{action} {}: {source}", path.display())]
pub struct IoError {
    action: &'static str,
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

fn io<T>(action: &'static str, path: &Path, r: std::io::Result<T>) -> Result<T, IoError> {
    r.map_err(|source| IoError { action, path: path.to_owned(), source })
}

/// How the directory differs from the generated files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that would be created.
    pub added: Vec<String>,
    /// Files whose contents differ, with a unified diff (current → generated) from [`check`];
    /// [`write()`] leaves the diff empty.
    pub changed: Vec<(String, String)>,
    /// Files in the directory that generation does not produce.
    pub removed: Vec<String>,
    /// Hand-written files (under [`EXTRA_DIR`]): not generated, never compared, kept as they
    /// are. They are not a difference: [`Changes::is_empty`] does not count them.
    pub hand_written: Vec<String>,
}

impl Changes {
    /// Nothing generated differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// A readable summary with the diffs.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for f in &self.added {
            out.push_str(&format!("new file: {f}\n"));
        }
        for f in &self.removed {
            out.push_str(&format!("file not generated any more: {f}\n"));
        }
        for (f, diff) in &self.changed {
            out.push_str(&format!("changed: {f}\n{diff}"));
        }
        out
    }
}

fn list(dir: &Path, base: &Path, out: &mut BTreeSet<String>) -> Result<(), IoError> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in io("reading directory", dir, fs::read_dir(dir))? {
        let entry = io("reading directory", dir, entry)?;
        let path = entry.path();
        if io("inspecting", &path, entry.file_type())?.is_dir() {
            list(&path, base, out)?;
        } else {
            let rel = path.strip_prefix(base).expect("below base").to_string_lossy().replace('\\', "/");
            out.insert(rel);
        }
    }
    Ok(())
}

/// Whether `rel` (relative to the crate root, `/`-separated) is hand-written: under [`EXTRA_DIR`].
pub(crate) fn is_hand_written(rel: &str) -> bool {
    rel.strip_prefix(EXTRA_DIR).is_some_and(|rest| rest.starts_with('/'))
}

/// The hand-written files of the crate in `dir` (under [`EXTRA_DIR`]), relative to it, sorted.
pub(crate) fn hand_written(dir: &Path) -> Result<Vec<String>, IoError> {
    let mut files = BTreeSet::new();
    list(&dir.join(EXTRA_DIR), dir, &mut files)?;
    Ok(files.into_iter().collect())
}

/// Compares `files` with the contents of `dir`, with a unified diff for each changed file.
/// Writes nothing; hand-written files are listed apart, not compared.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = std::env::temp_dir().join(format!("codegen-doc-check-{}", std::process::id()));
/// let files = std::collections::BTreeMap::from([("a.txt".to_owned(), "new\n".to_owned())]);
/// let changes = codegen::check(&dir, &files)?; // nothing there yet
/// assert_eq!(changes.added, ["a.txt"]);
/// std::fs::create_dir_all(&dir)?;
/// std::fs::write(dir.join("a.txt"), "old\n")?;
/// let changes = codegen::check(&dir, &files)?;
/// assert!(changes.render().contains("-old\n+new\n"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
pub fn check(dir: &Path, files: &BTreeMap<String, String>) -> Result<Changes, IoError> {
    compare(dir, files, true)
}

/// Compares; the diffs (costly on large files) only when they will be shown.
fn compare(dir: &Path, files: &BTreeMap<String, String>, diffs: bool) -> Result<Changes, IoError> {
    let mut existing = BTreeSet::new();
    list(dir, dir, &mut existing)?;
    let (hand_written, existing): (BTreeSet<String>, BTreeSet<String>) =
        existing.into_iter().partition(|f| is_hand_written(f));
    let mut changes = Changes { hand_written: hand_written.into_iter().collect(), ..Changes::default() };
    for (rel, new) in files {
        let path = dir.join(rel);
        if !existing.contains(rel) {
            changes.added.push(rel.clone());
            continue;
        }
        let old = io("reading", &path, fs::read(&path))?;
        if old != new.as_bytes() {
            if !diffs {
                changes.changed.push((rel.clone(), String::new()));
                continue;
            }
            let old = String::from_utf8_lossy(&old);
            let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_str())
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{rel}"), &format!("b/{rel}"))
                .to_string();
            changes.changed.push((rel.clone(), diff));
        }
    }
    changes.removed = existing.into_iter().filter(|f| !files.contains_key(f)).collect();
    Ok(changes)
}

/// Makes `dir` contain exactly `files` and its hand-written files (under [`EXTRA_DIR`], kept as
/// they are), replacing it atomically; returns what changed (without diffs). A file of `files`
/// under [`EXTRA_DIR`] is refused: generation never writes there.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = std::env::temp_dir().join(format!("codegen-doc-write-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("src/extra"))?;
/// std::fs::write(dir.join("src/extra/mod.rs"), "// hand-written\n")?;
/// std::fs::write(dir.join("stale.rs"), "")?;
/// let files = std::collections::BTreeMap::from([("src/lib.rs".to_owned(), "pub mod extra;\n".to_owned())]);
/// let changes = codegen::write(&dir, &files)?;
/// assert_eq!((changes.added.len(), changes.removed.len()), (1, 1));
/// assert!(!dir.join("stale.rs").exists());
/// assert_eq!(std::fs::read_to_string(dir.join("src/extra/mod.rs"))?, "// hand-written\n");
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
pub fn write(dir: &Path, files: &BTreeMap<String, String>) -> Result<Changes, IoError> {
    if let Some(rel) = files.keys().find(|f| is_hand_written(f)) {
        let source = std::io::Error::other(format!("{EXTRA_DIR}/ is hand-written; generation never writes there"));
        return Err(IoError { action: "refusing to write", path: dir.join(rel), source });
    }
    let changes = compare(dir, files, false)?;
    if changes.is_empty() {
        return Ok(changes);
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    io("creating", parent, fs::create_dir_all(parent))?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "generated".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if tmp.exists() {
        io("removing stale", &tmp, fs::remove_dir_all(&tmp))?;
    }
    let result = (|| {
        for (rel, contents) in files {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                io("creating", p, fs::create_dir_all(p))?;
            }
            io("writing", &path, fs::write(&path, contents))?;
        }
        // Copied, not moved: until the swap, the old tree stays whole.
        for rel in &changes.hand_written {
            let (from, to) = (dir.join(rel), tmp.join(rel));
            if let Some(p) = to.parent() {
                io("creating", p, fs::create_dir_all(p))?;
            }
            io("copying hand-written", &from, fs::copy(&from, &to))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if dir.exists() {
        io("moving aside", dir, fs::rename(dir, &old))?;
        if let Err(e) = fs::rename(&tmp, dir) {
            // Put the old tree back before reporting.
            let _ = fs::rename(&old, dir);
            let _ = fs::remove_dir_all(&tmp);
            return Err(IoError { action: "moving into place", path: dir.to_owned(), source: e });
        }
        io("removing old copy", &old, fs::remove_dir_all(&old))?;
    } else {
        io("moving into place", dir, fs::rename(&tmp, dir))?;
    }
    Ok(changes)
}

/// What the crate in `dir` records of its previous generation: the spec copy, the `Cargo.toml`
/// version and the `CHANGELOG.md` entries; and its hand-written files. Missing files (a new
/// directory, or a crate generated before these were recorded) are `None`.
///
/// # Example
///
/// ```
/// let dir = std::env::temp_dir().join("codegen-doc-previous-nothing-here");
/// let previous = codegen::previous(&dir).unwrap();
/// assert_eq!(previous, codegen::Previous::default());
/// ```
pub fn previous(dir: &Path) -> Result<crate::release::Previous, IoError> {
    let read = |name: &str| -> Result<Option<String>, IoError> {
        let path = dir.join(name);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(IoError { action: "reading", path, source: e }),
        }
    };
    let spec = match read("openapi.yaml")? {
        Some(spec) => Some(spec),
        None => read("openapi.json")?,
    };
    let manifest = read("Cargo.toml")?;
    Ok(crate::release::Previous {
        hand_written: hand_written(dir)?,
        spec,
        version: manifest.as_deref().and_then(crate::release::cargo_version),
        changelog: read("CHANGELOG.md")?.as_deref().and_then(crate::release::changelog_entries),
        output: manifest.as_deref().and_then(crate::release::cargo_output),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;

    use super::{check, is_hand_written, previous, write};

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    /// Hand-written files are listed apart by `check`, come through `write`'s swap byte for byte,
    /// and are never a file `write` takes from a generation.
    #[test]
    fn hand_written_files_survive_regeneration() {
        let dir = std::env::temp_dir().join(format!("codegen-sync-extra-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src/extra/wait")).unwrap();
        fs::write(dir.join("src/lib.rs"), "old").unwrap();
        fs::write(dir.join("src/stale.rs"), "stale").unwrap();
        fs::write(dir.join("src/extra/mod.rs"), "mod wait;\n").unwrap();
        fs::write(dir.join("src/extra/wait/mod.rs"), "// mine\n").unwrap();
        let generated = files(&[("src/lib.rs", "new"), ("Cargo.toml", "[package]")]);

        let changes = check(&dir, &generated).unwrap();
        assert_eq!(changes.added, ["Cargo.toml"]);
        assert_eq!(changes.changed.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["src/lib.rs"]);
        assert_eq!(changes.removed, ["src/stale.rs"]);
        assert_eq!(changes.hand_written, ["src/extra/mod.rs", "src/extra/wait/mod.rs"]);
        assert_eq!(previous(&dir).unwrap().hand_written, changes.hand_written);

        write(&dir, &generated).unwrap();
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "new");
        assert!(!dir.join("src/stale.rs").exists());
        assert_eq!(fs::read_to_string(dir.join("src/extra/mod.rs")).unwrap(), "mod wait;\n");
        assert_eq!(fs::read_to_string(dir.join("src/extra/wait/mod.rs")).unwrap(), "// mine\n");
        let again = check(&dir, &generated).unwrap();
        assert!(again.is_empty(), "{}", again.render());
        assert_eq!(again.hand_written.len(), 2);

        let intruding = files(&[("src/lib.rs", "newer"), ("src/extra/mod.rs", "generated")]);
        let error = write(&dir, &intruding).unwrap_err().to_string();
        assert!(error.contains("src/extra/mod.rs") && error.contains("hand-written"), "{error}");
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "new");
        assert_eq!(fs::read_to_string(dir.join("src/extra/mod.rs")).unwrap(), "mod wait;\n");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_files_below_the_directory_are_hand_written() {
        assert!(is_hand_written("src/extra/mod.rs"));
        assert!(is_hand_written("src/extra/a/b.rs"));
        assert!(!is_hand_written("src/extra.rs"));
        assert!(!is_hand_written("src/extras/mod.rs"));
        assert!(!is_hand_written("src/lib.rs"));
    }
}
