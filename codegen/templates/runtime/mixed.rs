//! `multipart/mixed` (and every other `multipart/*` but `form-data`): the splitter that reads a
//! response's parts as bytes arrive, `PartStream`, which decodes each part, and the boundary of
//! the request bodies written as parts (`body.rs` writes them).
//!
//! A stream holds at most one part (its headers and content), within
//! `ClientBuilder::max_part_bytes`; past it, it yields `Error::LimitExceeded` and ends. A body
//! that ends before its closing boundary yields `Error::Truncated`: a part is never handed over
//! unless its closing delimiter arrived.
//!
//! Written here rather than with `multer`: multer would add `encoding_rs`, `mime` and `spin` to
//! every generated crate for one kind of response, and its `next_field(&mut self)` futures borrow
//! the reader, which a `Stream` can hold only as a boxed self-referential future. Part headers are
//! parsed by `httparse` (already compiled for hyper).

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::error::StreamPart;
use super::live::{ByteStream, LiveBody, push_bytes};
use super::{Error, decode_json, decode_text};

/// The most header fields one part may have.
const MAX_PART_HEADERS: usize = 64;

/// The boundary of a `multipart/*` content type (`multipart/mixed; boundary="abc"` → `abc`): 1 to
/// 70 characters (RFC 2046), quoted or not.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim();
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        (1..=70).contains(&value.len()).then(|| value.to_owned())
    })
}

/// A new boundary for a request body: 40 random letters and digits (RFC 2046 allows 70), which
/// no part can be expected to contain by chance.
pub(crate) fn new_boundary() -> String {
    (0..40).map(|_| fastrand::alphanumeric()).collect()
}

/// One part as it arrived: its headers and its content.
#[derive(Debug)]
pub(crate) struct RawPart {
    pub(crate) headers: HeaderMap,
    pub(crate) content: Vec<u8>,
}

/// Where the splitter is in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before the first delimiter: the preamble, ignored.
    Preamble,
    /// Just after a delimiter: `--` (the close delimiter) or padding and a line end.
    Delimiter,
    /// A part's header fields, up to the empty line.
    Headers,
    /// A part's content, up to the next delimiter.
    Content,
    /// After the close delimiter: the epilogue, ignored.
    Epilogue,
}

/// Why the splitter stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SplitError {
    /// A part passed the limit.
    Limit,
    /// The body is not multipart as RFC 2046 writes it: what was wrong.
    Malformed(String),
}

/// The most bytes of header fields one part may have (less when the part limit is smaller).
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The most bytes of transport padding (spaces and tabs) after a boundary.
const MAX_PADDING: usize = 1024;

/// Splits a `multipart/*` body into parts as bytes arrive (RFC 2046 §5.1.1): a part starts after a
/// delimiter line (`--boundary`) and ends at the CRLF before the next; the preamble before the
/// first delimiter and the epilogue after the close delimiter (`--boundary--`) are dropped. A
/// part may have no header fields, and no content (the next delimiter right after its headers).
///
/// Only the current part is held: its header fields within 64 KiB (and `max`), its content within
/// `max` bytes, and the few bytes of a delimiter that may be starting; more makes `feed` return
/// [`SplitError::Limit`], and the splitter takes no more input. Every byte is looked at a bounded
/// number of times, whatever the chunks: searches resume where the last one stopped, and what is
/// consumed is dropped once per chunk.
#[derive(Debug)]
pub(crate) struct PartSplitter {
    /// `\r\n--boundary`: every delimiter, the first one included (the body is read as if it
    /// started with a line end, so a first delimiter on the first line is found the same way).
    delimiter: Vec<u8>,
    buf: Vec<u8>,
    /// Where the unread bytes of `buf` start; what is before was consumed.
    start: usize,
    state: State,
    headers: HeaderMap,
    /// How many unread bytes are known to hold no start of what the state looks for: the next
    /// search begins there.
    searched: usize,
    pub(crate) max: usize,
    /// The error that stopped the splitter: it takes no more input.
    failed: Option<SplitError>,
}

