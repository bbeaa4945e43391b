//! Resources: the spec's operations as methods on resource structs reached from the client
//! (`client.devboxes().executions().get(...)`), each returning a `RequestBuilder`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sanitize_doc, text_lines};
use super::operation_docs::{accessor_example, method_example, operation_doc};
use super::{Scope, ident, ty};
use crate::facts::{Facts, OperationFacts};
use crate::ir::*;
use proc_macro2::Ident;

/// A resource struct name, as lowering named it: `["devboxes", "executions"]` → `DevboxesExecutions`.
fn resource_type(ir: &Ir, path: &[String]) -> Ident {
    match ir.resource_types.get(path) {
        Some(name) => ident(name),
        // Lowering names every resource path and its prefixes.
        None => ident(&crate::naming::camel_ident(&path.join(" "), "Resource", "Resource")),
    }
}

/// `#[allow(clippy::should_implement_trait)]` for a method whose name and shape match a std
/// trait's (`clone(&self)`, `cmp(&self, x)`): the name is the API's, not a trait impl gone wrong.
fn trait_name_lint(name: &str) -> TokenStream {
    if matches!(name, "clone" | "cmp") { quote!(#[allow(clippy::should_implement_trait)]) } else { TokenStream::new() }
}

/// The resource structs, their accessors on the client, and one method per operation; with
/// `features`, each top-level resource's accessor, structs and methods under its feature.
///
/// Emitted in parts ([`Resources::accessors`], then [`Resources::structs`] over ranges of the
/// resource list) so that render can format the parts on several threads: the parts' items, in
/// order, are the file's.
pub(crate) struct Resources<'a> {
    ir: &'a Ir,
    facts: &'a Facts<'a>,
    crate_name: &'a str,
    tree: ResourceTree<'a>,
}

/// Every resource path and its prefixes, sorted, with the operations directly under each, and the
/// `#[cfg]` that puts each under its top-level resource's feature: what the client's resources
/// and the mocks (`mock.rs`) are both built from.
pub(crate) struct ResourceTree<'a> {
    features: Option<&'a super::ResourceFeatures>,
    entries: Vec<(Vec<String>, Vec<&'a Operation>)>,
}

impl<'a> ResourceTree<'a> {
    fn new(ir: &'a Ir, features: Option<&'a super::ResourceFeatures>) -> Self {
        let mut tree: std::collections::BTreeMap<Vec<String>, Vec<&Operation>> = std::collections::BTreeMap::new();
        for op in &ir.operations {
            for depth in 1..=op.resource.len() {
                tree.entry(op.resource[..depth].to_vec()).or_default();
            }
            tree.entry(op.resource.clone()).or_default().push(op);
        }
        ResourceTree { features, entries: tree.into_iter().collect() }
    }

    /// Every resource path with the operations directly under it, in order.
    pub(super) fn entries(&self) -> &[(Vec<String>, Vec<&'a Operation>)] {
        &self.entries
    }

    /// The paths one level below `path`.
    pub(super) fn children<'p>(&'p self, path: &'p [String]) -> impl Iterator<Item = &'p Vec<String>> {
        self.entries.iter().map(|(k, _)| k).filter(move |k| k.len() == path.len() + 1 && k.starts_with(path))
    }

    /// A resource path's `#[cfg]`: its top-level resource's feature (nothing without features).
    pub(super) fn cfg(&self, path: &[String]) -> TokenStream {
        match (self.features, path.first()) {
            (Some(f), Some(top)) => f.resource_cfg(top),
            _ => TokenStream::new(),
        }
    }
}

impl<'a> Resources<'a> {
    pub(crate) fn new(
        ir: &'a Ir,
        facts: &'a Facts<'a>,
        features: Option<&'a super::ResourceFeatures>,
        crate_name: &'a str,
    ) -> Self {
        Resources { ir, facts, crate_name, tree: ResourceTree::new(ir, features) }
    }

    /// The resource tree, which the mocks mirror.
    pub(crate) fn tree(&self) -> &ResourceTree<'a> {
        &self.tree
    }

    /// How much code each resource struct is, roughly (its operations and itself), for dividing
    /// the list into parts of similar size.
    pub(crate) fn weights(&self) -> Vec<usize> {
        self.tree.entries.iter().map(|(_, ops)| 1 + 4 * ops.len()).collect()
    }

    /// The client's accessors of the top-level resources.
    pub(crate) fn accessors(&self) -> TokenStream {
        client_accessors(self.ir, self.tree.entries.iter().map(|(k, _)| k), &|p| self.tree.cfg(p), self.crate_name)
    }

    /// The resource structs `range` of the sorted resource list, with their methods and request
    /// types.
    pub(crate) fn structs(&self, range: std::ops::Range<usize>) -> TokenStream {
        let (ir, facts, crate_name) = (self.ir, self.facts, self.crate_name);
        let mut out = TokenStream::new();
        for (path, ops) in &self.tree.entries[range] {
            let rtype = resource_type(ir, path);
            let doc = format!(
                " Operations under `client.{}`.",
                path.iter().map(|p| format!("{p}()")).collect::<Vec<_>>().join(".")
            );
            let subs = sub_accessors(ir, self.tree.children(path), crate_name);
            let methods = ops.iter().map(|op| emit_operation((op, facts.operation(op)), ir, crate_name));
            let cfg = self.tree.cfg(path);
            let requests = ops.iter().map(|op| request_type((op, facts.operation(op)), &rtype, &cfg, &ir.types));
            out.extend(quote! {
                #[doc = #doc]
                #cfg
                #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
                pub struct #rtype<'a> {
                    // Crate-visible for the hand-written helpers of `src/extra/` (`options::EXTRA_DIR`).
                    pub(crate) client: &'a crate::Client,
                }

                #cfg
                impl<'a> #rtype<'a> {
                    #(#subs)*
                    #(#methods)*
                }

                #(#requests)*
            });
        }
        out
    }

    /// Every part: the whole contents of `resources`.
    pub(crate) fn all(&self) -> TokenStream {
        let mut out = self.accessors();
        out.extend(self.structs(0..self.tree.entries.len()));
        out
    }
}

