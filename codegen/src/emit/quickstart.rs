//! The quick start: one call the generated crate can show with made-up arguments, chosen once
//! and rendered twice, as the crate docs' example and as `examples/quickstart.rs`; and the crate
//! docs around it.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::{doc_lines, sanitize_doc, text_lines};
use super::{EmitOptions, ident};
use crate::ir::*;
use crate::naming::{Style, unique};

/// The call the quick start makes: the first operation (in sorted order) whose arguments are
/// all strings, so they can be spelled out or read from the command line, and whose output is a
/// value.
struct QuickStart<'a> {
    op: &'a Operation,
    /// Path parameters, in order.
    path_params: Vec<&'a Param>,
    /// The body's type name and its required (string) fields, when there is a body.
    body: Option<(&'a str, Vec<&'a Field>)>,
}

impl<'a> QuickStart<'a> {
    fn of(ir: &'a Ir) -> Option<Self> {
        ir.operations.iter().find_map(|op| {
            if !op.params.iter().all(|p| p.location == ParamLocation::Path && p.ty == Ty::String) {
                return None;
            }
            // A value to print: not a stream or a download.
            if !matches!(op.success, Success::Json(_) | Success::Empty | Success::Text) {
                return None;
            }
            let body = match &op.body {
                None => None,
                Some(body) => Some(string_constructor(body, ir)?),
            };
            let path_params = op.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
            Some(QuickStart { op, path_params, body })
        })
    }

    /// The names of the values the example program reads from its command line, in order.
    fn argument_names(&self) -> Vec<&'a str> {
        let fields = self.body.iter().flat_map(|(_, required)| required.iter().map(|f| f.name.as_str()));
        self.path_params.iter().map(|p| p.name.as_str()).chain(fields).collect()
    }
}

/// A body struct whose required fields are all non-nullable strings: its name and those fields.
fn string_constructor<'a>(body: &Body, ir: &'a Ir) -> Option<(&'a str, Vec<&'a Field>)> {
    let (BodyKind::Json(Ty::Named(id)) | BodyKind::Form(Ty::Named(id))) = &body.kind else { return None };
    let def = ir.types.get(*id);
    let TypeKind::Struct(s) = &def.kind else { return None };
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    required.iter().all(|f| f.ty == Ty::String && !f.nullable).then_some((def.name.as_str(), required))
}

/// `//!` docs of `lib.rs`: what the crate is, the quick start, configuration and retries.
pub(super) fn crate_docs(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
    let version = match ir.api_version.trim() {
        "" => String::new(),
        v => format!(" (API version {v})"),
    };
    let mut lines =
        sanitize_doc(&format!("Client for {}.\n\nGenerated from its OpenAPI description{version}.", ir.api_phrase()));
    if let Some(d) = &ir.description {
        lines.push(String::new());
        lines.extend(sanitize_doc(d));
    }
    lines.push(String::new());
    let env = options.env_prefix;
    let credentials = super::security::env_summary(ir, env, true);
    let mut guide =
        format!("# Quick start\n\n```no_run\n# async fn run() -> Result<(), {}::Error> {{\n", options.crate_name);
    guide.push_str(&quick_start_body(ir, options));
    guide.push_str("# Ok(())\n# }\n```\n\n");
    guide.push_str(&format!(
        "# Configuration\n\n\
         [`Client::from_env`] reads {credentials}, `{env}_BASE_URL` and `{env}_CUSTOM_HEADERS` \
         (newline-separated `Name: value` pairs). [`Client::builder`] sets the same and more: timeouts, retries, \
         an overall deadline, default headers, or your own `reqwest::Client`. Every call returns a \
         [`RequestBuilder`] that can override timeout, retries and headers for that call, and can return the \
         raw [`Response`] (status, headers, request id, attempts) beside the value.\n\n\
         # Retries\n\n\
         See [`RequestBuilder`] for the retry policy. In short: idempotent requests are retried on connection \
         errors, timeouts, 408, 409, 429 and 5xx; a request that is not idempotent (`POST`, `PATCH`) is resent \
         automatically only when the server provably did not process it, unless the call opts in."
    ));
    if let Some(op) = paged_example(ir) {
        guide.push_str(&format!(
            "\n\n# Paged lists\n\n\
             `{id}` is paged: `.await` gives the first page; `.items()` walks the items of every page (and \
             `.pages()` the pages), fetching a page at a time as they are consumed, each with the usual retries; \
             `.max_items(n)` and `.max_pages(n)` cap the walk. Both are [`PageStream`]s, read with \
             `futures-util`'s `TryStreamExt`.\n\n\
             ```no_run\n# async fn example(client: {krate}::Client) -> ::std::result::Result<(), {krate}::Error> {{\n\
             {walk}# Ok(())\n# }}\n```",
            id = op.id.replace('`', "'"),
            krate = options.crate_name,
            walk = paging_body(op, options, ir, false),
        ));
    }
    lines.extend(text_lines(&guide));
    doc_lines(&lines, true)
}

