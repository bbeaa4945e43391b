//! Atomicity and determinism of `cargo xtask codegen`, through the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn xtask() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_owned(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn runloop_spec() -> PathBuf {
    xtask::root().join("spec/runloop.yaml")
}

#[test]
fn a_failed_generation_leaves_the_crate_byte_identical() {
    let dir = tempdir("failed");
    let out = dir.join("client");
    let ok = xtask().args(["codegen", "--spec"]).arg(runloop_spec()).arg("--out").arg(&out).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let before = snapshot(&out);
    assert!(before.contains_key(Path::new("src/lib.rs")));

    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/Nope'}\n    B: {type: object, properties: {a: {$ref: '#/components/schemas/Nope'}}}\n").unwrap();
    let failed = xtask().args(["codegen", "--spec"]).arg(&bad).arg("--out").arg(&out).output().unwrap();
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("bad.yaml") && stderr.contains("#/components/schemas/"), "{stderr}");
    assert_eq!(snapshot(&out), before, "a failed run changed the output directory");
    // No temporary directories are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_write_that_fails_midway_restores_nothing_and_leaves_the_old_tree() {
    let dir = tempdir("midway");
    let out = dir.join("crate");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/lib.rs"), "old").unwrap();
    let before = snapshot(&out);
    // `a` is written as a file, then `a/b` needs `a` to be a directory: the write fails midway.
    let files = BTreeMap::from([("a".to_owned(), "file".to_owned()), ("a/b".to_owned(), "x".to_owned())]);
    let err = codegen::write(&out, &files).unwrap_err();
    assert!(err.to_string().contains("a"), "{err}");
    assert_eq!(snapshot(&out), before);
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("crate")], "temporary files left behind");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_never_writes_and_shows_a_diff() {
    let dir = tempdir("check");
    let out = dir.join("client");
    assert!(xtask().args(["codegen", "--spec"]).arg(runloop_spec()).arg("--out").arg(&out).status().unwrap().success());
    let lib = out.join("src/lib.rs");
    let edited = std::fs::read_to_string(&lib).unwrap().replace("Quick start", "Quick stop");
    std::fs::write(&lib, &edited).unwrap();
    std::fs::write(out.join("stray.rs"), "stray").unwrap();
    let before = snapshot(&out);
    let check =
        xtask().args(["codegen", "--check", "--spec"]).arg(runloop_spec()).arg("--out").arg(&out).output().unwrap();
    assert!(!check.status.success());
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("-//! # Quick stop") && stdout.contains("+//! # Quick start"), "{stdout}");
    assert!(stdout.contains("file not generated any more: stray.rs"), "{stdout}");
    assert_eq!(snapshot(&out), before, "--check wrote to the directory");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn separate_processes_produce_byte_identical_output() {
    // Each process has its own hash seeds; the output must not depend on them.
    let dir = tempdir("determinism");
    let spec = xtask::root().join("codegen/tests/fixtures/operations.yaml");
    let mut snapshots = Vec::new();
    for run in 0..3 {
        let cwd = dir.join(format!("run{run}"));
        std::fs::create_dir_all(&cwd).unwrap();
        let out = cwd.join("client");
        let status = xtask()
            .current_dir(&cwd)
            .args(["codegen", "--name", "same", "--spec"])
            .arg(&spec)
            .args(["--out", "client"])
            .env("RUST_MIN_STACK", format!("{}", (run + 1) * 4 * 1024 * 1024))
            .status()
            .unwrap();
        assert!(status.success());
        snapshots.push(snapshot(&out));
    }
    assert_eq!(snapshots[0], snapshots[1]);
    assert_eq!(snapshots[1], snapshots[2]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_generation_in_threads_is_identical() {
    let expected = xtask::generate_runloop().unwrap();
    let handles: Vec<_> = (0..4).map(|_| std::thread::spawn(|| xtask::generate_runloop().unwrap())).collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}
