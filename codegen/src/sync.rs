//! Sync: compare generated files with a directory, or replace the directory atomically.
//!
//! The one place that touches the disk. [`check`] never writes. [`write`] writes the complete new
//! tree into a sibling temporary directory and swaps it in with two renames, so a failed or
//! interrupted run leaves the old directory byte-identical (or, if interrupted between the two
//! renames, the complete old tree beside it under a `.old` name, reported by the next run).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

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
    /// [`write`] leaves the diff empty.
    pub changed: Vec<(String, String)>,
    /// Files in the directory that generation does not produce.
    pub removed: Vec<String>,
}

impl Changes {
    /// Nothing differs.
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

/// Compares `files` with the contents of `dir`, with a unified diff for each changed file.
/// Writes nothing.
pub fn check(dir: &Path, files: &BTreeMap<String, String>) -> Result<Changes, IoError> {
    compare(dir, files, true)
}

/// Compares; the diffs (costly on large files) only when they will be shown.
fn compare(dir: &Path, files: &BTreeMap<String, String>, diffs: bool) -> Result<Changes, IoError> {
    let mut existing = BTreeSet::new();
    list(dir, dir, &mut existing)?;
    let mut changes = Changes::default();
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

/// Makes `dir` contain exactly `files`, replacing it atomically; returns what changed (without
/// diffs).
pub fn write(dir: &Path, files: &BTreeMap<String, String>) -> Result<Changes, IoError> {
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
/// version and the `CHANGELOG.md` entries. Missing files (a new directory, or a crate generated
/// before these were recorded) are `None`.
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
        spec,
        version: manifest.as_deref().and_then(crate::release::cargo_version),
        changelog: read("CHANGELOG.md")?.as_deref().and_then(crate::release::changelog_entries),
        output: manifest.as_deref().and_then(crate::release::cargo_output),
    })
}
