//! Request bodies, rebuilt for every attempt: encoded bytes, a file, `multipart/form-data` parts
//! or the parts of another `multipart/*` type; and `FilePart`, a file to upload from bytes, a path
//! or a reader.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use reqwest::header::HeaderValue;

use super::Error;

/// The body of a request, kept so that every attempt sends the same bytes: encoded once, or
/// reopened (a file path), or streamed once (a reader, which makes the call one-shot).
#[derive(Clone, Debug)]
// `File` and `Multipart` only for specs that upload files or multipart bodies.
#[allow(dead_code)]
pub(super) enum Body {
    /// Encoded bytes (JSON, form, text, raw bytes).
    Bytes { content_type: &'static str, bytes: Bytes },
    /// One file as the whole body (`application/octet-stream` and other raw media types).
    File { content_type: &'static str, file: FilePart },
    /// `multipart/form-data` parts, in order.
    Multipart(Vec<PartSpec>),
    /// The parts of another `multipart/*` media type (`multipart/mixed`, ...), in order: each
    /// with its `Content-Type`, no names.
    Mixed { media: &'static str, parts: Vec<PartSpec> },
}

impl Body {
    /// Whether the body can be sent again for a retry (no part is a one-shot reader).
    pub(super) fn replayable(&self) -> bool {
        match self {
            Self::Bytes { .. } => true,
            Self::File { file, .. } => file.replayable(),
            Self::Multipart(parts) | Self::Mixed { parts, .. } => parts.iter().all(|p| match p {
                PartSpec::Text { .. } => true,
                PartSpec::File { file, .. } => file.replayable(),
            }),
        }
    }

    /// The body of one attempt, with its `Content-Type` and, when known, `Content-Length` (for
    /// multipart, known when every part's length is: files from bytes or paths, not readers).
    pub(super) async fn build(&self, http: &reqwest::Client) -> Result<(reqwest::Body, String, Option<u64>), Error> {
        match self {
            Self::Bytes { content_type, bytes } => {
                Ok((reqwest::Body::from(bytes.clone()), (*content_type).to_owned(), Some(bytes.len() as u64)))
            }
            Self::File { content_type, file } => {
                let (body, length) = file.open().await?;
                let content_type = file.content_type.clone().unwrap_or_else(|| (*content_type).to_owned());
                Ok((body, content_type, length))
            }
            Self::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for spec in parts {
                    form = match spec {
                        PartSpec::Text { name, value, content_type } => {
                            let mut part = reqwest::multipart::Part::text(value.clone());
                            if let Some(ct) = content_type {
                                part = part.mime_str(ct).map_err(|e| {
                                    Error::InvalidRequest(format!(
                                        "part {name}: content type {ct:?}: {}",
                                        e.without_url()
                                    ))
                                })?;
                            }
                            form.part(name.clone(), part)
                        }
                        PartSpec::File { name, file } => {
                            let (body, length) = file.open().await?;
                            let mut part = match length {
                                Some(n) => reqwest::multipart::Part::stream_with_length(body, n),
                                None => reqwest::multipart::Part::stream(body),
                            };
                            let ct = file.content_type.as_deref().unwrap_or("application/octet-stream");
                            part = part.mime_str(ct).map_err(|e| {
                                Error::InvalidRequest(format!("part {name}: content type {ct:?}: {}", e.without_url()))
                            })?;
                            if let Some(file_name) = file.file_name_ref() {
                                part = part.file_name(file_name.to_owned());
                            }
                            form.part(name.clone(), part)
                        }
                    };
                }
                // reqwest computes the length of a form only while building a request from it: build
                // one (nothing is sent) and take its body and headers.
                let mut request = http
                    .post("http://multipart.invalid/")
                    .multipart(form)
                    .build()
                    .map_err(|e| Error::InvalidRequest(format!("multipart body: {}", e.without_url())))?;
                let header = |name| request.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok());
                let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default().to_owned();
                let length = header(reqwest::header::CONTENT_LENGTH).and_then(|v| v.parse().ok());
                let body = request.body_mut().take().unwrap_or_else(|| reqwest::Body::from(Vec::new()));
                Ok((body, content_type, length))
            }
            Self::Mixed { media, parts } => mixed(media, parts).await,
        }
    }
}

/// The chunks of a body being written.
type Chunks = Pin<Box<dyn futures_core::Stream<Item = std::io::Result<Bytes>> + Send + Sync>>;

/// A `multipart/*` body other than `form-data` (RFC 2046): each part after a delimiter line, with
/// its `Content-Type` (text without one is `text/plain; charset=utf-8`, a file without one
/// `application/octet-stream`) and, for a file with a name, `Content-Disposition: attachment`;
/// files streamed as they are read. The length is known when every file's is.
async fn mixed(media: &str, parts: &[PartSpec]) -> Result<(reqwest::Body, String, Option<u64>), Error> {
    if parts.is_empty() {
        // RFC 2046: a multipart body has at least one part.
        return Err(Error::InvalidRequest(format!("a {media} body needs at least one part; none was given")));
    }
    let boundary = super::mixed::new_boundary();
    let mut chunks: Vec<Chunks> = Vec::new();
    let mut head: Vec<u8> = Vec::new();
    let mut length = Some(0u64);
    fn flush(head: &mut Vec<u8>, chunks: &mut Vec<Chunks>, length: &mut Option<u64>) {
        let bytes = Bytes::from(std::mem::take(head));
        *length = length.map(|n| n + bytes.len() as u64);
        chunks.push(Box::pin(futures_util::stream::once(std::future::ready(Ok(bytes)))));
    }
    for (i, spec) in parts.iter().enumerate() {
        head.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match spec {
            PartSpec::Text { value, content_type, .. } => {
                let ct = content_type.as_deref().unwrap_or("text/plain; charset=utf-8");
                head.extend_from_slice(format!("content-type: {}\r\n\r\n", header_value(i, ct)?).as_bytes());
                head.extend_from_slice(value.as_bytes());
            }
            PartSpec::File { file, .. } => {
                let ct = file.content_type.as_deref().unwrap_or("application/octet-stream");
                head.extend_from_slice(format!("content-type: {}\r\n", header_value(i, ct)?).as_bytes());
                if let Some(name) = file.file_name_ref() {
                    let name = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
                    head.extend_from_slice(
                        format!("content-disposition: attachment; filename*=UTF-8''{name}\r\n").as_bytes(),
                    );
                }
                head.extend_from_slice(b"\r\n");
                flush(&mut head, &mut chunks, &mut length);
                let (stream, file_length) = file.chunks().await?;
                chunks.push(stream);
                length = length.zip(file_length).map(|(n, m)| n + m);
            }
        }
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    flush(&mut head, &mut chunks, &mut length);
    let content_type = format!("{media}; boundary={boundary}");
    let body = reqwest::Body::wrap_stream(futures_util::StreamExt::flatten(futures_util::stream::iter(chunks)));
    Ok((body, content_type, length))
}

/// A part's content type as written in its header: refused when it is not a valid header value
/// (a line break in it would end the part's headers).
fn header_value(part: usize, content_type: &str) -> Result<&str, Error> {
    match HeaderValue::from_str(content_type) {
        Ok(_) => Ok(content_type),
        Err(_) => Err(Error::InvalidRequest(format!(
            "part {}: content type {content_type:?} is not a header value",
            part + 1
        ))),
    }
}

/// One part of a `multipart/form-data` body, before encoding.
#[derive(Clone, Debug)]
// Only specs with `multipart/form-data` bodies build parts.
#[allow(dead_code)]
pub(super) enum PartSpec {
    /// A text part: a string as it is, a number or boolean in JSON spelling, an object as JSON.
    Text { name: String, value: String, content_type: Option<String> },
    /// A file part.
    File { name: String, file: FilePart },
}

/// The parts of a `multipart/form-data` body, built by generated methods from their parameters
/// struct.
#[derive(Debug, Default)]
// Only specs with `multipart/form-data` bodies build parts.
#[allow(dead_code)]
pub(crate) struct Parts {
    pub(super) parts: Vec<PartSpec>,
    pub(super) error: Option<String>,
}

// Only specs with `multipart/form-data` bodies build parts.
#[allow(dead_code)]
impl Parts {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A field other than a file: `null` is left out, an array becomes one part per item, an
    /// object (or any value whose `content_type` is JSON) is sent as JSON, and a string, number
    /// or boolean as plain text. `content_type` is the spec's `encoding.<name>.contentType`.
    pub(crate) fn value<V: serde::Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        content_type: Option<&'static str>,
    ) -> Self {
        let json = content_type.is_some_and(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("application/json") || ct.contains("+json")
        });
        let ct = content_type.map(str::to_owned);
        let (text, ct) = match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => return self,
            Ok(value) if json => (value.to_string(), ct),
            Ok(serde_json::Value::Array(items)) => {
                for item in items {
                    self = self.value(name, &item, content_type);
                }
                return self;
            }
            Ok(serde_json::Value::String(s)) => (s, ct),
            Ok(value @ serde_json::Value::Object(_)) => {
                (value.to_string(), ct.or_else(|| Some("application/json".to_owned())))
            }
            Ok(other) => (other.to_string(), ct),
            Err(e) => {
                self.error.get_or_insert_with(|| format!("multipart field {name}: {e}"));
                return self;
            }
        };
        self.parts.push(PartSpec::Text { name: name.to_owned(), value: text, content_type: ct });
        self
    }

    /// A file part.
    pub(crate) fn file(mut self, name: &str, file: &FilePart) -> Self {
        self.parts.push(PartSpec::File { name: name.to_owned(), file: file.clone() });
        self
    }

    /// An optional file part.
    pub(crate) fn file_opt(self, name: &str, file: &Option<FilePart>) -> Self {
        match file {
            Some(f) => self.file(name, f),
            None => self,
        }
    }

    /// One file part per item, all with the same name.
    pub(crate) fn files(mut self, name: &str, files: &[FilePart]) -> Self {
        for file in files {
            self = self.file(name, file);
        }
        self
    }

    /// One JSON part per item (of a `multipart/*` body other than `form-data`), each with
    /// `content_type` (`application/json` without one).
    pub(crate) fn json_items<V, I, B>(mut self, items: I, content_type: Option<&'static str>) -> Self
    where
        V: serde::Serialize,
        I: IntoIterator<Item = B>,
        B: std::borrow::Borrow<V>,
    {
        let content_type = content_type.unwrap_or("application/json");
        for item in items {
            match serde_json::to_string(item.borrow()) {
                Ok(value) => self.parts.push(PartSpec::Text {
                    name: String::new(),
                    value,
                    content_type: Some(content_type.to_owned()),
                }),
                Err(e) => {
                    self.error.get_or_insert_with(|| format!("multipart part {}: {e}", self.parts.len() + 1));
                }
            }
        }
        self
    }

    /// One text part per item, each with `content_type` (`text/plain; charset=utf-8` without one).
    pub(crate) fn text_items(
        mut self,
        items: impl IntoIterator<Item = impl Into<String>>,
        content_type: Option<&'static str>,
    ) -> Self {
        for item in items {
            let content_type = content_type.map(str::to_owned);
            self.parts.push(PartSpec::Text { name: String::new(), value: item.into(), content_type });
        }
        self
    }

    /// One file part per item, each with its own content type.
    pub(crate) fn file_items(mut self, items: impl IntoIterator<Item = impl Into<FilePart>>) -> Self {
        for item in items {
            self.parts.push(PartSpec::File { name: String::new(), file: item.into() });
        }
        self
    }

    /// Optional files.
    pub(crate) fn files_opt(self, name: &str, files: &Option<Vec<FilePart>>) -> Self {
        match files {
            Some(f) => self.files(name, f),
            None => self,
        }
    }
}