/// The paged list the docs walk: the first paged operation (in sorted order) without a body whose
/// arguments are all literals, so that the README's program needs no made-up values.
fn paged_example(ir: &Ir) -> Option<&Operation> {
    ir.operations.iter().find(|op| {
        op.pagination.is_some()
            && op.body.is_none()
            && op.positional_params().all(|p| matches!(p.ty, Ty::String | Ty::Int(_) | Ty::Float | Ty::Bool))
    })
}

/// The statements walking `op`'s items, for the crate docs and (making the client first, as
/// the quick start does) the README.
fn paging_body(op: &Operation, options: &EmitOptions<'_>, ir: &Ir, make_client: bool) -> String {
    let call = super::operation_docs::ExampleCall::of(op, options.crate_name, &ir.types).call;
    let client = if make_client {
        format!("let client = {}::Client::from_env()?;\n", options.crate_name)
    } else {
        String::new()
    };
    format!(
        "use futures_util::TryStreamExt;\n\n\
         {client}let mut items = {call}.items();\n\
         while let Some(item) = items.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}\n"
    )
}

/// The quick start's statements as text, for the crate docs and the README: the client from the
/// environment, and the chosen call, if any.
fn quick_start_body(ir: &Ir, options: &EmitOptions<'_>) -> String {
    let (env, krate) = (options.env_prefix, options.crate_name);
    let quick_start = QuickStart::of(ir);
    // `types` is named only by a call with a body.
    let mut body = match quick_start.as_ref().and_then(|q| q.body.as_ref()) {
        Some(_) => format!("use {krate}::types;\n\n"),
        None => String::new(),
    };
    body.push_str(&format!("let client = {krate}::Client::from_env()?; // reads {env}_API_KEY, {env}_BASE_URL\n"));
    if let Some(call) = quick_start.map(|q| doc_call(&q)) {
        body.push_str(&format!("let response = client{call}\n    .await?;\nprintln!(\"{{response:?}}\");\n"));
    }
    body
}

/// `README.md` of the generated crate: what it is, how to depend on it and choose its features,
/// the environment variables, the quick start (the crate docs' call), paged lists (when the API
/// has one to show), the retry and timeout policy, tracing, and where the full docs are. Markdown,
/// not rustdoc: the spec's description goes through the same sanitiser, whose output is Markdown
/// too. Its Rust blocks are whole programs, compiled as doctests of the crate (`render` includes
/// the README in `lib.rs` under `cfg(doctest)`); the install section names every crate they use
/// (`readme_installs_what_its_examples_use`).
pub(crate) fn readme(ir: &Ir, options: &EmitOptions<'_>) -> String {
    let krate = options.crate_name;
    let version = match ir.api_version.trim() {
        "" => String::new(),
        v => format!(" (API version {v})"),
    };
    let mut out = format!(
        "# {krate}\n\nA Rust client for {}, generated from its OpenAPI description{version}: one method per \
         operation, a type per schema, and a runtime that handles authentication, retries, timeouts, pagination, \
         streams and uploads.\n\n",
        ir.api_phrase()
    );
    if let Some(d) = &ir.description {
        out.push_str(&sanitize_doc(d).join("\n"));
        out.push_str("\n\n");
    }
    let paged = paged_example(ir);
    out.push_str(&readme_setup(ir, options, paged.is_some()));
    out.push_str(&readme_program(krate, &quick_start_body(ir, options)));
    out.push_str("\n`examples/quickstart.rs` is the same call as a program: `cargo run --example quickstart`.\n\n");
    if let Some(op) = paged {
        out.push_str(&format!(
            "## Paged lists\n\n\
             `{id}` is paged: `.await` gives the first page; `.items()` walks the items of every page (and \
             `.pages()` the pages), fetching a page at a time as they are consumed, each with the usual retries; \
             `.max_items(n)` and `.max_pages(n)` cap the walk. Both are streams, read with `futures-util`'s \
             `TryStreamExt`:\n\n",
            id = op.id.replace('`', "'"),
        ));
        out.push_str(&readme_program(krate, &paging_body(op, options, ir, true)));
        out.push('\n');
    }
    out.push_str(&readme_hooks(krate));
    if let Some(first) = ir.webhooks.first() {
        out.push_str(&readme_webhooks(krate, ir.webhooks.len(), &first.variant));
    }
    if let Some(q) = QuickStart::of(ir) {
        out.push_str(&readme_mocks(krate, &q));
    }
    out.push_str(&readme_raw_calls(krate));
    out.push_str(&readme_policies());
    out
}

