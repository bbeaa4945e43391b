//! Render: token streams → formatted files of a complete crate.
//!
//! Formatting is prettyplease's alone (no text rewriting of its output); each file gets a header
//! naming the command that regenerates it. The hand-written runtime (`templates/runtime/`) is
//! copied verbatim, one file per module, so its comments survive (prettyplease would drop them);
//! it is rustfmt-formatted (checked by `cargo xtask test`), and `runtime_templates_parse` checks
//! that every file parses, so a broken template is caught here, not by the user's compiler.

use std::collections::BTreeMap;
use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Emitted, ResourceFeatures, TRANSPORT_FEATURES};
use crate::error::Error;
use crate::facts::Facts;
use crate::ir::Ir;

/// The runtime support module, copied verbatim into every generated crate as `src/runtime/`:
/// each file's name (in `templates/runtime/` and `src/runtime/`) and text.
pub(crate) const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../templates/runtime/mod.rs")),
    ("auth.rs", include_str!("../templates/runtime/auth.rs")),
    ("body.rs", include_str!("../templates/runtime/body.rs")),
    ("client.rs", include_str!("../templates/runtime/client.rs")),
    ("defaults.rs", include_str!("../templates/runtime/defaults.rs")),
    ("download.rs", include_str!("../templates/runtime/download.rs")),
    ("error.rs", include_str!("../templates/runtime/error.rs")),
    ("exact.rs", include_str!("../templates/runtime/exact.rs")),
    ("form.rs", include_str!("../templates/runtime/form.rs")),
    ("hooks.rs", include_str!("../templates/runtime/hooks.rs")),
    ("json_lines.rs", include_str!("../templates/runtime/json_lines.rs")),
    ("live.rs", include_str!("../templates/runtime/live.rs")),
    ("methods.rs", include_str!("../templates/runtime/methods.rs")),
    ("mixed.rs", include_str!("../templates/runtime/mixed.rs")),
    ("nullable.rs", include_str!("../templates/runtime/nullable.rs")),
    ("oauth.rs", include_str!("../templates/runtime/oauth.rs")),
    ("object.rs", include_str!("../templates/runtime/object.rs")),
    ("paging.rs", include_str!("../templates/runtime/paging.rs")),
    ("path.rs", include_str!("../templates/runtime/path.rs")),
    ("raw.rs", include_str!("../templates/runtime/raw.rs")),
    ("request.rs", include_str!("../templates/runtime/request.rs")),
    ("resume.rs", include_str!("../templates/runtime/resume.rs")),
    ("retry.rs", include_str!("../templates/runtime/retry.rs")),
    ("sse.rs", include_str!("../templates/runtime/sse.rs")),
    ("union.rs", include_str!("../templates/runtime/union.rs")),
];

/// The runtime's `client` module: `Client` with its inherent methods, and the defaults, which
/// tests of the generator read (the reserved method names, the README's numbers).
#[cfg(test)]
pub(crate) const RUNTIME: &str = include_str!("../templates/runtime/client.rs");

/// The names of the inherent methods (`impl Ty { fn ... }`, not trait impls) that `source`, a
/// template's text, defines on the type `ty`, in order: what a generated accessor must not be
/// named (tests of the reserved names read it).
#[cfg(test)]
pub(crate) fn inherent_methods(source: &str, ty: &str) -> Vec<String> {
    let file = syn::parse_file(source).expect("a template parses");
    let mut found = Vec::new();
    for item in file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(path) = imp.self_ty.as_ref() else { continue };
        if imp.trait_.is_some() || !path.path.is_ident(ty) {
            continue;
        }
        for item in imp.items {
            if let syn::ImplItem::Fn(f) = item {
                found.push(f.sig.ident.to_string());
            }
        }
    }
    found
}

/// Formats a token stream as a Rust file.
pub fn format(tokens: TokenStream, item: &str) -> Result<String, Error> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| Error::Emit { item: item.to_owned(), message: e.to_string() })?;
    Ok(prettyplease::unparse(&file))
}

/// One piece of a file: some of its items, emitted and formatted on whichever thread is free.
/// prettyplease prints each item on its own from column 0, so a file's pieces joined in order are
/// the same bytes as the file formatted whole (`pieces_join_to_the_whole` checks it), whatever
/// the number of threads or pieces.
type Piece<'a> = Box<dyn FnOnce() -> Result<String, Error> + Send + 'a>;

