//! The client runtime: configuration, authentication, retries, errors and decoding; event
//! streams, JSON Lines, downloads and uploads (files and multipart bodies).
//!
//! This module is the same for every generated crate; only `crate::SPEC` (the base URL, the
//! authentication scheme and the environment prefix) comes from the spec. It is hand-written
//! because no crate offers an HTTP client runtime with this retry policy: retry middlewares such
//! as `reqwest-retry` retry by method and status only, and cannot tell "provably not processed"
//! (refused connection, 429, `x-should-retry: true`) from "maybe processed" for a `POST`.

// The runtime serves every spec; a given spec uses only some encodings and auth schemes.
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use futures_core::Stream;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

/// Where the API key goes, from the spec's `securitySchemes`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Auth {
    /// No scheme in the spec.
    None,
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `Authorization: Basic <key>`.
    Basic,
    /// The key in the named header.
    Header(&'static str),
    /// The key in the named query parameter.
    Query(&'static str),
}

/// What the runtime needs to know about the API.
pub(crate) struct Spec {
    /// Prefix of the environment variables (`<PREFIX>_API_KEY`, ...).
    pub(crate) env_prefix: &'static str,
    /// The first server in the spec.
    pub(crate) default_base_url: Option<&'static str>,
    /// How the key is sent.
    pub(crate) auth: Auth,
}

/// The default timeout of one attempt, as in the official SDKs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default idle timeout of an event stream, a JSON Lines stream or a download: the longest
/// wait for the next chunk of the body once the response headers arrived.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 5;
/// The first backoff delay; it doubles per retry up to [`MAX_BACKOFF`].
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The longest computed backoff delay.
pub const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// `Retry-After` / `retry-after-ms` values above this are not trusted; the computed backoff is used.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The request header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "x-request-id";

/// An API key that never shows itself in `Debug` or `Display`.
#[derive(Clone)]
struct ApiKey(String);

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// A field that may be absent, `null`, or a value: for optional nullable properties of types
/// sent in requests, where "leave unchanged" (absent) and "clear" (`null`) mean different things.
/// (A type that is only ever received uses `Option<T>` for such fields: absent and `null` read
/// alike.)
///
/// It reads like `Option`: [`value`](Nullable::value), [`map`](Nullable::map),
/// [`unwrap_or`](Nullable::unwrap_or), [`into_option`](Nullable::into_option) and so on, where
/// absent and `null` both count as "no value".
///
/// # Absent and `null` are never confused
///
/// There is deliberately no `From<Option<T>>`: whether `None` should mean "leave it out" or
/// "send `null`" is the caller's decision, so it is spelled out:
///
/// ```ignore
/// let name: Option<String> = None;
/// body.shell_name = Nullable::absent_if_none(name.clone()); // omitted from the request
/// body.shell_name = Nullable::null_if_none(name); // sent as `null`
/// body.shell_name = "bash".to_owned().into(); // `From<T>`: a value
/// ```
///
/// The other way, `Option::from(nullable)` (or [`into_option`](Nullable::into_option)) forgets
/// the difference, which is safe: nothing is sent from it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Nullable<T> {
    /// Not sent / not received.
    #[default]
    Absent,
    /// Sent / received as `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `Value(value)` for `Some(value)`, `Absent` (the field is left out) for `None`.
    pub fn absent_if_none(option: Option<T>) -> Self {
        option.map_or(Self::Absent, Self::Value)
    }

    /// `Value(value)` for `Some(value)`, `Null` (the field is sent as `null`) for `None`.
    pub fn null_if_none(option: Option<T>) -> Self {
        option.map_or(Self::Null, Self::Value)
    }

    /// Whether the field is absent (used to skip it when serialising).
    pub const fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is explicitly `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// Whether the field holds a value.
    pub const fn is_value(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// Whether the field is present: `null` or a value.
    pub const fn is_present(&self) -> bool {
        !self.is_absent()
    }

    /// The value, if there is one.
    pub const fn value(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one; absent and `null` both become `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    /// `Nullable<&T>`, keeping absent and `null` apart.
    pub const fn as_ref(&self) -> Nullable<&T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(v),
        }
    }

    /// `Nullable<&mut T>`, keeping absent and `null` apart.
    pub fn as_mut(&mut self) -> Nullable<&mut T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(v),
        }
    }

    /// `Nullable<&T::Target>` (`&str` for a `Nullable<String>`), keeping absent and `null` apart.
    pub fn as_deref(&self) -> Nullable<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.as_ref().map(|v| &**v)
    }

    /// Maps the value with `f`; absent stays absent and `null` stays `null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(f(v)),
        }
    }

    /// The value, or `default` when absent or `null`.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// The value, or `T::default()` when absent or `null`.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_option().unwrap_or_default()
    }

    /// The value, or what `f` makes when absent or `null`.
    pub fn unwrap_or_else(self, f: impl FnOnce() -> T) -> T {
        self.into_option().unwrap_or_else(f)
    }

    /// `Ok(value)`, or `Err(error)` when absent or `null`.
    pub fn ok_or<E>(self, error: E) -> Result<T, E> {
        self.into_option().ok_or(error)
    }
}

impl<T> From<T> for Nullable<T> {
    /// A value.
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Nullable<T>> for Option<T> {
    /// The value; absent and `null` both become `None`.
    fn from(value: Nullable<T>) -> Self {
        value.into_option()
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(v) => serializer.serialize_some(v),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    /// A missing field is `Absent` through `#[serde(default)]` on the field; here the field is present.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|v| v.map_or(Self::Null, Self::Value))
    }
}

/// What the `Serialize` and `Deserialize` impls of the generated object types call: one generic
/// function per step, compiled once, so that each type's impls are a line per field and little
/// else.
///
/// Written by hand rather than derived because of what serde's derives cost at this scale: per
/// struct, `Deserialize` expands a field-name enum with its own visitor, a visitor for the
/// sequence form and one for the map form, with several branches per field in each, and
/// `Serialize` a branch per optional field for its length and another for its value. Measured
/// on GitHub's API (1,858 object types, `cargo check` of the types alone): the derives took the
/// peak from 1.0 GB to 4.2 GB.
///
/// The impls the generator writes behave like the derives' on JSON: unknown fields are skipped,
/// a repeated field is an error ("duplicate field"), a missing required one is "missing field", a
/// missing `Option` field is `None` and a missing `Nullable` one `Absent`, keys are borrowed from
/// the input when they have no escapes; `None` and `Absent` fields are left out when writing
/// (`skip_field`, for formats that care). Unlike the derive, they do not accept an array for an
/// object: JSON Schema never allows it.
pub(crate) mod object {
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
}

/// How strictly values are read, for choosing between the branches of an untagged union.
///
/// Open types keep what this client version does not know: a string enum's `Unknown(String)`,
/// a discriminated union's `Unknown(Value)`, the fields an object does not name. That is right
/// for a response, and wrong for choosing a union's branch: an early branch's fallback would
/// capture a value that a later branch matches exactly (`"365"` read as an unknown value of a
/// `none` enum instead of by the branch for numeric strings). So an untagged union tries its
/// branches in rounds, from [`Level::Exact`] down to the level it is read at, and the first
/// branch that reads in a round wins ([`union::untagged`](super::union::untagged)).
///
/// The level is a thread-local setting rather than an argument because serde's `Deserialize`
/// has no way to pass one down through the types it reads; reading is synchronous, so the
/// setting cannot leak into other tasks, and [`at`] restores it even when reading panics.
pub(crate) mod exact {
    use std::cell::Cell;

    /// How strictly values are read; each level refuses what the ones before it accept.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub(crate) enum Level {
        /// Everything decodes: unknown enum values and union tags go to the fallbacks, unknown
        /// object fields are skipped. How responses are read.
        Lenient,
        /// Unknown enum values and union tags are errors; unknown fields are still skipped.
        Known,
        /// Unknown fields are errors too: the value is exactly what the type declares.
        Exact,
    }

    thread_local! {
        static LEVEL: Cell<Level> = const { Cell::new(Level::Lenient) };
    }

    /// The level values are read at on this thread.
    pub(crate) fn level() -> Level {
        LEVEL.with(Cell::get)
    }

    /// Runs `read` at `level`, restoring the level before it afterwards (also on a panic).
    pub(crate) fn at<T>(level: Level, read: impl FnOnce() -> T) -> T {
        struct Restore(Level);
        impl Drop for Restore {
            fn drop(&mut self) {
                LEVEL.with(|cell| cell.set(self.0));
            }
        }
        let _restore = Restore(LEVEL.with(|cell| cell.replace(level)));
        read()
    }

    /// `Ok` when an open type may keep `value`, which it does not know, in its fallback; the
    /// error names the value and the type (`what`) otherwise.
    pub(crate) fn fallback<E: serde::de::Error>(value: &str, what: &str) -> Result<(), E> {
        if level() == Level::Lenient {
            Ok(())
        } else {
            Err(E::custom(format_args!("unknown value `{value}` for {what}")))
        }
    }
}

/// Reads JSON text as `T` like `serde_json::from_str`, but refuses what the generated types
/// would keep in an `Unknown` fallback: an enum value or a union tag this version of the
/// client does not know is an error naming it. Unknown object fields are still skipped.
///
/// For tests that a client knows every value a server sends, or that an example from the API's
/// docs decodes to its declared variant; responses are always read leniently.
pub fn decode_strict<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    exact::at(exact::Level::Known, || serde_json::from_str(json))
}

/// What the generated unions' serde impls call: untagged unions tried exact-first, and tags
/// written as they are read.
pub(crate) mod union {
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde_json::Value;

    use super::exact::{self, Level};

    /// A branch of an untagged union: reads the buffered value as the branch's type.
    pub(crate) type Branch<T> = fn(&Value) -> Result<T, serde_json::Error>;

    /// Reads an untagged union named `name`: the value is buffered, then the branches are tried
    /// in spec order in rounds, from [`Level::Exact`] down to the level the union is read at; the
    /// first branch that reads in a round wins. So no branch's open fallback captures a value
    /// that another branch matches exactly, and among exact matches the spec's order decides.
    pub(crate) fn untagged<'de, T, D: serde::Deserializer<'de>>(
        deserializer: D,
        name: &'static str,
        branches: &[Branch<T>],
    ) -> Result<T, D::Error> {
        let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
        let floor = exact::level();
        let mut errors = Vec::new();
        for level in [Level::Exact, Level::Known, Level::Lenient] {
            if level < floor {
                break;
            }
            errors.clear();
            for branch in branches {
                match exact::at(level, || branch(&value)) {
                    Ok(read) => return Ok(read),
                    Err(error) => errors.push(error.to_string()),
                }
            }
        }
        Err(D::Error::custom(format_args!("data did not match any variant of {name}: {}", errors.join("; "))))
    }

