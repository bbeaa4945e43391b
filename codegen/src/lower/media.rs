//! Media types: which encoding a `content` entry gets. Pure functions.

/// How a body of a media type is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Media {
    /// `application/json`, `*/*+json`, `*/*`, `application/*`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*`.
    Text,
    /// `multipart/*`.
    Multipart,
    /// Anything else: raw bytes.
    Bytes,
}

/// The media type without parameters, lower case: `Application/JSON; charset=utf-8` → `application/json`.
fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Classifies a media type (parameters and case ignored).
pub(super) fn classify(media: &str) -> Media {
    let essence = essence(media);
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" || essence == "application/*" {
        Media::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Media::Form
    } else if essence.starts_with("text/") {
        Media::Text
    } else if essence.starts_with("multipart/") {
        Media::Multipart
    } else {
        Media::Bytes
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
        assert_eq!(classify("text/event-stream"), Media::Text);
        assert_eq!(classify("multipart/form-data; boundary=x"), Media::Multipart);
        assert_eq!(classify("application/octet-stream"), Media::Bytes);
        assert_eq!(classify("image/png"), Media::Bytes);
        assert_eq!(classify("application/jsonl"), Media::Bytes);
        assert_eq!(classify(""), Media::Bytes);
    }
}