/// The README's section on receiving webhooks: verify, then parse, with the `webhooks` feature.
fn readme_webhooks(krate: &str, count: usize, first: &str) -> String {
    let events = if count == 1 { "one kind of event".to_owned() } else { format!("{count} kinds of events") };
    format!(
        "## Webhooks\n\n\
         The API sends {events} to your webhook endpoint. With the `webhooks` feature (off by default), \
         `{krate}::webhooks` reads them: `verify_and_parse` checks the request's signature first (the Standard \
         Webhooks scheme with `StandardWebhooks`, a single HMAC header such as GitHub's `X-Hub-Signature-256` \
         with `HmacSignature`) and only then decodes the body into an `Event`, one variant per webhook of the \
         spec and `Unknown` for any other. Give it the raw body, as received: a signature covers its exact \
         bytes.\n\n\
         ```rust,no_run\n\
         // In your HTTP handler, with the request's headers and raw body:\n\
         #[cfg(feature = \"webhooks\")]\n\
         fn handle(headers: &{krate}::HeaderMap, body: &[u8]) -> Result<(), {krate}::webhooks::WebhookError> {{\n\
         \x20   use {krate}::webhooks::{{Event, StandardWebhooks, verify_and_parse}};\n\n\
         \x20   let verifier = StandardWebhooks::new(&std::env::var(\"WEBHOOK_SECRET\").unwrap_or_default())?;\n\
         \x20   match verify_and_parse(&verifier, headers, body)? {{\n\
         \x20       Event::{first}(payload) => println!(\"{{payload:?}}\"),\n\
         \x20       event => println!(\"another event: {{:?}}\", event.name()),\n\
         \x20   }}\n\
         \x20   Ok(())\n\
         }}\n\
         ```\n\n"
    )
}

/// The README's section on testing with the typed mocks, on the quick start's operation.
fn readme_mocks(krate: &str, q: &QuickStart<'_>) -> String {
    let resources: String = q.op.resource.iter().map(|r| format!(".{r}()")).collect();
    let args: Vec<String> = q.path_params.iter().map(|p| format!("{:?}", format!("{}_123", p.name))).collect();
    let types = if q.body.is_some() { format!("    use {krate}::types;\n\n") } else { String::new() };
    format!(
        "## Testing with mocks\n\n\
         With the `mock` feature (off by default; turn it on in `[dev-dependencies]`), `{krate}::mock::MockServer` \
         is a local server on which each operation is mocked by a method named as the client's: it takes the \
         operation's path parameters, may require a query parameter, header or body (`.query(..)`, `.header(..)`, \
         `.body(..)`, `.times(n)`), and answers with the operation's typed value (`.returns(value)`), an error \
         (`.fails(status, &body)`) or any response. A request no mock matches gets status 418 and a message \
         naming the operation closest to it, and fails the test.\n\n\
         ```rust,no_run\n\
         #[cfg(feature = \"mock\")]\n\
         async fn reports_what_the_api_refused() {{\n\
         {types}\
         \x20   let mock = {krate}::mock::MockServer::start().await;\n\
         \x20   mock{resources}.{method}({args}).fails(404, \"not found\").await;\n\n\
         \x20   let client = mock.client();\n\
         \x20   let error = client{call}.await.unwrap_err();\n\
         \x20   assert_eq!(error.status().map(|s| s.as_u16()), Some(404));\n\
         }}\n\
         ```\n\n",
        method = q.op.method_name,
        args = args.join(", "),
        call = doc_call(q).replace("\n    ", ""),
    )
}

