//! Resources: the spec's operations as methods on resource structs reached from the client
//! (`client.devboxes().executions().get(...)`), each returning a `RequestBuilder`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, escape_prose, sanitize_doc, text_lines};
use super::{Scope, ident, ty};
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
pub(super) fn resources(ir: &Ir, features: Option<&super::ResourceFeatures>) -> TokenStream {
    let cfg = |path: &[String]| match (features, path.first()) {
        (Some(f), Some(top)) => f.resource_cfg(top),
        _ => TokenStream::new(),
    };
    use std::collections::BTreeMap;
    // Every resource path and its prefixes.
    let mut tree: BTreeMap<Vec<String>, Vec<&Operation>> = BTreeMap::new();
    for op in &ir.operations {
        for depth in 1..=op.resource.len() {
            tree.entry(op.resource[..depth].to_vec()).or_default();
        }
        tree.entry(op.resource.clone()).or_default().push(op);
    }
    let mut out = TokenStream::new();
    // Accessors on the client for top-level resources.
    let top = tree.keys().filter(|k| k.len() == 1).map(|k| {
        let accessor = ident(&k[0]);
        let lint = trait_name_lint(&k[0]);
        let rtype = resource_type(ir, k);
        let doc = format!(" Operations under `{}`.", k[0]);
        let cfg = cfg(k);
        quote! {
            #[doc = #doc]
            #cfg
            #lint
            pub fn #accessor(&self) -> #rtype<'_> {
                #rtype { client: self }
            }
        }
    });
    out.extend(quote! {
        impl crate::Client {
            #(#top)*
        }
    });
    for (path, ops) in &tree {
        let rtype = resource_type(ir, path);
        let doc = format!(
            " Operations under `client.{}`.",
            path.iter().map(|p| format!("{p}()")).collect::<Vec<_>>().join(".")
        );
        let subs = tree.keys().filter(|k| k.len() == path.len() + 1 && k.starts_with(path)).map(|k| {
            let last = k.last().expect("non-empty");
            let accessor = ident(last);
            let lint = trait_name_lint(last);
            let sub = resource_type(ir, k);
            let doc = format!(" Operations under `{}`.", k.join("."));
            quote! {
                #[doc = #doc]
                #lint
                pub fn #accessor(&self) -> #sub<'a> {
                    #sub { client: self.client }
                }
            }
        });
        let methods = ops.iter().map(|op| emit_operation(op, ir));
        let cfg = cfg(path);
        out.extend(quote! {
            #[doc = #doc]
            #cfg
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
            pub struct #rtype<'a> {
                client: &'a crate::Client,
            }

            #cfg
            impl<'a> #rtype<'a> {
                #(#subs)*
                #(#methods)*
            }
        });
    }
    out
}

