//! Server-sent events (`text/event-stream`): the parser, fed bytes as they arrive, and
//! `EventStream`, which decodes each event's data.
//!
//! A stream holds at most one line and one event's data, each within its limit
//! (`ClientBuilder::max_line_bytes`, `max_event_bytes`); past one, it yields
//! `Error::LimitExceeded` and ends. A body that ends inside an event yields `Error::Truncated`:
//! the WHATWG standard has browsers discard an event without its final blank line, silently; the
//! event is discarded here too, but the loss is reported, because a stream that simply ended would
//! look complete to a `while let` loop. A resumable stream (`resume.rs`) reconnects instead of
//! reporting a drop, and its new body's parser starts from the last event id.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use reqwest::StatusCode;

use super::error::StreamPart;
use super::live::{ByteStream, LiveBody, StreamLimits, push_bytes, push_text};
use super::resume::Resuming;
use super::{Error, decode_json};

/// One server-sent event: its data decoded as `T`, with the event name, id and retry hint.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event:` field; `"message"` when the event has none.
    pub event: String,
    /// The last `id:` seen on the stream so far (the event's own, or an earlier one), if any:
    /// what `Last-Event-ID` would carry on a reconnection.
    pub id: Option<String>,
    /// The `retry:` field of this event, if it had one.
    pub retry: Option<Duration>,
    /// The data.
    pub data: T,
}

/// An event as parsed, before its data is decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The `event:` field, `"message"` by default.
    pub(crate) event: String,
    /// The `data:` lines joined with `\n`.
    pub(crate) data: String,
    /// The last event id.
    pub(crate) id: Option<String>,
    /// The `retry:` field, in milliseconds.
    pub(crate) retry: Option<u64>,
}

/// The `text/event-stream` parser of the WHATWG HTML standard (§9.2.6), fed with bytes as they
/// arrive: lines end with CR, LF or CRLF (a CRLF may be split between chunks); a leading BOM is
/// skipped; lines are decoded as UTF-8 only once complete, so a chunk may end inside a character.
///
/// Only the current line and the current event's fields are held, each within its limit: a line
/// longer than `max_line` bytes (its line end not counted) or an event whose data (its `data:`
/// lines joined with `\n`) is longer than `max_data` bytes makes `feed` return the part whose
/// limit was passed, at the byte that passed it; the parser then drops what it held and takes
/// no more input, so the rest of that line is never buffered.
#[derive(Debug)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    /// The last byte was a CR: a LF right after it ends nothing.
    after_cr: bool,
    /// A line has ended: a BOM is skipped only at the start of the first one.
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    id: Option<String>,
    retry: Option<u64>,
    /// A field (not a comment) was seen since the last blank line: an event is under way, and a
    /// body ending now ends inside it.
    in_event: bool,
    max_line: usize,
    max_data: usize,
    /// The limit that was passed, once one was: the parser takes no more input.
    failed: Option<StreamPart>,
}

