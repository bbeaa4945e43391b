//! Walking paged lists against an in-process server (wiremock): the runtime's `Paged` with each
//! page style, every stop rule, the loop guard and the caps. The generator's detection of the
//! styles is unit-tested in `lower::pagination`; what it generates is the `pagination` fixture.

#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "PAGINATION_TEST", default_base_url: None, schemes: &[], security: &[] };

use futures_util::TryStreamExt;
use reqwest::Method;
use runtime::{Client, Error, PageStyle, Paged, Paging, RequestBuilder, decode_json};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct Item {
    id: String,
}

#[derive(Debug, serde::Deserialize)]
struct Page {
    data: Vec<Item>,
    #[serde(default)]
    has_more: Option<bool>,
    #[serde(default)]
    next: Option<String>,
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).max_retries(0).build().unwrap()
}

fn list(client: &Client, style: PageStyle<Page, Item>) -> Paged<Page, Item> {
    let request =
        RequestBuilder::new(client, Method::GET, "list", Ok("/items".into()), decode_json).query_param("limit", &3);
    Paged::new(
        request,
        Paging {
            style,
            items: |page: &Page| page.data.as_slice(),
            into_items: |page: Page| page.data,
            has_more: |page: &Page| page.has_more,
        },
    )
}

const AFTER_LAST: fn() -> PageStyle<Page, Item> =
    || PageStyle::AfterLast { param: "starting_after", cursor: |item: &Item| runtime::cursor(&item.id) };
const TOKEN: fn() -> PageStyle<Page, Item> =
    || PageStyle::Token { param: "page_token", next: |page: &Page| page.next.as_ref().and_then(runtime::cursor) };

fn page(ids: &[&str], extra: serde_json::Value) -> ResponseTemplate {
    let mut body = json!({ "data": ids.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>() });
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    ResponseTemplate::new(200).set_body_json(body)
}

async fn ids(paged: Paged<Page, Item>) -> Result<Vec<String>, Error> {
    Ok(paged.items().try_collect::<Vec<Item>>().await?.into_iter().map(|i| i.id).collect())
}

/// The cursor of every request the server received, in order.
async fn cursors(server: &MockServer, param: &str) -> Vec<Option<String>> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| {
            assert_eq!(
                r.url.query_pairs().find(|(k, _)| k == "limit").map(|(_, v)| v.into_owned()).as_deref(),
                Some("3")
            );
            r.url.query_pairs().find(|(k, _)| k == param).map(|(_, v)| v.into_owned())
        })
        .collect()
}

async fn mount(server: &MockServer, param: &str, value: Option<&str>, response: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path("/items"));
    match value {
        None => mock.and(query_param_is_missing(param)).respond_with(response).mount(server).await,
        Some(v) => mock.and(query_param(param, v)).respond_with(response).mount(server).await,
    }
}

#[tokio::test]
async fn three_pages_after_the_last_id_until_has_more_is_false() {
    let server = MockServer::start().await;
    mount(&server, "starting_after", None, page(&["a", "b", "c"], json!({"has_more": true}))).await;
    mount(&server, "starting_after", Some("c"), page(&["d", "e", "f"], json!({"has_more": true}))).await;
    mount(&server, "starting_after", Some("f"), page(&["g"], json!({"has_more": false}))).await;
    let client = client(&server);
    assert_eq!(ids(list(&client, AFTER_LAST())).await.unwrap(), ["a", "b", "c", "d", "e", "f", "g"]);
    assert_eq!(cursors(&server, "starting_after").await, [None, Some("c".into()), Some("f".into())]);
}