/// The least weight a piece is given (a type weighs 4 and one per field, variant or value; a
/// resource struct 1 and 4 per operation), so that a small spec is formatted in few pieces (each
/// costs a `syn` parse of its own).
const MIN_PIECE_WEIGHT: usize = 1_500;

/// Consecutive ranges of a list of `weights` (an item's rough size in output), about equal in
/// weight: four per thread, so that a thread finishing early finds more work, but none lighter
/// than `least` unless it is the last. Always at least one range (empty for an empty list).
fn ranges(weights: &[usize], threads: usize, least: usize) -> Vec<std::ops::Range<usize>> {
    let total: usize = weights.iter().sum();
    let target = (total / (4 * threads.max(1))).max(least).max(1);
    let mut out = Vec::new();
    let (mut start, mut acc) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        if acc >= target {
            out.push(start..i + 1);
            (start, acc) = (i + 1, 0);
        }
    }
    if start < weights.len() || out.is_empty() {
        out.push(start..weights.len());
    }
    out
}

/// The threads that format pieces: one per core, with stacks as deep as a main thread's and more
/// (emitting and printing recurse into nested types; nesting is bounded when loading, and unused
/// stack is never touched). Made once per process.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new().thread_name(|i| format!("codegen-render-{i}")).stack_size(64 << 20).build().ok()
    })
    .as_ref()
}

/// How many threads format pieces.
fn threads() -> usize {
    pool().map_or(1, rayon::ThreadPool::current_num_threads)
}

/// Formats every piece of every file on [`pool`]'s threads (on this one if the pool could not be
/// made, or if this thread is a rayon worker already), and joins each file's pieces in order.
fn format_pieces<'a>(files: Vec<Vec<Piece<'a>>>) -> Result<Vec<String>, Error> {
    use rayon::prelude::*;
    let n = files.len();
    let jobs: Vec<(usize, Piece<'a>)> =
        files.into_iter().enumerate().flat_map(|(file, pieces)| pieces.into_iter().map(move |p| (file, p))).collect();
    // A caller that is itself a worker of some rayon pool (a library user generating inside a
    // `par_iter`) formats on its own thread: from there, `install` would run that pool's unrelated
    // jobs while it waits, on a stack and with locks the caller did not plan for.
    let inside_rayon = rayon::current_thread_index().is_some();
    let done: Vec<(usize, Result<String, Error>)> = match pool() {
        Some(pool) if !inside_rayon => {
            pool.install(|| jobs.into_par_iter().map(|(file, piece)| (file, piece())).collect())
        }
        _ => jobs.into_iter().map(|(file, piece)| (file, piece())).collect(),
    };
    let mut texts = vec![String::new(); n];
    for (file, text) in done {
        texts[file].push_str(&text?);
    }
    Ok(texts)
}

/// The pieces of `src/types.rs` (its docs in the first).
fn types_pieces<'a>(emitter: &'a crate::emit::TypeEmitter<'a>, ranges: Vec<Range<usize>>) -> Vec<Piece<'a>> {
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, range)| -> Piece<'a> {
            Box::new(move || {
                let docs = (i == 0).then(|| quote!(#![doc = " Types generated from the schemas of the spec."]));
                let items = emitter.types(range);
                format(quote!(#docs #items), "src/types.rs")
            })
        })
        .collect()
}

/// The pieces of `src/resources.rs` (its docs and the client's accessors in the first).
fn resources_pieces<'a>(resources: &'a crate::emit::Resources<'a>, ranges: Vec<Range<usize>>) -> Vec<Piece<'a>> {
    let head: Piece<'a> = Box::new(move || {
        let accessors = resources.accessors();
        format(
            quote! {
                //! Resources: the spec's operations, grouped as in the official SDKs.
                #accessors
            },
            "src/resources.rs",
        )
    });
    std::iter::once(head)
        .chain(
            ranges
                .into_iter()
                .map(|range| -> Piece<'a> { Box::new(move || format(resources.structs(range), "src/resources.rs")) }),
        )
        .collect()
}

/// The pieces of `src/mock/mod.rs`, `crate_name::` in its doc examples replaced by `crate_path`.
fn mock_pieces<'a>(
    mocks: &'a crate::emit::Mocks<'a>,
    ranges: Vec<Range<usize>>,
    crate_path: &'a str,
) -> Vec<Piece<'a>> {
    let head: Piece<'a> = Box::new(move || {
        let text = format(
            mocks.head(quote!(
                mod server;
            )),
            "src/mock/mod.rs",
        )?;
        Ok(text.replace("crate_name::", crate_path))
    });
    std::iter::once(head)
        .chain(ranges.into_iter().map(|range| -> Piece<'a> {
            Box::new(move || Ok(format(mocks.structs(range), "src/mock/mod.rs")?.replace("crate_name::", crate_path)))
        }))
        .collect()
}

