//! The mock server of the `mock` feature: `MockServer`, a wiremock server that the generated
//! `mock` module (beside this file) gives one typed method per operation, and `Expect`, one
//! mocked operation to mount. A request no mock matches is answered `418` with a message naming
//! the operation closest to it, and fails the test when the server is dropped.
//!
//! This file is the same for every generated crate; `mock/mod.rs` is generated from the spec.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use wiremock::matchers::{body_json, header, path, query_param};
use wiremock::{Mock, Request, ResponseTemplate};

/// An operation of the spec: its id, HTTP method and path template (`/v1/devboxes/{id}`).
pub(crate) struct Route {
    pub(crate) operation: &'static str,
    pub(crate) method: &'static str,
    pub(crate) template: &'static str,
    /// How to mock it: `mock.devboxes().retrieve(..)`.
    pub(crate) call: &'static str,
}

/// A mock of the API on a local port, for your tests: mount what each operation answers with its
/// typed methods (`mock.devboxes().retrieve("dbx_1").returns(devbox).await`), and call it with
/// [`MockServer::client`]. A request that no mounted mock matches gets status 418 and a message
/// naming the operation closest to it, and the test fails when the server is dropped.
pub struct MockServer {
    inner: wiremock::MockServer,
    unmatched: Arc<Mutex<Vec<String>>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.inner.uri()).finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on a free local port.
    pub async fn start() -> Self {
        let inner = wiremock::MockServer::start().await;
        let unmatched = Arc::new(Mutex::new(Vec::new()));
        Mock::given(wiremock::matchers::any())
            .respond_with(Unmatched { log: Arc::clone(&unmatched) })
            .with_priority(u8::MAX)
            .named("no mock matched")
            .mount(&inner)
            .await;
        Self { inner, unmatched }
    }

    /// The server's base URL (`http://127.0.0.1:PORT`), for a client configured by hand or a
    /// program under test (`*_BASE_URL`).
    pub fn uri(&self) -> String {
        self.inner.uri()
    }

    /// A client of this server with a placeholder API key (`mock-api-key`) and no retries, so
    /// that a test sees each answer as mounted.
    pub fn client(&self) -> crate::Client {
        self.builder()
            .api_key("mock-api-key")
            .max_retries(0)
            .build()
            .unwrap_or_else(|e| panic!("building a client of the mock server: {e}"))
    }

    /// A client builder with this server's base URL, to configure as your code does.
    pub fn builder(&self) -> crate::ClientBuilder {
        crate::Client::builder().base_url(self.inner.uri())
    }

    /// Every request the server received, in order.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.inner.received_requests().await.unwrap_or_default()
    }

    /// The wiremock server underneath, to mount a mock by hand.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.inner
    }

    /// What each request no mock matched was, with the operation closest to it.
    pub fn unmatched(&self) -> Vec<String> {
        self.unmatched.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The same, forgotten: for a test that sends unmatched requests on purpose, which then do
    /// not fail it when the server is dropped.
    pub fn take_unmatched(&self) -> Vec<String> {
        std::mem::take(&mut *self.unmatched.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let unmatched = self.unmatched();
        if !unmatched.is_empty() && !std::thread::panicking() {
            panic!(
                "the mock server received {} request(s) no mock matched:\n{}",
                unmatched.len(),
                unmatched.join("\n")
            );
        }
    }
}

/// The responder of requests no mock matched.
struct Unmatched {
    log: Arc<Mutex<Vec<String>>>,
}

impl wiremock::Respond for Unmatched {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let message = unmatched_message(request.method.as_str(), request.url.path(), crate::mock::ROUTES);
        self.log.lock().unwrap_or_else(PoisonError::into_inner).push(message.clone());
        ResponseTemplate::new(418).set_body_string(message)
    }
}

/// What a request no mock matched was, and the operation of `routes` closest to it.
pub(crate) fn unmatched_message(method: &str, path: &str, routes: &[Route]) -> String {
    let sent = format!("no mock matched `{method} {path}`");
    match closest(method, path, routes) {
        Some(route) => format!(
            "{sent}; the closest operation is `{}` (`{} {}`): mock it with `{}`",
            route.operation, route.method, route.template, route.call
        ),
        None => sent,
    }
}

/// The operation whose method and path template are nearest `method` and `path`: fewest path
/// segments that differ (a `{param}` segment matches any), then the same method.
fn closest<'r>(method: &str, path: &str, routes: &'r [Route]) -> Option<&'r Route> {
    let sent: Vec<&str> = path.trim_matches('/').split('/').collect();
    routes.iter().min_by_key(|route| {
        let template: Vec<&str> = route.template.trim_matches('/').split('/').collect();
        let differ =
            sent.iter().zip(&template).filter(|(s, t)| !(t.starts_with('{') && t.ends_with('}')) && s != t).count()
                + sent.len().abs_diff(template.len());
        (differ, usize::from(!route.method.eq_ignore_ascii_case(method)))
    })
}

