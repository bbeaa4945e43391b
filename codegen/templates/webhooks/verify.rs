//! Webhook signatures, checked before a payload is read: the Standard Webhooks scheme
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and the single-header HMAC scheme
//! (GitHub's `X-Hub-Signature-256: sha256=…`). Tags are compared in constant time by `hmac`'s
//! `verify_slice` (through `subtle`); secrets never show in `Debug` or errors.
//!
//! This file is the same for every generated crate with webhooks; `webhooks/mod.rs` beside it is
//! generated from the spec.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;

/// How far a Standard Webhooks timestamp may be from now, either way: 5 minutes, as the
/// specification recommends.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Why a webhook request was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the signature scheme needs is missing, or is not text.
    #[error("webhook header `{0}` is missing or not text")]
    MissingHeader(&'static str),
    /// The timestamp is not a number of seconds, or is further from now than the tolerance (a
    /// replayed or delayed request).
    #[error("webhook timestamp {0}")]
    Timestamp(String),
    /// No signature in the request is the body's signature with this secret.
    #[error("no webhook signature matches the body")]
    Signature,
    /// The secret cannot be used: empty, or (for Standard Webhooks) not base64.
    #[error("webhook secret: {0}")]
    Secret(&'static str),
    /// The body is not JSON, or not the JSON of the event it is (`event`, the webhook's name in the
    /// spec, when known).
    #[error("webhook payload{}: {message}", event.map(|e| format!(" of `{e}`")).unwrap_or_default())]
    Payload {
        /// The webhook's name in the spec, when the request was matched to one.
        event: Option<&'static str>,
        /// What was wrong, from `serde_json`.
        message: String,
    },
}

/// A signature check of a webhook request: [`StandardWebhooks`] or [`HmacSignature`], or your own.
pub trait Verify {
    /// `Ok` when `body` was signed by the holder of the secret, as `headers` say.
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError>;
}

/// A header's value as text.
fn header<'a>(headers: &'a HeaderMap, names: &[&'static str]) -> Result<&'a str, WebhookError> {
    names
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .ok_or(WebhookError::MissingHeader(names[0]))
}

/// HMAC-SHA256 keyed with `key`.
fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: this cannot fail.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// The Standard Webhooks scheme (<https://www.standardwebhooks.com>): HMAC-SHA256 of
/// `{webhook-id}.{webhook-timestamp}.{body}` with the secret (base64, after an optional `whsec_`),
/// sent base64-encoded as `v1,<signature>` in `webhook-signature`, which may list several
/// (space-separated) during a secret rotation; the timestamp must be within the tolerance of now.
/// Svix's `svix-*` headers are read where `webhook-*` ones are absent.
///
/// ```
/// # use std::time::{Duration, UNIX_EPOCH};
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// # use crate_name::webhooks::StandardWebhooks;
/// # let mut headers = crate_name::HeaderMap::new();
/// # let body = br#"{"test": 2432232314}"#;
/// let verifier = StandardWebhooks::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// # headers.insert("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek".parse()?);
/// # headers.insert("webhook-timestamp", "1614265330".parse()?);
/// # headers.insert("webhook-signature", verifier.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).parse()?);
/// verifier.verify_at(&headers, body, UNIX_EPOCH + Duration::from_secs(1614265330))?;
/// # Ok(())
/// # }
/// # run().unwrap();
/// ```
#[derive(Clone)]
pub struct StandardWebhooks {
    key: Vec<u8>,
    tolerance: Duration,
}

impl fmt::Debug for StandardWebhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandardWebhooks").field("key", &"<redacted>").field("tolerance", &self.tolerance).finish()
    }
}