fn header(command: &str) -> String {
    format!("// @generated by `{command}`. Do not edit by hand: change the spec or the generator and regenerate.\n\n")
}

fn with_header(command: &str, body: &str) -> String {
    format!("{}{body}", header(command))
}

/// Everything needed to write the crate's files.
pub struct CrateInfo<'a> {
    /// Package and library name.
    pub crate_name: &'a str,
    /// Package version.
    pub version: &'a str,
    /// One-line description for `Cargo.toml`.
    pub description: String,
    /// The command that regenerates the crate, for headers.
    pub command: &'a str,
    /// Hand-written examples to copy into `examples/`.
    pub examples: &'a BTreeMap<String, String>,
    /// The spec text, copied into the crate as the record of what it was generated from.
    pub spec: &'a str,
    /// The `CHANGELOG.md` entries, newest first.
    pub changelog: &'a str,
    /// `README.md`.
    pub readme: String,
    /// The per-resource cargo features.
    pub features: &'a ResourceFeatures,
    /// The facts of the model.
    pub facts: &'a Facts<'a>,
    /// The feature of the resource `examples/quickstart.rs` calls, if it calls one.
    pub example_feature: Option<&'a str>,
    /// Whether the crate has hand-written code (`src/extra/`, see [`crate::options::EXTRA_DIR`]),
    /// which the crate root then declares as `pub mod extra;`.
    pub extra: bool,
    /// The links of a crate to be published (its URLs resolved); `None`: `publish = false`.
    pub publish: Option<crate::options::Publish>,
}

/// The mock server of the `mock` module, the same for every crate.
pub(crate) const MOCK_SERVER: &str = include_str!("../templates/mock/server.rs");

/// The signature schemes of the `webhooks` module, the same for every crate with webhooks.
pub(crate) const WEBHOOK_VERIFY: &str = include_str!("../templates/webhooks/verify.rs");

