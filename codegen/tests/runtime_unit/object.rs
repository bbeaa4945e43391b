//! `runtime/object.rs`: the runtime's `object` helpers as the generator calls them for a type with additional
//! properties (the `containers` fixture shows and compiles the generated impls this mirrors):
//! named fields first, every other key kept, and written back after the named fields.

use std::collections::BTreeMap;

use crate::runtime::Nullable;
use crate::runtime::object::{self, Fields, Object};

#[derive(Debug, PartialEq)]
struct WithExtras {
    name: Option<String>,
    note: Nullable<String>,
    id: Option<i64>,
    additional_properties: BTreeMap<String, u32>,
}

impl serde::Serialize for WithExtras {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = 1 + object::count(&[self.name.is_some(), self.note.is_present()]) + self.additional_properties.len();
        let mut out = object::map_fields(serializer, len);
        out.optional("name", &self.name);
        out.nullable("note", &self.note);
        out.field("id", &self.id);
        out.additional(&self.additional_properties);
        out.end()
    }
}

impl<'de> serde::Deserialize<'de> for WithExtras {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object::deserialize(deserializer, "struct WithExtras")
    }
}

impl Object for WithExtras {
    fn from_fields<'de, A: serde::de::MapAccess<'de>>(mut fields: Fields<'de, A>) -> Result<Self, A::Error> {
        let (mut name, mut note, mut id) = (None, None, None);
        let mut additional_properties = BTreeMap::new();
        while let Some(key) = fields.key()? {
            match key.as_str() {
                "name" => fields.value(&mut name, "name"),
                "note" => fields.value(&mut note, "note"),
                "id" => fields.value(&mut id, "id"),
                _ => fields.additional(key, &mut additional_properties),
            }?;
        }
        Ok(Self {
            name: fields.optional(name),
            note: fields.nullable(note),
            id: fields.optional(id),
            additional_properties,
        })
    }
}

#[test]
fn additional_properties_are_kept_and_written_after_the_named_fields() {
    let value: WithExtras = serde_json::from_str(r#"{"b": 2, "name": "x", "a": 1, "note": null}"#).unwrap();
    assert_eq!(value.name.as_deref(), Some("x"));
    assert_eq!(value.note, Nullable::Null);
    assert_eq!(value.id, None);
    assert_eq!(value.additional_properties, BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
    // `note: null` is written (it was sent as null), `id` is a required nullable field: `null`.
    assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"name":"x","note":null,"id":null,"a":1,"b":2}"#);
}

#[test]
fn absent_fields_are_left_out_and_a_bad_extra_value_is_an_error() {
    let value: WithExtras = serde_json::from_str(r#"{"id": 7}"#).unwrap();
    assert_eq!(value.note, Nullable::Absent);
    assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"id":7}"#);
    let err = serde_json::from_str::<WithExtras>(r#"{"extra": "not a number"}"#).unwrap_err();
    assert!(err.to_string().starts_with("invalid type: string \"not a number\", expected u32"), "{err}");
}

/// A type without fields (the `containers` fixture's `HolderMergedEmpty`) reads any object.
#[derive(Debug)]
struct Nothing;

impl Object for Nothing {
    fn from_fields<'de, A: serde::de::MapAccess<'de>>(fields: Fields<'de, A>) -> Result<Self, A::Error> {
        fields.skip_all()?;
        Ok(Self)
    }
}

impl<'de> serde::Deserialize<'de> for Nothing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object::deserialize(deserializer, "struct Nothing")
    }
}

#[test]
fn a_type_without_fields_skips_every_entry_but_wants_an_object() {
    serde_json::from_str::<Nothing>(r#"{"a": [1, {"b": null}], "c": "d"}"#).unwrap();
    serde_json::from_str::<Nothing>("{}").unwrap();
    let err = serde_json::from_str::<Nothing>("[]").unwrap_err();
    assert!(err.to_string().starts_with("invalid type: sequence, expected struct Nothing"), "{err}");
}

#[test]
fn count_counts_what_is_present() {
    assert_eq!(object::count(&[]), 0);
    assert_eq!(object::count(&[true, false, true]), 2);
}
