//! Media types: which encoding a `content` entry gets. Pure functions.

/// How a body of a media type is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Media {
    /// `application/json`, `*/*+json`, `*/*`, `application/*`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*` (but `text/event-stream`), and textual application types (`application/xml`,
    /// `*+xml`, `application/yaml`, ...).
    Text,
    /// `text/event-stream`: server-sent events.
    EventStream,
    /// `application/jsonl`, `application/x-ndjson`, `application/json-seq`: one JSON value per
    /// line or record.
    JsonLines,
    /// `multipart/form-data`.
    Multipart,
    /// Every other `multipart/*` (`mixed`, `related`, `alternative`, ...): parts without names.
    Mixed,
    /// Known binary types: `application/octet-stream`, `image/*`, `audio/*`, `video/*`, `font/*`,
    /// `application/pdf`, archives.
    Binary,
    /// Anything else: handled as raw bytes, like [`Media::Binary`], with a warning.
    Unknown,
}

/// The media type without parameters, lower case: `Application/JSON; charset=utf-8` → `application/json`.
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Binary `application/` subtypes.
const BINARY_APPLICATION: &[&str] = &[
    "octet-stream",
    "pdf",
    "zip",
    "gzip",
    "x-gzip",
    "x-tar",
    "x-7z-compressed",
    "x-bzip2",
    "vnd.rar",
    "wasm",
    "x-protobuf",
    "protobuf",
    "vnd.ms-excel",
    "msword",
    "vnd.apple.pkpass",
];

/// Textual `application/` subtypes, read as a `String`.
const TEXT_APPLICATION: &[&str] =
    &["xml", "yaml", "x-yaml", "javascript", "ecmascript", "graphql", "sql", "x-sh", "x-www-form-urlencoded+text"];

/// Classifies a media type (parameters and case ignored).
pub(super) fn classify(media: &str) -> Media {
    let essence = essence(media);
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    match (kind, subtype) {
        ("application", "json") | ("*", "*") | ("application", "*") => Media::Json,
        (_, s) if s.ends_with("+json") => Media::Json,
        ("application", "x-www-form-urlencoded") => Media::Form,
        ("text", "event-stream") => Media::EventStream,
        ("application", "jsonl" | "x-jsonl" | "x-ndjson" | "ndjson" | "jsonlines" | "x-jsonlines" | "json-seq") => {
            Media::JsonLines
        }
        ("text", _) => Media::Text,
        ("multipart", "form-data") => Media::Multipart,
        ("multipart", s) if !s.is_empty() => Media::Mixed,
        ("image" | "audio" | "video" | "font", _) => Media::Binary,
        ("application", s) if BINARY_APPLICATION.contains(&s) || s.starts_with("vnd.openxmlformats") => Media::Binary,
        ("application", s) if TEXT_APPLICATION.contains(&s) || s.ends_with("+xml") || s.ends_with("+yaml") => {
            Media::Text
        }
        _ => Media::Unknown,
    }
}

/// Whether a media type is read and written as JSON.
pub(super) fn is_json(media: &str) -> bool {
    classify(media) == Media::Json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_essence() {
        assert_eq!(classify("application/json"), Media::Json);
        assert_eq!(classify("Application/JSON; charset=utf-8"), Media::Json);
        assert_eq!(classify("application/vnd.github+json"), Media::Json);
        assert_eq!(classify("application/problem+json"), Media::Json);
        assert_eq!(classify("*/*"), Media::Json);
        assert_eq!(classify("application/*"), Media::Json);
        assert_eq!(classify("application/x-www-form-urlencoded"), Media::Form);
        assert_eq!(classify("text/plain"), Media::Text);
        assert_eq!(classify("text/event-stream"), Media::EventStream);
        assert_eq!(classify("Text/Event-Stream; charset=utf-8"), Media::EventStream);
        assert_eq!(classify("multipart/form-data; boundary=x"), Media::Multipart);
        assert_eq!(classify("multipart/mixed"), Media::Mixed);
        assert_eq!(classify("multipart/related; type=application/json"), Media::Mixed);
        assert_eq!(classify("application/octet-stream"), Media::Binary);
        assert_eq!(classify("image/png"), Media::Binary);
        assert_eq!(classify("application/pdf"), Media::Binary);
        assert_eq!(classify("application/zip"), Media::Binary);
        assert_eq!(classify("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Media::Binary);
        assert_eq!(classify("application/jsonl"), Media::JsonLines);
        assert_eq!(classify("application/x-ndjson"), Media::JsonLines);
        assert_eq!(classify("application/json-seq"), Media::JsonLines);
        assert_eq!(classify("application/xml"), Media::Text);
        assert_eq!(classify("application/atom+xml"), Media::Text);
        assert_eq!(classify("application/x-custom"), Media::Unknown);
        assert_eq!(classify(""), Media::Unknown);
    }
}