/// The `PathBuilder` calls after `new(template)` that build the operation's path from its
/// literal parts and its path parameters (variables named as the parameters).
pub(super) fn path_segments(op: &Operation) -> Vec<TokenStream> {
    op.path
        .iter()
        .map(|p| match p {
            PathPart::Literal(l) => quote!(.literal(#l)),
            PathPart::Param(n) => {
                let n = ident(n);
                quote!(.param(&#n))
            }
        })
        .collect()
}

/// The type a positional parameter is taken as: strings as `&str`, scalars by value, lists as
/// slices, anything else by reference.
pub(super) fn positional_type(p: &Param, types: &Types) -> TokenStream {
    match &p.ty {
        Ty::String => quote!(&str),
        Ty::Int(_) | Ty::Float | Ty::Bool | Ty::DateTime | Ty::Date | Ty::Uuid => ty(&p.ty, Scope::Elsewhere, types),
        Ty::Vec(inner) => {
            let t = ty(inner, Scope::Elsewhere, types);
            quote!(&[#t])
        }
        other => {
            let t = ty(other, Scope::Elsewhere, types);
            quote!(&#t)
        }
    }
}

/// The accessors on the client of the top-level resources among `paths`.
fn client_accessors<'p>(
    ir: &Ir,
    paths: impl Iterator<Item = &'p Vec<String>>,
    cfg: &dyn Fn(&[String]) -> TokenStream,
    crate_name: &str,
) -> TokenStream {
    let top = paths.filter(|k| k.len() == 1).map(|k| {
        let accessor = ident(&k[0]);
        let lint = trait_name_lint(&k[0]);
        let rtype = resource_type(ir, k);
        let doc = format!(" Operations under `{}`.", k[0]);
        let cfg = cfg(k);
        let example = accessor_example(crate_name, k);
        quote! {
            #[doc = #doc]
            #example
            #cfg
            #lint
            pub fn #accessor(&self) -> #rtype<'_> {
                #rtype { client: self }
            }
        }
    });
    quote! {
        impl crate::Client {
            #(#top)*
        }
    }
}

/// The accessors of a resource struct for its sub-resources (`subs`).
fn sub_accessors<'p>(ir: &Ir, subs: impl Iterator<Item = &'p Vec<String>>, crate_name: &str) -> Vec<TokenStream> {
    subs.map(|k| {
        let last = k.last().expect("non-empty");
        let accessor = ident(last);
        let lint = trait_name_lint(last);
        let sub = resource_type(ir, k);
        let doc = format!(" Operations under `{}`.", k.join("."));
        let example = accessor_example(crate_name, k);
        quote! {
            #[doc = #doc]
            #example
            #lint
            pub fn #accessor(&self) -> #sub<'a> {
                #sub { client: self.client }
            }
        }
    })
    .collect()
}

fn emit_operation((op, of): (&Operation, OperationFacts), ir: &Ir, crate_name: &str) -> TokenStream {
    let method = ident(&op.method_name);
    let path_text = op.path_template();
    let types = &ir.types;
    let d = doc_lines(&text_lines(&operation_doc((op, of), &path_text, types)), false);
    let example = method_example(op, crate_name, types);
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { TokenStream::new() };
    let args = arguments(op, types);
    let segments = path_segments(op);
    let (success_ty, constructor, decode) = success(&op.success, types);
    let mut request = request_chain((op, of), ir, &constructor, &decode);
    if let Some(p) = &op.pagination {
        let item_ty = ty(&p.item_ty, Scope::Elsewhere, types);
        let paging = paging(p, &success_ty, &item_ty);
        request = quote!(crate::runtime::Paged::new(#request, #paging));
    }
    // Deeply nested paths (Azure's have six parameters) are the API's shape, not a smell here.
    let lint = if args.len() + 1 > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
    let trait_lint = trait_name_lint(&op.method_name);
    let template = &path_text;
    let request_type = ident(&op.request_type);
    quote! {
        #d
        #example
        #deprecated
        #lint
        #trait_lint
        pub fn #method(&self, #(#args),*) -> #request_type {
            let path = crate::runtime::PathBuilder::new(#template) #(#segments)* .finish();
            #request_type { inner: #request }
        }
    }
}

/// The operation's request type: a setter per optional parameter, then the per-call settings,
/// sending (`send`, `with_response`, `.await`) and, for a paged list, walking (`pages`, `items`),
/// forwarded to the runtime's `RequestBuilder` or `Paged`. The forwarded names are the ones
/// `lower` keeps setters away from (`REQUEST_METHODS` in `lower/operations.rs`).
fn request_type(
    (op, of): (&Operation, OperationFacts),
    rtype: &Ident,
    cfg: &TokenStream,
    types: &Types,
) -> TokenStream {
    let name = ident(&op.request_type);
    let (output, _, _) = success(&op.success, types);
    let method = format!("{}::{}", rtype, op.method_name);
    let setters = op.named_params().map(|p| setter(p, types));
    let (inner, how, forwarded) = match &op.pagination {
        None => (quote!(crate::RequestBuilder<#output>), "`.await` it to send it", call_methods((op, of), &output)),
        Some(p) => {
            let item = ty(&p.item_ty, Scope::Elsewhere, types);
            (
                quote!(crate::Paged<#output, #item>),
                "`.await` it for the first page, or walk every page with [`pages`](Self::pages) or [`items`](Self::items)",
                paged_methods(&output, &item),
            )
        }
    };
    let doc = format!(" The request of [`{method}`]: set its optional parameters by name, then {how}.");
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(::std::fmt::Debug)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #name {
            inner: #inner,
        }

        #cfg
        impl #name {
            #(#setters)*
            #forwarded
        }

        #cfg
        impl ::std::future::IntoFuture for #name {
            type Output = ::std::result::Result<#output, crate::Error>;
            type IntoFuture = <#inner as ::std::future::IntoFuture>::IntoFuture;

            fn into_future(self) -> Self::IntoFuture {
                self.inner.into_future()
            }
        }
    }
}

/// The forwarded settings only some operations have: those of streams and downloads (idle
/// timeout, line and event limits), and those of calls that are keyed or not idempotent.
fn optional_forwarders(op: &Operation, of: OperationFacts) -> (TokenStream, TokenStream) {
    let live =
        matches!(op.success, Success::Binary | Success::EventStream(_) | Success::JsonLines(_) | Success::Parts(_));
    let idle_timeout = live.then(|| {
        quote! {
            /// The idle timeout of this stream or download (see [`RequestBuilder::idle_timeout`](crate::RequestBuilder::idle_timeout)).
            pub fn idle_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.inner = self.inner.idle_timeout(timeout);
                self
            }
        }
    });
    let stream = matches!(op.success, Success::EventStream(_) | Success::JsonLines(_));
    let max_line_bytes = stream.then(|| {
        quote! {
            /// The longest line this stream may send, in bytes (see [`RequestBuilder::max_line_bytes`](crate::RequestBuilder::max_line_bytes)).
            pub fn max_line_bytes(mut self, max: usize) -> Self {
                self.inner = self.inner.max_line_bytes(max);
                self
            }
        }
    });
    let max_part_bytes = matches!(op.success, Success::Parts(_)).then(|| {
        quote! {
            /// The largest part this stream may send, in bytes (see [`RequestBuilder::max_part_bytes`](crate::RequestBuilder::max_part_bytes)).
            pub fn max_part_bytes(mut self, max: usize) -> Self {
                self.inner = self.inner.max_part_bytes(max);
                self
            }
        }
    });
    let max_event_bytes = matches!(op.success, Success::EventStream(_)).then(|| {
        quote! {
            /// The most data one event of this stream may carry, in bytes (see [`RequestBuilder::max_event_bytes`](crate::RequestBuilder::max_event_bytes)).
            pub fn max_event_bytes(mut self, max: usize) -> Self {
                self.inner = self.inner.max_event_bytes(max);
                self
            }

            /// How many times in a row this stream is reconnected when its connection drops (see [`RequestBuilder::max_reconnects`](crate::RequestBuilder::max_reconnects)).
            pub fn max_reconnects(mut self, max: u32) -> Self {
                self.inner = self.inner.max_reconnects(max);
                self
            }
        }
    });
    let idempotency_key = of.keyed.then(|| {
        quote! {
            /// The idempotency key sent on every attempt (see [`RequestBuilder::idempotency_key`](crate::RequestBuilder::idempotency_key)).
            pub fn idempotency_key(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.inner = self.inner.idempotency_key(key);
                self
            }
        }
    });
    let retry_opt_in = (!of.idempotent()).then(|| {
        quote! {
            /// Lets this call be retried like an idempotent request (see [`RequestBuilder::retry_non_idempotent`](crate::RequestBuilder::retry_non_idempotent)).
            pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
                self.inner = self.inner.retry_non_idempotent(yes);
                self
            }
        }
    });
    (quote!(#idle_timeout #max_line_bytes #max_event_bytes #max_part_bytes), quote!(#idempotency_key #retry_opt_in))
}

/// The forwarded methods of a request type wrapping a `RequestBuilder`: only those that mean
/// something for the operation (an idle timeout for streams and downloads, the line limit for
/// streams and the event limit and reconnections for event streams, an idempotency key for requests that carry
/// one, the retry opt-in for operations that are not idempotent).
fn call_methods((op, of): (&Operation, OperationFacts), output: &TokenStream) -> TokenStream {
    let (stream_settings, call_settings) = optional_forwarders(op, of);
    quote! {
        /// The timeout of each attempt of this call (see [`RequestBuilder::timeout`](crate::RequestBuilder::timeout)).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.inner = self.inner.timeout(timeout);
            self
        }

        /// Retries after the first attempt, for this call.
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.inner = self.inner.max_retries(retries);
            self
        }

        #stream_settings

        /// An overall deadline for this call, across all attempts.
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.inner = self.inner.deadline(deadline);
            self
        }

        /// How much of an error response's body this call keeps, in bytes (see [`RequestBuilder::max_error_body_bytes`](crate::RequestBuilder::max_error_body_bytes)).
        pub fn max_error_body_bytes(mut self, max: usize) -> Self {
            self.inner = self.inner.max_error_body_bytes(max);
            self
        }

        #call_settings

        /// Sets a header on this request only (after the client's default headers).
        pub fn header(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.inner = self.inner.header(name, value);
            self
        }

        /// A hook run around every attempt of this call, after the client's (see [`RequestBuilder::hook`](crate::RequestBuilder::hook)).
        pub fn hook(mut self, hook: impl crate::Hook) -> Self {
            self.inner = self.inner.hook(hook);
            self
        }

        // `send` and `with_response` return the runtime's futures rather than being `async fn`s
        // awaiting them: an `async fn` is a state machine of its own per operation for the
        // compiler to check (GitHub's 2,178 of them cost 165 MB of its `cargo check` peak).

        /// Sends the request and returns the decoded value (the same as `.await`).
        pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<#output, crate::Error>> {
            self.inner.send()
        }

        /// Sends the request and returns the value with status, headers and attempt count.
        pub fn with_response(
            self,
        ) -> impl ::std::future::Future<Output = ::std::result::Result<crate::Response<#output>, crate::Error>> {
            self.inner.with_response()
        }
    }
}

