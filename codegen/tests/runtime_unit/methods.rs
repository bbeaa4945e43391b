//! `runtime/methods.rs` (through `request::idempotent_method`): which methods are idempotent.

use reqwest::Method;

use crate::runtime::request::idempotent_method;

#[test]
fn idempotent_methods_are_those_of_rfc_9110() {
    for method in [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE, Method::TRACE] {
        assert!(idempotent_method(&method), "{method}");
    }
    for method in [Method::POST, Method::PATCH, Method::CONNECT, Method::from_bytes(b"PURGE").unwrap()] {
        assert!(!idempotent_method(&method), "{method}");
    }
}
