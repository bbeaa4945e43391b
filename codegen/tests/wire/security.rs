// Wire checks for `fixtures/security.rs` (see `tests/wire.rs`), against wiremock: each scheme
// sends exactly what the spec says (header name, query name, cookie, basic encoding), combined
// requirements send both, alternatives the first configured, `security: []` nothing, and a
// missing credential is a typed error naming the scheme before any request; OAuth 2 client
// credentials, OpenID Connect discovery and token providers. No secret shows in the client's
// `Debug`, in an error, or in anything traced at any level.
fn main() {
    // Everything traced, at every level, by the runtime and its dependencies: checked for secrets last.
    let traced = Traced::default();
    tracing::subscriber::set_global_default(tracing_subscriber::layer::SubscriberExt::with(
        tracing_subscriber::registry(),
        traced.clone(),
    ))
    .unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(checks());
    runtime.block_on(client_credentials());
    runtime.block_on(refresh_after_401());
    runtime.block_on(forget_after_401_of_a_stream());
    runtime.block_on(token_endpoint_failure());
    runtime.block_on(openid_connect_discovery());
    runtime.block_on(token_provider());
    let text = traced.0.lock().unwrap().join("\n");
    assert!(text.contains("getEither"), "nothing was traced");
    for secret in SECRETS.iter().chain(&["cs-secret", "t-1", "t-new", "t-oidc", "prov-1", "shared-key", "pw-basic"]) {
        assert!(!text.contains(secret), "a trace holds {secret}");
    }
}

/// Every span's and event's fields, as text.
#[derive(Clone, Default)]
struct Traced(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

struct Text<'a>(&'a mut String);

impl tracing::field::Visit for Text<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Traced {
    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, _: &tracing::span::Id, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut line = attrs.metadata().name().to_owned();
        attrs.record(&mut Text(&mut line));
        self.0.lock().unwrap().push(line);
    }

    fn on_record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut line = String::new();
        values.record(&mut Text(&mut line));
        self.0.lock().unwrap().push(line);
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut line = event.metadata().target().to_owned();
        event.record(&mut Text(&mut line));
        self.0.lock().unwrap().push(line);
    }
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

fn token(access: &str, expires_in: u64) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({"access_token": access, "token_type": "Bearer", "expires_in": expires_in}))
}

fn bearer_of(request: &wiremock::Request) -> String {
    request.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// Requests to `path` among those the server received.
async fn sent_to(server: &wiremock::MockServer, path: &str) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == path).collect()
}

fn oauth_client(server: &wiremock::MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .oauth_client_credentials("client-1", "cs-secret")
        .oauth_token_url(format!("{}/token", server.uri()))
        .build()
        .unwrap()
}

