//! Emit: the [`Ir`] → Rust token streams, with `quote`.
//!
//! Generated code names everything outside the crate by its full path (`::std::option::Option`,
//! `::serde::Serialize`), so a schema called `Option`, `Result` or `Box` cannot shadow anything.
//! Types live in `types`, operations in `resources`; the hand-written runtime (retries, errors,
//! configuration) is `runtime`, copied in by [`crate::render`].
//!
//! Children: [`docs`] (spec prose → rustdoc), [`types`], [`resources`], [`operation_docs`] (the
//! methods' docs and examples), [`multipart`] (multipart
//! body structs and their parts), [`quickstart`] (the crate docs and `examples/quickstart.rs`, from
//! one chosen call), [`capabilities`] (the crate docs' examples of streams, downloads, uploads).

mod body_calls;
mod capabilities;
mod docs;
mod enums;
mod features;
mod mock;
mod multipart;
mod objects;
mod operation_docs;
mod quickstart;
mod resources;
mod security;
// The runtime names written above, checked against the template (only tests read the list).
#[cfg(test)]
mod runtime_names;
mod types;
mod unions;
mod webhooks;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub(crate) use features::{DEPENDENCIES, TRANSPORT_FEATURES};
pub(crate) use features::{MOCK, WEBHOOKS};
pub(crate) use features::{ResourceFeatures, UNREFERENCED};
pub(crate) use mock::Mocks;
pub(crate) use quickstart::{example, example_resource, readme};
pub(crate) use resources::Resources;
pub(crate) use types::TypeEmitter;
pub(crate) use webhooks::module as webhooks_module;

use crate::facts::Facts;
use crate::ir::*;

/// The token streams of one generated crate, and the emitter of its resources.
pub(crate) struct Emitted<'a> {
    /// `//!` docs and crate attributes of `lib.rs`.
    pub(crate) crate_docs: TokenStream,
    /// Items at the crate root: re-exports and the spec constants the runtime reads.
    pub(crate) root: TokenStream,
    /// The contents of `resources`, emitted in parts by render.
    pub(crate) resources: Resources<'a>,
}

/// Options that change the emitted code.
pub(crate) struct EmitOptions<'a> {
    /// The library crate name, e.g. `runloop`.
    pub(crate) crate_name: &'a str,
    /// Prefix of the environment variables, e.g. `RUNLOOP`.
    pub(crate) env_prefix: &'a str,
    /// Per-resource cargo features (`None`: everything compiles unconditionally, as in the
    /// single-file fixture form, which has no `Cargo.toml`).
    pub(crate) features: Option<&'a ResourceFeatures>,
    /// The facts of the model, decided once for the emitter, the features and the report.
    pub(crate) facts: &'a Facts<'a>,
}

/// Emits a whole crate's worth of tokens (the types are emitted by [`TypeEmitter`], in parts).
pub(crate) fn emit<'a>(ir: &'a Ir, options: &EmitOptions<'a>) -> Emitted<'a> {
    Emitted {
        crate_docs: {
            let mut docs = quickstart::crate_docs(ir, options);
            docs.extend(capabilities::docs(ir, options.crate_name, options.features));
            if let Some(features) = options.features {
                docs.extend(features::docs(features, options.crate_name));
            }
            docs
        },
        root: root(ir, options),
        resources: Resources::new(ir, options.facts, options.features, options.crate_name),
    }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Where a type expression is written: inside `types`, or elsewhere (then named via `types::`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Types,
    Elsewhere,
}

/// A type expression as tokens; named types by their names in `types`.
fn ty(t: &Ty, scope: Scope, types: &Types) -> TokenStream {
    match t {
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::Int(kind) => {
            let i = ident(kind.rust_name());
            quote!(#i)
        }
        Ty::Float => quote!(f64),
        Ty::Json => quote!(::serde_json::Value),
        Ty::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Ty::Unit => quote!(()),
        Ty::Named(id) => {
            let i = ident(types.name(*id));
            match scope {
                Scope::Types => quote!(#i),
                Scope::Elsewhere => quote!(crate::types::#i),
            }
        }
        Ty::Vec(inner) => {
            let inner = ty(inner, scope, types);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(inner, scope, types);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty(inner, scope, types);
            quote!(::std::option::Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = ty(inner, scope, types);
            quote!(::std::boxed::Box<#inner>)
        }
        Ty::Bytes => quote!(::std::vec::Vec<u8>),
        Ty::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Ty::Date => quote!(::chrono::NaiveDate),
        Ty::Uuid => quote!(::uuid::Uuid),
    }
}

/// Re-exports and the `SPEC` constant the runtime reads.
fn root(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
    let env_prefix = options.env_prefix;
    let base_url = match &ir.base_url {
        Some(u) => quote!(::std::option::Option::Some(#u)),
        None => quote!(::std::option::Option::None),
    };
    let security = security::spec_fields(ir);
    let scheme_methods = security::builder_methods(ir, env_prefix);
    // The crates whose types the API names, so users need no matching dependency of their own.
    let chrono = ir.uses_chrono().then(|| quote! { pub use ::chrono; });
    let uuid = ir.uses_uuid().then(|| quote! { pub use ::uuid; });
    let credentials = security::env_summary(ir, env_prefix, true);
    let read = security::env_summary(ir, env_prefix, false);
    let from_env = format!(
        " A client configured from the environment: {credentials}, `{env_prefix}_BASE_URL`, and \
         `{env_prefix}_CUSTOM_HEADERS` (newline-separated `Name: value` pairs)."
    );
    let builder_from_env = format!(
        " The builder [`Client::from_env`] uses (reading {read}, `{env_prefix}_BASE_URL` and \
         `{env_prefix}_CUSTOM_HEADERS`), to adjust before building."
    );
    quote! {
        #chrono
        #uuid
        pub use runtime::{
            ApiError, AttemptError, AttemptRequest, AttemptResponse, ByteStream, Client, ClientBuilder, Download, Error, Event,
            EventStream, FilePart, Hook, HookError, HookFuture, JsonLines, Nullable, PageStream, Paged, Part, PartStream,
            RawRequest, RequestBuilder, Response, StreamPart, decode_strict, defaults,
        };
        /// The HTTP client this crate is built on, re-exported: its types appear in this crate's
        /// API ([`StatusCode`], [`HeaderMap`], [`Method`], [`reqwest::Client`] for
        /// [`ClientBuilder::http_client`]), and using them from here needs no matching `reqwest`
        /// dependency.
        pub use ::reqwest;
        pub use ::reqwest::header::HeaderMap;
        pub use ::reqwest::{Method, StatusCode};

        // Emitted here rather than in the runtime, which is the same for every spec, so that the
        // docs name this crate's environment variables.
        impl Client {
            #[doc = #from_env]
            pub fn from_env() -> ::std::result::Result<Self, Error> {
                runtime::Client::env_builder()?.build()
            }

            #[doc = #builder_from_env]
            pub fn builder_from_env() -> ::std::result::Result<ClientBuilder, Error> {
                runtime::Client::env_builder()
            }
        }

        /// What the runtime needs to know about this API.
        const SPEC: runtime::Spec = runtime::Spec {
            env_prefix: #env_prefix,
            default_base_url: #base_url,
            #security
        };

        #scheme_methods
    }
}