/// The README's section on raw calls: an endpoint the spec does not describe, through the same
/// runtime.
fn readme_raw_calls(krate: &str) -> String {
    format!(
        "## Endpoints the spec does not describe\n\n\
         `client.request(method, path)` calls any path below the base URL with everything a generated call has: \
         authentication, default headers, timeouts, retries by the same rules (with the same idempotency key on \
         every attempt), tracing and hooks. Set `.query(..)`, `.header(..)` and `.json(..)` or `.body(..)`, then \
         `.send::<T>()` decodes the JSON body, or `.send_response()` gives the status, headers and body bytes. \
         The path never changes the host, and one with a query, a fragment or a `..` segment is refused: query \
         parameters go through `.query(..)`.\n\n\
         ```rust,no_run\n\
         #[tokio::main]\n\
         async fn main() -> Result<(), {krate}::Error> {{\n\
         \x20   let client = {krate}::Client::from_env()?;\n\
         \x20   let response = client\n\
         \x20       .request({krate}::Method::GET, \"/v1/beta/endpoint\")\n\
         \x20       .query(\"limit\", &10)\n\
         \x20       .header(\"x-beta\", \"1\")\n\
         \x20       .send_response()\n\
         \x20       .await?;\n\
         \x20   println!(\"{{}}: {{}}\", response.status(), String::from_utf8_lossy(response.value()));\n\
         \x20   Ok(())\n\
         }}\n\
         ```\n\n"
    )
}

/// The README's hooks section: a hook that signs every attempt and logs every response.
fn readme_hooks(krate: &str) -> String {
    format!(
        "## Hooks\n\n\
         A `Hook` runs your code around every attempt of every call: `before_attempt` sees the request as it is \
         about to go out (auth and idempotency key set) and may add or change headers, to sign it for example; \
         `after_response` sees each response's status, headers, attempt number and time; `on_error` sees each \
         error. Register hooks on the builder (every call) or on one call (`.hook(…)`); the client's run \
         first, each in the order registered. A retry runs `before_attempt` again, so a signature is fresh on \
         every attempt while the idempotency key stays the same. What a hook is shown prints header names only, \
         never their values.\n\n\
         ```rust,no_run\n\
         use {krate}::{{AttemptRequest, AttemptResponse, Hook, HookError, HookFuture}};\n\n\
         /// Signs every attempt and logs every response.\n\
         struct Signer {{\n    key_id: String,\n}}\n\n\
         impl Hook for Signer {{\n\
         \x20   fn before_attempt<'a>(&'a self, request: &'a mut AttemptRequest<'_>) -> HookFuture<'a, Result<(), HookError>> {{\n\
         \x20       Box::pin(async move {{\n\
         \x20           // Compute your signature over the method, path and body here.\n\
         \x20           let body_len = request.body().map_or(0, <[u8]>::len);\n\
         \x20           let signature = format!(\"{{}};{{}};{{}}\", self.key_id, request.attempt(), body_len);\n\
         \x20           request.headers_mut().insert(\"x-signature\", signature.parse()?);\n\
         \x20           Ok(())\n\
         \x20       }})\n\
         \x20   }}\n\n\
         \x20   fn after_response<'a>(&'a self, response: &'a AttemptResponse<'_>) -> HookFuture<'a, ()> {{\n\
         \x20       eprintln!(\"{{}} #{{}}: {{}} in {{:?}}\", response.operation(), response.attempt(), response.status(), response.elapsed());\n\
         \x20       Box::pin(std::future::ready(()))\n\
         \x20   }}\n\
         }}\n\n\
         #[tokio::main]\n\
         async fn main() -> Result<(), {krate}::Error> {{\n\
         \x20   let client = {krate}::Client::builder_from_env()?.hook(Signer {{ key_id: \"key-1\".into() }}).build()?;\n\
         \x20   println!(\"{{client:?}}\");\n\
         \x20   Ok(())\n\
         }}\n\
         ```\n\n"
    )
}

/// A whole program for the README, `statements` in an async `main`; leading `use` items go
/// before it.
fn readme_program(krate: &str, statements: &str) -> String {
    let mut uses = String::new();
    let mut body = String::new();
    let mut lines = statements.lines().peekable();
    while let Some(line) = lines.next_if(|l| l.starts_with("use ") || l.is_empty()) {
        uses.push_str(line);
        uses.push('\n');
    }
    for line in lines {
        body.push_str(&if line.is_empty() { String::new() } else { format!("    {line}") });
        body.push('\n');
    }
    format!(
        "```rust,no_run\n{uses}#[tokio::main]\nasync fn main() -> Result<(), {krate}::Error> {{\n{body}    Ok(())\n}}\n```\n"
    )
}

