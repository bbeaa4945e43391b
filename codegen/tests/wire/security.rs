// Wire checks for `fixtures/security.rs` (see `tests/wire.rs`), against wiremock: each scheme
// sends exactly what the spec says (header name, query name, cookie, basic encoding), combined
// requirements send both, alternatives the first configured, `security: []` nothing, and a
// missing credential is a typed error naming the scheme before any request. No secret shows in
// the client's `Debug` or in an error.
fn main() {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(checks());
}

const SECRETS: &[&str] = &["tok-bearer", "pw-basic", "hk-secret", "qk-secret", "ck-secret", "oauth-tok", "oidc-tok"];

async fn checks() {
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let all = Client::builder()
        .base_url(server.uri())
        .bearer("tok-bearer")
        .basic("aladdin", "pw-basic")
        .header_key("hk-secret")
        .query_key("qk-secret")
        .cookie_key("ck-secret")
        .oauth("oauth-tok")
        .oidc("oidc-tok")
        .build()
        .unwrap();
    let shown = format!("{all:?}");
    for secret in SECRETS {
        assert!(!shown.contains(secret), "Debug shows a secret: {shown}");
    }
    assert!(shown.contains("headerKey"), "Debug names the configured schemes: {shown}");

    let calls = all.calls();
    calls.get_bearer().await.unwrap();
    calls.get_basic().await.unwrap();
    calls.get_header().await.unwrap();
    calls.get_query().await.unwrap();
    calls.get_cookie().await.unwrap();
    calls.get_both().await.unwrap();
    calls.get_either().await.unwrap();
    calls.login().await.unwrap();
    calls.get_optional().await.unwrap();
    calls.get_oidc().await.unwrap();
    let sent = server.received_requests().await.unwrap();
    let header = |i: usize, name: &str| sent[i].headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    let query = |i: usize| sent[i].url.query().map(str::to_owned);
    let auth_headers = |i: usize| ["authorization", "x-api-key", "cookie"].iter().filter(|h| header(i, h).is_some()).count();

    assert_eq!(header(0, "authorization").as_deref(), Some("Bearer tok-bearer"));
    assert_eq!(auth_headers(0), 1);
    // base64("aladdin:pw-basic")
    assert_eq!(header(1, "authorization").as_deref(), Some("Basic YWxhZGRpbjpwdy1iYXNpYw=="));
    assert_eq!((header(2, "x-api-key").as_deref(), auth_headers(2), query(2)), (Some("hk-secret"), 1, None));
    assert_eq!((query(3).as_deref(), auth_headers(3)), (Some("api_key=qk-secret"), 0));
    assert_eq!((header(4, "cookie").as_deref(), auth_headers(4)), (Some("session=ck-secret"), 1));
    assert_eq!((header(5, "x-api-key").as_deref(), query(5).as_deref()), (Some("hk-secret"), Some("api_key=qk-secret")));
    assert_eq!(header(6, "authorization").as_deref(), Some("Bearer oauth-tok"), "the first alternative configured");
    assert_eq!((auth_headers(7), query(7)), (0, None), "`security: []` sends nothing");
    assert_eq!((header(8, "x-api-key").as_deref(), auth_headers(8)), (Some("hk-secret"), 1));
    assert_eq!(header(9, "authorization").as_deref(), Some("Bearer oidc-tok"));
    server.reset().await;

    // Only basic: the alternative `[oauth, basic]` falls to basic; optional security sends nothing.
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let basic_only = Client::builder().base_url(server.uri()).basic("aladdin", "pw-basic").build().unwrap();
    basic_only.calls().get_either().await.unwrap();
    basic_only.calls().get_optional().await.unwrap();
    basic_only.calls().login().await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].headers.get("authorization").unwrap(), "Basic YWxhZGRpbjpwdy1iYXNpYw==");
    assert!(sent[1].headers.get("x-api-key").is_none() && sent[1].headers.get("authorization").is_none());
    assert!(sent[2].headers.get("authorization").is_none());

    // A missing credential: a typed error naming the scheme and how to set it; nothing sent.
    server.reset().await;
    let missing = basic_only.calls().get_cookie().await.unwrap_err();
    match &missing {
        Error::MissingCredential { scheme, operation, .. } => assert_eq!((*scheme, *operation), ("cookieKey", "getCookie")),
        other => panic!("expected MissingCredential, got {other:?}"),
    }
    let text = missing.to_string();
    assert!(text.contains("ClientBuilder::cookie_key") && text.contains("FIXTURE_COOKIE_KEY"), "{text}");
    let both = basic_only.calls().get_both().await.unwrap_err();
    assert!(matches!(both, Error::MissingCredential { scheme: "headerKey", .. }), "{both:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "a call without its credential was sent");

    // `api_key` is the credential of every scheme without its own.
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let keyed = Client::builder().base_url(server.uri()).api_key("shared-key").build().unwrap();
    keyed.calls().get_header().await.unwrap();
    keyed.calls().get_bearer().await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].headers.get("x-api-key").unwrap(), "shared-key");
    assert_eq!(sent[1].headers.get("authorization").unwrap(), "Bearer shared-key");
    // Not a basic scheme's, in an API with other schemes: the key is theirs.
    let err = keyed.calls().get_basic().await.unwrap_err();
    assert!(matches!(err, Error::MissingCredential { scheme: "basic", .. }), "{err:?}");
    for e in [&missing, &both, &err] {
        let text = format!("{e} {e:?}");
        assert!(SECRETS.iter().all(|s| !text.contains(s)) && !text.contains("shared-key"), "{text}");
    }
}