    /// Refuses a string that does not match a branch's `pattern` (`matches` tells), in the rounds
    /// that read values by what they declare; read leniently, a branch takes any string.
    pub(crate) fn pattern(
        value: &Value,
        pattern: &str,
        matches: impl Fn(&str) -> bool,
    ) -> Result<(), serde_json::Error> {
        match value {
            Value::String(text) if exact::level() > Level::Lenient && !matches(text) => {
                Err(<serde_json::Error as serde::de::Error>::custom(format_args!(
                    "`{text}` does not match the pattern `{pattern}`"
                )))
            }
            _ => Ok(()),
        }
    }

    /// Writes a discriminated union's branch with its tag: `value` as JSON with `property` set to
    /// the first of `tags` unless it holds one of them already, so that what is written is read
    /// back as the same branch. (Branches whose tag field can hold one value, their own tag, are
    /// written directly by the generated code.)
    pub(crate) fn tagged<S: serde::Serializer, V: serde::Serialize>(
        serializer: S,
        property: &str,
        tags: &[&str],
        value: &V,
    ) -> Result<S::Ok, S::Error> {
        let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
        if let Value::Object(map) = &mut json {
            let tagged = map.get(property).and_then(Value::as_str).is_some_and(|tag| tags.contains(&tag));
            if !tagged && let Some(first) = tags.first() {
                map.insert(property.to_owned(), Value::String((*first).to_owned()));
            }
        }
        serde::Serialize::serialize(&json, serializer)
    }

    /// Reads a discriminated union's value whose tag no branch has: into the fallback when values
    /// are read leniently, an error naming the tag otherwise.
    pub(crate) fn unknown_tag<E: serde::de::Error>(value: Value, property: &str, name: &str) -> Result<Value, E> {
        match exact::level() {
            Level::Lenient => Ok(value),
            _ => {
                let tag = value.get(property).map_or_else(|| "none".to_owned(), |tag| format!("`{tag}`"));
                Err(E::custom(format_args!("unknown `{property}` {tag} for {name}")))
            }
        }
    }
}

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status the operation does not document as success.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// An attempt timed out, or the overall deadline passed.
    #[error("{} timed out after {:.1?} ({attempts} attempt(s){})", .operation, .elapsed, if *.deadline { ", overall deadline reached" } else { "" })]
    Timeout {
        /// The operation id.
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// Time since the call started.
        elapsed: Duration,
        /// Whether the overall deadline (rather than one attempt's timeout) ended the call.
        deadline: bool,
    },
    /// The connection failed (refused, reset, TLS, DNS, ...). Its message names the root cause
    /// (`tcp connect error: Connection refused`, `dns error: failed to lookup address
    /// information`), which reqwest's own message ("error sending request") leaves to its sources.
    #[error("{operation}: connection failed after {attempts} attempt(s): {}", error_chain(.source))]
    Connection {
        /// The operation id.
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// The underlying error (its URL removed: it may carry a query-string key).
        #[source]
        source: reqwest::Error,
    },
    /// The response body did not match the documented type.
    #[error("{operation}: could not decode the {status} response at `{path}`: {message}; body starts with {excerpt:?}")]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The response status.
        status: StatusCode,
        /// Where in the body decoding failed (serde path, e.g. `data[0].status`).
        path: String,
        /// serde's message.
        message: String,
        /// The first 256 bytes of the body.
        excerpt: String,
        /// The response's request id, if any.
        request_id: Option<String>,
    },
    /// A stream or download received no data for longer than its idle timeout (see
    /// [`RequestBuilder::idle_timeout`]).
    #[error("{operation}: no data for {idle:.1?} while reading the response body (idle timeout)")]
    IdleTimeout {
        /// The operation id.
        operation: &'static str,
        /// The idle timeout that passed.
        idle: Duration,
    },
    /// Reading a file to upload, or writing a download to disk, failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the file's path.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The request could not be built (bad path parameter, unencodable body, ...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client configuration is unusable (missing key, bad base URL or header).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// Walking the pages of a list went wrong: the server sent a cursor or link it had sent
    /// before (walking on would never end), or a link to another host (not followed).
    #[error("{operation}: paging stopped: {message}")]
    Pagination {
        /// The operation id.
        operation: &'static str,
        /// What happened.
        message: String,
    },
}

impl Error {
    /// The HTTP status, for [`Error::Api`] and [`Error::Decode`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// The server's request id, where there was a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id.as_deref(),
            Self::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

/// An error's message followed by those of its sources, `: `-separated, skipping a message that
/// repeats the one before it (as wrappers often do). The URL is already removed from a
/// [`Error::Connection`]'s source, and the sources below it (hyper's, the OS's) name no URL.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut last = text.clone();
    let mut source = error.source();
    while let Some(e) = source {
        let message = e.to_string();
        if !message.is_empty() && !last.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        last = message;
        source = e.source();
    }
    text
}

/// A non-success response.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation id.
    pub operation: &'static str,
    /// The status.
    pub status: StatusCode,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body (lossily decoded as UTF-8).
    pub body: String,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<serde_json::Value>,
    /// Attempts made.
    pub attempts: u32,
}

impl ApiError {
    /// Decodes the body as the error type the spec documents for this status.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: server answered {}", self.operation, self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        let body = self.body.trim();
        if !body.is_empty() {
            write!(f, ": {}", excerpt(body.as_bytes(), 512))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

fn excerpt(bytes: &[u8], max: usize) -> String {
    let cut = &bytes[..bytes.len().min(max)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > max {
        s.push('…');
    }
    s
}

/// A successful response: the decoded value with the status, headers and attempts it took.
#[derive(Debug)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded body, by value.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("x-request-id").and_then(|v| v.to_str().ok())
    }

    /// How many attempts the call took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    max_retries: Option<u32>,
    deadline: Option<Duration>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    /// Header names only: a default header may carry a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_retries", &self.max_retries)
            .field("deadline", &self.deadline)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("http", &self.http.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// The API key (sent as the spec's security scheme requires).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey(key.into()));
        self
    }

    /// The base URL; default: the spec's first server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The timeout of each attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The idle timeout of streams and downloads (default 60 s): how long to wait for the next
    /// chunk once the response headers arrived. See [`RequestBuilder::idle_timeout`].
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// The connect timeout (default 5 s); ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt (default 5).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An overall deadline for a call, across all attempts and backoff (default: none).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Your own `reqwest::Client` (proxies, TLS roots, connection pool settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client, validating the base URL and headers.
    pub fn build(self) -> Result<Client, Error> {
        let base = self
            .base_url
            .or_else(|| crate::SPEC.default_base_url.map(str::to_owned))
            .ok_or_else(|| Error::Config("no base URL: the spec names no server; set one with `base_url`".into()))?;
        let base_url = url::Url::parse(&base).map_err(|e| Error::Config(format!("base URL {base:?}: {e}")))?;
        if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base URL {base:?} must be an http(s) URL")));
        }
        let mut headers = HeaderMap::new();
        let user_agent = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"), " (rust)");
        headers.insert(reqwest::header::USER_AGENT, HeaderValue::from_static(user_agent));
        for (name, value) in self.headers {
            let (name, value) = header_pair(&name, &value).map_err(Error::Config)?;
            headers.insert(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .redirect(redirect_policy())
                .build()
                .map_err(|e| Error::Config(format!("HTTP client: {}", e.without_url())))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                api_key: self.api_key,
                headers,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                idle_timeout: self.idle_timeout.unwrap_or(DEFAULT_IDLE_TIMEOUT),
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                deadline: self.deadline,
            }),
        })
    }
}

/// Same scheme, host and port (a default port written or not): where the API key may go.
fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// Redirects are followed (up to 10) except where the key would go along to another origin.
/// reqwest drops `Authorization` on a redirect to another host, but not a key in a header of
/// another name: with such a scheme, a redirect that leaves the origin is not followed, and the
/// 3xx response is returned as an error.
fn redirect_policy() -> reqwest::redirect::Policy {
    match crate::SPEC.auth {
        Auth::Header(_) => reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt.previous().last().is_some_and(|previous| same_origin(previous, attempt.url()));
            if attempt.previous().len() > 10 {
                attempt.error("too many redirects")
            } else if same_origin {
                attempt.follow()
            } else {
                attempt.stop()
            }
        }),
        _ => reqwest::redirect::Policy::limited(10),
    }
}

fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let n = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| format!("invalid header name {name:?}"))?;
    let v = HeaderValue::from_str(value.trim()).map_err(|_| format!("invalid value for header {name:?}"))?;
    Ok((n, v))
}

/// The API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: url::Url,
    api_key: Option<ApiKey>,
    headers: HeaderMap,
    timeout: Duration,
    idle_timeout: Duration,
    max_retries: u32,
    deadline: Option<Duration>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url.as_str())
            .field("api_key", &i.api_key)
            .field("timeout", &i.timeout)
            .field("idle_timeout", &i.idle_timeout)
            .field("max_retries", &i.max_retries)
            .field("deadline", &i.deadline)
            .field("default_headers", &i.headers.keys().map(HeaderName::as_str).collect::<Vec<_>>())
            .finish()
    }
}

impl Client {
    /// A builder with nothing set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the spec's default server with this API key.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// The builder `Client::from_env` uses: `<PREFIX>_API_KEY` (required), `<PREFIX>_BASE_URL`,
    /// and `<PREFIX>_CUSTOM_HEADERS` (newline-separated `Name: value` pairs). `from_env` and
    /// `builder_from_env` themselves are emitted at the crate root, so their docs can name the
    /// crate's real variables.
    pub(crate) fn env_builder() -> Result<ClientBuilder, Error> {
        let prefix = crate::SPEC.env_prefix;
        let var = |name: &str| std::env::var(format!("{prefix}_{name}")).ok().filter(|v| !v.trim().is_empty());
        let key = var("API_KEY").ok_or_else(|| Error::Config(format!("{prefix}_API_KEY is not set")))?;
        let mut builder = Self::builder().api_key(key);
        if let Some(url) = var("BASE_URL") {
            builder = builder.base_url(url);
        }
        if let Some(headers) = var("CUSTOM_HEADERS") {
            for line in headers.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let (name, value) = line.split_once(':').ok_or_else(|| {
                    Error::Config(format!("{prefix}_CUSTOM_HEADERS: expected `Name: value`, found {line:?}"))
                })?;
                builder = builder.default_header(name, value);
            }
        }
        Ok(builder)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// A request to an endpoint the spec does not describe (or describes differently), with the
    /// same authentication, headers, timeouts and retry policy as generated calls. `path` is taken
    /// as written (already encoded) and appended to the base URL; the response is decoded as JSON.
    pub fn request<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        method: Method,
        path: &str,
    ) -> RequestBuilder<T> {
        let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        // Traces show the path as written: there is no template to show instead.
        RequestBuilder::new(self, method, "custom request", Ok(path.into()), decode_json).authenticated(true)
    }
}

