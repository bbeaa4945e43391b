//! What the `Serialize` and `Deserialize` impls of the generated object types call: one generic
//! function per step, compiled once, so that each type's impls are a line per field and little
//! else.
//!
//! Written by hand rather than derived because of what serde's derives cost at this scale: per
//! struct, `Deserialize` expands a field-name enum with its own visitor, a visitor for the
//! sequence form and one for the map form, with several branches per field in each, and
//! `Serialize` a branch per optional field for its length and another for its value. Measured
//! on GitHub's API (1,858 object types, `cargo check` of the types alone): the derives took the
//! peak from 1.0 GB to 4.2 GB.
//!
//! The impls the generator writes behave like the derives' on JSON: unknown fields are skipped,
//! a repeated field is an error ("duplicate field"), a missing required one is "missing field", a
//! missing `Option` field is `None` and a missing `Nullable` one `Absent`, keys are borrowed from
//! the input when they have no escapes; `None` and `Absent` fields are left out when writing
//! (`skip_field`, for formats that care). Unlike the derive, they do not accept an array for an
//! object: JSON Schema never allows it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error as _, IgnoredAny, MapAccess};
use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

use super::Nullable;

/// How many of an object's optional fields are present: the length a serializer is told.
pub(crate) fn count(present: &[bool]) -> usize {
    present.iter().filter(|present| **present).count()
}

/// An object's fields written as a struct (`serialize_struct`).
pub(crate) fn struct_fields<S: Serializer>(
    serializer: S,
    name: &'static str,
    len: usize,
) -> Out<AsStruct<S::SerializeStruct>> {
    Out { state: serializer.serialize_struct(name, len).map(AsStruct) }
}

/// An object's fields written as a map (`serialize_map`): for types with additional
/// properties, whose keys are not known in advance.
pub(crate) fn map_fields<S: Serializer>(serializer: S, len: usize) -> Out<AsMap<S::SerializeMap>> {
    Out { state: serializer.serialize_map(Some(len)).map(AsMap) }
}

/// Where an object's fields are written: a struct or a map.
pub(crate) trait Entries {
    type Ok;
    type Error: serde::ser::Error;

    fn entry<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) -> Result<(), Self::Error>;

    fn skip(&mut self, name: &'static str) -> Result<(), Self::Error>;

    fn end(self) -> Result<Self::Ok, Self::Error>;
}

pub(crate) struct AsStruct<S>(S);

impl<S: SerializeStruct> Entries for AsStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn entry<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) -> Result<(), S::Error> {
        self.0.serialize_field(name, value)
    }

    fn skip(&mut self, name: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(name)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

pub(crate) struct AsMap<S>(S);

impl<S: SerializeMap> Entries for AsMap<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn entry<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) -> Result<(), S::Error> {
        self.0.serialize_entry(name, value)
    }

    fn skip(&mut self, _name: &'static str) -> Result<(), S::Error> {
        Ok(())
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// An object being written. The first error is kept and the fields after it are not written,
/// so that each field is one call with no `?` (that branch, per field of every type, is
/// what the compiler would pay for).
pub(crate) struct Out<E: Entries> {
    state: Result<E, E::Error>,
}

impl<E: Entries> Out<E> {
    fn write(&mut self, write: impl FnOnce(&mut E) -> Result<(), E::Error>) {
        if let Ok(entries) = &mut self.state
            && let Err(error) = write(entries)
        {
            self.state = Err(error);
        }
    }

    /// A field always written (`null` for a `None` of a required nullable field).
    pub(crate) fn field<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.write(|entries| entries.entry(name, value));
    }

    /// An `Option` field: left out when `None`.
    pub(crate) fn optional<V: Serialize>(&mut self, name: &'static str, value: &Option<V>) {
        self.write(|entries| match value {
            Some(value) => entries.entry(name, value),
            None => entries.skip(name),
        });
    }

    /// A `Nullable` field: left out when `Absent`, `null` when `Null`.
    pub(crate) fn nullable<V: Serialize>(&mut self, name: &'static str, value: &Nullable<V>) {
        self.write(|entries| match value {
            Nullable::Absent => entries.skip(name),
            Nullable::Null | Nullable::Value(_) => entries.entry(name, value),
        });
    }

    /// The end of the object, or the first error.
    pub(crate) fn end(self) -> Result<E::Ok, E::Error> {
        self.state?.end()
    }
}

