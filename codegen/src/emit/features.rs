//! Per-resource cargo features: each top-level resource is a feature (all on by default) that
//! compiles its operations and exactly the types they reach, so a user of one resource of a big
//! API (GitHub's `repos`) does not compile the others.
//!
//! Which resources reach a type is a fact of the model ([`Facts::reached_by`]): from each
//! operation's parameters, request body, success type, documented error bodies and page item
//! type, through every named type a type mentions. A type reached by several resources compiles when
//! any of them is on (`#[cfg(any(feature = "a", feature = "b"))]`); a type reached by every
//! resource gets no `cfg` at all (it is needed whenever anything is). Component schemas that no
//! operation reaches (GitHub's webhook payloads) are behind one more feature,
//! [`UNREFERENCED`], off by default: no call of the client sends or returns them, so only a user
//! who reads such values from elsewhere (a webhook, a file) needs them, and everyone else should
//! not compile them (GitHub: 846 of 2,891 type items, 0.7 GB of the 2.2 GB peak of `cargo check`
//! with every feature; see BENCHMARKS.md). The crate docs and its README say so.
//!
//! Feature names are the resources' accessor names (`repos`, `devboxes`): snake_case
//! identifiers, always valid cargo feature names. One that would collide with a feature or an
//! optional dependency the crate has for another purpose ([`reserved`]) gets `_resource` appended.
//! [`UNREFERENCED`] has a hyphen, so no resource name can be it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use crate::facts::Facts;
use crate::ir::*;
use crate::naming::{Style, unique};

/// The feature of the component schemas no operation reaches.
pub(crate) const UNREFERENCED: &str = "unreferenced-types";

/// The `[dependencies]` of every generated crate (a crate cannot take one of their names;
/// `chrono` is one only when the API names a date, but its name is refused always).
pub(crate) const DEPENDENCIES: &[&str] = &[
    "bytes",
    "chrono",
    "fastrand",
    "futures-core",
    "futures-util",
    "httparse",
    "httpdate",
    "percent-encoding",
    "regex-lite",
    "reqwest",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "thiserror",
    "tokio",
    "tokio-util",
    "tracing",
    "url",
    "uuid",
];

/// The `[features]` that choose how the client talks HTTP: reqwest's, passed through, as (name,
/// comment, what it enables). Without `rustls` or `native-tls` the client speaks plain `http://`
/// only (the README says so); that is allowed, for a crate behind a TLS-terminating proxy, rather
/// than a compile error. The rustls crypto provider is reqwest's default (aws-lc-rs): see
/// BENCHMARKS.md for the clean build times of each option.
pub(crate) const TRANSPORT_FEATURES: &[(&str, &str, &str)] = &[
    ("rustls", "TLS through rustls, with the platform's certificate verifier.", "reqwest/rustls"),
    (
        "native-tls",
        "TLS through the platform's library (OpenSSL on Linux, which must be installed to build).",
        "reqwest/native-tls",
    ),
    ("gzip", "Accept gzip-compressed responses.", "reqwest/gzip"),
    ("http2", "HTTP/2, negotiated by ALPN over TLS.", "reqwest/http2"),
];

/// Feature names a resource cannot take: `default`, the [`TRANSPORT_FEATURES`] (also spelled
/// with `_`, as a resource name would be), and the [`DEPENDENCIES`] (an optional one is an
/// implicit feature).
fn reserved() -> BTreeSet<String> {
    let transports = TRANSPORT_FEATURES.iter().flat_map(|(name, _, _)| [(*name).to_owned(), name.replace('-', "_")]);
    ["default", MOCK]
        .into_iter()
        .map(str::to_owned)
        .chain(transports)
        .chain(DEPENDENCIES.iter().map(|d| (*d).to_owned()))
        .collect()
}

