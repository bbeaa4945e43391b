//! Raw calls (`Client::request`) through the generated Runloop client against wiremock: the same
//! runtime as generated calls (the key, retries by method, the idempotency key on every attempt,
//! hooks), the body decoded as `T` or kept as bytes, and a path that never leaves the base URL's
//! host.

use std::sync::{Arc, Mutex};

use runloop::{AttemptRequest, Client, Error, FilePart, Hook, HookError, HookFuture, Method};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_raw-calls";

fn client(server: &MockServer) -> Client {
    Client::builder().api_key(KEY).base_url(server.uri()).max_retries(2).build().unwrap()
}

#[tokio::test]
async fn a_raw_post_is_authenticated_keyed_and_resent_with_the_same_key_only_when_not_processed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/beta/things"))
        .and(query_param("dry_run", "true"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("x-beta", "things=1"))
        .and(body_json(json!({"name": "first"})))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/beta/things"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "thing_1"})))
        .mount(&server)
        .await;
    let created: Value = client(&server)
        .request(Method::POST, "/v1/beta/things")
        .query("dry_run", &true)
        .header("x-beta", "things=1")
        .json(&json!({"name": "first"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created, json!({"id": "thing_1"}));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "a 429 was not processed: resent");
    let keys: Vec<&str> = requests.iter().map(|r| r.headers["x-request-id"].to_str().unwrap()).collect();
    assert_eq!(keys[0], keys[1], "the same idempotency key on both attempts");
    // A 500 on a POST may have been processed: not resent.
    Mock::given(method("POST"))
        .and(path("/v1/beta/fail"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let err = client(&server).request(Method::POST, "/v1/beta/fail").send::<Value>().await.unwrap_err();
    assert_eq!(err.status(), Some(runloop::StatusCode::INTERNAL_SERVER_ERROR));
    let fails = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/v1/beta/fail").count();
    assert_eq!(fails, 1);
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn a_raw_get_is_retried_and_its_response_kept_as_bytes_or_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"a,b\n1,2\n".to_vec(), "text/csv"))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/v1/empty")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/number"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"n": "not a number"})))
        .mount(&server)
        .await;
    let client = client(&server);
    let raw = client.request(Method::GET, "v1/export").send_response().await.unwrap();
    assert_eq!((raw.status().as_u16(), raw.attempts()), (200, 2), "the 503 was retried");
    assert_eq!(raw.headers()["content-type"], "text/csv");
    assert_eq!(raw.value(), b"a,b\n1,2\n");
    client.request(Method::GET, "/v1/empty").send::<()>().await.unwrap();
    #[derive(Debug, serde::Deserialize)]
    struct Number {
        #[allow(dead_code)]
        n: u32,
    }
    let err = client.request(Method::GET, "/v1/number").send::<Number>().await.unwrap_err();
    let Error::Decode { operation, path, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*operation, path.as_str()), ("custom request", "n"));
}

#[tokio::test]
async fn a_raw_body_is_sent_with_its_content_type_and_hooks_run() {
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Vec<String>>>);
    impl Hook for Seen {
        fn before_attempt<'a>(&'a self, request: &'a mut AttemptRequest<'_>) -> HookFuture<'a, Result<(), HookError>> {
            Box::pin(async move {
                self.0.lock().unwrap().push(format!("{} {}", request.operation(), request.method()));
                Ok(())
            })
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/files/a.csv"))
        .and(header("content-type", "text/csv"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let seen = Seen::default();
    client(&server)
        .request(Method::PUT, "/v1/files/a.csv")
        .body(FilePart::bytes(b"a,b\n".to_vec()).content_type("text/csv"))
        .hook(seen.clone())
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].body, b"a,b\n");
    assert_eq!(*seen.0.lock().unwrap(), ["custom request PUT"]);
}

#[tokio::test]
async fn a_raw_path_never_leaves_the_base_url_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!(1))).mount(&server).await;
    let client = Client::builder().api_key(KEY).base_url(format!("{}/api", server.uri())).build().unwrap();
    for hostile in ["//evil.example/x", "http://evil.example/x", "@evil.example/x", "/\\evil.example/x"] {
        let value: Value = client.request(Method::GET, hostile).send().await.unwrap();
        assert_eq!(value, json!(1), "{hostile}");
    }
    // A query or fragment in the path, or a segment that climbs out of the base path, is refused
    // before sending.
    for refused in ["/x?y=1", "/x#z", "/../admin", "/a/%2E%2e/b", "/./x"] {
        let err = client.request(Method::GET, refused).send::<Value>().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{refused}: {err:?}");
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4, "every request sent reached the base URL's server");
    let host = server.address().to_string();
    let paths: Vec<String> = requests
        .iter()
        .map(|r| {
            assert_eq!(r.headers["host"].to_str().unwrap(), host);
            r.url.path().to_owned()
        })
        .collect();
    assert!(paths.iter().all(|p| p.starts_with("/api/")), "{paths:?}");
}