/// The README's install, features and configuration sections, and the quick start's heading.
/// The install section names every crate the README's programs use: `tokio` for `main`, and
/// `futures-util` when there is a paged list to walk.
fn readme_setup(ir: &Ir, options: &EmitOptions<'_>, paged: bool) -> String {
    let (env, krate) = (options.env_prefix, options.crate_name);
    let futures = if paged { "futures-util = \"0.3\"\n" } else { "" };
    format!(
        "## Install\n\n\
         ```toml\n[dependencies]\n{krate} = {{ path = \"path/to/this/crate\" }}\n{futures}\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n\
         The crate re-exports `reqwest` (and `StatusCode`, `HeaderMap`, `Method`), so you need no \
         `reqwest` dependency of your own to use the types it names.\n\n\
         | Feature | Default | What it does |\n| --- | --- | --- |\n\
         | `rustls` | yes | TLS through rustls (aws-lc-rs crypto), with the platform's certificate verifier |\n\
         | `native-tls` | no | TLS through the platform's library (OpenSSL on Linux: its headers must be installed to build) |\n\
         | `gzip` | no | Accept gzip-compressed responses |\n\
         | `http2` | no | HTTP/2, negotiated over TLS |\n{unreferenced}\n\
         For the platform's TLS instead of rustls: `default-features = false, features = [\"native-tls\"]`. \
         With neither TLS feature the client speaks plain `http://` only (for a TLS-terminating proxy); an \
         `https://` request then fails with a connection error.\n\n\
         ## Configuration\n\n\
         `Client::from_env()` reads:\n\n\
         | Variable | |\n| --- | --- |\n\
         {credentials}\
         | `{env}_BASE_URL` | the server, if not the default{} |\n\
         | `{env}_CUSTOM_HEADERS` | extra headers, newline-separated `Name: value` pairs |\n\n\
         `Client::builder()` sets the same in code, and more: timeouts, retries, an overall deadline, default \
         headers, or your own `reqwest::Client`. The API key never appears in `Debug` output, errors or traces.\n\n\
         {schemes}\
         ## Quick start\n\n",
        ir.base_url.as_deref().map(|u| format!(" (`{u}`)")).unwrap_or_default(),
        credentials = super::security::readme_rows(ir, env),
        schemes = super::security::readme_example(ir, krate),
        unreferenced = if options.features.is_some_and(super::ResourceFeatures::has_unreferenced) {
            format!(
                "| `{}` | no | The spec's types that no operation sends or returns (webhook payloads, for example) |\n",
                super::UNREFERENCED
            )
        } else {
            String::new()
        },
    )
}

/// The README's end: retries, timeouts and limits, tracing, documentation.
fn readme_policies() -> String {
    format!(
        "## Retries, timeouts and limits\n\n\
         - Each attempt times out after {timeout} s (connecting after {connect} s); operations the spec marks \
         as slow get longer. Set an overall deadline across attempts with `.deadline(…)`.\n\
         - Up to {retries} retries, with exponential backoff from {initial} ms to {max} s and jitter; a \
         `Retry-After` header is honoured up to {retry_after} s.\n\
         - Idempotent requests (`GET`, `PUT`, `DELETE`, …) are retried on connection errors, timeouts, 408, \
         409, 429 and 5xx. A request that is not idempotent (`POST`, `PATCH`) is resent automatically only \
         when the server provably did not process it (refused connection, 429), unless the call opts in \
         with `.retry_non_idempotent(true)`.\n\
         - Streams and downloads: retries and the attempt timeout apply until the response headers arrive; \
         then only an idle timeout between chunks ({idle} s) applies. An event stream whose connection drops \
         reconnects where it was (by `Last-Event-ID`, or the parameter the spec names) up to {reconnects} times \
         in a row (`max_reconnects`), delivering each event once; a `POST` stream only if the call opts in.\n\
         - Streams hold one line, and one event's data, at a time: one longer than {line} MiB \
         (`max_line_bytes`, `max_event_bytes`) ends the stream with `Error::LimitExceeded`, without reading the \
         rest; a body cut short inside an event or a line ends it with `Error::Truncated`. An error response's \
         body is kept up to {error_body} MiB (`max_error_body_bytes`).\n\n\
         Every call returns a `RequestBuilder` on which these can be changed for that call.\n\n\
         ## Tracing\n\n\
         Each call is a [`tracing`](https://docs.rs/tracing) span named `request` with the operation id, \
         method, path template, number of attempts, last status, request id and elapsed time; each attempt \
         is a span `attempt` inside it with its number, status and request id; each retry is an event with \
         its reason and delay. Spans and events never hold the API key, header values or bodies.\n\n\
         ## Documentation\n\n\
         `cargo doc --open` shows every resource, method and type, with the spec's descriptions.\n",
        timeout = RUNTIME_DEFAULTS.timeout_s,
        connect = RUNTIME_DEFAULTS.connect_s,
        retries = RUNTIME_DEFAULTS.max_retries,
        initial = RUNTIME_DEFAULTS.initial_backoff_ms,
        max = RUNTIME_DEFAULTS.max_backoff_s,
        retry_after = RUNTIME_DEFAULTS.max_retry_after_s,
        idle = RUNTIME_DEFAULTS.idle_s,
        reconnects = RUNTIME_DEFAULTS.max_reconnects,
        line = RUNTIME_DEFAULTS.max_line_mib,
        error_body = RUNTIME_DEFAULTS.max_error_body_mib,
    )
}

