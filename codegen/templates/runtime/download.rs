//! Binary responses: `Download`, read whole, as a stream, or saved to a file.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::Error;
use super::live::{ByteStream, LiveBody};

/// A binary (or otherwise not decoded) response body, not read until asked: read it whole with
/// [`Download::bytes`], as a stream of chunks with [`Download::bytes_stream`], or into a file
/// with [`Download::save`].
///
// A doctest of the generated crate: `render.rs` writes the crate's name for `crate_name`.
/// ```no_run
/// # async fn run(download: crate_name::Download) -> Result<(), crate_name::Error> {
/// println!("{:?} ({:?} bytes)", download.content_type(), download.content_length());
/// download.save("out.bin").await?;
/// # Ok(())
/// # }
/// ```
pub struct Download {
    status: StatusCode,
    headers: HeaderMap,
    chunks: ByteStream,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("headers", &super::error::ShownHeaders(&self.headers))
            .field("chunks", &self.chunks)
            .finish()
    }
}

impl Download {
    // Only specs with binary responses download.
    #[allow(dead_code)]
    pub(crate) fn from_live(body: LiveBody) -> Self {
        Self { status: body.status, headers: body.headers, chunks: body.chunks }
    }

    /// The response's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The response's `Content-Length`, when the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get(reqwest::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok())
    }

    /// The file name the server suggests in `Content-Disposition` (`filename*=UTF-8''…` preferred
    /// over `filename="…"`), without any directory, drive or stream part (`/`, `\`, `:`) and
    /// without control characters, so it is safe to join to a directory.
    pub fn file_name(&self) -> Option<String> {
        let value = self.headers.get(reqwest::header::CONTENT_DISPOSITION)?.to_str().ok()?;
        content_disposition_file_name(value)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The whole body in memory.
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let mut out = Vec::with_capacity(self.content_length().unwrap_or(0).min(1 << 24) as usize);
        while let Some(chunk) = self.chunks.next_chunk().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.into())
    }

    /// The body as a [`Stream`](futures_core::Stream) of chunks.
    pub fn bytes_stream(self) -> ByteStream {
        self.chunks
    }

    /// Writes the body to `path`, returning its length. The body is written to a temporary file
    /// beside `path`, then renamed: if the download fails midway (or the future is dropped),
    /// nothing is left at `path`, and a file already there is unchanged.
    pub async fn save(mut self, path: impl AsRef<Path>) -> Result<u64, Error> {
        use tokio::io::AsyncWriteExt;
        let path = path.as_ref();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "download".into());
        let temp = path.with_file_name(format!(".{name}.{:016x}.part", fastrand::u64(..)));
        let guard = TempFile(Some(temp.clone()));
        let io = |what: &str, source| Error::Io { context: format!("{what} {}", temp.display()), source };
        let mut file = tokio::fs::File::create(&temp).await.map_err(|e| io("creating", e))?;
        let mut written = 0u64;
        while let Some(chunk) = self.chunks.next_chunk().await {
            let chunk = chunk?;
            file.write_all(&chunk).await.map_err(|e| io("writing", e))?;
            written += chunk.len() as u64;
        }
        file.flush().await.map_err(|e| io("writing", e))?;
        file.sync_all().await.map_err(|e| io("writing", e))?;
        drop(file);
        tokio::fs::rename(&temp, path)
            .await
            .map_err(|source| Error::Io { context: format!("renaming the download to {}", path.display()), source })?;
        guard.keep();
        Ok(written)
    }
}

/// Removes a temporary file when dropped, unless kept.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The file name of a `Content-Disposition` value (`filename*=UTF-8''…` preferred over
/// `filename="…"`), without any directory part; `None` when there is none, or it is `.` or `..`.
pub(crate) fn content_disposition_file_name(value: &str) -> Option<String> {
    let params = value.split(';').skip(1).filter_map(|p| p.trim().split_once('='));
    let mut plain = None;
    let mut extended = None;
    for (key, val) in params {
        match key.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                // `charset'language'percent-encoded`; only UTF-8 (and ASCII) are decoded.
                if let Some(encoded) = val.trim().splitn(3, '\'').nth(2) {
                    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
                    extended = String::from_utf8(bytes).ok();
                }
            }
            "filename" => plain = Some(val.trim().trim_matches('"').to_owned()),
            _ => {}
        }
    }
    let name = extended.or(plain)?;
    // The last component whatever the platform: `/` and `\` separate directories, `:` follows a
    // Windows drive (`C:x.txt` is relative to drive C's current directory) and names an NTFS
    // alternate stream (`x.txt:hidden`). Control characters never belong in a file name.
    let base: String =
        name.rsplit(['/', '\\', ':']).next().unwrap_or_default().chars().filter(|c| !c.is_control()).collect();
    (!base.is_empty() && base != "." && base != "..").then_some(base)
}

// Only specs with binary responses download.
#[allow(dead_code)]
pub(crate) fn download(body: LiveBody) -> Download {
    Download::from_live(body)
}
