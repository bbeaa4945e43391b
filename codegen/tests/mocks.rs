//! The generated crate's typed mocks (`runloop::mock`, the `mock` feature) with its own client: an
//! operation mocked by path parameters, query, header and body and answered with its typed value
//! or an error; a request no mock matches answered 418 with the closest operation named, and the
//! test failed when the server is dropped; `times` verified.

use runloop::mock::MockServer;
use runloop::types::DevboxView;
use serde_json::json;

fn devbox(id: &str) -> DevboxView {
    serde_json::from_value(json!({"id": id, "status": "running", "create_time_ms": 1, "capabilities": [],
        "launch_parameters": {}, "metadata": {}, "state_transitions": []}))
    .unwrap()
}

#[tokio::test]
async fn an_operation_is_mocked_by_its_path_parameters_and_answered_typed() {
    let mock = MockServer::start().await;
    mock.devboxes().retrieve("dbx_1").returns(devbox("dbx_1")).await;
    mock.devboxes().retrieve("dbx 2/x").returns(devbox("dbx 2/x")).await;
    mock.devboxes().retrieve("dbx_3").fails(404, &json!({"error": "no such devbox"})).await;
    let client = mock.client();
    assert_eq!(client.devboxes().retrieve("dbx_1").await.unwrap().id, "dbx_1");
    // Path parameters are percent-encoded as the client encodes them.
    assert_eq!(client.devboxes().retrieve("dbx 2/x").await.unwrap().id, "dbx 2/x");
    let err = client.devboxes().retrieve("dbx_3").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(mock.unmatched().is_empty());
}

#[tokio::test]
async fn a_request_no_mock_matches_names_the_closest_operation_and_fails_the_test() {
    let mock = MockServer::start().await;
    mock.devboxes().retrieve("dbx_1").returns(devbox("dbx_1")).await;
    let err = mock.client().devboxes().retrieve("dbx_9").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    let unmatched = mock.unmatched();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(
        unmatched[0].contains("no mock matched `GET /v1/devboxes/dbx_9`; the closest operation is `getDevbox` (`GET /v1/devboxes/{id}`): mock it with `mock.devboxes().retrieve(..)`"),
        "{}",
        unmatched[0]
    );
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(mock)));
    let message = dropped.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("1 request(s) no mock matched") && message.contains("dbx_9"), "{message}");
}

#[tokio::test]
async fn query_header_and_body_narrow_a_mock_and_times_is_verified() {
    let mock = MockServer::start().await;
    let page = |ids: &[&str]| {
        let devboxes: Vec<DevboxView> = ids.iter().map(|id| devbox(id)).collect();
        serde_json::from_value(json!({"devboxes": devboxes, "has_more": false})).unwrap()
    };
    mock.devboxes()
        .list()
        .query("limit", &2)
        .header("authorization", "Bearer mock-api-key")
        .times(1)
        .returns(page(&["a", "b"]))
        .await;
    let client = mock.client();
    let first = client.devboxes().list().limit(2).await.unwrap();
    assert_eq!(first.devboxes.len(), 2);
    // Without the query parameter the mock does not match.
    assert_eq!(client.devboxes().list().await.unwrap_err().status().map(|s| s.as_u16()), Some(418));
    let unmatched = mock.take_unmatched();
    assert!(unmatched[0].contains("`listDevboxes`"), "{unmatched:?}");
    assert!(mock.unmatched().is_empty(), "taken: the drop does not fail the test");
}
