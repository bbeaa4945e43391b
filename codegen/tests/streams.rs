//! Streams, downloads and uploads against in-process HTTP servers: the generated Runloop client's
//! event stream (`stream_stdout_updates`), download (`download_file`) and multipart upload
//! (`upload_file`), and the runtime's multipart encoding (included by path, as in
//! `runtime_unit.rs`) parsed by a real multipart parser (`multer`); the limits of a stream's lines
//! and events and of an error body (a server sending 100 MiB without a line end), and streams
//! cut short inside an event or a line.
//!
//! Where the server must control every write (one byte at a time, stalls, dying midway, seeing
//! the client hang up), it is a raw HTTP/1.1 server on a `TcpListener`; elsewhere it is wiremock.

#[path = "support/raw_http.rs"]
mod raw_http;
#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "STREAMS_TEST", default_base_url: None, schemes: &[], security: &[] };

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use runloop::types::{DevboxDownloadFileParams, UploadDevboxFileBody};
use runloop::{Client, Error, FilePart};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use raw_http::{SSE_HEAD, chunk, raw_server};

const KEY: &str = "sk_test_streams-never-print-me";

fn client(base: &str) -> Client {
    Client::builder().api_key(KEY).base_url(base).max_retries(2).build().unwrap()
}

/// Keepalive comments, CRLF and CR line ends, a BOM, multi-line JSON data, `event`, `id`,
/// `retry`, non-ASCII text, and `[DONE]` followed by an event that must never be seen.
const STDOUT_EVENTS: &str = "\u{feff}: keepalive\r\n\r\n\
    data: {\"output\": \"h\u{e9}llo \u{1f980}\", \"offset\": 0}\r\n\r\n\
    event: chunk\rid: 2\rretry: 2500\rdata: {\"output\":\rdata:  \"line\\n\", \"offset\": 12}\r\r\
    : keepalive\n\n\
    data: {\"output\": \"last\"}\n\n\
    data: [DONE]\n\n\
    data: {\"output\": \"after done\"}\n\n";

