//! JSON Lines and JSON text sequences: the record splitter, fed bytes as they arrive, and
//! `JsonLines`, which decodes each record.
//!
//! A stream holds at most one record, within `ClientBuilder::max_line_bytes`; past it, it yields
//! `Error::LimitExceeded` and ends. A last line without a line end is a whole record, unless its
//! JSON value is cut short: then the stream yields `Error::Truncated`.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::StatusCode;

use super::error::StreamPart;
use super::live::{ByteStream, LiveBody, StreamLimits, push_bytes};
use super::{Error, decode_json};

/// Splits a JSON Lines (`application/jsonl`, `application/x-ndjson`) or JSON text sequence
/// (`application/json-seq`, RFC 7464) body into records as bytes arrive: records end at LF (a CR
/// before it is dropped) or start at RS (0x1E); blank records are skipped.
///
/// Only the current record is held, within its limit: a record longer than `max` bytes (its LF,
/// and a CR before it, not counted) makes `feed` return [`StreamPart::JsonLine`] at the byte that
/// passed it; the splitter then drops what it held and takes no more input, so the rest of that
/// line is never buffered.
#[derive(Debug)]
pub(crate) struct LineSplitter {
    line: Vec<u8>,
    max: usize,
    /// A limit was passed: the splitter takes no more input.
    failed: bool,
}

impl LineSplitter {
    /// A splitter with the default limit (`client.rs`).
    // Only specs with JSON Lines responses split lines.
    #[allow(dead_code)]
    pub(crate) fn new() -> Self {
        Self::with_limit(StreamLimits::default().line)
    }

    /// A splitter holding at most `max` bytes of a record.
    pub(crate) fn with_limit(max: usize) -> Self {
        Self { line: Vec::new(), max, failed: false }
    }

    /// Splits `bytes`, pushing every record they complete. `Err` when a record passed the limit
    /// (this time or before): the records pushed before it are complete, and nothing after it is
    /// read.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<Vec<u8>>) -> Result<(), StreamPart> {
        if self.failed {
            return Err(StreamPart::JsonLine);
        }
        let mut rest = bytes;
        while !rest.is_empty() {
            let end = rest.iter().position(|&b| b == b'\n' || b == 0x1E);
            // One byte over the limit is held: it may be the CR of a CRLF, which `end` drops.
            let piece = &rest[..end.unwrap_or(rest.len())];
            if !push_bytes(&mut self.line, piece, self.max.saturating_add(1)) {
                return Err(self.fail());
            }
            let Some(end) = end else { break };
            rest = &rest[end + 1..];
            if let Some(line) = self.end()? {
                out.push_back(line);
            }
        }
        Ok(())
    }

    /// The last record, at the end of the body (a final line need not end with LF), if it is not
    /// blank; `Err` when it is longer than the limit.
    pub(crate) fn finish(&mut self) -> Result<Option<Vec<u8>>, StreamPart> {
        if self.failed {
            return Err(StreamPart::JsonLine);
        }
        self.end()
    }

    /// Records the limit passed and lets go of what was held.
    fn fail(&mut self) -> StreamPart {
        self.failed = true;
        self.line = Vec::new();
        StreamPart::JsonLine
    }

    /// The record that just ended, if it is not blank.
    fn end(&mut self) -> Result<Option<Vec<u8>>, StreamPart> {
        let mut line = std::mem::take(&mut self.line);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > self.max {
            return Err(self.fail());
        }
        Ok((!line.iter().all(u8::is_ascii_whitespace)).then_some(line))
    }
}

/// Whether a record is JSON cut short: a value begun and not finished (an open object, array or
/// string, a keyword's first letters). A record cut after a whole value (a number's first digits)
/// cannot be told from a complete one.
fn cut_short(record: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(record)
        .is_err_and(|e| e.classify() == serde_json::error::Category::Eof)
}

/// A stream of JSON values, one per line (`application/jsonl`, `application/x-ndjson`) or record
/// (`application/json-seq`), each decoded as it arrives: a [`Stream`] of `Result<T, Error>`.
/// Dropping it closes the connection.
///
/// How a stream ends, after the records completed before it:
///
/// - `None`: the body ended after a record. The last line needs no line end: a body's final
///   record is complete when its JSON value is.
/// - [`Error::Truncated`], then `None`: the body ended inside the last line's JSON value (an
///   object, array or string left open). A value cut where it could have ended (`12` of `123`)
///   cannot be told from a whole one; a cut inside a line that was ended would be an
///   [`Error::Decode`] of that line.
/// - [`Error::LimitExceeded`], then `None`: a line passed
///   [`RequestBuilder::max_line_bytes`](super::RequestBuilder::max_line_bytes); the connection is
///   closed at once, and the rest of the body is never read or held.
/// - [`Error::IdleTimeout`] or [`Error::BodyCut`] (the connection failed), then `None`.
///
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
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
    /// The body's last record when it had no line end: complete unless its JSON is cut short.
    last: Option<Vec<u8>>,
    /// The error that ends the stream, yielded once the records before it are.
    failed: Option<Error>,
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
        let operation = this.chunks.operation;
        loop {
            let line = match this.ready.pop_front() {
                Some(line) => Some(line),
                None => match this.last.take() {
                    Some(last) if cut_short(&last) => {
                        return Poll::Ready(Some(Err(Error::Truncated { operation, part: StreamPart::JsonLine })));
                    }
                    last => last,
                },
            };
            if let Some(line) = line {
                let item = decode_json(&line)
                    .map_err(|e| Error::decode(operation, this.status, this.request_id.clone(), &line, e));
                return Poll::Ready(Some(item));
            }
            if let Some(error) = this.failed.take() {
                return Poll::Ready(Some(Err(error)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.chunks).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(part) = this.splitter.feed(&chunk, &mut this.ready) {
                        this.done = true;
                        this.failed = Some(Error::LimitExceeded { operation, part, max_bytes: this.splitter.max });
                        // Closes the connection now: the rest of the body is not read.
                        this.chunks.inner = None;
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    this.ready.clear();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    match this.splitter.finish() {
                        Ok(last) => this.last = last,
                        Err(part) => {
                            this.failed = Some(Error::LimitExceeded { operation, part, max_bytes: this.splitter.max });
                        }
                    }
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
    let request_id = super::request::request_id(&body.headers).map(str::to_owned);
    JsonLines {
        chunks: body.chunks,
        status: body.status,
        request_id,
        splitter: LineSplitter::with_limit(body.limits.line),
        ready: VecDeque::new(),
        last: None,
        failed: None,
        done: false,
        ty: std::marker::PhantomData,
    }
}
