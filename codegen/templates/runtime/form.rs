//! `application/x-www-form-urlencoded`: a value's fields as form pairs, for form request bodies
//! and OpenAPI 3.2's form query strings, with the `style`, `explode` and `allowReserved` a body's
//! `encoding` gives a field (`FormField`).
//!
//! Must not: know about requests; it turns values into text only.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::form_urlencoded::byte_serialize;

/// How a field of a form body is written when the spec's `encoding` says so (otherwise: `form`,
/// exploded, reserved characters percent-encoded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Only specs whose form bodies have `encoding` entries name it.
#[allow(dead_code)]
pub(crate) struct FormField {
    /// The field's name.
    pub(crate) name: &'static str,
    /// Its `style`.
    pub(crate) style: FormStyle,
    /// Its `explode`: an array's items (an object's members) as pairs of their own.
    pub(crate) explode: bool,
    /// Its `allowReserved`: RFC 3986's reserved characters are written as they are.
    pub(crate) allow_reserved: bool,
}

/// A form field's `style` (OpenAPI's, for query parameters and form fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Only specs whose form bodies have `encoding` entries name it.
#[allow(dead_code)]
pub(crate) enum FormStyle {
    /// `form`: `name=a,b` (not exploded) or `name=a&name=b`; an object's members as `k=v` pairs.
    Form,
    /// `spaceDelimited`: an array as `name=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: an array as `name=a|b`.
    PipeDelimited,
    /// `deepObject`: an object as `name[k]=v` pairs.
    DeepObject,
}

/// Everything but RFC 3986's unreserved and reserved characters: what `allowReserved` leaves.
const NOT_RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// An object's fields as form pairs joined with `&`; `None` for a value that is not an object.
/// A field without a `FormField` is written as before encodings existed: an array's items repeat
/// its name, anything else is its text (an object its JSON).
pub(crate) fn encoded(value: serde_json::Value, fields: &[FormField]) -> Option<String> {
    let serde_json::Value::Object(map) = value else { return None };
    let mut pairs: Vec<String> = Vec::new();
    for (name, v) in map {
        match fields.iter().find(|f| f.name == name) {
            Some(field) => field_pairs(&name, v, field, &mut pairs),
            None => {
                for text in super::request::expand(v) {
                    pairs.push(format!("{}={}", escape(&name, false), escape(&text, false)));
                }
            }
        }
    }
    Some(pairs.join("&"))
}

/// The pairs of one field with an encoding of its own.
fn field_pairs(name: &str, value: serde_json::Value, field: &FormField, out: &mut Vec<String>) {
    let value_text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => escape(s, field.allow_reserved),
        other => escape(&other.to_string(), field.allow_reserved),
    };
    let key = escape(name, false);
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Array(items) => {
            let texts: Vec<String> = items.iter().map(value_text).collect();
            let delimiter = match field.style {
                FormStyle::SpaceDelimited => "%20",
                FormStyle::PipeDelimited => "|",
                FormStyle::Form | FormStyle::DeepObject => ",",
            };
            if field.explode {
                out.extend(texts.iter().map(|t| format!("{key}={t}")));
            } else {
                out.push(format!("{key}={}", texts.join(delimiter)));
            }
        }
        serde_json::Value::Object(members) => match (field.style, field.explode) {
            (FormStyle::DeepObject, _) => {
                out.extend(members.iter().map(|(k, v)| format!("{key}%5B{}%5D={}", escape(k, false), value_text(v))));
            }
            (_, true) => out.extend(members.iter().map(|(k, v)| format!("{}={}", escape(k, false), value_text(v)))),
            (_, false) => {
                let flat: Vec<String> = members.iter().flat_map(|(k, v)| [escape(k, false), value_text(v)]).collect();
                out.push(format!("{key}={}", flat.join(",")));
            }
        },
        scalar => out.push(format!("{key}={}", value_text(&scalar))),
    }
}

/// A name or value as form text: percent-encoded (a space as `+`), or with RFC 3986's reserved
/// characters kept when the field allows them.
fn escape(text: &str, allow_reserved: bool) -> String {
    if allow_reserved {
        utf8_percent_encode(text, NOT_RESERVED).to_string()
    } else {
        byte_serialize(text.as_bytes()).collect()
    }
}