/// Which feature gates each resource and each type.
pub(crate) struct ResourceFeatures {
    /// Top-level resource (accessor name) → its feature.
    resources: BTreeMap<String, String>,
    /// Type → the indices (into `names`) of the features whose resources reach it.
    types: HashMap<TypeId, BTreeSet<usize>>,
    /// The resources' feature names, sorted (indices of `types`).
    names: Vec<String>,
    /// Whether some type is reached by no operation (then [`UNREFERENCED`] exists).
    unreferenced: bool,
    /// The feature of the webhooks' events ([`WEBHOOKS`]), when the spec has webhooks; in
    /// `types`, index `names.len()` stands for it.
    webhooks: Option<String>,
}

/// The feature of the webhooks' events and their verification, off by default.
pub(crate) const WEBHOOKS: &str = "webhooks";

/// The feature of the typed mock server (`mock` module), off by default; every crate has it.
pub(crate) const MOCK: &str = "mock";

impl ResourceFeatures {
    /// The features of `ir`'s top-level resources and the types each reaches.
    pub(crate) fn new(ir: &Ir, facts: &Facts<'_>) -> Self {
        let mut taken = reserved();
        let webhooks = (!ir.webhooks.is_empty()).then(|| {
            taken.insert(WEBHOOKS.to_owned());
            WEBHOOKS.to_owned()
        });
        let tops: BTreeSet<&str> =
            ir.operations.iter().filter_map(|op| op.resource.first()).map(String::as_str).collect();
        let mut resources = BTreeMap::new();
        for top in &tops {
            let base = if taken.contains(*top) { format!("{top}_resource") } else { (*top).to_owned() };
            resources.insert((*top).to_owned(), unique(&mut taken, &base, Style::Snake));
        }
        let mut names: Vec<String> = resources.values().cloned().collect();
        names.sort();
        let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();

        let hooks = names.len();
        let types: HashMap<TypeId, BTreeSet<usize>> = ir
            .types
            .iter()
            .filter_map(|t| {
                let tops = facts.reached_by(t.id)?;
                let feature = |top: &&str| match resources.get(*top) {
                    Some(feature) => index[feature.as_str()],
                    None => hooks,
                };
                Some((t.id, tops.iter().map(feature).collect()))
            })
            .collect();
        // Webhook payloads were among these before they had a feature; they stay behind it too.
        let unreferenced = ir.types.iter().any(|t| types.get(&t.id).is_none_or(|f| f.iter().all(|&i| i == hooks)));
        Self { resources, types, names, unreferenced, webhooks }
    }

    /// The feature of the webhooks' events, when the spec has webhooks.
    pub(crate) fn webhooks(&self) -> Option<&str> {
        self.webhooks.as_deref()
    }

    /// The resources' features and [`UNREFERENCED`] if some type needs it, sorted. These are
    /// empty `[features]` of `Cargo.toml`; all but [`UNREFERENCED`] are defaults. (The webhooks'
    /// feature enables optional dependencies: see [`Self::webhooks`].)
    pub(crate) fn all(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.names.iter().map(String::as_str).collect();
        if self.unreferenced {
            all.push(UNREFERENCED);
        }
        all.sort_unstable();
        all
    }