/// Builds a request path from literal pieces and percent-encoded parameters.
pub(crate) struct PathBuilder {
    template: &'static str,
    path: String,
    error: Option<String>,
}

/// Characters left as they are in a path segment: RFC 3986 unreserved only. Everything else,
/// including `/`, `?`, `#` and `%`, is percent-encoded, so a value can never leave its segment.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

impl PathBuilder {
    pub(crate) fn new(template: &'static str) -> Self {
        Self { template, path: String::new(), error: None }
    }

    pub(crate) fn literal(mut self, text: &str) -> Self {
        self.path.push_str(text);
        self
    }

    pub(crate) fn param<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match scalar(value) {
            Ok(Some(text)) => {
                let ends_segment = self.path.ends_with('/');
                // `.` and `..` filling a segment would be resolved away by URL normalisation,
                // even percent-encoded; an empty segment would change the route.
                if ends_segment && matches!(text.as_str(), "" | "." | "..") {
                    self.error.get_or_insert_with(|| {
                        format!("path parameter value {text:?} in `{}` would change the request path", self.template)
                    });
                }
                self.path.extend(percent_encoding::utf8_percent_encode(&text, SEGMENT));
            }
            Ok(None) => {
                self.error.get_or_insert_with(|| format!("path parameter in `{}` is null", self.template));
            }
            Err(e) => {
                self.error.get_or_insert_with(|| format!("path parameter in `{}`: {e}", self.template));
            }
        }
        self
    }

    pub(crate) fn finish(self) -> Result<RequestPath, Error> {
        match self.error {
            Some(e) => Err(Error::InvalidRequest(e)),
            None => Ok(RequestPath { template: Cow::Borrowed(self.template), path: self.path }),
        }
    }
}

/// A request's path, and the template it was built from (what traces show: it has no ids in it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RequestPath {
    pub(crate) template: Cow<'static, str>,
    pub(crate) path: String,
}

/// A path without parameters, which is its own template.
impl From<&'static str> for RequestPath {
    fn from(path: &'static str) -> Self {
        Self { template: Cow::Borrowed(path), path: path.to_owned() }
    }
}

/// A path without parameters, which is its own template.
impl From<String> for RequestPath {
    fn from(path: String) -> Self {
        Self { template: Cow::Owned(path.clone()), path }
    }
}

/// A parameter value as text: strings as they are, numbers and booleans in JSON spelling, `null`
/// as `None`. Arrays and objects are JSON (query and header parameters expand arrays themselves).
fn scalar<T: serde::Serialize + ?Sized>(value: &T) -> Result<Option<String>, String> {
    match serde_json::to_value(value).map_err(|e| e.to_string())? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s)),
        other => Ok(Some(other.to_string())),
    }
}

/// The body of a request, kept so that every attempt sends the same bytes: encoded once, or
/// reopened (a file path), or streamed once (a reader, which makes the call one-shot).
#[derive(Clone, Debug)]
enum Body {
    /// Encoded bytes (JSON, form, text, raw bytes).
    Bytes { content_type: &'static str, bytes: Bytes },
    /// One file as the whole body (`application/octet-stream` and other raw media types).
    File { content_type: &'static str, file: FilePart },
    /// `multipart/form-data` parts, in order.
    Multipart(Vec<PartSpec>),
}

impl Body {
    /// Whether the body can be sent again for a retry (no part is a one-shot reader).
    fn replayable(&self) -> bool {
        match self {
            Self::Bytes { .. } => true,
            Self::File { file, .. } => file.replayable(),
            Self::Multipart(parts) => parts.iter().all(|p| match p {
                PartSpec::Text { .. } => true,
                PartSpec::File { file, .. } => file.replayable(),
            }),
        }
    }

    /// The body of one attempt, with its `Content-Type` and, when known, `Content-Length` (for
    /// multipart, known when every part's length is: files from bytes or paths, not readers).
    async fn build(&self, http: &reqwest::Client) -> Result<(reqwest::Body, String, Option<u64>), Error> {
        match self {
            Self::Bytes { content_type, bytes } => {
                Ok((reqwest::Body::from(bytes.clone()), (*content_type).to_owned(), Some(bytes.len() as u64)))
            }
            Self::File { content_type, file } => {
                let (body, length) = file.open().await?;
                let content_type = file.content_type.clone().unwrap_or_else(|| (*content_type).to_owned());
                Ok((body, content_type, length))
            }
            Self::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for spec in parts {
                    form = match spec {
                        PartSpec::Text { name, value, content_type } => {
                            let mut part = reqwest::multipart::Part::text(value.clone());
                            if let Some(ct) = content_type {
                                part = part.mime_str(ct).map_err(|e| {
                                    Error::InvalidRequest(format!(
                                        "part {name}: content type {ct:?}: {}",
                                        e.without_url()
                                    ))
                                })?;
                            }
                            form.part(name.clone(), part)
                        }
                        PartSpec::File { name, file } => {
                            let (body, length) = file.open().await?;
                            let mut part = match length {
                                Some(n) => reqwest::multipart::Part::stream_with_length(body, n),
                                None => reqwest::multipart::Part::stream(body),
                            };
                            let ct = file.content_type.as_deref().unwrap_or("application/octet-stream");
                            part = part.mime_str(ct).map_err(|e| {
                                Error::InvalidRequest(format!("part {name}: content type {ct:?}: {}", e.without_url()))
                            })?;
                            if let Some(file_name) = file.file_name_ref() {
                                part = part.file_name(file_name.to_owned());
                            }
                            form.part(name.clone(), part)
                        }
                    };
                }
                // reqwest computes the length of a form only while building a request from it: build
                // one (nothing is sent) and take its body and headers.
                let mut request = http
                    .post("http://multipart.invalid/")
                    .multipart(form)
                    .build()
                    .map_err(|e| Error::InvalidRequest(format!("multipart body: {}", e.without_url())))?;
                let header = |name| request.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok());
                let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default().to_owned();
                let length = header(reqwest::header::CONTENT_LENGTH).and_then(|v| v.parse().ok());
                let body = request.body_mut().take().unwrap_or_else(|| reqwest::Body::from(Vec::new()));
                Ok((body, content_type, length))
            }
        }
    }
}

/// One part of a `multipart/form-data` body, before encoding.
#[derive(Clone, Debug)]
enum PartSpec {
    /// A text part: a string as it is, a number or boolean in JSON spelling, an object as JSON.
    Text { name: String, value: String, content_type: Option<String> },
    /// A file part.
    File { name: String, file: FilePart },
}

/// The parts of a `multipart/form-data` body, built by generated methods from their parameters
/// struct.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    parts: Vec<PartSpec>,
    error: Option<String>,
}

impl Parts {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A field other than a file: `null` is left out, an array becomes one part per item, an
    /// object (or any value whose `content_type` is JSON) is sent as JSON, and a string, number
    /// or boolean as plain text. `content_type` is the spec's `encoding.<name>.contentType`.
    pub(crate) fn value<V: serde::Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        content_type: Option<&'static str>,
    ) -> Self {
        let json = content_type.is_some_and(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("application/json") || ct.contains("+json")
        });
        let ct = content_type.map(str::to_owned);
        let (text, ct) = match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => return self,
            Ok(value) if json => (value.to_string(), ct),
            Ok(serde_json::Value::Array(items)) => {
                for item in items {
                    self = self.value(name, &item, content_type);
                }
                return self;
            }
            Ok(serde_json::Value::String(s)) => (s, ct),
            Ok(value @ serde_json::Value::Object(_)) => {
                (value.to_string(), ct.or_else(|| Some("application/json".to_owned())))
            }
            Ok(other) => (other.to_string(), ct),
            Err(e) => {
                self.error.get_or_insert_with(|| format!("multipart field {name}: {e}"));
                return self;
            }
        };
        self.parts.push(PartSpec::Text { name: name.to_owned(), value: text, content_type: ct });
        self
    }

    /// A file part.
    pub(crate) fn file(mut self, name: &str, file: &FilePart) -> Self {
        self.parts.push(PartSpec::File { name: name.to_owned(), file: file.clone() });
        self
    }

    /// An optional file part.
    pub(crate) fn file_opt(self, name: &str, file: &Option<FilePart>) -> Self {
        match file {
            Some(f) => self.file(name, f),
            None => self,
        }
    }

    /// One file part per item, all with the same name.
    pub(crate) fn files(mut self, name: &str, files: &[FilePart]) -> Self {
        for file in files {
            self = self.file(name, file);
        }
        self
    }

    /// Optional files.
    pub(crate) fn files_opt(self, name: &str, files: &Option<Vec<FilePart>>) -> Self {
        match files {
            Some(f) => self.files(name, f),
            None => self,
        }
    }
}

/// Decodes a success body.
type Decoder<T> = fn(&[u8]) -> Result<T, (String, String)>;

/// How a success response becomes the call's output.
enum Decode<T> {
    /// Read the whole body within the attempt's timeout, then decode it.
    Buffered(Decoder<T>),
    /// Hand the live response over as soon as its headers arrived (streams and downloads).
    Live(fn(LiveBody) -> T),
}

pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, (String, String)> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
}

pub(crate) fn decode_empty(_: &[u8]) -> Result<(), (String, String)> {
    Ok(())
}

pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, (String, String)> {
    String::from_utf8(bytes.to_vec()).map_err(|e| (".".into(), e.to_string()))
}

