//! Naming: turning spec text into Rust identifiers, and keeping names unique within a scope;
//! [`shared`] names the types several parents share.
//!
//! Shared by [`crate::lower`] (which names every type, field, variant, parameter and method) and
//! [`crate::emit`] (which names the setters and resource structs it derives from those). Every
//! "this name is taken, try the next one" loop of the generator is [`unique`]; nothing else
//! invents suffixes.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

mod shared;

pub(crate) use shared::{Shared, shared_names, without_container};

/// How a numeric suffix joins a name that is already taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// `Pet` → `Pet2` (types, variants).
    Camel,
    /// `name` → `name_2`, `self_` → `self_2` (fields, methods, constants).
    Snake,
}

/// Takes `base` in `used`, or the first of `base2`, `base3`, ... (`base_2`, ... in snake style)
/// that is free, and returns the name taken.
pub(crate) fn unique(used: &mut BTreeSet<String>, base: &str, style: Style) -> String {
    let name = first_untaken(base, style, |n| used.contains(n));
    used.insert(name.clone());
    name
}

/// The name [`unique`] would take where `taken` says which names are taken, without taking it.
pub(crate) fn first_untaken(base: &str, style: Style, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken(&candidate) {
        // `self_` + 2 → `self_2`, not `self__2` (which is not snake case).
        candidate = match style {
            Style::Snake if !base.ends_with('_') => format!("{base}_{n}"),
            _ => format!("{base}{n}"),
        };
        n += 1;
    }
    candidate
}

/// Takes the first of `candidates` that is free in `used`, else the first candidate with a
/// numeric suffix ([`unique`]). Used for the fallback variants of open enums and unions.
pub(crate) fn first_free(used: &mut BTreeSet<String>, candidates: &[&str]) -> String {
    match candidates.iter().find(|c| !used.contains(**c)) {
        Some(free) => unique(used, free, Style::Camel),
        None => unique(used, candidates[0], Style::Camel),
    }
}

/// Names that are Rust keywords (strict, reserved and weak ones that cannot be field names).
const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "union",
    "macro_rules",
    "raw",
    "safe",
];

/// Crates every Rust program can name without a dependency: a library called so would shadow them.
const BUILTIN_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// Why `name` cannot name the generated crate (package and library), and a name to use instead
/// where one is obvious; `None` when it can. The library name is the package name with `-` as
/// `_`; it must be a snake_case identifier (a capital fails `-D warnings`), not a keyword, and not
/// the name of a dependency of the generated crate (`dependencies`) or of a built-in crate.
pub(crate) fn crate_name_problem(name: &str, dependencies: &[&str]) -> Option<(String, Option<String>)> {
    let lib = name.replace('-', "_");
    let instead = |n: String| Some(n);
    if name.is_empty() {
        return Some(("the name is empty".into(), None));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        let fixed: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '_' })
            .collect();
        return Some(("use only ASCII letters, digits, `_` and `-`".into(), instead(fixed)));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some(("a crate name must start with a letter".into(), None));
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        let lower = name.to_ascii_lowercase();
        return Some((
            format!(
                "it has capital letters; use `{lower}` (library names are snake_case, or the crate fails `-D warnings`)"
            ),
            instead(lower),
        ));
    }
    if KEYWORDS.contains(&lib.as_str()) {
        return Some((format!("`{lib}` is a Rust keyword"), instead(format!("{lib}_client"))));
    }
    if dependencies.iter().any(|d| d.replace('-', "_") == lib) {
        return Some((
            format!("`{lib}` is a dependency of the generated crate, which cannot depend on itself"),
            instead(format!("{lib}_client")),
        ));
    }
    if BUILTIN_CRATES.contains(&lib.as_str()) {
        return Some((format!("`{lib}` is the name of a crate Rust provides"), instead(format!("{lib}_client"))));
    }
    None
}

