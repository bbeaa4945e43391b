//! The Runloop crate's example programs (`spec/examples/`, copied into `generated-client/examples/`),
//! run as a user would (`cargo run --example …`) against the crate's own typed mocks
//! (`runloop::mock`, the `mock` feature), configured only through `RUNLOOP_API_KEY` and
//! `RUNLOOP_BASE_URL`: what they print, their exit status, what the server received, and that the
//! key appears nowhere in their output.

use std::process::Output;

use runloop::mock::MockServer;
use runloop::types::{DevboxAsyncExecutionDetailView, DevboxListView};
use serde_json::json;

const KEY: &str = "sk_example_secret_123";

/// Runs an example of the `runloop` crate with the server's URL and the key in its environment.
fn run_example(name: &str, server: &MockServer, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["run", "--quiet", "-p", "runloop", "--example", name, "--"])
        .args(args)
        .env("RUNLOOP_API_KEY", KEY)
        .env("RUNLOOP_BASE_URL", server.uri())
        .env_remove("RUNLOOP_CUSTOM_HEADERS")
        .output()
        .expect("running cargo");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(!text.contains(KEY), "the API key leaked into the output of {name}: {text}");
    output
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn devboxes(ids: &[&str], has_more: bool) -> DevboxListView {
    let devbox = |id: &&str| {
        json!({"id": id, "status": "running", "create_time_ms": 1, "capabilities": [], "launch_parameters": {},
               "metadata": {}, "state_transitions": []})
    };
    let devboxes: Vec<_> = ids.iter().map(devbox).collect();
    serde_json::from_value(json!({"devboxes": devboxes, "has_more": has_more, "total_count": 7})).unwrap()
}

fn execution(status: &str, exit: Option<i32>) -> DevboxAsyncExecutionDetailView {
    serde_json::from_value(
        json!({"devbox_id": "dbx_1", "execution_id": "exe_1", "status": status, "exit_status": exit}),
    )
    .unwrap()
}

const AUTHORIZED: (&str, &str) = ("authorization", "Bearer sk_example_secret_123");

#[tokio::test(flavor = "multi_thread")]
async fn list_devboxes_prints_every_id_across_pages() {
    let mock = MockServer::start().await;
    let list = || mock.devboxes().list().query("limit", &3).header(AUTHORIZED.0, AUTHORIZED.1);
    list().query("starting_after", "c").returns(devboxes(&["d", "e", "f"], true)).await;
    list().query("starting_after", "f").returns(devboxes(&["g"], false)).await;
    // Mounted last, tried after the two above: the first page has no cursor.
    list().times(1).returns(devboxes(&["a", "b", "c"], true)).await;
    let out = run_example("list_devboxes", &mock, &[]);
    assert_eq!(stdout(&out), "a\nb\nc\nd\ne\nf\ng\n");
    assert_eq!(mock.received_requests().await.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_example_prints_the_error_and_exits_1() {
    let mock = MockServer::start().await;
    mock.devboxes().list().fails(401, &json!({"error": "bad key"})).await;
    let out = run_example("list_devboxes", &mock, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("401"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_download_round_trips_a_file() {
    let mock = MockServer::start().await;
    let content = b"hello from the example\n".repeat(100);
    mock.devboxes().upload_file("dbx_1").header(AUTHORIZED.0, AUTHORIZED.1).returns(serde_json::Map::new()).await;
    mock.devboxes()
        .download_file("dbx_1")
        .header(AUTHORIZED.0, AUTHORIZED.1)
        .body(&json!({"path": "/home/user/in.txt"}))
        .returns_body("application/octet-stream", content.clone())
        .await;
    let dir = std::env::temp_dir().join(format!("upload_download_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (local, out_file) = (dir.join("in.txt"), dir.join("out.txt"));
    std::fs::write(&local, &content).unwrap();
    let out = run_example(
        "upload_download",
        &mock,
        &[local.to_str().unwrap(), "dbx_1", "/home/user/in.txt", out_file.to_str().unwrap()],
    );
    let printed = stdout(&out);
    assert!(printed.contains(&format!("downloaded {} bytes", content.len())), "{printed}");
    assert_eq!(std::fs::read(&out_file).unwrap(), content);
    let requests = mock.received_requests().await;
    let upload = &requests[0];
    let body = String::from_utf8_lossy(&upload.body);
    assert!(upload.headers["content-type"].to_str().unwrap().starts_with("multipart/form-data; boundary="));
    assert!(body.contains("name=\"path\"") && body.contains("/home/user/in.txt"), "{body}");
    assert!(body.contains("name=\"file\"; filename=\"in.txt\"") && body.contains("hello from the example"), "{body}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_output_prints_updates_then_the_status() {
    let mock = MockServer::start().await;
    mock.devboxes()
        .execute_async("dbx_1")
        .header(AUTHORIZED.0, AUTHORIZED.1)
        .body(&json!({"command": "echo one; echo two"}))
        .returns(execution("running", None))
        .await;
    let events =
        ": keepalive\n\ndata: {\"output\": \"one\", \"offset\": 0}\n\ndata: {\"output\": \"two\", \"offset\": 4}\n\n";
    mock.devboxes()
        .executions()
        .stream_stdout_updates("dbx_1", "exe_1")
        .header(AUTHORIZED.0, AUTHORIZED.1)
        .returns_body("text/event-stream", events)
        .await;
    // The stream ended before the command: the example waits for its completion.
    mock.devboxes()
        .wait_for_command("dbx_1", "exe_1")
        .header(AUTHORIZED.0, AUTHORIZED.1)
        .returns(execution("completed", Some(0)))
        .await;
    let out = run_example("stream_output", &mock, &["dbx_1", "echo one; echo two"]);
    assert_eq!(stdout(&out), "one\ntwo\nstatus: completed (exit status 0)\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_usage_prints_the_usage_and_exits_2() {
    let mock = MockServer::start().await;
    for (example, usage) in
        [("upload_download", "<local-file> <devbox-id>"), ("stream_output", "<devbox-id> <command>")]
    {
        let out = run_example(example, &mock, &["only-one"]);
        assert_eq!(out.status.code(), Some(2), "{example}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(usage), "{example}");
    }
    assert!(mock.received_requests().await.is_empty());
}
