//! The generated crate's `examples/quickstart.rs`, run: a failure is reported as the error's
//! message and a failure status, not as the `Debug` that returning the error from `main` would
//! print.

#[test]
fn the_quick_start_reports_a_failure_as_a_sentence() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "runloop", "--example", "quickstart"])
        .current_dir(&root)
        .env_remove("RUNLOOP_API_KEY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim_end(), "error: invalid client configuration: RUNLOOP_API_KEY is not set");
}
