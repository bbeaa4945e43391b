//! `runtime/path.rs`: path parameters percent-encoded into one segment, and the refusals.

use crate::runtime::PathBuilder;

fn one_segment<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let path = PathBuilder::new("/v1/items/{id}").literal("/v1/items/").param(value).literal("/logs").finish();
    match path {
        Ok(path) => {
            assert_eq!(path.template, "/v1/items/{id}", "traces show the template");
            Ok(path.path)
        }
        Err(crate::runtime::Error::InvalidRequest(message)) => Err(message),
        Err(other) => panic!("not an invalid request: {other:?}"),
    }
}

#[test]
fn path_parameters_are_percent_encoded_into_one_segment() {
    assert_eq!(one_segment("dbx_1").unwrap(), "/v1/items/dbx_1/logs");
    assert_eq!(one_segment("a b/c?d#e%f").unwrap(), "/v1/items/a%20b%2Fc%3Fd%23e%25f/logs");
    assert_eq!(one_segment("-._~").unwrap(), "/v1/items/-._~/logs");
    assert_eq!(one_segment("é").unwrap(), "/v1/items/%C3%A9/logs");
    assert_eq!(one_segment("...").unwrap(), "/v1/items/.../logs");
    assert_eq!(one_segment("..a").unwrap(), "/v1/items/..a/logs");
    assert_eq!(one_segment(&42).unwrap(), "/v1/items/42/logs");
    assert_eq!(one_segment(&true).unwrap(), "/v1/items/true/logs");
}

#[test]
fn path_parameters_that_would_change_the_path_are_refused() {
    for value in ["", ".", ".."] {
        assert_eq!(
            one_segment(value).unwrap_err(),
            format!("path parameter value {value:?} in `/v1/items/{{id}}` would change the request path"),
        );
    }
    assert_eq!(one_segment(&None::<String>).unwrap_err(), "path parameter in `/v1/items/{id}` is null");
}

#[test]
fn dots_after_a_literal_inside_a_segment_are_allowed() {
    // `/files/{name}.{ext}`: the second parameter does not start a segment.
    let path =
        PathBuilder::new("/files/{name}.{ext}").literal("/files/").param("report").literal(".").param("..").finish();
    assert_eq!(path.unwrap().path, "/files/report...");
}

#[test]
fn the_first_path_error_is_the_one_reported() {
    let path = PathBuilder::new("/a/{x}/{y}").literal("/a/").param(&None::<u8>).literal("/").param("..").finish();
    match path {
        Err(crate::runtime::Error::InvalidRequest(message)) => {
            assert_eq!(message, "path parameter in `/a/{x}/{y}` is null")
        }
        other => panic!("{other:?}"),
    }
}
