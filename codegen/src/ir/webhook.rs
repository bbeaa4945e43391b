//! Webhooks: the requests the API sends to you (OpenAPI 3.1's `webhooks`, or `x-webhooks`), as
//! events a receiver parses.

use super::Ty;

/// One webhook: an event the API may send, what its body decodes to, and how a received request
/// is told to be it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    /// Its name in the spec (`batch_cancelled`, `issues-opened`).
    pub name: String,
    /// The variant of the `Event` enum (`BatchCancelled`), unique and never `Unknown`.
    pub variant: String,
    /// Rustdoc: the operation's summary and description.
    pub doc: Option<String>,
    /// What the JSON body decodes to.
    pub payload: Ty,
    /// Header fields a request of this event has, with their value: `(lower-case name, value)`.
    pub headers: Vec<(String, String)>,
    /// Top-level string fields of the body that this event always has with one value (a tag such
    /// as `type: batch.cancelled` or `action: opened`).
    pub fields: Vec<(String, String)>,
    /// Where it is (`/webhooks/batch_cancelled/post`), for docs.
    pub pointer: String,
}

impl Webhook {
    /// How many facts tell this event from others: a request is matched against events with more
    /// of them first, so that `issues` + `action: opened` wins over `issues` alone.
    pub fn specificity(&self) -> usize {
        self.headers.len() + self.fields.len()
    }
}
