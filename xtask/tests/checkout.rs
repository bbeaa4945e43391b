//! The xtask works on the checkout it is run in, found from the current directory, not on the one
//! it was built in: with a shared `CARGO_TARGET_DIR`, cargo reuses one binary for every checkout
//! or worktree of the repository. Through the real binary, run in a copy of the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What a checkout holds that the commands read: the workspace manifest and lock file, cargo's
/// configuration, the spec, the generated crate and the sources of both workspace crates.
const COPIED: &[&str] = &["Cargo.toml", "Cargo.lock", ".cargo", "spec", "generated-client", "codegen", "xtask"];

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-checkout-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the file or directory `from` to `to`.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("copying {} to {}: {e}", from.display(), to.display()));
    }
}

/// `xtask ARGS`, run in `cwd`.
fn xtask(cwd: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(cwd).output().unwrap();
    eprintln!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    output
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The files of the original checkout's crate that a regeneration would change.
fn original_crate() -> Vec<String> {
    let dir = xtask::root().join("generated-client");
    ["README.md", "src/lib.rs", "openapi.yaml", "Cargo.toml", "CHANGELOG.md"]
        .iter()
        .map(|f| read(&dir.join(f)))
        .collect()
}

#[test]
fn codegen_regenerates_the_checkout_it_is_run_in() {
    let original = xtask::root();
    let before = original_crate();
    let dir = tempdir("copy");
    let copy_root = dir.join("checkout");
    for path in COPIED {
        copy(&original.join(path), &copy_root.join(path));
    }
    // The copy's spec says something the original's does not.
    let spec_path = copy_root.join("spec/runloop.yaml");
    let spec = read(&spec_path);
    let from = "  description: >-\n    The RunLoop API spec";
    assert!(spec.contains(from), "spec/runloop.yaml's info.description moved");
    std::fs::write(&spec_path, spec.replacen(from, "  description: >-\n    A copied checkout's RunLoop API spec", 1))
        .unwrap();
    // A workspace of its own below the root (as the commands write under `.cache/`) is passed over:
    // it has no `xtask` member.
    let scratch = copy_root.join(".cache/scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    xtask::write_workspace(&scratch, "", &["member".to_owned()], "").unwrap();

    // Stale in the copy, from a directory below its root.
    assert!(!xtask(&scratch, &["codegen", "--check"]).status.success(), "the copy's crate is stale");
    assert!(xtask(&copy_root.join("spec"), &["codegen"]).status.success());
    let readme = read(&copy_root.join("generated-client/README.md"));
    assert!(readme.contains("A copied checkout's RunLoop API spec"), "{readme}");
    assert!(read(&copy_root.join("generated-client/src/lib.rs")).contains("//! A copied checkout's RunLoop API spec"));
    assert_eq!(read(&copy_root.join("generated-client/openapi.yaml")), read(&spec_path));
    assert!(xtask(&scratch, &["codegen", "--check"]).status.success(), "the copy's crate is fresh");

    assert_eq!(original_crate(), before, "the original checkout's crate changed");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn outside_a_workspace_the_error_says_so() {
    let dir = tempdir("outside");
    assert!(xtask::find_root_from(&dir).is_none(), "{} is inside a workspace", dir.display());
    let output = xtask(&dir, &["codegen", "--check"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not in the generator's workspace")
            && stderr.contains(&format!("in {} or any directory above it", dir.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(std::fs::read_dir(&dir).unwrap().next().is_none(), "wrote into {}", dir.display());
    let _ = std::fs::remove_dir_all(&dir);
}
