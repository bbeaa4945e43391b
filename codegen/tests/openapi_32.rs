//! OpenAPI 3.2 on the wire (wiremock), with the runtime included by path and called as the
//! `openapi_32` fixture's generated code calls it (its expected output shows those calls):
//! `QUERY`, sent with its body, retried and unkeyed like `GET`; a method of `additionalOperations`
//! (`LOCK`) sent exactly as written and, not being idempotent, keyed and not resent after a 503;
//! one the spec declares idempotent with `x-idempotent: true` (`PURGE`) resent; an event stream
//! whose `itemSchema` is the whole event, its `data` JSON of a `contentSchema`; cookie parameters
//! in one `Cookie` header, percent-encoded; a whole query string, form fields or JSON text; a JSON
//! Lines request body from items; `multipart/mixed` responses as streams of typed parts (cut,
//! too large, without a boundary), and `multipart/mixed` request bodies, positional or of items,
//! read back by `multer`.

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

/// A `multipart/mixed` response of `n` JSON parts, with a preamble and an epilogue.
fn mixed_body(boundary: &str, n: usize) -> String {
    let mut body = "This is the preamble.\r\n".to_owned();
    for i in 0..n {
        body.push_str(&format!(
            "--{boundary}\r\ncontent-type: application/json\r\ncontent-id: <f{i}>\r\n\r\n{{\"path\": \"/f{i}\", \"size\": {i}}}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\nThe epilogue."));
    body
}

/// The generated `snapshot_parts` call: a `PartStream` of JSON parts.
async fn snapshot(server: &MockServer, client: &Client) -> runtime::PartStream<serde_json::Value> {
    let _ = server;
    RequestBuilder::live(
        client,
        reqwest::Method::GET,
        "snapshotParts",
        Ok("/devboxes/dbx_1/snapshot".into()),
        runtime::part_stream_json::<serde_json::Value>,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_multipart_mixed_response_is_a_stream_of_typed_parts_with_their_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(mixed_body("sep 1", 2), "multipart/mixed; boundary=\"sep 1\""),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let mut parts = snapshot(&server, &client).await;
    let first = parts.next().await.unwrap().unwrap();
    assert_eq!(first.content_type(), Some("application/json"));
    assert_eq!(first.headers()["content-id"], "<f0>");
    assert_eq!(first.value(), &json!({"path": "/f0", "size": 0}));
    assert_eq!(parts.next().await.unwrap().unwrap().into_value(), json!({"path": "/f1", "size": 1}));
    assert!(parts.next().await.is_none());
    assert!(parts.next().await.is_none(), "an ended stream stays ended");
}

#[tokio::test]
async fn a_multipart_mixed_response_cut_short_too_large_or_without_a_boundary_says_so() {
    let server = MockServer::start().await;
    let whole = mixed_body("b", 2);
    let cut = &whole[..whole.find("--b--").unwrap() - 10];
    let responses = [
        ("/cut", "multipart/mixed; boundary=b", cut.to_owned()),
        ("/large", "multipart/mixed; boundary=b", mixed_body("b", 2).replace("/f1", &"x".repeat(10_000))),
        ("/none", "multipart/mixed", whole.clone()),
    ];
    for (at, content_type, body) in responses {
        Mock::given(method("GET"))
            .and(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, content_type))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let open = |at: &'static str| {
        RequestBuilder::live(&client, reqwest::Method::GET, "snapshotParts", Ok(at.into()), |body| {
            runtime::part_stream_json::<serde_json::Value>(body)
        })
    };
    // Cut inside the second part: the first is whole, the second never arrives.
    let mut parts = open("/cut").await.unwrap();
    assert!(parts.next().await.unwrap().is_ok());
    let err = parts.next().await.unwrap().unwrap_err();
    assert!(matches!(err, runtime::Error::Truncated { part: runtime::StreamPart::MultipartPart, .. }), "{err:?}");
    assert!(parts.next().await.is_none());
    // A part larger than the limit ends the stream after the parts before it.
    let mut parts = open("/large").max_part_bytes(1024).await.unwrap();
    assert!(parts.next().await.unwrap().is_ok());
    let err = parts.next().await.unwrap().unwrap_err();
    assert!(matches!(err, runtime::Error::LimitExceeded { max_bytes: 1024, .. }), "{err:?}");
    assert!(err.to_string().contains("max_part_bytes"), "{err}");
    assert!(parts.next().await.is_none());
    // No boundary: nothing can be read.
    let mut parts = open("/none").await.unwrap();
    let err = parts.next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("names no boundary"), "{err}");
    assert!(parts.next().await.is_none());
}

