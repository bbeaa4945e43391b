//! Mutation fuzzing of the whole generator: fixture specs, randomly damaged, must never make
//! `generate` panic or hang; every failure must be an `Error` with a message.
//!
//! Bounded for CI (`FUZZ_SECONDS`, default 10; `FUZZ_SEED` to replay). For a longer run:
//! `FUZZ_SECONDS=600 cargo test --release -p codegen --test fuzz -- --nocapture`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn fixtures() -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    paths.sort();
    paths.iter().map(|p| codegen::parse(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

/// Every node's path, as (keys/indices).
fn paths(value: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(Value::String(k.clone()));
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(json!(i));
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(mut value: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    for seg in path {
        value = match (value, seg) {
            (Value::Object(m), Value::String(k)) => m.get_mut(k)?,
            (Value::Array(a), Value::Number(i)) => a.get_mut(i.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(value)
}

fn random_value(rng: &mut fastrand::Rng, donor: &Value) -> Value {
    let names = ["A", "Missing", "Pet", "Self", "type", "", "名前", "1st"];
    match rng.u8(0..16) {
        0 => Value::Null,
        1 => json!(rng.i64(-3..3)),
        2 => json!(""),
        3 => json!("x"),
        4 => json!([]),
        5 => json!({}),
        6 => json!({"$ref": format!("#/components/schemas/{}", names[rng.usize(..names.len())])}),
        7 => {
            let types = ["string", "null", "integer", "object", "array", "bogus"];
            json!({"type": types[rng.usize(..types.len())]})
        }
        8 => json!({"type": ["string", "null"]}),
        9 => json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]}),
        10 => json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]}),
        11 => json!({"enum": [1, "a", null, true]}),
        12 => json!(true),
        13 => json!({"type": "array", "items": {"$ref": "#/components/schemas/A"}}),
        _ => {
            // Cross-over: a random node of the donor document.
            let mut all = Vec::new();
            paths(donor, &mut Vec::new(), &mut all);
            let path = &all[rng.usize(..all.len())];
            let mut copy = donor.clone();
            node_mut(&mut copy, path).cloned().unwrap_or(Value::Null)
        }
    }
}

fn mutate(rng: &mut fastrand::Rng, doc: &mut Value, donor: &Value) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let path = all[rng.usize(..all.len())].clone();
    match rng.u8(0..4) {
        0 => {
            // Delete the node (a key or an array item).
            if let Some((last, parent)) = path.split_last()
                && let Some(parent) = node_mut(doc, parent)
            {
                match (parent, last) {
                    (Value::Object(m), Value::String(k)) => {
                        m.shift_remove(k);
                    }
                    (Value::Array(a), Value::Number(i)) => {
                        let i = i.as_u64().unwrap() as usize;
                        if i < a.len() {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
        1 => {
            // Add a key with a random value to an object.
            if let Some(Value::Object(m)) = node_mut(doc, &path) {
                let keys = [
                    "type",
                    "nullable",
                    "$ref",
                    "properties",
                    "required",
                    "enum",
                    "items",
                    "discriminator",
                    "x-y",
                    "const",
                    "prefixItems",
                ];
                m.insert(keys[rng.usize(..keys.len())].to_owned(), random_value(rng, donor));
            }
        }
        _ => {
            if let Some(node) = node_mut(doc, &path) {
                *node = random_value(rng, donor);
            }
        }
    }
}

#[test]
fn mutated_specs_never_panic() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let corpus = fixtures();
    let mut rng = fastrand::Rng::with_seed(seed);
    let started = Instant::now();
    let (mut ok, mut failed, mut cases) = (0u64, 0u64, 0u64);
    // Silence the default hook: a panic is reported below with the case that caused it.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    while started.elapsed() < Duration::from_secs(seconds) {
        cases += 1;
        let mut doc = corpus[rng.usize(..corpus.len())].clone();
        let donor = &corpus[rng.usize(..corpus.len())];
        for _ in 0..rng.usize(1..6) {
            mutate(&mut rng, &mut doc, donor);
        }
        let text = serde_json::to_string(&doc).unwrap();
        let options = codegen::Options { strict: rng.bool(), ..Default::default() };
        match std::panic::catch_unwind(|| codegen::generate(&text, &options)) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                assert!(!e.to_string().is_empty());
                failed += 1;
            }
            Err(panic) => {
                std::panic::set_hook(hook);
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
                panic!("generate panicked ({msg:?}) on case {cases} (FUZZ_SEED={seed}):\n{text}");
            }
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz: {cases} cases in {:?}: {ok} generated, {failed} rejected with an error (seed {seed})",
        started.elapsed()
    );
    assert!(cases > 0);
}
