//! Request paths: literal pieces and percent-encoded parameters, and the template each was
//! built from.

use std::borrow::Cow;

use super::Error;

/// Builds a request path from literal pieces and percent-encoded parameters.
pub(crate) struct PathBuilder {
    template: &'static str,
    path: String,
    error: Option<String>,
}

/// Characters left as they are in a path segment (and a cookie value): RFC 3986 unreserved only.
/// Everything else, including `/`, `?`, `#`, `%` (and `;`, `,`), is percent-encoded, so a value can
/// never leave its segment (or its cookie).
pub(crate) const UNRESERVED_ONLY: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

impl PathBuilder {
    pub(crate) fn new(template: &'static str) -> Self {
        Self { template, path: String::new(), error: None }
    }

    pub(crate) fn literal(mut self, text: &str) -> Self {
        self.path.push_str(text);
        self
    }

    pub(crate) fn param<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match scalar(value) {
            Ok(Some(text)) => {
                let ends_segment = self.path.ends_with('/');
                // `.` and `..` filling a segment would be resolved away by URL normalisation,
                // even percent-encoded; an empty segment would change the route.
                if ends_segment && matches!(text.as_str(), "" | "." | "..") {
                    self.error.get_or_insert_with(|| {
                        format!("path parameter value {text:?} in `{}` would change the request path", self.template)
                    });
                }
                self.path.extend(percent_encoding::utf8_percent_encode(&text, UNRESERVED_ONLY));
            }
            Ok(None) => {
                self.error.get_or_insert_with(|| format!("path parameter in `{}` is null", self.template));
            }
            Err(e) => {
                self.error.get_or_insert_with(|| format!("path parameter in `{}`: {e}", self.template));
            }
        }
        self
    }

    pub(crate) fn finish(self) -> Result<RequestPath, Error> {
        match self.error {
            Some(e) => Err(Error::InvalidRequest(e)),
            None => Ok(RequestPath { template: Cow::Borrowed(self.template), path: self.path }),
        }
    }
}

/// A request's path, and the template it was built from (what traces show: it has no ids in it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RequestPath {
    pub(crate) template: Cow<'static, str>,
    pub(crate) path: String,
}

/// A path without parameters, which is its own template.
impl From<&'static str> for RequestPath {
    fn from(path: &'static str) -> Self {
        Self { template: Cow::Borrowed(path), path: path.to_owned() }
    }
}

/// A path without parameters, which is its own template.
impl From<String> for RequestPath {
    fn from(path: String) -> Self {
        Self { template: Cow::Owned(path.clone()), path }
    }
}

/// A parameter value as text: strings as they are, numbers and booleans in JSON spelling, `null`
/// as `None`. Arrays and objects are JSON (query and header parameters expand arrays themselves).
pub(super) fn scalar<T: serde::Serialize + ?Sized>(value: &T) -> Result<Option<String>, String> {
    match serde_json::to_value(value).map_err(|e| e.to_string())? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s)),
        other => Ok(Some(other.to_string())),
    }
}
