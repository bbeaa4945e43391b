// Wire checks for `fixtures/webhooks.rs` (see `tests/wire.rs`): 3.1 `webhooks` parsed into their
// events by a body tag (`type`) or a header with one value, an unknown event kept, a payload that
// is not its event's refused; the Standard Webhooks signature checked against the specification's
// published vectors (its libraries' tests), refusing before parsing.
fn main() {
    use std::time::{Duration, UNIX_EPOCH};

    use serde_json::json;
    use webhooks::{Event, StandardWebhooks, Verify, WebhookError};

    let headers = |pairs: &[(&'static str, &str)]| {
        let mut map = reqwest::header::HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    };
    let none = headers(&[]);

    // By the body's `type` tag (`const` in one schema, a one-value `enum` in the other).
    let completed = json!({"type": "batch.completed", "data": {"id": "b_1"}}).to_string();
    let event = webhooks::parse(&none, completed.as_bytes()).unwrap();
    let Event::BatchCompleted(payload) = &event else { panic!("{event:?}") };
    assert_eq!(payload.data.id, "b_1");
    assert_eq!(event.name(), Some("batch_completed"));
    let failed = json!({"type": "batch.failed", "data": {"id": "b_2"}, "error": "oom"}).to_string();
    assert!(matches!(webhooks::parse(&none, failed.as_bytes()).unwrap(), Event::BatchFailed(p) if p.error == "oom"));
    // By a header with one value (`const: push`).
    let pushed = json!({"ref": "main", "commits": 2}).to_string();
    let event = webhooks::parse(&headers(&[("x-event-type", "push")]), pushed.as_bytes()).unwrap();
    assert!(matches!(&event, Event::RepoPushed(p) if p.ref_ == "main" && p.commits == Some(2)), "{event:?}");
    // Anything else is `Unknown`, kept whole; a matched event whose payload does not fit is an
    // error naming it; a body that is not JSON is an error.
    let other = json!({"type": "batch.paused"});
    assert_eq!(webhooks::parse(&none, other.to_string().as_bytes()).unwrap().name(), None);
    assert!(matches!(webhooks::parse(&none, other.to_string().as_bytes()).unwrap(), Event::Unknown(v) if v == other));
    let bad = json!({"type": "batch.failed", "data": {"id": "b_2"}}).to_string();
    let error = webhooks::parse(&none, bad.as_bytes()).unwrap_err();
    assert!(matches!(error, WebhookError::Payload { event: Some("batch_failed"), .. }), "{error:?}");
    assert!(error.to_string().contains("error"), "{error}");
    assert!(matches!(webhooks::parse(&none, b"not json"), Err(WebhookError::Payload { event: None, .. })));

    // Standard Webhooks: the specification libraries' signing vector.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let verifier = StandardWebhooks::new(secret).unwrap();
    let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    let body = br#"{"test": 2432232314}"#;
    let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    assert_eq!(verifier.sign(id, 1614265330, body), signature);
    let at = |seconds: u64| UNIX_EPOCH + Duration::from_secs(seconds);
    let signed = |signature: &str, timestamp: &str| {
        headers(&[("webhook-id", id), ("webhook-timestamp", timestamp), ("webhook-signature", signature)])
    };
    let valid = signed(signature, "1614265330");
    verifier.verify_at(&valid, body, at(1614265330)).unwrap();
    // The secret with or without `whsec_`; unpadded base64 secrets too.
    StandardWebhooks::new(&secret[6..]).unwrap().verify_at(&valid, body, at(1614265330)).unwrap();
    for unpadded in ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr"] {
        let padded = StandardWebhooks::new(&format!("{unpadded}{}", "=".repeat((4 - unpadded.len() % 4) % 4))).unwrap();
        let sig = padded.sign(id, 1614265330, body);
        StandardWebhooks::new(unpadded).unwrap().verify_at(&signed(&sig, "1614265330"), body, at(1614265330)).unwrap();
    }
    // Within the tolerance either way (5 minutes), not past it.
    verifier.verify_at(&valid, body, at(1614265330 + 300)).unwrap();
    verifier.verify_at(&valid, body, at(1614265330 - 300)).unwrap();
    assert!(matches!(verifier.verify_at(&valid, body, at(1614265330 + 301)), Err(WebhookError::Timestamp(_))));
    assert!(matches!(verifier.verify_at(&valid, body, at(1614265330 - 301)), Err(WebhookError::Timestamp(_))));
    assert!(matches!(verifier.verify_at(&signed(signature, "hello"), body, at(0)), Err(WebhookError::Timestamp(_))));
    // Several signatures (a secret being rotated): one valid `v1` is enough; other versions are
    // not read.
    let several = format!(
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {signature} v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
    );
    verifier.verify_at(&signed(&several, "1614265330"), body, at(1614265330)).unwrap();
    // A wrong secret, a tampered body, a partial or malformed signature, missing headers.
    let wrong = StandardWebhooks::new("whsec_c2VjcmV0LW9mLXNvbWVvbmUtZWxzZQ==").unwrap();
    assert!(matches!(wrong.verify_at(&valid, body, at(1614265330)), Err(WebhookError::Signature)));
    assert!(matches!(verifier.verify_at(&valid, br#"{"test": 2432232315}"#, at(1614265330)), Err(WebhookError::Signature)));
    for broken in ["v1,dawfeoifkpqwoekfpqoekf", &signature[..8], "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="] {
        assert!(matches!(verifier.verify_at(&signed(broken, "1614265330"), body, at(1614265330)), Err(WebhookError::Signature)));
    }
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut partial = valid.clone();
        partial.remove(missing);
        assert!(matches!(verifier.verify_at(&partial, body, at(1614265330)), Err(WebhookError::MissingHeader(_))));
    }
    for empty in ["", "whsec_", "whsec_="] {
        assert!(matches!(StandardWebhooks::new(empty), Err(WebhookError::Secret(_))));
    }
    assert!(!format!("{verifier:?}").contains("MfKQ9r8"), "the secret never shows");
    // `verify_and_parse` refuses before reading the body; with the system clock.
    let now = std::time::SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let event_headers = |signature: &str| signed(signature, &now.to_string());
    let good = verifier.sign(id, now, completed.as_bytes());
    assert!(verifier.verify(&event_headers(&good), completed.as_bytes()).is_ok());
    let event = webhooks::verify_and_parse(&verifier, &event_headers(&good), completed.as_bytes()).unwrap();
    assert_eq!(event.name(), Some("batch_completed"));
    let forged = wrong.sign(id, now, b"not json");
    let error = webhooks::verify_and_parse(&verifier, &event_headers(&forged), b"not json").unwrap_err();
    assert!(matches!(error, WebhookError::Signature), "refused before parsing: {error:?}");
}
