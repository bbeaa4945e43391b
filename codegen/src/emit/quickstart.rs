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
    let (BodyKind::Json(Ty::Named(name)) | BodyKind::Form(Ty::Named(name))) = &body.kind else { return None };
    let def = ir.types.iter().find(|t| &t.name == name)?;
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
        return quote! {
            #![doc = #doc]

            #[tokio::main]
            async fn main() -> ::std::result::Result<(), #krate::Error> {
                let client = #krate::Client::from_env()?;
                println!("{client:#?}");
                Ok(())
            }
        };
    };
    let doc = format!(" Quick start: reads `{env}` from the environment and makes one call.");
    // The example's own variables; the arguments' variables are named after the parameters and
    // fields they fill, made distinct from these and from each other.
    let mut used: BTreeSet<String> =
        ["args", "body", "client", "main", "response"].iter().map(|s| (*s).to_owned()).collect();
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
    quote! {
        #![doc = #doc]

        #[tokio::main]
        async fn main() -> ::std::result::Result<(), #krate::Error> {
            #read_args
            let client = #krate::Client::from_env()?;
            #call
            Ok(())
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