/// One API call, ready to send: `.await` it for the value, or adjust it first.
///
/// # Retries
///
/// A call is attempted up to `1 + max_retries` times (default 6 in all), waiting between attempts
/// with exponential backoff: 0.5 s doubling to 8 s, less up to 25 % random jitter. A
/// `retry-after-ms` or `Retry-After` (seconds or HTTP date) response header up to 60 s replaces
/// the computed delay. The overall deadline, if set, is never overrun: no attempt starts, and no
/// attempt runs, past it.
///
/// What is retried depends on whether the request is idempotent:
///
/// | outcome | `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE` | `POST`, `PATCH` |
/// |---|---|---|
/// | connection refused / failed before sending | retried | retried |
/// | timeout, or connection lost after sending | retried | **not** retried |
/// | 429 | retried | retried |
/// | 408, 409, 5xx | retried | **not** retried |
/// | `x-should-retry: true` | retried | retried |
/// | `x-should-retry: false` | not retried | not retried |
///
/// A `POST` that may have reached the server is never resent behind your back: the server may
/// already be doing what it asked for (`execute_async` starts a process). Opt in per call with
/// [`RequestBuilder::retry_non_idempotent`] when the server deduplicates. Every request other
/// than `GET`/`HEAD` carries an idempotency key in the `x-request-id` header, the same on every
/// attempt of one call; set your own with [`RequestBuilder::idempotency_key`].
///
/// # Streams, downloads and uploads
///
/// A call returning an [`EventStream`], a [`JsonLines`] stream or a [`Download`] completes when
/// the response headers arrive: the policy above and the per-attempt timeout apply until then,
/// and the body is handed over unread. From then on nothing is retried (no event is delivered
/// twice) and the idle timeout ([`RequestBuilder::idle_timeout`]) bounds each wait for data
/// instead of the per-attempt timeout. A body with a [`FilePart`] is resent on a retry from its
/// bytes or by reopening its path; a call with a reader part is never retried.
#[must_use = "a request does nothing until it is awaited"]
pub struct RequestBuilder<T> {
    client: Client,
    method: Method,
    operation: &'static str,
    /// The path template (`/v1/devboxes/{id}`), for traces.
    template: Cow<'static, str>,
    path: Result<String, Error>,
    decode: Decode<T>,
    authenticated: bool,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Result<Body, Error>>,
    timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    max_retries: Option<u32>,
    deadline: Option<Duration>,
    idempotency_key: Option<String>,
    retry_non_idempotent: bool,
    /// Whether the operation may be resent after it may have reached the server; see
    /// [`RetryPolicy::idempotent`].
    idempotent: bool,
}

impl<T> fmt::Debug for RequestBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path.as_ref().ok())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> RequestBuilder<T> {
    pub(crate) fn new(
        client: &Client,
        method: Method,
        operation: &'static str,
        path: Result<RequestPath, Error>,
        decode: Decoder<T>,
    ) -> Self {
        Self::with_decode(client, method, operation, path, Decode::Buffered(decode))
    }

    /// A call whose output is made from the live response (an event stream, a JSON Lines stream
    /// or a download): retries and timeouts apply until the response headers arrive, then
    /// `handler` gets the body unread.
    pub(crate) fn live(
        client: &Client,
        method: Method,
        operation: &'static str,
        path: Result<RequestPath, Error>,
        handler: fn(LiveBody) -> T,
    ) -> Self {
        Self::with_decode(client, method, operation, path, Decode::Live(handler))
    }

    fn with_decode(
        client: &Client,
        method: Method,
        operation: &'static str,
        path: Result<RequestPath, Error>,
        decode: Decode<T>,
    ) -> Self {
        let idempotent = idempotent_method(&method);
        let (template, path) = match path {
            Ok(RequestPath { template, path }) => (template, Ok(path)),
            Err(e) => (Cow::Borrowed(""), Err(e)),
        };
        Self {
            client: client.clone(),
            method,
            operation,
            template,
            path,
            decode,
            authenticated: false,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            timeout: None,
            idle_timeout: None,
            max_retries: None,
            deadline: None,
            idempotency_key: None,
            retry_non_idempotent: false,
            idempotent,
        }
    }

    /// Whether the operation is idempotent, which decides its retry policy. Generated operations
    /// set it as the generator decided; [`Client::request`] keeps the default from the method
    /// ([`idempotent_method`]).
    pub(crate) fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    pub(crate) fn authenticated(mut self, yes: bool) -> Self {
        self.authenticated = yes;
        self
    }

    pub(crate) fn json_body<B: serde::Serialize + ?Sized>(mut self, content_type: &'static str, body: &B) -> Self {
        self.body = Some(
            serde_json::to_vec(body)
                .map(|v| Body::Bytes { content_type, bytes: v.into() })
                .map_err(|e| Error::InvalidRequest(format!("request body: {e}"))),
        );
        self
    }

