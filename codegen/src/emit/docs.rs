//! Spec prose → rustdoc: Markdown made safe for rustdoc and clippy (no broken intra-doc links, no
//! HTML, no doctests from indented text, list continuations indented), links to URLs kept, and
//! links relative to the API's own web site (`[guide](/docs/guide)`) made plain text, since no
//! base URL they could be resolved against is known where the docs are read (docs.rs, a local
//! `cargo doc`).

use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes from spec text, made safe for rustdoc: code fences become `text` blocks, and
/// brackets, angle brackets and bare URLs outside code spans are escaped, so spec prose cannot
/// produce broken links, HTML or doctests.
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    doc_lines(&sanitize_doc(text), false)
}

/// Doc attributes, one per line, from text that is already rustdoc-safe (written by the generator,
/// or sanitised). `inner` gives `//!` lines.
pub(super) fn doc_lines(lines: &[String], inner: bool) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        if inner { quote!(#![doc = #line]) } else { quote!(#[doc = #line]) }
    });
    quote!(#(#attrs)*)
}

pub(super) fn text_lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

pub(super) fn sanitize_doc(text: &str) -> Vec<String> {
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

/// The text and destination of a Markdown link `[text](dest)` whose destination is a path or a
/// fragment (`/docs/x`, `#section`): rustdoc would resolve it against the docs' own host.
fn relative_link(link: &str) -> Option<(&str, &str)> {
    let (text, dest) = link.strip_prefix('[')?.strip_suffix(')')?.split_once("](")?;
    (dest.starts_with('/') || dest.starts_with('#')).then_some((text, dest))
}

pub(super) fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        let rest = &line[i..];
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            if let Some(len) = link_len(rest) {
                match relative_link(&rest[..len]) {
                    // Relative to a site the docs are not on: its text, and the path as code.
                    Some((text, dest)) => {
                        out.push_str(&escape_prose(text));
                        if dest.starts_with('/') {
                            out.push_str(&format!(" (`{dest}`)"));
                        }
                    }
                    // A link to a URL: rustdoc renders it as meant; keep it.
                    None => out.push_str(&rest[..len]),
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sanitized(text: &str) -> String {
        sanitize_doc(text).join("\n")
    }

    #[test]
    fn brackets_and_html_are_escaped() {
        assert_eq!(sanitized("a [b] <c> d"), "a \\[b\\] \\<c\\> d");
        assert_eq!(sanitized("`Vec<T>` [x]"), "`Vec<T>` \\[x\\]");
    }

    #[test]
    fn links_to_urls_are_kept_and_bare_urls_wrapped() {
        assert_eq!(sanitized("see [docs](https://x.dev/a) now"), "see [docs](https://x.dev/a) now");
        assert_eq!(sanitized("see <https://x.dev>"), "see <https://x.dev>");
        assert_eq!(sanitized("see https://x.dev/a."), "see <https://x.dev/a>.");
        assert_eq!(sanitized("[ref](SomeType)"), "\\[ref\\](SomeType)");
    }

    #[test]
    fn relative_links_become_text() {
        assert_eq!(sanitized("see [the guide](/docs/guide) now"), "see the guide (`/docs/guide`) now");
        assert_eq!(sanitized("see [below](#limits)."), "see below.");
        assert_eq!(sanitized("[a <b>](/x)"), "a \\<b\\> (`/x`)");
        assert_eq!(sanitized("[abs](https://x.dev/docs)"), "[abs](https://x.dev/docs)");
    }

    #[test]
    fn code_fences_become_text_and_indentation_is_not_code() {
        assert_eq!(sanitized("```json\n{}\n```"), "```text\n{}\n```");
        assert_eq!(sanitized("```\nunclosed"), "```text\nunclosed\n```");
        assert_eq!(sanitized("para\n\n        indented"), "para\n\nindented");
    }

    #[test]
    fn list_continuations_are_indented_to_the_item() {
        assert_eq!(sanitized("- item\ncontinued\n\nafter"), "- item\n  continued\n\nafter");
        assert_eq!(sanitized("10. item\nmore"), "10. item\n    more");
        assert_eq!(sanitized("*   wide\nmore"), "*   wide\n    more");
        assert_eq!(list_marker_width("-no space"), None);
        assert_eq!(list_marker_width("1) x"), Some(3));
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(sanitized("a\tb"), "a    b");
    }

    #[test]
    fn doc_attributes_one_per_line() {
        let tokens = doc(Some("one\n\ntwo")).to_string();
        assert_eq!(tokens, quote!(#[doc = " one"] #[doc = ""] #[doc = " two"]).to_string());
        assert!(doc(None).is_empty());
    }
}
