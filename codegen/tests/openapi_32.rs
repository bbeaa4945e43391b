//! OpenAPI 3.2 on the wire (wiremock), with the runtime included by path and called as the
//! `openapi_32` fixture's generated code calls it (its expected output shows those calls):
//! `QUERY`, sent with its body, retried and unkeyed like `GET`; a method of `additionalOperations`
//! (`LOCK`) sent exactly as written and, not being idempotent, keyed and not resent after a 503;
//! one the spec declares idempotent with `x-idempotent: true` (`PURGE`) resent; an event stream
//! whose `itemSchema` is the whole event, its `data` JSON of a `contentSchema`; cookie parameters
//! in one `Cookie` header, percent-encoded; a whole query string, form fields or JSON text; a JSON
//! Lines request body from items.

#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "METHODS_32_TEST", default_base_url: None, schemes: &[], security: &[] };

use runtime::{Client, RequestBuilder, decode_empty, decode_json, event_stream_json};
use serde_json::json;
use wiremock::matchers::{body_json, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).max_retries(2).build().unwrap()
}

/// A call as the generated code makes it: the method from `runtime::method`, the idempotency the
/// generator decided.
fn call(client: &Client, name: &'static str, idempotent: bool) -> RequestBuilder<()> {
    RequestBuilder::new(client, runtime::method(name), "op", Ok("/files/a".into()), decode_empty).idempotent(idempotent)
}

#[tokio::test]
async fn query_is_sent_with_its_body_and_retried_like_get() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/search"))
        .and(body_json(json!({"status": "running"})))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("QUERY"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["dbx_1"])))
        .mount(&server)
        .await;
    let ids: Vec<String> =
        RequestBuilder::new(&client(&server), runtime::method("QUERY"), "search", Ok("/search".into()), decode_json)
            .idempotent(true)
            .json_body("application/json", &json!({"status": "running"}))
            .await
            .unwrap();
    assert_eq!(ids, ["dbx_1"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "the 503 was retried");
    for r in &requests {
        assert_eq!(r.method.as_str(), "QUERY");
        assert!(!r.headers.contains_key("x-request-id"), "QUERY is safe: no idempotency key");
    }
}

#[tokio::test]
async fn a_custom_method_is_sent_as_written_keyed_and_not_resent_unless_declared_idempotent() {
    let server = MockServer::start().await;
    for name in ["LOCK", "PURGE"] {
        Mock::given(method(name))
            .and(path("/files/a"))
            .and(header_exists("x-request-id"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let err = call(&client, "LOCK", false).await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::SERVICE_UNAVAILABLE), "{err:?}");
    let err = call(&client, "PURGE", true).await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::SERVICE_UNAVAILABLE), "{err:?}");
    let requests = server.received_requests().await.unwrap();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["LOCK", "PURGE", "PURGE", "PURGE"], "LOCK once; PURGE, declared idempotent, 1 + 2 retries");
    let purge_keys: Vec<_> = requests[1..].iter().map(|r| r.headers.get("x-request-id").unwrap().clone()).collect();
    assert!(purge_keys.windows(2).all(|w| w[0] == w[1]), "one key across a call's attempts");
}

/// The fixture's `LogLine`, as generated: an event's data.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct LogLine {
    line: String,
    level: Option<String>,
}

#[tokio::test]
async fn an_item_schema_event_decodes_with_its_data_as_the_content_schema() {
    let server = MockServer::start().await;
    let body =
        "event: log\nid: 7\ndata: {\"line\": \"booted\", \"level\": \"info\"}\n\ndata: {\"line\": \"ready\"}\n\n";
    Mock::given(method("GET"))
        .and(path("/devboxes/dbx_1/logs"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(body),
        )
        .mount(&server)
        .await;
    // The generated `tail_logs`: the event's `data` is the `contentSchema`, `LogLine`; `Event`
    // carries the event's name and id.
    let mut events = RequestBuilder::live(
        &client(&server),
        reqwest::Method::GET,
        "tailLogs",
        Ok("/devboxes/dbx_1/logs".into()),
        event_stream_json::<LogLine>,
    )
    .await
    .unwrap();
    let line = |line: &str, level: Option<&str>| LogLine { line: line.into(), level: level.map(str::to_owned) };
    let first = events.next().await.unwrap().unwrap();
    assert_eq!((first.event.as_str(), first.id.as_deref()), ("log", Some("7")));
    assert_eq!(first.data, line("booted", Some("info")));
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.data, line("ready", None));
    assert_eq!(second.event, "message", "the default event name");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn cookie_parameters_share_one_cookie_header_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    RequestBuilder::new(&client(&server), runtime::method("QUERY"), "search", Ok("/search".into()), decode_empty)
        .header("Cookie", "consent=yes")
        .cookie_param("session", "a b;c,\"d\"")
        .cookie_param("ids", &[1, 2])
        .set_cookie_param("theme", "dark")
        .set_cookie_param("theme", "light")
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let cookies: Vec<_> =
        requests[0].headers.get_all("cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert_eq!(cookies, ["consent=yes; session=a%20b%3Bc%2C%22d%22; ids=1%2C2; theme=light"]);
}

#[tokio::test]
async fn a_querystring_parameter_is_the_whole_query_string() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    let call = || RequestBuilder::new(&client, reqwest::Method::GET, "find", Ok("/devboxes".into()), decode_empty);
    let filter = json!({"status": "running ok", "tags": ["a", "b&c"]});
    call().query_string(&filter, false).await.unwrap();
    call().query_string(&json!({"status": "x"}), true).await.unwrap();
    // After the pairs the path template fixes, and set twice it replaces.
    call()
        .query_param("v", &2)
        .query_string(&filter, false)
        .query_string(&json!({"status": "y"}), false)
        .await
        .unwrap();
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(queries, ["status=running+ok&tags=a&tags=b%26c", "%7B%22status%22%3A%22x%22%7D", "v=2&status=y"],);
    // A form query string is an object's fields: anything else is refused before sending.
    let err = call().query_string(&json!(["a"]), false).await.unwrap_err();
    assert!(err.to_string().contains("a form query string must be an object"), "{err}");
}

#[tokio::test]
async fn a_json_lines_body_is_written_from_items_and_resent_the_same() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(429)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    let call = |media: &'static str, items: &[serde_json::Value]| {
        RequestBuilder::new(&client, reqwest::Method::POST, "appendLog", Ok("/log".into()), decode_empty)
            .json_lines_body::<serde_json::Value, _, _>(media, items)
    };
    let items = [json!({"line": "a"}), json!({"line": "b\nc"})];
    call("application/jsonl", &items).await.unwrap();
    call("application/json-seq", &items[..1]).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let bodies: Vec<String> = requests.iter().map(|r| String::from_utf8(r.body.clone()).unwrap()).collect();
    let lines = "{\"line\":\"a\"}\n{\"line\":\"b\\nc\"}\n";
    assert_eq!(bodies, [lines, lines, "\u{1e}{\"line\":\"a\"}\n"], "the 429 resent the same lines");
    assert_eq!(requests[0].headers["content-type"], "application/jsonl");
}
