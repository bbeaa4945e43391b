//! Resumable event streams against a raw HTTP/1.1 server that drops the connection midway: the
//! generated Runloop client reconnects with `Last-Event-ID` (`watch_evictions`, whose server
//! sends event ids) or with the `x-resume` parameter (`stream_stdout_updates` by `offset`), the
//! loop sees every event once, reconnections in a row are bounded, and a stream that is not
//! idempotent is never resent (the runtime included by path, as in `streams.rs`).

#[path = "support/raw_http.rs"]
mod raw_http;
#[path = "../templates/runtime/mod.rs"]
// A test uses part of the runtime.
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "STREAM_RESUME_TEST", default_base_url: None, schemes: &[], security: &[] };

use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use runloop::{Client, Error};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use raw_http::{SSE_HEAD, chunk, raw_server, raw_server_seeing};

fn client(base: &str) -> Client {
    Client::builder().api_key("sk_test_resume").base_url(base).max_retries(2).build().unwrap()
}

/// Sends `events` as one chunk after the head; then, when `cut` is set, that partial event, and
/// drops the connection without ending the chunked body: a cut body.
async fn answer(mut socket: TcpStream, events: &str, cut: Option<&str>) {
    socket.write_all(SSE_HEAD).await.unwrap();
    // An empty chunk would end the body.
    if !events.is_empty() {
        chunk(&mut socket, events.as_bytes()).await.unwrap();
    }
    match cut {
        Some(partial) => {
            chunk(&mut socket, partial.as_bytes()).await.unwrap();
            // Dropping the socket mid-body: the chunked body never ends.
        }
        None => socket.write_all(b"0\r\n\r\n").await.unwrap(),
    }
}

/// The value of header `name` in a request head (names compared without case).
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The request line's target (`/v1/...?offset=2`).
fn target(head: &str) -> &str {
    head.split(' ').nth(1).unwrap_or_default()
}

fn eviction(id: u32) -> String {
    format!("id: {id}\ndata: {{\"devbox_id\": \"dbx_{id}\", \"eviction_deadline_ms\": {id}}}\n\n")
}

#[tokio::test]
async fn a_dropped_stream_resumes_with_last_event_id_and_delivers_each_event_once() {
    let (base, heads) = raw_server_seeing(|socket, n, _| async move {
        match n {
            // Two events, then half of the third, then the connection drops.
            1 => answer(socket, &(eviction(1) + &eviction(2)), Some("id: 3\ndata: {\"devbox_id\"")).await,
            // The server resumes after the event named by Last-Event-ID.
            _ => answer(socket, &(eviction(3) + &eviction(4)), None).await,
        }
    })
    .await;
    let events: Vec<_> = client(&base).devboxes().watch_evictions().await.unwrap().collect().await;
    let seen: Vec<String> = events.into_iter().map(|e| e.unwrap().data.devbox_id).collect();
    assert_eq!(seen, ["dbx_1", "dbx_2", "dbx_3", "dbx_4"], "each event once, in order");
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2, "one reconnection: {heads:?}");
    assert_eq!(header(&heads[0], "last-event-id"), None);
    assert_eq!(header(&heads[1], "last-event-id"), Some("2"), "the last complete event's id");
    assert_eq!(target(&heads[1]), "/v1/devboxes/evictions/watch");
}

