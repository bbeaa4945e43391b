//! Contract tests: the generated client's real requests, validated by Prism against the spec.
//!
//! Prism (`@stoplight/prism-cli`, pinned in `xtask/prism/`) answers 422 to a request that breaks
//! the spec and 401 to one missing its credentials, so every successful call here is a request
//! the spec allows. `cargo xtask test` installs Prism and sets `PRISM_BIN` and `REQUIRE_PRISM=1`;
//! a plain `cargo test` without Prism installed skips this test with a message.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use runloop::types::DevboxCreateExecutionParameters;
use runloop::{Client, Error, Nullable};
use serde_json::{Value, json};

/// A running Prism, killed when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn prism_bin() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = std::env::var_os("PRISM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".tools/prism/node_modules/.bin/prism"));
    bin.exists().then_some(bin)
}

fn start_prism() -> Option<Prism> {
    let Some(bin) = prism_bin() else {
        assert!(
            std::env::var_os("REQUIRE_PRISM").is_none(),
            "Prism is required (REQUIRE_PRISM is set) but not installed; run `cargo xtask test`"
        );
        eprintln!("skipping the Prism contract test: Prism is not installed (run `cargo xtask test`)");
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/runloop.yaml");
    let child = Command::new(bin)
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(&spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting Prism");
    let prism = Prism { child, url: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "Prism did not start listening within 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(prism)
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_requests_satisfy_the_spec() {
    let Some(prism) = start_prism() else { return };
    let client = Client::builder().api_key("sk_contract").base_url(&prism.url).max_retries(0).build().unwrap();

    // A minimal body, and one with every optional field, are both valid requests.
    let exec = client
        .devboxes()
        .execute_async("dbx_123", &DevboxCreateExecutionParameters::new("ls -la"))
        .await
        .expect("Prism rejected a minimal execute_async request");
    assert!(!exec.devbox_id.is_empty());
    let full = DevboxCreateExecutionParameters::new("echo hi").with_shell_name("main").with_attach_stdin(false);
    let response = client.devboxes().execute_async("dbx_123", &full).with_response().await.expect("full body rejected");
    assert_eq!(response.status(), 200);
    // Prism's example exit status is i32::MIN: the boundary of `format: int32`.
    // Decoded as an `i32` (a received-only view: an `Option`, absent and `null` alike).
    let _exit_status: Option<i32> = response.value().exit_status;

    // An explicit `null` for an optional nullable field is valid too.
    let mut nulls = DevboxCreateExecutionParameters::new("pwd");
    nulls.shell_name = Nullable::Null;
    nulls.attach_stdin = Nullable::Null;
    client.devboxes().execute_async("dbx_123", &nulls).await.expect("explicit nulls rejected");

    // Ids that need percent-encoding reach the same operation.
    client
        .devboxes()
        .execute_async("dbx ../weird?id#1", &DevboxCreateExecutionParameters::new("ls"))
        .await
        .expect("percent-encoded id rejected");

    // The documented 404 maps to an easy-to-match error.
    let err = client
        .devboxes()
        .execute_async("dbx_missing", &DevboxCreateExecutionParameters::new("ls"))
        .header("Prefer", "code=404")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");

    // Prism really validates: a request that breaks the spec is refused with 422 (and a missing
    // key with 401), so the successes above are meaningful.
    let err = client
        .request::<Value>(reqwest::Method::POST, "/v1/devboxes/x/execute_async")
        .json(&json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNPROCESSABLE_ENTITY), "{err:?}");
    let anonymous = reqwest::Client::new()
        .post(format!("{}/v1/devboxes/x/execute_async", prism.url))
        .header("content-type", "application/json")
        .body(r#"{"command": "ls"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    // A multipart upload (a text part and a file part) and a download are valid requests too.
    let mut upload = runloop::types::UploadDevboxFileBody::new("/home/user/hello.txt");
    upload.file = Some(runloop::FilePart::bytes(b"hello".to_vec()).file_name("hello.txt"));
    client.devboxes().upload_file("dbx_123", &upload).await.expect("Prism rejected a multipart upload");
    let download = client
        .devboxes()
        .download_file("dbx_123", &runloop::types::DevboxDownloadFileParams::new("/home/user/hello.txt"))
        .await
        .expect("Prism rejected a download request");
    download.bytes().await.expect("reading Prism's download body");

    // Without a key the client refuses before sending.
    let keyless = Client::builder().base_url(&prism.url).build().unwrap();
    let err = keyless.devboxes().execute_async("x", &DevboxCreateExecutionParameters::new("ls")).await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

/// One call per resource of the client, each a request Prism's validation accepts (a rejected
/// request would be a 422 or 401 error here) and whose response the client decodes.
#[tokio::test(flavor = "multi_thread")]
async fn every_resource_sends_requests_the_spec_allows() {
    use runloop::types::*;
    let Some(prism) = start_prism() else { return };
    let client = Client::builder().api_key("sk_contract").base_url(&prism.url).max_retries(0).build().unwrap();
    let ok = |resource: &str, result: Result<(), Error>| {
        if let Err(e) = result {
            panic!("{resource}: Prism refused the request or the client could not decode its answer: {e}");
        }
    };
    ok("accounts", client.accounts().me().await.map(drop));
    ok("apikeys", client.apikeys().create(&ApikeyCreateParams::default()).await.map(drop));
    ok("axons", client.axons().list().limit(3).await.map(drop));
    ok("axons.events", client.axons().events().list("axn_1").await.map(drop));
    ok("axons.sql", client.axons().sql().query("axn_1", &SqlQueryParams::new("select 1")).await.map(drop));
    ok("blueprints", client.blueprints().list().await.map(drop));
    ok("devboxes", client.devboxes().retrieve("dbx_1").await.map(drop));
    ok("devboxes.disk_snapshots", client.devboxes().disk_snapshots().list().await.map(drop));
    let executions = client.devboxes().executions();
    ok("devboxes.executions", executions.retrieve("dbx_1", "exe_1").await.map(drop));
    ok("devboxes.logs", client.devboxes().logs().list("dbx_1").await.map(drop));
    ok("gateway_configs", client.gateway_configs().list().await.map(drop));
    ok("mcp_configs", client.mcp_configs().list().await.map(drop));
    ok("network_policies", client.network_policies().list().await.map(drop));
    ok("objects", client.objects().list().await.map(drop));
    ok("pty", client.pty().control("session_1", &PtyControlParams::default()).await.map(drop));
    ok("restricted_keys", client.restricted_keys().create(&RestrictedKeyCreateParams::default()).await.map(drop));
    ok("secrets", client.secrets().list().await.map(drop));
}
