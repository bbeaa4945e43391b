//! The docs of the generated methods and resource accessors: the method's description (path,
//! paging, timeouts, retries, documented errors) and the example that opens each.
//!
//! Must not: decide anything about an operation (lowering and the facts did); only describe it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{escape_prose, sanitize_doc};
use super::{Scope, ty};
use crate::facts::OperationFacts;
use crate::ir::*;

/// A `no_run` example of an accessor: `let executions = client.devboxes().executions();`.
pub(super) fn accessor_example(crate_name: &str, path: &[String]) -> TokenStream {
    let chain = path.iter().map(|p| format!("{p}()")).collect::<Vec<_>>().join(".");
    let var = path.last().map(String::as_str).unwrap_or("resource");
    let var = if crate::naming::snake_ident(var, "resource") == var && !var.ends_with('_') { var } else { "resource" };
    example_lines(&[
        format!("# fn example(client: {crate_name}::Client) {{"),
        format!("let {var} = client.{chain};"),
        "# }".to_owned(),
    ])
}

/// A `no_run` example of an operation's method, compiled as a doctest: literals for string,
/// number and boolean arguments; other arguments are the example function's parameters, so no
/// value has to be made up.
pub(super) fn method_example(op: &Operation, crate_name: &str, types: &Types) -> TokenStream {
    let ExampleCall { inputs, call } = ExampleCall::of(op, crate_name, types);
    let body = match (&op.pagination, &op.success) {
        (Some(_), _) => format!("let page = {call}.await?;"),
        (None, Success::Empty) => format!("{call}.await?;"),
        (None, Success::EventStream(_) | Success::JsonLines(_) | Success::Parts(_)) => {
            format!("let stream = {call}.await?;")
        }
        (None, Success::Binary) => format!("let download = {call}.await?;"),
        (None, _) => format!("let response = {call}.await?;"),
    };
    let mut lines = vec![example_fn(crate_name, &inputs)];
    lines.push(body);
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    example_lines(&lines)
}

/// The hidden first line of a doctest that is an example function's body: `# async fn
/// example(INPUTS) -> Result<(), CRATE::Error> {`, closed by `# Ok(())` and `# }`.
pub(super) fn example_fn(crate_name: &str, inputs: &[String]) -> String {
    format!("# async fn example({}) -> ::std::result::Result<(), {crate_name}::Error> {{", inputs.join(", "))
}

/// An operation's call in an example: `client.devboxes().retrieve("id_123")`, and the example
/// function's parameters it needs (`client` first).
pub(super) struct ExampleCall {
    /// The example function's parameters: `client: CRATE::Client`, then the arguments that are
    /// not literals.
    pub(super) inputs: Vec<String>,
    /// The call, without `.await`.
    pub(super) call: String,
}

impl ExampleCall {
    /// Literals for string, number and boolean arguments; other arguments (and the body) are the
    /// example function's parameters, so no value has to be made up.
    pub(super) fn of(op: &Operation, crate_name: &str, types: &Types) -> Self {
        let mut inputs = vec![format!("client: {crate_name}::Client")];
        let args = Self::arguments(op, crate_name, types, &mut inputs);
        let call = format!("client.{}().{}({})", op.resource.join("()."), op.method_name, args.join(", "));
        ExampleCall { inputs, call }
    }

