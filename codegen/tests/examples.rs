//! The Runloop crate's example programs (`spec/examples/`, copied into `generated-client/examples/`),
//! run as a user would (`cargo run --example …`) against an in-process server (wiremock),
//! configured only through `RUNLOOP_API_KEY` and `RUNLOOP_BASE_URL`: what they print, their exit
//! status, what the server received, and that the key appears nowhere in their output.

use std::process::Output;

use serde_json::json;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

fn devboxes(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let devbox = |id: &&str| {
        json!({"id": id, "status": "running", "create_time_ms": 1, "capabilities": [], "launch_parameters": {},
               "metadata": {}, "state_transitions": []})
    };
    let devboxes: Vec<_> = ids.iter().map(devbox).collect();
    ResponseTemplate::new(200).set_body_json(json!({"devboxes": devboxes, "has_more": has_more, "total_count": 7}))
}

fn authorized() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {KEY}").as_str())
}

#[tokio::test(flavor = "multi_thread")]
async fn list_devboxes_prints_every_id_across_pages() {
    let server = MockServer::start().await;
    let list = || Mock::given(method("GET")).and(path("/v1/devboxes")).and(query_param("limit", "3")).and(authorized());
    list()
        .and(query_param_is_missing("starting_after"))
        .respond_with(devboxes(&["a", "b", "c"], true))
        .mount(&server)
        .await;
    list().and(query_param("starting_after", "c")).respond_with(devboxes(&["d", "e", "f"], true)).mount(&server).await;
    list().and(query_param("starting_after", "f")).respond_with(devboxes(&["g"], false)).mount(&server).await;
    let out = run_example("list_devboxes", &server, &[]);
    assert_eq!(stdout(&out), "a\nb\nc\nd\ne\nf\ng\n");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_example_prints_the_error_and_exits_1() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "bad key"})))
        .mount(&server)
        .await;
    let out = run_example("list_devboxes", &server, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("401"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_download_round_trips_a_file() {
    let server = MockServer::start().await;
    let content = b"hello from the example\n".repeat(100);
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/upload_file"))
        .and(authorized())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/download_file"))
        .and(authorized())
        .respond_with(ResponseTemplate::new(200).set_body_raw(content.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("upload_download_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (local, out_file) = (dir.join("in.txt"), dir.join("out.txt"));
    std::fs::write(&local, &content).unwrap();
    let out = run_example(
        "upload_download",
        &server,
        &[local.to_str().unwrap(), "dbx_1", "/home/user/in.txt", out_file.to_str().unwrap()],
    );
    let printed = stdout(&out);
    assert!(printed.contains(&format!("downloaded {} bytes", content.len())), "{printed}");
    assert_eq!(std::fs::read(&out_file).unwrap(), content);
    let requests = server.received_requests().await.unwrap();
    let upload = &requests[0];
    let body = String::from_utf8_lossy(&upload.body);
    assert!(upload.headers["content-type"].to_str().unwrap().starts_with("multipart/form-data; boundary="));
    assert!(body.contains("name=\"path\"") && body.contains("/home/user/in.txt"), "{body}");
    assert!(body.contains("name=\"file\"; filename=\"in.txt\"") && body.contains("hello from the example"), "{body}");
    assert_eq!(requests[1].body, br#"{"path":"/home/user/in.txt"}"#);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_output_prints_updates_then_the_status() {
    let server = MockServer::start().await;
    let execution = |status: &str, exit: Option<i32>| json!({"devbox_id": "dbx_1", "execution_id": "exe_1", "status": status, "exit_status": exit});
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/execute_async"))
        .and(authorized())
        .respond_with(ResponseTemplate::new(200).set_body_json(execution("running", None)))
        .mount(&server)
        .await;
    let events =
        ": keepalive\n\ndata: {\"output\": \"one\", \"offset\": 0}\n\ndata: {\"output\": \"two\", \"offset\": 4}\n\n";
    Mock::given(method("GET"))
        .and(path("/v1/devboxes/dbx_1/executions/exe_1/stream_stdout_updates"))
        .and(authorized())
        .respond_with(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream"))
        .mount(&server)
        .await;
    // The stream ended before the command: the example waits for its completion.
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/executions/exe_1/wait_for_status"))
        .and(authorized())
        .respond_with(ResponseTemplate::new(200).set_body_json(execution("completed", Some(0))))
        .mount(&server)
        .await;
    let out = run_example("stream_output", &server, &["dbx_1", "echo one; echo two"]);
    assert_eq!(stdout(&out), "one\ntwo\nstatus: completed (exit status 0)\n");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, br#"{"command":"echo one; echo two"}"#);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_usage_prints_the_usage_and_exits_2() {
    let server = MockServer::start().await;
    for (example, usage) in
        [("upload_download", "<local-file> <devbox-id>"), ("stream_output", "<devbox-id> <command>")]
    {
        let out = run_example(example, &server, &["only-one"]);
        assert_eq!(out.status.code(), Some(2), "{example}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(usage), "{example}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
