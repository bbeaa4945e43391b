//! The crate docs' section on streams, downloads and uploads: one short example per capability
//! the spec uses, naming a real method of each kind, compiled as a `no_run` doctest (arguments
//! that are not literals are the example function's parameters, as in the methods' examples).

use proc_macro2::TokenStream;

use super::docs::doc_lines;
use super::operation_docs::{ExampleCall, example_fn};
use crate::ir::*;

/// `//!` lines for the capabilities the spec's operations use; empty when it uses none. A type
/// that some feature combination leaves out is named without a link (rustdoc would find it
/// broken then).
pub(super) fn docs(ir: &Ir, crate_name: &str, features: Option<&super::ResourceFeatures>) -> TokenStream {
    let first = |f: &dyn Fn(&Operation) -> bool| ir.operations.iter().find(|op| f(op));
    let id = |op: &Operation| op.id.replace('`', "'");
    let mut text = String::new();
    if let Some(op) = first(&|op| matches!(op.success, Success::EventStream(_))) {
        text.push_str(&format!(
            "\n\n## Server-sent events\n\n`{}` returns an [`EventStream`]: each event is decoded as it arrives, with its name, id and retry hint beside the data. A `[DONE]` event ends the stream; dropping it closes the connection.\n\n{}",
            id(op),
            example(op, crate_name, &ir.types, &[], "let mut events = ", &[
                "while let Some(event) = events.next().await {",
                "    let event = event?;",
                "    println!(\"{}: {:?}\", event.event, event.data);",
                "}",
            ]),
        ));
    }
    if let Some(op) = first(&|op| matches!(op.success, Success::JsonLines(_))) {
        text.push_str(&format!(
            "\n\n## JSON Lines\n\n`{}` returns a [`JsonLines`] stream, one decoded value per line.\n\n{}",
            id(op),
            example(
                op,
                crate_name,
                &ir.types,
                &[],
                "let mut lines = ",
                &["while let Some(item) = lines.next().await {", "    println!(\"{:?}\", item?);", "}",]
            ),
        ));
    }
    if let Some(op) = first(&|op| matches!(op.success, Success::Binary)) {
        text.push_str(&format!(
            "\n\n## Downloads\n\n`{}` returns a [`Download`], read only when asked: `.bytes()`, `.bytes_stream()`, or `.save(path)`, which writes beside `path` and renames, so a failed download leaves nothing at `path`.\n\n{}",
            id(op),
            example(op, crate_name, &ir.types, &[], "let download = ", &[
                "println!(\"{:?}, {:?} bytes\", download.content_type(), download.content_length());",
                "download.save(\"out.bin\").await?;",
            ]),
        ));
    }
    if let Some((op, part)) = ir.operations.iter().find_map(|op| file_upload(op, &ir.types).map(|part| (op, part))) {
        text.push_str(&upload(op, part, ir, crate_name, features));
    }
    if text.is_empty() {
        return TokenStream::new();
    }
    let streams = ir.operations.iter().any(|op| matches!(op.success, Success::EventStream(_) | Success::JsonLines(_)));
    let limits = if streams {
        " A stream holds one line, and one event's data, at a time: a longer one than its limit (8 MiB each by \
         default; [`ClientBuilder::max_line_bytes`], [`ClientBuilder::max_event_bytes`], or per call) ends the \
         stream with [`Error::LimitExceeded`] without reading the rest, and a body cut short inside an event or a \
         line ends it with [`Error::Truncated`] rather than as if it were complete."
    } else {
        ""
    };
    let text = format!(
        "# Streams, downloads and uploads{text}\n\nStreams and downloads are subject to the connect timeout and the per-attempt timeout until the response headers arrive (retries happen only then); after that, an idle timeout between chunks applies instead (default 60 s; see [`RequestBuilder::idle_timeout`]).{limits}"
    );
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    doc_lines(&lines, true)
}

/// Where an operation takes a file: its whole body, or a file part of its multipart body.
enum FileIn<'a> {
    Body,
    Part(&'a PartField),
}

/// How `op` takes a file, if it does.
fn file_upload<'a>(op: &Operation, types: &'a Types) -> Option<FileIn<'a>> {
    match &op.body.as_ref()?.kind {
        BodyKind::File => Some(FileIn::Body),
        BodyKind::Multipart(id) => match &types.get(*id).kind {
            TypeKind::Multipart(m) => {
                m.fields.iter().find(|f| matches!(f.kind, PartKind::File | PartKind::Files)).map(FileIn::Part)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The uploads section: a `FilePart` from a path, sent as the body or set on the multipart
/// body's file part.
fn upload(
    op: &Operation,
    part: FileIn<'_>,
    ir: &Ir,
    crate_name: &str,
    features: Option<&super::ResourceFeatures>,
) -> String {
    let file = format!("{crate_name}::FilePart::path(\"report.pdf\").content_type(\"application/pdf\")");
    let (how, before) = match (&part, op.body.as_ref().map(|b| &b.kind)) {
        (FileIn::Part(field), Some(BodyKind::Multipart(id))) => {
            let name = ir.types.name(*id);
            let how = if features.is_none_or(|f| f.always(*id)) {
                format!(" in its multipart body, [`types::{name}`]")
            } else {
                format!(" in its multipart body, `types::{name}`")
            };
            let value = match (&field.kind, field.required) {
                (PartKind::Files, _) => "vec![file]",
                (_, true) => "file",
                (_, false) => "Some(file)",
            };
            (how, vec![format!("let file = {file};"), format!("body.{} = {value};", field.name)])
        }
        _ => (" as its whole body".to_owned(), vec![format!("let body = {file};")]),
    };
    let before: Vec<&str> = before.iter().map(String::as_str).collect();
    format!(
        "\n\n## Uploads\n\nFiles are [`FilePart`]s: from bytes, from a path (streamed from disk, reopened for a retry) or from an async reader (sent once, never retried), with an optional file name and content type. `{}` takes one{how}.\n\n{}",
        op.id.replace('`', "'"),
        example(op, crate_name, &ir.types, &before, "let response = ", &[]),
    )
}

/// A `no_run` block: the call of `op` after the lines `before`, its result bound by `bind`, then
/// the lines `after`. The body, when the example builds it (`before` binds `body`), is not a
/// parameter; a multipart body is, and `mut`.
fn example(op: &Operation, crate_name: &str, types: &Types, before: &[&str], bind: &str, after: &[&str]) -> String {
    let ExampleCall { mut inputs, call } = ExampleCall::of(op, crate_name, types);
    if before.iter().any(|l| l.starts_with("let body = ")) {
        inputs.retain(|i| !i.starts_with("body: "));
    } else if before.iter().any(|l| l.starts_with("body.")) {
        for input in &mut inputs {
            if input.starts_with("body: ") {
                input.insert_str(0, "mut ");
            }
        }
    }
    let mut lines = vec!["```no_run".to_owned(), example_fn(crate_name, &inputs)];
    lines.extend(before.iter().map(|l| (*l).to_owned()));
    lines.push(format!("{bind}{call}.await?;"));
    lines.extend(after.iter().map(|l| (*l).to_owned()));
    lines.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
    lines.join("\n")
}
