//! The quick start: one call the generated crate can show with made-up arguments, chosen once
//! and rendered twice, as the crate docs' example and as `examples/quickstart.rs`; and the crate
//! docs around it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc_lines, sanitize_doc, text_lines};
use super::{EmitOptions, ident};
use crate::ir::*;

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
    let (BodyKind::Json(Ty::Named(name)) | BodyKind::Form(Ty::Named(name))) = &body.kind else { return None };
    let def = ir.types.iter().find(|t| &t.name == name)?;
    let TypeKind::Struct(s) = &def.kind else { return None };
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    required.iter().all(|f| f.ty == Ty::String && !f.nullable).then_some((def.name.as_str(), required))
}

/// `//!` docs of `lib.rs`: what the crate is, the quick start, configuration and retries.
pub(super) fn crate_docs(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
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
    let env = options.env_prefix;
    let krate = options.crate_name;
    let mut guide = format!(
        "# Quick start\n\n```no_run\n# async fn run() -> Result<(), {krate}::Error> {{\nuse {krate}::types;\n\nlet client = {krate}::Client::from_env()?; // reads {env}_API_KEY, {env}_BASE_URL\n"
    );
    if let Some(call) = QuickStart::of(ir).map(|q| doc_call(&q)) {
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

/// The quick-start example program, for `examples/quickstart.rs`: builds the client from the
/// environment and makes the quick start's call with arguments from the command line.
pub(crate) fn example(ir: &Ir, options: &EmitOptions<'_>) -> TokenStream {
    let krate = ident(options.crate_name);
    let env = format!("{}_API_KEY", options.env_prefix);
    let (doc, call) = match QuickStart::of(ir) {
        Some(q) => {
            (format!(" Quick start: reads `{env}` from the environment and makes one call."), example_call(&q, options))
        }
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

/// The example's statements: read the arguments, build the body, call, print.
fn example_call(q: &QuickStart<'_>, options: &EmitOptions<'_>) -> TokenStream {
    let krate = ident(options.crate_name);
    let resources = q.op.resource.iter().map(|r| ident(r));
    let method = ident(&q.op.method_name);
    let names = q.argument_names();
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
    for (i, p) in q.path_params.iter().enumerate() {
        let var = ident(&p.name);
        let value = arg(i);
        lets.push(quote!(let #var = #value;));
        call_args.push(quote!(&#var));
    }
    if let Some((name, required)) = &q.body {
        let name_i = ident(name);
        if required.is_empty() {
            lets.push(quote!(let body = #krate::types::#name_i::default();));
        } else {
            let values = (0..required.len()).map(|i| arg(q.path_params.len() + i));
            lets.push(quote!(let body = #krate::types::#name_i::new(#(#values),*);));
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
