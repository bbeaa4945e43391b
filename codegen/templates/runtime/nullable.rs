//! `Nullable`: absent, `null`, or a value, for optional nullable fields of types sent in
//! requests.

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
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
/// # use crate_name::Nullable;
/// let name: Option<String> = None;
/// let absent = Nullable::absent_if_none(name.clone()); // omitted from the request
/// let null = Nullable::null_if_none(name); // sent as `null`
/// let value: Nullable<String> = "bash".to_owned().into(); // `From<T>`: a value
/// # assert!(absent.is_absent() && null.is_null() && value.is_value());
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