/// A file to upload: a `multipart/form-data` file part, or the whole body of an operation that
/// takes raw bytes (`application/octet-stream`, images, ...).
///
/// Made from bytes in memory, from a path (opened and streamed when the request is sent, never
/// read into memory), or from an async reader (streamed once: a call with a reader part is never
/// retried). A retry resends the same bytes: from memory again, or by reopening the path.
///
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// # use crate_name::FilePart;
/// let from_disk = FilePart::path("report.pdf").content_type("application/pdf");
/// let in_memory = FilePart::bytes(b"hello".to_vec()).file_name("hello.txt");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct FilePart {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// A reader to stream once.
type Reader = Pin<Box<dyn tokio::io::AsyncRead + Send + Sync>>;

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Reader(Arc<Mutex<Option<Reader>>>),
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Path(p) => format!("path {}", p.display()),
            Source::Reader(_) => "reader".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl FilePart {
    /// A file from bytes in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Self { source: Source::Bytes(data.into()), file_name: None, content_type: None }
    }

    /// A file on disk, streamed when the request is sent (and reopened for a retry). Its file
    /// name, unless set, is the path's last component.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Self { source: Source::Path(path), file_name, content_type: None }
    }

    /// A file read from an async reader, streamed once: the call is not retried.
    pub fn reader(reader: impl tokio::io::AsyncRead + Send + Sync + 'static) -> Self {
        let reader: Reader = Box::pin(reader);
        Self { source: Source::Reader(Arc::new(Mutex::new(Some(reader)))), file_name: None, content_type: None }
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's content type (default `application/octet-stream`, or the operation's media type
    /// for a raw body).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    fn replayable(&self) -> bool {
        !matches!(self.source, Source::Reader(_))
    }

    fn file_name_ref(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The file's bytes for one attempt, as chunks, and its length when known.
    async fn chunks(&self) -> Result<(Chunks, Option<u64>), Error> {
        match &self.source {
            Source::Bytes(b) => {
                let length = b.len() as u64;
                Ok((Box::pin(futures_util::stream::once(std::future::ready(Ok(b.clone())))), Some(length)))
            }
            Source::Path(path) => {
                let io = |source| Error::Io { context: format!("opening {} to upload", path.display()), source };
                let file = tokio::fs::File::open(path).await.map_err(io)?;
                let length = file.metadata().await.map_err(io)?.len();
                Ok((Box::pin(tokio_util::io::ReaderStream::new(file)), Some(length)))
            }
            Source::Reader(_) => Ok((Box::pin(tokio_util::io::ReaderStream::new(self.take_reader()?)), None)),
        }
    }

    /// The reader of a file made from one, which is sent once.
    fn take_reader(&self) -> Result<Reader, Error> {
        let Source::Reader(slot) = &self.source else {
            return Err(Error::InvalidRequest("not a file part made from a reader".into()));
        };
        slot.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .ok_or_else(|| Error::InvalidRequest("a file part made from a reader can be sent once only".into()))
    }

    /// The body for one attempt, and its length when known.
    async fn open(&self) -> Result<(reqwest::Body, Option<u64>), Error> {
        match &self.source {
            Source::Bytes(b) => Ok((reqwest::Body::from(b.clone()), Some(b.len() as u64))),
            Source::Path(path) => {
                let io = |source| Error::Io { context: format!("opening {} to upload", path.display()), source };
                let file = tokio::fs::File::open(path).await.map_err(io)?;
                let length = file.metadata().await.map_err(io)?.len();
                Ok((reqwest::Body::from(file), Some(length)))
            }
            Source::Reader(_) => {
                Ok((reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(self.take_reader()?)), None))
            }
        }
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(data: Vec<u8>) -> Self {
        Self::bytes(data)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(data: &'static [u8]) -> Self {
        Self::bytes(data)
    }
}

impl From<Bytes> for FilePart {
    fn from(data: Bytes) -> Self {
        Self::bytes(data)
    }
}

impl From<&Path> for FilePart {
    fn from(path: &Path) -> Self {
        Self::path(path)
    }
}

impl From<PathBuf> for FilePart {
    fn from(path: PathBuf) -> Self {
        Self::path(path)
    }
}