    /// The call's arguments, pushing a parameter to `inputs` for each that is not a literal.
    fn arguments(op: &Operation, crate_name: &str, types: &Types, inputs: &mut Vec<String>) -> Vec<String> {
        let mut args = Vec::new();
        for p in op.positional_params() {
            match &p.ty {
                Ty::String => args.push(format!("{:?}", format!("{}_123", p.wire))),
                Ty::Int(_) => args.push("1".to_owned()),
                Ty::Float => args.push("1.0".to_owned()),
                Ty::Bool => args.push("true".to_owned()),
                // Taken by value, as `resources::arguments` declares them.
                Ty::DateTime | Ty::Date | Ty::Uuid => {
                    inputs.push(format!("{}: {}", p.name, example_ty(&p.ty, crate_name, types)));
                    args.push(p.name.clone());
                }
                other => {
                    inputs.push(format!("{}: {}", p.name, example_ty(other, crate_name, types)));
                    args.push(format!("&{}", p.name));
                }
            }
        }
        if let Some(body) = &op.body {
            let t = match &body.kind {
                BodyKind::File => format!("{crate_name}::FilePart"),
                BodyKind::JsonLines(t) | BodyKind::PartItems(PartItem::Json(t), _) => {
                    format!("Vec<{}>", example_ty(t, crate_name, types))
                }
                BodyKind::PartItems(PartItem::Text, _) => "Vec<String>".to_owned(),
                BodyKind::PartItems(PartItem::Bytes, _) => format!("Vec<{crate_name}::FilePart>"),
                BodyKind::Text => "&str".to_owned(),
                BodyKind::Multipart(id) => format!("{crate_name}::types::{}", types.name(*id)),
                BodyKind::Json(t) | BodyKind::Form(t) => match t {
                    Ty::String => "&str".to_owned(),
                    Ty::Bytes => "&[u8]".to_owned(),
                    Ty::Vec(inner) if **inner == Ty::Int(IntKind::U8) => "&[u8]".to_owned(),
                    other => example_ty(other, crate_name, types),
                },
            };
            let by_ref = !t.starts_with('&')
                && !matches!(body.kind, BodyKind::File | BodyKind::JsonLines(_) | BodyKind::PartItems(..));
            inputs.push(format!("body: {t}"));
            args.push(if by_ref { "&body".to_owned() } else { "body".to_owned() });
        }
        args
    }
}

/// A type as an example function's parameter names it, from outside the crate.
fn example_ty(t: &Ty, crate_name: &str, types: &Types) -> String {
    let tokens = ty(t, Scope::Elsewhere, types).to_string().replace(' ', "");
    tokens.replace("crate::", &format!("{crate_name}::"))
}

/// `# Example` and a `no_run` code block of `lines`, as `#[doc]` attributes.
fn example_lines(lines: &[String]) -> TokenStream {
    let mut all = vec![String::new(), "# Example".to_owned(), String::new(), "```no_run".to_owned()];
    all.extend(lines.iter().cloned());
    all.push("```".to_owned());
    let docs = all.into_iter().map(|l| {
        let l = format!(" {l}");
        quote!(#[doc = #l])
    });
    quote!(#(#docs)*)
}

/// A method's rustdoc: the spec's summary and description, the HTTP call, whether it is retried,
/// and the documented error statuses.
pub(super) fn operation_doc((op, of): (&Operation, OperationFacts), path_text: &str, types: &Types) -> String {
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
            "\n\nPaged: `.await` gives the first page; [`pages`]({r}::pages) and [`items`]({r}::items) walk every \
             page, asking for the next with {how}.",
            r = op.request_type
        ));
    }
    if let Success::EventStream(_) = &op.success {
        doc_text.push_str(&resume_doc(op, of));
    }
    if let Some(secs) = of.long_poll {
        doc_text.push_str(&format!(
            "\n\nA long poll: the server may hold the request for up to {secs} s, so each attempt's timeout \
             is at least {secs} s plus a 30 s margin (a per-call `timeout` overrides it)."
        ));
    }
    if let Some(secs) = of.min_timeout {
        doc_text.push_str(&format!(
            "\n\nMay take up to {secs} s: each attempt's timeout is at least that (a per-call `timeout` \
             overrides it)."
        ));
    }
    if !of.idempotent() {
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
            if let Some(Ty::Named(id)) = &e.ty {
                let n = types.name(*id);
                line.push_str(&format!(" (body: [`{n}`](crate::types::{n}))"));
            }
            doc_text.push_str(&line);
        }
    }
    doc_text
}

/// How an event stream resumes after its connection drops, as its method's docs say it.
fn resume_doc(op: &Operation, of: OperationFacts) -> String {
    if !of.idempotent() {
        return "\n\nNot resumed when its connection drops: the operation is not idempotent (unless the call \
                opts in with `retry_non_idempotent`)."
            .to_owned();
    }
    let how = match &op.resume {
        Some(ResumeParam { param, from }) => format!("with `{param}` = the last event's `{from}`"),
        None => "with `Last-Event-ID`, when the server sends event ids".to_owned(),
    };
    format!(
        "\n\nResumed when its connection drops, {how}: no event is delivered twice (see \
         [`RequestBuilder::max_reconnects`](crate::RequestBuilder::max_reconnects))."
    )
}
