//! Resources: the spec's operations as methods on resource structs reached from the client
//! (`client.devboxes().executions().get(...)`), each returning a `RequestBuilder`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, escape_prose, sanitize_doc, text_lines};
use super::{Scope, ident, ty};
use crate::ir::*;
use crate::naming::camel_ident;
use proc_macro2::Ident;

/// A resource struct name: `devboxes` → `Devboxes`, `["devboxes", "executions"]` → `DevboxesExecutions`.
fn resource_type(path: &[String]) -> Ident {
    let joined = path.join(" ");
    ident(&camel_ident(&joined, "Resource", "Resource"))
}

/// The resource structs, their accessors on the client, and one method per operation.
pub(super) fn resources(ir: &Ir) -> TokenStream {
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
        let rtype = resource_type(k);
        let doc = format!(" Operations under `{}`.", k[0]);
        quote! {
            #[doc = #doc]
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
        let rtype = resource_type(path);
        let doc = format!(
            " Operations under `client.{}`.",
            path.iter().map(|p| format!("{p}()")).collect::<Vec<_>>().join(".")
        );
        let subs = tree.keys().filter(|k| k.len() == path.len() + 1 && k.starts_with(path)).map(|k| {
            let accessor = ident(k.last().expect("non-empty"));
            let sub = resource_type(k);
            let doc = format!(" Operations under `{}`.", k.join("."));
            quote! {
                #[doc = #doc]
                pub fn #accessor(&self) -> #sub<'a> {
                    #sub { client: self.client }
                }
            }
        });
        let methods = ops.iter().map(|op| emit_operation(op, ir));
        out.extend(quote! {
            #[doc = #doc]
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
            pub struct #rtype<'a> {
                client: &'a crate::Client,
            }

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
    let path_text: String = op
        .path
        .iter()
        .map(|p| match p {
            PathPart::Literal(l) => l.clone(),
            PathPart::Param(n) => format!("{{{n}}}"),
        })
        .collect();
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
    let http_method = ident(&op.http_method);
    let (success_ty, constructor, decode) = success(&op.success);
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
    // Deeply nested paths (Azure's have six parameters) are the API's shape, not a smell here.
    let lint = if args.len() + 1 > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
    let template = &path_text;
    quote! {
        #d
        #deprecated
        #lint
        pub fn #method(&self, #(#args),*) -> crate::RequestBuilder<#success_ty> {
            let path = crate::runtime::PathBuilder::new(#template) #(#segments)* .finish();
            crate::RequestBuilder::#constructor(self.client, ::reqwest::Method::#http_method, #op_id, path, #decode)
                .authenticated(#authenticated)
                .idempotent(#idempotent)
                #body
                #(#constant_query)*
                #(#params)*
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
            Ty::Int(_) | Ty::Float | Ty::Bool => ty(&p.ty, Scope::Elsewhere),
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