/// The parts of a received `multipart/mixed` body, read by `multer` (an independent parser):
/// each part's content type and content.
async fn received_parts(request: &wiremock::Request) -> Vec<(String, Vec<u8>)> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/mixed; boundary="), "{content_type}");
    // `multer::parse_boundary` reads `multipart/form-data` only.
    let boundary = content_type.split_once("boundary=").unwrap().1.to_owned();
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        assert_eq!(field.name(), None, "parts of multipart/mixed have no names");
        let content_type = field.content_type().map_or("-".to_owned(), ToString::to_string);
        parts.push((content_type, field.bytes().await.unwrap().to_vec()));
    }
    parts
}

#[tokio::test]
async fn positional_multipart_parts_are_written_in_order_with_their_content_types_and_resent_the_same() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    let image = std::env::temp_dir().join(format!("openapi-32-screenshot-{}.png", std::process::id()));
    std::fs::write(&image, b"\x89PNG\r\n--not-a-boundary\r\n").unwrap();
    // The generated `attach_screenshot`: the entry (JSON), the image (a file, from a path) and the
    // notes after them (text), as its `prefixEncoding` and `itemEncoding` say.
    let parts = runtime::Parts::new()
        .value("file_entry", &json!({"path": "/shot.png", "size": 25}), Some("application/json"))
        .file("screenshot", &runtime::FilePart::path(&image).content_type("image/png"))
        .value("rest", &Some(vec!["first note", "second, with\r\n--lines"]), Some("text/plain"));
    RequestBuilder::new(&client, reqwest::Method::POST, "attachScreenshot", Ok("/shot".into()), decode_empty)
        .idempotent(true)
        .mixed_body("multipart/mixed", parts)
        .await
        .unwrap();
    std::fs::remove_file(&image).unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "the 503 was retried");
    for request in &requests {
        let parts = received_parts(request).await;
        let expected: Vec<(String, Vec<u8>)> = vec![
            ("application/json".into(), br#"{"path":"/shot.png","size":25}"#.to_vec()),
            ("image/png".into(), b"\x89PNG\r\n--not-a-boundary\r\n".to_vec()),
            ("text/plain".into(), b"first note".to_vec()),
            ("text/plain".into(), b"second, with\r\n--lines".to_vec()),
        ];
        assert_eq!(parts, expected);
        let length: usize = request.headers["content-length"].to_str().unwrap().parse().unwrap();
        assert_eq!(length, request.body.len(), "the length is known: the file's is");
    }
}

#[tokio::test]
async fn multipart_items_are_one_part_each() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    let items = [json!({"path": "/a", "size": 1}), json!({"path": "/b", "size": 2})];
    // The generated `restore_snapshot`: items of the `itemSchema`, with `itemEncoding`'s type.
    let call = |parts| {
        RequestBuilder::new(&client, reqwest::Method::PUT, "restoreSnapshot", Ok("/snap".into()), decode_empty)
            .mixed_body("multipart/mixed", parts)
    };
    call(runtime::Parts::new().json_items::<serde_json::Value, _, _>(&items, None)).await.unwrap();
    call(runtime::Parts::new().text_items(["one", "two"], Some("text/markdown"))).await.unwrap();
    call(runtime::Parts::new().file_items([b"\x00\x01".to_vec()])).await.unwrap();
    // RFC 2046: at least one part; none is refused before sending.
    let err = call(runtime::Parts::new()).await.unwrap_err();
    assert!(err.to_string().contains("needs at least one part"), "{err}");
    let requests = server.received_requests().await.unwrap();
    let json = |v: &serde_json::Value| ("application/json".to_owned(), v.to_string().into_bytes());
    assert_eq!(received_parts(&requests[0]).await, vec![json(&items[0]), json(&items[1])]);
    assert_eq!(
        received_parts(&requests[1]).await,
        vec![("text/markdown".to_owned(), b"one".to_vec()), ("text/markdown".to_owned(), b"two".to_vec())]
    );
    assert_eq!(received_parts(&requests[2]).await, vec![("application/octet-stream".to_owned(), vec![0, 1])]);
    assert_eq!(requests.len(), 3);
}
