//! `ClientBuilder::configure_http`: the client's own HTTP client built with the user's changes
//! (a client certificate for mutual TLS, here), and refused beside `http_client`.

use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A self-signed certificate and its P-256 key, made for this test only
/// (`openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes`).
const IDENTITY: &[u8] = include_bytes!("support/client_identity.pem");

#[tokio::test]
async fn configure_http_changes_the_client_it_builds_and_keeps_the_client_s_own_settings() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/accounts/me"))
        .and(header("x-set-by-reqwest", "yes"))
        .and(header("authorization", "Bearer sk_test"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let identity = runloop::reqwest::Identity::from_pem(IDENTITY).expect("the test identity parses");
    let mut headers = runloop::HeaderMap::new();
    headers.insert("x-set-by-reqwest", "yes".parse().unwrap());
    let client = runloop::Client::builder()
        .api_key("sk_test")
        .base_url(server.uri())
        .configure_http(move |http| http.identity(identity).default_headers(headers))
        .build()
        .expect("a client with a certificate builds");
    // The mock answers only a request with the header the change set and the client's own key;
    // its body is not an account, which does not matter here.
    let result = client.accounts().me().await;
    assert!(!matches!(result, Err(runloop::Error::Api(_))), "the mock did not match: {result:?}");
    server.verify().await;
}

#[test]
fn configure_http_beside_http_client_is_a_config_error() {
    let err = runloop::Client::builder()
        .api_key("sk_test")
        .http_client(runloop::reqwest::Client::new())
        .configure_http(|http| http)
        .build()
        .unwrap_err();
    assert!(matches!(err, runloop::Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("configure_http"), "{err}");
}