impl PartSplitter {
    /// A splitter for parts separated by `boundary`, holding at most `max` bytes of a part.
    pub(crate) fn new(boundary: &str, max: usize) -> Self {
        let mut delimiter = b"\r\n--".to_vec();
        delimiter.extend_from_slice(boundary.as_bytes());
        Self {
            delimiter,
            buf: b"\r\n".to_vec(),
            start: 0,
            state: State::Preamble,
            headers: HeaderMap::new(),
            searched: 0,
            max,
            failed: None,
        }
    }

    /// The most unread bytes held at once: a part's content with the line end before it, its
    /// delimiter and the two bytes after it (its header fields are fewer).
    fn capacity(&self) -> usize {
        self.max.saturating_add(self.delimiter.len()).saturating_add(4)
    }

    /// Splits `bytes`, pushing every part they complete. `Err` when a part passed the limit or the
    /// body is malformed (this time or before): the parts pushed before it are complete, and
    /// nothing after it is read.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<RawPart>) -> Result<(), SplitError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let mut rest = bytes;
        while !rest.is_empty() && self.state != State::Epilogue {
            if self.start > 0 {
                self.buf.drain(..self.start);
                self.start = 0;
            }
            let capacity = self.capacity();
            let take = capacity.saturating_sub(self.buf.len()).min(rest.len());
            if take == 0 || !push_bytes(&mut self.buf, &rest[..take], capacity) {
                return Err(self.fail(SplitError::Limit));
            }
            rest = &rest[take..];
            if let Err(e) = self.split(out) {
                return Err(self.fail(e));
            }
        }
        Ok(())
    }

    /// Records the error that stops the splitter and lets go of what was held.
    fn fail(&mut self, error: SplitError) -> SplitError {
        self.failed = Some(error.clone());
        self.buf = Vec::new();
        self.start = 0;
        error
    }

    /// Whether the body ended where it may: after the close delimiter. The error that stopped the
    /// splitter, if one did.
    pub(crate) fn finish(&self) -> Result<bool, SplitError> {
        match &self.failed {
            Some(e) => Err(e.clone()),
            None => Ok(self.state == State::Epilogue),
        }
    }

    /// Moves through what is unread as far as it goes.
    fn split(&mut self, out: &mut VecDeque<RawPart>) -> Result<(), SplitError> {
        loop {
            let unread = &self.buf[self.start..];
            match self.state {
                State::Preamble => match find_from(unread, &self.delimiter, self.searched) {
                    Some(at) => self.advance(at + self.delimiter.len(), State::Delimiter),
                    None => {
                        // Only what may be the start of the first delimiter is kept.
                        let keep = (self.delimiter.len() - 1).min(unread.len());
                        self.start += unread.len() - keep;
                        self.searched = 0;
                        return Ok(());
                    }
                },
                State::Delimiter => {
                    if unread.starts_with(b"--") {
                        self.state = State::Epilogue;
                        self.buf = Vec::new();
                        self.start = 0;
                        return Ok(());
                    }
                    let padding = |bytes: &[u8]| bytes.iter().all(|b| matches!(b, b' ' | b'\t'));
                    match find_from(unread, b"\r\n", 0) {
                        Some(end) if padding(&unread[..end]) => self.advance(end + 2, State::Headers),
                        None if unread.len() < 2
                            || (padding(&unread[..unread.len() - 1]) && unread.len() <= MAX_PADDING) =>
                        {
                            return Ok(());
                        }
                        _ => return Err(SplitError::Malformed("a delimiter line goes on after its boundary".into())),
                    }
                }
                State::Headers => {
                    // The header fields end at an empty line: at once when there are none.
                    let blank = if unread.starts_with(b"\r\n") {
                        Some(0)
                    } else {
                        find_from(unread, b"\r\n\r\n", self.searched).map(|at| at + 2)
                    };
                    let limit = MAX_HEADER_BYTES.min(self.max);
                    let Some(blank) = blank else {
                        if unread.len() > limit {
                            return Err(SplitError::Limit);
                        }
                        self.searched = unread.len().saturating_sub(3);
                        return Ok(());
                    };
                    if blank > limit {
                        return Err(SplitError::Limit);
                    }
                    let mut fields = [httparse::EMPTY_HEADER; MAX_PART_HEADERS];
                    match httparse::parse_headers(&unread[..blank + 2], &mut fields) {
                        Ok(httparse::Status::Complete((used, fields))) if used == blank + 2 => {
                            self.headers = headers(fields)?;
                        }
                        Ok(_) => return Err(SplitError::Malformed("a part's header fields".into())),
                        Err(e) => return Err(SplitError::Malformed(format!("a part's header fields: {e}"))),
                    }
                    // The empty line's CRLF stays: a delimiter right after it is an empty part.
                    self.advance(blank, State::Content);
                }
                State::Content => match find_from(unread, &self.delimiter, self.searched) {
                    Some(at) => {
                        // `unread` starts with the CRLF of the empty line: `at` is 0 or at least 2.
                        let content = &unread[at.min(2)..at];
                        if content.len() > self.max {
                            return Err(SplitError::Limit);
                        }
                        out.push_back(RawPart {
                            headers: std::mem::take(&mut self.headers),
                            content: content.to_vec(),
                        });
                        self.advance(at + self.delimiter.len(), State::Delimiter);
                    }
                    None => {
                        self.searched = unread.len().saturating_sub(self.delimiter.len() - 1);
                        if unread.len() >= self.capacity() {
                            return Err(SplitError::Limit);
                        }
                        return Ok(());
                    }
                },
                State::Epilogue => return Ok(()),
            }
        }
    }

    /// Consumes `n` unread bytes and moves to `state`, whose search starts afresh.
    fn advance(&mut self, n: usize, state: State) {
        self.start += n;
        self.searched = 0;
        self.state = state;
    }
}