    pub(crate) fn form_body<B: serde::Serialize + ?Sized>(mut self, content_type: &'static str, body: &B) -> Self {
        let encoded = match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(map)) => {
                let mut ser = url::form_urlencoded::Serializer::new(String::new());
                for (k, v) in map {
                    for text in expand(v) {
                        ser.append_pair(&k, &text);
                    }
                }
                Ok(Body::Bytes { content_type, bytes: ser.finish().into_bytes().into() })
            }
            Ok(_) => Err(Error::InvalidRequest("form body must be an object".into())),
            Err(e) => Err(Error::InvalidRequest(format!("request body: {e}"))),
        };
        self.body = Some(encoded);
        self
    }

    pub(crate) fn bytes_body(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.body = Some(Ok(Body::Bytes { content_type, bytes: body.into() }));
        self
    }

    /// A file as the whole body; its own content type, if set, replaces `content_type`.
    pub(crate) fn file_body(mut self, content_type: &'static str, file: FilePart) -> Self {
        self.body = Some(Ok(Body::File { content_type, file }));
        self
    }

    /// A `multipart/form-data` body.
    pub(crate) fn multipart_body(mut self, parts: Parts) -> Self {
        self.body = Some(match parts.error {
            Some(e) => Err(Error::InvalidRequest(e)),
            None => Ok(Body::Multipart(parts.parts)),
        });
        self
    }

    pub(crate) fn query_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => {
                // deepObject style: name[key]=value
                for (k, v) in map {
                    for text in expand(v) {
                        self.query.push((format!("{name}[{k}]"), text));
                    }
                }
            }
            Ok(v) => {
                for text in expand(v) {
                    self.query.push((name.to_owned(), text));
                }
            }
            Err(e) => self.path = Err(Error::InvalidRequest(format!("query parameter {name}: {e}"))),
        }
        self
    }

    pub(crate) fn header_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::Array(items)) => {
                let joined: Vec<String> = items.into_iter().flat_map(expand).collect();
                self.headers.push((name.to_owned(), joined.join(",")));
            }
            Ok(v) => self.headers.extend(expand(v).into_iter().map(|t| (name.to_owned(), t))),
            Err(e) => self.path = Err(Error::InvalidRequest(format!("header parameter {name}: {e}"))),
        }
        self
    }

    /// Replaces every value of query parameter `name` (also `name[key]`) with `value`: an
    /// optional parameter set twice keeps the last value.
    pub(crate) fn set_query_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.query.retain(|(k, _)| k != name && !(k.starts_with(name) && k[name.len()..].starts_with('[')));
        self.query_param(name, value)
    }

    /// Replaces every value of header parameter `name` with `value`.
    pub(crate) fn set_header_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.header_param(name, value)
    }

    /// Sends `body` as JSON (for [`Client::request`]; generated methods set their body already).
    pub fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        self.json_body("application/json", body)
    }

    /// Adds a query parameter (arrays repeat the name, objects use `name[key]`).
    pub fn query<V: serde::Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        self.query_param(name, value)
    }

    /// Sets a header on this request only (after the client's default headers).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The timeout of each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The idle timeout of this stream or download: the longest wait for the next chunk once the
    /// response headers arrived (default 60 s, or the client's). It replaces
    /// the per-attempt timeout for the body, which a long stream would outlive; calls decoded
    /// from a whole body ignore it.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt, for this call.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An overall deadline for this call, across all attempts.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The idempotency key (`x-request-id`) sent on every attempt; default: a random UUID per call.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Lets this `POST`/`PATCH` be retried like an idempotent request (timeouts, 408, 409, 5xx).
    /// Use it only when the server deduplicates by the idempotency key.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// Sends the request and returns the decoded value.
    pub async fn send(self) -> Result<T, Error> {
        self.with_response().await.map(Response::into_value)
    }

    /// Sends the request and returns the value with status, headers and attempt count.
    ///
    /// The call is a [`tracing`] span named `request` (level `INFO`) with the fields `operation`,
    /// `method`, `path` (the template, `/v1/devboxes/{id}`, not the values filled in), `attempt`,
    /// `status`, `request_id`, `elapsed_ms` and, when it fails, `error` (the kind of failure: never
    /// a body). Each retry is an `INFO` event `retrying` with `attempt`, `reason` and `delay_ms`.
    /// No span or event holds the API key, a header value or a body.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        let span = tracing::info_span!(
            "request",
            operation = self.operation,
            method = %self.method,
            path = %self.template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.execute(&span).instrument(span.clone()).await;
        span.record("elapsed_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        if let Err(e) = &result {
            span.record("error", tracing::field::display(trace_reason(e)));
        }
        result
    }

    /// The request loop of [`RequestBuilder::with_response`], inside its span.
    async fn execute(self, span: &tracing::Span) -> Result<Response<T>, Error> {
        let inner = Arc::clone(&self.client.inner);
        let path = self.path?;
        let body = self.body.transpose()?;
        let mut url = inner.base_url.clone();
        {
            let base_path = url.path().trim_end_matches('/').to_owned();
            url.set_path(&format!("{base_path}{path}"));
        }
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &self.query {
                pairs.append_pair(k, v);
            }
        }
        let mut headers = inner.headers.clone();
        for (name, value) in &self.headers {
            let (n, v) = header_pair(name, value).map_err(Error::InvalidRequest)?;
            headers.insert(n, v);
        }
        if self.method != Method::GET && self.method != Method::HEAD {
            let key = self.idempotency_key.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            let value = HeaderValue::from_str(&key)
                .map_err(|_| Error::InvalidRequest("idempotency key is not a valid header value".into()))?;
            headers.insert(HeaderName::from_static(IDEMPOTENCY_HEADER), value);
        }
        if self.authenticated {
            apply_auth(&inner, &mut headers, &mut url)?;
        }

        // A body streamed from a reader can be sent once only: such a call is never retried.
        let replayable = body.as_ref().is_none_or(Body::replayable);
        let policy = RetryPolicy {
            idempotent: self.idempotent,
            retry_non_idempotent: self.retry_non_idempotent,
            max_retries: if replayable { self.max_retries.unwrap_or(inner.max_retries) } else { 0 },
        };
        let live = matches!(self.decode, Decode::Live(_));
        let idle_timeout = self.idle_timeout.unwrap_or(inner.idle_timeout);
        let timeout = self.timeout.unwrap_or(inner.timeout);
        let deadline = self.deadline.or(inner.deadline);
        let started = Instant::now();
        let operation = self.operation;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let remaining = deadline.map(|d| d.saturating_sub(started.elapsed()));
            if remaining == Some(Duration::ZERO) {
                return Err(Error::Timeout {
                    operation,
                    attempts: attempt - 1,
                    elapsed: started.elapsed(),
                    deadline: true,
                });
            }
            let attempt_timeout = remaining.map_or(timeout, |r| r.min(timeout));
            let limited_by_deadline = remaining.is_some_and(|r| r < timeout);
            let mut request = reqwest::Request::new(self.method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            // reqwest's own timeout would also cover the body, which a stream may take hours to send.
            if !live {
                *request.timeout_mut() = Some(attempt_timeout);
            }
            if let Some(b) = &body {
                let (bytes, content_type, length) = b.build(&inner.http).await?;
                let content_type = HeaderValue::from_str(&content_type)
                    .map_err(|_| Error::InvalidRequest(format!("invalid content type {content_type:?}")))?;
                request.headers_mut().insert(reqwest::header::CONTENT_TYPE, content_type);
                if let Some(n) = length {
                    request.headers_mut().insert(reqwest::header::CONTENT_LENGTH, HeaderValue::from(n));
                }
                *request.body_mut() = Some(bytes);
            }
            let outcome = tokio::time::timeout(attempt_timeout, async {
                let response = inner.http.execute(request).await?;
                let status = response.status();
                span.record("status", status.as_u16());
                if let Some(id) = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()) {
                    span.record("request_id", id);
                }
                if live && status.is_success() {
                    return Ok(Received::Live(response));
                }
                let headers = response.headers().clone();
                let bytes = response.bytes().await?;
                Ok::<_, reqwest::Error>(Received::Whole(status, headers, bytes))
            })
            .await;
            let (decision, error) = match outcome {
                Ok(Err(e)) if !e.is_timeout() => {
                    // A connect error happens before any byte of the request is sent.
                    let outcome = if e.is_connect() { Outcome::ConnectFailed } else { Outcome::TransportFailed };
                    let decision = decide(&outcome, attempt, &policy, fastrand::f64());
                    (decision, Error::Connection { operation, attempts: attempt, source: e.without_url() })
                }
                // Our own timeout around the attempt, or reqwest's.
                Err(_) | Ok(Err(_)) => {
                    let e = Error::Timeout {
                        operation,
                        attempts: attempt,
                        elapsed: started.elapsed(),
                        deadline: limited_by_deadline,
                    };
                    (decide(&Outcome::TimedOut, attempt, &policy, fastrand::f64()), e)
                }
                Ok(Ok(Received::Live(response))) => {
                    let Decode::Live(handler) = self.decode else { unreachable!("live responses are for live calls") };
                    let status = response.status();
                    let resp_headers = response.headers().clone();
                    let live_body = LiveBody {
                        operation,
                        status,
                        headers: resp_headers.clone(),
                        chunks: ByteStream::new(operation, attempt, response, idle_timeout),
                    };
                    return Ok(Response {
                        value: handler(live_body),
                        status,
                        headers: resp_headers,
                        attempts: attempt,
                    });
                }
                Ok(Ok(Received::Whole(status, resp_headers, bytes))) => {
                    if status.is_success() {
                        let request_id =
                            resp_headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
                        let Decode::Buffered(decode) = self.decode else {
                            unreachable!("live calls return their success response live")
                        };
                        return match decode(&bytes) {
                            Ok(value) => Ok(Response { value, status, headers: resp_headers, attempts: attempt }),
                            Err((path, message)) => Err(Error::Decode {
                                operation,
                                status,
                                path,
                                message,
                                excerpt: excerpt(&bytes, 256),
                                request_id,
                            }),
                        };
                    }
                    let outcome = Outcome::Response { status, headers: &resp_headers, received: SystemTime::now() };
                    let decision = decide(&outcome, attempt, &policy, fastrand::f64());
                    let body = String::from_utf8_lossy(&bytes).into_owned();
                    let json = serde_json::from_slice(&bytes).ok();
                    let request_id = resp_headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
                    let e = Error::Api(Box::new(ApiError {
                        operation,
                        status,
                        request_id,
                        headers: resp_headers,
                        body,
                        json,
                        attempts: attempt,
                    }));
                    (decision, e)
                }
            };
            let Decision::RetryAfter(delay) = decision else {
                return Err(error);
            };
            if let Some(d) = deadline
                && started.elapsed() + delay >= d
            {
                return Err(error);
            }
            tracing::info!(
                attempt,
                reason = %trace_reason(&error),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

/// What traces say about a failure: its kind and, for a connection, the root cause. Never a
/// body, a header value or a URL (one may carry a query-string key).
fn trace_reason(error: &Error) -> String {
    match error {
        Error::Api(e) => format!("status {}", e.status),
        Error::Timeout { .. } => "timed out".to_owned(),
        Error::Connection { source, .. } => format!("connection failed: {}", error_chain(source)),
        Error::Decode { path, .. } => format!("could not decode the response at `{path}`"),
        Error::IdleTimeout { .. } => "idle timeout".to_owned(),
        Error::Io { .. } => "i/o error".to_owned(),
        Error::InvalidRequest(_) => "invalid request".to_owned(),
        Error::Config(_) => "invalid client configuration".to_owned(),
        Error::Pagination { .. } => "paging stopped".to_owned(),
    }
}

/// What an attempt received: a whole response, or a live success response for a live call.
enum Received {
    Whole(StatusCode, HeaderMap, Bytes),
    Live(reqwest::Response),
}

impl<T: Send + 'static> IntoFuture for RequestBuilder<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

fn apply_auth(inner: &Inner, headers: &mut HeaderMap, url: &mut url::Url) -> Result<(), Error> {
    let Some(ApiKey(key)) = &inner.api_key else {
        return match crate::SPEC.auth {
            Auth::None => Ok(()),
            _ => Err(Error::Config("this operation needs an API key; none was configured".into())),
        };
    };
    let sensitive = |text: String| {
        let mut v = HeaderValue::from_str(&text)
            .map_err(|_| Error::Config("the API key is not a valid header value".into()))?;
        v.set_sensitive(true);
        Ok::<_, Error>(v)
    };
    match crate::SPEC.auth {
        Auth::None => {}
        Auth::Bearer => {
            headers.insert(reqwest::header::AUTHORIZATION, sensitive(format!("Bearer {key}"))?);
        }
        Auth::Basic => {
            headers.insert(reqwest::header::AUTHORIZATION, sensitive(format!("Basic {key}"))?);
        }
        Auth::Header(name) => {
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid auth header name {name:?}")))?;
            headers.insert(n, sensitive(key.clone())?);
        }
        Auth::Query(name) => {
            url.query_pairs_mut().append_pair(name, key);
        }
    }
    Ok(())
}

/// Expands a parameter value: arrays to one text per item (form style, exploded), `null` to none.
fn expand(value: serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(items) => items.into_iter().flat_map(expand).collect(),
        other => vec![other.to_string()],
    }
}

/// Whether a method is idempotent (RFC 9110 §9.2.2): resending it after it may have reached the
/// server does no more than sending it once.
pub(crate) fn idempotent_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE)
}

/// What one failed attempt came to, as far as the retry decision goes. A success is not an
/// outcome to decide on: it is returned.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Outcome<'a> {
    /// The connection failed before any byte of the request was sent (refused, DNS, TLS, ...):
    /// the server provably did not process it.
    ConnectFailed,
    /// Any other transport error (connection reset or closed mid-exchange, body error, ...): the
    /// server may have processed the request.
    TransportFailed,
    /// The attempt timed out (its own timeout, its share of the deadline, or reqwest's).
    TimedOut,
    /// The server answered with a status other than success.
    Response {
        /// The status.
        status: StatusCode,
        /// The response headers; `x-should-retry`, `retry-after-ms` and `Retry-After` are read.
        headers: &'a HeaderMap,
        /// When the response arrived, for a `Retry-After` HTTP date.
        received: SystemTime,
    },
}

/// What [`decide`] needs to know about the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Whether the operation is idempotent (by default from its method: [`idempotent_method`]),
    /// so that it may be resent after it may have reached the server.
    pub(crate) idempotent: bool,
    /// The caller's opt-in ([`RequestBuilder::retry_non_idempotent`]) to retry a request that is
    /// not idempotent as if it were.
    pub(crate) retry_non_idempotent: bool,
    /// Retries allowed after the first attempt.
    pub(crate) max_retries: u32,
}

/// Whether to try again, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then make the next attempt.
    RetryAfter(Duration),
    /// Return the attempt's error.
    GiveUp,
}

/// The retry decision after attempt number `attempt` (1-based) ended in `outcome`: the policy
/// table of [`RequestBuilder`], with no I/O, clock or randomness of its own.
///
/// * Retried whatever the method: a connection that failed before sending, a 429, and any
///   response with `x-should-retry: true`.
/// * Retried only when the request is idempotent or the call opted in: a timeout, any other
///   transport error, 408, 409 and 5xx.
/// * Never retried: other statuses, and any response with `x-should-retry: false`.
/// * Nothing is retried once `attempt > policy.max_retries`.
///
/// The delay is the response's `retry-after-ms` / `Retry-After` (see [`retry_after`]) when it is
/// present and at most [`MAX_RETRY_AFTER`], else the exponential [`backoff`] for `attempt` less
/// `jitter` (in `[0, 1)`, a fraction of 25 %). The overall deadline is the caller's business.
pub(crate) fn decide(outcome: &Outcome<'_>, attempt: u32, policy: &RetryPolicy, jitter: f64) -> Decision {
    let resend_maybe_processed = policy.idempotent || policy.retry_non_idempotent;
    let (retry, hint) = match *outcome {
        Outcome::ConnectFailed => (true, None),
        Outcome::TransportFailed | Outcome::TimedOut => (resend_maybe_processed, None),
        Outcome::Response { status, headers, received } => {
            let retry = match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
                Some("true") => true,
                Some("false") => false,
                _ => {
                    status == StatusCode::TOO_MANY_REQUESTS
                        || (resend_maybe_processed
                            && (status == StatusCode::REQUEST_TIMEOUT
                                || status == StatusCode::CONFLICT
                                || status.is_server_error()))
                }
            };
            (retry, retry_after(headers, received))
        }
    };
    if !retry || attempt > policy.max_retries {
        return Decision::GiveUp;
    }
    Decision::RetryAfter(hint.unwrap_or_else(|| backoff(attempt, jitter)))
}

