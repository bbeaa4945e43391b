//! Runloop's hand-written helpers (`generated-client/src/extra/`) against an in-process server
//! (wiremock): each polls its long poll across several answers to the state it awaits, ends with
//! a typed error on a terminal state, and ends at its overall deadline, also while the server
//! holds a poll. The requests that change state (`create`, `execute`) are sent once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use runloop::extra::WaitError;
use runloop::types::{DevboxCreateParams, DevboxExecuteParams, DevboxStatus};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "test-key";

fn client(server: &MockServer) -> runloop::Client {
    runloop::Client::builder().api_key(KEY).base_url(server.uri()).max_retries(0).build().unwrap()
}

fn devbox(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "dbx_1", "status": status, "create_time_ms": 1, "capabilities": [], "launch_parameters": {},
        "metadata": {}, "state_transitions": [],
        "failure_reason": if status == "failure" { json!("out_of_memory") } else { Value::Null },
    }))
}

fn execution(status: &str) -> ResponseTemplate {
    let exit = if status == "completed" { json!(0) } else { Value::Null };
    ResponseTemplate::new(200).set_body_json(json!({
        "devbox_id": "dbx_1", "execution_id": "exe_1", "status": status, "exit_status": exit, "stdout": "hi\n",
    }))
}

/// Answers each request with the next response of the list, the last one again and again.
struct Sequence {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Sequence {
    fn new(responses: Vec<ResponseTemplate>) -> Self {
        Self { responses, next: AtomicUsize::new(0) }
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst).min(self.responses.len() - 1);
        self.responses[i].clone()
    }
}

async fn wait_for_status(server: &MockServer, statuses: Value, responses: Vec<ResponseTemplate>) {
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/wait_for_status"))
        .and(body_partial_json(json!({ "statuses": statuses })))
        .respond_with(Sequence::new(responses))
        .mount(server)
        .await;
}

async fn polls(server: &MockServer, route: &str) -> usize {
    server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == route).count()
}

const WAIT_ROUTE: &str = "/v1/devboxes/dbx_1/wait_for_status";
const RUNNING: fn() -> Value = || json!(["running", "failure", "shutdown"]);

#[tokio::test]
async fn await_running_polls_through_provisioning_and_initializing() {
    let server = MockServer::start().await;
    let answers = vec![devbox("provisioning"), ResponseTemplate::new(408), devbox("initializing"), devbox("running")];
    wait_for_status(&server, RUNNING(), answers).await;
    let client = client(&server);
    let running = client.devboxes().await_running("dbx_1").poll_interval(Duration::ZERO).await.unwrap();
    assert_eq!(running.status, DevboxStatus::Running);
    assert_eq!(polls(&server, WAIT_ROUTE).await, 4);
}

#[tokio::test]
async fn await_running_fails_naming_the_terminal_status() {
    let server = MockServer::start().await;
    wait_for_status(&server, RUNNING(), vec![devbox("provisioning"), devbox("failure")]).await;
    let client = client(&server);
    let error = client.devboxes().await_running("dbx_1").poll_interval(Duration::ZERO).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "devbox dbx_1 ended in status `failure` while awaiting `running` (failure reason: `out_of_memory`)"
    );
    let WaitError::Ended { status, awaited, devbox, .. } = error else { panic!("{error:?}") };
    assert_eq!((status, awaited), (DevboxStatus::Failure, DevboxStatus::Running));
    assert_eq!(devbox.id, "dbx_1");
}

#[tokio::test]
async fn await_running_ends_at_its_deadline_with_the_last_status() {
    let server = MockServer::start().await;
    wait_for_status(&server, RUNNING(), vec![devbox("provisioning")]).await;
    let client = client(&server);
    let wait = client.devboxes().await_running("dbx_1").poll_interval(Duration::from_millis(20));
    let error = wait.deadline(Duration::from_millis(200)).await.unwrap_err();
    let WaitError::DeadlineExceeded { what, id, awaited, last_status, deadline } = &error else { panic!("{error:?}") };
    assert_eq!((*what, id.as_str(), awaited.as_str()), ("devbox", "dbx_1", "running"));
    assert_eq!((last_status.as_deref(), *deadline), (Some("provisioning"), Duration::from_millis(200)));
    assert!(polls(&server, WAIT_ROUTE).await >= 2);
}

/// The deadline is the wait's, not a poll's: a server that holds the poll far longer ends the
/// wait at the deadline, and no answer was seen.
#[tokio::test]
async fn a_held_poll_ends_at_the_deadline() {
    let server = MockServer::start().await;
    wait_for_status(&server, RUNNING(), vec![devbox("running").set_delay(Duration::from_secs(30))]).await;
    let client = client(&server);
    let error = client.devboxes().await_running("dbx_1").deadline(Duration::from_millis(300)).await.unwrap_err();
    assert!(
        matches!(&error, WaitError::DeadlineExceeded { last_status: None, .. }),
        "{error:?}: the held poll should have been cut at the deadline"
    );
    assert_eq!(error.to_string(), "devbox dbx_1 did not reach `running` within 300ms (last seen: nothing)");
}

