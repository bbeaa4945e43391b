//! How strictly values are read, for choosing between the branches of an untagged union.
//!
//! Open types keep what this client version does not know: a string enum's `Unknown(String)`,
//! a discriminated union's `Unknown(Value)`, the fields an object does not name. That is right
//! for a response, and wrong for choosing a union's branch: an early branch's fallback would
//! capture a value that a later branch matches exactly (`"365"` read as an unknown value of a
//! `none` enum instead of by the branch for numeric strings). So an untagged union tries its
//! branches in rounds, from [`Level::Exact`] down to the level it is read at, and the first
//! branch that reads in a round wins ([`union::untagged`](super::union::untagged)).
//!
//! The level is a thread-local setting rather than an argument because serde's `Deserialize`
//! has no way to pass one down through the types it reads; reading is synchronous, so the
//! setting cannot leak into other tasks, and [`at`] restores it even when reading panics.

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
    if level() == Level::Lenient { Ok(()) } else { Err(E::custom(format_args!("unknown value `{value}` for {what}"))) }
}

/// Reads JSON text as `T` like `serde_json::from_str`, but refuses what the generated types
/// would keep in an `Unknown` fallback: an enum value or a union tag this version of the
/// client does not know is an error naming it. Unknown object fields are still skipped.
///
/// For tests that a client knows every value a server sends, or that an example from the API's
/// docs decodes to its declared variant; responses are always read leniently.
pub fn decode_strict<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    at(Level::Known, || serde_json::from_str(json))
}
