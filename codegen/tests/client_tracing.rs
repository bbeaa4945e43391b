//! The generated Runloop client's `tracing` output, captured by a small layer: one `request` span
//! per call with its operation, method, path template, attempts, last status and request id and
//! elapsed time, each recorded once; one `attempt` span per attempt inside it with its number,
//! status and request id; one `retrying` event per retry with its reason and delay; and nowhere
//! the API key, a header value or a body.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use runloop::Client;
use runloop::types::DevboxCreateExecutionParameters;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_5f3c9a1e-never-trace-me";
const SECRET_HEADER: &str = "hdr-value-never-trace-me";
const RESPONSE_BODY: &str = "response-body-never-trace-me";
const REQUEST_BODY: &str = "request-body-never-trace-me";

/// What the layer saw: a span opened, fields recorded on a span later, or an event.
#[derive(Clone, Debug)]
struct Seen {
    kind: &'static str,
    name: &'static str,
    /// The span's id (for `span` and `record`), or the parent span's (for `event`).
    span: Option<u64>,
    /// For a span, its parent's id.
    parent: Option<u64>,
    fields: Vec<(String, String)>,
}

impl Seen {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Seen>>>);

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl<S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let name = attrs.metadata().name();
        let parent = ctx.span(id).and_then(|s| s.parent()).map(|p| p.id().into_u64());
        self.0.lock().unwrap().push(Seen { kind: "span", name, span: Some(id.into_u64()), parent, fields });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let mut fields = Vec::new();
        values.record(&mut Fields(&mut fields));
        let name = ctx.metadata(id).map_or("", |m| m.name());
        self.0.lock().unwrap().push(Seen { kind: "record", name, span: Some(id.into_u64()), parent: None, fields });
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let span = ctx.event_span(event).map(|s| s.id().into_u64());
        self.0.lock().unwrap().push(Seen { kind: "event", name: event.metadata().name(), span, parent: None, fields });
    }
}

/// A span's fields: those it was opened with, then those recorded later (the last value wins).
fn span_fields(seen: &[Seen], id: u64) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for s in seen.iter().filter(|s| s.span == Some(id) && s.kind != "event") {
        for (k, v) in &s.fields {
            fields.retain(|(old, _)| old != k);
            fields.push((k.clone(), v.clone()));
        }
    }
    fields
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The client's own retry event (hyper and reqwest may log inside the span too).
fn is_retry(seen: &Seen) -> bool {
    seen.kind == "event" && seen.field("message") == Some("retrying")
}