/// The runtime's defaults as the README states them; `readme_states_the_runtime_defaults` checks
/// them against `templates/runtime/client.rs`.
struct RuntimeDefaults {
    timeout_s: u64,
    connect_s: u64,
    idle_s: u64,
    max_retries: u32,
    max_reconnects: u32,
    initial_backoff_ms: u64,
    max_backoff_s: u64,
    max_retry_after_s: u64,
    /// The line limit and the event limit, which are the same.
    max_line_mib: usize,
    max_error_body_mib: usize,
}

const RUNTIME_DEFAULTS: RuntimeDefaults = RuntimeDefaults {
    timeout_s: 30,
    connect_s: 5,
    idle_s: 60,
    max_retries: 5,
    max_reconnects: 5,
    initial_backoff_ms: 500,
    max_backoff_s: 8,
    max_retry_after_s: 60,
    max_line_mib: 8,
    max_error_body_mib: 1,
};

/// The call as text for the docs, with made-up arguments: `.devboxes()\n    .get("id_123")`.
fn doc_call(q: &QuickStart<'_>) -> String {
    let resources: String = q.op.resource.iter().map(|r| format!(".{r}()")).collect();
    let mut args: Vec<String> = q.path_params.iter().map(|p| format!("{:?}", format!("{}_123", p.name))).collect();
    if let Some((name, required)) = &q.body {
        if required.is_empty() {
            args.push(format!("&types::{name}::default()"));
        } else {
            let values: Vec<String> = required.iter().map(|f| format!("{:?}", f.wire)).collect();
            args.push(format!("&types::{name}::new({})", values.join(", ")));
        }
    }
    format!("{resources}\n    .{}({})", q.op.method_name, args.join(", "))
}

/// The top-level resource of the quick start's call (the feature `examples/quickstart.rs`
/// needs), if it makes one.
pub(crate) fn example_resource(ir: &Ir) -> Option<&str> {
    QuickStart::of(ir).and_then(|q| q.op.resource.first()).map(String::as_str)
}

