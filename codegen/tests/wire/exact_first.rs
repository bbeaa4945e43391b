// Wire checks for `fixtures/exact_first.rs` (see `tests/wire.rs`): untagged unions try every
// branch exactly before any open fallback, objects prefer the branch that names every field, and
// unions of constants are one enum.
fn main() {
    use serde_json::json;
    use types::*;

    // `"365"` is not an unknown value of the `none` enum: the string branch matches it exactly.
    let days: MaxExtensionLength = read(json!("365"));
    assert_eq!(days, MaxExtensionLength::String("365".into()));
    let none: MaxExtensionLength = read(json!("none"));
    assert_eq!(none, MaxExtensionLength::None(MaxExtensionLengthNone::None));
    // A string the pattern refuses is no branch's exactly: read leniently, the first branch
    // that takes it keeps it (the enum's fallback).
    let other: MaxExtensionLength = read(json!("forever"));
    assert_eq!(other, MaxExtensionLength::None(MaxExtensionLengthNone::Unknown("forever".into())));
    assert!(decode_strict::<MaxExtensionLength>(r#""forever""#).is_err());
    let number: MaxExtensionLength = read(json!(30));
    assert_eq!(number, MaxExtensionLength::Integer(30));
    for value in [&days, &none, &number] {
        round_trip(value);
    }

    // Objects: the branch that names every field wins over an earlier one that would skip some;
    // a value with fields no branch names still reads, by the first branch that accepts it.
    let pilot: Seat = read(json!({"name": "Ada", "license": "ATPL"}));
    assert!(matches!(&pilot, Seat::Pilot(p) if p.license == "ATPL"), "{pilot:?}");
    let person: Seat = read(json!({"name": "Bo"}));
    assert!(matches!(person, Seat::Person(_)), "{person:?}");
    let newer: Seat = read(json!({"name": "Cy", "seat": "12A"}));
    assert!(matches!(newer, Seat::Person(_)), "{newer:?}");
    round_trip(&pilot);

    // An open enum before a plain string: known values are the enum's, others the string's.
    assert_eq!(read::<Mode>(json!("fast")), Mode::Speed(Speed::Fast));
    assert_eq!(read::<Mode>(json!("warp")), Mode::String("warp".into()));

    // A union of string constants is one enum, named from the titles; unknown values are kept.
    assert_eq!(read::<ActionTypes>(json!("INVITE_CREATE")), ActionTypes::InviteCreate);
    assert_eq!(read::<ActionTypes>(json!("INVITE_DELETE")), ActionTypes::InviteDeleted);
    assert_eq!(read::<ActionTypes>(json!("NEW_THING")), ActionTypes::Unknown("NEW_THING".into()));
    assert_eq!(serde_json::to_value(ActionTypes::TypingStart).unwrap(), json!("TYPING_START"));
    assert!(decode_strict::<ActionTypes>(r#""NEW_THING""#).is_err());
    // Integer constants: a newtype with one constant per value, named from the titles.
    assert_eq!(read::<ChannelTypes>(json!(2)), ChannelTypes::GUILD_VOICE);
    assert_eq!(serde_json::to_value(ChannelTypes::DM).unwrap(), json!(1));

    // In a struct: strict decoding refuses unknown values anywhere inside.
    let setting: Setting = read(json!({"action": "TYPING_START", "channel": 0, "limit": "7"}));
    assert_eq!(setting.action, ActionTypes::TypingStart);
    assert_eq!(setting.limit, Some(MaxExtensionLength::String("7".into())));
    round_trip(&setting);
    assert!(decode_strict::<Setting>(r#"{"action": "TYPING_START"}"#).is_ok());
    assert!(decode_strict::<Setting>(r#"{"action": "SOMETHING_ELSE"}"#).is_err());
}