/// The server's requested delay: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP
/// date (relative to `now`, and zero when past). `None` when absent, unparsable, or above
/// [`MAX_RETRY_AFTER`].
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let delay = if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Duration::try_from_secs_f64(ms / 1000.0).ok()?
    } else {
        let value = text("retry-after")?;
        match value.parse::<f64>() {
            Ok(secs) => Duration::try_from_secs_f64(secs).ok()?,
            Err(_) => httpdate::parse_http_date(value).ok()?.duration_since(now).unwrap_or(Duration::ZERO),
        }
    };
    (delay <= MAX_RETRY_AFTER).then_some(delay)
}

/// Exponential backoff for the retry after attempt `attempt` (1-based): [`INITIAL_BACKOFF`]
/// doubling per attempt up to [`MAX_BACKOFF`], less `jitter` (in `[0, 1)`) times 25 %.
fn backoff(attempt: u32, jitter: f64) -> Duration {
    let exp = INITIAL_BACKOFF.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let capped = exp.min(MAX_BACKOFF);
    capped.mul_f64(1.0 - 0.25 * jitter)
}

/// How much longer than the time the server may hold a long poll one attempt may take.
pub const LONG_POLL_MARGIN: Duration = Duration::from_secs(30);

impl<T: Send + 'static> RequestBuilder<T> {
    /// Marks a long poll: the server may hold the request for `held` before answering, so the
    /// attempt timeout is at least `held` plus [`LONG_POLL_MARGIN`] (the client's timeout if
    /// longer). A per-call [`RequestBuilder::timeout`] still decides.
    pub(crate) fn long_poll(self, held: Duration) -> Self {
        self.min_timeout(held + LONG_POLL_MARGIN)
    }

    /// An operation that may take up to `time`: the attempt timeout is at least that (the
    /// client's timeout if longer). A per-call [`RequestBuilder::timeout`] still decides.
    pub(crate) fn min_timeout(mut self, time: Duration) -> Self {
        // Called while the operation's request is built, before any per-call `timeout`.
        self.timeout = Some(self.timeout.unwrap_or(self.client.inner.timeout).max(time));
        self
    }

    /// A copy for the next page's request; `None` when this request can never be sent (its path
    /// or body failed to build, which sending it reports).
    fn try_clone(&self) -> Option<Self> {
        let path = self.path.as_ref().ok()?.clone();
        let body = match &self.body {
            None => None,
            Some(Ok(Body::Bytes { content_type, bytes })) => {
                Some(Ok(Body::Bytes { content_type, bytes: bytes.clone() }))
            }
            // A file or multipart body is not copied: the generator never pages such an operation.
            Some(_) => return None,
        };
        let decode = match &self.decode {
            Decode::Buffered(f) => Decode::Buffered(*f),
            Decode::Live(f) => Decode::Live(*f),
        };
        Some(Self {
            client: self.client.clone(),
            method: self.method.clone(),
            operation: self.operation,
            template: self.template.clone(),
            path: Ok(path),
            decode,
            authenticated: self.authenticated,
            query: self.query.clone(),
            headers: self.headers.clone(),
            body,
            timeout: self.timeout,
            idle_timeout: self.idle_timeout,
            max_retries: self.max_retries,
            deadline: self.deadline,
            idempotency_key: self.idempotency_key.clone(),
            retry_non_idempotent: self.retry_non_idempotent,
            idempotent: self.idempotent,
        })
    }

    /// Replaces every value of query parameter `name` with `value`.
    fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(k, _)| k != name);
        self.query.push((name.to_owned(), value));
    }

    /// The first value of query parameter `name`.
    fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Points the request at `link` (absolute, or relative to the base URL), which must be under
    /// the client's base URL: the API key is never sent to another host.
    fn set_link(&mut self, link: &str) -> Result<(), Error> {
        let base = &self.client.inner.base_url;
        let refused = |message: String| Error::Pagination { operation: self.operation, message };
        let base_path = base.path().trim_end_matches('/');
        // A relative link is relative to the request that returned it (RFC 8288).
        let mut current = base.clone();
        current.set_path(&format!("{base_path}{}", self.path.as_deref().unwrap_or_default()));
        let url = current.join(link).map_err(|e| refused(format!("the next page's link is not a URL: {e}")))?;
        let same_origin = same_origin(&url, base);
        // Under the base path at a segment boundary: `/api` does not cover `/api2`.
        let under_base = |path: &&str| path.is_empty() || path.starts_with('/');
        let Some(path) = url.path().strip_prefix(base_path).filter(under_base).filter(|_| same_origin) else {
            let host = url.host_str().unwrap_or_default();
            return Err(refused(format!("the next page's link leads outside the API (to `{host}`); not followed")));
        };
        self.path = Ok(path.to_owned());
        self.query = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        Ok(())
    }
}

/// How a paged list operation asks for its next page.
pub(crate) enum PageStyle<T, I> {
    /// Query parameter `param` = a value of the last item (`starting_after` = its `id`).
    AfterLast { param: &'static str, cursor: fn(&I) -> Option<String> },
    /// Query parameter `param` = the token the page names (`page_token` = `next_page_token`).
    Token { param: &'static str, next: fn(&T) -> Option<String> },
    /// Query parameter `param` = the previous offset (0 if unset) + the items received.
    Offset { param: &'static str },
    /// Query parameter `param` = the previous page number (1 if unset) + 1.
    PageNumber { param: &'static str },
    /// The URL of the `Link: <…>; rel="next"` response header.
    Link,
}

/// How to read a page of a paged list operation: generated per operation.
pub(crate) struct Paging<T, I> {
    /// How the next page is asked for.
    pub(crate) style: PageStyle<T, I>,
    /// The page's items.
    pub(crate) items: fn(&T) -> &[I],
    /// The page's items, owned.
    pub(crate) into_items: fn(T) -> Vec<I>,
    /// The page's `has_more` (`None`: the page does not say).
    pub(crate) has_more: fn(&T) -> Option<bool>,
}

/// The value of a cursor field as sent in a query string; `None` for `null` or an empty string.
pub(crate) fn cursor<V: serde::Serialize + ?Sized>(value: &V) -> Option<String> {
    scalar(value).ok().flatten().filter(|s| !s.is_empty())
}

/// A stream of the pages of a paged list, each fetched when the previous one has been consumed.
pub type PageStream<T> = Pin<Box<dyn futures_core::Stream<Item = Result<T, Error>> + Send>>;

/// A paged list call. `.await` it for the first page (as a plain call would give), or walk the
/// list lazily, one request per page, with the usual retries and timeouts for each:
///
/// * [`Paged::pages`]: a stream of pages;
/// * [`Paged::items`]: a stream of the items of every page.
///
/// Walking stops at a page that is empty, that says it is the last (`has_more: false`), or that
/// names no next cursor, token or link, and at the caps set with [`Paged::max_pages`] and
/// [`Paged::max_items`]. A server that sends a cursor or link it sent before ends the walk with
/// [`Error::Pagination`] instead of looping.
///
/// ```ignore
/// use futures_util::TryStreamExt;
/// let mut devboxes = client.devboxes().list().limit(10).items();
/// while let Some(devbox) = devboxes.try_next().await? {
///     println!("{}", devbox.id);
/// }
/// ```
#[must_use = "a paged call does nothing until it is awaited or walked"]
pub struct Paged<T, I> {
    first: RequestBuilder<T>,
    paging: Paging<T, I>,
    max_pages: Option<u64>,
    max_items: Option<u64>,
}

impl<T, I> fmt::Debug for Paged<T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged")
            .field("first", &self.first)
            .field("max_pages", &self.max_pages)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static, I: Send + 'static> Paged<T, I> {
    pub(crate) fn new(first: RequestBuilder<T>, paging: Paging<T, I>) -> Self {
        Self { first, paging, max_pages: None, max_items: None }
    }

    /// Fetches at most `pages` pages when walking.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Yields at most `items` items from [`Paged::items`] (and stops fetching pages then).
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// Overrides the timeout of each attempt, for every page.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.first = self.first.timeout(timeout);
        self
    }

    /// Overrides the number of retries, for every page.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.first = self.first.max_retries(retries);
        self
    }

    /// An overall deadline for each page's request, retries included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.first = self.first.deadline(deadline);
        self
    }

    /// Adds a header to every page's request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.first = self.first.header(name, value);
        self
    }

    /// Sends the first page's request and returns it with status, headers and attempt count.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        self.first.with_response().await
    }

    /// The pages, fetched lazily.
    pub fn pages(self) -> PageStream<T> {
        let pages_left = self.max_pages;
        let walk = Walk { next: Some(self.first), paging: self.paging, seen: Vec::new(), pages_left, failed: None };
        Box::pin(futures_util::stream::unfold(walk, Walk::step))
    }

    /// The items of every page, fetched a page at a time as they are consumed.
    pub fn items(self) -> PageStream<I> {
        let items_left = self.max_items;
        let into_items = self.paging.into_items;
        let pages = self.pages();
        let state = (pages, std::collections::VecDeque::new(), items_left);
        Box::pin(futures_util::stream::unfold(state, move |(mut pages, mut buffer, left)| async move {
            use futures_util::StreamExt;
            if left == Some(0) {
                return None;
            }
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (pages, buffer, left.map(|n| n - 1))));
                }
                match pages.next().await? {
                    Ok(page) => buffer.extend(into_items(page)),
                    Err(e) => return Some((Err(e), (pages, buffer, Some(0)))),
                }
            }
        }))
    }
}

impl<T: Send + 'static, I: Send + 'static> IntoFuture for Paged<T, I> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    /// The first page.
    fn into_future(self) -> Self::IntoFuture {
        self.first.into_future()
    }
}

impl<T: Send + 'static, I: Send + 'static> Paged<T, I> {
    /// [`RequestBuilder::set_query_param`] on every page's request.
    pub(crate) fn set_query_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.first = self.first.set_query_param(name, value);
        self
    }

    /// [`RequestBuilder::set_header_param`] on every page's request.
    pub(crate) fn set_header_param<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.first = self.first.set_header_param(name, value);
        self
    }
}

/// The state of a walk through the pages.
struct Walk<T, I> {
    /// The next page's request; `None` when the walk is over.
    next: Option<RequestBuilder<T>>,
    paging: Paging<T, I>,
    /// Cursors, tokens and links already followed: one seen again would loop forever.
    seen: Vec<String>,
    pages_left: Option<u64>,
    /// An error found after yielding the page it came with, yielded next.
    failed: Option<Error>,
}

