//! Emit: the [`Ir`] → Rust token streams, with `quote`.
//!
//! Generated code names everything outside the crate by its full path (`::std::option::Option`,
//! `::serde::Serialize`), so a schema called `Option`, `Result` or `Box` cannot shadow anything.
//! Types live in `types`, operations in `resources`; the hand-written runtime (retries, errors,
//! configuration) is `runtime`, copied in by [`crate::render`].

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::*;

/// The token streams of one generated crate.
pub struct Emitted {
    /// `//!` docs and crate attributes of `lib.rs`.
    pub crate_docs: TokenStream,
    /// Items at the crate root: re-exports and the spec constants the runtime reads.
    pub root: TokenStream,
    /// The contents of `resources`.
    pub resources: TokenStream,
}

/// Options that change the emitted code.
pub struct EmitOptions<'a> {
    /// The library crate name, e.g. `runloop`.
    pub crate_name: &'a str,
    /// Prefix of the environment variables, e.g. `RUNLOOP`.
    pub env_prefix: &'a str,
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Doc attributes from spec text, made safe for rustdoc: code fences become `text` blocks, and
/// brackets, angle brackets and bare URLs outside code spans are escaped, so spec prose cannot
/// produce broken links, HTML or doctests.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    doc_lines(&sanitize_doc(text), false)
}

/// Doc attributes, one per line, from text that is already rustdoc-safe (written by the generator,
/// or sanitised). `inner` gives `//!` lines.
fn doc_lines(lines: &[String], inner: bool) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        if inner { quote!(#![doc = #line]) } else { quote!(#[doc = #line]) }
    });
    quote!(#(#attrs)*)
}

