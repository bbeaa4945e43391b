// Wire checks for `fixtures/webhooks_github.rs` (see `tests/wire.rs`): 3.0 `x-webhooks` as
// GitHub writes them, told apart by `X-GitHub-Event` (the operation's `x-github.subcategory`)
// and the body's `action`, or by our `x-webhook-match`; GitHub's `X-Hub-Signature-256`.
fn main() {
    use serde_json::json;
    use webhooks::{Event, HmacSignature, Verify, WebhookError};

    let headers = |event: &str, signature: Option<&str>| {
        let mut map = reqwest::header::HeaderMap::new();
        map.insert("x-github-event", event.parse().unwrap());
        if let Some(s) = signature {
            map.insert("x-hub-signature-256", s.parse().unwrap());
        }
        map
    };
    let opened = json!({"action": "opened", "issue": {"number": 7, "title": "Crash"}}).to_string();
    let event = webhooks::parse(&headers("issues", None), opened.as_bytes()).unwrap();
    assert!(matches!(&event, Event::IssuesOpened(p) if p.issue.number == 7), "{event:?}");
    let closed = json!({"action": "closed", "issue": {"number": 7, "title": "Crash"}}).to_string();
    assert_eq!(webhooks::parse(&headers("issues", None), closed.as_bytes()).unwrap().name(), Some("issues-closed"));
    // The same `action` under another event is that event.
    let created = json!({"action": "created", "label": {"name": "bug"}}).to_string();
    assert!(matches!(webhooks::parse(&headers("label", None), created.as_bytes()).unwrap(), Event::LabelCreated(_)));
    assert!(matches!(webhooks::parse(&headers("issues", None), created.as_bytes()).unwrap(), Event::Unknown(_)));
    // `x-webhook-match` on `ping`.
    let ping = json!({"zen": "Keep it logically awesome."}).to_string();
    assert!(matches!(webhooks::parse(&headers("ping", None), ping.as_bytes()).unwrap(), Event::Ping(p) if p.zen.is_some()));

    // GitHub's signature: HMAC-SHA256 of the body, hex, after `sha256=` (GitHub's documented
    // example: this secret and payload give this signature).
    let github = HmacSignature::github("It's a Secret to Everybody");
    let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assert_eq!(github.sign(b"Hello, World!"), expected);
    github.verify(&headers("ping", Some(expected)), b"Hello, World!").unwrap();
    github.verify(&headers("ping", Some(&expected.to_uppercase().replace("SHA256=", "sha256="))), b"Hello, World!").unwrap();
    for wrong in ["sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", "sha1=757107", "sha256=zz", ""] {
        let result = github.verify(&headers("ping", Some(wrong)), b"Hello, World!");
        assert!(matches!(result, Err(WebhookError::Signature)), "{wrong}: {result:?}");
    }
    assert!(matches!(github.verify(&headers("ping", None), b"Hello, World!"), Err(WebhookError::MissingHeader(_))));
    // An empty secret (an unset variable) verifies nothing: anyone could sign with it.
    let unset = HmacSignature::github("");
    let forged = unset.sign(b"{}");
    assert!(matches!(unset.verify(&headers("ping", Some(&forged)), b"{}"), Err(WebhookError::Secret(_))));
    // Hex is hex: a `+` that `from_str_radix` would take is refused.
    let plus = format!("sha256=+{}", &expected["sha256=+".len()..]);
    assert!(matches!(github.verify(&headers("ping", Some(&plus)), b"Hello, World!"), Err(WebhookError::Signature)));
    assert!(matches!(github.verify(&headers("ping", Some(expected)), b"Hello, World?"), Err(WebhookError::Signature)));
    // Any header and prefix.
    let custom = HmacSignature::new("x-signature", "", "key");
    let mut map = reqwest::header::HeaderMap::new();
    map.insert("x-signature", custom.sign(b"{}").parse().unwrap());
    custom.verify(&map, b"{}").unwrap();
    let event = webhooks::verify_and_parse(&github, &headers("issues", Some(&github.sign(opened.as_bytes()))), opened.as_bytes());
    assert!(matches!(event, Ok(Event::IssuesOpened(_))));
}
