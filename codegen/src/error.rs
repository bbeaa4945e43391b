//! Errors and warnings, each carrying *where* in the spec it arose.
//!
//! Every problem the generator reports names the JSON pointer (RFC 6901) of the offending node,
//! what it found and what it expected, and for syntax errors the line and column the parser gave.
//! The `xtask` adds which file was being read; the library never sees paths on disk.

use std::fmt;

/// A JSON pointer into the spec document, e.g. `/components/schemas/Pet/properties/name`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, written as the empty string by RFC 6901 and shown as `#`.
    pub fn root() -> Self {
        Self(String::new())
    }

    /// A pointer from an `$ref` string such as `#/components/schemas/Pet`. The fragment of a URI
    /// is percent-encoded (`#/paths/~1pets~1%7Bid%7D`), so it is decoded first.
    pub fn from_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8().ok()?;
        Some(Self(decoded.into_owned()))
    }

    /// This pointer extended by one (unescaped) key or index.
    pub fn push(&self, segment: impl fmt::Display) -> Self {
        // Pointers are made for every node the loader walks: the segment is escaped as it is
        // written into the new pointer, with no intermediate strings.
        struct Escaped<'a>(&'a mut String);
        impl fmt::Write for Escaped<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                if !s.contains(['~', '/']) {
                    self.0.push_str(s);
                    return Ok(());
                }
                for c in s.chars() {
                    match c {
                        '~' => self.0.push_str("~0"),
                        '/' => self.0.push_str("~1"),
                        c => self.0.push(c),
                    }
                }
                Ok(())
            }
        }
        let mut out = String::with_capacity(self.0.len() + 24);
        out.push_str(&self.0);
        out.push('/');
        // Writing into a `String` cannot fail.
        let _ = fmt::Write::write_fmt(&mut Escaped(&mut out), format_args!("{segment}"));
        Self(out)
    }

    /// The pointer as RFC 6901 text (without the leading `#`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped segments of the pointer.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    /// The name of the component schema the pointer is (`/components/schemas/Pet` → `Pet`), if it
    /// is one and not a node inside one.
    pub(crate) fn component_schema(&self) -> Option<String> {
        let mut segments = self.segments();
        let (Some(c), Some(s), Some(name), None) = (segments.next(), segments.next(), segments.next(), segments.next())
        else {
            return None;
        };
        (c == "components" && s == "schemas").then_some(name)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Everything that can make generation fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is not valid YAML or JSON.
    #[error("{format} syntax error{}: {message}", location.map(|(l, c)| format!(" at line {l}, column {c}")).unwrap_or_default())]
    Syntax {
        /// `YAML` or `JSON`.
        format: &'static str,
        /// Line and column (1-based) where the parser gave them.
        location: Option<(usize, usize)>,
        /// The parser's message.
        message: String,
    },
    /// The document parsed, but a node in it is not what OpenAPI allows there.
    #[error("at {pointer}: {message}")]
    Invalid {
        /// Where the offending node is.
        pointer: Pointer,
        /// What was found and what was expected.
        message: String,
    },
    /// The document uses something this generator deliberately does not support.
    #[error("at {pointer}: unsupported: {message}")]
    Unsupported {
        /// Where the offending node is.
        pointer: Pointer,
        /// What is unsupported, and what to do instead.
        message: String,
    },
    /// Warnings were found and the options say to treat them as errors.
    #[error("{} warning(s) treated as errors (strict mode):\n{}", .0.len(), .0.iter().map(|w| format!("  {w}")).collect::<Vec<_>>().join("\n"))]
    Strict(Vec<Warning>),
    /// An option of the generation is unusable.
    #[error("invalid option: {0}")]
    Option(String),
    /// The crate name in [`Options`](crate::Options) cannot name the generated crate.
    #[error("invalid crate name `{name}`: {problem}")]
    CrateName {
        /// The name given.
        name: String,
        /// Why it cannot be used.
        problem: String,
        /// A valid name close to it, where one is obvious (`my_api` for `My_API`).
        suggestion: Option<String>,
    },
    /// What the crate on disk records of its previous generation (version, spec copy) is unusable.
    #[error("the previous generation of the crate: {message}")]
    Previous {
        /// What is wrong with it.
        message: String,
    },
    /// prettyplease could not parse what the emitter produced: a generator bug, reported instead of a panic.
    #[error("internal error: emitted code for `{item}` does not parse: {message}")]
    Emit {
        /// Which output file was being formatted.
        item: String,
        /// syn's message.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self::Invalid { pointer: pointer.clone(), message: message.into() }
    }

    pub(crate) fn unsupported(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self::Unsupported { pointer: pointer.clone(), message: message.into() }
    }

    /// The JSON pointer of the offending node, where the error has one.
    pub fn pointer(&self) -> Option<&Pointer> {
        match self {
            Self::Invalid { pointer, .. } | Self::Unsupported { pointer, .. } => Some(pointer),
            _ => None,
        }
    }
}

/// Something in the spec that the generator passed over or interpreted; never silent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Where in the spec.
    pub pointer: Pointer,
    /// What was done with it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.pointer, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_and_unescaped() {
        let p = Pointer::root().push("paths").push("/pets/{id}").push("a~b").push(0);
        assert_eq!(p.as_str(), "/paths/~1pets~1{id}/a~0b/0");
        assert_eq!(p.to_string(), "#/paths/~1pets~1{id}/a~0b/0");
        assert_eq!(p.segments().collect::<Vec<_>>(), ["paths", "/pets/{id}", "a~b", "0"]);
        // `~01` is `~1` escaped, not `/`.
        assert_eq!(Pointer::root().push("~1").segments().collect::<Vec<_>>(), ["~1"]);
    }

    #[test]
    fn refs_are_percent_decoded() {
        assert_eq!(Pointer::from_ref("#/paths/~1pets~1%7Bid%7D").unwrap().as_str(), "/paths/~1pets~1{id}");
        assert_eq!(Pointer::from_ref("#").unwrap(), Pointer::root());
        assert_eq!(Pointer::from_ref("other.yaml#/a"), None);
    }
}