/// The byte order mark, skipped at the start of a stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl SseParser {
    /// A parser with the default limits (`client.rs`).
    // Only specs with event streams parse events.
    #[allow(dead_code)]
    pub(crate) fn new() -> Self {
        let limits = StreamLimits::default();
        Self::with_limits(limits.line, limits.event)
    }

    /// A parser holding at most `max_line` bytes of a line and `max_data` bytes of an event's data.
    pub(crate) fn with_limits(max_line: usize, max_data: usize) -> Self {
        Self {
            line: Vec::new(),
            after_cr: false,
            started: false,
            data: String::new(),
            has_data: false,
            event: String::new(),
            id: None,
            retry: None,
            in_event: false,
            max_line,
            max_data,
            failed: None,
        }
    }

    /// Parses `bytes`, pushing every event they complete. `Err` names the limit passed (this
    /// time or before): the events pushed before it are complete, and nothing after it is read.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), StreamPart> {
        if let Some(part) = self.failed {
            return Err(part);
        }
        let mut rest = bytes;
        while let Some(&first) = rest.first() {
            // A LF right after a CR completes a CRLF whose CR already ended the line.
            if std::mem::take(&mut self.after_cr) && first == b'\n' {
                rest = &rest[1..];
                continue;
            }
            // The line's bytes up to its end, or to the end of the chunk, are appended at once,
            // checked against the limit before they are held.
            let end = rest.iter().position(|&b| b == b'\r' || b == b'\n');
            let piece = &rest[..end.unwrap_or(rest.len())];
            if !push_bytes(&mut self.line, piece, self.max_line) {
                return Err(self.fail(StreamPart::EventStreamLine));
            }
            let Some(end) = end else { break };
            self.after_cr = rest[end] == b'\r';
            rest = &rest[end + 1..];
            self.end_line(out)?;
        }
        Ok(())
    }

    /// At the end of the body: `Err` when it ended inside a line or an event, which is then lost
    /// (see [`EventStream`]).
    pub(crate) fn finish(&self) -> Result<(), StreamPart> {
        // A stream of a BOM alone has not started a line.
        let pending = if self.started { &self.line[..] } else { self.line.strip_prefix(BOM).unwrap_or(&self.line) };
        if !pending.is_empty() {
            Err(StreamPart::EventStreamLine)
        } else if self.in_event {
            Err(StreamPart::Event)
        } else {
            Ok(())
        }
    }

    /// Records the limit passed and lets go of what was held.
    fn fail(&mut self, part: StreamPart) -> StreamPart {
        self.failed = Some(part);
        self.line = Vec::new();
        self.data = String::new();
        part
    }

    fn end_line(&mut self, out: &mut VecDeque<RawEvent>) -> Result<(), StreamPart> {
        let line = std::mem::take(&mut self.line);
        let mut line = &line[..];
        if !self.started {
            self.started = true;
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        self.in_event = true;
        // Split at the first colon, on bytes: a colon is ASCII, so this is where it falls in the
        // text too, and only the value needs decoding.
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        match field {
            b"event" => self.event = String::from_utf8_lossy(value).into_owned(),
            b"data" => {
                let joined = !self.has_data || push_text(&mut self.data, "\n", self.max_data);
                if !joined || !push_lossy(&mut self.data, value, self.max_data) {
                    return Err(self.fail(StreamPart::Event));
                }
                self.has_data = true;
            }
            b"id" if !value.contains(&0) => {
                self.id = (!value.is_empty()).then(|| String::from_utf8_lossy(value).into_owned());
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                self.retry = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        self.in_event = false;
        let event = std::mem::take(&mut self.event);
        let retry = self.retry.take();
        if !self.has_data {
            return;
        }
        self.has_data = false;
        out.push_back(RawEvent {
            event: if event.is_empty() { "message".to_owned() } else { event },
            data: std::mem::take(&mut self.data),
            id: self.id.clone(),
            retry,
        });
    }
}

/// Appends `bytes` decoded as UTF-8 (an invalid sequence as U+FFFD) to `text` while it holds at
/// most `max` bytes; `false` once it would hold more. Decoded piece by piece into `text` itself,
/// so no decoded copy of the line is made first.
fn push_lossy(text: &mut String, bytes: &[u8], max: usize) -> bool {
    bytes.utf8_chunks().all(|chunk| {
        push_text(text, chunk.valid(), max) && (chunk.invalid().is_empty() || push_text(text, "\u{FFFD}", max))
    })
}

/// Decodes an event's data.
type EventDecoder<T> = fn(&RawEvent) -> Result<T, (String, String)>;

/// A stream of server-sent events (`text/event-stream`), each decoded as it arrives: a
/// [`Stream`] of `Result<Event<T>, Error>`. A `[DONE]` data line (OpenAI's convention) ends the
/// stream. Dropping it closes the connection.
///
/// An event is delivered when the blank line that ends it arrives. How a stream ends:
///
/// - `None` after the last event: the body ended between events, or with `[DONE]`.
/// - [`Error::Truncated`], then `None`: the body ended inside an event (after some of its lines,
///   or inside a line). The incomplete event is not delivered: the WHATWG standard (HTML §9.2.6)
///   has browsers discard it, and a partial event's data would decode wrongly or not at all. A
///   browser's `EventSource` drops it silently; here the loss is an error, so that a stream cut
///   short never looks complete.
/// - [`Error::LimitExceeded`], then `None`: a line or an event's data passed its limit
///   ([`RequestBuilder::max_line_bytes`](super::RequestBuilder::max_line_bytes),
///   [`max_event_bytes`](super::RequestBuilder::max_event_bytes)); the connection is closed at
///   once, and the rest of the body is never read or held.
/// - [`Error::IdleTimeout`] or [`Error::BodyCut`] (the connection failed), then `None`.
///
/// The events completed before any of these errors are delivered first. A stream the server says
/// how to resume (event ids, or the spec's `x-resume`) does not end on a cut body, an idle
/// timeout or a truncation: it reconnects from the last event delivered and goes on, up to
/// [`RequestBuilder::max_reconnects`](super::RequestBuilder::max_reconnects) times in a row, and
/// the incomplete event is not lost, since the server sends it again.
///
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
/// # async fn run(mut events: crate_name::EventStream<serde_json::Value>) -> Result<(), crate_name::Error> {
/// while let Some(event) = events.next().await {
///     let event = event?;
///     println!("{} {:?}: {:?}", event.event, event.id, event.data);
/// }
/// # Ok(())
/// # }
/// ```
pub struct EventStream<T> {
    chunks: ByteStream,
    status: StatusCode,
    request_id: Option<String>,
    parser: SseParser,
    ready: VecDeque<RawEvent>,
    decode: EventDecoder<T>,
    /// The error that ends the stream (unless it resumes), yielded once the events before it are.
    failed: Option<Error>,
    /// How it resumes after its connection drops, if it does.
    resume: Option<Box<Resuming>>,
    done: bool,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("body", &self.chunks)
            .field("resume", &self.resume)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    // Only specs with event streams parse events.
    #[allow(dead_code)]
    fn from_live(body: LiveBody, decode: EventDecoder<T>) -> Self {
        let request_id = super::request::request_id(&body.headers).map(str::to_owned);
        Self {
            chunks: body.chunks,
            status: body.status,
            request_id,
            parser: SseParser::with_limits(body.limits.line, body.limits.event),
            ready: VecDeque::new(),
            decode,
            failed: None,
            resume: body.reconnect.map(|r| Box::new(Resuming::new(r))),
            done: false,
        }
    }

    /// Continues on the body of a reconnection: its parser starts from the last event id, as
    /// the standard's does across reconnections.
    fn resumed(&mut self, body: LiveBody) {
        self.request_id = super::request::request_id(&body.headers).map(str::to_owned);
        self.status = body.status;
        self.chunks = body.chunks;
        self.parser = SseParser::with_limits(body.limits.line, body.limits.event);
        self.parser.id = self.resume.as_ref().and_then(|r| r.last_id()).map(str::to_owned);
    }

    /// The next event, or `None` at the end of the stream.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn finish(&mut self) {
        self.done = true;
        self.resume = None;
        // Closes the connection now, not when the stream is dropped.
        self.chunks.inner = None;
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(raw) = this.ready.pop_front() {
                if raw.data == "[DONE]" {
                    this.finish();
                    return Poll::Ready(None);
                }
                if let Some(resume) = &mut this.resume {
                    resume.delivered(&raw);
                }
                return Poll::Ready(Some(this.decoded(raw)));
            }
            if let Some(error) = this.failed.take() {
                if this.resume.as_mut().is_some_and(|r| r.start(&error)) {
                    continue;
                }
                this.finish();
                return Poll::Ready(Some(Err(error)));
            }
            if let Some(poll) = this.resume.as_mut().and_then(|r| r.poll_pending(cx)) {
                match poll {
                    Poll::Ready(Ok(body)) => this.resumed(body),
                    Poll::Ready(Err(e)) => {
                        this.finish();
                        return Poll::Ready(Some(Err(e)));
                    }
                    Poll::Pending => return Poll::Pending,
                }
                continue;
            }
            let operation = this.chunks.operation;
            match Pin::new(&mut this.chunks).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(part) = this.parser.feed(&chunk, &mut this.ready) {
                        let max_bytes = match part {
                            StreamPart::Event => this.parser.max_data,
                            _ => this.parser.max_line,
                        };
                        this.failed = Some(Error::LimitExceeded { operation, part, max_bytes });
                        // Closes the connection now: the rest of the body is not read.
                        this.chunks.inner = None;
                    }
                }
                // The connection failed: the error says the body was cut, and a truncation would
                // say it twice. Yielded (or resumed from) after the events completed before it.
                Poll::Ready(Some(Err(e))) => this.failed = Some(e),
                Poll::Ready(None) => match this.parser.finish() {
                    Ok(()) => {
                        this.finish();
                        return Poll::Ready(None);
                    }
                    Err(part) => this.failed = Some(Error::Truncated { operation, part }),
                },
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T> EventStream<T> {
    /// An event with its data decoded, or the decode error naming where it failed.
    fn decoded(&self, raw: RawEvent) -> Result<Event<T>, Error> {
        match (self.decode)(&raw) {
            Ok(data) => Ok(Event { event: raw.event, id: raw.id, retry: raw.retry.map(Duration::from_millis), data }),
            Err(e) => {
                Err(Error::decode(self.chunks.operation, self.status, self.request_id.clone(), raw.data.as_bytes(), e))
            }
        }
    }
}

/// An event stream whose data is JSON of type `T`.
// Only specs with event streams of this kind.
#[allow(dead_code)]
pub(crate) fn event_stream_json<T: serde::de::DeserializeOwned>(body: LiveBody) -> EventStream<T> {
    EventStream::from_live(body, |raw| decode_json(raw.data.as_bytes()))
}

/// An event stream whose data is text.
// Only specs with event streams of this kind.
#[allow(dead_code)]
pub(crate) fn event_stream_text(body: LiveBody) -> EventStream<String> {
    EventStream::from_live(body, |raw| Ok(raw.data.clone()))
}

/// An event stream whose item schema describes the whole event (`event`, `data`, `id`, `retry`),
/// as OpenAPI 3.2's `itemSchema` does; named events documented as a union decode to it by the
/// `event` field. The data is decoded as JSON when it is JSON and that fits, else as a string.
// Only specs with event streams of this kind.
#[allow(dead_code)]
pub(crate) fn event_stream_envelope<T: serde::de::DeserializeOwned>(body: LiveBody) -> EventStream<T> {
    EventStream::from_live(body, |raw| {
        let envelope = |data: serde_json::Value| {
            let mut map = serde_json::Map::new();
            map.insert("event".into(), raw.event.clone().into());
            map.insert("data".into(), data);
            if let Some(id) = &raw.id {
                map.insert("id".into(), id.clone().into());
            }
            if let Some(retry) = raw.retry {
                map.insert("retry".into(), retry.into());
            }
            serde_path_to_error::deserialize(serde_json::Value::Object(map))
                .map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
        };
        // Data that parses as JSON is tried as JSON first, then (for a variant whose `data` is a
        // string) as the text it is; the first error is the one reported.
        let text = || serde_json::Value::String(raw.data.clone());
        match serde_json::from_str::<serde_json::Value>(&raw.data) {
            Ok(json) => envelope(json).or_else(|first| envelope(text()).map_err(|_| first)),
            Err(_) => envelope(text()),
        }
    })
}