/// The response of an operation that is not JSON (a stream, a download, text): mocked with
/// [`Expect::returns_body`] or [`Expect::responds`].
#[derive(Debug)]
pub struct Raw;

/// One operation to mock, as its typed method of the `mock` module made it: add what a request
/// must have (`query`, `header`, `body`, `times`), then mount its answer (`returns`, `fails`,
/// `returns_body`, `responds`). `T` is what the operation returns.
#[must_use = "a mock does nothing until its answer is mounted (`.returns(..).await`)"]
pub struct Expect<'a, T> {
    server: &'a MockServer,
    operation: &'static str,
    method: &'static str,
    path: String,
    status: u16,
    matchers: Vec<Box<dyn wiremock::Match>>,
    times: Option<u64>,
    returns: PhantomData<fn(T)>,
}

impl<T> fmt::Debug for Expect<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expect")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A method matched exactly as written (wiremock's upper-cases it; custom methods keep their case).
struct MethodIs(&'static str);

impl wiremock::Match for MethodIs {
    fn matches(&self, request: &Request) -> bool {
        request.method.as_str() == self.0
    }
}

impl<'a, T> Expect<'a, T> {
    /// The mock of `operation`: requests of `method` to exactly `path` (percent-encoded, as the
    /// client sends it), answered with `status` by `returns`.
    // Called by the generated mock methods: a spec without operations has none.
    #[allow(dead_code)]
    pub(crate) fn new(
        server: &'a MockServer,
        operation: &'static str,
        method: &'static str,
        path: Result<String, String>,
        status: u16,
    ) -> Self {
        let path = path.unwrap_or_else(|e| panic!("mocking `{operation}`: {e}"));
        Self { server, operation, method, path, status, matchers: Vec::new(), times: None, returns: PhantomData }
    }

    /// Matches only requests with this query parameter (its value as the client writes it:
    /// strings as they are, numbers and booleans in JSON spelling).
    pub fn query<V: serde::Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        let text = match serde_json::to_value(value) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(e) => panic!("mocking `{}`: query parameter {name}: {e}", self.operation),
        };
        self.matchers.push(Box::new(query_param(name, text)));
        self
    }

    /// Matches only requests with this header value.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.matchers.push(Box::new(header(name, value)));
        self
    }

    /// Matches only requests whose body is this value's JSON.
    pub fn body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        let json = serde_json::to_value(body).unwrap_or_else(|e| panic!("mocking `{}`: body: {e}", self.operation));
        self.matchers.push(Box::new(body_json(json)));
        self
    }

    /// Expects exactly `n` matching requests: the test fails when the server is dropped if
    /// there were more or fewer.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers with an error status and a JSON body (a documented error of the operation, or any).
    pub async fn fails<B: serde::Serialize + ?Sized>(self, status: u16, body: &B) {
        let json = serde_json::to_value(body).unwrap_or_else(|e| panic!("mocking `{}`: body: {e}", self.operation));
        self.responds(ResponseTemplate::new(status).set_body_json(json)).await;
    }

    /// Answers with these bytes and content type, with the operation's success status.
    pub async fn returns_body(self, content_type: &str, body: impl Into<Vec<u8>>) {
        let status = self.status;
        self.responds(ResponseTemplate::new(status).set_body_raw(body.into(), content_type)).await;
    }

    /// Answers with `response` as it is (a delay, headers, a status of your choosing).
    pub async fn responds(self, response: ResponseTemplate) {
        let mut mock = Mock::given(MethodIs(self.method)).and(path(self.path.as_str()));
        for matcher in self.matchers {
            mock = mock.and(BoxedMatch(matcher));
        }
        let mut mock = mock.respond_with(response).named(self.operation);
        if let Some(n) = self.times {
            mock = mock.expect(n);
        }
        mock.mount(&self.server.inner).await;
    }
}

impl<T: serde::Serialize> Expect<'_, T> {
    /// Answers with `value`: the operation's success status and `value`'s JSON (no body for a
    /// `204`).
    pub async fn returns(self, value: T) {
        let response = match self.status {
            204 => ResponseTemplate::new(204),
            status => ResponseTemplate::new(status).set_body_json(
                serde_json::to_value(&value).unwrap_or_else(|e| panic!("mocking `{}`: {e}", self.operation)),
            ),
        };
        self.responds(response).await;
    }
}

/// A boxed matcher, which wiremock's `and` takes by value.
struct BoxedMatch(Box<dyn wiremock::Match>);

impl wiremock::Match for BoxedMatch {
    fn matches(&self, request: &Request) -> bool {
        self.0.matches(request)
    }
}