fn emit_operation(op: &Operation, ir: &Ir) -> TokenStream {
    let method = ident(&op.method_name);
    let path_text = op.path_template();
    let d = doc_lines(&text_lines(&operation_doc(op, &path_text)), false);
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { TokenStream::new() };
    let args = arguments(op);
    let segments = op.path.iter().map(|p| match p {
        PathPart::Literal(l) => quote!(.literal(#l)),
        PathPart::Param(n) => {
            let n = ident(n);
            quote!(.param(&#n))
        }
    });
    let (success_ty, constructor, decode) = success(&op.success);
    let request = request_chain(op, ir, &constructor, &decode);
    let (output, request) = match &op.pagination {
        None => (quote!(crate::RequestBuilder<#success_ty>), request),
        Some(p) => {
            let item_ty = ty(&p.item_ty, Scope::Elsewhere);
            let paging = paging(p, &success_ty, &item_ty);
            (quote!(crate::Paged<#success_ty, #item_ty>), quote!(crate::runtime::Paged::new(#request, #paging)))
        }
    };
    // Deeply nested paths (Azure's have six parameters) are the API's shape, not a smell here.
    let lint = if args.len() + 1 > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
    let trait_lint = trait_name_lint(&op.method_name);
    let template = &path_text;
    quote! {
        #d
        #deprecated
        #lint
        #trait_lint
        pub fn #method(&self, #(#args),*) -> #output {
            let path = crate::runtime::PathBuilder::new(#template) #(#segments)* .finish();
            #request
        }
    }
}

/// `RequestBuilder::new(…)` (or `live`) with the operation's flags, body and parameters.
fn request_chain(op: &Operation, ir: &Ir, constructor: &Ident, decode: &TokenStream) -> TokenStream {
    let http_method = ident(&op.http_method);
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        match &b.kind {
            BodyKind::Json(_) => quote!(.json_body(#media, body)),
            BodyKind::Form(_) => quote!(.form_body(#media, body)),
            BodyKind::Text => quote!(.bytes_body(#media, body.as_bytes().to_vec())),
            BodyKind::File => quote!(.file_body(#media, body.into())),
            BodyKind::Multipart(name) => {
                let parts = ir
                    .types
                    .iter()
                    .find(|t| t.name == *name)
                    .and_then(|t| match &t.kind {
                        TypeKind::Multipart(m) => Some(super::multipart::parts(m)),
                        _ => None,
                    })
                    .expect("a multipart body names its multipart type");
                quote!(.multipart_body(#parts))
            }
        }
    });
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        match p.location {
            ParamLocation::Query => quote!(.query_param(#wire, &params.#name)),
            _ => quote!(.header_param(#wire, &params.#name)),
        }
    });
    let constant_query = op.constant_query.iter().map(|(k, v)| quote!(.query_param(#k, #v)));
    let authenticated = op.authenticated && ir.auth.is_some();
    let idempotent = op.idempotent;
    let op_id = &op.id;
    let long_poll = op.long_poll.map(|secs| {
        let secs = proc_macro2::Literal::u64_unsuffixed(secs);
        quote!(.long_poll(::std::time::Duration::from_secs(#secs)))
    });
    let min_timeout = op.timeout.map(|secs| {
        let secs = proc_macro2::Literal::u64_unsuffixed(secs);
        quote!(.min_timeout(::std::time::Duration::from_secs(#secs)))
    });
    quote! {
        crate::RequestBuilder::#constructor(self.client, ::reqwest::Method::#http_method, #op_id, path, #decode)
            .authenticated(#authenticated)
            .idempotent(#idempotent)
            #long_poll
            #min_timeout
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
                    quote!(page.#name.as_ref().map(::std::vec::Vec::as_slice).unwrap_or_default())
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
fn success(success: &Success) -> (TokenStream, Ident, TokenStream) {
    let buffered = ident("new");
    let live = ident("live");
    match success {
        Success::Empty => (quote!(()), buffered, quote!(crate::runtime::decode_empty)),
        Success::Json(t) => (ty(t, Scope::Elsewhere), buffered, quote!(crate::runtime::decode_json)),
        Success::Text => (quote!(::std::string::String), buffered, quote!(crate::runtime::decode_text)),
        Success::Binary => (quote!(crate::Download), live, quote!(crate::runtime::download)),
        Success::JsonLines(t) => {
            let t = ty(t, Scope::Elsewhere);
            (quote!(crate::JsonLines<#t>), live, quote!(crate::runtime::json_lines))
        }
        Success::EventStream(data) => {
            let (t, handler) = match data {
                EventData::Json(t) => (ty(t, Scope::Elsewhere), quote!(crate::runtime::event_stream_json)),
                EventData::Text => (quote!(::std::string::String), quote!(crate::runtime::event_stream_text)),
                EventData::Envelope(t) => (ty(t, Scope::Elsewhere), quote!(crate::runtime::event_stream_envelope)),
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
        _ => quote!(#var.#name.as_ref().and_then(crate::runtime::cursor)),
    }
}

/// `Option<&T>` of a field of `var`, whatever its wrapper.
fn field_access(var: &TokenStream, f: &FieldRef) -> TokenStream {
    let name = ident(&f.name);
    match f.presence {
        Presence::Required => quote!(::std::option::Option::Some(&#var.#name)),
        _ => quote!(#var.#name.as_ref()),
    }
}

/// A method's rustdoc: the spec's summary and description, the HTTP call, whether it is retried,
/// and the documented error statuses.
fn operation_doc(op: &Operation, path_text: &str) -> String {
    let mut doc_text = op.doc.as_deref().map(|d| sanitize_doc(d).join("\n")).unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.http_method,
        path_text.replace('`', "'"),
        op.id.replace('`', "'")
    ));
    if let Some(p) = &op.pagination {
        let how = match &p.style {
            PageStyle::AfterLast { param, field } => format!("`{param}` = the last item's `{}`", field.name),
            PageStyle::Token { param, next } => format!("`{param}` = the page's `{}`", next.name),
            PageStyle::Offset { param } => format!("`{param}` = the offset after the items received"),
            PageStyle::PageNumber { param } => format!("`{param}` = the next page number"),
            PageStyle::Link => "the `Link: <…>; rel=\"next\"` response header".to_owned(),
        };
        doc_text.push_str(&format!(
            "\n\nPaged: `.await` gives the first page; [`pages`](crate::Paged::pages) and \
             [`items`](crate::Paged::items) walk every page, asking for the next with {how}."
        ));
    }
    if let Some(secs) = op.long_poll {
        doc_text.push_str(&format!(
            "\n\nA long poll: the server may hold the request for up to {secs} s, so each attempt's timeout \
             is at least {secs} s plus a 30 s margin (a per-call `timeout` overrides it)."
        ));
    }
    if let Some(secs) = op.timeout {
        doc_text.push_str(&format!(
            "\n\nMay take up to {secs} s: each attempt's timeout is at least that (a per-call `timeout` \
             overrides it)."
        ));
    }
    if !op.idempotent {
        doc_text.push_str(
            "\n\nNot idempotent: resent automatically only when the server provably did not process it \
             (see [`RequestBuilder`](crate::RequestBuilder)).",
        );
    }
    if !op.errors.is_empty() {
        doc_text.push_str("\n\nDocumented error statuses (returned as [`Error::Api`](crate::Error::Api)):");
        for e in &op.errors {
            let mut line = format!("\n- `{}`", e.status);
            if !e.description.is_empty() {
                line.push_str(&format!(": {}", escape_prose(e.description.lines().next().unwrap_or("").trim())));
            }
            if let Some(Ty::Named(n)) = &e.ty {
                line.push_str(&format!(" (body: [`{n}`](crate::types::{n}))"));
            }
            doc_text.push_str(&line);
        }
    }
    doc_text
}

/// The method's parameters: path parameters in order, the body, the parameters struct.
fn arguments(op: &Operation) -> Vec<TokenStream> {
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
        let name = ident(&p.name);
        let t = match &p.ty {
            Ty::String => quote!(&str),
            Ty::Int(_) | Ty::Float | Ty::Bool | Ty::DateTime | Ty::Date | Ty::Uuid => ty(&p.ty, Scope::Elsewhere),
            other => {
                let t = ty(other, Scope::Elsewhere);
                quote!(&#t)
            }
        };
        args.push(quote!(#name: #t));
    }
    if let Some(body) = &op.body {
        let t = match &body.kind {
            BodyKind::File => quote!(impl ::std::convert::Into<crate::FilePart>),
            BodyKind::Text => quote!(&str),
            BodyKind::Multipart(name) => {
                let name = ident(name);
                quote!(&crate::types::#name)
            }
            BodyKind::Json(t) | BodyKind::Form(t) => match t {
                Ty::String => quote!(&str),
                Ty::Bytes => quote!(&[u8]),
                Ty::Vec(inner) if **inner == Ty::Int(IntKind::U8) => quote!(&[u8]),
                other => {
                    let t = ty(other, Scope::Elsewhere);
                    quote!(&#t)
                }
            },
        };
        args.push(quote!(body: #t));
    }
    if let Some(pt) = &op.params_type {
        let pt = ident(pt);
        args.push(quote!(params: &crate::types::#pt));
    }
    args
}
