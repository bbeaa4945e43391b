//! The client's defaults (timeouts, retries, backoff, stream reconnects, stream and error-body
//! limits) and fixed values (the idempotency header, the long-poll margin, the OAuth 2 token
//! refresh margin): what a [`Client`](super::Client) uses
//! unless told otherwise. Re-exported at the crate root as `defaults`.

pub use super::client::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_ERROR_BODY_BYTES, DEFAULT_MAX_EVENT_BYTES,
    DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_PART_BYTES, DEFAULT_MAX_RECONNECTS, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    IDEMPOTENCY_HEADER, INITIAL_BACKOFF, MAX_BACKOFF, MAX_RETRY_AFTER,
};
pub use super::oauth::TOKEN_REFRESH_MARGIN;
pub use super::request::LONG_POLL_MARGIN;