#[tokio::test]
async fn awaiting_gives_the_first_page_only() {
    let server = MockServer::start().await;
    mount(&server, "starting_after", None, page(&["a", "b", "c"], json!({"has_more": true}))).await;
    let first = list(&client(&server), AFTER_LAST()).await.unwrap();
    assert_eq!(first.data.len(), 3);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn pages_stream_yields_each_page_and_stops_on_an_empty_one() {
    let server = MockServer::start().await;
    mount(&server, "starting_after", None, page(&["a", "b", "c"], json!({}))).await;
    mount(&server, "starting_after", Some("c"), page(&[], json!({}))).await;
    let pages: Vec<Page> = list(&client(&server), AFTER_LAST()).pages().try_collect().await.unwrap();
    assert_eq!(pages.iter().map(|p| p.data.len()).collect::<Vec<_>>(), [3, 0]);
    assert_eq!(cursors(&server, "starting_after").await, [None, Some("c".into())]);
}

#[tokio::test]
async fn token_pages_stop_when_the_token_is_missing_or_empty() {
    let server = MockServer::start().await;
    mount(&server, "page_token", None, page(&["a"], json!({"next": "t1"}))).await;
    mount(&server, "page_token", Some("t1"), page(&["b"], json!({"next": "t2"}))).await;
    mount(&server, "page_token", Some("t2"), page(&["c"], json!({"next": ""}))).await;
    assert_eq!(ids(list(&client(&server), TOKEN())).await.unwrap(), ["a", "b", "c"]);
    assert_eq!(cursors(&server, "page_token").await, [None, Some("t1".into()), Some("t2".into())]);

    let server = MockServer::start().await;
    mount(&server, "page_token", None, page(&["a"], json!({}))).await;
    assert_eq!(ids(list(&client(&server), TOKEN())).await.unwrap(), ["a"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn offsets_advance_by_the_items_received() {
    let server = MockServer::start().await;
    mount(&server, "offset", None, page(&["a", "b", "c"], json!({}))).await;
    mount(&server, "offset", Some("3"), page(&["d", "e"], json!({}))).await;
    mount(&server, "offset", Some("5"), page(&[], json!({}))).await;
    let ids = ids(list(&client(&server), PageStyle::Offset { param: "offset" })).await.unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(cursors(&server, "offset").await, [None, Some("3".into()), Some("5".into())]);
}

#[tokio::test]
async fn page_numbers_count_up_from_one() {
    let server = MockServer::start().await;
    mount(&server, "page", None, page(&["a"], json!({}))).await;
    mount(&server, "page", Some("2"), page(&["b"], json!({"has_more": false}))).await;
    let ids = ids(list(&client(&server), PageStyle::PageNumber { param: "page" })).await.unwrap();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(cursors(&server, "page").await, [None, Some("2".into())]);
}

#[tokio::test]
async fn link_headers_are_followed_on_the_same_host_only() {
    let server = MockServer::start().await;
    let next = format!(
        "<{}/items?limit=3&page=2>; rel=\"next\", <{}/items?limit=3&page=9>; rel=\"last\"",
        server.uri(),
        server.uri()
    );
    mount(&server, "page", None, page(&["a"], json!({})).insert_header("link", next.as_str())).await;
    // Relative links resolve against the base URL.
    let relative = "</items?limit=3&page=3>; rel=\"next\"";
    mount(&server, "page", Some("2"), page(&["b"], json!({})).insert_header("link", relative)).await;
    mount(&server, "page", Some("3"), page(&["c"], json!({})).insert_header("link", "</items?page=1>; rel=\"prev\""))
        .await;
    assert_eq!(ids(list(&client(&server), PageStyle::Link)).await.unwrap(), ["a", "b", "c"]);
    assert_eq!(cursors(&server, "page").await, [None, Some("2".into()), Some("3".into())]);

    let server = MockServer::start().await;
    let elsewhere = "<https://attacker.example/items?page=2>; rel=\"next\"";
    mount(&server, "page", None, page(&["a"], json!({})).insert_header("link", elsewhere)).await;
    let mut items = list(&client(&server), PageStyle::Link).items();
    assert_eq!(items.try_next().await.unwrap().unwrap().id, "a");
    let err = items.try_next().await.unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert!(err.to_string().contains("outside the API (to `attacker.example`)"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_cursor_seen_before_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    mount(&server, "page_token", None, page(&["a"], json!({"next": "same"}))).await;
    mount(&server, "page_token", Some("same"), page(&["b"], json!({"next": "same"}))).await;
    let mut items = list(&client(&server), TOKEN()).items();
    assert_eq!(items.try_next().await.unwrap().unwrap().id, "a");
    assert_eq!(items.try_next().await.unwrap().unwrap().id, "b");
    let err = items.try_next().await.unwrap_err();
    assert!(err.to_string().contains("sent the cursor `same` a second time"), "{err}");
    assert!(items.try_next().await.unwrap().is_none(), "the walk ends after the error");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn caps_stop_fetching() {
    let server = MockServer::start().await;
    mount(&server, "starting_after", None, page(&["a", "b", "c"], json!({"has_more": true}))).await;
    mount(&server, "starting_after", Some("c"), page(&["d", "e", "f"], json!({"has_more": true}))).await;
    mount(&server, "starting_after", Some("f"), page(&["g"], json!({"has_more": true}))).await;
    let client = client(&server);
    assert_eq!(ids(list(&client, AFTER_LAST()).max_items(4)).await.unwrap(), ["a", "b", "c", "d"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "the third page is never fetched");
    server.reset().await;
    mount(&server, "starting_after", None, page(&["a", "b", "c"], json!({"has_more": true}))).await;
    mount(&server, "starting_after", Some("c"), page(&["d", "e", "f"], json!({"has_more": true}))).await;
    assert_eq!(ids(list(&client, AFTER_LAST()).max_pages(2)).await.unwrap(), ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_response_ends_the_walk_with_that_error() {
    let server = MockServer::start().await;
    mount(&server, "starting_after", None, page(&["a"], json!({"has_more": true}))).await;
    mount(&server, "starting_after", Some("a"), ResponseTemplate::new(404).set_body_json(json!({"error": "gone"})))
        .await;
    let mut items = list(&client(&server), AFTER_LAST()).items();
    assert_eq!(items.try_next().await.unwrap().unwrap().id, "a");
    assert!(items.try_next().await.unwrap_err().is_not_found());
    assert!(items.try_next().await.unwrap().is_none());
}

#[tokio::test]
async fn links_must_stay_under_the_base_path_and_may_spell_the_default_port() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(format!("{}/api", server.uri())).max_retries(0).build().unwrap();
    let list = || {
        let request = RequestBuilder::new(&client, Method::GET, "list", Ok("/items".into()), decode_json);
        Paged::new(
            request,
            Paging {
                style: PageStyle::Link,
                items: |page: &Page| page.data.as_slice(),
                into_items: |page: Page| page.data,
                has_more: |page: &Page| page.has_more,
            },
        )
    };
    let sibling = "</api2/items?page=2>; rel=\"next\"";
    Mock::given(method("GET"))
        .and(path("/api/items"))
        .respond_with(page(&["a"], json!({})).insert_header("link", sibling))
        .mount(&server)
        .await;
    let mut items = list().items();
    assert_eq!(items.try_next().await.unwrap().unwrap().id, "a");
    let err = items.try_next().await.unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "`/api2` is not under `/api`");
}

/// A server that ignores `offset` and answers every page with the same items (and `has_more:
/// true`): the walk ends with an error on the repeated page instead of walking to the caps, and
/// the repeated items are not handed over a second time.
#[tokio::test]
async fn a_server_that_ignores_the_offset_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(page(&["a", "b", "c"], json!({ "has_more": true })))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut items = list(&client, PageStyle::Offset { param: "offset" }).items();
    let mut got = Vec::new();
    let error = loop {
        match items.try_next().await {
            Ok(Some(item)) => got.push(item.id),
            Ok(None) => panic!("the walk ended without an error after {got:?}"),
            Err(e) => break e,
        }
    };
    assert_eq!(got, ["a", "b", "c"]);
    assert!(matches!(&error, Error::Pagination { message, .. } if message.contains("same 3 item(s)")), "{error}");
    assert_eq!(cursors(&server, "offset").await, [None, Some("3".into())]);
}

/// The same for page numbers, with the cap far away: one page, then the error, two requests.
#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": [{ "id": "x" }], "has_more": true })))
        .mount(&server)
        .await;
    let client = client(&server);
    let pages: Vec<Result<Page, Error>> = {
        use futures_util::StreamExt;
        list(&client, PageStyle::PageNumber { param: "page" }).max_pages(50).pages().collect().await
    };
    assert_eq!(pages.len(), 2, "one page, then the error: {pages:?}");
    assert!(pages[0].is_ok());
    assert!(matches!(&pages[1], Err(Error::Pagination { .. })), "{:?}", pages[1]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