/// The forwarded methods of a request type wrapping a `Paged`.
fn paged_methods(page: &TokenStream, item: &TokenStream) -> TokenStream {
    quote! {
        /// Fetches at most `pages` pages when walking.
        pub fn max_pages(mut self, pages: u64) -> Self {
            self.inner = self.inner.max_pages(pages);
            self
        }

        /// Yields at most `items` items from [`items`](Self::items) (and stops fetching pages then).
        pub fn max_items(mut self, items: u64) -> Self {
            self.inner = self.inner.max_items(items);
            self
        }

        /// Overrides the timeout of each attempt, for every page.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.inner = self.inner.timeout(timeout);
            self
        }

        /// Overrides the number of retries, for every page.
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.inner = self.inner.max_retries(retries);
            self
        }

        /// An overall deadline for each page's request, retries included.
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.inner = self.inner.deadline(deadline);
            self
        }

        /// Adds a header to every page's request.
        pub fn header(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.inner = self.inner.header(name, value);
            self
        }

        /// A hook run around every attempt of every page's request, after the client's (see [`RequestBuilder::hook`](crate::RequestBuilder::hook)).
        pub fn hook(mut self, hook: impl crate::Hook) -> Self {
            self.inner = self.inner.hook(hook);
            self
        }

        /// Sends the first page's request and returns it with status, headers and attempt count.
        pub fn with_response(
            self,
        ) -> impl ::std::future::Future<Output = ::std::result::Result<crate::Response<#page>, crate::Error>> {
            self.inner.with_response()
        }

        /// The pages, fetched lazily.
        pub fn pages(self) -> crate::PageStream<#page> {
            self.inner.pages()
        }

        /// The items of every page, fetched a page at a time as they are consumed.
        pub fn items(self) -> crate::PageStream<#item> {
            self.inner.items()
        }
    }
}

