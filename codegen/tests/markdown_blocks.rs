//! Every Rust code block of the repository's hand-written Markdown (`README.md`,
//! `ARCHITECTURE.md`, ...) compiles against the crates it describes: the generated Runloop client
//! (`runloop`), the generator (`codegen`) and its command line's library (`openapi_client_gen`).
//!
//! A block is Rust as rustdoc would take it: a fence with no language or with `rust`. Blocks of
//! other languages (`sh`, `toml`, `text`) are not compiled, nor Rust blocks marked `ignore` (say
//! why beside it). Each Rust block is compiled in one of two ways:
//!
//! - a block with a `fn main` is a whole program: it is compiled as it is, in a module of its own;
//! - any other block is statements, compiled as the body of an `async fn` returning
//!   `Result<(), runloop::Error>`, with `client: runloop::Client` and `use runloop::types::*;` in
//!   scope. README.md says so before its first example; anything else a block uses it imports.
//!
//! All blocks are one program (one compilation), written to the target directory with a comment
//! naming the file and line of each block, and compiled and run by trybuild (running it runs
//! nothing of the blocks: they are functions never called).

use std::path::{Path, PathBuf};

/// A fenced code block: where it is and what it holds.
struct Block {
    /// The Markdown file, relative to the repository.
    file: String,
    /// The line of the opening fence (1-based).
    line: usize,
    /// The fence's info string (`rust`, `sh`, `rust,no_run`, empty).
    info: String,
    /// The lines between the fences, without the fence's indentation.
    code: String,
}

impl Block {
    /// Whether rustdoc would take this for Rust: no language or `rust`, with attributes.
    fn is_rust(&self) -> bool {
        let mut tokens = self.info.split([',', ' ']).filter(|t| !t.is_empty());
        tokens.next().is_none_or(|lang| lang == "rust" || RUST_ATTRIBUTES.contains(&lang))
    }

    /// Whether the block is marked as not to be compiled.
    fn is_ignored(&self) -> bool {
        self.info.split([',', ' ']).any(|t| t == "ignore")
    }
}

/// The attributes rustdoc reads as Rust blocks even without `rust`.
const RUST_ATTRIBUTES: &[&str] = &["ignore", "no_run", "should_panic", "compile_fail", "edition2021", "edition2024"];

/// The fenced code blocks of Markdown `text`.
fn blocks(file: &str, text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(Block, usize, &str)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None => {
                for fence in ["```", "~~~"] {
                    if let Some(info) = trimmed.strip_prefix(fence) {
                        let info = info.trim_start_matches(&fence[..1]).trim().to_owned();
                        let block = Block { file: file.to_owned(), line: index + 1, info, code: String::new() };
                        open = Some((block, indent, fence));
                    }
                }
            }
            Some((block, fence_indent, fence)) => {
                if trimmed.starts_with(*fence) && trimmed.trim_start_matches(&fence[..1]).trim().is_empty() {
                    out.push(open.take().unwrap().0);
                } else {
                    // The fence's indentation (a block in a list item) is not the code's.
                    let strip = indent.min(*fence_indent);
                    block.code.push_str(&line[strip..]);
                    block.code.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "{file}: a code block is never closed");
    out
}

/// The hand-written Markdown files of the repository, sorted: not in hidden directories, build
/// output or `node_modules`, nor the generated crate (its README is compiled by its own doctests).
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && !["target", "node_modules", "generated-client"].contains(&name.as_str()) {
                    dirs.push(path);
                }
            } else if name.ends_with(".md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The program compiling `blocks`, one item per block.
fn program(blocks: &[&Block]) -> String {
    let mut out = String::from(
        "// Written by codegen/tests/markdown_blocks.rs: the Rust blocks of the repository's Markdown.\n\
         #![allow(unused, clippy::all)]\n\n\
         fn main() {}\n",
    );
    for (index, block) in blocks.iter().enumerate() {
        out.push_str(&format!("\n// {}:{}\n", block.file, block.line));
        if block.code.contains("fn main(") {
            out.push_str(&format!("mod block_{index} {{\n{}}}\n", block.code));
        } else {
            out.push_str(&format!(
                "async fn block_{index}(client: runloop::Client) -> ::std::result::Result<(), runloop::Error> {{\n\
                 use runloop::types::*;\n{}Ok(())\n}}\n",
                block.code
            ));
        }
    }
    out
}

#[test]
fn rust_blocks_in_markdown_compile() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut all = Vec::new();
    for path in markdown_files(root) {
        let file = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        all.extend(blocks(&file, &std::fs::read_to_string(&path).unwrap()));
    }
    let compiled: Vec<&Block> = all.iter().filter(|b| b.is_rust() && !b.is_ignored()).collect();
    for block in &compiled {
        eprintln!("compiling {}:{} ({:?})", block.file, block.line, block.info);
    }
    assert!(compiled.iter().filter(|b| b.file == "README.md").count() >= 5, "README.md's Rust blocks were not found");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("markdown_blocks");
    std::fs::create_dir_all(&out).unwrap();
    let path = out.join("markdown_blocks.rs");
    std::fs::write(&path, program(&compiled)).unwrap();
    eprintln!("{}: a comment before each block names its file and line", path.display());
    trybuild::TestCases::new().pass(&path);
}

#[test]
fn fences_are_read_as_rustdoc_reads_them() {
    let text = "a\n```\nplain\n```\n```rust,no_run\nx\n```\n- item:\n\n  ```sh\n  cargo\n  ```\n  ```rust\n  let a = 1;\n    b\n  ```\n~~~ignore\ny\n~~~\n";
    let found = blocks("t.md", text);
    let summary: Vec<_> = found.iter().map(|b| (b.line, b.info.as_str(), b.code.as_str(), b.is_rust())).collect();
    assert_eq!(
        summary,
        [
            (2, "", "plain\n", true),
            (5, "rust,no_run", "x\n", true),
            (10, "sh", "cargo\n", false),
            (13, "rust", "let a = 1;\n  b\n", true),
            (17, "ignore", "y\n", true),
        ]
    );
    assert!(found[4].is_ignored() && !found[1].is_ignored());
}
