//! What `cargo xtask codegen` does when the spec changes, through the real binary on a copy of
//! `spec/runloop.yaml`: the change report (printed, `--report`, GitHub step outputs), the version
//! bump and changelog entry, `--no-bump`, and the drift check failing until the crate is
//! regenerated. This is the logic the regenerate workflow runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-regen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `cargo xtask codegen --spec SPEC --out OUT` with `extra` flags.
fn codegen(dir: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(["codegen", "--name", "runloop", "--spec"]).arg(dir.join("spec.yaml")).arg("--out").arg(dir.join("out"));
    cmd.args(extra).env("GITHUB_OUTPUT", dir.join("github_output"));
    let output = cmd.output().unwrap();
    eprintln!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    output
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn version(dir: &Path) -> String {
    let manifest = read(dir.join("out/Cargo.toml"));
    manifest.lines().find_map(|l| l.strip_prefix("version = \"")).unwrap().trim_end_matches('"').to_owned()
}

fn edit_spec(dir: &Path, from: &str, to: &str) {
    let spec = read(dir.join("spec.yaml"));
    assert!(spec.contains(from), "{from}");
    std::fs::write(dir.join("spec.yaml"), spec.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_spec_change_is_reported_bumped_and_logged() {
    let dir = tempdir("flow");
    std::fs::copy(xtask::root().join("spec/runloop.yaml"), dir.join("spec.yaml")).unwrap();
    assert!(codegen(&dir, &[]).status.success());
    assert_eq!(version(&dir), "0.1.0");
    assert_eq!(read(dir.join("out/openapi.yaml")), read(dir.join("spec.yaml")));

    // A breaking change: a required request field.
    edit_spec(
        &dir,
        "      required:\n        - command\n",
        "      required:\n        - command\n        - shell_name\n",
    );
    let check = codegen(&dir, &["--check", "--report", dir.join("report.md").to_str().unwrap()]);
    assert!(!check.status.success(), "the drift check must fail on a stale crate");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("**breaking** type `DevboxCreateExecutionParameters`"), "{stdout}");
    let report = read(dir.join("report.md"));
    assert!(report.starts_with("## API changes: runloop 0.1.0 → 0.2.0\n"), "{report}");
    assert_eq!(report.lines().last(), Some("semver: major"));
    assert_eq!(version(&dir), "0.1.0", "--check writes nothing");

    assert!(codegen(&dir, &[]).status.success());
    assert_eq!(version(&dir), "0.2.0");
    let changelog = read(dir.join("out/CHANGELOG.md"));
    assert!(changelog.contains("## 0.2.0\n\nRegenerated from RunLoop API 0.1: breaking changes (semver: major).\n\n### Breaking (1)\n\n- **breaking** type `DevboxCreateExecutionParameters`: field `shell_name` is required and nullable (was optional and nullable): `new` takes it and its `with_*` setter is gone\n\n## 0.1.0\n"), "{changelog}");
    let outputs = read(dir.join("github_output"));
    assert!(outputs.ends_with("changed=true\nsemver=major\nversion=0.2.0\n"), "{outputs}");

    // Regenerating from the same spec is a fixed point, and the drift check passes.
    assert!(codegen(&dir, &["--check"]).status.success());
    assert!(codegen(&dir, &[]).status.success());
    assert_eq!(version(&dir), "0.2.0");

    // A compatible change: an enum value.
    edit_spec(&dir, "        - completed\n", "        - completed\n        - failed\n");
    assert!(codegen(&dir, &[]).status.success());
    assert_eq!(version(&dir), "0.2.1");
    assert!(read(dir.join("out/CHANGELOG.md")).contains("## 0.2.1\n\nRegenerated from RunLoop API 0.1: compatible additions (semver: minor).\n\n### Compatible (1)\n\n- **compatible** type `DevboxExecutionStatus`: value `failed` added"));

    // --no-bump records the spec but keeps the version and changelog.
    let changelog = read(dir.join("out/CHANGELOG.md"));
    edit_spec(&dir, "        - failed\n", "");
    let kept = codegen(&dir, &["--no-bump", "--report", dir.join("report.md").to_str().unwrap()]);
    assert!(kept.status.success());
    assert_eq!(version(&dir), "0.2.1");
    assert_eq!(read(dir.join("out/CHANGELOG.md")), changelog);
    assert_eq!(read(dir.join("out/openapi.yaml")), read(dir.join("spec.yaml")));
    let report = read(dir.join("report.md"));
    assert!(report.contains("(version not bumped)") && report.ends_with("semver: major\n"), "{report}");
    assert!(codegen(&dir, &["--check"]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The regenerate workflow runs exactly this logic: on spec changes and by hand, `cargo xtask
/// codegen --report`, the report as the pull request's body. (`cargo xtask test` lints the file.)
#[test]
fn the_workflow_runs_codegen_with_the_report_as_the_pull_request_body() {
    let workflow = read(xtask::root().join(".github/workflows/regenerate.yml"));
    assert!(workflow.contains("paths: ['spec/**']") && workflow.contains("workflow_dispatch:"), "{workflow}");
    assert!(workflow.contains("run: cargo xtask codegen --report \"$RUNNER_TEMP/report.md\""), "{workflow}");
    assert!(workflow.contains("uses: peter-evans/create-pull-request@v7"), "{workflow}");
    assert!(workflow.contains("body-path: ${{ runner.temp }}/report.md"), "{workflow}");
    for output in ["semver", "version"] {
        assert!(workflow.contains(&format!("steps.codegen.outputs.{output}")), "{workflow}");
    }
}

/// A recorded spec that no longer generates is an error that says what to do, not a panic, and
/// writes nothing.
#[test]
fn an_unusable_record_is_an_error_naming_the_way_out() {
    let dir = tempdir("record");
    std::fs::copy(xtask::root().join("spec/runloop.yaml"), dir.join("spec.yaml")).unwrap();
    assert!(codegen(&dir, &[]).status.success());
    std::fs::write(dir.join("out/openapi.yaml"), "openapi: 3.0.0\npaths: [\n").unwrap();
    let failed = codegen(&dir, &[]);
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("the recorded spec (openapi.yaml) does not generate any more"), "{stderr}");
    assert!(stderr.contains("remove it to regenerate without a report"), "{stderr}");
    std::fs::remove_file(dir.join("out/openapi.yaml")).unwrap();
    assert!(codegen(&dir, &[]).status.success());
    assert_eq!(read(dir.join("out/openapi.yaml")), read(dir.join("spec.yaml")));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hand-written code in `src/extra/` survives every regeneration byte for byte: the drift check
/// lists it apart and asks for the one generated change it brings (the crate root declaring
/// `pub mod extra;`), and a regeneration after a spec change keeps it.
#[test]
fn hand_written_code_survives_regeneration() {
    let dir = tempdir("extra");
    std::fs::copy(xtask::root().join("spec/runloop.yaml"), dir.join("spec.yaml")).unwrap();
    assert!(codegen(&dir, &[]).status.success());
    assert!(!read(dir.join("out/src/lib.rs")).contains("pub mod extra;"));
    let helper = "//! Mine.\n\npub fn answer() -> u32 {\n    42\n}\n";
    std::fs::create_dir_all(dir.join("out/src/extra")).unwrap();
    std::fs::write(dir.join("out/src/extra/mod.rs"), helper).unwrap();

    let check = codegen(&dir, &["--check"]);
    assert!(!check.status.success(), "the crate root does not declare the new module yet");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("changed: src/lib.rs") && stdout.contains("+pub mod extra;"), "{stdout}");
    assert!(!stdout.contains("src/extra/mod.rs"), "hand-written files are not a difference: {stdout}");

    let write = codegen(&dir, &[]);
    assert!(write.status.success());
    let stdout = String::from_utf8_lossy(&write.stdout);
    assert!(stdout.contains("kept") && stdout.contains("src/extra/mod.rs (hand-written)"), "{stdout}");
    assert!(read(dir.join("out/src/lib.rs")).contains("pub mod extra;"));
    assert_eq!(read(dir.join("out/src/extra/mod.rs")), helper);

    edit_spec(
        &dir,
        "      required:\n        - command\n",
        "      required:\n        - command\n        - shell_name\n",
    );
    assert!(codegen(&dir, &[]).status.success());
    assert_eq!(read(dir.join("out/src/extra/mod.rs")), helper);
    let check = codegen(&dir, &["--check"]);
    assert!(check.status.success());
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("(not compared: 1 hand-written file in src/extra/)"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}