#[tokio::test]
async fn runloops_output_stream_resumes_from_the_last_events_offset() {
    let chunk_event =
        |output: &str, offset: u64| format!("data: {{\"output\": \"{output}\", \"offset\": {offset}}}\n\n");
    let first = chunk_event("a", 1) + &chunk_event("b", 2);
    let second = chunk_event("c", 3);
    let (base, heads) = raw_server_seeing(move |mut socket, n, _| {
        let (first, second) = (first.clone(), second.clone());
        async move {
            match n {
                // Two events, then silence: the idle timeout ends this connection.
                1 => {
                    socket.write_all(SSE_HEAD).await.unwrap();
                    chunk(&mut socket, first.as_bytes()).await.unwrap();
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
                // A body that ends cleanly but inside an event: a truncation, resumed too.
                2 => answer(socket, &(second + "data: {\"output\": \"d\""), None).await,
                _ => answer(socket, &(chunk_event("d", 4) + "data: [DONE]\n\n"), None).await,
            }
        }
    })
    .await;
    let stream = client(&base)
        .devboxes()
        .executions()
        .stream_stdout_updates("dbx_1", "exe_1")
        .offset("0")
        .idle_timeout(Duration::from_millis(300))
        .await
        .unwrap();
    let outputs: Vec<String> = stream.map(|e| e.unwrap().data.output).collect().await;
    assert_eq!(outputs, ["a", "b", "c", "d"]);
    let heads = heads.lock().unwrap();
    let targets: Vec<&str> = heads.iter().map(|h| target(h)).collect();
    let path = "/v1/devboxes/dbx_1/executions/exe_1/stream_stdout_updates";
    assert_eq!(
        targets,
        [format!("{path}?offset=0"), format!("{path}?offset=2"), format!("{path}?offset=3")],
        "the offset the caller set, then the last event's, replacing it"
    );
}

#[tokio::test]
async fn reconnections_in_a_row_are_bounded_and_the_stream_ends_with_the_drop() {
    // Every connection drops before its first event.
    let (base, requests) = raw_server(|socket, _| answer(socket, "", Some("data: {"))).await;
    let mut stream = client(&base).devboxes().watch_evictions().max_reconnects(2).await.unwrap();
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(error, Error::BodyCut { .. }), "{error:?}");
    assert!(stream.next().await.is_none(), "the stream ends after its error");
    assert_eq!(requests.load(Ordering::SeqCst), 3, "the call, then 2 reconnections");

    // `0` turns resumption off.
    let (base, requests) =
        raw_server(|socket, _| async move { answer(socket, &eviction(1), Some("data: {")).await }).await;
    let items: Vec<_> = client(&base).devboxes().watch_evictions().max_reconnects(0).await.unwrap().collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(items[1], Err(Error::BodyCut { .. })), "{items:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_stream_without_a_position_to_resume_from_is_not_resent_once_it_delivered() {
    // Events without ids: after one was delivered, starting over would deliver it again.
    let (base, requests) = raw_server(|socket, _| {
        answer(socket, "data: {\"devbox_id\": \"dbx_1\", \"eviction_deadline_ms\": 1}\n\n", Some("data: {"))
    })
    .await;
    let items: Vec<_> = client(&base).devboxes().watch_evictions().await.unwrap().collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(items[1], Err(Error::BodyCut { .. })), "{items:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_stream_that_is_not_idempotent_is_never_resent() {
    let (base, requests) = raw_server(|socket, _| answer(socket, "id: 1\ndata: one\n\n", Some("data: tw"))).await;
    let client = runtime::Client::builder().base_url(base).build().unwrap();
    let live = |method: reqwest::Method| {
        runtime::RequestBuilder::live(&client, method, "chat", Ok("/chat".into()), runtime::event_stream_text)
            .resumable(runtime::Resume::LastEventId)
    };
    let items: Vec<_> = live(reqwest::Method::POST).await.unwrap().collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(items[1], Err(runtime::Error::BodyCut { .. })), "{items:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1, "a POST stream is not sent again");

    // Unless the call opts in, as for retries.
    let items: Vec<_> =
        live(reqwest::Method::POST).retry_non_idempotent(true).max_reconnects(1).await.unwrap().collect().await;
    let data: Vec<_> = items.iter().map(|i| i.as_ref().map(|e| e.data.as_str()).ok()).collect();
    assert_eq!(data, [Some("one"), Some("one"), None], "resent once, from the same id (the server ignores it)");
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}
