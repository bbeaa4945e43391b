//! Diagnostics: the one place warnings are collected, shared by [`crate::load`] and
//! [`crate::lower`] (in the spirit of serde_derive's `Ctxt`), and the one spelling of
//! "expected X, found Y".
//!
//! A warning is never dropped: each stage pushes into the same collector, and [`Diagnostics::finish`]
//! sorts and deduplicates once, so the order of warnings depends only on the spec.

use serde_json::Value;

use crate::error::{Error, Pointer, Warning};

/// Collects the warnings of one generation.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    warnings: Vec<Warning>,
}

impl Diagnostics {
    /// Records that something at `pointer` was interpreted or passed over.
    pub(crate) fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.clone(), message: message.into() });
    }

    /// How many warnings were pushed more than once: none, when each stage looks at each node
    /// once (the de-duplication in [`Diagnostics::finish`] is only a safety net).
    #[cfg(test)]
    pub(crate) fn repeated(&self) -> usize {
        let mut sorted = self.warnings.clone();
        sorted.sort();
        let all = sorted.len();
        sorted.dedup();
        all - sorted.len()
    }

    /// The warnings, sorted by pointer and message, each once.
    pub(crate) fn finish(mut self) -> Vec<Warning> {
        self.warnings.sort();
        self.warnings.dedup();
        self.warnings
    }
}

/// A short description of a JSON value's kind for messages: `a string`, `an array`, ...
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a mapping",
    }
}

/// `expected {what}, found {kind of found}`.
pub(crate) fn expected(what: &str, found: &Value) -> String {
    format!("expected {what}, found {}", kind(found))
}

impl Error {
    /// The node at `pointer` is not what OpenAPI allows there.
    pub(crate) fn expected(pointer: &Pointer, what: &str, found: &Value) -> Self {
        Self::invalid(pointer, expected(what, found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_sorted_and_unique() {
        let mut d = Diagnostics::default();
        let root = Pointer::root();
        d.warn(&root.push("b"), "two");
        d.warn(&root.push("a"), "one");
        d.warn(&root.push("b"), "two");
        let w = d.finish();
        assert_eq!(w.iter().map(|w| w.to_string()).collect::<Vec<_>>(), ["at #/a: one", "at #/b: two"]);
    }

    #[test]
    fn expected_names_the_kind_found() {
        assert_eq!(expected("a boolean", &Value::from("yes")), "expected a boolean, found a string");
        assert_eq!(expected("a schema", &Value::Null), "expected a schema, found null");
        let e = Error::expected(&Pointer::root().push("paths"), "a mapping", &Value::Array(vec![]));
        assert_eq!(e.to_string(), "at #/paths: expected a mapping, found an array");
    }
}