impl StandardWebhooks {
    /// A verifier with the endpoint's secret: base64 (padded or not, as the specification's
    /// libraries read it), with or without `whsec_`.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        if encoded.is_empty() {
            return Err(WebhookError::Secret("empty"));
        }
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                .with_decode_allow_trailing_bits(true),
        );
        let key = engine.decode(encoded).map_err(|_| WebhookError::Secret("not base64"))?;
        if key.is_empty() {
            return Err(WebhookError::Secret("empty"));
        }
        Ok(Self { key, tolerance: DEFAULT_TOLERANCE })
    }

    /// How far the timestamp may be from now, either way (default [`DEFAULT_TOLERANCE`]).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies the request as of `now` (the system clock: [`Verify::verify`]).
    pub fn verify_at(&self, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Result<(), WebhookError> {
        let id = header(headers, &["webhook-id", "svix-id"])?;
        let timestamp = header(headers, &["webhook-timestamp", "svix-timestamp"])?;
        let signatures = header(headers, &["webhook-signature", "svix-signature"])?;
        let sent: i64 = timestamp.trim().parse().map_err(|_| WebhookError::Timestamp("is not a number".into()))?;
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        let tolerance = i64::try_from(self.tolerance.as_secs()).unwrap_or(i64::MAX);
        if now.abs_diff(sent) > tolerance.unsigned_abs() {
            return Err(WebhookError::Timestamp(format!("{sent} is more than {tolerance} s from now")));
        }
        let mut expected = mac(&self.key);
        expected.update(format!("{id}.{sent}.").as_bytes());
        expected.update(body);
        let matched = signatures.split(' ').filter_map(|s| s.split_once(',')).any(|(version, signature)| {
            version == "v1"
                && base64::engine::general_purpose::STANDARD
                    .decode(signature)
                    .is_ok_and(|tag| expected.clone().verify_slice(&tag).is_ok())
        });
        if matched { Ok(()) } else { Err(WebhookError::Signature) }
    }

    /// The `webhook-signature` value of a request: `v1,<base64>` (for tests of your endpoint).
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let mut tag = mac(&self.key);
        tag.update(format!("{id}.{timestamp}.").as_bytes());
        tag.update(body);
        format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(tag.finalize().into_bytes()))
    }
}

impl Verify for StandardWebhooks {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }
}

/// A single header holding HMAC-SHA256 of the body, hex-encoded after a prefix: GitHub's
/// `X-Hub-Signature-256: sha256=<hex>` ([`HmacSignature::github`]), and others like it by header
/// name and prefix. It has no timestamp: replays are the receiver's to refuse (by delivery id).
#[derive(Clone)]
pub struct HmacSignature {
    header: &'static str,
    prefix: String,
    key: Vec<u8>,
}

impl fmt::Debug for HmacSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSignature")
            .field("header", &self.header)
            .field("prefix", &self.prefix)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl HmacSignature {
    /// A verifier of `header` (its name, any case) holding `prefix` and then the hex tag, with the
    /// secret as bytes (a text secret is its UTF-8). An empty secret verifies nothing: every
    /// request is refused with [`WebhookError::Secret`].
    pub fn new(header: &'static str, prefix: impl Into<String>, secret: impl AsRef<[u8]>) -> Self {
        Self { header, prefix: prefix.into(), key: secret.as_ref().to_vec() }
    }

    /// GitHub's: `X-Hub-Signature-256: sha256=<hex>`.
    pub fn github(secret: impl AsRef<[u8]>) -> Self {
        Self::new("x-hub-signature-256", "sha256=", secret)
    }

    /// The header's value for `body` (for tests of your endpoint).
    pub fn sign(&self, body: &[u8]) -> String {
        let mut tag = mac(&self.key);
        tag.update(body);
        let hex: String = tag.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        format!("{}{hex}", self.prefix)
    }
}

impl Verify for HmacSignature {
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        // Anyone can compute a tag with an empty key (a secret read from an unset variable).
        if self.key.is_empty() {
            return Err(WebhookError::Secret("empty"));
        }
        let value = header(headers, &[self.header])?;
        let hex = value.trim().strip_prefix(self.prefix.as_str()).ok_or(WebhookError::Signature)?;
        let tag = decode_hex(hex).ok_or(WebhookError::Signature)?;
        let mut expected = mac(&self.key);
        expected.update(body);
        expected.verify_slice(&tag).map_err(|_| WebhookError::Signature)
    }
}

/// Hex text as bytes (either case); `None` when it is not hex. A dozen lines of std rather than a
/// dependency.
fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect()
}