fn text_lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn sanitize_doc(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut list_indent = None;
    let text = text.replace('\t', "    ");
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        // Indented lines would be code blocks (and doctests): keep them as prose. A line that
        // continues a list item is indented to the item's text, as rustdoc (and clippy's
        // `doc_lazy_continuation`) expects.
        let text = line.trim_start();
        if text.is_empty() {
            list_indent = None;
            out.push(String::new());
        } else if let Some(width) = list_marker_width(text) {
            list_indent = Some(width);
            out.push(escape_prose(text));
        } else if let Some(width) = list_indent {
            out.push(format!("{}{}", " ".repeat(width), escape_prose(text)));
        } else {
            out.push(escape_prose(text));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

/// The width of a Markdown list marker (`- `, `* `, `+ `, `1. `, `2) `) starting `line`, if any.
fn list_marker_width(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let marker = if matches!(bytes.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) || !matches!(bytes.get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    };
    // The item's text starts after one to four spaces (`*   item` is indented by four).
    let spaces = bytes[marker..].iter().take_while(|b| **b == b' ').count();
    ((1..=4).contains(&spaces) && bytes.len() > marker + spaces).then_some(marker + spaces)
}

/// Whether a Markdown link destination is a URL (kept as a link) rather than something rustdoc
/// would try to resolve as an intra-doc path.
fn is_url_destination(dest: &str) -> bool {
    ["http://", "https://", "mailto:", "/", "#"].iter().any(|p| dest.starts_with(p))
}

/// The length of a Markdown link `[text](url)` or autolink `<url>` starting `rest`, if it is one
/// that rustdoc renders as it is meant.
fn link_len(rest: &str) -> Option<usize> {
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        let url = &inner[..end];
        let absolute = ["http://", "https://", "mailto:"].iter().any(|p| url.starts_with(p));
        return (absolute && !url.contains(char::is_whitespace)).then_some(end + 2);
    }
    let inner = rest.strip_prefix('[')?;
    let text_end = inner.find(']')?;
    if inner[..text_end].contains(['[', '`']) {
        return None;
    }
    let after = inner[text_end + 1..].strip_prefix('(')?;
    let dest_end = after.find(')')?;
    let dest = &after[..dest_end];
    (is_url_destination(dest) && !dest.contains(char::is_whitespace)).then_some(1 + text_end + 1 + 1 + dest_end + 1)
}

fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        let rest = &line[i..];
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            if let Some(len) = link_len(rest) {
                // A link to a URL: rustdoc renders it as meant; keep it.
                out.push_str(&rest[..len]);
                i += len;
                continue;
            }
            if rest.starts_with("http://") || rest.starts_with("https://") {
                // A bare URL: rustdoc wants it in angle brackets.
                let end = rest
                    .find(|ch: char| ch.is_whitespace() || matches!(ch, ')' | '>' | '"' | '\'' | ']' | '<' | '`'))
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                i += url.len();
                continue;
            }
            if matches!(c, '[' | ']' | '<' | '>') {
                // What rustdoc would read as an intra-doc link or an HTML tag.
                out.push('\\');
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Where a type expression is written: inside `types`, or elsewhere (then named via `types::`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Types,
    Elsewhere,
}

fn ty(t: &Ty, scope: Scope) -> TokenStream {
    match t {
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::Int(name) => {
            let i = ident(name);
            quote!(#i)
        }
        Ty::Float => quote!(f64),
        Ty::Json => quote!(::serde_json::Value),
        Ty::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Ty::Unit => quote!(()),
        Ty::Named(n) => {
            let i = ident(n);
            match scope {
                Scope::Types => quote!(#i),
                Scope::Elsewhere => quote!(crate::types::#i),
            }
        }
        Ty::Vec(inner) => {
            let inner = ty(inner, scope);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(inner, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty(inner, scope);
            quote!(::std::option::Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = ty(inner, scope);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// The names of the string enums: the only named types known to be `Eq` without looking further.
type EqNames<'a> = std::collections::HashSet<&'a str>;

/// Whether a type can derive `Eq` (no floats or JSON values inside; of named types, only string
/// enums are taken as `Eq`, which keeps the check local).
fn is_eq(t: &Ty, enums: &EqNames<'_>) -> bool {
    match t {
        Ty::String | Ty::Bool | Ty::Int(_) | Ty::Unit => true,
        Ty::Float | Ty::Json | Ty::JsonObject => false,
        Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => is_eq(i, enums),
        Ty::Named(n) => enums.contains(n.as_str()),
    }
}

/// The types a caller builds: request bodies and parameter structs, and everything they contain.
/// Only these get `with_*` setters; responses are read, and `new` serves tests that build them.
fn request_types(ir: &Ir) -> std::collections::HashSet<&str> {
    let by_name: std::collections::HashMap<&str, &TypeDef> = ir.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<String> = Vec::new();
    for op in &ir.operations {
        if let Some(body) = &op.body {
            body.ty.names(&mut stack);
        }
        stack.extend(op.params_type.iter().cloned());
        for p in &op.params {
            p.ty.names(&mut stack);
        }
    }
    while let Some(name) = stack.pop() {
        let Some(def) = by_name.get(name.as_str()) else { continue };
        if !seen.insert(def.name.as_str()) {
            continue;
        }
        def.kind.names(&mut stack);
    }
    seen
}

/// Emits a whole crate's worth of tokens.
pub fn emit(ir: &Ir, options: &EmitOptions<'_>) -> Emitted {
    Emitted { crate_docs: crate_docs(ir, options), root: root(ir, options), resources: resources(ir) }
}

/// Emits the named types. What it needs to know about the whole IR is computed once, so ranges
/// of the type list can be emitted (and formatted) on separate threads sharing it: token streams
/// cannot cross threads, but this can.
pub struct TypeEmitter<'a> {
    ir: &'a Ir,
    enums: EqNames<'a>,
    requests: std::collections::HashSet<&'a str>,
}

impl<'a> TypeEmitter<'a> {
    /// Prepares to emit `ir`'s types.
    pub fn new(ir: &'a Ir) -> Self {
        let enums = ir.types.iter().filter(|t| matches!(t.kind, TypeKind::Enum(_))).map(|t| t.name.as_str()).collect();
        Self { ir, enums, requests: request_types(ir) }
    }

    /// The items of `ir.types[range]`.
    pub fn types(&self, range: std::ops::Range<usize>) -> TokenStream {
        let types =
            self.ir.types[range].iter().map(|t| emit_type(t, &self.enums, self.requests.contains(t.name.as_str())));
        quote!(#(#types)*)
    }
}

fn crate_docs(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
    let api = ir.title.trim();
    let api = if api.to_ascii_lowercase().ends_with(" api") || api.eq_ignore_ascii_case("api") {
        api.to_owned()
    } else {
        format!("{api} API")
    };
    let mut lines = sanitize_doc(&format!(
        "Client for the {api}.\n\nGenerated from its OpenAPI description (API version {}).",
        ir.api_version.trim()
    ));
    if let Some(d) = &ir.description {
        lines.push(String::new());
        lines.extend(sanitize_doc(d));
    }
    lines.push(String::new());
    let example = quickstart_op(ir).map(|op| {
        let resources: String = op.resource.iter().map(|r| format!(".{r}()")).collect();
        let args = call_args(op, ir);
        format!("{resources}\n    .{}({args})", op.method_name)
    });
    let env = options.env_prefix;
    let krate = options.crate_name;
    let mut guide = format!(
        "# Quick start\n\n```no_run\n# async fn run() -> Result<(), {krate}::Error> {{\nuse {krate}::types;\n\nlet client = {krate}::Client::from_env()?; // reads {env}_API_KEY, {env}_BASE_URL\n"
    );
    if let Some(call) = example {
        guide.push_str(&format!("let response = client{call}\n    .await?;\nprintln!(\"{{response:?}}\");\n"));
    }
    guide.push_str("# Ok(())\n# }\n```\n\n");
    guide.push_str(&format!(
        "# Configuration\n\n\
         [`Client::from_env`] reads `{env}_API_KEY` (required), `{env}_BASE_URL` and `{env}_CUSTOM_HEADERS` \
         (newline-separated `Name: value` pairs). [`Client::builder`] sets the same and more: timeouts, retries, \
         an overall deadline, default headers, or your own `reqwest::Client`. Every call returns a \
         [`RequestBuilder`] that can override timeout, retries and headers for that call, and can return the \
         raw [`Response`] (status, headers, request id, attempts) beside the value.\n\n\
         # Retries\n\n\
         See [`RequestBuilder`] for the retry policy. In short: idempotent requests are retried on connection \
         errors, timeouts, 408, 409, 429 and 5xx; a request that is not idempotent (`POST`, `PATCH`) is resent \
         automatically only when the server provably did not process it, unless the call opts in."
    ));
    lines.extend(text_lines(&guide));
    doc_lines(&lines, true)
}

/// The first operation (in sorted order) whose arguments the quick start can spell out.
fn quickstart_op(ir: &Ir) -> Option<&Operation> {
    ir.operations.iter().find(|op| {
        op.params.iter().all(|p| p.location == ParamLocation::Path && p.ty == Ty::String)
            && op.body.as_ref().is_none_or(|b| body_constructor(b, ir).is_some())
    })
}

fn body_constructor(body: &Body, ir: &Ir) -> Option<String> {
    let Ty::Named(name) = &body.ty else { return None };
    let def = ir.types.iter().find(|t| &t.name == name)?;
    let TypeKind::Struct(s) = &def.kind else { return None };
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    if !required.iter().all(|f| f.ty == Ty::String && !f.nullable) {
        return None;
    }
    if required.is_empty() {
        return Some(format!("&types::{name}::default()"));
    }
    let args: Vec<String> = required.iter().map(|f| format!("{:?}", f.wire)).collect();
    Some(format!("&types::{name}::new({})", args.join(", ")))
}

fn call_args(op: &Operation, ir: &Ir) -> String {
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| format!("{:?}", format!("{}_123", p.name)))
        .collect();
    if let Some(constructor) = op.body.as_ref().and_then(|b| body_constructor(b, ir)) {
        args.push(constructor);
    }
    args.join(", ")
}

/// The quick-start example program, for `examples/quickstart.rs`: builds the client from the
/// environment and calls the first operation whose arguments it can spell out.
pub fn example(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
    let krate = ident(options.crate_name);
    let env = format!("{}_API_KEY", options.env_prefix);
    let call = quickstart_op(ir).map(|op| {
        let resources = op.resource.iter().map(|r| ident(r));
        let method = ident(&op.method_name);
        // Every value the call needs comes from the command line, in this order.
        let path_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
        let body = op.body.as_ref().and_then(|b| match &b.ty {
            Ty::Named(name) => Some(name),
            _ => None,
        });
        let required: Vec<&Field> = match body.and_then(|n| ir.types.iter().find(|t| &t.name == n)).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s.fields.iter().filter(|f| f.required).collect(),
            _ => Vec::new(),
        };
        let names: Vec<&str> =
            path_params.iter().map(|p| p.name.as_str()).chain(required.iter().map(|f| f.name.as_str())).collect();
        let usage = format!(
            "usage: cargo run --example quickstart --{}",
            names.iter().map(|n| format!(" <{n}>")).collect::<String>()
        );
        let arg = |index: usize| {
            let index = Literal::usize_unsuffixed(index + 1);
            quote!(args.get(#index).cloned().expect(#usage))
        };
        let mut lets = Vec::new();
        if !names.is_empty() {
            lets.push(quote!(let args: ::std::vec::Vec<::std::string::String> = ::std::env::args().collect();));
        }
        let mut call_args: Vec<TokenStream> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let var = ident(&p.name);
            let value = arg(i);
            lets.push(quote!(let #var = #value;));
            call_args.push(quote!(&#var));
        }
        if let Some(name) = body {
            let name_i = ident(name);
            if required.is_empty() {
                lets.push(quote!(let body = #krate::types::#name_i::default();));
            } else {
                let values = (0..required.len()).map(|i| arg(path_params.len() + i));
                lets.push(quote!(let body = #krate::types::#name_i::new(#(#values),*);));
            }
            call_args.push(quote!(&body));
        }
        let args = call_args;
        quote! {
            #(#lets)*
            let response = client #(.#resources())* .#method(#(#args),*).with_response().await?;
            println!("status {} (request id {:?}, {} attempt(s))", response.status(), response.request_id(), response.attempts());
            println!("{:#?}", response.into_value());
        }
    });
    let (doc, call) = match call {
        Some(call) => (format!(" Quick start: reads `{env}` from the environment and makes one call."), call),
        // No operation whose arguments the example can spell out: show the configuration.
        None => (
            format!(" Quick start: reads `{env}` from the environment and shows the client's configuration."),
            quote!(println!("{client:#?}");),
        ),
    };
    quote! {
        #![doc = #doc]

        #[tokio::main]
        async fn main() -> ::std::result::Result<(), #krate::Error> {
            let client = #krate::Client::from_env()?;
            #call
            Ok(())
        }
    }
}

fn root(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
    let env_prefix = options.env_prefix;
    let base_url = match &ir.base_url {
        Some(u) => quote!(::std::option::Option::Some(#u)),
        None => quote!(::std::option::Option::None),
    };
    let auth = match &ir.auth {
        None => quote!(runtime::Auth::None),
        Some(Auth::Bearer) => quote!(runtime::Auth::Bearer),
        Some(Auth::Basic) => quote!(runtime::Auth::Basic),
        Some(Auth::Header(h)) => quote!(runtime::Auth::Header(#h)),
        Some(Auth::Query(q)) => quote!(runtime::Auth::Query(#q)),
    };
    quote! {
        pub use runtime::{ApiError, Client, ClientBuilder, Error, Nullable, RequestBuilder, Response};

        /// What the runtime needs to know about this API.
        const SPEC: runtime::Spec = runtime::Spec {
            env_prefix: #env_prefix,
            default_base_url: #base_url,
            auth: #auth,
        };
    }
}

fn emit_type(def: &TypeDef, enums: &EqNames<'_>, setters: bool) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_text = Some(def.doc.clone().unwrap_or_else(|| format!("Generated from `{}`.", def.pointer)));
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(&name, doc(doc_text.as_deref()), s, enums, setters),
        TypeKind::Enum(e) => emit_enum(&name, doc(doc_text.as_deref()), e),
        TypeKind::Constants(c) => {
            if matches!(c.base, Ty::Json) {
                let listed = c.values.iter().map(|(_, v)| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                let text = doc_text.take().map(|d| format!("{d}\n\n")).unwrap_or_default();
                doc_text = Some(format!("{text}Allowed values: {listed}."));
            }
            emit_constants(&name, doc(doc_text.as_deref()), c)
        }
        TypeKind::Union(u) => emit_union(&name, doc(doc_text.as_deref()), u),
        TypeKind::Alias(t) => {
            let d = doc(doc_text.as_deref());
            let t = ty(t, Scope::Types);
            quote! {
                #d
                pub type #name = #t;
            }
        }
        TypeKind::Newtype(t) => {
            let d = doc(doc_text.as_deref());
            let t = ty(t, Scope::Types);
            quote! {
                #d
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #t);
            }
        }
    }
}

fn emit_struct(name: &Ident, doc: TokenStream, s: &Struct, enums: &EqNames<'_>, with_setters: bool) -> TokenStream {
    let has_required = s.fields.iter().any(|f| f.required);
    let mut derives = vec![quote!(::std::fmt::Debug), quote!(::std::clone::Clone), quote!(::std::cmp::PartialEq)];
    let eq = s.fields.iter().all(|f| is_eq(&f.ty, enums)) && s.additional.as_ref().is_none_or(|(_, t)| is_eq(t, enums));
    if eq {
        derives.push(quote!(::std::cmp::Eq));
    }
    if !has_required {
        derives.push(quote!(::std::default::Default));
    }
    derives.push(quote!(::serde::Serialize));
    derives.push(quote!(::serde::Deserialize));

    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let d = self::doc(f.doc.as_deref());
        let rename = if f.name != f.wire {
            let wire = &f.wire;
            quote!(#[serde(rename = #wire)])
        } else {
            TokenStream::new()
        };
        let inner = ty(&f.ty, Scope::Types);
        let (attr, full) = match f.presence() {
            Presence::Required => (TokenStream::new(), inner),
            Presence::RequiredNullable => (TokenStream::new(), quote!(::std::option::Option<#inner>)),
            Presence::Optional => (
                quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]),
                quote!(::std::option::Option<#inner>),
            ),
            Presence::OptionalNullable => (
                quote!(#[serde(default, skip_serializing_if = "crate::runtime::Nullable::is_absent")]),
                quote!(crate::runtime::Nullable<#inner>),
            ),
        };
        quote! {
            #d
            #rename
            #attr
            pub #fname: #full,
        }
    });
    let additional = s.additional.as_ref().map(|(fname, t)| {
        let fname = ident(fname);
        let t = ty(t, Scope::Types);
        quote! {
            /// Properties not named above (`additionalProperties`).
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #t>,
        }
    });

    // Constructor with the required fields; optional ones start absent.
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let constructor = if required.is_empty() {
        TokenStream::new()
    } else {
        let params = required.iter().map(|f| {
            let fname = ident(&f.name);
            let inner = ty(&f.ty, Scope::Types);
            match (f.presence(), &f.ty) {
                (Presence::Required, Ty::String) => quote!(#fname: impl ::std::convert::Into<::std::string::String>),
                (Presence::Required, _) => quote!(#fname: #inner),
                _ => quote!(#fname: ::std::option::Option<#inner>),
            }
        });
        let inits = s.fields.iter().map(|f| {
            let fname = ident(&f.name);
            match (f.presence(), &f.ty) {
                (Presence::Required, Ty::String) => quote!(#fname: #fname.into()),
                (Presence::Required | Presence::RequiredNullable, _) => quote!(#fname),
                (Presence::Optional, _) => quote!(#fname: ::std::option::Option::None),
                (Presence::OptionalNullable, _) => quote!(#fname: crate::runtime::Nullable::Absent),
            }
        });
        let add_init = s.additional.as_ref().map(|(fname, _)| {
            let fname = ident(fname);
            quote!(#fname: ::std::collections::BTreeMap::new(),)
        });
        let lint = if required.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
        quote! {
            /// A value with the required fields set and every optional field absent.
            #lint
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #add_init }
            }
        }
    };
    let mut setter_names = std::collections::BTreeSet::new();
    let setters = s.fields.iter().filter(|f| with_setters && !f.required).map(|f| {
        let fname = ident(&f.name);
        let base = format!("with_{}", f.name.trim_start_matches('_').trim_end_matches('_'));
        let setter = ident(&crate::lower::unique_in(&mut setter_names, &base));
        let inner = ty(&f.ty, Scope::Types);
        let doc = format!(" Sets `{}`.", f.wire.replace('`', "'"));
        let value = match f.presence() {
            Presence::OptionalNullable => quote!(crate::runtime::Nullable::Value(value.into())),
            _ => quote!(::std::option::Option::Some(value.into())),
        };
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                self.#fname = #value;
                self
            }
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    let methods = if constructor.is_empty() && setters.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            impl #name {
                #constructor
                #(#setters)*
            }
        }
    };
    quote! {
        #doc
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #methods
    }
}

fn emit_enum(name: &Ident, doc: TokenStream, e: &StringEnum) -> TokenStream {
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|(v, wire)| {
        let v = ident(v);
        let d = format!(" `{}`", wire.replace('`', "'"));
        quote! {
            #[doc = #d]
            #v,
        }
    });
    let as_str = e.variants.iter().map(|(v, wire)| {
        let v = ident(v);
        quote!(Self::#v => #wire,)
    });
    let from_str = e.variants.iter().map(|(v, wire)| {
        let v = ident(v);
        quote!(#wire => Self::#v,)
    });
    // serde's derive would need `#[serde(untagged)]` for the fallback, which expands to
    // content-buffering code per enum; the wire form is just `as_str`/`from_str`, written out.
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know, kept as received.
            #fallback(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#fallback(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(match value {
                    #(#from_str)*
                    other => Self::#fallback(other.to_owned()),
                })
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                let ::std::result::Result::Ok(parsed) = value.parse::<Self>();
                ::std::result::Result::Ok(parsed)
            }
        }
    }
}

fn json_literal(v: &serde_json::Value) -> TokenStream {
    match v {
        serde_json::Value::Bool(b) => quote!(#b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let l = Literal::i64_unsuffixed(i);
                quote!(#l)
            } else if let Some(u) = n.as_u64() {
                let l = Literal::u64_unsuffixed(u);
                quote!(#l)
            } else {
                let l = Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0));
                quote!(#l)
            }
        }
        _ => quote!(()),
    }
}

fn emit_constants(name: &Ident, doc: TokenStream, c: &Constants) -> TokenStream {
    let base = ty(&c.base, Scope::Types);
    let copy = matches!(c.base, Ty::Int(_) | Ty::Bool | Ty::Float);
    let eq = matches!(c.base, Ty::Int(_) | Ty::Bool);
    let mut derives = vec![quote!(::std::fmt::Debug), quote!(::std::clone::Clone)];
    if copy {
        derives.push(quote!(::std::marker::Copy));
    }
    derives.push(quote!(::std::cmp::PartialEq));
    if eq {
        derives.push(quote!(::std::cmp::Eq));
        derives.push(quote!(::std::hash::Hash));
    }
    derives.push(quote!(::serde::Serialize));
    derives.push(quote!(::serde::Deserialize));
    let consts: Vec<TokenStream> = if matches!(c.base, Ty::Json) {
        Vec::new()
    } else {
        c.values
            .iter()
            .filter_map(|(cname, v)| {
                // An integer constant must fit the base type; values that don't are listed in docs only.
                if let (Ty::Int(t), Some(i)) = (&c.base, v.as_i64()) {
                    let fits = match *t {
                        "i8" => i8::try_from(i).is_ok(),
                        "i16" => i16::try_from(i).is_ok(),
                        "i32" => i32::try_from(i).is_ok(),
                        "u8" => u8::try_from(i).is_ok(),
                        "u16" => u16::try_from(i).is_ok(),
                        "u32" => u32::try_from(i).is_ok(),
                        "u64" => i >= 0,
                        _ => true,
                    };
                    if !fits {
                        return None;
                    }
                }
                let cname = ident(cname);
                let lit = json_literal(v);
                let d = format!(" `{v}`");
                Some(quote! {
                    #[doc = #d]
                    pub const #cname: Self = Self(#lit);
                })
            })
            .collect()
    };
    let impls = if consts.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            impl #name {
                #(#consts)*
            }
        }
    };
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #[serde(transparent)]
        pub struct #name(pub #base);

        #impls
    }
}

fn emit_union(name: &Ident, doc: TokenStream, u: &Union) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let t = ty(&v.ty, Scope::Types);
        quote!(#vname(#t),)
    });
    let Some(property) = &u.discriminator else {
        return quote! {
            #doc
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
            pub enum #name {
                #(#variants)*
            }
        };
    };
    let fallback = ident(&u.fallback);
    let fallback_doc =
        format!(" A value whose `{property}` this version of the client does not know, kept as received.");
    let ser_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        quote!(Self::#vname(value) => ::serde::Serialize::serialize(value, serializer),)
    });
    let de_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let tags = &v.tags;
        quote!(::std::option::Option::Some(#(#tags)|*) => ::serde_json::from_value(value).map(Self::#vname).map_err(::serde::de::Error::custom),)
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        pub enum #name {
            #(#variants)*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str);
                match tag {
                    #(#de_arms)*
                    _ => ::std::result::Result::Ok(Self::#fallback(value)),
                }
            }
        }
    }
}

/// A resource struct name: `devboxes` → `Devboxes`, `["devboxes", "executions"]` → `DevboxesExecutions`.
fn resource_type(path: &[String]) -> Ident {
    let joined = path.join(" ");
    ident(&crate::lower::camel_ident(&joined, "Resource", "Resource"))
}

fn resources(ir: &Ir) -> TokenStream {
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
    let mut doc_text = op.doc.as_deref().map(|d| sanitize_doc(d).join("\n")).unwrap_or_default();
    let path_text: String = op
        .path
        .iter()
        .map(|p| match p {
            PathPart::Literal(l) => l.clone(),
            PathPart::Param(n) => format!("{{{n}}}"),
        })
        .collect();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.http_method,
        path_text.replace('`', "'"),
        op.id.replace('`', "'")
    ));
    let idempotent = matches!(op.http_method.as_str(), "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE");
    if !idempotent {
        doc_text.push_str(
            "\n\nNot idempotent: resent automatically only when the server provably did not process it \
             (see [`RequestBuilder`](crate::RequestBuilder)).",
        );
    }
    if !op.errors.is_empty() {
        doc_text.push_str("\n\nDocumented error statuses (returned as [`Error::Api`](crate::Error::Api)):");
        for (status, description, t) in &op.errors {
            let mut line = format!("\n- `{status}`");
            if !description.is_empty() {
                line.push_str(&format!(": {}", escape_prose(description.lines().next().unwrap_or("").trim())));
            }
            if let Some(Ty::Named(n)) = t {
                line.push_str(&format!(" (body: [`{n}`](crate::types::{n}))"));
            }
            doc_text.push_str(&line);
        }
    }
    let d = doc_lines(&text_lines(&doc_text), false);
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { TokenStream::new() };

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
        let t = match &body.ty {
            Ty::String => quote!(&str),
            Ty::Vec(inner) if **inner == Ty::Int("u8") => quote!(&[u8]),
            other => {
                let t = ty(other, Scope::Elsewhere);
                quote!(&#t)
            }
        };
        args.push(quote!(body: #t));
    }
    if let Some(pt) = &op.params_type {
        let pt = ident(pt);
        args.push(quote!(params: &crate::types::#pt));
    }

    let segments = op.path.iter().map(|p| match p {
        PathPart::Literal(l) => quote!(.literal(#l)),
        PathPart::Param(n) => {
            let n = ident(n);
            quote!(.param(&#n))
        }
    });
    let http_method = ident(&op.http_method);
    let success_ty = op.success.ty.as_ref().map(|t| ty(t, Scope::Elsewhere)).unwrap_or_else(|| quote!(()));
    let decode = match op.success.encoding {
        None => quote!(crate::runtime::decode_empty),
        Some(Encoding::Json) => quote!(crate::runtime::decode_json),
        Some(Encoding::Text) => quote!(crate::runtime::decode_text),
        Some(Encoding::Bytes) | Some(Encoding::Form) => quote!(crate::runtime::decode_bytes),
    };
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        match b.encoding {
            Encoding::Json => quote!(.json_body(#media, body)),
            Encoding::Form => quote!(.form_body(#media, body)),
            Encoding::Text => quote!(.bytes_body(#media, body.as_bytes().to_vec())),
            Encoding::Bytes => quote!(.bytes_body(#media, body.to_vec())),
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
            crate::RequestBuilder::new(self.client, ::reqwest::Method::#http_method, #op_id, path, #decode)
                .authenticated(#authenticated)
                #body
                #(#constant_query)*
                #(#params)*
        }
    }
}
