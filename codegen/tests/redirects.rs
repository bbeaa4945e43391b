//! Redirects with an API key in a custom header: reqwest drops `Authorization` when a redirect
//! leaves the host, but not a header of another name, so the runtime follows only redirects that
//! stay on the same origin and returns the others as errors. Against two in-process servers.

#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root: a key in `x-api-key`.
const SPEC: runtime::Spec = runtime::Spec {
    env_prefix: "REDIRECTS_TEST",
    default_base_url: None,
    schemes: &[runtime::Scheme {
        name: "key",
        kind: runtime::SchemeKind::Header("x-api-key"),
        setter: "api_key",
        env: "API_KEY",
    }],
    security: &[&[0]],
};

use reqwest::Method;
use runtime::{Client, RequestBuilder, decode_json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_redirect_secret";

fn client(server: &MockServer) -> Client {
    Client::builder().api_key(KEY).base_url(server.uri()).max_retries(0).build().unwrap()
}

fn get(client: &Client, p: &str) -> RequestBuilder<serde_json::Value> {
    RequestBuilder::new(client, Method::GET, "get", Ok(p.to_owned().into()), decode_json).authenticated(true)
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/1"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/stolen", elsewhere.uri())))
        .mount(&api)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(1)).mount(&elsewhere).await;
    let err = get(&client(&api), "/files/1").await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::FOUND), "{err:?}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the key's header went to another origin");
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn a_redirect_on_the_same_origin_is_followed_with_the_key() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/new"))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/new"))
        .and(wiremock::matchers::header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"moved": true})))
        .mount(&api)
        .await;
    let value = get(&client(&api), "/old").await.unwrap();
    assert_eq!(value["moved"], true);
}