#[tokio::test]
async fn event_stream_written_one_byte_per_write_decodes_every_event() {
    let (base, requests) = raw_server(|mut socket, _| async move {
        socket.write_all(SSE_HEAD).await.unwrap();
        for byte in STDOUT_EVENTS.as_bytes() {
            if chunk(&mut socket, std::slice::from_ref(byte)).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    })
    .await;
    let response =
        client(&base).devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").with_response().await.unwrap();
    assert_eq!(response.attempts(), 1);
    let mut events = response.into_value();
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        seen.push(event.unwrap());
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0].event, "message");
    assert_eq!(seen[0].data.output, "h\u{e9}llo \u{1f980}");
    assert_eq!(seen[0].data.offset, Some(0));
    assert_eq!(seen[0].id, None);
    assert_eq!(seen[1].event, "chunk");
    assert_eq!(seen[1].id.as_deref(), Some("2"));
    assert_eq!(seen[1].retry, Some(Duration::from_millis(2500)));
    assert_eq!(seen[1].data.output, "line\n");
    assert_eq!(seen[1].data.offset, Some(12));
    assert_eq!(seen[2].data.output, "last");
    assert_eq!(seen[2].id.as_deref(), Some("2"), "the last event id carries over");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn event_stream_outlives_the_attempt_timeout_but_not_the_idle_timeout() {
    let (base, _) = raw_server(|mut socket, _| async move {
        socket.write_all(SSE_HEAD).await.unwrap();
        // Ten events 100 ms apart: a second in all, five times the attempt timeout.
        for i in 0..10 {
            let event = format!("data: {{\"output\": \"{i}\"}}\n\n");
            if chunk(&mut socket, event.as_bytes()).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Then a stall, with the connection open.
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .timeout(Duration::from_millis(200))
        .idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let mut events = client.devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").await.unwrap();
    for i in 0..10 {
        let event = events.next().await.unwrap().unwrap();
        assert_eq!(event.data.output, i.to_string());
    }
    let stalled = Instant::now();
    let error = events.next().await.unwrap().unwrap_err();
    let waited = stalled.elapsed();
    assert!(matches!(error, Error::IdleTimeout { idle, .. } if idle == Duration::from_millis(400)), "{error:?}");
    assert!(waited >= Duration::from_millis(300) && waited < Duration::from_secs(3), "{waited:?}");
    assert!(events.next().await.is_none(), "a stream ends after its idle timeout");
    // The per-call setting overrides the client's.
    let mut events = client
        .devboxes()
        .executions()
        .stream_stdout_updates("dbx_1", "exe_1")
        .idle_timeout(Duration::from_secs(5))
        .await
        .unwrap();
    for _ in 0..10 {
        events.next().await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn dropping_a_stream_midway_closes_the_connection() {
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel::<Duration>();
    let closed_tx = Arc::new(std::sync::Mutex::new(Some(closed_tx)));
    let (base, _) = raw_server(move |mut socket, _| {
        let closed_tx = Arc::clone(&closed_tx);
        async move {
            socket.write_all(SSE_HEAD).await.unwrap();
            let mut failed_at = None;
            for i in 0..2000 {
                let event = format!("data: {{\"output\": \"{i}\"}}\n\n");
                if chunk(&mut socket, event.as_bytes()).await.is_err() {
                    failed_at = Some(Instant::now());
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            let mut buf = [0u8; 16];
            // After a write error, or if writes kept succeeding, the read side must see EOF.
            let eof = matches!(socket.read(&mut buf).await, Ok(0) | Err(_));
            if let (Some(at), true) = (failed_at, eof)
                && let Some(tx) = closed_tx.lock().unwrap().take()
            {
                let _ = tx.send(at.elapsed());
            }
        }
    })
    .await;
    let mut events = client(&base).devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").await.unwrap();
    for _ in 0..3 {
        events.next().await.unwrap().unwrap();
    }
    drop(events);
    tokio::time::timeout(Duration::from_secs(5), closed_rx)
        .await
        .expect("the server saw no close within 5 s of the drop")
        .unwrap();
}

#[tokio::test]
async fn a_stream_is_retried_before_its_body_starts_and_never_after() {
    // First request: 503. Second: two events, then the connection dies mid-body.
    let (base, requests) = raw_server(|mut socket, n| async move {
        if n == 1 {
            let _ = socket
                .write_all(b"HTTP/1.1 503 Service Unavailable\r\nretry-after-ms: 10\r\ncontent-length: 0\r\n\r\n")
                .await;
            return;
        }
        socket.write_all(SSE_HEAD).await.unwrap();
        chunk(&mut socket, b"data: {\"output\": \"a\"}\n\ndata: {\"output\": \"b\"}\n\n").await.unwrap();
        // A chunk announced longer than what is sent, then the connection closes.
        let _ = socket.write_all(b"40\r\ndata: {\"outp").await;
        let _ = socket.shutdown().await;
    })
    .await;
    let response =
        client(&base).devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").with_response().await.unwrap();
    assert_eq!(response.attempts(), 2);
    let items: Vec<_> = response.into_value().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data.output, "a");
    assert_eq!(items[1].as_ref().unwrap().data.output, "b");
    let error = items[2].as_ref().unwrap_err();
    // Chunked: no announced length, so the message says how much came.
    assert!(matches!(error, Error::BodyCut { expected: None, .. }), "{error:?}");
    assert!(error.to_string().contains("the response body ended after"), "{error}");
    assert!(!format!("{error} {error:?}").contains(KEY));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(requests.load(Ordering::SeqCst), 2, "the broken stream was not retried");
}

#[tokio::test]
async fn download_bytes_stream_and_save() {
    let server = MockServer::start().await;
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/download_file"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(content.clone(), "application/octet-stream").insert_header(
                "content-disposition",
                "attachment; filename=\"../x.bin\"; filename*=UTF-8''d%C3%A9j%C3%A0.bin",
            ),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let body = DevboxDownloadFileParams::new("/home/user/data.bin");
    let download = client.devboxes().download_file("dbx_1", &body).await.unwrap();
    assert_eq!(download.file_name().as_deref(), Some("d\u{e9}j\u{e0}.bin"));
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    assert_eq!(download.content_length(), Some(content.len() as u64));
    assert_eq!(download.bytes().await.unwrap(), content);

    let mut stream = client.devboxes().download_file("dbx_1", &body).await.unwrap().bytes_stream();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, content);

    let dir = tempdir();
    let target = dir.join("data.bin");
    let written = client.devboxes().download_file("dbx_1", &body).await.unwrap().save(&target).await.unwrap();
    assert_eq!(written, content.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), content);
    assert_eq!(std::fs::read_dir(&*dir).unwrap().count(), 1, "no temporary file left");
    let request: &Request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.body, br#"{"path":"/home/user/data.bin"}"#);
}

/// A fresh empty temporary directory, removed when dropped.
struct TempDir(std::path::PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir() -> TempDir {
    let dir = std::env::temp_dir().join(format!("codegen-streams-{:016x}", fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

#[tokio::test]
async fn a_download_whose_server_dies_midway_leaves_nothing_at_the_path() {
    let (base, _) = raw_server(|mut socket, _| async move {
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000000\r\n\r\n")
            .await;
        let _ = socket.write_all(&[7u8; 100_000]).await;
        let _ = socket.flush().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        // The server dies: the connection closes 900,000 bytes short.
    })
    .await;
    let dir = tempdir();
    let target = dir.join("out.bin");
    let body = DevboxDownloadFileParams::new("big");
    let download = client(&base).devboxes().download_file("dbx_1", &body).await.unwrap();
    let error = download.save(&target).await.unwrap_err();
    assert!(matches!(error, Error::BodyCut { received: 100_000, expected: Some(1_000_000), .. }), "{error:?}");
    assert!(
        error.to_string().starts_with("downloadDevboxFile: the response body ended after 100000 of 1000000 bytes"),
        "{error}"
    );
    assert!(!target.exists(), "a failed download left a file at the target path");
    assert_eq!(std::fs::read_dir(&*dir).unwrap().count(), 0, "a temporary file was left behind");

    // A file already at the path is left as it was.
    std::fs::write(&target, b"previous").unwrap();
    let download = client(&base).devboxes().download_file("dbx_1", &body).await.unwrap();
    download.save(&target).await.unwrap_err();
    assert_eq!(std::fs::read(&target).unwrap(), b"previous");
}

/// One parsed multipart part.
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

/// Parses a multipart request body with `multer`.
async fn parts_of(request: &Request) -> Vec<Part> {
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
    let boundary = multer::parse_boundary(content_type).unwrap();
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut out = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        out.push(Part {
            name: field.name().unwrap().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(ToString::to_string),
            bytes: field.bytes().await.unwrap().to_vec(),
        });
    }
    out
}

#[tokio::test]
async fn multipart_parts_parsed_by_a_real_parser() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    let dir = tempdir();
    let on_disk = dir.join("notes.txt");
    std::fs::write(&on_disk, "from disk \u{e9}\n").unwrap();
    let binary: Vec<u8> = (0..=255u8).collect();
    let client = runtime::Client::builder().base_url(server.uri()).build().unwrap();
    let parts = runtime::Parts::new()
        .value("purpose", "assistants", None)
        .file("file", &runtime::FilePart::bytes(binary.clone()).file_name("all-bytes.bin"))
        .value("metadata", &serde_json::json!({"title": "T", "n": 1}), None)
        .files(
            "attachments",
            &[
                runtime::FilePart::path(&on_disk).content_type("text/plain"),
                runtime::FilePart::reader(&b"from a reader"[..]).file_name("r.txt"),
            ],
        )
        .value("tags", &["a", "b"], Some("application/json"));
    let value: serde_json::Value = runtime::RequestBuilder::new(
        &client,
        reqwest::Method::POST,
        "upload",
        Ok("/upload".into()),
        runtime::decode_json,
    )
    .multipart_body(parts)
    .await
    .unwrap();
    assert_eq!(value, serde_json::json!({"ok": true}));
    let requests = server.received_requests().await.unwrap();
    // A reader's length is unknown: the body is sent chunked, without a Content-Length.
    assert!(requests[0].headers.get("content-length").is_none());
    let parts = parts_of(&requests[0]).await;
    let part = |name: &str, file_name: Option<&str>, content_type: Option<&str>, bytes: &[u8]| Part {
        name: name.into(),
        file_name: file_name.map(Into::into),
        content_type: content_type.map(Into::into),
        bytes: bytes.to_vec(),
    };
    assert_eq!(
        parts,
        [
            part("purpose", None, None, b"assistants"),
            part("file", Some("all-bytes.bin"), Some("application/octet-stream"), &binary),
            part("metadata", None, Some("application/json"), br#"{"title":"T","n":1}"#),
            part("attachments", Some("notes.txt"), Some("text/plain"), "from disk \u{e9}\n".as_bytes()),
            part("attachments", Some("r.txt"), Some("application/octet-stream"), b"from a reader"),
            part("tags", None, Some("application/json"), br#"["a","b"]"#),
        ]
    );
}

#[tokio::test]
async fn an_upload_answered_429_is_resent_with_identical_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/upload_file"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "10"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/upload_file"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let dir = tempdir();
    let file = dir.join("payload.bin");
    let content: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(&file, &content).unwrap();
    let mut body = UploadDevboxFileBody::new("/home/user/payload.bin");
    body.file = Some(FilePart::path(&file));
    let response = client(&server.uri()).devboxes().upload_file("dbx_1", &body).with_response().await.unwrap();
    assert_eq!(response.attempts(), 2);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let (first, second) = (parts_of(&requests[0]).await, parts_of(&requests[1]).await);
    assert_eq!(first, second, "the retry sent different parts");
    // Every part's length is known (a path and a text part): the request has a Content-Length.
    let length = |r: &Request| r.headers.get("content-length").map(|v| v.to_str().unwrap().parse::<usize>().unwrap());
    assert_eq!(length(&requests[0]), Some(requests[0].body.len()));
    assert_eq!(first[1].bytes, content);
    assert_eq!(first[1].file_name.as_deref(), Some("payload.bin"));
    assert_eq!(first[0].bytes, b"/home/user/payload.bin");
    // The idempotency key is the same on both attempts.
    let key = |r: &Request| r.headers.get("x-request-id").unwrap().to_str().unwrap().to_owned();
    assert_eq!(key(&requests[0]), key(&requests[1]));
}

#[tokio::test]
async fn an_upload_from_a_reader_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/upload_file"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "10"))
        .mount(&server)
        .await;
    let mut body = UploadDevboxFileBody::new("/x");
    body.file = Some(FilePart::reader(&b"one shot"[..]));
    let error = client(&server.uri()).devboxes().upload_file("dbx_1", &body).await.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_upload_from_a_missing_path_fails_before_sending() {
    let server = MockServer::start().await;
    let mut body = UploadDevboxFileBody::new("/x");
    body.file = Some(FilePart::path("/definitely/not/here.bin"));
    let error = client(&server.uri()).devboxes().upload_file("dbx_1", &body).await.unwrap_err();
    assert!(matches!(&error, Error::Io { context, .. } if context.contains("/definitely/not/here.bin")), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_octet_stream_body_from_a_path_is_sent_with_its_length() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let dir = tempdir();
    let file = dir.join("blob");
    std::fs::write(&file, vec![42u8; 70_000]).unwrap();
    let client = runtime::Client::builder().base_url(server.uri()).build().unwrap();
    runtime::RequestBuilder::new(
        &client,
        reqwest::Method::PUT,
        "putBlob",
        Ok("/blobs/x".into()),
        runtime::decode_empty,
    )
    .file_body("application/octet-stream", runtime::FilePart::path(&file))
    .await
    .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers.get("content-type").unwrap(), "application/octet-stream");
    assert_eq!(request.headers.get("content-length").unwrap(), "70000");
    assert_eq!(request.body, vec![42u8; 70_000]);
}

/// A union of whole events, as generated for `sse_union.yaml`: each variant is chosen by the
/// `event` field, its data typed per event.
#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
enum MessageEvent {
    Delta {
        data: Delta,
    },
    Stop {
        data: serde_json::Value,
    },
    /// Text data, even when it happens to parse as JSON.
    Note {
        data: String,
    },
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Delta {
    text: String,
}

/// A raw server answering every request with `head` then `body`, one byte per write.
async fn byte_by_byte(head: &'static [u8], body: &'static [u8]) -> String {
    raw_server(move |mut socket, _| async move {
        socket.write_all(head).await.unwrap();
        for byte in body {
            if chunk(&mut socket, std::slice::from_ref(byte)).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    })
    .await
    .0
}

#[tokio::test]
async fn named_events_decode_to_the_union_variant_they_name() {
    let body = b"event: delta\ndata: {\"text\": \"Hel\"}\n\n: ping\n\nevent: delta\ndata: {\"text\": \"lo\"}\n\n\
        event: note\ndata: 42\n\nevent: stop\nid: 9\ndata: {\"reason\": \"end_turn\"}\n\nevent: mystery\ndata: {}\n\n";
    let base = byte_by_byte(SSE_HEAD, body).await;
    let client = runtime::Client::builder().base_url(base).build().unwrap();
    let events: Vec<_> = runtime::RequestBuilder::live(
        &client,
        reqwest::Method::POST,
        "createMessage",
        Ok("/messages".into()),
        runtime::event_stream_envelope::<MessageEvent>,
    )
    .await
    .unwrap()
    .collect()
    .await;
    assert_eq!(events.len(), 5);
    let data: Vec<&MessageEvent> = events[..4].iter().map(|e| &e.as_ref().unwrap().data).collect();
    assert_eq!(
        data,
        [
            &MessageEvent::Delta { data: Delta { text: "Hel".into() } },
            &MessageEvent::Delta { data: Delta { text: "lo".into() } },
            &MessageEvent::Note { data: "42".into() },
            &MessageEvent::Stop { data: serde_json::json!({"reason": "end_turn"}) },
        ]
    );
    assert_eq!(events[3].as_ref().unwrap().id.as_deref(), Some("9"));
    // An event the union does not know is a decode error for that event only.
    assert!(matches!(&events[4], Err(runtime::Error::Decode { .. })), "{:?}", events[4]);
}

#[tokio::test]
async fn json_lines_written_one_byte_per_write_decode_line_by_line() {
    let body = "{\"level\": \"info\", \"message\": \"h\u{e9}llo\"}\r\n\n{\"level\": \"warn\", \"message\": \"two\"}\nnot json\n{\"level\": \"end\", \"message\": \"no newline\"}";
    let base = byte_by_byte(JSONL_HEAD, body.as_bytes()).await;
    let lines: Vec<Result<serde_json::Value, runtime::Error>> = json_lines_at(base).await.collect().await;
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0].as_ref().unwrap()["message"], "h\u{e9}llo");
    assert_eq!(lines[1].as_ref().unwrap()["level"], "warn");
    assert!(matches!(&lines[2], Err(runtime::Error::Decode { excerpt, .. }) if excerpt == "not json"));
    assert_eq!(lines[3].as_ref().unwrap()["message"], "no newline");
}

/// A JSON Lines stream of JSON values from `GET {base}/logs`, through the runtime as a generated
/// call makes it.
async fn json_lines_at(base: String) -> runtime::JsonLines<serde_json::Value> {
    let client = runtime::Client::builder().base_url(base).build().unwrap();
    runtime::RequestBuilder::live(
        &client,
        reqwest::Method::GET,
        "streamLogs",
        Ok("/logs".into()),
        runtime::json_lines::<serde_json::Value>,
    )
    .await
    .unwrap()
}

const JSONL_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/jsonl\r\ntransfer-encoding: chunked\r\n\r\n";

const MIB: usize = 1024 * 1024;

/// A raw server answering every request with `head`, then `prefix`, then up to `size` bytes of
/// `fill` (generated 64 KiB at a time, never held whole), with no line end; it counts what the
/// client accepted before it hung up.
async fn endless_line(head: &'static [u8], prefix: &'static [u8], fill: u8, size: usize) -> (String, Arc<AtomicUsize>) {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let (base, _) = raw_server(move |mut socket, _| {
        let sent = Arc::clone(&counter);
        async move {
            socket.write_all(head).await.unwrap();
            if chunk(&mut socket, prefix).await.is_err() {
                return;
            }
            let block = vec![fill; 64 * 1024];
            let mut written = 0;
            while written < size {
                if chunk(&mut socket, &block).await.is_err() {
                    return;
                }
                written += block.len();
                sent.store(written, Ordering::SeqCst);
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
    })
    .await;
    (base, sent)
}

/// Serialises the tests that measure this process's peak memory, which is shared.
static MEMORY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Peak resident memory of this process since the last reset, in bytes (Linux: `VmHWM`).
fn peak_rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib * 1024
}

/// Resets the peak to the current resident size.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

#[tokio::test]
async fn an_event_stream_line_of_100_mib_ends_the_stream_at_the_8_mib_limit() {
    let _serial = MEMORY.lock().await;
    let (base, sent) = endless_line(SSE_HEAD, b"data: {\"output\": \"", b'x', 100 * MIB).await;
    reset_peak();
    let before = peak_rss();
    let mut events = client(&base).devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").await.unwrap();
    let error = events.next().await.unwrap().unwrap_err();
    let grew = peak_rss().saturating_sub(before);
    assert!(
        matches!(
            error,
            Error::LimitExceeded { operation: "streamExecutionStdoutUpdates", part: runloop::StreamPart::EventStreamLine, max_bytes }
                if max_bytes == 8 * MIB
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "streamExecutionStdoutUpdates: an event-stream line exceeded the 8 MiB limit (ClientBuilder::max_line_bytes)"
    );
    assert!(events.next().await.is_none(), "the stream ends after the limit error");
    // The client stopped reading at the limit: the server could write little more than 8 MiB
    // (the rest fills the sockets' buffers), and the client's memory grew by about the limit.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = sent.load(Ordering::SeqCst);
    assert!(written < 40 * MIB, "the server wrote {} MiB", written / MIB);
    assert!(grew < 8 * MIB + 16 * MIB, "peak memory grew by {} MiB", grew / MIB);
}

#[tokio::test]
async fn a_json_lines_line_of_100_mib_ends_the_stream_at_the_8_mib_limit() {
    let _serial = MEMORY.lock().await;
    let (base, sent) = endless_line(JSONL_HEAD, b"{\"a\": 1}\n[", b'7', 100 * MIB).await;
    reset_peak();
    let before = peak_rss();
    let mut lines = json_lines_at(base).await;
    assert_eq!(lines.next().await.unwrap().unwrap(), serde_json::json!({"a": 1}), "the line before is delivered");
    let error = lines.next().await.unwrap().unwrap_err();
    let grew = peak_rss().saturating_sub(before);
    assert!(
        matches!(
            error,
            runtime::Error::LimitExceeded { part: runtime::StreamPart::JsonLine, max_bytes, .. } if max_bytes == 8 * MIB
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "streamLogs: a JSON Lines line exceeded the 8 MiB limit (ClientBuilder::max_line_bytes)"
    );
    assert!(lines.next().await.is_none());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let written = sent.load(Ordering::SeqCst);
    assert!(written < 40 * MIB, "the server wrote {} MiB", written / MIB);
    assert!(grew < 8 * MIB + 16 * MIB, "peak memory grew by {} MiB", grew / MIB);
}

#[tokio::test]
async fn line_and_event_limits_are_set_per_client_and_per_call() {
    // One event of three 4 KiB data lines: each line under 5 KiB, the event's data 12 KiB.
    let line = format!("data: {}\n", "y".repeat(4096));
    let body: &'static [u8] = format!("data: {{\"output\": \"ok\"}}\n\n{line}{line}{line}\n").leak().as_bytes();
    let base = byte_by_byte_fast(SSE_HEAD, body).await;
    let events = |client: Client| async move {
        client.devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").await.unwrap().collect::<Vec<_>>().await
    };
    // Defaults: the event is delivered (a decode error: its data is not the documented JSON).
    let items = events(client(&base)).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(items[1], Err(Error::Decode { .. })), "{:?}", items[1]);

    // The client's event limit: the first event passes, the second is refused.
    let small = Client::builder().api_key(KEY).base_url(&base).max_event_bytes(10 * 1024).build().unwrap();
    let items = events(small).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data.output, "ok");
    let error = items[1].as_ref().unwrap_err();
    assert!(
        matches!(error, Error::LimitExceeded { part: runloop::StreamPart::Event, max_bytes: 10240, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "streamExecutionStdoutUpdates: an event's data exceeded the 10 KiB limit (ClientBuilder::max_event_bytes)"
    );

    // Per call, on the generated request type, over the client's.
    let small = Client::builder().api_key(KEY).base_url(&base).max_line_bytes(1024).build().unwrap();
    let items: Vec<_> = small
        .devboxes()
        .executions()
        .stream_stdout_updates("dbx_1", "exe_1")
        .max_line_bytes(5000)
        .max_event_bytes(4000)
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        matches!(items[1], Err(Error::LimitExceeded { part: runloop::StreamPart::Event, max_bytes: 4000, .. })),
        "{:?}",
        items[1]
    );
    let items = events(small).await;
    assert!(
        matches!(
            items[..],
            [Ok(_), Err(Error::LimitExceeded { part: runloop::StreamPart::EventStreamLine, max_bytes: 1024, .. })]
        ),
        "{items:?}"
    );
}

/// A raw server answering every request with `head` then `body` in 512-byte chunks, then the
/// end of the chunked body.
async fn byte_by_byte_fast(head: &'static [u8], body: &'static [u8]) -> String {
    raw_server(move |mut socket, _| async move {
        socket.write_all(head).await.unwrap();
        for piece in body.chunks(512) {
            if chunk(&mut socket, piece).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    })
    .await
    .0
}

#[tokio::test]
async fn an_event_stream_cut_inside_an_event_says_so_after_the_events_before_it() {
    let cases: [(&'static [u8], runloop::StreamPart); 2] = [
        // The last event's line is complete, but not the blank line that ends the event.
        (b"data: {\"output\": \"a\"}\n\ndata: {\"output\": \"b\"}\n", runloop::StreamPart::Event),
        // The body ends inside a line.
        (b"data: {\"output\": \"a\"}\n\ndata: {\"outp", runloop::StreamPart::EventStreamLine),
    ];
    for (body, inside) in cases {
        // The body ends cleanly (the chunked body's last chunk is sent): no transport error.
        let base = byte_by_byte(SSE_HEAD, body).await;
        let items: Vec<_> = client(&base)
            .devboxes()
            .executions()
            .stream_stdout_updates("dbx_1", "exe_1")
            .await
            .unwrap()
            .collect()
            .await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().data.output, "a");
        let error = items[1].as_ref().unwrap_err();
        assert!(matches!(error, Error::Truncated { part, .. } if *part == inside), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!("streamExecutionStdoutUpdates: the response body ended inside {inside}; the stream was cut short")
        );
    }
    // Ending between events (after a comment) is a clean end.
    let base = byte_by_byte(SSE_HEAD, b"data: {\"output\": \"a\"}\n\n: bye\n").await;
    let items: Vec<_> =
        client(&base).devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").await.unwrap().collect().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].is_ok());
}

#[tokio::test]
async fn a_json_lines_stream_cut_inside_its_last_value_says_so() {
    let base = byte_by_byte(JSONL_HEAD, b"{\"a\": 1}\n{\"b\": [1, 2").await;
    let lines: Vec<Result<serde_json::Value, runtime::Error>> = json_lines_at(base).await.collect().await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].as_ref().unwrap()["a"], 1);
    assert!(
        matches!(&lines[1], Err(runtime::Error::Truncated { part: runtime::StreamPart::JsonLine, .. })),
        "{:?}",
        lines[1]
    );
}

#[tokio::test]
async fn an_endless_error_body_is_read_up_to_its_limit_only() {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let (base, requests) = raw_server(move |mut socket, _| {
        let sent = Arc::clone(&counter);
        async move {
            let head = b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
            socket.write_all(head).await.unwrap();
            // 100 MiB of "é": two bytes each, so a cut at an odd limit splits a character.
            let block = "\u{e9}".repeat(32 * 1024).into_bytes();
            let mut written = 0;
            while written < 100 * MIB {
                if chunk(&mut socket, &block).await.is_err() {
                    return;
                }
                written += block.len();
                sent.store(written, Ordering::SeqCst);
            }
        }
    })
    .await;
    let error = client(&base).devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, reqwest::StatusCode::BAD_REQUEST);
    assert_eq!(api.body_truncated_at, Some(MIB));
    assert_eq!(api.body.len(), MIB);
    assert!(api.body.chars().all(|c| c == '\u{e9}'));
    assert!(api.json.is_none());
    assert!(
        error.to_string().ends_with("… (body cut at the 1 MiB limit, ClientBuilder::max_error_body_bytes)"),
        "{error}"
    );
    assert!(!format!("{error} {error:?}").contains(KEY));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(sent.load(Ordering::SeqCst) < 40 * MIB, "the server wrote {} MiB", sent.load(Ordering::SeqCst) / MIB);
    assert_eq!(requests.load(Ordering::SeqCst), 1);

    // Per call (for a request the spec does not describe) and per client; an odd limit drops the
    // half character at the cut.
    let client = Client::builder().api_key(KEY).base_url(&base).max_error_body_bytes(4096).build().unwrap();
    let error = client
        .request(reqwest::Method::GET, "/x")
        .max_error_body_bytes(1001)
        .send::<serde_json::Value>()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.body_truncated_at, Some(1001));
    assert_eq!(api.body, "\u{e9}".repeat(500));
    let error = client.devboxes().executions().stream_stdout_updates("dbx_1", "exe_1").await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.body_truncated_at, api.body.len()), (Some(4096), 4096));
}