/// Replaces what `heck` cannot turn into identifier characters. Non-ASCII alphanumerics become
/// `uXXXX` words so that `名前` and `名字` stay distinct.
pub(crate) fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// A snake_case identifier (field, parameter, method, resource); `empty` names what has no
/// letters and prefixes what starts with a digit.
pub(crate) fn snake_ident(raw: &str, empty: &str) -> String {
    let mut s = words(&spell_sign(raw)).to_snake_case();
    if s.is_empty() {
        s = empty.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        // `_1st` would be an identifier of underscores and digits only for `1`: use a word.
        s = format!("{empty}_{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A leading sign spelled out, so `+1` and `-1` (GitHub's reactions) stay distinct and readable.
fn spell_sign(raw: &str) -> std::borrow::Cow<'_, str> {
    match raw.strip_prefix('-').map(|r| ("minus", r)).or_else(|| raw.strip_prefix('+').map(|r| ("plus", r))) {
        Some((word, rest)) if rest.starts_with(|c: char| c.is_ascii_digit()) => format!("{word} {rest}").into(),
        _ => raw.into(),
    }
}

/// An UpperCamelCase identifier (type, variant).
pub(crate) fn camel_ident(raw: &str, prefix_for_digit: &str, empty: &str) -> String {
    let mut s = words(&spell_sign(raw)).to_upper_camel_case();
    if s.is_empty() {
        s = empty.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{prefix_for_digit}{s}");
    }
    if s == "Self" {
        s = "SelfType".to_owned();
    }
    s
}

/// The names Rust's prelude (edition 2024) brings into every module: a generated type named so
/// would shadow it for a user who glob-imports the types (`use api::types::*;` and then `None`
/// or `Result<T, E>` no longer mean what they say).
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// A name for a generated type from an UpperCamelCase identifier: the identifier, or with a
/// `Type` suffix when it is a name of the prelude ([`PRELUDE`]): `None` → `NoneType`.
pub(crate) fn type_name(camel: &str) -> String {
    if PRELUDE.contains(&camel) { format!("{camel}Type") } else { camel.to_owned() }
}

/// A SHOUTY_SNAKE_CASE constant name for a value's text: `VALUE_`-prefixed when it would start
/// with a digit or be empty.
pub(crate) fn constant_ident(text: &str) -> String {
    let base = words(text).to_shouty_snake_case();
    let base =
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) { format!("VALUE_{base}") } else { base };
    base.trim_end_matches('_').to_owned()
}

/// The words of an identifier or of spec text, lower case: `ListAssistantsOrder` → `list`,
/// `assistants`, `order`.
pub(crate) fn name_words(name: &str) -> Vec<String> {
    words(name).to_snake_case().split('_').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_suffixes_by_style() {
        let mut used = BTreeSet::new();
        assert_eq!(unique(&mut used, "Pet", Style::Camel), "Pet");
        assert_eq!(unique(&mut used, "Pet", Style::Camel), "Pet2");
        assert_eq!(unique(&mut used, "Pet", Style::Camel), "Pet3");
        assert_eq!(unique(&mut used, "name", Style::Snake), "name");
        assert_eq!(unique(&mut used, "name", Style::Snake), "name_2");
        assert_eq!(unique(&mut used, "self_", Style::Snake), "self_");
        assert_eq!(unique(&mut used, "self_", Style::Snake), "self_2");
        assert_eq!(unique(&mut used, "FOO", Style::Snake), "FOO");
        assert_eq!(unique(&mut used, "FOO", Style::Snake), "FOO_2");
    }

    #[test]
    fn first_free_tries_candidates_then_suffixes() {
        let mut used: BTreeSet<String> = ["Unknown".to_owned()].into();
        assert_eq!(first_free(&mut used, &["Unknown", "UnknownValue", "Other"]), "UnknownValue");
        used.insert("Other".into());
        assert_eq!(first_free(&mut used, &["Unknown", "UnknownValue", "Other"]), "Unknown2");
    }

    #[test]
    fn snake_idents() {
        assert_eq!(snake_ident("devboxId", "field"), "devbox_id");
        assert_eq!(snake_ident("type", "field"), "type_");
        assert_eq!(snake_ident("self", "field"), "self_");
        assert_eq!(snake_ident("1st", "field"), "field_1st");
        assert_eq!(snake_ident("", "param"), "param");
        assert_eq!(snake_ident("+1", "field"), "plus_1");
        assert_eq!(snake_ident("-1", "field"), "minus_1");
        assert_eq!(snake_ident("$ref", "field"), "ref_");
        assert_eq!(snake_ident("名前", "field"), "u540d_u524d");
    }

    #[test]
    fn camel_idents() {
        assert_eq!(camel_ident("devbox view", "Type", "Schema"), "DevboxView");
        assert_eq!(camel_ident("Self", "Type", "Schema"), "SelfType");
        assert_eq!(type_name("None"), "NoneType");
        assert_eq!(type_name("Result"), "ResultType");
        assert_eq!(type_name("Nonesuch"), "Nonesuch");
        assert_eq!(camel_ident("200", "Value", "Empty"), "Value200");
        assert_eq!(camel_ident("", "Value", "Empty"), "Empty");
        assert_eq!(camel_ident("a-b_c", "Type", "Schema"), "ABC");
        assert_ne!(camel_ident("名前", "T", "S"), camel_ident("名字", "T", "S"));
    }

    #[test]
    fn crate_names() {
        let deps = ["serde", "serde_json", "percent-encoding"];
        assert_eq!(crate_name_problem("my-api", &deps), None);
        assert_eq!(crate_name_problem("runloop", &deps), None);
        assert_eq!(crate_name_problem("My_API", &deps).unwrap().1.as_deref(), Some("my_api"));
        assert_eq!(crate_name_problem("my api", &deps).unwrap().1.as_deref(), Some("my_api"));
        assert_eq!(crate_name_problem("serde-json", &deps).unwrap().1.as_deref(), Some("serde_json_client"));
        assert_eq!(
            crate_name_problem("percent_encoding", &deps).unwrap().1.as_deref(),
            Some("percent_encoding_client")
        );
        assert!(crate_name_problem("gen", &deps).unwrap().0.contains("keyword"));
        assert!(crate_name_problem("_x", &deps).is_some());
        assert!(crate_name_problem("-x", &deps).is_some());
        assert!(crate_name_problem("", &deps).is_some());
    }

    #[test]
    fn words_of_names() {
        assert_eq!(name_words("ListAssistantsOrder"), ["list", "assistants", "order"]);
        assert_eq!(name_words("chat.completion"), ["chat", "completion"]);
        assert!(name_words("").is_empty());
    }

    #[test]
    fn constant_idents() {
        assert_eq!(constant_ident("in progress"), "IN_PROGRESS");
        assert_eq!(constant_ident("1"), "VALUE_1");
        assert_eq!(constant_ident(""), "VALUE");
        assert_eq!(constant_ident("minus 1"), "MINUS_1");
    }
}
