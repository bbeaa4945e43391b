//! The generated Runloop client against an in-process HTTP server (wiremock): retries, backoff,
//! `Retry-After`, idempotency keys, deadlines, decoding, auth, percent-encoding, secrecy.

use std::time::{Duration, Instant};

use runloop::types::{DevboxCreateExecutionParameters, DevboxExecutionStatus};
use runloop::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_5f3c9a1e-never-print-me";

fn view() -> Value {
    json!({"devbox_id": "dbx_1", "execution_id": "exe_1", "status": "queued"})
}

fn client(server: &MockServer) -> Client {
    Client::builder().api_key(KEY).base_url(server.uri()).max_retries(3).build().unwrap()
}

fn body() -> DevboxCreateExecutionParameters {
    DevboxCreateExecutionParameters::new("ls -la")
}

/// The key must never appear in an error's `Display` or `Debug`.
fn assert_secret(e: &Error) {
    let text = format!("{e} {e:?}");
    assert!(!text.contains(KEY), "error leaks the key: {text}");
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn idempotent_503_with_retry_after_is_retried_after_the_delay() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/devboxes"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/devboxes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let response = client(&server).request(reqwest::Method::GET, "/v1/devboxes").send_response().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.attempts(), 2);
    assert_eq!(serde_json::from_slice::<Value>(response.value()).unwrap(), json!({"ok": true}));
    assert!(elapsed >= Duration::from_secs(1), "retried before Retry-After: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "waited too long: {elapsed:?}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn post_500_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500).set_body_string("boom")).mount(&server).await;
    let err = client(&server).devboxes().execute_async("dbx_1", &body()).await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR));
    assert!(err.to_string().contains("boom"), "{err}");
    assert_secret(&err);
    assert_eq!(received(&server).await.len(), 1, "a POST that reached the server was resent");
}

#[tokio::test]
async fn post_timeout_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(view()).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let err = client(&server)
        .devboxes()
        .execute_async("dbx_1", &body())
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, deadline: false, .. }), "{err:?}");
    assert_secret(&err);
    assert_eq!(received(&server).await.len(), 1, "a POST that timed out was resent");
}

#[tokio::test]
async fn post_429_is_retried_with_the_same_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "20"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(view())).mount(&server).await;
    let response = client(&server).devboxes().execute_async("dbx_1", &body()).with_response().await.unwrap();
    assert_eq!(response.attempts(), 3);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let keys: Vec<&str> = requests.iter().map(|r| r.headers.get("x-request-id").unwrap().to_str().unwrap()).collect();
    assert!(!keys[0].is_empty());
    assert!(keys.iter().all(|k| *k == keys[0]), "idempotency key changed between attempts: {keys:?}");
}

#[tokio::test]
async fn caller_supplied_idempotency_key_is_sent_and_calls_get_fresh_keys() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(view())).mount(&server).await;
    let c = client(&server);
    c.devboxes().execute_async("a", &body()).idempotency_key("my-key-1").await.unwrap();
    c.devboxes().execute_async("a", &body()).await.unwrap();
    c.devboxes().execute_async("a", &body()).await.unwrap();
    let keys: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.headers.get("x-request-id").unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys[0], "my-key-1");
    assert_ne!(keys[1], keys[2], "two logical calls shared a key");
}

#[tokio::test]
async fn x_should_retry_overrides_the_default_policy() {
    let server = MockServer::start().await;
    // The server says a POST 500 is safe to retry.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500).insert_header("x-should-retry", "true").insert_header("retry-after-ms", "1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(view())).mount(&server).await;
    // ...and that a GET 503 is not.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    let c = client(&server);
    let ok = c.devboxes().execute_async("a", &body()).with_response().await.unwrap();
    assert_eq!(ok.attempts(), 2);
    let err = c.request(reqwest::Method::GET, "/v1/x").send::<Value>().await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::SERVICE_UNAVAILABLE));
    let gets = received(&server).await.iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(gets, 1);
}

