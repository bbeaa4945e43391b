//! Bad input fails well: a clear error naming the JSON pointer (and line:column for syntax
//! errors), what was found and what was expected; never a panic. The cases below also produce
//! `codegen/ERRORS.md`, the table of inputs and messages in the docs (rewrite it with
//! `UPDATE_EXPECT=1` after a deliberate change).

use codegen::{Error, Options, generate};

struct Case {
    what: &'static str,
    spec: String,
    /// The JSON pointer the error must name ("" for none, e.g. syntax errors).
    pointer: &'static str,
    /// Text the message must contain.
    contains: &'static str,
}

fn doc(body: &str) -> String {
    format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\n{body}")
}

fn deep(levels: usize) -> String {
    let mut s = String::from(
        "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \"components\": {\"schemas\": {\"Deep\": ",
    );
    for _ in 0..levels {
        s.push_str("{\"type\": \"object\", \"properties\": {\"x\": ");
    }
    s.push_str("{\"type\": \"string\"}");
    for _ in 0..levels {
        s.push_str("}}");
    }
    s.push_str("}}}");
    s
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            what: "invalid YAML",
            spec: "openapi: 3.1.0\ninfo: [unclosed\n".into(),
            pointer: "",
            contains: "YAML syntax error at line",
        },
        Case {
            what: "invalid JSON",
            spec: "{\"openapi\": \"3.1.0\",}".into(),
            pointer: "",
            contains: "JSON syntax error at line 1",
        },
        Case {
            what: "empty file",
            spec: "".into(),
            pointer: "",
            contains: "expected an OpenAPI document (a mapping), found null",
        },
        Case { what: "not a mapping", spec: "- a\n- b\n".into(), pointer: "", contains: "found an array" },
        Case {
            what: "not an OpenAPI document",
            spec: "name: my-package\nversion: 1.0.0\n".into(),
            pointer: "",
            contains: "the `openapi` field is missing",
        },
        Case {
            what: "Swagger 2.0",
            spec: "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
            pointer: "/swagger",
            contains: "Convert it first",
        },
        Case {
            what: "unknown OpenAPI version",
            spec: "openapi: 4.0.0\ninfo: {title: t, version: '1'}\n".into(),
            pointer: "/openapi",
            contains: "supported are 3.0.x and 3.1.x",
        },
        Case {
            what: "unresolved `$ref`",
            spec: doc(
                "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
            ),
            pointer: "/components/schemas/A/properties/b",
            contains: "does not resolve",
        },
        Case {
            what: "`$ref` to another file",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'common.yaml#/Pet'}\n"),
            pointer: "/components/schemas/A/allOf/0",
            contains: "bundle the spec into one file",
        },
        Case {
            what: "`$ref` that is not a string",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 42}\n"),
            pointer: "/components/schemas/A/$ref",
            contains: "expected a reference string, found a number",
        },
        Case {
            what: "alias cycle",
            spec: doc(
                "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            ),
            pointer: "/components/schemas/A",
            contains: "reference cycle with no data in between: A → B → A",
        },
        Case {
            what: "duplicate `operationId`",
            spec: doc(
                "paths:\n  /a:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n",
            ),
            pointer: "/paths/~1b/get/operationId",
            contains: "duplicate operationId `list` (also at #/paths/~1a/get)",
        },
        Case {
            what: "schema that is not a mapping",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: [1, 2]\n"),
            pointer: "/components/schemas/A",
            contains: "expected a schema (a mapping), found an array",
        },
        Case {
            what: "unknown `type`",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: strnig}\n"),
            pointer: "/components/schemas/A/type",
            contains: "unknown type `strnig`",
        },
        Case {
            what: "`type` of the wrong kind",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: 7}\n"),
            pointer: "/components/schemas/A/type",
            contains: "expected a type name or an array of type names, found a number",
        },
        Case {
            what: "`properties` that is not a mapping",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: [a]}\n"),
            pointer: "/components/schemas/A/properties",
            contains: "expected a mapping of property names to schemas",
        },
        Case {
            what: "path template naming an undeclared parameter (strict mode)",
            spec: doc("paths:\n  /items/{id}:\n    get: {operationId: get, responses: {'200': {description: ok}}}\n"),
            pointer: "",
            contains: "no path parameter `id` is declared; generated as a string parameter",
        },
        Case {
            what: "operation missing `responses`",
            spec: doc("paths:\n  /a:\n    get: {operationId: a}\n"),
            pointer: "/paths/~1a/get",
            contains: "missing field `responses`",
        },
        Case {
            what: "schemas nested 10,000 deep",
            spec: deep(10_000),
            pointer: "",
            contains: "recursion limit exceeded",
        },
        Case {
            what: "YAML nested 10,000 deep",
            spec: format!(
                "openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx: {}{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
            pointer: "",
            contains: "recursion limit exceeded",
        },
        Case {
            what: "unknown media type (strict mode)",
            spec: doc(
                "paths:\n  /upload:\n    post:\n      operationId: upload\n      requestBody:\n        content:\n          application/x-custom: {}\n      responses: {'200': {description: ok}}\n",
            ),
            pointer: "",
            contains: "request media type `application/x-custom` is not known; the body is sent as raw bytes",
        },
        Case {
            what: "unknown schema keyword (strict mode)",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLenght: 3}\n"),
            pointer: "",
            contains: "at #/components/schemas/A/maxLenght: unknown schema keyword `maxLenght`",
        },
    ]
}

