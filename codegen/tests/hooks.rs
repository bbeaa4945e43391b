//! Hooks (`runtime/hooks.rs`) on the generated Runloop client against wiremock: a signing hook
//! whose HMAC the server verifies on every attempt, a retried one included (a fresh signature,
//! the same idempotency key); the order hooks run in; what each sees after a response and on an
//! error; a hook that stops a call; and contexts whose `Debug` shows no secret.

use std::sync::{Arc, Mutex};

use hmac::{Hmac, KeyInit, Mac};
use runloop::types::DevboxCreateExecutionParameters;
use runloop::{AttemptError, AttemptRequest, AttemptResponse, Client, Error, Hook, HookError, HookFuture};
use serde_json::json;
use sha2::Sha256;
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "sk_test_hooks-never-print-me";
const SIGNING_SECRET: &[u8] = b"signing-secret-never-print-me";

/// What the signature covers: method, path, nonce, idempotency key and body, one per line.
fn signature(method: &str, path: &str, nonce: &str, key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SIGNING_SECRET).unwrap();
    mac.update(format!("{method}\n{path}\n{nonce}\n{key}\n").as_bytes());
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Signs each attempt: a nonce (the attempt number) and an HMAC over the request.
struct Signer;

impl Hook for Signer {
    fn before_attempt<'a>(&'a self, request: &'a mut AttemptRequest<'_>) -> HookFuture<'a, Result<(), HookError>> {
        Box::pin(async move {
            let nonce = request.attempt().to_string();
            let key = request.headers().get("x-request-id").ok_or("no idempotency key")?.to_str()?.to_owned();
            let body = request.body().unwrap_or_default();
            let signed = signature(request.method().as_str(), request.path(), &nonce, &key, body);
            request.headers_mut().insert("x-signature-nonce", nonce.parse()?);
            request.headers_mut().insert("x-signature", signed.parse()?);
            Ok(())
        })
    }
}

/// The server's side: the request carries a valid signature.
struct SignatureValid;

impl Match for SignatureValid {
    fn matches(&self, request: &Request) -> bool {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let expected = signature(
            request.method.as_str(),
            request.url.path(),
            header("x-signature-nonce"),
            header("x-request-id"),
            &request.body,
        );
        !header("x-signature").is_empty() && header("x-signature") == expected
    }
}

/// Writes down what it sees, under a name, for the order and context checks.
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl Hook for Recorder {
    fn before_attempt<'a>(&'a self, request: &'a mut AttemptRequest<'_>) -> HookFuture<'a, Result<(), HookError>> {
        self.log.lock().unwrap().push(format!("{} before {} {request:?}", self.name, request.attempt()));
        Box::pin(std::future::ready(Ok(())))
    }

    fn after_response<'a>(&'a self, response: &'a AttemptResponse<'_>) -> HookFuture<'a, ()> {
        let line = format!("{} after {} {} {response:?}", self.name, response.attempt(), response.status().as_u16());
        self.log.lock().unwrap().push(line);
        Box::pin(std::future::ready(()))
    }

    fn on_error<'a>(&'a self, failure: &'a AttemptError<'_>) -> HookFuture<'a, ()> {
        let line = format!("{} error {} retrying={} {failure:?}", self.name, failure.attempt(), failure.retrying());
        self.log.lock().unwrap().push(line);
        Box::pin(std::future::ready(()))
    }
}

fn execution() -> serde_json::Value {
    json!({"devbox_id": "dbx_1", "execution_id": "exe_1", "status": "queued"})
}

/// A `POST` answered 429 once (retried, as the server provably did not process it), then 200;
/// both only when signed.
async fn signed_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/execute_async"))
        .and(SignatureValid)
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "10"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/execute_async"))
        .and(SignatureValid)
        .respond_with(ResponseTemplate::new(200).set_body_json(execution()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_signing_hook_signs_every_attempt_afresh_with_the_same_idempotency_key() {
    let server = signed_server().await;
    let client = Client::builder().api_key(API_KEY).base_url(server.uri()).hook(Signer).build().unwrap();
    let response = client
        .devboxes()
        .execute_async("dbx_1", &DevboxCreateExecutionParameters::new("ls"))
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| SignatureValid.matches(r)), "an attempt went out unsigned");
    let header = |r: &Request, name: &str| r.headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_ne!(header(&received[0], "x-signature"), header(&received[1], "x-signature"), "a retry reused a signature");
    assert_eq!(header(&received[0], "x-request-id"), header(&received[1], "x-request-id"));
    assert_eq!(header(&received[1], "x-signature-nonce"), "2");
}

#[tokio::test]
async fn hooks_run_in_order_client_first_and_see_responses_and_errors() {
    let server = signed_server().await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let recorder = |name| Recorder { name, log: Arc::clone(&log) };
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .hook(recorder("first"))
        .hook(Signer)
        .hook(recorder("second"))
        .build()
        .unwrap();
    client
        .devboxes()
        .execute_async("dbx_1", &DevboxCreateExecutionParameters::new("ls"))
        .hook(recorder("call"))
        .await
        .unwrap();
    let log = log.lock().unwrap();
    let events: Vec<String> = log.iter().map(|l| l.split(" Attempt").next().unwrap().to_owned()).collect();
    let expected = [
        "first before 1",
        "second before 1",
        "call before 1",
        "first after 1 429",
        "second after 1 429",
        "call after 1 429",
        "first error 1 retrying=true",
        "second error 1 retrying=true",
        "call error 1 retrying=true",
        "first before 2",
        "second before 2",
        "call before 2",
        "first after 2 200",
        "second after 2 200",
        "call after 2 200",
    ];
    assert_eq!(events, expected);
    // The contexts' `Debug` shows header names, never a value: neither the key nor the signature.
    let all = log.join("\n");
    assert!(all.contains("authorization") && all.contains("x-signature"), "{all}");
    assert!(!all.contains(API_KEY) && !all.contains("Bearer"), "a hook context printed the key: {all}");
    assert!(all.contains("/v1/devboxes/dbx_1/execute_async"), "{all}");
}

/// Refuses every request.
struct Refuser;

impl Hook for Refuser {
    fn before_attempt<'a>(&'a self, _: &'a mut AttemptRequest<'_>) -> HookFuture<'a, Result<(), HookError>> {
        Box::pin(async { Err("no signing key loaded".into()) })
    }
}

#[tokio::test]
async fn a_hook_error_stops_the_call_before_anything_is_sent_and_is_seen_by_on_error() {
    let server = MockServer::start().await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .hook(Refuser)
        .hook(Recorder { name: "after", log: Arc::clone(&log) })
        .build()
        .unwrap();
    let err = client.devboxes().retrieve("dbx_1").await.unwrap_err();
    assert!(matches!(&err, Error::Hook { attempt: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("no signing key loaded"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty(), "a refused request was sent");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert!(log[0].starts_with("after error 1 retrying=false"), "{log:?}");
}

#[tokio::test]
async fn a_failure_before_the_first_attempt_reaches_on_error_as_attempt_zero() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .hook(Recorder { name: "seen", log: Arc::clone(&log) })
        .build()
        .unwrap();
    let err = client.devboxes().retrieve("dbx_1").await.unwrap_err();
    assert!(matches!(err, Error::MissingCredential { scheme: "bearerAuth", .. }), "{err:?}");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert!(log[0].starts_with("seen error 0 retrying=false"), "{log:?}");
}