/// Renders the files of a crate, keyed by path relative to the crate root.
pub fn crate_files(
    ir: &Ir,
    emitted: Emitted,
    example: TokenStream,
    info: &CrateInfo<'_>,
) -> Result<BTreeMap<String, String>, Error> {
    let mut files = BTreeMap::new();
    let Emitted { crate_docs, root, resources } = emitted;
    // Hand-written: formatted as the author keeps it, and never written by the generator.
    let extra = info.extra.then(|| quote! { pub mod extra; });
    let has_webhooks = !ir.webhooks.is_empty();
    let webhooks_mod = has_webhooks.then(|| {
        let feature = crate::emit::WEBHOOKS;
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    let mock_feature = crate::emit::MOCK;
    let lib = quote! {
        #crate_docs
        #![forbid(unsafe_code)]

        // Generated files are excluded from `cargo fmt`: their formatting is prettyplease's.
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        pub mod resources;
        #[rustfmt::skip]
        pub mod types;
        #webhooks_mod
        #[cfg(feature = #mock_feature)]
        #[rustfmt::skip]
        pub mod mock;
        #extra

        #root

        /// The README's examples, compiled as doctests by `cargo test --doc` (rustdoc alone sets
        /// `doctest`; nothing else sees this item).
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        pub struct ReadmeDoctests;
    };
    files.insert("src/lib.rs".to_owned(), with_header(info.command, &format(lib, "src/lib.rs")?));
    // The runtime's doc examples say `crate_name` for the crate they are compiled in as doctests.
    let crate_path = format!("{}::", info.crate_name.replace('-', "_"));
    // The large files, in pieces formatted on every core.
    let threads = threads();
    let types = crate::emit::TypeEmitter::new(ir, info.facts, Some(info.features));
    let mocks = crate::emit::Mocks::new(ir, resources.tree());
    let mut split = vec![
        ("src/types.rs", types_pieces(&types, ranges(&types.weights(), threads, MIN_PIECE_WEIGHT))),
        ("src/resources.rs", resources_pieces(&resources, ranges(&resources.weights(), threads, MIN_PIECE_WEIGHT))),
        ("src/mock/mod.rs", mock_pieces(&mocks, ranges(&mocks.weights(), threads, MIN_PIECE_WEIGHT), &crate_path)),
    ];
    if has_webhooks {
        let module: Piece<'_> = Box::new(|| {
            let module = crate::emit::webhooks_module(
                ir,
                quote!(
                    mod verify;
                ),
            );
            Ok(format(module.unwrap_or_default(), "src/webhooks/mod.rs")?.replace("crate_name::", &crate_path))
        });
        split.push(("src/webhooks/mod.rs", vec![module]));
    }
    let paths: Vec<&str> = split.iter().map(|(path, _)| *path).collect();
    let texts = format_pieces(split.into_iter().map(|(_, pieces)| pieces).collect())?;
    for (path, text) in paths.into_iter().zip(texts) {
        files.insert(path.to_owned(), with_header(info.command, &text));
    }
    files.insert(
        "src/mock/server.rs".to_owned(),
        with_header(info.command, &MOCK_SERVER.replace("crate_name::", &crate_path)),
    );
    if has_webhooks {
        let verify = WEBHOOK_VERIFY.replace("crate_name::", &crate_path);
        files.insert("src/webhooks/verify.rs".to_owned(), with_header(info.command, &verify));
    }
    for (name, text) in RUNTIME_FILES {
        let text = text.replace("crate_name::", &crate_path);
        files.insert(format!("src/runtime/{name}"), with_header(info.command, &text));
    }
    files.insert(
        "examples/quickstart.rs".to_owned(),
        with_header(info.command, &format(example, "examples/quickstart.rs")?),
    );
    for (name, source) in info.examples {
        let valid = name.strip_suffix(".rs").is_some_and(|stem| {
            !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        });
        if !valid || name == "quickstart.rs" {
            return Err(Error::Option(format!(
                "example file name `{name}`: expected a snake_case `.rs` file name other than `quickstart.rs`"
            )));
        }
        let header = format!(
            "// @generated by `{}` from a hand-written example kept beside the spec: edit it there.\n\n",
            info.command
        );
        files.insert(format!("examples/{name}"), format!("{header}{source}"));
    }
    files.insert(
        "Cargo.toml".to_owned(),
        cargo_toml(info, &Typed { chrono: ir.uses_chrono(), uuid: ir.uses_uuid(), regex: ir.uses_patterns() }),
    );
    files.insert(
        "README.md".to_owned(),
        format!("<!-- @generated by `{}`. Do not edit by hand. -->\n\n{}", info.command, info.readme),
    );
    // The record the next regeneration compares against (see `release`).
    files.insert(crate::release::spec_file(info.spec).to_owned(), info.spec.to_owned());
    files.insert("CHANGELOG.md".to_owned(), crate::release::changelog_file(info.command, info.changelog));
    // rustfmt formats crate roots and examples it finds; these are generated, so it must not.
    files.insert("rustfmt.toml".to_owned(), format!("# @generated by `{}`.\n# Generated code is formatted by prettyplease; `cargo fmt` leaves it alone.\ndisable_all_formatting = true\n", info.command));
    Ok(files)
}

/// Which typed formats the API names (see `lower`'s table), deciding optional dependencies.
struct Typed {
    /// `date-time` or `date`: `chrono`, without its default features (`clock` would bring the
    /// system time zone database; `now` is enough for `Utc::now()`).
    chrono: bool,
    /// `uuid`: the `serde` feature of `uuid` (a dependency anyway, for idempotency keys).
    uuid: bool,
    /// A union branch with a `pattern`: `regex-lite` checks it.
    regex: bool,
}

