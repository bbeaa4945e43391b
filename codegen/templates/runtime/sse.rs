//! Server-sent events (`text/event-stream`): the parser, fed bytes as they arrive, and
//! `EventStream`, which decodes each event's data.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use reqwest::StatusCode;

use super::error::excerpt;
use super::live::{ByteStream, LiveBody};
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
/// Only the current line and the current event are held.
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    /// The last byte was a CR: a LF right after it ends nothing.
    after_cr: bool,
    /// Bytes seen so far, up to 3, to skip the BOM.
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    id: Option<String>,
    retry: Option<u64>,
}

impl SseParser {
    // Only specs with event streams parse events.
    #[allow(dead_code)]
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Parses `bytes`, pushing every event they complete.
    pub(crate) fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<RawEvent>) {
        for &b in bytes {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(out);
                }
                b'\n' => self.end_line(out),
                _ => self.line.push(b),
            }
        }
    }

    fn end_line(&mut self, out: &mut VecDeque<RawEvent>) {
        let mut line = std::mem::take(&mut self.line);
        if !self.started {
            self.started = true;
            if line.starts_with(b"\xEF\xBB\xBF") {
                line.drain(..3);
            }
        }
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        let text = String::from_utf8_lossy(&line);
        if text.starts_with(':') {
            return;
        }
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*text, ""),
        };
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.id = (!value.is_empty()).then(|| value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
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

/// Decodes an event's data.
type EventDecoder<T> = fn(&RawEvent) -> Result<T, (String, String)>;

/// A stream of server-sent events (`text/event-stream`), each decoded as it arrives: a
/// [`Stream`] of `Result<Event<T>, Error>`. A `[DONE]` data line (OpenAI's convention) ends the
/// stream. Dropping it closes the connection.
///
// `ignore`, not a doctest: this file is the same in every generated crate and cannot name the crate;
// the crate docs' and the methods' examples name it and are compiled.
/// ```ignore
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
    done: bool,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("body", &self.chunks).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    // Only specs with event streams parse events.
    #[allow(dead_code)]
    fn from_live(body: LiveBody, decode: EventDecoder<T>) -> Self {
        let request_id = body.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Self {
            chunks: body.chunks,
            status: body.status,
            request_id,
            parser: SseParser::new(),
            ready: VecDeque::new(),
            decode,
            done: false,
        }
    }

    /// The next event, or `None` at the end of the stream.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn finish(&mut self) {
        self.done = true;
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
                let item = match (this.decode)(&raw) {
                    Ok(data) => {
                        Ok(Event { event: raw.event, id: raw.id, retry: raw.retry.map(Duration::from_millis), data })
                    }
                    Err((path, message)) => Err(Error::Decode {
                        operation: this.chunks.operation,
                        status: this.status,
                        path,
                        message,
                        excerpt: excerpt(raw.data.as_bytes(), 256),
                        request_id: this.request_id.clone(),
                    }),
                };
                return Poll::Ready(Some(item));
            }
            match Pin::new(&mut this.chunks).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => this.parser.feed(&chunk, &mut this.ready),
                Poll::Ready(Some(Err(e))) => {
                    this.finish();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Pending => return Poll::Pending,
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
