//! The stages' import order, checked: each top-level module may `use` only modules of a lower
//! rank than its own (or itself), so imports flow one way, from later stages to earlier ones, and
//! no two modules import each other. ARCHITECTURE.md draws the same order.
//!
//! Every `crate::…` path (in `use` items and in code) is read with `syn` from every file under
//! `src/`; test items, marked `#[cfg(test)]`, are left out (a test may check one stage against
//! another), and so are `quote!` invocations (their `crate::` is the generated crate's). A name the
//! crate root re-exports (`crate::Error`) counts as the root, so stages name the module that
//! defines it.

/// Each top-level module and its rank: a module may import only modules of a lower rank.
pub(crate) const RANKS: &[(&str, u32)] = &[
    // Shared by every stage: errors and warnings, options, names.
    ("error", 0),
    ("options", 0),
    ("layers", 0),
    ("diagnostics", 1),
    ("naming", 1),
    // 1. text → typed document
    ("load", 2),
    // 2. the model's definitions, then lowering into them
    ("ir", 3),
    ("lower", 4),
    // 3. what is decided once over the model, and what reads only the model
    ("facts", 5),
    ("coverage", 5),
    ("report", 6),
    ("release", 7),
    // 4. model → tokens → files → disk
    ("emit", 8),
    ("render", 9),
    ("sync", 10),
    // the public API, running the stages in order
    ("lib", 11),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use super::RANKS;

    fn rank(module: &str) -> Option<u32> {
        RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
    }

    use proc_macro2::{Delimiter, TokenStream, TokenTree};
    use quote::ToTokens;

    fn is_test(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("test"))
    }

    /// The modules named by `crate::…` paths in `tokens` (`use` items and paths in code alike),
    /// outside `quote!` invocations, whose `crate::` is the generated crate's.
    fn crate_paths(tokens: TokenStream, out: &mut BTreeSet<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Ident(id) if id == "quote" || id == "quote_spanned" => {
                    // `quote!(…)`: skip the `!` and the group.
                    if matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                        i += 3;
                        continue;
                    }
                }
                TokenTree::Ident(id) if id == "crate" => {
                    let colons = matches!(
                        (tokens.get(i + 1), tokens.get(i + 2)),
                        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
                    );
                    match tokens.get(i + 3) {
                        Some(TokenTree::Ident(target)) if colons => {
                            out.insert(target.to_string());
                        }
                        Some(TokenTree::Group(g)) if colons && g.delimiter() == Delimiter::Brace => {
                            // `crate::{a::X, b}`: the first ident of each item.
                            let mut first = true;
                            for t in g.stream() {
                                match t {
                                    TokenTree::Ident(id) if first => {
                                        out.insert(id.to_string());
                                        first = false;
                                    }
                                    TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                                    _ => first = false,
                                }
                            }
                        }
                        _ => {}
                    }
                }
                TokenTree::Group(g) => crate_paths(g.stream(), out),
                _ => {}
            }
            i += 1;
        }
    }

    /// The modules a file's items name through `crate::`, outside `#[cfg(test)]` items.
    fn imports(items: &[syn::Item], out: &mut BTreeSet<String>) {
        for item in items {
            let attrs: &[syn::Attribute] = match item {
                syn::Item::Mod(m) => &m.attrs,
                syn::Item::Fn(f) => &f.attrs,
                syn::Item::Use(u) => &u.attrs,
                syn::Item::Impl(i) => &i.attrs,
                _ => &[],
            };
            if !is_test(attrs) {
                crate_paths(item.to_token_stream(), out);
            }
        }
    }

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The back edges: (file, its module, the module it imports).
    fn back_edges(src: &Path) -> Vec<String> {
        let mut paths = Vec::new();
        files(src, &mut paths);
        paths.sort();
        let mut problems = Vec::new();
        for path in paths {
            let relative = path.strip_prefix(src).unwrap();
            let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
            let module = first.trim_end_matches(".rs").to_owned();
            let Some(own) = rank(&module) else {
                problems.push(format!("{}: module `{module}` has no rank in layers::RANKS", relative.display()));
                continue;
            };
            let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut used = BTreeSet::new();
            imports(&file.items, &mut used);
            for target in used {
                if target == module {
                    continue;
                }
                let target_rank = rank(&target).unwrap_or(rank("lib").unwrap());
                if target_rank >= own {
                    problems.push(format!(
                        "{}: `{module}` (rank {own}) imports `{target}` (rank {target_rank}): imports must flow to earlier stages",
                        relative.display()
                    ));
                }
            }
        }
        problems
    }

    #[test]
    fn imports_flow_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let problems = back_edges(&src);
        assert!(problems.is_empty(), "back edges between the stages:\n{}", problems.join("\n"));
    }

    #[test]
    fn a_back_edge_is_found() {
        let dir = std::env::temp_dir().join(format!("codegen-layers-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lower")).unwrap();
        std::fs::write(dir.join("lower/mod.rs"), "use crate::emit::TypeEmitter;\nuse crate::ir::Ir;\n").unwrap();
        std::fs::write(
            dir.join("ir.rs"),
            "use crate::{error::Pointer, Error};\n#[cfg(test)]\nmod tests { use crate::lower::x; }\n",
        )
        .unwrap();
        let problems = back_edges(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("`ir` (rank 3) imports `Error` (rank 11)"), "{problems:#?}");
        assert!(problems[1].contains("`lower` (rank 4) imports `emit` (rank 8)"), "{problems:#?}");
    }
}
