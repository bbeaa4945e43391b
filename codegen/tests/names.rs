//! Names do not depend on the order the spec is walked in: an inline type several parents share
//! is named once all its users are known, so reordering the paths that use it changes no name.
//! (Its docs and the pointer they cite are the first user's, in spec order.)

fn types_rs(paths: &[(&str, &str)]) -> String {
    let paths: Vec<String> = paths
        .iter()
        .map(|(path, id)| {
            format!(
                r#""{path}": {{"get": {{"operationId": "{id}", "parameters": [
                    {{"name": "order", "in": "query", "schema": {{"type": "string", "enum": ["asc", "desc"]}}}},
                    {{"name": "state", "in": "query", "schema": {{"type": "string", "enum": ["on", "off"]}}}}],
                  "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema":
                    {{"type": "object", "properties": {{"owner": {{"type": "object", "properties": {{"login": {{"type": "string"}}}}}}}}}}}}}}}}}}}}}}"#
            )
        })
        .collect();
    let spec = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Order", "version": "1"}}, "paths": {{{}}}}}"#,
        paths.join(",")
    );
    let generated = codegen::generate(&spec, &codegen::Options::default()).unwrap();
    generated.files["src/types.rs"]
        .lines()
        .filter(|l| !l.starts_with("/// Generated from"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn shared_names_do_not_depend_on_the_order_of_paths() {
    let forward = types_rs(&[("/assistants", "listAssistants"), ("/files", "listFiles"), ("/runs", "listRuns")]);
    let backward = types_rs(&[("/runs", "listRuns"), ("/files", "listFiles"), ("/assistants", "listAssistants")]);
    assert_eq!(forward, backward);
    // Named for what the users share, not after the first of them.
    assert!(forward.contains("pub enum Order {"), "{forward}");
    assert!(forward.contains("pub enum State {"), "{forward}");
    assert!(forward.contains("pub struct ResponseOwner {"), "{forward}");
    // Users sharing only a place word and a verb: the shortest user's name, whatever the order.
    assert!(forward.contains("pub struct ListRunsResponse {"), "{forward}");
    assert!(!forward.contains("ListAssistantsOrder"), "{forward}");
}