/// The setter of an optional query or header parameter: the spec's docs, the value replaces any
/// earlier one.
fn setter(p: &Param, types: &Types) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire;
    let mut text = p.doc.as_deref().map(|d| sanitize_doc(d).join("\n")).unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let wire_text = wire.replace('`', "'");
    text.push_str(&match p.location {
        ParamLocation::Query => format!("Sets the `{wire_text}` query parameter."),
        ParamLocation::Cookie => format!("Sets the `{wire_text}` cookie."),
        ParamLocation::QueryString { .. } => format!("Sets the whole query string (parameter `{wire_text}`)."),
        _ => format!("Sets the `{wire_text}` header."),
    });
    let d = doc_lines(&text_lines(&text), false);
    let (arg, value) = match &p.ty {
        Ty::String => (quote!(impl ::std::convert::Into<::std::string::String>), quote!(&#name.into())),
        other => {
            let t = ty(other, Scope::Elsewhere, types);
            (quote!(#t), quote!(&#name))
        }
    };
    let set = match p.location {
        ParamLocation::Query => quote!(.set_query_param(#wire, #value)),
        ParamLocation::Cookie => quote!(.set_cookie_param(#wire, #value)),
        ParamLocation::QueryString { json } => quote!(.query_string(#value, #json)),
        _ => quote!(.set_header_param(#wire, #value)),
    };
    quote! {
        #d
        pub fn #name(mut self, #name: #arg) -> Self {
            self.inner = self.inner #set;
            self
        }
    }
}

/// `RequestBuilder::new(…)` (or `live`) with the operation's flags, body and parameters.
fn request_chain(
    (op, of): (&Operation, OperationFacts),
    ir: &Ir,
    constructor: &Ident,
    decode: &TokenStream,
) -> TokenStream {
    let http_method = if op.http_method.is_standard() {
        let name = ident(op.http_method.as_str());
        quote!(::reqwest::Method::#name)
    } else {
        let name = op.http_method.as_str();
        quote!(crate::runtime::method(#name))
    };
    let body = op.body.as_ref().map(|b| super::body_calls::body_call(b, ir));
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path && p.required).map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        match p.location {
            ParamLocation::Query => quote!(.query_param(#wire, &#name)),
            ParamLocation::Cookie => quote!(.cookie_param(#wire, &#name)),
            ParamLocation::QueryString { json } => quote!(.query_string(&#name, #json)),
            _ => quote!(.header_param(#wire, &#name)),
        }
    });
    let constant_query = op.constant_query.iter().map(|(k, v)| quote!(.query_param(#k, #v)));
    let security = super::security::op_call(op);
    let idempotent = of.idempotent();
    let op_id = &op.id;
    let long_poll = of.long_poll.map(|secs| {
        let secs = proc_macro2::Literal::u64_unsuffixed(secs);
        quote!(.long_poll(::std::time::Duration::from_secs(#secs)))
    });
    let min_timeout = of.min_timeout.map(|secs| {
        let secs = proc_macro2::Literal::u64_unsuffixed(secs);
        quote!(.min_timeout(::std::time::Duration::from_secs(#secs)))
    });
    let resumable = matches!(op.success, Success::EventStream(_)).then(|| match &op.resume {
        None => quote!(.resumable(crate::runtime::Resume::LastEventId)),
        Some(ResumeParam { param, from }) => {
            quote!(.resumable(crate::runtime::Resume::Param { param: #param, from: #from }))
        }
    });
    quote! {
        crate::RequestBuilder::#constructor(self.client, #http_method, #op_id, path, #decode)
            #security
            .idempotent(#idempotent)
            #long_poll
            #min_timeout
            #resumable
            #body
            #(#constant_query)*
            #(#params)*
    }
}

/// The `runtime::Paging` of a paged list operation: closures reading its page type.
fn paging(p: &Pagination, page_ty: &TokenStream, item_ty: &TokenStream) -> TokenStream {
    let page = quote!(page);
    let (items, into_items) = match &p.items {
        None => (quote!(page.as_slice()), quote!(page)),
        Some(f) => {
            let name = ident(&f.name);
            let items = match f.presence {
                Presence::Required => quote!(page.#name.as_slice()),
                Presence::Optional | Presence::RequiredNullable => quote!(page.#name.as_deref().unwrap_or_default()),
                Presence::OptionalNullable => {
                    quote!(page.#name.value().map(::std::vec::Vec::as_slice).unwrap_or_default())
                }
            };
            let into_items = match f.presence {
                Presence::Required => quote!(page.#name),
                Presence::Optional | Presence::RequiredNullable => quote!(page.#name.unwrap_or_default()),
                Presence::OptionalNullable => quote!(page.#name.into_option().unwrap_or_default()),
            };
            (items, into_items)
        }
    };
    let has_more = match &p.has_more {
        None => quote!(|_: &#page_ty| ::std::option::Option::None),
        Some(f) if f.presence == Presence::Required => {
            let name = ident(&f.name);
            quote!(|page: &#page_ty| ::std::option::Option::Some(page.#name))
        }
        Some(f) => {
            let value = field_access(&page, f);
            quote!(|page: &#page_ty| #value.copied())
        }
    };
    let style = match &p.style {
        PageStyle::AfterLast { param, field } => {
            let value = cursor_of(&quote!(item), field);
            quote!(crate::runtime::PageStyle::AfterLast {
                param: #param,
                cursor: |item: &#item_ty| #value,
            })
        }
        PageStyle::Token { param, next } => {
            let value = cursor_of(&page, next);
            quote!(crate::runtime::PageStyle::Token {
                param: #param,
                next: |page: &#page_ty| #value,
            })
        }
        PageStyle::Offset { param } => quote!(crate::runtime::PageStyle::Offset { param: #param }),
        PageStyle::PageNumber { param } => quote!(crate::runtime::PageStyle::PageNumber { param: #param }),
        PageStyle::Link => quote!(crate::runtime::PageStyle::Link),
    };
    quote! {
        crate::runtime::Paging {
            style: #style,
            items: |page: &#page_ty| #items,
            into_items: |page: #page_ty| #into_items,
            has_more: #has_more,
        }
    }
}

/// The awaited output type, the `RequestBuilder` constructor (`new` decodes a whole body, `live`
/// hands the unread body over) and the decoder or handler.
fn success(success: &Success, types: &Types) -> (TokenStream, Ident, TokenStream) {
    let buffered = ident("new");
    let live = ident("live");
    match success {
        Success::Empty => (quote!(()), buffered, quote!(crate::runtime::decode_empty)),
        Success::Json(t) => (ty(t, Scope::Elsewhere, types), buffered, quote!(crate::runtime::decode_json)),
        Success::Text => (quote!(::std::string::String), buffered, quote!(crate::runtime::decode_text)),
        Success::Binary => (quote!(crate::Download), live, quote!(crate::runtime::download)),
        Success::JsonLines(t) => {
            let t = ty(t, Scope::Elsewhere, types);
            (quote!(crate::JsonLines<#t>), live, quote!(crate::runtime::json_lines))
        }
        Success::Parts(item) => {
            let (t, handler) = match item {
                PartItem::Json(t) => (ty(t, Scope::Elsewhere, types), quote!(crate::runtime::part_stream_json)),
                PartItem::Text => (quote!(::std::string::String), quote!(crate::runtime::part_stream_text)),
                PartItem::Bytes => (quote!(::std::vec::Vec<u8>), quote!(crate::runtime::part_stream_bytes)),
            };
            (quote!(crate::PartStream<#t>), live, handler)
        }
        Success::EventStream(data) => {
            let (t, handler) = match data {
                EventData::Json(t) => (ty(t, Scope::Elsewhere, types), quote!(crate::runtime::event_stream_json)),
                EventData::Text => (quote!(::std::string::String), quote!(crate::runtime::event_stream_text)),
                EventData::Envelope(t) => {
                    (ty(t, Scope::Elsewhere, types), quote!(crate::runtime::event_stream_envelope))
                }
            };
            (quote!(crate::EventStream<#t>), live, handler)
        }
    }
}

/// The cursor text of a field of `var`: `None` when absent, `null` or empty.
fn cursor_of(var: &TokenStream, f: &FieldRef) -> TokenStream {
    let name = ident(&f.name);
    match f.presence {
        Presence::Required => quote!(crate::runtime::cursor(&#var.#name)),
        Presence::OptionalNullable => quote!(#var.#name.value().and_then(crate::runtime::cursor)),
        _ => quote!(#var.#name.as_ref().and_then(crate::runtime::cursor)),
    }
}

/// `Option<&T>` of a field of `var`, whatever its wrapper.
fn field_access(var: &TokenStream, f: &FieldRef) -> TokenStream {
    let name = ident(&f.name);
    match f.presence {
        Presence::Required => quote!(::std::option::Option::Some(&#var.#name)),
        Presence::OptionalNullable => quote!(#var.#name.value()),
        _ => quote!(#var.#name.as_ref()),
    }
}

/// The method's parameters: path parameters in order, required query and header parameters, the
/// body.
fn arguments(op: &Operation, types: &Types) -> Vec<TokenStream> {
    let mut args = Vec::new();
    for p in op.positional_params() {
        let name = ident(&p.name);
        let t = positional_type(p, types);
        args.push(quote!(#name: #t));
    }
    if let Some(body) = &op.body {
        let t = match &body.kind {
            BodyKind::File => quote!(impl ::std::convert::Into<crate::FilePart>),
            BodyKind::Text => quote!(&str),
            BodyKind::JsonLines(item) | BodyKind::PartItems(PartItem::Json(item), _) => {
                let item = ty(item, Scope::Elsewhere, types);
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::borrow::Borrow<#item>>)
            }
            BodyKind::PartItems(PartItem::Text, _) => {
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>>)
            }
            BodyKind::PartItems(PartItem::Bytes, _) => {
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<crate::FilePart>>)
            }
            BodyKind::Multipart(id) => {
                let name = ident(types.name(*id));
                quote!(&crate::types::#name)
            }
            BodyKind::Json(t) | BodyKind::Form(t) => match t {
                Ty::String => quote!(&str),
                Ty::Bytes => quote!(&[u8]),
                Ty::Vec(inner) if **inner == Ty::Int(IntKind::U8) => quote!(&[u8]),
                other => {
                    let t = ty(other, Scope::Elsewhere, types);
                    quote!(&#t)
                }
            },
        };
        args.push(quote!(body: #t));
    }
    args
}
