//! What the generated unions' serde impls call: untagged unions tried exact-first, and tags
//! written as they are read.

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
    let stricter = [Level::Exact, Level::Known, Level::Lenient].into_iter().filter(|level| *level > floor);
    for level in stricter {
        if let Some(read) = branches.iter().find_map(|branch| exact::at(level, || branch(&value)).ok()) {
            return Ok(read);
        }
    }
    // The last round, at the union's own level: only its errors are reported, so the rounds
    // before it format none.
    let mut errors = Vec::new();
    for branch in branches {
        match branch(&value) {
            Ok(read) => return Ok(read),
            Err(error) => errors.push(error.to_string()),
        }
    }
    Err(D::Error::custom(format_args!("data did not match any variant of {name}: {}", errors.join("; "))))
}

/// Refuses a string that does not match a branch's `pattern` (`matches` tells), in the rounds
/// that read values by what they declare; read leniently, a branch takes any string.
pub(crate) fn pattern(value: &Value, pattern: &str, matches: impl Fn(&str) -> bool) -> Result<(), serde_json::Error> {
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
