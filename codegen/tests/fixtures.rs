//! Fixture specs, one edge case each: `tests/fixtures/NAME.{yaml,json}` → `tests/fixtures/NAME.rs`.
//!
//! The expected output is a real Rust file, reviewed like code, and compiled by trybuild, so a
//! snapshot can't rot. Run with `UPDATE_EXPECT=1` to rewrite the expected files after a
//! deliberate change, then review the diff.

use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    specs.sort();
    assert!(specs.len() >= 10, "fixtures went missing from {}", dir.display());
    specs
}

fn render(spec: &Path) -> String {
    let text = std::fs::read_to_string(spec).unwrap();
    let name = spec.file_stem().unwrap().to_str().unwrap();
    let options = codegen::Options {
        crate_name: "fixture".into(),
        command: format!("cargo test -p codegen --test fixtures ({name})"),
        // A fixture named `*_as_strings` is generated with every typed format kept a `String`.
        string_formats: if name.ends_with("_as_strings") {
            codegen::Format::ALL.into_iter().collect()
        } else {
            Default::default()
        },
        ..Default::default()
    };
    codegen::generate_fixture(&text, &options, "../../templates/runtime/mod.rs")
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
}

#[test]
fn fixture_output_matches_expected_files() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut stale = Vec::new();
    for spec in fixtures() {
        let expected_path = spec.with_extension("rs");
        let actual = render(&spec);
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).unwrap();
            } else {
                let diff = similar::TextDiff::from_lines(&expected, &actual)
                    .unified_diff()
                    .header("expected", "actual")
                    .to_string();
                stale.push(format!("{}:\n{diff}", expected_path.display()));
            }
        }
    }
    assert!(stale.is_empty(), "fixture output changed (rerun with UPDATE_EXPECT=1 and review):\n{}", stale.join("\n"));
}

#[test]
fn fixture_output_compiles() {
    let t = trybuild::TestCases::new();
    for spec in fixtures() {
        t.pass(spec.with_extension("rs"));
    }
}

#[test]
fn every_fixture_is_deterministic() {
    for spec in fixtures() {
        assert_eq!(render(&spec), render(&spec), "{}", spec.display());
    }
}