#[tokio::test]
async fn await_suspended_waits_for_suspended_and_stops_at_shutdown() {
    let server = MockServer::start().await;
    let suspended = json!(["suspended", "failure", "shutdown"]);
    wait_for_status(&server, suspended, vec![devbox("suspending"), devbox("suspended")]).await;
    let client = client(&server);
    let suspended = client.devboxes().await_suspended("dbx_1").poll_interval(Duration::ZERO).await.unwrap();
    assert_eq!(suspended.status, DevboxStatus::Suspended);

    let server = MockServer::start().await;
    wait_for_status(&server, json!(["suspended", "failure", "shutdown"]), vec![devbox("shutdown")]).await;
    let client = self::client(&server);
    let error = client.devboxes().await_suspended("dbx_1").await.unwrap_err();
    assert!(matches!(&error, WaitError::Ended { status: DevboxStatus::Shutdown, .. }), "{error:?}");
}

#[tokio::test]
async fn create_running_creates_once_then_awaits_running() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/create_and_await_running"))
        .and(body_partial_json(json!({ "name": "ci" })))
        .respond_with(devbox("provisioning"))
        .expect(1)
        .mount(&server)
        .await;
    wait_for_status(&server, RUNNING(), vec![devbox("initializing"), devbox("running")]).await;
    let client = client(&server);
    let params = DevboxCreateParams::default().with_name("ci");
    let devbox = client.devboxes().create_running(&params).poll_interval(Duration::ZERO).await.unwrap();
    assert_eq!(devbox.status, DevboxStatus::Running);
    assert_eq!(polls(&server, WAIT_ROUTE).await, 2);
}

/// A create the server fails with a 500 is not resent (it is not idempotent) and no wait starts.
#[tokio::test]
async fn create_running_never_resends_the_create() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/create_and_await_running"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = runloop::Client::builder().api_key(KEY).base_url(server.uri()).max_retries(3).build().unwrap();
    let error = client.devboxes().create_running(&DevboxCreateParams::default()).await.unwrap_err();
    let WaitError::Client(runloop::Error::Api(api)) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, runloop::StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(polls(&server, WAIT_ROUTE).await, 0);
}

const COMMAND_ROUTE: &str = "/v1/devboxes/dbx_1/executions/exe_1/wait_for_status";

async fn wait_for_command(server: &MockServer, responses: Vec<ResponseTemplate>) {
    Mock::given(method("POST"))
        .and(path(COMMAND_ROUTE))
        .and(body_partial_json(json!({ "statuses": ["completed"] })))
        .respond_with(Sequence::new(responses))
        .mount(server)
        .await;
}

#[tokio::test]
async fn execute_and_await_completion_executes_once_then_polls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/execute"))
        .and(body_partial_json(json!({ "command": "make", "command_id": "cmd_1" })))
        .respond_with(execution("queued"))
        .expect(1)
        .mount(&server)
        .await;
    wait_for_command(&server, vec![execution("running"), ResponseTemplate::new(408), execution("completed")]).await;
    let client = client(&server);
    let params = DevboxExecuteParams::new("make", "cmd_1");
    let executions = client.devboxes().executions();
    let done = executions.execute_and_await_completion("dbx_1", &params).poll_interval(Duration::ZERO).await.unwrap();
    assert_eq!((done.exit_status, done.stdout.as_deref()), (Some(0), Some("hi\n")));
    assert_eq!(polls(&server, COMMAND_ROUTE).await, 3);
}

/// A command the server finished within its hold of `execute` needs no poll.
#[tokio::test]
async fn a_command_done_within_execute_is_not_polled() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/devboxes/dbx_1/execute"))
        .respond_with(execution("completed"))
        .mount(&server)
        .await;
    let client = client(&server);
    let params = DevboxExecuteParams::new("true", "cmd_2").with_optimistic_timeout(25);
    let done = client.devboxes().executions().execute_and_await_completion("dbx_1", &params).await.unwrap();
    assert_eq!(done.exit_status, Some(0));
    assert_eq!(polls(&server, COMMAND_ROUTE).await, 0);
}

#[tokio::test]
async fn await_completed_ends_at_its_deadline() {
    let server = MockServer::start().await;
    wait_for_command(&server, vec![execution("running")]).await;
    let client = client(&server);
    let wait =
        client.devboxes().executions().await_completed("dbx_1", "exe_1").poll_interval(Duration::from_millis(20));
    let error = wait.deadline(Duration::from_millis(200)).await.unwrap_err();
    assert_eq!(error.to_string(), "execution exe_1 did not reach `completed` within 200ms (last seen: `running`)");
}

/// Other failures end the wait as they are: a 404 is no reason to keep polling.
#[tokio::test]
async fn an_error_answer_ends_the_wait() {
    let server = MockServer::start().await;
    wait_for_command(&server, vec![ResponseTemplate::new(404).set_body_json(json!({"message": "no such execution"}))])
        .await;
    let client = client(&server);
    let error = client.devboxes().executions().await_completed("dbx_1", "exe_1").await.unwrap_err();
    let WaitError::Client(runloop::Error::Api(api)) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, runloop::StatusCode::NOT_FOUND);
    assert_eq!(polls(&server, COMMAND_ROUTE).await, 1);
}
