//! YAML text → `serde_json::Value`, built straight from the YAML parser's events.
//!
//! `serde_yaml::Value` cannot hold an integer beyond 64 bits, so parsing into it fails on
//! `maximum: 18446744073709552000` before anything else can look at the document. The visitor
//! below builds the JSON value directly instead, and does on the way what converting a YAML value
//! did:
//!
//! - integers beyond `i64`/`u64` become the nearest `f64` (as `serde_json` does for JSON text);
//!   `.inf` and `.nan` have no JSON spelling and are an error naming their pointer;
//! - mapping keys that are numbers, booleans or null become strings (`200:` is `"200"`); a key
//!   that is a sequence or a mapping is an error; a key given twice is an error (also `200` and
//!   `'200'`, which are the same JSON key);
//! - merge keys `<<` are applied: the keys of the merged mapping (or of each mapping in a merged
//!   sequence, earlier ones first) that the mapping does not set itself are appended;
//! - tags (`!include file.yaml`) are refused, naming the tag and the pointer;
//! - nesting deeper than [`MAX_DEPTH`] is refused (the YAML parser already stops at 128 levels).
//!
//! Errors the parser raises keep their line and column; errors about a node name its pointer.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::strip_location;
use crate::error::{Error, Pointer};
use crate::load::MAX_DEPTH;

/// Parses YAML text into a JSON value.
pub(super) fn parse(text: &str) -> Result<Value, Error> {
    let failure = RefCell::new(None);
    let node = Node { at: Pointer::root(), depth: 0, failure: &failure };
    let result = node.deserialize(serde_yaml::Deserializer::from_str(text));
    match (result, failure.into_inner()) {
        (Ok(value), _) => Ok(value),
        // A node the visitor refused: its error names the pointer.
        (Err(_), Some(error)) => Err(error),
        (Err(e), None) => Err(Error::Syntax {
            format: "YAML",
            location: e.location().map(|l| (l.line(), l.column())),
            message: strip_location(&e.to_string()),
        }),
    }
}

/// One node of the document, at `at`. Errors about the node are kept in `failure` (with their
/// pointer), and a short custom error stops the parser.
struct Node<'f> {
    at: Pointer,
    depth: usize,
    failure: &'f RefCell<Option<Error>>,
}

