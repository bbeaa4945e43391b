// Wire checks for `fixtures/prelude_names.rs` (see `tests/wire.rs`): the types named like the
// prelude are renamed, so a glob import of the types leaves `None`, `Some`, `Ok`, `Err`,
// `Option`, `Result`, `String`, `Vec` and `Default` meaning what they mean.
use types::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let maybe: Option<String> = None;
    assert_eq!(maybe, Option::<String>::None);
    let parsed: Result<i32, String> = Ok(1);
    assert!(matches!(parsed, Ok(1)));
    assert!(Some(1).is_some());
    let _: Vec<u8> = Vec::new();
    let _: String = Default::default();
    let err: Result<(), String> = Err("x".to_owned());
    assert!(err.is_err());

    let wrapped: ResultType = serde_json::from_str(r#"{"ok": {"done": true}, "err": "e"}"#)?;
    assert_eq!(wrapped.ok.and_then(|ok: OkType| ok.done), Some(true));
    assert_eq!(wrapped.err.as_deref(), Some("e"));
    let none: DefaultType = serde_json::from_str(r#"{"none": "none"}"#)?;
    assert_eq!(none.none, Some(NoneType::None));
    let list: VecType = serde_json::from_str(r#"[{"count": 2}]"#)?;
    assert_eq!(list[0].count, Some(2));
    let text: StringType = serde_json::from_str(r#"{"value": "v"}"#)?;
    assert_eq!(text.value.as_deref(), Some("v"));
    let _: ErrType = "e".to_owned();
    let _: SomeType = SomeType::default();
    Ok(())
}