/// The quick-start example program, for `examples/quickstart.rs`: builds the client from the
/// environment and makes the quick start's call with arguments from the command line. Without
/// the right number of arguments it prints its usage to stderr and exits with status 2 (no panic).
pub(crate) fn example(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
    let krate = ident(options.crate_name);
    let env = format!("{}_API_KEY", options.env_prefix);
    let Some(q) = QuickStart::of(ir) else {
        // No operation whose arguments the example can spell out: show the configuration.
        let doc = format!(" Quick start: reads `{env}` from the environment and shows the client's configuration.");
        let run = quote! {
            let client = #krate::Client::from_env()?;
            println!("{client:#?}");
        };
        return example_program(&doc, &krate, run);
    };
    let doc = format!(" Quick start: reads `{env}` from the environment and makes one call.");
    // The example's own variables; the arguments' variables are named after the parameters and
    // fields they fill, made distinct from these and from each other.
    let mut used: BTreeSet<String> =
        ["args", "body", "client", "error", "main", "response", "run"].iter().map(|s| (*s).to_owned()).collect();
    let names = q.argument_names();
    let vars: Vec<Ident> = names.iter().map(|n| ident(&unique(&mut used, n, Style::Snake))).collect();
    let read_args = if names.is_empty() {
        TokenStream::new()
    } else {
        let usage = format!(
            "usage: cargo run --example quickstart --{}",
            names.iter().map(|n| format!(" <{n}>")).collect::<String>()
        );
        let count = Literal::usize_unsuffixed(names.len());
        quote! {
            let args: ::std::vec::Vec<::std::string::String> = ::std::env::args().skip(1).collect();
            let ::std::result::Result::Ok([#(#vars),*]) = <[::std::string::String; #count]>::try_from(args) else {
                eprintln!(#usage);
                ::std::process::exit(2);
            };
        }
    };
    let call = example_call(&q, options, &vars);
    let run = quote! {
        #read_args
        let client = #krate::Client::from_env()?;
        #call
    };
    example_program(&doc, &krate, run)
}

/// `examples/quickstart.rs` around its statements: they run in `run`, and `main` prints a failure
/// as its message (a sentence; returning the error from `main` would print its `Debug`) and exits
/// with a failure status.
fn example_program(doc: &str, krate: &Ident, statements: TokenStream) -> TokenStream {
    quote! {
        #![doc = #doc]

        #[tokio::main]
        async fn main() -> ::std::process::ExitCode {
            match run().await {
                ::std::result::Result::Ok(()) => ::std::process::ExitCode::SUCCESS,
                ::std::result::Result::Err(error) => {
                    eprintln!("error: {error}");
                    ::std::process::ExitCode::FAILURE
                }
            }
        }

        async fn run() -> ::std::result::Result<(), #krate::Error> {
            #statements
            ::std::result::Result::Ok(())
        }
    }
}

/// The example's statements: build the body, call, print. `vars` hold the path parameters, then
/// the body's required fields, in order.
fn example_call(q: &QuickStart<'_>, options: &EmitOptions<'_>, vars: &[Ident]) -> TokenStream {
    let krate = ident(options.crate_name);
    let resources = q.op.resource.iter().map(|r| ident(r));
    let method = ident(&q.op.method_name);
    let (path_vars, field_vars) = vars.split_at(q.path_params.len());
    let mut lets = Vec::new();
    let mut call_args: Vec<TokenStream> = path_vars.iter().map(|v| quote!(&#v)).collect();
    if let Some((name, required)) = &q.body {
        let name_i = ident(name);
        if required.is_empty() {
            lets.push(quote!(let body = #krate::types::#name_i::default();));
        } else {
            lets.push(quote!(let body = #krate::types::#name_i::new(#(#field_vars),*);));
        }
        call_args.push(quote!(&body));
    }
    quote! {
        #(#lets)*
        let response = client #(.#resources())* .#method(#(#call_args),*).with_response().await?;
        println!("status {} (request id {:?}, {} attempt(s))", response.status(), response.request_id(), response.attempts());
        println!("{:#?}", response.into_value());
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// A size in MiB as the runtime writes it: `8 * 1024 * 1024`, and `1024 * 1024` for one.
    fn mib(n: usize) -> String {
        if n == 1 { "1024 * 1024".to_owned() } else { format!("{n} * 1024 * 1024") }
    }

    /// The crates a Rust block names that a user must depend on: the first segment of its paths
    /// (`use futures_util::…`, `#[tokio::main]`, `serde_json::json!`), but the standard library's,
    /// `crate_name` itself and the names its `use` items bring in (`use api::types;` → `types`).
    fn crates_named(code: &str, crate_name: &str) -> BTreeSet<String> {
        let mut introduced: BTreeSet<String> =
            ["std", "core", "alloc", "crate", "self", "super", crate_name].iter().map(|s| (*s).to_owned()).collect();
        for line in code.lines().filter_map(|l| l.trim().strip_prefix("use ")) {
            let last = line.trim_end_matches(';').rsplit("::").next().unwrap_or_default();
            introduced.insert(last.to_owned());
        }
        let mut named = BTreeSet::new();
        let bytes = code.as_bytes();
        for (at, _) in code.match_indices("::") {
            let start = code[..at].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
            let word = &code[start..at];
            let after_path = start >= 1 && (bytes[start - 1] == b':' || bytes[start - 1] == b'.');
            if !word.is_empty() && !after_path && word.starts_with(|c: char| c.is_ascii_lowercase()) {
                named.insert(word.to_owned());
            }
        }
        named.retain(|w| !introduced.contains(w));
        named
    }

    /// The Rust blocks of Markdown `text`, and the dependencies its `toml` blocks list.
    fn readme_parts(text: &str) -> (Vec<String>, BTreeSet<String>) {
        let (mut rust, mut deps) = (Vec::new(), BTreeSet::new());
        let mut block: Option<(String, String)> = None;
        for line in text.lines() {
            match &mut block {
                None => {
                    if let Some(info) = line.strip_prefix("```") {
                        block = Some((info.to_owned(), String::new()));
                    }
                }
                Some(_) if line == "```" => {
                    let (info, code) = block.take().unwrap();
                    if info.starts_with("rust") {
                        rust.push(code);
                    } else if info == "toml" {
                        let names = code.lines().filter_map(|l| l.split_once(" = ")).map(|(n, _)| n.replace('-', "_"));
                        deps.extend(names);
                    }
                }
                Some((_, code)) => {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
        (rust, deps)
    }

    #[test]
    fn crates_named_finds_what_a_user_depends_on() {
        let code = "use futures_util::TryStreamExt;\nuse api::types;\n#[tokio::main]\nasync fn main() {\n    let c = api::Client::from_env()?;\n    c.x(&types::Body::new(), std::time::Duration::ZERO, Foo::bar(), serde_json::json!({}));\n}\n";
        let named: Vec<String> = crates_named(code, "api").into_iter().collect();
        assert_eq!(named, ["futures_util", "serde_json", "tokio"]);
    }

    /// The README's install section lists every crate its examples use, for every fixture (with
    /// and without a quick-start call, a body, a paged list), so its examples work as written.
    #[test]
    fn readme_installs_what_its_examples_use() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let (mut paged, mut checked) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                continue;
            }
            let spec = std::fs::read_to_string(&path).unwrap();
            let options = crate::Options { crate_name: "api".into(), ..Default::default() };
            let readme = &crate::generate(&spec, &options).unwrap().files["README.md"];
            let (rust, deps) = readme_parts(readme);
            assert!(!rust.is_empty() && deps.contains("api"), "{}:\n{readme}", path.display());
            for code in &rust {
                let missing: Vec<_> = crates_named(code, "api").into_iter().filter(|c| !deps.contains(c)).collect();
                assert!(
                    missing.is_empty(),
                    "{}: README.md uses {missing:?} but does not list it:\n{readme}",
                    path.display()
                );
            }
            paged += usize::from(readme.contains("futures_util::TryStreamExt"));
            checked += 1;
        }
        assert!(checked > 20 && paged >= 2, "{checked} fixtures, {paged} with a paged list");
    }

    /// The README's numbers are the runtime's constants.
    #[test]
    fn readme_states_the_runtime_defaults() {
        let d = super::RUNTIME_DEFAULTS;
        for constant in [
            format!("DEFAULT_TIMEOUT: Duration = Duration::from_secs({});", d.timeout_s),
            format!("DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs({});", d.connect_s),
            format!("DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs({});", d.idle_s),
            format!("DEFAULT_MAX_RETRIES: u32 = {};", d.max_retries),
            format!("DEFAULT_MAX_RECONNECTS: u32 = {};", d.max_reconnects),
            format!("INITIAL_BACKOFF: Duration = Duration::from_millis({});", d.initial_backoff_ms),
            format!("MAX_BACKOFF: Duration = Duration::from_secs({});", d.max_backoff_s),
            format!("MAX_RETRY_AFTER: Duration = Duration::from_secs({});", d.max_retry_after_s),
            format!("DEFAULT_MAX_LINE_BYTES: usize = {};", mib(d.max_line_mib)),
            format!("DEFAULT_MAX_EVENT_BYTES: usize = {};", mib(d.max_line_mib)),
            format!("DEFAULT_MAX_ERROR_BODY_BYTES: usize = {};", mib(d.max_error_body_mib)),
        ] {
            assert!(crate::render::RUNTIME.contains(&constant), "the runtime no longer has `{constant}`");
        }
    }

    /// The example never panics on bad usage: no `expect`/`unwrap`; when it reads arguments, a
    /// wrong count prints the usage to stderr and exits with status 2.
    #[test]
    fn examples_exit_with_usage_instead_of_panicking() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut with_arguments = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                continue;
            }
            let spec = std::fs::read_to_string(&path).unwrap();
            let out = crate::generate(&spec, &crate::Options::default()).unwrap();
            let example = &out.files["examples/quickstart.rs"];
            assert!(!example.contains(".expect(") && !example.contains(".unwrap("), "{}", path.display());
            if example.contains("env::args()") {
                with_arguments += 1;
                assert!(
                    example.contains("eprintln!(\n            \"usage: ") || example.contains("eprintln!(\"usage: "),
                    "{}:\n{example}",
                    path.display()
                );
                assert!(example.contains("::std::process::exit(2);"), "{}", path.display());
            }
        }
        assert!(with_arguments >= 2, "too few fixtures exercise the example's arguments");
    }
}