impl<S: SerializeMap> Out<AsMap<S>> {
    /// The additional properties, after the named fields.
    pub(crate) fn additional<V: Serialize>(&mut self, properties: &BTreeMap<String, V>) {
        for (name, value) in properties {
            self.write(|entries| entries.0.serialize_entry(name, value));
        }
    }
}

/// A type read from a JSON object by its fields.
pub(crate) trait Object: Sized {
    /// Reads the object's entries.
    fn from_fields<'de, A: MapAccess<'de>>(fields: Fields<'de, A>) -> Result<Self, A::Error>;
}

/// The body of `Deserialize::deserialize` for an [`Object`]; `expecting` is what an error says
/// was expected: `struct Name`, as serde's derive says. (An argument rather than a constant
/// of the trait: a constant per type is one more item per type to compile.)
pub(crate) fn deserialize<'de, T: Object, D: serde::Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor { expecting, marker: PhantomData })
}

struct ObjectVisitor<T> {
    expecting: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<'de, T: Object> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_fields(Fields { map, marker: PhantomData })
    }
}

/// An object's entries, read one key and one value at a time.
pub(crate) struct Fields<'de, A> {
    map: A,
    marker: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Fields<'de, A> {
    /// The next key, or `None` after the last entry.
    pub(crate) fn key(&mut self) -> Result<Option<Key<'de>>, A::Error> {
        self.map.next_key()
    }

    /// Reads the value of the field `name` into its slot; a second value for it is an error.
    pub(crate) fn value<T: serde::Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(A::Error::duplicate_field(name));
        }
        *slot = Some(self.map.next_value()?);
        Ok(())
    }

    /// Skips the value of a field the type does not have (an error when values are read
    /// [`exact`](super::exact::Level::Exact)ly, as an untagged union's first round does).
    pub(crate) fn skip(&mut self, key: &Key<'de>) -> Result<(), A::Error> {
        if super::exact::level() == super::exact::Level::Exact {
            return Err(A::Error::custom(format_args!("unknown field `{}`", key.as_str())));
        }
        self.map.next_value::<IgnoredAny>().map(drop)
    }

    /// Skips every entry: the whole object, for a type without fields.
    pub(crate) fn skip_all(mut self) -> Result<(), A::Error> {
        while let Some(key) = self.map.next_key::<Key<'de>>()? {
            self.skip(&key)?;
        }
        Ok(())
    }

    /// Reads the value of a field the type does not name into its additional properties.
    pub(crate) fn additional<T: serde::Deserialize<'de>>(
        &mut self,
        key: Key<'de>,
        additional: &mut BTreeMap<String, T>,
    ) -> Result<(), A::Error> {
        let value = self.map.next_value()?;
        additional.insert(key.0.into_owned(), value);
        Ok(())
    }

    /// A required field's value, or the "missing field" error.
    pub(crate) fn required<T>(&self, slot: Option<T>, name: &'static str) -> Result<T, A::Error> {
        slot.ok_or_else(|| A::Error::missing_field(name))
    }

    /// An `Option` field's value: `None` when missing or `null`.
    pub(crate) fn optional<T>(&self, slot: Option<Option<T>>) -> Option<T> {
        slot.flatten()
    }

    /// A `Nullable` field's value: `Absent` when missing.
    pub(crate) fn nullable<T>(&self, slot: Option<Nullable<T>>) -> Nullable<T> {
        slot.unwrap_or_default()
    }
}

/// An object's key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> serde::de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }
}