// 20 concurrent calls share one token request; the token request is the client-credentials grant
// with the client's id and secret as basic credentials and the requirement's scope; an expiring
// token is fetched again before use.
async fn client_credentials() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/token")).respond_with(token("t-1", 3600)).mount(&server).await;
    Mock::given(path("/either")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = oauth_client(&server);
    let calls: Vec<_> = (0..20).map(|_| client.calls().get_either().send()).collect();
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    let tokens = sent_to(&server, "/token").await;
    assert_eq!(tokens.len(), 1, "20 concurrent calls fetched {} tokens", tokens.len());
    // base64("client-1:cs-secret")
    assert_eq!(bearer_of(&tokens[0]), "Basic Y2xpZW50LTE6Y3Mtc2VjcmV0");
    assert_eq!(std::str::from_utf8(&tokens[0].body).unwrap(), "grant_type=client_credentials&scope=read");
    let calls = sent_to(&server, "/either").await;
    assert_eq!(calls.len(), 20);
    assert!(calls.iter().all(|r| bearer_of(r) == "Bearer t-1"));
    let shown = format!("{client:?}");
    assert!(!shown.contains("cs-secret") && !shown.contains("t-1"), "{shown}");

    // A token that expires (here at once) is fetched again before the next call uses it.
    server.reset().await;
    Mock::given(path("/token")).respond_with(token("t-short", 0)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/token")).respond_with(token("t-next", 3600)).mount(&server).await;
    Mock::given(path("/either")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = oauth_client(&server);
    client.calls().get_either().await.unwrap();
    client.calls().get_either().await.unwrap();
    client.calls().get_either().await.unwrap();
    let used: Vec<String> = sent_to(&server, "/either").await.iter().map(bearer_of).collect();
    assert_eq!(used, ["Bearer t-short", "Bearer t-next", "Bearer t-next"]);
    assert_eq!(sent_to(&server, "/token").await.len(), 2);
}

// A 401 leads to one fresh token and one more attempt, never a loop.
async fn refresh_after_401() {
    use wiremock::matchers::{header, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(path("/token")).respond_with(token("t-old", 3600)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/token")).respond_with(token("t-new", 3600)).mount(&server).await;
    Mock::given(path("/either")).and(header("authorization", "Bearer t-new")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(path("/either")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = oauth_client(&server);
    let response = client.calls().get_either().with_response().await.unwrap();
    assert_eq!(response.attempts(), 2);
    let used: Vec<String> = sent_to(&server, "/either").await.iter().map(bearer_of).collect();
    assert_eq!(used, ["Bearer t-old", "Bearer t-new"]);
    assert_eq!(sent_to(&server, "/token").await.len(), 2);

    // A server that refuses every token: one refresh, one retry, then the 401 is the error.
    server.reset().await;
    Mock::given(path("/token")).respond_with(token("t-any", 3600)).mount(&server).await;
    Mock::given(path("/either")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let err = oauth_client(&server).calls().get_either().await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(sent_to(&server, "/either").await.len(), 2, "a 401 was retried more than once");
    assert_eq!(sent_to(&server, "/token").await.len(), 2);
}

// A 401 to a body read from a stream is not sent again (it cannot be), but the refused token is
// forgotten: the next call fetches a fresh one instead of being refused first.
async fn forget_after_401_of_a_stream() {
    use wiremock::matchers::{header, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(path("/token")).respond_with(token("t-old", 3600)).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/token")).respond_with(token("t-new", 3600)).mount(&server).await;
    Mock::given(path("/upload")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    Mock::given(path("/either")).and(header("authorization", "Bearer t-new")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(path("/either")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = oauth_client(&server);
    let stream = FilePart::reader(std::io::Cursor::new(b"once".to_vec()));
    let err = client.calls().upload(stream).await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(sent_to(&server, "/upload").await.len(), 1, "a body read from a stream was sent twice");
    assert_eq!(sent_to(&server, "/token").await.len(), 1);
    let response = client.calls().get_either().with_response().await.unwrap();
    assert_eq!(response.attempts(), 1, "the refused token was used again");
    let used: Vec<String> = sent_to(&server, "/either").await.iter().map(bearer_of).collect();
    assert_eq!(used, ["Bearer t-new"]);
    assert_eq!(sent_to(&server, "/token").await.len(), 2);
}

// A failing token endpoint is a typed auth error naming the scheme, without any secret; the
// call is not sent.
async fn token_endpoint_failure() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let refusal = serde_json::json!({"error": "invalid_client", "error_description": "bad secret cs-secret"});
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(400).set_body_json(refusal)).mount(&server).await;
    let err = oauth_client(&server).calls().get_either().await.unwrap_err();
    match &err {
        Error::Auth { scheme, message } => {
            assert_eq!(*scheme, "oauth");
            assert!(message.contains("400") && message.contains("invalid_client"), "{message}");
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
    let text = format!("{err} {err:?}");
    assert!(!text.contains("cs-secret"), "{text}");
    assert!(sent_to(&server, "/either").await.is_empty());

    // An `error` that is not an RFC 6749 code (here it echoes the secret with spaces and a quote)
    // is left out of the error.
    server.reset().await;
    let echo = serde_json::json!({"error": "the secret \"cs-secret\" is wrong"});
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(401).set_body_json(echo)).mount(&server).await;
    let err = oauth_client(&server).calls().get_either().await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("401") && !text.contains("cs-secret") && !text.contains("wrong"), "{text}");

    // A token response past 64 KiB is refused, not read whole.
    server.reset().await;
    let huge = format!("{{\"access_token\": \"{}\"}}", "x".repeat(100 * 1024));
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(200).set_body_string(huge)).mount(&server).await;
    let err = oauth_client(&server).calls().get_either().await.unwrap_err();
    assert!(matches!(&err, Error::Auth { message, .. } if message.contains("larger than")), "{err:?}");
    assert!(sent_to(&server, "/either").await.is_empty());

    // `expires_in` as a string is read: a token expiring at once is fetched again before reuse.
    server.reset().await;
    let short = serde_json::json!({"access_token": "t-str", "expires_in": "0"});
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(200).set_body_json(short)).mount(&server).await;
    Mock::given(path("/either")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = oauth_client(&server);
    client.calls().get_either().await.unwrap();
    client.calls().get_either().await.unwrap();
    assert_eq!(sent_to(&server, "/token").await.len(), 2);
}

// OpenID Connect: the token endpoint is read from the discovery document, then the same flow.
async fn openid_connect_discovery() {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let discovery = serde_json::json!({"issuer": server.uri(), "token_endpoint": format!("{}/oidc/token", server.uri())});
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(discovery))
        .mount(&server)
        .await;
    Mock::given(path("/oidc/token")).respond_with(token("t-oidc", 3600)).mount(&server).await;
    Mock::given(path("/oidc")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).oidc_client_credentials("client-2", "cs-2").build().unwrap();
    client.calls().get_oidc().await.unwrap();
    client.calls().get_oidc().await.unwrap();
    let used: Vec<String> = sent_to(&server, "/oidc").await.iter().map(bearer_of).collect();
    assert_eq!(used, ["Bearer t-oidc", "Bearer t-oidc"]);
    assert_eq!(sent_to(&server, "/oidc/token").await.len(), 1);

    // A discovery document naming a plain-http token endpoint elsewhere gets no secret.
    server.reset().await;
    let elsewhere = serde_json::json!({"token_endpoint": "http://tokens.example.com/token"});
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(elsewhere))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).oidc_client_credentials("client-2", "cs-2").build().unwrap();
    let err = client.calls().get_oidc().await.unwrap_err();
    assert!(matches!(&err, Error::Auth { message, .. } if message.contains("not https")), "{err:?}");
    assert!(sent_to(&server, "/oidc").await.is_empty());
}

// Other OAuth flows: a token from the user's function, asked by each call; its error is typed.
async fn token_provider() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(path("/either")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let asked = std::sync::Arc::new(AtomicU32::new(0));
    let counter = std::sync::Arc::clone(&asked);
    let client = Client::builder()
        .base_url(server.uri())
        .oauth_token_provider(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(format!("prov-{n}")) }
        })
        .build()
        .unwrap();
    client.calls().get_either().await.unwrap();
    client.calls().get_either().await.unwrap();
    let used: Vec<String> = sent_to(&server, "/either").await.iter().map(bearer_of).collect();
    assert_eq!(used, ["Bearer prov-1", "Bearer prov-2"]);
    assert!(format!("{client:?}").contains("oauth"));

    let failing = Client::builder()
        .base_url(server.uri())
        .oauth_token_provider(|| async { Err("device flow not finished".into()) })
        .build()
        .unwrap();
    let err = failing.calls().get_either().await.unwrap_err();
    assert!(matches!(&err, Error::Auth { scheme: "oauth", message } if message.contains("device flow")), "{err:?}");
    assert_eq!(asked.load(Ordering::SeqCst), 2);
}
