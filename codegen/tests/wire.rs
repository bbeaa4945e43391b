//! Fixture types on the wire, both directions: for each `tests/wire/NAME.rs`, the fixture
//! `tests/fixtures/NAME.rs` (generated, compiled as it is by `fixtures.rs`) is compiled again
//! with that file's `main` instead of its empty one (and the helpers `read` and `round_trip`), and
//! run by trybuild: the assertions decode JSON into the generated types and encode them back.

use std::path::Path;

/// Helpers every check may call, compiled in after the fixture's items.
const HELPERS: &str = r#"
/// Decodes a JSON value as `T`, leniently (as responses are read).
#[allow(dead_code)]
fn read<T: ::serde::de::DeserializeOwned>(value: ::serde_json::Value) -> T {
    ::serde_json::from_value(value).unwrap()
}

/// Asserts that `value` encodes to JSON that decodes to an equal value.
#[allow(dead_code)]
fn round_trip<T: ::serde::Serialize + ::serde::de::DeserializeOwned + PartialEq + ::std::fmt::Debug>(value: &T) {
    let written = ::serde_json::to_value(value).unwrap();
    assert_eq!(&::serde_json::from_value::<T>(written).unwrap(), value);
}
"#;

#[test]
fn fixture_types_on_the_wire() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runtime = root.join("templates/runtime/mod.rs");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wire");
    std::fs::create_dir_all(&out).unwrap();
    let mut checks: Vec<_> = std::fs::read_dir(root.join("tests/wire")).unwrap().map(|e| e.unwrap().path()).collect();
    checks.sort();
    assert!(!checks.is_empty(), "no wire checks in tests/wire");
    let t = trybuild::TestCases::new();
    for check in checks {
        let name = check.file_stem().unwrap().to_str().unwrap();
        let fixture = std::fs::read_to_string(root.join("tests/fixtures").join(format!("{name}.rs")))
            .unwrap_or_else(|e| panic!("tests/wire/{name}.rs needs the fixture tests/fixtures/{name}.rs: {e}"));
        let main = "fn main() {}\n";
        assert!(fixture.ends_with(main), "the fixture {name}.rs no longer ends with an empty main");
        let types = fixture[..fixture.len() - main.len()]
            .replace(
                "#[path = \"../../templates/runtime/mod.rs\"]",
                &format!("#[path = {:?}]", runtime.display().to_string()),
            )
            .replace(
                "#[path = \"../../templates/webhooks/verify.rs\"]",
                &format!("#[path = {:?}]", root.join("templates/webhooks/verify.rs").display().to_string()),
            )
            .replace(
                "#[path = \"../../templates/mock/server.rs\"]",
                &format!("#[path = {:?}]", root.join("templates/mock/server.rs").display().to_string()),
            );
        let program = format!("{types}\n{HELPERS}\n{}", std::fs::read_to_string(&check).unwrap());
        let path = out.join(format!("{name}.rs"));
        std::fs::write(&path, program).unwrap();
        t.pass(&path);
    }
}