    /// The resources' features, sorted: the default ones (every feature but [`UNREFERENCED`]).
    pub(crate) fn resources(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    /// Whether some type is reached by no operation, so that [`UNREFERENCED`] exists.
    pub(crate) fn has_unreferenced(&self) -> bool {
        self.unreferenced
    }

    /// The feature of a top-level resource.
    pub(crate) fn of_resource(&self, top: &str) -> Option<&str> {
        self.resources.get(top).map(String::as_str)
    }

    /// The `#[cfg]` of a top-level resource's accessor, struct and methods.
    pub(crate) fn resource_cfg(&self, top: &str) -> TokenStream {
        match self.of_resource(top) {
            Some(feature) => quote!(#[cfg(feature = #feature)]),
            None => TokenStream::new(),
        }
    }

    /// The `#[cfg]` of each item of a named type: the features of the resources that reach it,
    /// none when every resource does.
    pub(crate) fn type_cfg(&self, id: TypeId) -> TokenStream {
        let Some(features) = self.types.get(&id) else { return quote!(#[cfg(feature = #UNREFERENCED)]) };
        if self.always(id) {
            return TokenStream::new();
        }
        let mut names: Vec<&str> = features.iter().filter_map(|&i| self.names.get(i).map(String::as_str)).collect();
        if let Some(hooks) = self.webhooks.as_deref().filter(|_| features.contains(&self.names.len())) {
            names.push(hooks);
            if names.len() == 1 {
                names.push(UNREFERENCED);
            }
        }
        match names.as_slice() {
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        }
    }

    /// Whether the type is compiled whatever the features: every resource reaches it.
    pub(crate) fn always(&self, id: TypeId) -> bool {
        self.types.get(&id).is_some_and(|f| !self.names.is_empty() && (0..self.names.len()).all(|i| f.contains(&i)))
    }
}

/// The crate docs' paragraph on the features.
pub(crate) fn docs(features: &ResourceFeatures, crate_name: &str) -> TokenStream {
    let Some((accessor, example)) = features.resources.iter().next() else { return TokenStream::new() };
    let mut text = format!(
        "\n# Features\n\nEach top-level resource is a cargo feature, all on by default: with \
         `default-features = false, features = [\"{example}\"]`, the crate compiles only the \
         operations of `{crate_name}::Client::{accessor}` and the types they use. Resource features: {}.",
        features.names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    );
    if features.unreferenced {
        text.push_str(&format!(
            " The types of the spec that no operation uses (no call sends or returns them: webhook payloads, \
             for example) are behind `{UNREFERENCED}`, off by default."
        ));
    }
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    super::docs::doc_lines(&lines, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> ResourceFeatures {
        fixture_and_types().0
    }

    /// The features of the fixture, and its types (to find them by name).
    fn fixture_and_types() -> (ResourceFeatures, Types) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/resource_features.yaml");
        let (ir, _) = crate::lower_spec(&std::fs::read_to_string(path).unwrap(), &crate::Options::default()).unwrap();
        (ResourceFeatures::new(&ir, &Facts::of(&ir)), ir.types)
    }

    #[test]
    fn each_resource_is_a_feature_and_reserved_names_are_avoided() {
        let f = fixture();
        assert_eq!(f.all(), ["default_resource", "gzip_resource", "pets", "stores", UNREFERENCED]);
        assert_eq!(f.of_resource("pets"), Some("pets"));
        assert_eq!(f.of_resource("gzip"), Some("gzip_resource"));
        assert_eq!(f.of_resource("default"), Some("default_resource"));
        assert_eq!(f.resource_cfg("stores").to_string(), quote!(#[cfg(feature = "stores")]).to_string());
    }

    #[test]
    fn types_are_gated_by_the_resources_that_reach_them() {
        let (f, types) = fixture_and_types();
        let id = |name: &str| types.named(name).unwrap().id;
        let cfg = |name: &str| f.type_cfg(id(name)).to_string();
        // Reached through a sub-resource (`pets.toys`) and through a field (`Pet.home`).
        assert_eq!(cfg("Toy"), quote!(#[cfg(feature = "pets")]).to_string());
        assert_eq!(cfg("Address"), quote!(#[cfg(any(feature = "pets", feature = "stores"))]).to_string());
        // An inline enum of a request body.
        assert_eq!(cfg("StoreKind"), quote!(#[cfg(feature = "stores")]).to_string());
        // Every resource documents `Error` as its error body: needed whenever anything is.
        assert!(cfg("Error").is_empty());
        assert!(f.always(id("Error")) && !f.always(id("Address")) && !f.always(id("Orphan")));
        assert_eq!(cfg("Orphan"), quote!(#[cfg(feature = "unreferenced-types")]).to_string());
    }

    #[test]
    fn feature_names_are_valid_cargo_feature_names() {
        // Cargo: the first character a letter, digit or `_`; then also `-`, `+` or `.`.
        let f = fixture();
        for name in f.all() {
            let mut chars = name.chars();
            assert!(chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_'), "{name}");
            assert!(chars.all(|c| c.is_ascii_alphanumeric() || "_-+.".contains(c)), "{name}");
        }
    }
}
