//! JSON Lines and JSON text sequences: the record splitter, fed bytes as they arrive, and
//! `JsonLines`, which decodes each record.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::StatusCode;

use super::error::excerpt;
use super::live::{ByteStream, LiveBody};
use super::{Error, decode_json};

/// Splits a JSON Lines (`application/jsonl`, `application/x-ndjson`) or JSON text sequence
/// (`application/json-seq`, RFC 7464) body into records as bytes arrive: records end at LF (a CR
/// before it is dropped) or start at RS (0x1E); blank records are skipped. Only the current record
/// is held.
#[derive(Debug, Default)]
pub(crate) struct LineSplitter {
    line: Vec<u8>,
}

impl LineSplitter {
    // Only specs with JSON Lines responses split lines.
    #[allow(dead_code)]
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Splits `bytes`, pushing every record they complete.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<Vec<u8>>) {
        for &b in bytes {
            if b == b'\n' || b == 0x1E {
                self.end(out);
            } else {
                self.line.push(b);
            }
        }
    }

    /// The last record, at the end of the body (a final line need not end with LF).
    pub(crate) fn finish(&mut self, out: &mut VecDeque<Vec<u8>>) {
        self.end(out);
    }

    fn end(&mut self, out: &mut VecDeque<Vec<u8>>) {
        let mut line = std::mem::take(&mut self.line);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push_back(line);
        }
    }
}

/// A stream of JSON values, one per line (`application/jsonl`, `application/x-ndjson`) or record
/// (`application/json-seq`), each decoded as it arrives: a [`Stream`] of `Result<T, Error>`.
/// Dropping it closes the connection.
///
// `ignore`, not a doctest: this file is the same in every generated crate and cannot name the crate;
// the crate docs' and the methods' examples name it and are compiled.
/// ```ignore
/// # async fn run(mut lines: crate_name::JsonLines<serde_json::Value>) -> Result<(), crate_name::Error> {
/// while let Some(item) = lines.next().await {
///     println!("{:?}", item?);
/// }
/// # Ok(())
/// # }
/// ```
pub struct JsonLines<T> {
    chunks: ByteStream,
    status: StatusCode,
    request_id: Option<String>,
    splitter: LineSplitter,
    ready: VecDeque<Vec<u8>>,
    done: bool,
    ty: std::marker::PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines").field("body", &self.chunks).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned> JsonLines<T> {
    /// The next value, or `None` at the end of the stream.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: serde::de::DeserializeOwned> Stream for JsonLines<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(line) = this.ready.pop_front() {
                let item = decode_json(&line).map_err(|(path, message)| Error::Decode {
                    operation: this.chunks.operation,
                    status: this.status,
                    path,
                    message,
                    excerpt: excerpt(&line, 256),
                    request_id: this.request_id.clone(),
                });
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.chunks).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => this.splitter.feed(&chunk, &mut this.ready),
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    this.ready.clear();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    this.splitter.finish(&mut this.ready);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// A JSON Lines stream of `T`.
// Only specs with JSON Lines responses split lines.
#[allow(dead_code)]
pub(crate) fn json_lines<T: serde::de::DeserializeOwned>(body: LiveBody) -> JsonLines<T> {
    let request_id = body.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    JsonLines {
        chunks: body.chunks,
        status: body.status,
        request_id,
        splitter: LineSplitter::new(),
        ready: VecDeque::new(),
        done: false,
        ty: std::marker::PhantomData,
    }
}