/// The first place `needle` occurs in `haystack` at or after `from`.
fn find_from(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|at| from + at)
}

/// Parsed header fields as a `HeaderMap`.
fn headers(fields: &[httparse::Header<'_>]) -> Result<HeaderMap, SplitError> {
    let mut map = HeaderMap::with_capacity(fields.len());
    for field in fields {
        let name = HeaderName::from_bytes(field.name.as_bytes())
            .map_err(|_| SplitError::Malformed(format!("a part's header name {:?}", field.name)))?;
        let value = HeaderValue::from_bytes(field.value)
            .map_err(|_| SplitError::Malformed(format!("the value of a part's {name} header")))?;
        map.append(name, value);
    }
    Ok(map)
}

/// How a part's content becomes a `T`: `Err((path, message))` as `decode_json` gives.
type Decoder<T> = fn(&[u8]) -> Result<T, (String, String)>;

/// One part of a `multipart/mixed` response: its headers and its content, decoded.
#[derive(Clone, Debug)]
pub struct Part<T> {
    headers: HeaderMap,
    value: T,
}

impl<T> Part<T> {
    /// The part's header fields (`Content-Type`, `Content-ID`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The part's `Content-Type`, if it has one that is text.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The part's content, decoded.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The part's content, decoded, without its headers.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// The parts of a `multipart/mixed` response, each decoded as it arrives: a [`Stream`] of
/// `Result<Part<T>, Error>`. Dropping it closes the connection.
///
/// How a stream ends, after the parts completed before it:
///
/// - `None`: the body reached its closing boundary (the epilogue after it is not read).
/// - [`Error::Truncated`], then `None`: the body ended before its closing boundary. The part it
///   ended in is not handed over: a part is complete only when the delimiter after it arrived.
/// - [`Error::LimitExceeded`], then `None`: a part passed
///   [`RequestBuilder::max_part_bytes`](super::RequestBuilder::max_part_bytes); the connection is
///   closed at once, and the rest of the body is never read or held.
/// - [`Error::Decode`], then `None`: the response's `Content-Type` names no boundary, or the body
///   is not multipart (a delimiter line with more after the boundary, malformed part headers).
///   A part whose content does not decode as `T` is an [`Error::Decode`] of that part alone: the
///   stream goes on.
/// - [`Error::IdleTimeout`] or [`Error::BodyCut`] (the connection failed), then `None`.
///
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
/// # async fn run(mut parts: crate_name::PartStream<serde_json::Value>) -> Result<(), crate_name::Error> {
/// while let Some(part) = parts.next().await {
///     let part = part?;
///     println!("{:?}: {:?}", part.content_type(), part.value());
/// }
/// # Ok(())
/// # }
/// ```
pub struct PartStream<T> {
    chunks: ByteStream,
    status: StatusCode,
    request_id: Option<String>,
    /// `None` when the response named no boundary (then `failed` says so).
    splitter: Option<PartSplitter>,
    ready: VecDeque<RawPart>,
    /// The error that ends the stream, yielded once the parts before it are.
    failed: Option<Error>,
    done: bool,
    decode: Decoder<T>,
}

impl<T> fmt::Debug for PartStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartStream").field("body", &self.chunks).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T> PartStream<T> {
    /// The next part, or `None` at the end of the stream.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<Part<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The error a splitter's failure ends the stream with.
    fn split_error(&self, e: SplitError) -> Error {
        let operation = self.chunks.operation;
        match e {
            SplitError::Limit => Error::LimitExceeded {
                operation,
                part: StreamPart::MultipartPart,
                max_bytes: self.splitter.as_ref().map_or(0, |s| s.max),
            },
            SplitError::Malformed(message) => self.decode_error(format!("not a multipart body: {message}"), &[]),
        }
    }

    fn decode_error(&self, message: String, content: &[u8]) -> Error {
        Error::decode(self.chunks.operation, self.status, self.request_id.clone(), content, (".".into(), message))
    }
}

impl<T> Stream for PartStream<T> {
    type Item = Result<Part<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(part) = this.ready.pop_front() {
                let item =
                    (this.decode)(&part.content).map(|value| Part { headers: part.headers, value }).map_err(|e| {
                        Error::decode(this.chunks.operation, this.status, this.request_id.clone(), &part.content, e)
                    });
                return Poll::Ready(Some(item));
            }
            if let Some(error) = this.failed.take() {
                return Poll::Ready(Some(Err(error)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let Some(splitter) = this.splitter.as_mut() else {
                this.done = true;
                continue;
            };
            match Pin::new(&mut this.chunks).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(e) = splitter.feed(&chunk, &mut this.ready) {
                        this.done = true;
                        this.failed = Some(this.split_error(e));
                        // Closes the connection now: the rest of the body is not read.
                        this.chunks.inner = None;
                    } else if splitter.finish() == Ok(true) {
                        // The closing boundary arrived: the epilogue is not read.
                        this.done = true;
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
                    match splitter.finish() {
                        Ok(true) => {}
                        Ok(false) => {
                            let operation = this.chunks.operation;
                            this.failed = Some(Error::Truncated { operation, part: StreamPart::MultipartPart });
                        }
                        Err(e) => this.failed = Some(this.split_error(e)),
                    }
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// A part stream decoding each part with `decode`.
fn part_stream<T>(body: LiveBody, decode: Decoder<T>) -> PartStream<T> {
    let request_id = super::request::request_id(&body.headers).map(str::to_owned);
    let content_type = body.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let splitter = content_type.and_then(boundary).map(|b| PartSplitter::new(&b, body.limits.part));
    let mut stream = PartStream {
        chunks: body.chunks,
        status: body.status,
        request_id,
        splitter,
        ready: VecDeque::new(),
        failed: None,
        done: false,
        decode,
    };
    if stream.splitter.is_none() {
        let shown = content_type.unwrap_or("no Content-Type").to_owned();
        stream.failed =
            Some(stream.decode_error(format!("the response's Content-Type names no boundary: {shown}"), &[]));
        stream.chunks.inner = None;
    }
    stream
}

/// A part stream of JSON values of `T`.
// Only specs with `multipart/mixed` responses read parts.
#[allow(dead_code)]
pub(crate) fn part_stream_json<T: serde::de::DeserializeOwned>(body: LiveBody) -> PartStream<T> {
    part_stream(body, decode_json)
}

/// A part stream of text (UTF-8).
#[allow(dead_code)]
pub(crate) fn part_stream_text(body: LiveBody) -> PartStream<String> {
    part_stream(body, decode_text)
}

/// A part stream of bytes, as they arrived.
#[allow(dead_code)]
pub(crate) fn part_stream_bytes(body: LiveBody) -> PartStream<Vec<u8>> {
    part_stream(body, |content| Ok(content.to_vec()))
}
