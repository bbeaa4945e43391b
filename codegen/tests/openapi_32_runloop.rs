//! The Runloop API described in OpenAPI 3.2 (`spec/runloop-openapi-3.2.yaml`: its event streams
//! as whole-event `itemSchema`s, their `data` JSON text of a `contentSchema`) generates the same
//! public API as `spec/runloop.yaml`, the 3.1 source of truth: the same types and resources, byte
//! for byte, and no warning either way.

use codegen::{Options, generate};

fn generated(file: &str) -> codegen::Generated {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec").join(file);
    let spec = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = Options { crate_name: "runloop".into(), ..Options::default() };
    generate(&spec, &options).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_3_2_edition_generates_the_same_api_as_the_3_1_source() {
    let v31 = generated("runloop.yaml");
    let v32 = generated("runloop-openapi-3.2.yaml");
    assert!(v32.warnings.is_empty(), "the 3.2 edition generates with warnings: {:#?}", v32.warnings);
    assert_eq!(v31.warnings.len(), v32.warnings.len());
    for file in ["src/types.rs", "src/resources.rs", "src/lib.rs"] {
        let (a, b) = (&v31.files[file], &v32.files[file]);
        if a != b {
            let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
            panic!(
                "{file} differs from line {}: the 3.1 source has\n  {}\nthe 3.2 edition\n  {}\n\
                 (an edit of spec/runloop.yaml belongs in spec/runloop-openapi-3.2.yaml too)",
                line + 1,
                a.lines().nth(line).unwrap_or_default(),
                b.lines().nth(line).unwrap_or_default()
            );
        }
    }
    let ops = |g: &codegen::Generated| g.operations.iter().map(|o| (o.id.clone(), o.route.clone())).collect::<Vec<_>>();
    assert_eq!(ops(&v31), ops(&v32));
}

/// OpenAPI 3.2's OAuth 2 additions: a scheme with only the device authorization flow generates
/// with no warning (the client sends the token the user supplies, as for the authorization-code
/// flow), and `oauth2MetadataUrl` is named in the scheme's docs.
#[test]
fn the_device_flow_takes_a_supplied_token_and_the_metadata_url_is_documented() {
    let spec = r#"
openapi: 3.2.0
info: {title: Device, version: '1'}
servers: [{url: 'https://api.example.com'}]
security: [{device: [read]}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
components:
  securitySchemes:
    device:
      type: oauth2
      oauth2MetadataUrl: https://auth.example.com/.well-known/oauth-authorization-server
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://auth.example.com/device
          tokenUrl: https://auth.example.com/token
          scopes: {read: read things}
"#;
    let options = Options { crate_name: "device".into(), ..Options::default() };
    let generated = generate(spec, &options).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    // A supplied token, sent as a bearer token: no token URL to fetch from, a setter and a variable.
    let lib = &generated.files["src/lib.rs"];
    assert!(
        lib.contains("kind: runtime::SchemeKind::OAuth2 {\n                token_url: ::std::option::Option::None,"),
        "{lib}"
    );
    assert!(lib.contains("from the environment: `DEVICE_DEVICE`"), "{lib}");
    assert!(
        lib.contains("metadata (RFC 8414): <https://auth.example.com/.well-known/oauth-authorization-server>"),
        "{lib}"
    );
}

/// The 3.2 fixture uses every addition of OpenAPI 3.2 the generator reads (the README's table):
/// it generates in strict mode, where a warning is an error. Its output compiles with clippy and
/// rustdoc warnings denied in `cargo xtask test`.
#[test]
fn the_3_2_fixture_with_every_addition_generates_strictly() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi_32.yaml");
    let spec = std::fs::read_to_string(&path).unwrap();
    for addition in [
        "query:",
        "additionalOperations:",
        "itemSchema:",
        "text/event-stream",
        "application/jsonl",
        "application/x-ndjson",
        "application/json-seq",
        "multipart/mixed",
        "mediaTypes:",
        "prefixEncoding:",
        "itemEncoding:",
        "allowReserved:",
        "in: querystring",
        "style: cookie",
        "defaultMapping:",
        "parent:",
        "kind:",
        "$self:",
        "dataValue:",
        "serializedValue:",
        "deviceAuthorization:",
        "oauth2MetadataUrl:",
        "name: Production",
        "summary:",
    ] {
        assert!(spec.contains(addition), "the fixture no longer uses `{addition}`");
    }
    let options = Options { crate_name: "fixture".into(), strict: true, ..Options::default() };
    let generated = generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.is_empty(), "{:#?}", generated.warnings);
    // The scheme only a custom method names is known (`openapiv3` does not list those methods).
    assert!(generated.files["src/lib.rs"].contains("name: \"device\""), "the `device` scheme is missing");
}