/// The optional dependencies of the `webhooks` feature: its signature checks.
const WEBHOOK_DEPENDENCIES: &str = "\n# The signature checks of the `webhooks` feature.\n\
    base64 = { version = \"0.22\", optional = true }\n\
    hmac = { version = \"0.13\", optional = true }\n\
    sha2 = { version = \"0.11\", optional = true }\n";

/// The optional dependency of the `mock` feature: the mock server.
const MOCK_DEPENDENCIES: &str =
    "\n# The mock server of the `mock` feature.\nwiremock = { version = \"0.6\", optional = true }\n";

fn cargo_toml(info: &CrateInfo<'_>, typed: &Typed) -> String {
    let description = info.description.replace('\\', "\\\\").replace('"', "\\\"");
    let chrono = if typed.chrono {
        "chrono = { version = \"0.4.45\", default-features = false, features = [\"now\", \"serde\", \"std\"] }\n"
    } else {
        ""
    };
    let regex = if typed.regex { "regex-lite = \"0.1\"\n" } else { "" };
    let uuid_features = if typed.uuid { r#"["serde", "v4"]"# } else { r#"["v4"]"# };
    format!(
        r#"# @generated by `{command}`. Do not edit by hand.
[package]
name = "{name}"
version = "{version}"
edition = "2024"
description = "{description}"
license = "MIT OR Apache-2.0"
readme = "README.md"
{publish}
[package.metadata.codegen]
# How many breaking changes of the generator's output this crate was generated with: regenerating
# it with a generator that has made more bumps its version as a breaking change.
output = {output}

[lib]
# Doctests are compiled by `cargo test --doc`, not by every `cargo test`: the `no_run` examples of
# every method and accessor, of the crate docs and of README.md. Spec prose is never one: doc
# comments are sanitised into text.
doctest = false

[dependencies]
bytes = "1"
{chrono}fastrand = "2"
futures-core = "0.3"
futures-util = {{ version = "0.3", default-features = false }}
httparse = "1.8"
httpdate = "1"
percent-encoding = "2.3"
{regex}reqwest = {{ version = "0.13", default-features = false, features = ["stream", "multipart"] }}
serde = {{ version = "1.0.200", features = ["derive"] }}
serde_json = "1"
serde_path_to_error = "0.1"
thiserror = "2"
tokio = {{ version = "1.40", features = ["time", "fs", "io-util", "sync"] }}
tokio-util = {{ version = "0.7", features = ["io"] }}
tracing = {{ version = "0.1", default-features = false, features = ["std"] }}
url = "2"
uuid = {{ version = "1", features = {uuid_features} }}
{mock_deps}{webhook_deps}
[dev-dependencies]
tokio = {{ version = "1.40", features = ["macros", "rt-multi-thread"] }}
{features}"#,
        command = info.command,
        output = crate::release::output_generation(),
        name = info.crate_name,
        version = info.version,
        features = features(info),
        mock_deps = MOCK_DEPENDENCIES,
        webhook_deps = if info.features.webhooks().is_some() { WEBHOOK_DEPENDENCIES } else { "" },
        publish = publish_lines(info.publish.as_ref()),
    )
}

/// `publish = false`, or for a crate to be published the links it has (strings escaped as TOML's).
fn publish_lines(publish: Option<&crate::options::Publish>) -> String {
    let Some(publish) = publish else { return "publish = false\n".to_owned() };
    let links = [
        ("repository", &publish.repository),
        ("homepage", &publish.homepage),
        ("documentation", &publish.documentation),
    ];
    let quoted = |u: &str| u.replace('\\', "\\\\").replace('"', "\\\"");
    links.iter().filter_map(|(key, url)| url.as_ref().map(|u| format!("{key} = \"{}\"\n", quoted(u)))).collect()
}

/// The `[features]` section: the transport features (`TRANSPORT_FEATURES`) and the resource
/// features (`resource_features`), all on by default except the optional transports, then the
/// features each example needs.
fn features(info: &CrateInfo<'_>) -> String {
    let all = info.features.all();
    let list = |names: &[&str]| names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
    let defaults: Vec<&str> = std::iter::once("rustls").chain(info.features.resources()).collect();
    let mut out = format!("\n[features]\ndefault = [{}]\n", list(&defaults));
    for (name, doc, enables) in TRANSPORT_FEATURES {
        out.push_str(&format!("# {doc}\n{name} = [\"{enables}\"]\n"));
    }
    out.push_str(&format!(
        "# The `mock` module: a typed mock server for tests of code that uses the client (off by default).\n\
         {} = [\"dep:wiremock\"]\n",
        crate::emit::MOCK
    ));
    if let Some(webhooks) = info.features.webhooks() {
        out.push_str(&format!(
            "# The `webhooks` module: typed events and their signature checks (off by default).\n\
             {webhooks} = [\"dep:base64\", \"dep:hmac\", \"dep:sha2\"]\n"
        ));
    }
    out.push_str(&resource_features(info, &all, &list));
    out
}

/// One feature per top-level resource (on by default), and one for the types no operation
/// reaches (off by default; see `emit/features.rs`), and the features each example needs: the
/// quick start its call's resource, the hand-written examples every resource (what they call is
/// not known here; no call of theirs can need the types no operation reaches).
fn resource_features(info: &CrateInfo<'_>, all: &[&str], list: &dyn Fn(&[&str]) -> String) -> String {
    let mut out = String::new();
    if !all.is_empty() {
        out.push_str("# One feature per top-level resource (see the crate docs).\n");
    }
    for name in all {
        out.push_str(&format!("{name} = []\n"));
    }
    if all.is_empty() {
        return out;
    }
    let resources = info.features.resources();
    let examples = std::iter::once(("quickstart", info.example_feature.map(|f| vec![f]).unwrap_or_default()))
        .chain(info.examples.keys().filter_map(|k| k.strip_suffix(".rs")).map(|stem| (stem, resources.clone())));
    for (name, needs) in examples.filter(|(_, needs)| !needs.is_empty()) {
        out.push_str(&format!("\n[[example]]\nname = {name:?}\nrequired-features = [{}]\n", list(&needs)));
    }
    out
}

/// A single self-contained file for fixture tests: the generated crate's items as inline modules,
/// the runtime included by path, and a `main` so trybuild can compile it as a binary.
pub fn fixture_file(
    (ir, facts): (&Ir, &Facts<'_>),
    emitted: Emitted,
    runtime_path: &str,
    command: &str,
) -> Result<String, Error> {
    let Emitted { crate_docs: _, root, resources: emitter } = emitted;
    let resources = emitter.all();
    let types = crate::emit::TypeEmitter::new(ir, facts, None).types(0..ir.types.len());
    // Included at the top (inside the inline module, a relative `#[path]` would start from a
    // `webhooks/` directory that does not exist) and named `verify` inside it.
    let verify_path = runtime_path.replace("runtime/mod.rs", "webhooks/verify.rs");
    let webhooks = crate::emit::webhooks_module(
        ir,
        quote!(
            use super::webhook_verify as verify;
        ),
    )
    .map(|module| {
        quote! {
            #[path = #verify_path]
            mod webhook_verify;

            pub mod webhooks {
                #module
            }
        }
    });
    // The same for the mock server, whose items refer to the module as `crate::mock`.
    let server_path = runtime_path.replace("runtime/mod.rs", "mock/server.rs");
    let mock = crate::emit::Mocks::new(ir, emitter.tree()).all(quote!(
        use super::mock_server as server;
    ));
    let tokens = quote! {
        // Generated code must compile without warnings; a binary has no callers for the library
        // items, so only dead-code warnings are expected.
        #![deny(warnings)]
        #![allow(dead_code)]

        #[path = #runtime_path]
        mod runtime;

        pub mod types {
            #types
        }

        pub mod resources {
            #resources
        }

        #webhooks

        #[path = #server_path]
        mod mock_server;

        pub mod mock {
            #mock
        }

        #root

        fn main() {}
    };
    Ok(with_header(command, &format(tokens, "fixture")?))
}

#[cfg(test)]
mod tests {
    use super::{Piece, format, format_pieces, mock_pieces, ranges, resources_pieces, types_pieces};
    use quote::quote;

    /// Every runtime template file parses (the generator copies them unparsed), and the list
    /// names every file of `templates/runtime/`.
    #[test]
    fn runtime_templates_parse() {
        for (name, text) in super::RUNTIME_FILES {
            if let Err(e) = syn::parse_file(text) {
                panic!("templates/runtime/{name}: {e}");
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/runtime");
        let mut on_disk: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        on_disk.sort();
        let mut listed: Vec<String> = super::RUNTIME_FILES.iter().map(|(name, _)| (*name).to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    /// `DEPENDENCIES` lists exactly the dependencies `Cargo.toml` names.
    #[test]
    fn dependency_list_matches_cargo_toml() {
        let examples = std::collections::BTreeMap::new();
        let ir = crate::ir::Ir::default();
        let facts = crate::facts::Facts::of(&ir);
        let info = super::CrateInfo {
            crate_name: "x",
            version: "0.1.0",
            description: String::new(),
            command: "c",
            examples: &examples,
            spec: "",
            changelog: "",
            readme: String::new(),
            features: &crate::emit::ResourceFeatures::new(&ir, &facts),
            facts: &facts,
            example_feature: None,
            extra: false,
            publish: None,
        };
        let toml = super::cargo_toml(&info, &super::Typed { chrono: true, uuid: true, regex: true });
        let section = toml.split("[dependencies]\n").nth(1).unwrap().split("\n\n").next().unwrap();
        let names: Vec<&str> = section.lines().map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(names, crate::emit::DEPENDENCIES);
    }

    /// The pieces of the types, the resources and the mocks, one item per piece, join to the bytes
    /// of the file formatted whole, for every fixture.
    #[test]
    fn pieces_join_to_the_whole() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                continue;
            }
            let (ir, _) =
                crate::lower_spec(&std::fs::read_to_string(&path).unwrap(), &crate::Options::default()).unwrap();
            let facts = crate::facts::Facts::of(&ir);
            let features = crate::emit::ResourceFeatures::new(&ir, &facts);
            let joined = |pieces: Vec<Piece<'_>>| format_pieces(vec![pieces]).unwrap().remove(0);
            let whole_list = |n: usize| -> Vec<std::ops::Range<usize>> { std::iter::once(0..n).collect() };
            let one_each = |n: usize| if n == 0 { whole_list(0) } else { (0..n).map(|i| i..i + 1).collect() };

            let types = crate::emit::TypeEmitter::new(&ir, &facts, Some(&features));
            let whole = joined(types_pieces(&types, whole_list(ir.types.len())));
            assert_eq!(joined(types_pieces(&types, one_each(ir.types.len()))), whole, "{}", path.display());

            let resources = crate::emit::Resources::new(&ir, &facts, Some(&features), "fixture");
            let n = resources.weights().len();
            let whole = joined(resources_pieces(&resources, whole_list(n)));
            assert_eq!(joined(resources_pieces(&resources, one_each(n))), whole, "{}", path.display());
            let all = resources.all();
            let all = format(
                quote!(//! Resources: the spec's operations, grouped as in the official SDKs.
                #all),
                "",
            )
            .unwrap();
            assert_eq!(all, whole, "{}", path.display());

            let mocks = crate::emit::Mocks::new(&ir, resources.tree());
            let n = mocks.weights().len();
            let whole = joined(mock_pieces(&mocks, whole_list(n), "fixture::"));
            assert_eq!(joined(mock_pieces(&mocks, one_each(n), "fixture::")), whole, "{}", path.display());
            checked += 1;
        }
        assert!(checked > 40);
    }

    /// Ranges cover the list in order, each about the target weight, and there is always one.
    #[test]
    fn ranges_cover_the_list() {
        assert_eq!(ranges(&[], 4, 10), std::iter::once(0..0).collect::<Vec<_>>());
        assert_eq!(ranges(&[1, 1, 1], 4, 10), std::iter::once(0..3).collect::<Vec<_>>());
        // 40 in all, 4 threads: a target of 2.5, so at least `least` = 3 each.
        let weights = [1; 40];
        let r = ranges(&weights, 4, 3);
        assert_eq!(r.first().unwrap().start, 0);
        assert_eq!(r.last().unwrap().end, 40);
        assert!(r.windows(2).all(|w| w[0].end == w[1].start));
        assert!(r[..r.len() - 1].iter().all(|r| r.len() == 3), "{r:?}");
        // A heavy item ends the range it is in.
        assert_eq!(ranges(&[1, 100, 1], 1, 10), [0..2, 2..3]);
    }
}