#[tokio::test]
async fn opting_in_retries_a_post_on_5xx() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).insert_header("retry-after-ms", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(view())).mount(&server).await;
    let r = client(&server)
        .devboxes()
        .execute_async("a", &body())
        .retry_non_idempotent(true)
        .with_response()
        .await
        .unwrap();
    assert_eq!(r.attempts(), 2);
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "1"))
        .mount(&server)
        .await;
    let err = client(&server).request(reqwest::Method::GET, "/v1/x").max_retries(2).send::<Value>().await.unwrap_err();
    match &err {
        Error::Api(api) => assert_eq!(api.attempts, 3),
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn refused_connection_is_retried_even_for_a_post() {
    // A port with nothing listening: the request provably never reached a server.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::builder().api_key(KEY).base_url(format!("http://127.0.0.1:{port}")).max_retries(1).build().unwrap();
    let started = Instant::now();
    let err = c.devboxes().execute_async("a", &body()).await.unwrap_err();
    assert!(matches!(err, Error::Connection { attempts: 2, .. }), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(370), "no backoff between attempts");
    assert_secret(&err);
}

/// A refused connection says so in its message, not only "error sending request".
#[tokio::test]
async fn a_refused_connection_names_its_root_cause() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::builder().api_key(KEY).base_url(format!("http://127.0.0.1:{port}")).max_retries(0).build().unwrap();
    let err = c.accounts().me().await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Connection { attempts: 1, .. }), "{err:?}");
    assert!(text.starts_with("getMyAccount: connection failed after 1 attempt(s): error sending request"), "{text}");
    assert!(text.to_lowercase().contains("connection refused"), "no root cause: {text}");
    assert_secret(&err);
}

/// A host name that cannot resolve (`.invalid` never does, RFC 6761) is a DNS error, and says so;
/// the key, sent as a query parameter nowhere here, is in no message either way.
#[tokio::test]
async fn an_unresolvable_host_names_the_dns_error() {
    let c = Client::builder().api_key(KEY).base_url("http://nonexistent.invalid").max_retries(0).build().unwrap();
    let err = c.accounts().me().await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(text.contains("dns error"), "no root cause: {text}");
    assert_secret(&err);
}

/// A timed-out attempt says it timed out, and after how long.
#[tokio::test]
async fn a_timeout_says_it_timed_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let err = client(&server).accounts().me().timeout(Duration::from_millis(200)).max_retries(0).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert!(err.to_string().starts_with("getMyAccount timed out after "), "{err}");
    assert_secret(&err);
}

#[tokio::test]
async fn overall_deadline_holds_across_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .max_retries(10)
        .deadline(Duration::from_millis(1200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c
        .request(reqwest::Method::GET, "/v1/slow")
        .timeout(Duration::from_millis(400))
        .send::<Value>()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(elapsed < Duration::from_millis(1500), "deadline overrun: {elapsed:?}");
    assert!(elapsed >= Duration::from_millis(1000), "gave up early: {elapsed:?}");
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_with_an_excerpt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"devbox_id\": 42, oops"))
        .mount(&server)
        .await;
    let err = client(&server).devboxes().execute_async("a", &body()).await.unwrap_err();
    match &err {
        Error::Decode { excerpt, path, .. } => {
            assert!(excerpt.contains("oops"), "{excerpt}");
            assert_eq!(path, "devbox_id");
        }
        other => panic!("{other:?}"),
    }
    assert_secret(&err);
}

#[tokio::test]
async fn unknown_enum_values_and_extra_fields_decode() {
    let server = MockServer::start().await;
    let mut v = view();
    v["status"] = json!("failed");
    v["brand_new"] = json!({"x": 1});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(v)).mount(&server).await;
    let exec = client(&server).devboxes().execute_async("a", &body()).await.unwrap();
    assert_eq!(exec.status, DevboxExecutionStatus::Unknown("failed".into()));
}

#[tokio::test]
async fn authorization_is_exactly_bearer_key_and_user_agent_names_the_crate() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(view()))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    client(&server).devboxes().execute_async("a", &body()).await.unwrap();
    let r = &received(&server).await[0];
    assert_eq!(r.headers.get_all("authorization").iter().count(), 1);
    let ua = r.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(ua.starts_with("runloop/"), "{ua}");
    assert_eq!(r.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(serde_json::from_slice::<Value>(&r.body).unwrap(), json!({"command": "ls -la"}));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(view())).mount(&server).await;
    let c = client(&server);
    c.devboxes().execute_async("../x?y#z", &body()).await.unwrap();
    c.devboxes().execute_async("a/b c%2F", &body()).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests[0].url.path(), "/v1/devboxes/..%2Fx%3Fy%23z/execute_async");
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[1].url.path(), "/v1/devboxes/a%2Fb%20c%252F/execute_async");
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    for id in ["..", ".", ""] {
        let err = c.devboxes().execute_async(id, &body()).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn not_found_is_easy_to_match_and_carries_the_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req_42")
                .set_body_json(json!({"error": "no such devbox"})),
        )
        .mount(&server)
        .await;
    let err = client(&server).devboxes().execute_async("nope", &body()).await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("req_42"));
    match &err {
        Error::Api(api) => assert_eq!(api.json, Some(json!({"error": "no such devbox"}))),
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("404") && text.contains("req_42") && text.contains("execAsyncCommand"), "{text}");
    assert_secret(&err);
}