#[tokio::test]
async fn spans_and_retry_events_carry_the_call_and_never_the_key_headers_or_bodies() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));

    let server = MockServer::start().await;
    // Two 503s (Retry-After: 0), then the answer.
    Mock::given(method("GET"))
        .and(path("/v1/devboxes/dbx_1"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0").set_body_string(RESPONSE_BODY))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/devboxes/dbx_1"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-request-id", "req_42").set_body_json(json!({
            "id": "dbx_1", "capabilities": [], "create_time_ms": 1, "launch_parameters": {},
            "metadata": {}, "state_transitions": [], "status": "running"
        })))
        .mount(&server)
        .await;
    // A POST answered 400 with a body: an error, not retried.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).insert_header("x-request-id", "req_43").set_body_string(RESPONSE_BODY))
        .mount(&server)
        .await;

    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .default_header("x-secret", SECRET_HEADER)
        .max_retries(3)
        .build()
        .unwrap();
    let response = client.devboxes().retrieve("dbx_1").with_response().await.unwrap();
    assert_eq!(response.attempts(), 3);
    let err = client
        .devboxes()
        .execute_async("dbx_1", &DevboxCreateExecutionParameters::new(REQUEST_BODY))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    // A refused connection, retried once: the error's root cause reaches the span.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let refused =
        Client::builder().api_key(KEY).base_url(format!("http://127.0.0.1:{port}")).max_retries(1).build().unwrap();
    refused.accounts().me().timeout(Duration::from_secs(5)).await.unwrap_err();

    let seen = capture.0.lock().unwrap().clone();

    // Nothing anywhere holds the key, the header's value or a body.
    for s in &seen {
        for (k, v) in &s.fields {
            for secret in [KEY, SECRET_HEADER, RESPONSE_BODY, REQUEST_BODY] {
                assert!(!v.contains(secret), "{} `{}` field `{k}` holds {secret:?}: {v}", s.kind, s.name);
            }
        }
    }

    let spans: Vec<&Seen> = seen.iter().filter(|s| s.kind == "span" && s.name == "request").collect();
    assert_eq!(spans.len(), 3, "one span per call: {seen:#?}");

    // The retried GET: its template, not the id; three attempts; the last status and request id.
    let get = span_fields(&seen, spans[0].span.unwrap());
    assert_eq!(field(&get, "operation"), Some("getDevbox"), "{get:?}");
    assert_eq!(field(&get, "method"), Some("GET"));
    assert_eq!(field(&get, "path"), Some("/v1/devboxes/{id}"));
    assert_eq!(field(&get, "attempts"), Some("3"));
    assert_eq!(field(&get, "status"), Some("200"));
    assert_eq!(field(&get, "request_id"), Some("req_42"));
    assert!(field(&get, "elapsed_ms").is_some_and(|ms| ms.parse::<u64>().is_ok()), "{get:?}");
    assert_eq!(field(&get, "error"), None);
    // Each field of the call's span is recorded once (not `attempt=1 … attempt=2`).
    let mut recorded: Vec<&str> = seen
        .iter()
        .filter(|s| s.kind == "record" && s.span == spans[0].span)
        .flat_map(|s| s.fields.iter().map(|(k, _)| k.as_str()))
        .collect();
    recorded.sort_unstable();
    assert_eq!(recorded, ["attempts", "elapsed_ms", "request_id", "status"], "{seen:#?}");
    // One span per attempt inside the call's, with its own status.
    let attempts: Vec<Vec<(String, String)>> = seen
        .iter()
        .filter(|s| s.kind == "span" && s.name == "attempt" && s.parent == spans[0].span)
        .map(|s| span_fields(&seen, s.span.unwrap()))
        .collect();
    let shown: Vec<(Option<&str>, Option<&str>)> =
        attempts.iter().map(|a| (field(a, "attempt"), field(a, "status"))).collect();
    assert_eq!(shown, [(Some("1"), Some("503")), (Some("2"), Some("503")), (Some("3"), Some("200"))]);
    assert_eq!(field(&attempts[2], "request_id"), Some("req_42"));
    let retries: Vec<&Seen> = seen.iter().filter(|s| is_retry(s) && s.span == spans[0].span).collect();
    assert_eq!(retries.len(), 2, "one event per retry: {seen:#?}");
    for (n, retry) in retries.iter().enumerate() {
        assert_eq!(retry.field("attempt"), Some((n + 1).to_string().as_str()));
        assert_eq!(retry.field("reason"), Some("status 503 Service Unavailable"));
        assert_eq!(retry.field("delay_ms"), Some("0"));
    }

    // The failed POST: its status and the kind of error, without the body.
    let post = span_fields(&seen, spans[1].span.unwrap());
    assert_eq!(field(&post, "operation"), Some("execAsyncCommand"), "{post:?}");
    assert_eq!(field(&post, "method"), Some("POST"));
    assert_eq!(field(&post, "path"), Some("/v1/devboxes/{id}/execute_async"));
    assert_eq!(field(&post, "attempts"), Some("1"));
    assert_eq!(field(&post, "status"), Some("400"));
    assert_eq!(field(&post, "request_id"), Some("req_43"));
    assert_eq!(field(&post, "error"), Some("status 400 Bad Request"));
    assert!(!seen.iter().any(|s| is_retry(s) && s.span == spans[1].span), "a 400 is not retried");

    // The refused connection: retried once, for the root cause.
    let me = span_fields(&seen, spans[2].span.unwrap());
    assert_eq!(field(&me, "operation"), Some("getMyAccount"), "{me:?}");
    assert_eq!(field(&me, "attempts"), Some("2"));
    assert_eq!(field(&me, "status"), None);
    let error = field(&me, "error").unwrap_or_default().to_lowercase();
    assert!(error.starts_with("connection failed: ") && error.contains("connection refused"), "{me:?}");
    let retry = seen.iter().find(|s| is_retry(s) && s.span == spans[2].span).expect("a retry event");
    assert!(retry.field("reason").is_some_and(|r| r.to_lowercase().contains("connection refused")), "{retry:?}");
    assert!(retry.field("delay_ms").is_some_and(|ms| ms.parse::<u64>().is_ok_and(|ms| ms > 0)), "{retry:?}");
}