impl<T: Send + 'static, I: Send + 'static> Walk<T, I> {
    async fn step(mut self) -> Option<(Result<T, Error>, Self)> {
        if let Some(e) = self.failed.take() {
            self.next = None;
            return Some((Err(e), self));
        }
        if self.pages_left == Some(0) {
            return None;
        }
        let request = self.next.take()?;
        self.pages_left = self.pages_left.map(|n| n - 1);
        let template = request.try_clone();
        match request.with_response().await {
            Err(e) => Some((Err(e), self)),
            Ok(response) => {
                match template.map(|t| self.next_request(t, &response)) {
                    Some(Ok(next)) => self.next = next,
                    Some(Err(e)) => self.failed = Some(e),
                    None => {}
                }
                Some((Ok(response.into_value()), self))
            }
        }
    }

    /// The request for the page after `response`, or `None` when it was the last.
    fn next_request(
        &mut self,
        mut next: RequestBuilder<T>,
        response: &Response<T>,
    ) -> Result<Option<RequestBuilder<T>>, Error> {
        let page = response.value();
        let items = (self.paging.items)(page);
        if items.is_empty() || (self.paging.has_more)(page) == Some(false) {
            return Ok(None);
        }
        let cursor = match &self.paging.style {
            PageStyle::AfterLast { param, cursor } => items.last().and_then(cursor).map(|c| (*param, c)),
            PageStyle::Token { param, next } => next(page).map(|t| (*param, t)),
            PageStyle::Offset { param } => {
                let offset = next.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
                next.set_query(param, (offset + items.len() as u64).to_string());
                return Ok(Some(next));
            }
            PageStyle::PageNumber { param } => {
                let number = next.query_value(param).and_then(|v| v.parse::<u64>().ok()).unwrap_or(1);
                next.set_query(param, (number + 1).to_string());
                return Ok(Some(next));
            }
            PageStyle::Link => {
                let Some(link) = next_link(response.headers()) else { return Ok(None) };
                // The message shows the link without its query, which may carry a query-string key.
                let shown = link.split('?').next().unwrap_or_default();
                self.guard(next.operation, &link, shown)?;
                next.set_link(&link)?;
                return Ok(Some(next));
            }
        };
        let Some((param, value)) = cursor else { return Ok(None) };
        self.guard(next.operation, &value, &value)?;
        next.set_query(param, value);
        Ok(Some(next))
    }

    /// Refuses a cursor, token or link followed before (named as `shown` in the error).
    fn guard(&mut self, operation: &'static str, value: &str, shown: &str) -> Result<(), Error> {
        if self.seen.iter().any(|s| s == value) {
            return Err(Error::Pagination {
                operation,
                message: format!("the server sent the cursor `{shown}` a second time; stopping instead of looping"),
            });
        }
        self.seen.push(value.to_owned());
        Ok(())
    }
}

/// The `rel="next"` URL of the `Link` response headers (RFC 8288), if any.
fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(mut rest) = value.to_str() else { continue };
        while let Some(start) = rest.find('<') {
            let end = start + rest[start..].find('>')?;
            let url = &rest[start + 1..end];
            let after = &rest[end + 1..];
            let params_end = after.find('<').unwrap_or(after.len());
            let is_next = after[..params_end].split(';').any(|param| {
                let param = param.trim().trim_end_matches(',').trim();
                param
                    .strip_prefix("rel=")
                    .is_some_and(|rel| rel.trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next")))
            });
            if is_next {
                return Some(url.to_owned());
            }
            rest = &after[params_end..];
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Files to upload
// ---------------------------------------------------------------------------------------------

/// A file to upload: a `multipart/form-data` file part, or the whole body of an operation that
/// takes raw bytes (`application/octet-stream`, images, ...).
///
/// Made from bytes in memory, from a path (opened and streamed when the request is sent, never
/// read into memory), or from an async reader (streamed once: a call with a reader part is never
/// retried). A retry resends the same bytes: from memory again, or by reopening the path.
///
/// ```ignore
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// # use crate_name::FilePart;
/// let from_disk = FilePart::path("report.pdf").content_type("application/pdf");
/// let in_memory = FilePart::bytes(b"hello".to_vec()).file_name("hello.txt");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct FilePart {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// A reader to stream once.
type Reader = Pin<Box<dyn tokio::io::AsyncRead + Send + Sync>>;

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Reader(Arc<Mutex<Option<Reader>>>),
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Path(p) => format!("path {}", p.display()),
            Source::Reader(_) => "reader".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl FilePart {
    /// A file from bytes in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Self { source: Source::Bytes(data.into()), file_name: None, content_type: None }
    }

    /// A file on disk, streamed when the request is sent (and reopened for a retry). Its file
    /// name, unless set, is the path's last component.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Self { source: Source::Path(path), file_name, content_type: None }
    }

    /// A file read from an async reader, streamed once: the call is not retried.
    pub fn reader(reader: impl tokio::io::AsyncRead + Send + Sync + 'static) -> Self {
        let reader: Reader = Box::pin(reader);
        Self { source: Source::Reader(Arc::new(Mutex::new(Some(reader)))), file_name: None, content_type: None }
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's content type (default `application/octet-stream`, or the operation's media type
    /// for a raw body).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    fn replayable(&self) -> bool {
        !matches!(self.source, Source::Reader(_))
    }

    fn file_name_ref(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The body for one attempt, and its length when known.
    async fn open(&self) -> Result<(reqwest::Body, Option<u64>), Error> {
        match &self.source {
            Source::Bytes(b) => Ok((reqwest::Body::from(b.clone()), Some(b.len() as u64))),
            Source::Path(path) => {
                let io = |source| Error::Io { context: format!("opening {} to upload", path.display()), source };
                let file = tokio::fs::File::open(path).await.map_err(io)?;
                let length = file.metadata().await.map_err(io)?.len();
                Ok((reqwest::Body::from(file), Some(length)))
            }
            Source::Reader(slot) => {
                let reader =
                    slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take().ok_or_else(|| {
                        Error::InvalidRequest("a file part made from a reader can be sent once only".into())
                    })?;
                Ok((reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader)), None))
            }
        }
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(data: Vec<u8>) -> Self {
        Self::bytes(data)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(data: &'static [u8]) -> Self {
        Self::bytes(data)
    }
}

impl From<Bytes> for FilePart {
    fn from(data: Bytes) -> Self {
        Self::bytes(data)
    }
}

impl From<&Path> for FilePart {
    fn from(path: &Path) -> Self {
        Self::path(path)
    }
}

impl From<PathBuf> for FilePart {
    fn from(path: PathBuf) -> Self {
        Self::path(path)
    }
}

// ---------------------------------------------------------------------------------------------
// Live bodies: byte streams, downloads, event streams, JSON Lines
// ---------------------------------------------------------------------------------------------

/// A success response whose body has not been read: what streams and downloads are made from.
pub(crate) struct LiveBody {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    chunks: ByteStream,
}

/// The body of a response as a [`Stream`] of chunks, each within the idle timeout of the one
/// before (see [`RequestBuilder::idle_timeout`]). Dropping it closes the connection.
pub struct ByteStream {
    operation: &'static str,
    attempts: u32,
    inner: Option<Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>>,
    idle: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("idle_timeout", &self.idle)
            .field("finished", &self.inner.is_none())
            .finish()
    }
}

impl ByteStream {
    fn new(operation: &'static str, attempts: u32, response: reqwest::Response, idle: Duration) -> Self {
        Self {
            operation,
            attempts,
            inner: Some(Box::pin(response.bytes_stream())),
            idle,
            sleep: Box::pin(tokio::time::sleep(idle)),
        }
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else { return Poll::Ready(None) };
        match inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let next = tokio::time::Instant::now() + this.idle;
                this.sleep.as_mut().reset(next);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.inner = None;
                let operation = this.operation;
                Poll::Ready(Some(Err(Error::Connection {
                    operation,
                    attempts: this.attempts,
                    source: e.without_url(),
                })))
            }
            Poll::Ready(None) => {
                this.inner = None;
                Poll::Ready(None)
            }
            Poll::Pending => match this.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    // Dropping the body closes the connection.
                    this.inner = None;
                    Poll::Ready(Some(Err(Error::IdleTimeout { operation: this.operation, idle: this.idle })))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// A binary (or otherwise not decoded) response body, not read until asked: read it whole with
/// [`Download::bytes`], as a stream of chunks with [`Download::bytes_stream`], or into a file
/// with [`Download::save`].
///
/// ```ignore
/// # async fn run(download: crate_name::Download) -> Result<(), crate_name::Error> {
/// println!("{:?} ({:?} bytes)", download.content_type(), download.content_length());
/// download.save("out.bin").await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Download {
    status: StatusCode,
    headers: HeaderMap,
    chunks: ByteStream,
}

impl Download {
    pub(crate) fn from_live(body: LiveBody) -> Self {
        Self { status: body.status, headers: body.headers, chunks: body.chunks }
    }

    /// The response's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The response's `Content-Length`, when the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get(reqwest::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok())
    }

    /// The file name the server suggests in `Content-Disposition` (`filename*=UTF-8''…` preferred
    /// over `filename="…"`), without any directory part, so it is safe to join to a directory.
    pub fn file_name(&self) -> Option<String> {
        let value = self.headers.get(reqwest::header::CONTENT_DISPOSITION)?.to_str().ok()?;
        content_disposition_file_name(value)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The whole body in memory.
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let mut out = Vec::with_capacity(self.content_length().unwrap_or(0).min(1 << 24) as usize);
        while let Some(chunk) = self.chunks.next_chunk().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.into())
    }

    /// The body as a [`Stream`] of chunks.
    pub fn bytes_stream(self) -> ByteStream {
        self.chunks
    }

    /// Writes the body to `path`, returning its length. The body is written to a temporary file
    /// beside `path`, then renamed: if the download fails midway (or the future is dropped),
    /// nothing is left at `path`, and a file already there is unchanged.
    pub async fn save(mut self, path: impl AsRef<Path>) -> Result<u64, Error> {
        use tokio::io::AsyncWriteExt;
        let path = path.as_ref();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "download".into());
        let temp = path.with_file_name(format!(".{name}.{:016x}.part", fastrand::u64(..)));
        let guard = TempFile(Some(temp.clone()));
        let io = |what: &str, source| Error::Io { context: format!("{what} {}", temp.display()), source };
        let mut file = tokio::fs::File::create(&temp).await.map_err(|e| io("creating", e))?;
        let mut written = 0u64;
        while let Some(chunk) = self.chunks.next_chunk().await {
            let chunk = chunk?;
            file.write_all(&chunk).await.map_err(|e| io("writing", e))?;
            written += chunk.len() as u64;
        }
        file.flush().await.map_err(|e| io("writing", e))?;
        file.sync_all().await.map_err(|e| io("writing", e))?;
        drop(file);
        tokio::fs::rename(&temp, path)
            .await
            .map_err(|source| Error::Io { context: format!("renaming the download to {}", path.display()), source })?;
        guard.keep();
        Ok(written)
    }
}

