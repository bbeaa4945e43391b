//! `runtime/client.rs`: how a base URL shows in errors and `Debug`.

use crate::runtime::client::redacted_url;

#[test]
fn credentials_in_a_url_are_redacted() {
    assert_eq!(redacted_url("https://user:secret@example.com/v1"), "https://***@example.com/v1");
    assert_eq!(redacted_url("https://token@example.com/"), "https://***@example.com/");
    assert_eq!(redacted_url("https://example.com/v1?q=a@b"), "https://example.com/v1?q=a@b");
    // Not a URL the parser takes: the user info is hidden all the same.
    assert_eq!(redacted_url("https://user:secret@[bad/path@x"), "https://***@[bad/path@x");
    assert_eq!(redacted_url("not a url"), "not a url");
}
