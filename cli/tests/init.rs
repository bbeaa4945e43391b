//! `openapi-client-gen init` in scratch git repositories outside this workspace: after it,
//! `cargo xtask codegen --check` passes there, an edit of the spec makes it fail with the diff,
//! and `cargo xtask codegen` fixes it; an existing workspace is joined with its comments kept;
//! nothing is ever overwritten, and the refusal names the file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-client-gen-init-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    let git = Command::new("git").args(["init", "-q"]).current_dir(&dir).status().unwrap();
    assert!(git.success());
    dir
}

fn show(output: Output) -> Output {
    eprintln!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    output
}

fn init(dir: &Path, args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_openapi-client-gen");
    show(Command::new(bin).arg("init").args(args).current_dir(dir).output().unwrap())
}

/// `cargo xtask ARGS` in `dir`, as a user runs it: through the alias `init` wrote. The scratch
/// repository gets this workspace's lock file (the same dependency versions, nothing to resolve)
/// and a target directory of its own, kept between runs.
fn xtask(dir: &Path, args: &[&str]) -> Output {
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("init-xtask");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.arg("xtask").args(args).current_dir(dir).env("CARGO_TARGET_DIR", target);
    show(command.output().unwrap())
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// A one-operation spec: a pet by id (`pets.yaml` beside the tests).
const SPEC: &str = include_str!("pets.yaml");

#[test]
fn after_init_the_drift_check_passes_fails_on_a_spec_edit_and_codegen_fixes_it() {
    let dir = scratch("flow");
    std::fs::write(dir.join("spec/pets.yaml"), SPEC).unwrap();
    let out = init(&dir, &["--spec", "spec/pets.yaml", "--name", "pets"]);
    assert_eq!(out.status.code(), Some(0));
    let (stdout, _) = text(&out);
    for file in
        ["Cargo.toml", ".cargo/config.toml", "xtask/src/main.rs", "pets/src/lib.rs", ".github/workflows/pets-drift.yml"]
    {
        assert!(stdout.contains(&format!("wrote    {file}\n")), "{file} not in:\n{stdout}");
    }
    let drift = std::fs::read_to_string(dir.join(".github/workflows/pets-drift.yml")).unwrap();
    assert!(drift.contains("run: cargo xtask codegen --check"), "{drift}");

    let fresh = xtask(&dir, &["codegen", "--check"]);
    assert_eq!(fresh.status.code(), Some(0));
    assert!(text(&fresh).0.contains("pets is up to date with"), "{:?}", text(&fresh));

    let edited =
        SPEC.replace("        id: {type: string}\n", "        id: {type: string}\n        name: {type: string}\n");
    std::fs::write(dir.join("spec/pets.yaml"), edited).unwrap();
    let stale = xtask(&dir, &["codegen", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let (stdout, stderr) = text(&stale);
    assert!(stdout.contains("changed: src/types.rs") && stdout.contains("+    pub name:"), "{stdout}");
    assert!(stderr.contains("is stale: run `cargo xtask codegen` and commit the result"), "{stderr}");

    let fixed = xtask(&dir, &["codegen"]);
    assert_eq!(fixed.status.code(), Some(0));
    assert!(text(&fixed).0.contains("updated  "), "{:?}", text(&fixed));
    assert_eq!(xtask(&dir, &["codegen", "--check"]).status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn init_joins_an_existing_workspace_and_overwrites_nothing() {
    let dir = scratch("join");
    std::fs::write(dir.join("spec/pets.yaml"), SPEC).unwrap();
    let manifest = "# Our workspace.\n[workspace]\nmembers = [\"app\"] # the app\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    assert_eq!(init(&dir, &["--spec", "spec/pets.yaml", "--name", "pets"]).status.code(), Some(0));
    let joined = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(joined.starts_with("# Our workspace.\n[workspace]\n"), "{joined}");
    assert!(joined.contains("members = [\"app\", \"xtask\", \"pets\"] # the app"), "{joined}");

    // Again: everything exists now; the refusal names a file and nothing changes.
    let lib = std::fs::read_to_string(dir.join("pets/src/lib.rs")).unwrap();
    std::fs::write(dir.join("pets/src/lib.rs"), "// mine\n").unwrap();
    let again = init(&dir, &["--spec", "spec/pets.yaml", "--name", "pets"]);
    assert_eq!(again.status.code(), Some(1));
    let (_, stderr) = text(&again);
    assert!(
        stderr.contains(".github/workflows/pets-drift.yml exists; init writes nothing over an existing file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(dir.join("pets/src/lib.rs")).unwrap(), "// mine\n");
    assert_eq!(std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(), joined);
    assert!(lib.contains("@generated"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn init_refuses_outside_a_repository_and_a_spec_outside_it() {
    let dir = std::env::temp_dir().join(format!("openapi-client-gen-init-nogit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pets.yaml"), SPEC).unwrap();
    let out = init(&dir, &["--spec", "pets.yaml", "--name", "pets"]);
    // A temporary directory inside a git repository would make this test meaningless.
    if !Path::new("/tmp/.git").exists() {
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out).1.contains("is not in a git repository"), "{:?}", text(&out));
    }
    let repo = scratch("outside");
    let out = init(&repo, &["--spec", dir.join("pets.yaml").to_str().unwrap(), "--name", "pets"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("is outside the repository"), "{:?}", text(&out));
    assert!(!repo.join("pets").exists() && !repo.join("Cargo.toml").exists());
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&repo).unwrap();
}
