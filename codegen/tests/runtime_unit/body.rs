//! `runtime/body.rs`: multipart parts from values.

use crate::runtime::Parts;

#[test]
fn multipart_values_are_text_json_or_repeated() {
    let parts = Parts::new()
        .value("path", "a/b.txt", None)
        .value("count", &3, None)
        .value("flag", &true, None)
        .value("meta", &serde_json::json!({"k": "v"}), None)
        .value("tags", &["x", "y"], None)
        .value("absent", &Option::<String>::None, None)
        .value("as_json", &["z"], Some("application/json"))
        .value("name_json", "q", Some("application/json"));
    let debug = format!("{parts:?}");
    for expected in [
        r#"Text { name: "path", value: "a/b.txt", content_type: None }"#,
        r#"Text { name: "count", value: "3", content_type: None }"#,
        r#"Text { name: "flag", value: "true", content_type: None }"#,
        r#"Text { name: "meta", value: "{\"k\":\"v\"}", content_type: Some("application/json") }"#,
        r#"Text { name: "tags", value: "x", content_type: None }, Text { name: "tags", value: "y", content_type: None }"#,
        r#"Text { name: "as_json", value: "[\"z\"]", content_type: Some("application/json") }"#,
        r#"Text { name: "name_json", value: "\"q\"", content_type: Some("application/json") }"#,
    ] {
        assert!(debug.contains(expected), "{expected} not in {debug}");
    }
    assert!(!debug.contains("absent"));
}