/// Removes a temporary file when dropped, unless kept.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The file name of a `Content-Disposition` value (`filename*=UTF-8''…` preferred over
/// `filename="…"`), without any directory part; `None` when there is none, or it is `.` or `..`.
pub(crate) fn content_disposition_file_name(value: &str) -> Option<String> {
    let params = value.split(';').skip(1).filter_map(|p| p.trim().split_once('='));
    let mut plain = None;
    let mut extended = None;
    for (key, val) in params {
        match key.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                // `charset'language'percent-encoded`; only UTF-8 (and ASCII) are decoded.
                if let Some(encoded) = val.trim().splitn(3, '\'').nth(2) {
                    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
                    extended = String::from_utf8(bytes).ok();
                }
            }
            "filename" => plain = Some(val.trim().trim_matches('"').to_owned()),
            _ => {}
        }
    }
    let name = extended.or(plain)?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
    (!base.is_empty() && base != "." && base != "..").then_some(base)
}

pub(crate) fn download(body: LiveBody) -> Download {
    Download::from_live(body)
}

/// One server-sent event: its data decoded as `T`, with the event name, id and retry hint.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event:` field; `"message"` when the event has none.
    pub event: String,
    /// The last `id:` seen on the stream so far (the event's own, or an earlier one), if any:
    /// what `Last-Event-ID` would carry on a reconnection.
    pub id: Option<String>,
    /// The `retry:` field of this event, if it had one.
    pub retry: Option<Duration>,
    /// The data.
    pub data: T,
}

/// An event as parsed, before its data is decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The `event:` field, `"message"` by default.
    pub(crate) event: String,
    /// The `data:` lines joined with `\n`.
    pub(crate) data: String,
    /// The last event id.
    pub(crate) id: Option<String>,
    /// The `retry:` field, in milliseconds.
    pub(crate) retry: Option<u64>,
}

/// The `text/event-stream` parser of the WHATWG HTML standard (§9.2.6), fed with bytes as they
/// arrive: lines end with CR, LF or CRLF (a CRLF may be split between chunks); a leading BOM is
/// skipped; lines are decoded as UTF-8 only once complete, so a chunk may end inside a character.
/// Only the current line and the current event are held.
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    /// The last byte was a CR: a LF right after it ends nothing.
    after_cr: bool,
    /// Bytes seen so far, up to 3, to skip the BOM.
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    id: Option<String>,
    retry: Option<u64>,
}

impl SseParser {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Parses `bytes`, pushing every event they complete.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<RawEvent>) {
        for &b in bytes {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(out);
                }
                b'\n' => self.end_line(out),
                _ => self.line.push(b),
            }
        }
    }

    fn end_line(&mut self, out: &mut VecDeque<RawEvent>) {
        let mut line = std::mem::take(&mut self.line);
        if !self.started {
            self.started = true;
            if line.starts_with(b"\xEF\xBB\xBF") {
                line.drain(..3);
            }
        }
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        let text = String::from_utf8_lossy(&line);
        if text.starts_with(':') {
            return;
        }
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*text, ""),
        };
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.id = (!value.is_empty()).then(|| value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        let event = std::mem::take(&mut self.event);
        let retry = self.retry.take();
        if !self.has_data {
            return;
        }
        self.has_data = false;
        out.push_back(RawEvent {
            event: if event.is_empty() { "message".to_owned() } else { event },
            data: std::mem::take(&mut self.data),
            id: self.id.clone(),
            retry,
        });
    }
}

/// Decodes an event's data.
type EventDecoder<T> = fn(&RawEvent) -> Result<T, (String, String)>;

/// A stream of server-sent events (`text/event-stream`), each decoded as it arrives: a
/// [`Stream`] of `Result<Event<T>, Error>`. A `[DONE]` data line (OpenAI's convention) ends the
/// stream. Dropping it closes the connection.
///
/// ```ignore
/// # async fn run(mut events: crate_name::EventStream<serde_json::Value>) -> Result<(), crate_name::Error> {
/// while let Some(event) = events.next().await {
///     let event = event?;
///     println!("{} {:?}: {:?}", event.event, event.id, event.data);
/// }
/// # Ok(())
/// # }
/// ```
pub struct EventStream<T> {
    chunks: ByteStream,
    status: StatusCode,
    request_id: Option<String>,
    parser: SseParser,
    ready: VecDeque<RawEvent>,
    decode: EventDecoder<T>,
    done: bool,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("body", &self.chunks).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    fn from_live(body: LiveBody, decode: EventDecoder<T>) -> Self {
        let request_id = body.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Self {
            chunks: body.chunks,
            status: body.status,
            request_id,
            parser: SseParser::new(),
            ready: VecDeque::new(),
            decode,
            done: false,
        }
    }

    /// The next event, or `None` at the end of the stream.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn finish(&mut self) {
        self.done = true;
        // Closes the connection now, not when the stream is dropped.
        self.chunks.inner = None;
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(raw) = this.ready.pop_front() {
                if raw.data == "[DONE]" {
                    this.finish();
                    return Poll::Ready(None);
                }
                let item = match (this.decode)(&raw) {
                    Ok(data) => {
                        Ok(Event { event: raw.event, id: raw.id, retry: raw.retry.map(Duration::from_millis), data })
                    }
                    Err((path, message)) => Err(Error::Decode {
                        operation: this.chunks.operation,
                        status: this.status,
                        path,
                        message,
                        excerpt: excerpt(raw.data.as_bytes(), 256),
                        request_id: this.request_id.clone(),
                    }),
                };
                return Poll::Ready(Some(item));
            }
            match Pin::new(&mut this.chunks).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => this.parser.feed(&chunk, &mut this.ready),
                Poll::Ready(Some(Err(e))) => {
                    this.finish();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// An event stream whose data is JSON of type `T`.
pub(crate) fn event_stream_json<T: serde::de::DeserializeOwned>(body: LiveBody) -> EventStream<T> {
    EventStream::from_live(body, |raw| decode_json(raw.data.as_bytes()))
}

/// An event stream whose data is text.
pub(crate) fn event_stream_text(body: LiveBody) -> EventStream<String> {
    EventStream::from_live(body, |raw| Ok(raw.data.clone()))
}

/// An event stream whose item schema describes the whole event (`event`, `data`, `id`, `retry`),
/// as OpenAPI 3.2's `itemSchema` does; named events documented as a union decode to it by the
/// `event` field. The data is decoded as JSON when it is JSON and that fits, else as a string.
pub(crate) fn event_stream_envelope<T: serde::de::DeserializeOwned>(body: LiveBody) -> EventStream<T> {
    EventStream::from_live(body, |raw| {
        let envelope = |data: serde_json::Value| {
            let mut map = serde_json::Map::new();
            map.insert("event".into(), raw.event.clone().into());
            map.insert("data".into(), data);
            if let Some(id) = &raw.id {
                map.insert("id".into(), id.clone().into());
            }
            if let Some(retry) = raw.retry {
                map.insert("retry".into(), retry.into());
            }
            serde_path_to_error::deserialize(serde_json::Value::Object(map))
                .map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
        };
        // Data that parses as JSON is tried as JSON first, then (for a variant whose `data` is a
        // string) as the text it is; the first error is the one reported.
        let text = || serde_json::Value::String(raw.data.clone());
        match serde_json::from_str::<serde_json::Value>(&raw.data) {
            Ok(json) => envelope(json).or_else(|first| envelope(text()).map_err(|_| first)),
            Err(_) => envelope(text()),
        }
    })
}

/// Splits a JSON Lines (`application/jsonl`, `application/x-ndjson`) or JSON text sequence
/// (`application/json-seq`, RFC 7464) body into records as bytes arrive: records end at LF (a CR
/// before it is dropped) or start at RS (0x1E); blank records are skipped. Only the current record
/// is held.
#[derive(Debug, Default)]
pub(crate) struct LineSplitter {
    line: Vec<u8>,
}

impl LineSplitter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Splits `bytes`, pushing every record they complete.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<Vec<u8>>) {
        for &b in bytes {
            if b == b'\n' || b == 0x1E {
                self.end(out);
            } else {
                self.line.push(b);
            }
        }
    }

    /// The last record, at the end of the body (a final line need not end with LF).
    pub(crate) fn finish(&mut self, out: &mut VecDeque<Vec<u8>>) {
        self.end(out);
    }

    fn end(&mut self, out: &mut VecDeque<Vec<u8>>) {
        let mut line = std::mem::take(&mut self.line);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push_back(line);
        }
    }
}

/// A stream of JSON values, one per line (`application/jsonl`, `application/x-ndjson`) or record
/// (`application/json-seq`), each decoded as it arrives: a [`Stream`] of `Result<T, Error>`.
/// Dropping it closes the connection.
///
/// ```ignore
/// # async fn run(mut lines: crate_name::JsonLines<serde_json::Value>) -> Result<(), crate_name::Error> {
/// while let Some(item) = lines.next().await {
///     println!("{:?}", item?);
/// }
/// # Ok(())
/// # }
/// ```
pub struct JsonLines<T> {
    chunks: ByteStream,
    status: StatusCode,
    request_id: Option<String>,
    splitter: LineSplitter,
    ready: VecDeque<Vec<u8>>,
    done: bool,
    ty: std::marker::PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines").field("body", &self.chunks).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned> JsonLines<T> {
    /// The next value, or `None` at the end of the stream.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: serde::de::DeserializeOwned> Stream for JsonLines<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(line) = this.ready.pop_front() {
                let item = decode_json(&line).map_err(|(path, message)| Error::Decode {
                    operation: this.chunks.operation,
                    status: this.status,
                    path,
                    message,
                    excerpt: excerpt(&line, 256),
                    request_id: this.request_id.clone(),
                });
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.chunks).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => this.splitter.feed(&chunk, &mut this.ready),
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    this.ready.clear();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    this.splitter.finish(&mut this.ready);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// A JSON Lines stream of `T`.
pub(crate) fn json_lines<T: serde::de::DeserializeOwned>(body: LiveBody) -> JsonLines<T> {
    let request_id = body.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    JsonLines {
        chunks: body.chunks,
        status: body.status,
        request_id,
        splitter: LineSplitter::new(),
        ready: VecDeque::new(),
        done: false,
        ty: std::marker::PhantomData,
    }
}
