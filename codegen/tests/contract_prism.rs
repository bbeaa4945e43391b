//! Contract tests: the generated client's real requests, validated by Prism against the spec.
//!
//! Prism (`@stoplight/prism-cli`, pinned in `xtask/prism/`) answers 422 to a request that breaks
//! the spec and 401 to one missing its credentials, so every successful call here is a request
//! the spec allows. `cargo xtask test` installs Prism and sets `PRISM_BIN` and `REQUIRE_PRISM=1`;
//! a plain `cargo test` without Prism installed skips this test with a message.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use runloop::types::DevboxCreateExecutionParameters;
use runloop::{Client, Error, Nullable};
use serde_json::{Value, json};

/// A running Prism, killed when dropped. Its output goes to a log file, shown when a call fails.
struct Prism {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Prism {
    /// The last lines Prism printed, and whether it is still running: what a failure needs to
    /// say, since a refused connection after start-up means Prism stopped or restarted.
    fn diagnose(&mut self) -> String {
        let alive = match self.child.try_wait() {
            Ok(None) => "still running".to_owned(),
            Ok(Some(status)) => format!("exited with {status}"),
            Err(e) => format!("state unknown: {e}"),
        };
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!("Prism {alive}; its last output:\n{}", tail.join("\n"))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn prism_bin() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = std::env::var_os("PRISM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".tools/prism/node_modules/.bin/prism"));
    bin.exists().then_some(bin)
}

/// Starts Prism on a free port and waits until it answers HTTP (not merely accepts a connection:
/// the port could belong to someone else) while its own process is still running.
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
    let log = std::env::temp_dir().join(format!("prism-contract-{}-{port}.log", std::process::id()));
    let out = std::fs::File::create(&log).expect("creating Prism's log file");
    let child = Command::new(bin)
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(&spec)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("starting Prism");
    let mut prism = Prism { child, url: format!("http://127.0.0.1:{port}"), log };
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = prism.child.try_wait() {
            panic!("Prism exited with {status} before answering: {}", prism.diagnose());
        }
        if answers_http(port) {
            return Some(prism);
        }
        if started.elapsed() > Duration::from_secs(60) {
            panic!("Prism did not answer within 60 s: {}", prism.diagnose());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Whether something on `port` answers an HTTP request with a status line.
fn answers_http(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = "GET /v1/accounts/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}

/// Both contract checks share one Prism, started once: two servers started side by side were
/// one more way for a port to be taken between choosing it and binding it.
#[tokio::test(flavor = "multi_thread")]
async fn the_spec_accepts_the_clients_requests() {
    let Some(mut prism) = start_prism() else { return };
    let checks = async {
        generated_requests_satisfy_the_spec(&prism.url).await;
        every_resource_sends_requests_the_spec_allows(&prism.url).await;
    };
    // A failed check panics; catch it to add what Prism said, then fail with both.
    use futures_util::FutureExt;
    if let Err(panic) = std::panic::AssertUnwindSafe(checks).catch_unwind().await {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{message}\n{}", prism.diagnose());
    }
}

async fn generated_requests_satisfy_the_spec(url: &str) {
    let client = Client::builder().api_key("sk_contract").base_url(url).max_retries(0).build().unwrap();

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
        .request(reqwest::Method::POST, "/v1/devboxes/x/execute_async")
        .json(&json!({}))
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNPROCESSABLE_ENTITY), "{err:?}");
    let anonymous = reqwest::Client::new()
        .post(format!("{url}/v1/devboxes/x/execute_async"))
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
    let keyless = Client::builder().base_url(url).build().unwrap();
    let err = keyless.devboxes().execute_async("x", &DevboxCreateExecutionParameters::new("ls")).await.unwrap_err();
    assert!(matches!(err, Error::MissingCredential { scheme: "bearerAuth", .. }), "{err:?}");
}

/// One call per resource of the client, each a request Prism's validation accepts (a rejected
/// request would be a 422 or 401 error here) and whose response the client decodes.
async fn every_resource_sends_requests_the_spec_allows(url: &str) {
    use runloop::types::*;
    let client = Client::builder().api_key("sk_contract").base_url(url).max_retries(0).build().unwrap();
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
