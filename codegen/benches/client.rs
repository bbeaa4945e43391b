//! The generated client's per-request cost against a hand-written `reqwest` call doing the same
//! request, in the same run, against the same in-process server returning the seed's
//! `DevboxAsyncExecutionDetailView`.
//!
//! `cargo bench -p codegen --bench client`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use runloop::types::{DevboxAsyncExecutionDetailView, DevboxCreateExecutionParameters};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: &str = r#"{"devbox_id":"dbx_2xMDUOsKMiZBYKsvSRtMA","execution_id":"exe_2xMDUOsKMiZBYKsvSRtMA","status":"completed","shell_name":null,"stdout":"total 0\ndrwxr-xr-x 2 user user 40 Jan 1 00:00 .\n","stderr":"","exit_status":0,"stdout_truncated":false,"stderr_truncated":false}"#;

/// A minimal keep-alive HTTP/1.1 server answering every request with `BODY`. Hand-written so the
/// server's own cost is tiny and identical for both clients (a full server framework would
/// dominate the measurement).
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: req_1\r\n\r\n{BODY}",
        BODY.len()
    );
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // Read one request: headers, then content-length bytes of body.
                    let (head_end, body_len) = loop {
                        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                            let len = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            break (end + 4, len);
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    while buf.len() < head_end + body_len {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..head_end + body_len);
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let base = rt.block_on(serve());
    let client = runloop::Client::builder().api_key("sk_bench").base_url(&base).build().unwrap();
    let http = reqwest::Client::builder().connect_timeout(Duration::from_secs(5)).build().unwrap();
    let params = DevboxCreateExecutionParameters::new("ls -la");

    let mut group = c.benchmark_group("execute_async");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("generated client", |b| {
        b.to_async(&rt).iter(|| async {
            let view = client.devboxes().execute_async("dbx_2xMDUOsKMiZBYKsvSRtMA", &params).await.unwrap();
            assert_eq!(view.exit_status.as_ref(), Some(&0));
        })
    });
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            // The same request: URL, bearer auth, JSON body, a timeout, decode the typed view.
            let response = http
                .post(format!("{base}/v1/devboxes/dbx_2xMDUOsKMiZBYKsvSRtMA/execute_async"))
                .header("authorization", "Bearer sk_bench")
                .header("content-type", "application/json")
                .timeout(Duration::from_secs(30))
                .body(serde_json::to_vec(&params).unwrap())
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            let view: DevboxAsyncExecutionDetailView = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(view.exit_status.as_ref(), Some(&0));
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
