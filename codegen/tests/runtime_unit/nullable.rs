//! `runtime/nullable.rs`: `Nullable`, absent, `null` or a value.

use crate::runtime::Nullable;

const ABSENT: Nullable<String> = Nullable::Absent;
const NULL: Nullable<String> = Nullable::Null;

fn value() -> Nullable<String> {
    Nullable::Value("bash".to_owned())
}

#[test]
fn predicates_tell_the_three_states_apart() {
    let states = [ABSENT, NULL, value()];
    let table: Vec<(bool, bool, bool, bool)> =
        states.iter().map(|n| (n.is_absent(), n.is_null(), n.is_value(), n.is_present())).collect();
    assert_eq!(table, [(true, false, false, false), (false, true, false, true), (false, false, true, true)]);
}

#[test]
fn reading_treats_absent_and_null_as_no_value() {
    assert_eq!(value().value(), Some(&"bash".to_owned()));
    assert_eq!(NULL.value(), None);
    assert_eq!(ABSENT.value(), None);
    assert_eq!(value().into_option(), Some("bash".to_owned()));
    assert_eq!(Option::<String>::from(NULL), None);
    assert_eq!(Option::from(value()), Some("bash".to_owned()));
    assert_eq!(NULL.unwrap_or("sh".to_owned()), "sh");
    assert_eq!(value().unwrap_or("sh".to_owned()), "bash");
    assert_eq!(ABSENT.unwrap_or_default(), "");
    assert_eq!(NULL.unwrap_or_else(|| "zsh".to_owned()), "zsh");
    assert_eq!(value().ok_or("missing"), Ok("bash".to_owned()));
    assert_eq!(ABSENT.ok_or("missing"), Err("missing"));
    assert_eq!(Nullable::<i32>::Null.ok_or(-1), Err(-1));
}

#[test]
fn adapters_keep_absent_and_null_apart() {
    assert_eq!(value().as_ref(), Nullable::Value(&"bash".to_owned()));
    assert_eq!(NULL.as_ref(), Nullable::Null);
    assert_eq!(ABSENT.as_ref(), Nullable::Absent);
    assert_eq!(value().as_deref(), Nullable::Value("bash"));
    assert_eq!(NULL.as_deref(), Nullable::Null);
    assert_eq!(value().map(|s| s.len()), Nullable::Value(4));
    assert_eq!(NULL.map(|s| s.len()), Nullable::Null);
    assert_eq!(ABSENT.map(|s| s.len()), Nullable::Absent);
    let mut n = value();
    if let Nullable::Value(s) = n.as_mut() {
        s.push_str("-5");
    }
    assert_eq!(n, Nullable::Value("bash-5".to_owned()));
    let mut null = NULL;
    assert_eq!(null.as_mut(), Nullable::Null);
}

#[test]
fn options_become_nullable_only_by_a_named_choice() {
    assert_eq!(Nullable::absent_if_none(None::<String>), ABSENT);
    assert_eq!(Nullable::null_if_none(None::<String>), NULL);
    assert_eq!(Nullable::absent_if_none(Some("bash".to_owned())), value());
    assert_eq!(Nullable::null_if_none(Some("bash".to_owned())), value());
    assert_eq!(Nullable::from("bash".to_owned()), value());
    assert_eq!(Nullable::<String>::default(), ABSENT);
}

#[test]
fn serialises_a_value_and_null_and_reads_null_as_null() {
    assert_eq!(serde_json::to_string(&value()).unwrap(), "\"bash\"");
    assert_eq!(serde_json::to_string(&NULL).unwrap(), "null");
    assert_eq!(serde_json::from_str::<Nullable<String>>("null").unwrap(), NULL);
    assert_eq!(serde_json::from_str::<Nullable<String>>("\"bash\"").unwrap(), value());
}
