//! A redirect followed to another origin carries no `Referer`: it would be the URL the client
//! asked for, query included, where a query-parameter key or other private values may be.

use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_redirect_to_another_origin_sends_no_referer() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let location = format!("{}/object", storage.uri());
    Mock::given(path("/v1/download"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    Mock::given(path("/object")).respond_with(ResponseTemplate::new(200).set_body_json(1)).mount(&storage).await;
    let client = runloop::Client::builder().api_key("sk_test").base_url(api.uri()).build().unwrap();
    let request = client.request(runloop::Method::GET, "/v1/download");
    let value: serde_json::Value = request.query("signature", "private-value").send().await.unwrap();
    assert_eq!(value, serde_json::json!(1));
    let followed = storage.received_requests().await.unwrap();
    assert_eq!(followed.len(), 1);
    assert!(followed[0].headers.get("referer").is_none(), "{:?}", followed[0].headers);
    assert!(followed[0].headers.get("authorization").is_none(), "{:?}", followed[0].headers);
}
