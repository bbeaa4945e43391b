//! The crate docs' section on streams, downloads and uploads: one short example per capability
//! the spec uses, naming a real method of each kind.

use proc_macro2::TokenStream;

use super::docs::doc_lines;
use crate::ir::*;

/// `//!` lines for the capabilities the spec's operations use; empty when it uses none. A type
/// that some feature combination leaves out is named without a link (rustdoc would find it
/// broken then).
pub(super) fn docs(ir: &Ir, crate_name: &str, features: Option<&super::ResourceFeatures>) -> TokenStream {
    let call = |op: &Operation| format!("client.{}().{}(/* … */)", op.resource.join("()."), op.method_name);
    let first = |f: &dyn Fn(&Operation) -> bool| ir.operations.iter().find(|op| f(op));
    let mut text = String::new();
    if let Some(op) = first(&|op| matches!(op.success, Success::EventStream(_))) {
        text.push_str(&format!(
            "\n\n## Server-sent events\n\n`{id}` returns an [`EventStream`]: each event is decoded as it arrives, with its name, id and retry hint beside the data. A `[DONE]` event ends the stream; dropping it closes the connection.\n\n```ignore\nlet mut events = {call}.await?;\nwhile let Some(event) = events.next().await {{\n    let event = event?;\n    println!(\"{{}}: {{:?}}\", event.event, event.data);\n}}\n```",
            id = op.id.replace('`', "'"),
            call = call(op),
        ));
    }
    if let Some(op) = first(&|op| matches!(op.success, Success::JsonLines(_))) {
        text.push_str(&format!(
            "\n\n## JSON Lines\n\n`{id}` returns a [`JsonLines`] stream, one decoded value per line.\n\n```ignore\nlet mut lines = {call}.await?;\nwhile let Some(item) = lines.next().await {{\n    println!(\"{{:?}}\", item?);\n}}\n```",
            id = op.id.replace('`', "'"),
            call = call(op),
        ));
    }
    if let Some(op) = first(&|op| matches!(op.success, Success::Binary)) {
        text.push_str(&format!(
            "\n\n## Downloads\n\n`{id}` returns a [`Download`], read only when asked: `.bytes()`, `.bytes_stream()`, or `.save(path)`, which writes beside `path` and renames, so a failed download leaves nothing at `path`.\n\n```ignore\nlet download = {call}.await?;\nprintln!(\"{{:?}}, {{:?}} bytes\", download.content_type(), download.content_length());\ndownload.save(\"out.bin\").await?;\n```",
            id = op.id.replace('`', "'"),
            call = call(op),
        ));
    }
    let upload =
        |op: &&Operation| op.body.as_ref().is_some_and(|b| matches!(b.kind, BodyKind::Multipart(_) | BodyKind::File));
    if let Some(op) = ir.operations.iter().find(upload) {
        text.push_str(&format!(
            "\n\n## Uploads\n\nFiles are [`FilePart`]s: from bytes, from a path (streamed from disk, reopened for a retry) or from an async reader (sent once, never retried), with an optional file name and content type. `{id}` takes one{how}.\n\n```ignore\nlet file = {crate_name}::FilePart::path(\"report.pdf\").content_type(\"application/pdf\");\nlet response = {call}.await?;\n```",
            id = op.id.replace('`', "'"),
            how = match op.body.as_ref().map(|b| &b.kind) {
                Some(BodyKind::Multipart(id)) if features.is_none_or(|f| f.always(*id)) => {
                    format!(" in its multipart body, [`types::{}`]", ir.types.name(*id))
                }
                Some(BodyKind::Multipart(id)) => format!(" in its multipart body, `types::{}`", ir.types.name(*id)),
                _ => " as its whole body".to_owned(),
            },
            call = call(op),
        ));
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
