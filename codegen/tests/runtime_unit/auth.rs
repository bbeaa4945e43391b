//! `runtime/auth.rs`: the base64 of basic credentials, and secrets that never print.

use super::runtime::auth::{Credential, Secret, base64};

#[test]
fn base64_follows_rfc_4648() {
    // RFC 4648 §10's test vectors.
    let vectors = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (text, encoded) in vectors {
        assert_eq!(base64(text), encoded, "{text:?}");
    }
    // RFC 7617's example, and bytes beyond ASCII.
    assert_eq!(base64("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert_eq!(base64("test:123£"), "dGVzdDoxMjPCow==");
}

#[test]
fn secrets_never_print() {
    let shown = format!("{:?} {:?}", Secret("sk-1".into()), Credential::basic("ada", "pw-2"));
    assert!(!shown.contains("sk-1") && !shown.contains("pw-2"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(!format!("{:?}", Credential::secret("tok-3")).contains("tok-3"));
}