impl Node<'_> {
    fn child(&self, segment: impl fmt::Display) -> Self {
        Node { at: self.at.push(segment), depth: self.depth + 1, failure: self.failure }
    }

    /// Records `error` (the first one wins) and returns the error that stops the parser.
    fn fail<E: de::Error>(&self, error: Error) -> E {
        let message = error.to_string();
        self.failure.borrow_mut().get_or_insert(error);
        E::custom(message)
    }

    fn number<E: de::Error>(&self, n: f64) -> Result<Value, E> {
        match Number::from_f64(n) {
            Some(n) => Ok(Value::Number(n)),
            None => {
                let spelled = if n.is_nan() {
                    ".nan"
                } else if n > 0.0 {
                    ".inf"
                } else {
                    "-.inf"
                };
                Err(self.fail(Error::invalid(&self.at, format!("number `{spelled}` has no JSON representation"))))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(self.fail(Error::invalid(&self.at, format!("nesting deeper than {MAX_DEPTH} levels"))));
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            // Beyond 64 bits: the nearest f64, as serde_json reads such a number in JSON text.
            Err(_) => self.number(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => self.number(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.number(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(items.len()))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merge = None;
        while let Some(key) = map.next_key_seed(Key { node: &self })? {
            let child = self.child(&key);
            if out.contains_key(&key) || (key == "<<" && merge.is_some()) {
                return Err(self.fail(Error::invalid(&child.at, format!("duplicate mapping key `{key}`"))));
            }
            let value = map.next_value_seed(self.child(&key))?;
            if key == "<<" {
                merge = Some(value);
            } else {
                out.insert(key, value);
            }
        }
        if let Some(merged) = merge {
            let at = self.at.push("<<");
            let sources = match merged {
                Value::Object(source) => vec![source],
                Value::Array(items) => {
                    let mut sources = Vec::new();
                    for (i, item) in items.into_iter().enumerate() {
                        match item {
                            Value::Object(source) => sources.push(source),
                            other => {
                                return Err(self.fail(Error::expected(&at.push(i), "a mapping to merge", &other)));
                            }
                        }
                    }
                    sources
                }
                other => {
                    return Err(self.fail(Error::expected(
                        &at,
                        "a mapping or a sequence of mappings to merge",
                        &other,
                    )));
                }
            };
            for source in sources {
                for (k, v) in source {
                    out.entry(k).or_insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // serde_yaml hands a tagged node (`!include a.yaml`) over as an enum named by its tag.
        let (tag, _) = data.variant::<String>()?;
        Err(self.fail(tag_error(&self.at, &tag)))
    }
}

/// serde_yaml names a local tag without its `!`.
fn tag_error(at: &Pointer, tag: &str) -> Error {
    let bang = if tag.starts_with('!') { "" } else { "!" };
    Error::invalid(at, format!("YAML tag `{bang}{tag}` is not allowed in an OpenAPI document"))
}

/// A mapping key: strings as they are; numbers, booleans and null spelled as YAML spells them.
struct Key<'n, 'f> {
    node: &'n Node<'f>,
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(serde_yaml::Number::from(v).to_string())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.node.fail(Error::invalid(&self.node.at, "a mapping key is a sequence; expected a string")))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.node.fail(Error::invalid(&self.node.at, "a mapping key is a mapping; expected a string")))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (tag, _) = data.variant::<String>()?;
        Err(self.node.fail(tag_error(&self.node.at, &tag)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::parse;

    #[test]
    fn integers_beyond_64_bits_become_floats() {
        let v = parse("a: 18446744073709552000\nb: -9223372036854776000\nc: 18446744073709551615\nd: -9223372036854775808\ne: 1e400\n")
            .unwrap();
        assert_eq!(v["a"].as_f64(), Some(18446744073709552000.0));
        assert!(v["a"].is_f64());
        assert_eq!(v["b"].as_f64(), Some(-9223372036854776000.0));
        assert!(v["b"].is_f64());
        assert_eq!(v["c"], json!(u64::MAX));
        assert_eq!(v["d"], json!(i64::MIN));
        // Beyond f64, YAML has no number: it is a string.
        assert_eq!(v["e"], json!("1e400"));
    }

    #[test]
    fn keys_merges_and_order() {
        let v = parse("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n  200: ok\n  true: t\n  ~: n\n").unwrap();
        assert_eq!(v["m"], json!({"y": 3, "200": "ok", "true": "t", "null": "n", "x": 1}));
        assert_eq!(v["m"].as_object().unwrap().keys().collect::<Vec<_>>(), ["y", "200", "true", "null", "x"]);
        let v = parse("a: &a {x: 1}\nb: &b {x: 2, z: 3}\nm: {<<: [*a, *b]}\n").unwrap();
        assert_eq!(v["m"], json!({"x": 1, "z": 3}));
    }

    #[test]
    fn errors_name_the_node() {
        let e = parse("a:\n  b: !include x.yaml\n").unwrap_err();
        assert_eq!(e.to_string(), "at #/a/b: YAML tag `!include` is not allowed in an OpenAPI document");
        let e = parse("a:\n  b: .inf\n").unwrap_err();
        assert_eq!(e.to_string(), "at #/a/b: number `.inf` has no JSON representation");
        let e = parse("a: {<<: 1}\n").unwrap_err();
        assert_eq!(e.to_string(), "at #/a/<<: expected a mapping or a sequence of mappings to merge, found a number");
        let e = parse("a:\n  200: x\n  '200': y\n").unwrap_err();
        assert_eq!(e.to_string(), "at #/a/200: duplicate mapping key `200`");
        let e = parse("a:\n  [1]: x\n").unwrap_err();
        assert_eq!(e.to_string(), "at #/a: a mapping key is a sequence; expected a string");
    }

    #[test]
    fn syntax_errors_keep_line_and_column() {
        let e = parse("a: [1,\nb: 2\n").unwrap_err();
        assert!(e.to_string().starts_with("YAML syntax error at line "), "{e}");
        assert_eq!(parse("").unwrap(), serde_json::Value::Null);
    }
}
