//! The runtime names the emitters write (`crate::runtime::X` inside `quote!`, and the crate
//! root's `runtime::X`), in one place, checked both ways by the tests below: every path the
//! emitters' source writes is listed, and every listed path names an item of the runtime
//! template (`templates/runtime/`), so renaming or moving one there fails here rather than in a
//! generated crate. Methods called on runtime values (`.param(...)`, `.json_body(...)`) are not
//! paths and are not listed; the fixtures compile them.

/// Paths relative to the runtime module: `module::item`, `Type::associated_item` or
/// `Enum::Variant`, resolved through `mod.rs`'s re-exports as the generated code resolves them.
pub(crate) const RUNTIME_NAMES: &[&str] = &[
    // The crate root: re-exports, `from_env`, and the `SPEC` constant.
    "ApiError",
    "AttemptError",
    "AttemptRequest",
    "AttemptResponse",
    "ByteStream",
    "Client",
    "ClientBuilder",
    "Download",
    "Error",
    "Event",
    "EventStream",
    "FilePart",
    "Hook",
    "HookError",
    "HookFuture",
    "JsonLines",
    "Nullable",
    "PageStream",
    "Paged",
    "Part",
    "PartStream",
    "RawRequest",
    "RequestBuilder",
    "Response",
    "StreamPart",
    "decode_strict",
    "defaults",
    "Client::env_builder",
    "Spec",
    "Scheme",
    "SchemeKind::Bearer",
    "SchemeKind::Basic",
    "SchemeKind::Header",
    "SchemeKind::Query",
    "SchemeKind::Cookie",
    "Credential::basic",
    "Credential::client_credentials",
    "Credential::provider",
    "SchemeKind::OAuth2",
    "SchemeKind::OpenIdConnect",
    "Credential::secret",
    // Types: object serde impls, nullable fields, enums' fallbacks, unions.
    "object::count",
    "object::map_fields",
    "object::struct_fields",
    "object::deserialize",
    "object::Object",
    "object::Fields",
    "Nullable::Absent",
    "Nullable::Value",
    "exact::fallback",
    "union::pattern",
    "union::untagged",
    "union::tagged",
    "union::unknown_tag",
    // Operations: paths, bodies, paging, decoders and live handlers.
    "PathBuilder::new",
    "Parts::new",
    "Paged::new",
    "Paging",
    "PageStyle::AfterLast",
    "PageStyle::Token",
    "PageStyle::Offset",
    "PageStyle::PageNumber",
    "PageStyle::Link",
    "cursor",
    "decode_empty",
    "decode_json",
    "decode_text",
    "download",
    "json_lines",
    "part_stream_json",
    "part_stream_text",
    "part_stream_bytes",
    "event_stream_json",
    "event_stream_text",
    "event_stream_envelope",
    "method",
    "FormField",
    "FormStyle::Form",
    "FormStyle::SpaceDelimited",
    "FormStyle::PipeDelimited",
    "FormStyle::DeepObject",
    "Resume::LastEventId",
    "Resume::Param",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::RUNTIME_NAMES;

    /// The runtime template's files, parsed, by module name (`mod.rs` is the root, "").
    fn modules() -> BTreeMap<String, syn::File> {
        crate::render::RUNTIME_FILES
            .iter()
            .map(|(file, text)| {
                let name = if *file == "mod.rs" { "" } else { file.trim_end_matches(".rs") };
                let parsed = syn::parse_file(text).unwrap_or_else(|e| panic!("templates/runtime/{file}: {e}"));
                (name.to_owned(), parsed)
            })
            .collect()
    }

    /// The name an item defines, and whether it is a module.
    fn defines(item: &syn::Item) -> Option<(String, bool)> {
        let ident = match item {
            syn::Item::Fn(i) => &i.sig.ident,
            syn::Item::Struct(i) => &i.ident,
            syn::Item::Enum(i) => &i.ident,
            syn::Item::Const(i) => &i.ident,
            syn::Item::Static(i) => &i.ident,
            syn::Item::Type(i) => &i.ident,
            syn::Item::Trait(i) => &i.ident,
            syn::Item::Mod(i) => return Some((i.ident.to_string(), true)),
            _ => return None,
        };
        Some((ident.to_string(), false))
    }

    fn visibility(item: &syn::Item) -> Option<&syn::Visibility> {
        match item {
            syn::Item::Fn(i) => Some(&i.vis),
            syn::Item::Struct(i) => Some(&i.vis),
            syn::Item::Enum(i) => Some(&i.vis),
            syn::Item::Const(i) => Some(&i.vis),
            syn::Item::Static(i) => Some(&i.vis),
            syn::Item::Type(i) => Some(&i.vis),
            syn::Item::Trait(i) => Some(&i.vis),
            syn::Item::Mod(i) => Some(&i.vis),
            _ => None,
        }
    }

    /// The paths a `use` tree re-exports: (the name it is known by, the path it names).
    fn use_paths(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
        match tree {
            syn::UseTree::Path(p) => {
                let mut prefix = prefix;
                prefix.push(p.ident.to_string());
                use_paths(&p.tree, prefix, out);
            }
            syn::UseTree::Name(n) => {
                let mut path = prefix;
                path.push(n.ident.to_string());
                out.push((n.ident.to_string(), path));
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix;
                path.push(r.ident.to_string());
                out.push((r.rename.to_string(), path));
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix.clone(), out)),
            syn::UseTree::Glob(_) => {}
        }
    }

    /// Whether `path` names an item of module `module`, seen from outside it (not private):
    /// through a submodule, a re-export, an enum's variant or a type's inherent function. The
    /// last segment must not be a module (`json_lines` is both a module and a function).
    fn resolves(modules: &BTreeMap<String, syn::File>, module: &str, path: &[String]) -> Result<(), String> {
        let (first, rest) = path.split_first().ok_or("empty path")?;
        let file = &modules[module];
        for item in &file.items {
            if let syn::Item::Use(u) = item {
                if matches!(u.vis, syn::Visibility::Inherited) {
                    continue;
                }
                let mut paths = Vec::new();
                use_paths(&u.tree, Vec::new(), &mut paths);
                for (name, target) in paths {
                    if name != *first {
                        continue;
                    }
                    // `self::` in a module; `super::` from a submodule is the root.
                    let (base, target) = match target.first().map(String::as_str) {
                        Some("self") => (module, &target[1..]),
                        Some("super") => ("", &target[1..]),
                        _ => continue,
                    };
                    let mut full = target.to_vec();
                    full.extend(rest.iter().cloned());
                    if resolves(modules, base, &full).is_ok() {
                        return Ok(());
                    }
                }
                continue;
            }
            let Some((name, is_module)) = defines(item) else { continue };
            if name != *first || matches!(visibility(item), Some(syn::Visibility::Inherited)) {
                continue;
            }
            match (is_module, rest) {
                // A module itself only when public: the crate root re-exports it (`defaults`).
                (true, []) => {
                    if matches!(visibility(item), Some(syn::Visibility::Public(_))) {
                        return Ok(());
                    }
                }
                (true, rest) => {
                    if module.is_empty() && modules.contains_key(&name) && resolves(modules, &name, rest).is_ok() {
                        return Ok(());
                    }
                }
                (false, []) => return Ok(()),
                (false, [member]) => {
                    if let syn::Item::Enum(e) = item
                        && e.variants.iter().any(|v| v.ident == member)
                    {
                        return Ok(());
                    }
                    let inherent = file.items.iter().any(|i| {
                        let syn::Item::Impl(imp) = i else { return false };
                        let syn::Type::Path(ty) = imp.self_ty.as_ref() else { return false };
                        imp.trait_.is_none()
                            && ty.path.segments.last().is_some_and(|s| s.ident == name)
                            && imp.items.iter().any(|f| {
                                matches!(f, syn::ImplItem::Fn(f)
                                    if f.sig.ident == member && !matches!(f.vis, syn::Visibility::Inherited))
                            })
                    });
                    if inherent {
                        return Ok(());
                    }
                }
                (false, _) => {}
            }
        }
        Err(format!(
            "`{}` not found in `runtime{}{module}`",
            path.join("::"),
            if module.is_empty() { "" } else { "::" }
        ))
    }

    /// Every listed name is an item of the runtime template, reachable as generated code names it.
    #[test]
    fn runtime_names_exist_in_the_template() {
        let modules = modules();
        let missing: Vec<String> = RUNTIME_NAMES
            .iter()
            .filter_map(|name| {
                let path: Vec<String> = name.split("::").map(str::to_owned).collect();
                resolves(&modules, "", &path).err()
            })
            .collect();
        assert!(missing.is_empty(), "runtime names missing from templates/runtime/:\n{}", missing.join("\n"));
    }

    /// The runtime paths written in the emitters' source (`runtime::a::b`, `runtime::{a, b}`).
    fn written_paths(source: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = source;
        while let Some(at) = rest.find("runtime::") {
            let before = &rest[..at];
            rest = &rest[at + "runtime::".len()..];
            // `tokio::runtime::...` and `some_runtime::` are not the crate's runtime.
            if before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
                || (before.ends_with("::") && !before.ends_with("crate::"))
            {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                out.extend(group[..end].split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned));
                continue;
            }
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            let path = rest[..end].trim_end_matches(':');
            if !path.is_empty() {
                out.push(path.to_owned());
            }
        }
        out
    }

    /// Every runtime path the emitters (and `render`) write is in `RUNTIME_NAMES`.
    #[test]
    fn emitters_write_only_listed_runtime_names() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files: Vec<_> = std::fs::read_dir(src.join("emit")).unwrap().map(|e| e.unwrap().path()).collect();
        files.retain(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("runtime_names.rs"));
        files.push(src.join("render.rs"));
        let mut unlisted = Vec::new();
        let mut seen = 0;
        for file in files {
            for path in written_paths(&std::fs::read_to_string(&file).unwrap()) {
                seen += 1;
                if !RUNTIME_NAMES.contains(&path.as_str()) {
                    unlisted.push(format!("{}: runtime::{path}", file.display()));
                }
            }
        }
        assert!(seen >= 40, "found only {seen} runtime paths in the emitters");
        assert!(
            unlisted.is_empty(),
            "runtime paths the emitters write, missing from RUNTIME_NAMES:\n{}",
            unlisted.join("\n")
        );
    }

    /// The resolver refuses what generated code could not name.
    #[test]
    fn resolver_refuses_missing_and_private_names() {
        let modules = modules();
        let path = |s: &str| s.split("::").map(str::to_owned).collect::<Vec<_>>();
        assert!(resolves(&modules, "", &path("decode_json")).is_ok());
        assert!(resolves(&modules, "", &path("no_such_item")).is_err());
        // `bounded_growth` is private to `live`; `sse` alone is a module, not an item.
        assert!(resolves(&modules, "", &path("live::bounded_growth")).is_err());
        assert!(resolves(&modules, "", &path("sse")).is_err());
        assert!(resolves(&modules, "", &path("Auth::Cookie")).is_err());
    }
}
