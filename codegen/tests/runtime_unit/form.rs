//! `runtime/form.rs`: form fields as the spec's `encoding` writes them (`style`, `explode`,
//! `allowReserved`), and fields without an entry as they always were.

use serde_json::json;

use crate::runtime::form::{FormField, FormStyle, encoded};

fn field(name: &'static str, style: FormStyle, explode: bool, allow_reserved: bool) -> FormField {
    FormField { name, style, explode, allow_reserved }
}

#[test]
fn fields_without_an_encoding_are_written_as_before() {
    let value = json!({"q": "a b&c", "tags": ["x", "y"], "n": 3, "gone": null, "obj": {"k": 1}});
    assert_eq!(encoded(value, &[]).unwrap(), "q=a+b%26c&tags=x&tags=y&n=3&obj=%7B%22k%22%3A1%7D");
    assert_eq!(encoded(json!(["not", "an", "object"]), &[]), None);
}

#[test]
fn arrays_follow_style_and_explode() {
    let value = || json!({"tags": ["a b", "c,d"]});
    let with = |style, explode| encoded(value(), &[field("tags", style, explode, false)]).unwrap();
    assert_eq!(with(FormStyle::Form, true), "tags=a+b&tags=c%2Cd");
    assert_eq!(with(FormStyle::Form, false), "tags=a+b,c%2Cd", "items joined by a literal comma");
    assert_eq!(with(FormStyle::SpaceDelimited, false), "tags=a+b%20c%2Cd");
    assert_eq!(with(FormStyle::PipeDelimited, false), "tags=a+b|c%2Cd");
}

#[test]
fn objects_follow_style_and_explode() {
    let value = || json!({"color": {"R": 100, "G": "a b"}});
    let with = |style, explode| encoded(value(), &[field("color", style, explode, false)]).unwrap();
    assert_eq!(with(FormStyle::Form, true), "R=100&G=a+b");
    assert_eq!(with(FormStyle::Form, false), "color=R,100,G,a+b");
    assert_eq!(with(FormStyle::DeepObject, true), "color%5BR%5D=100&color%5BG%5D=a+b");
}

#[test]
fn allow_reserved_keeps_reserved_characters_and_encodes_the_rest() {
    let value = json!({"path": "/a/b?c=d&e#f", "other": "/a b"});
    let fields = [field("path", FormStyle::Form, true, true)];
    assert_eq!(encoded(value, &fields).unwrap(), "path=/a/b?c=d&e#f&other=%2Fa+b");
    let value = json!({"path": "a b\"<>"});
    assert_eq!(encoded(value, &fields).unwrap(), "path=a%20b%22%3C%3E", "only RFC 3986's reserved set is kept");
}
