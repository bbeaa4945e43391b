//! A raw HTTP/1.1 server on a `TcpListener`, for tests where the server must control every write
//! (one byte at a time, stalls, dying midway, seeing the client hang up), and the chunked-body
//! writer they answer with. Included by path (`#[path = "support/raw_http.rs"] mod raw_http;`)
//! by the test files that need it.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The head of a chunked event-stream response.
pub const SSE_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";

/// Reads one request (head and a `Content-Length` body) and returns its head.
pub async fn read_request(socket: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.unwrap_or(0) == 0 {
            break;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    socket.read_exact(&mut body).await.unwrap();
    head
}

/// A raw HTTP/1.1 server: `handler` gets each connection after its request was read, and the
/// number of the request (from 1). Returns the base URL and the count of requests.
pub async fn raw_server<F, Fut>(handler: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (base, count, _) = serve(move |socket, n, _| handler(socket, n)).await;
    (base, count)
}

/// A raw server like [`raw_server`] whose handler also gets the request's head; returns the base
/// URL and every request head received, in order.
#[allow(dead_code)] // Not every test file that includes this reads the heads.
pub async fn raw_server_seeing<F, Fut>(handler: F) -> (String, Arc<Mutex<Vec<String>>>)
where
    F: Fn(TcpStream, usize, String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (base, _, heads) = serve(handler).await;
    (base, heads)
}

async fn serve<F, Fut>(handler: F) -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>)
where
    F: Fn(TcpStream, usize, String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let (seen, kept) = (Arc::clone(&count), Arc::clone(&heads));
    let handler = Arc::new(handler);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            socket.set_nodelay(true).unwrap();
            let handler = Arc::clone(&handler);
            let kept = Arc::clone(&kept);
            let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::spawn(async move {
                let head = read_request(&mut socket).await;
                kept.lock().unwrap().push(head.clone());
                handler(socket, n, head).await;
            });
        }
    });
    (format!("http://{addr}"), count, heads)
}

/// Writes one chunk of a chunked body.
pub async fn chunk(socket: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    socket.write_all(format!("{:x}\r\n", data.len()).as_bytes()).await?;
    socket.write_all(data).await?;
    socket.write_all(b"\r\n").await?;
    socket.flush().await
}
