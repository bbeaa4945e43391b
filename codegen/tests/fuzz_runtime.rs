//! Fuzzing of the runtime's parsers, the inputs a server controls: the SSE parser and the JSON
//! Lines splitter (random bytes and real streams cut at random points), `Link` and `Retry-After`
//! headers, `Content-Disposition` file names, and multipart values. None may panic; the parsers
//! hold no line or event over their limits and stop at the first one passed; what they give back
//! is bounded by what they were fed; a file name never leaves its directory.
//!
//! Bounded for CI (`FUZZ_SECONDS`, default 3; `FUZZ_SEED` to replay); `cargo xtask fuzz` runs it
//! for longer beside the generator's fuzzer.

#[path = "../templates/runtime/mod.rs"]
#[allow(dead_code, unused_imports)]
mod runtime;

/// What the runtime reads from the generated crate root.
const SPEC: runtime::Spec =
    runtime::Spec { env_prefix: "FUZZ_RUNTIME", default_base_url: None, schemes: &[], security: &[] };

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};

/// Pieces the byte inputs are made of: the syntax of SSE and JSON Lines, and awkward bytes.
const PIECES: &[&[u8]] = &[
    b"data: ",
    b"data:",
    b"event: x",
    b"id: 1",
    b"id: \0",
    b"retry: 10",
    b"retry: 99999999999999999999",
    b": comment",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"\x1e",
    b"{\"a\":1}",
    b"[",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe2\x82",
    b"\xf0\x9f\xa6\x80",
    b"<https://a.example/?page=2>; rel=\"next\"",
    b"rel=next",
    b"\"",
    b";",
    b",",
    b"<",
    b">",
    b"filename*=UTF-8''",
    b"%2F..%00",
    b"\\",
    b"C:",
];

fn input(rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.usize(0..64) {
        if rng.u8(0..4) == 0 {
            out.push(rng.u8(..));
        } else {
            out.extend_from_slice(PIECES[rng.usize(..PIECES.len())]);
        }
    }
    out
}

/// `bytes` cut into random chunks.
fn chunks<'a>(rng: &mut fastrand::Rng, bytes: &'a [u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = rng.usize(1..=rest.len());
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

/// Small limits, so that random input passes them often.
const MAX_LINE: usize = 24;
const MAX_DATA: usize = 40;

fn sse(rng: &mut fastrand::Rng, bytes: &[u8]) {
    let mut parser = runtime::sse::SseParser::with_limits(MAX_LINE, MAX_DATA);
    let mut out = VecDeque::new();
    let mut failed = false;
    for chunk in chunks(rng, bytes) {
        if parser.feed(chunk, &mut out).is_err() {
            failed = true;
            // Once a limit is passed, the parser takes no more input.
            assert!(parser.feed(b"data: more\n\n", &mut out).is_err());
            break;
        }
    }
    if !failed {
        let _ = parser.finish();
    }
    // No event holds more data than its limit, and events only hold what was fed: at most three
    // bytes per byte fed (a byte of invalid UTF-8 becomes U+FFFD).
    assert!(out.iter().all(|e| e.data.len() <= MAX_DATA), "an event over the limit");
    let data: usize = out.iter().map(|e| e.data.len()).sum();
    assert!(data <= 3 * bytes.len(), "{data} bytes of data from {} bytes", bytes.len());
}

fn json_lines(rng: &mut fastrand::Rng, bytes: &[u8]) {
    let mut splitter = runtime::json_lines::LineSplitter::with_limit(MAX_LINE);
    let mut out = VecDeque::new();
    let mut failed = false;
    for chunk in chunks(rng, bytes) {
        if splitter.feed(chunk, &mut out).is_err() {
            failed = true;
            break;
        }
    }
    if !failed && let Ok(Some(last)) = splitter.finish() {
        out.push_back(last);
    }
    assert!(out.iter().all(|l| l.len() <= MAX_LINE), "a line over the limit");
    let total: usize = out.iter().map(Vec::len).sum();
    assert!(total <= bytes.len(), "{total} bytes of lines from {} bytes", bytes.len());
}

fn headers(name: &'static str, bytes: &[u8]) -> Option<HeaderMap> {
    let value = HeaderValue::from_bytes(bytes).ok()?;
    let mut map = HeaderMap::new();
    map.append(name, value);
    Some(map)
}

fn link(bytes: &[u8]) {
    if let Some(map) = headers("link", bytes)
        && let Some(url) = runtime::paging::next_link(&map)
    {
        assert!(!url.trim().is_empty(), "an empty next link");
        assert!(bytes.windows(url.len()).any(|w| w == url.as_bytes()), "{url:?} is not in the header");
    }
}

fn retry_after(bytes: &[u8]) {
    for name in ["retry-after", "retry-after-ms"] {
        if let Some(map) = headers(name, bytes) {
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            let _ = runtime::retry::retry_after(&map, now);
        }
    }
}

fn file_name(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for value in [format!("attachment; filename=\"{text}\""), format!("attachment; filename*=UTF-8''{text}")] {
        if let Some(name) = runtime::download::content_disposition_file_name(&value) {
            assert!(!name.is_empty() && name != "." && name != "..", "{name:?} from {value:?}");
            assert!(!name.contains(['/', '\\', ':']) && !name.chars().any(char::is_control), "{name:?} from {value:?}");
        }
    }
}

fn multipart(rng: &mut fastrand::Rng, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let value = match rng.u8(0..4) {
        0 => serde_json::Value::String(text.clone()),
        1 => serde_json::json!([text.clone(), rng.i64(..), null]),
        2 => serde_json::json!({ text.clone(): rng.f64() }),
        _ => serde_json::Value::Null,
    };
    let content_type = rng.bool().then_some("application/json");
    let _ = format!("{:?}", runtime::Parts::new().value(&text, &value, content_type));
}

#[test]
fn runtime_parsers_take_any_input() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let mut rng = fastrand::Rng::with_seed(seed);
    let started = Instant::now();
    let mut cases = 0u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        cases += 1;
        let bytes = input(&mut rng);
        let case = (cases, seed, String::from_utf8_lossy(&bytes).into_owned());
        let mut case_rng = fastrand::Rng::with_seed(rng.u64(..));
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            sse(&mut case_rng, &bytes);
            json_lines(&mut case_rng, &bytes);
            link(&bytes);
            retry_after(&bytes);
            file_name(&bytes);
            multipart(&mut case_rng, &bytes);
        }));
        if run.is_err() {
            panic!("case {} (FUZZ_SEED={}) failed on input {:?}", case.0, case.1, case.2);
        }
    }
    eprintln!("fuzz_runtime: {cases} cases in {:?} (seed {seed})", started.elapsed());
    assert!(cases > 0);
}