fn run(case: &Case) -> Error {
    let options = Options { strict: true, ..Default::default() };
    match std::panic::catch_unwind(|| generate(&case.spec, &options)) {
        Ok(Ok(_)) => panic!("{}: generation succeeded", case.what),
        Ok(Err(e)) => e,
        Err(_) => panic!("{}: generation panicked", case.what),
    }
}

#[test]
fn bad_specs_get_clear_errors() {
    for case in cases() {
        let err = run(&case);
        let message = err.to_string();
        assert!(message.contains(case.contains), "{}: expected {:?} in:\n{message}", case.what, case.contains);
        let pointer = err.pointer().map(|p| p.as_str().to_owned()).unwrap_or_default();
        assert_eq!(pointer, case.pointer, "{}: wrong pointer in:\n{message}", case.what);
    }
}

#[test]
fn error_table_in_the_docs_matches_the_tests() {
    let mut table = String::from(
        "# What the generator says about bad input\n\n\
         Produced by `codegen/tests/bad_specs.rs` from the cases it asserts (regenerate with\n\
         `UPDATE_EXPECT=1 cargo test -p codegen --test bad_specs`); every message is what the\n\
         generator really prints. `cargo xtask codegen` prefixes it with the spec file's path.\n\n\
         | input | message |\n|---|---|\n",
    );
    for case in cases() {
        let message = run(&case).to_string().replace('|', "\\|").replace('\n', "<br>");
        table.push_str(&format!("| {} | `{}` |\n", case.what, message.replace('`', "'")));
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ERRORS.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &table).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(current, table, "ERRORS.md is stale: rerun with UPDATE_EXPECT=1 and review");
}

#[test]
fn non_strict_mode_generates_and_reports_warnings() {
    let spec = doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLenght: 3, required: true}\n");
    let out = generate(&spec, &Options::default()).unwrap();
    let warnings: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("#/components/schemas/A/maxLenght")));
    assert!(warnings.iter().any(|w| w.contains("#/components/schemas/A/required")));
}

#[test]
fn huge_enums_and_keyword_names_generate() {
    let values: Vec<String> = (0..10_000).map(|i| format!("v{i}")).collect();
    let spec = doc(&format!(
        "paths: {{}}\ncomponents:\n  schemas:\n    Big: {{type: string, enum: [{}]}}\n    Ints: {{type: integer, enum: [{}]}}\n    self: {{type: object, properties: {{Self: {{type: string}}, crate: {{type: string}}, gen: {{type: string}}, '': {{type: string}}}}}}\n",
        values.join(", "),
        (0..10_000).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
    ));
    let out = generate(&spec, &Options::default()).unwrap();
    let types = &out.files["src/types.rs"];
    assert!(types.contains("V9999,"));
    assert!(types.contains("pub const VALUE_9999: Self = Self(9999);"));
    assert!(types.contains("pub struct Self_") || types.contains("pub struct SelfType"));
}