#[tokio::test]
async fn the_key_is_absent_from_debug_output() {
    let server = MockServer::start().await;
    let c = client(&server);
    let debug = format!("{c:?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    let builder_debug = format!("{:?}", Client::builder().api_key(KEY));
    assert!(!builder_debug.contains(KEY), "{builder_debug}");
    let request_debug = format!("{:?}", c.devboxes().execute_async("a", &body()));
    assert!(!request_debug.contains(KEY), "{request_debug}");
}

#[tokio::test]
async fn response_headers_that_carry_credentials_are_redacted_in_debug_output() {
    const COOKIE: &str = "session=c00k1e-never-print-me";
    const ECHOED: &str = "echoed-token-never-print-me";
    let server = MockServer::start().await;
    let headers = |status: u16| {
        ResponseTemplate::new(status)
            .insert_header("set-cookie", COOKIE)
            .insert_header("x-auth-token", ECHOED)
            .insert_header("x-ratelimit-remaining", "7")
            .insert_header("www-authenticate", "Bearer error=\"invalid_token\"")
            .set_body_json(json!({"ok": status == 200}))
    };
    Mock::given(method("GET")).and(path("/v1/devboxes")).respond_with(headers(200)).mount(&server).await;
    Mock::given(method("POST")).respond_with(headers(400)).mount(&server).await;
    let c = client(&server);
    let err = c.devboxes().execute_async("dbx_1", &body()).await.unwrap_err();
    let response = c.request(reqwest::Method::GET, "/v1/devboxes").send_response().await.unwrap();
    for debug in [format!("{err:?}"), format!("{response:?}")] {
        assert!(!debug.contains("c00k1e") && !debug.contains(ECHOED), "a credential shows: {debug}");
        // What is not a credential still helps whoever reads the error.
        assert!(debug.contains("\"set-cookie\": <redacted>"), "{debug}");
        assert!(debug.contains("\"x-ratelimit-remaining\": \"7\""), "{debug}");
        // A challenge says why a credential was refused, and holds none.
        assert!(debug.contains("invalid_token"), "{debug}");
    }
    let Error::Api(api) = &err else { panic!("not an API error: {err:?}") };
    // The headers themselves stay the caller's to read.
    assert_eq!(api.headers.get("set-cookie").unwrap(), COOKIE);
}

#[tokio::test]
async fn per_call_headers_and_default_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(view())).mount(&server).await;
    let c = Client::builder().api_key(KEY).base_url(server.uri()).default_header("x-team", "infra").build().unwrap();
    c.devboxes().execute_async("a", &body()).header("x-trace", "t1").await.unwrap();
    let r = &received(&server).await[0];
    assert_eq!(r.headers.get("x-team").unwrap(), "infra");
    assert_eq!(r.headers.get("x-trace").unwrap(), "t1");
}

#[test]
fn bad_base_url_is_a_configuration_error() {
    for url in ["not a url", "ftp://example.com", "mailto:x@example.com"] {
        let err = Client::builder().api_key(KEY).base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
        assert_secret(&err);
    }
}

/// `x-timeout: 600` on `execute_sync` (the SDK allows it 600 s): its attempts outlive the client's
/// timeout, while an ordinary call with the same slow server times out. (`execute_sync` is
/// deprecated in the spec, as in the SDK.)
#[tokio::test]
#[allow(deprecated)]
async fn slow_operations_marked_in_the_spec_outlive_the_client_timeout() {
    let server = MockServer::start().await;
    let slow = Duration::from_millis(1500);
    let done = json!({"devbox_id": "dbx_1", "exit_status": 0, "stdout": "ok", "stderr": ""});
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/execute_sync"))
        .respond_with(ResponseTemplate::new(200).set_body_json(done).set_delay(slow))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/execute_async"))
        .respond_with(ResponseTemplate::new(200).set_body_json(view()).set_delay(slow))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(500))
        .max_retries(0)
        .build()
        .unwrap();
    let result =
        client.devboxes().execute_sync("dbx_1", &runloop::types::DevboxExecuteSyncParams::new("sleep 1")).await;
    assert!(result.is_ok(), "{result:?}");
    let err = client.devboxes().execute_async("dbx_1", &body()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}
