// Wire checks for `fixtures/openapi_32.rs` (see `tests/wire.rs`): a discriminator's
// `defaultMapping` (OpenAPI 3.2) reads a value with an unknown or missing tag as the default
// branch, not as `Unknown` or an error, strictly too, and writes it back as it was read.
fn main() {
    use serde_json::json;
    use types::*;

    let running: Status = read(json!({"state": "running", "since": 5}));
    assert!(matches!(&running, Status::Running(r) if r.since == 5), "{running:?}");
    round_trip(&running);
    // An unknown tag, and no tag at all: the default branch.
    let paused: Status = read(json!({"state": "paused", "note": "by user"}));
    assert!(matches!(&paused, Status::Other(o) if o.state == "paused"), "{paused:?}");
    assert_eq!(serde_json::to_value(&paused).unwrap(), json!({"state": "paused", "note": "by user"}));
    round_trip(&paused);
    let strict = decode_strict::<Status>(r#"{"state": "paused"}"#).unwrap();
    assert!(matches!(strict, Status::Other(_)), "{strict:?}");
    // The default branch requires `state`: a value without it is an error, as for any branch.
    assert!(serde_json::from_value::<Status>(json!({"note": "n"})).is_err());
}
