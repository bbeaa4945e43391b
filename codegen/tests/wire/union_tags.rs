// Wire checks for `fixtures/union_tags.rs` (see `tests/wire.rs`): discriminator tags come from
// the branches' own values, encoding writes the tag decoding reads, and unknown tags are kept
// (lenient) or refused (strict).
fn main() {
    use serde_json::json;
    use types::*;

    // The branch's own `enum`/`const` is its tag, not its schema name.
    let active: ThreadStatus = read(json!({"type": "active"}));
    assert!(matches!(&active, ThreadStatus::Active(s) if s.type_ == ActiveStatusType::Active), "{active:?}");
    let closed: ThreadStatus = read(json!({"type": "closed", "reason": "done"}));
    assert!(matches!(&closed, ThreadStatus::Closed(s) if s.reason == "done"), "{closed:?}");
    let by_name: ThreadStatus = read(json!({"type": "ActiveStatus"}));
    assert!(matches!(by_name, ThreadStatus::Unknown(_)), "a schema name is not a tag when the branch has its own");
    // A value the crate builds is written with the tag it is read back by.
    let built = ThreadStatus::Active(ActiveStatus::new());
    assert_eq!(serde_json::to_value(&built).unwrap(), json!({"type": "active"}));
    round_trip(&built);
    round_trip(&closed);
    // Unknown tags: kept when reading leniently, an error naming the tag when strict.
    let paused: ThreadStatus = read(json!({"type": "paused"}));
    assert_eq!(paused, ThreadStatus::Unknown(json!({"type": "paused"})));
    round_trip(&paused);
    let error = decode_strict::<ThreadStatus>(r#"{"type": "paused"}"#).unwrap_err().to_string();
    assert!(error.contains("paused"), "{error}");
    assert!(decode_strict::<ThreadStatus>(r#"{"type": "active"}"#).is_ok());

    // Through `allOf` and `$ref`; a partial mapping combines with the branch's own value; a
    // branch with neither is tagged by its schema name.
    let text: Item = read(json!({"id": "1", "kind": "text", "text": "hi"}));
    assert!(matches!(text, Item::Text(_)), "{text:?}");
    let archived: Item = read(json!({"id": "2", "kind": "archived"}));
    assert!(matches!(archived, Item::Archived(_)), "{archived:?}");
    let old: Item = read(json!({"id": "3", "kind": "old_archive"}));
    assert!(matches!(old, Item::Archived(_)), "{old:?}");
    let legacy: Item = read(json!({"kind": "Legacy", "note": "n"}));
    assert!(matches!(legacy, Item::Legacy(_)), "{legacy:?}");
    round_trip(&text);
    round_trip(&archived);
    // A branch whose tag field is free text gets its tag written when it does not hold one.
    let mut unset = Legacy::default();
    unset.note = Some("n".into());
    assert_eq!(serde_json::to_value(Item::Legacy(unset)).unwrap(), json!({"note": "n", "kind": "Legacy"}));
    let mut wrong = Legacy::default();
    wrong.kind = Some("text".into());
    assert_eq!(serde_json::to_value(Item::Legacy(wrong)).unwrap(), json!({"kind": "Legacy"}));

    // Inline branches with their own tags; several values for one branch; a value two branches
    // allow selects the first.
    let circle: Shape = read(json!({"shape": "circle", "radius": 1.5}));
    assert!(matches!(circle, Shape::Circle(_)), "{circle:?}");
    let square: Shape = read(json!({"shape": "square", "side": 2.0}));
    let boxed: Shape = read(json!({"shape": "box", "side": 2.0}));
    assert!(matches!(square, Shape::Side(_)) && matches!(boxed, Shape::Side(_)), "{square:?} {boxed:?}");
    let dot: Shape = read(json!({"shape": "dot"}));
    assert!(matches!(dot, Shape::Object(_)), "{dot:?}");
    round_trip(&square);
    round_trip(&dot);
}
