//! Naming: turning spec text into Rust identifiers, and keeping names unique within a scope.
//!
//! Shared by [`crate::lower`] (which names every type, field, variant, parameter and method) and
//! [`crate::emit`] (which names the setters and resource structs it derives from those). Every
//! "this name is taken, try the next one" loop of the generator is [`unique`]; nothing else
//! invents suffixes.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

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

/// Words that say where a type sits (an array's item, a map's value, a union's branch, an
/// operation's body, response, parameter or event), not what it is: a name made of them alone
/// says nothing.
const PLACE_WORDS: &[&str] =
    &["item", "value", "variant", "body", "response", "param", "params", "event", "error", "array"];

/// Whether `words` say something of their own (a word other than [`PLACE_WORDS`] and numbers).
fn meaningful(words: &[String]) -> bool {
    words
        .iter()
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()))
        .any(|w| !w.is_empty() && !PLACE_WORDS.contains(&w))
}

/// What a type shared by several parents is: its users' names (`Parent` + property, as the type
/// would have been named for each; at least two distinct ones) and, for a string enum, its values.
pub(crate) struct Shared<'a> {
    /// The names the type would have had for each of its users.
    pub(crate) users: &'a [String],
    /// The values of a string enum (empty for other types).
    pub(crate) values: &'a [String],
    /// The `title`s its schemas carry (usually none, or one).
    pub(crate) titles: &'a [String],
}

/// Words that join others (`ListRunnersForOrg`): a name does not end with them.
const JOINING_WORDS: &[&str] = &["for", "in", "to", "by", "of", "and", "with", "on", "from", "as", "at"];

/// Names for a type several parents share, best first, each a CamelCase identifier; the caller
/// takes the first one that is free. Never a name of one of its users alone:
/// - its `title` (`title: Git User` → `GitUser`);
/// - the words all users' names end with (`ListAssistants` + `order` and `ListFiles` + `order`
///   share `Order`), then with the words they all start with (`ListOrder`);
/// - a one-value enum is named for its value (`object: [list]` → `ListObject`, then `List`);
/// - an enum of two or three values for them (`ReadOrWrite`, `UserOrOrganizationType`);
/// - the common first words and the common last ones, even if those only say where the type sits
///   (`ActionsListRunnersForOrgResponse` and `…ForRepoResponse` share
///   `ActionsListRunnersResponse`), or, for two or three users, with what differs between them
///   (`CommitAuthor` and `CommitCommitter` share `CommitAuthorOrCommitter`);
/// - an error body shared by operations, by its status (`Error503`);
/// - the two or three different last words of its users' names (`PromptOrInput`).
///
/// Empty when the users share nothing that names the type: the caller then names it after its
/// shortest user's name (the first in sorted order of those), the most general of them.
pub(crate) fn shared_names(shared: &Shared<'_>) -> Vec<String> {
    // An array's item is one of what the property names: `StatusesItem` is a `Status`.
    let users: Vec<Vec<String>> = shared
        .users
        .iter()
        .map(|u| {
            let mut words = name_words(u);
            if words.len() > 1 && words.last().is_some_and(|w| w == "item") {
                words.pop();
                if let Some(last) = words.last_mut() {
                    *last = singular(last);
                }
            }
            words
        })
        .collect();
    let shortest = users.iter().map(Vec::len).min().unwrap_or(0);
    let common = |at: &dyn Fn(&Vec<String>, usize) -> String| -> Vec<String> {
        (0..shortest)
            .map_while(|i| {
                let w = at(&users[0], i);
                users.iter().all(|u| at(u, i) == w).then_some(w)
            })
            .collect()
    };
    let mut suffix = common(&|u, i| u[u.len() - 1 - i].clone());
    suffix.reverse();
    let mut prefix = common(&|u, i| u[i].clone());
    prefix.truncate(shortest - suffix.len());
    while prefix.last().is_some_and(|w| JOINING_WORDS.contains(&w.as_str())) {
        prefix.pop();
    }
    let camel = |parts: &[&[String]]| camel_ident(&parts.concat().join(" "), "Type", "Schema");
    let either = |parts: &mut dyn Iterator<Item = Vec<String>>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, words) in parts.enumerate() {
            if i > 0 {
                out.push("or".into());
            }
            out.extend(words);
        }
        out
    };
    let mut out: Vec<String> =
        shared.titles.iter().map(|t| camel_ident(t, "Type", "")).filter(|t| !t.is_empty()).collect();
    let tail: &[String] = if meaningful(&suffix) { &suffix } else { &[] };
    if let [value] = shared.values {
        let value = name_words(value);
        if !value.is_empty() && tail.windows(value.len()).any(|w| w == value.as_slice()) {
            // The users' names share the value already (`AssistantList` + `object` and
            // `FileList` + `object` share `ListObject`; union branches named for their value).
            out.push(camel(&[tail]));
        } else if !value.is_empty() {
            if !tail.is_empty() {
                out.push(camel(&[&value, tail]));
            }
            out.push(camel(&[&value]));
            if !prefix.is_empty() && !tail.is_empty() {
                out.push(camel(&[&prefix, &value, tail]));
            }
        }
    }
    let values =
        (2..=3).contains(&shared.values.len()).then(|| either(&mut shared.values.iter().map(|v| name_words(v))));
    if !tail.is_empty() {
        let qualifier = qualifier(&users, suffix.len(), tail);
        if !qualifier.is_empty() {
            out.push(camel(&[&qualifier, tail]));
        }
        out.push(camel(&[tail]));
        if !prefix.is_empty() {
            out.push(camel(&[&prefix, tail]));
        }
        if let Some(values) = &values {
            out.push(camel(&[values, tail]));
        }
    } else if let Some(values) = &values {
        out.push(camel(&[values]));
    }
    if meaningful(&prefix) && prefix.iter().any(|w| !VERB_WORDS.contains(&w.as_str())) {
        if !suffix.is_empty() {
            out.push(camel(&[&prefix, &suffix]));
        }
        if users.len() <= 3 {
            let middles: Vec<Vec<String>> =
                users.iter().map(|u| u[prefix.len()..u.len() - suffix.len()].to_vec()).collect();
            if middles.iter().all(|m| (1..=2).contains(&m.len())) {
                out.push(camel(&[&prefix, &either(&mut middles.into_iter()), &suffix]));
            }
        }
    }
    if let [status] = suffix.as_slice()
        && status.strip_prefix("error").is_some_and(|code| code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()))
    {
        out.push(camel(&[&suffix]));
    }
    // At most three different last words: what the type is to each (`AuthorOrCommitter`).
    let mut lasts: Vec<Vec<String>> = Vec::new();
    for last in users.iter().filter_map(|u| u.last()) {
        let word = vec![singular(last)];
        if !lasts.contains(&word) {
            lasts.push(word);
        }
    }
    if (2..=3).contains(&lasts.len()) && lasts.iter().all(|w| meaningful(w)) {
        out.push(camel(&[&either(&mut lasts.into_iter())]));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|name| seen.insert(name.clone()));
    out
}

/// Words that say what an operation does or how a type is used, not what it is about.
const VERB_WORDS: &[&str] = &[
    "list",
    "get",
    "create",
    "update",
    "delete",
    "set",
    "add",
    "remove",
    "patch",
    "put",
    "post",
    "retrieve",
    "modify",
    "replace",
    "check",
    "search",
    "find",
    "fetch",
    "cancel",
    "enable",
    "disable",
    "view",
    "parameter",
    "request",
];

/// The nouns every user's name has before its common last words, in the order of the shortest
/// name, singular: `ObjectView` + `state` and `ListObjects` + `state` are both about an `object`.
fn qualifier(users: &[Vec<String>], suffix: usize, tail: &[String]) -> Vec<String> {
    let heads: Vec<Vec<String>> =
        users.iter().map(|u| u[..u.len() - suffix].iter().map(|w| singular(w)).collect()).collect();
    let Some(shortest) = heads.iter().min_by_key(|h| h.len()) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for word in shortest {
        let plain = !PLACE_WORDS.contains(&word.as_str())
            && !JOINING_WORDS.contains(&word.as_str())
            && !VERB_WORDS.contains(&word.as_str())
            && !word.chars().all(|c| c.is_ascii_digit())
            && !tail.contains(word)
            && !out.contains(word);
        if plain && heads.iter().all(|h| h.contains(word)) {
            out.push(word.clone());
        }
    }
    out
}

/// The singular of an English plural (`statuses` → `status`, `capabilities` → `capability`,
/// `items` → `item`); other words unchanged (`status`, `class`, `analysis`).
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "shes", "ches", "xes", "uses"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if word.ends_with('s') && !["ss", "us", "is"].iter().any(|e| word.ends_with(e)) && word.len() > 1 {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

/// A name inside `container` without the words it repeats from the container's name: a union
/// `ChatCompletionRequestMessage`'s branch `ChatCompletionRequestUserMessage` is `User`. The
/// name is kept whole when nothing would be left or it would start with a digit.
pub(crate) fn without_container(name: &str, container: &str) -> String {
    // Compared in the singular: `InvoicePaymentOptions` repeats all of `InvoicesPaymentOptions`.
    let original = name_words(name);
    let words: Vec<String> = original.iter().map(|w| singular(w)).collect();
    let outer: Vec<String> = name_words(container).iter().map(|w| singular(w)).collect();
    let prefix = words.iter().zip(&outer).take_while(|(a, b)| a == b).count();
    let suffix = words.iter().rev().zip(outer.iter().rev()).take_while(|(a, b)| a == b).count();
    if prefix + suffix >= words.len() {
        return name.to_owned();
    }
    let rest = &original[prefix..words.len() - suffix];
    if rest[0].starts_with(|c: char| c.is_ascii_digit()) {
        return name.to_owned();
    }
    camel_ident(&rest.join(" "), "Variant", "Variant")
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

    fn shared(users: &[&str], values: &[&str]) -> Vec<String> {
        let users: Vec<String> = users.iter().map(|u| (*u).to_owned()).collect();
        let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
        shared_names(&Shared { users: &users, values: &values, titles: &[] })
    }

    #[test]
    fn shared_types_are_named_for_what_their_users_share() {
        // The common last words, then with the common first words.
        assert_eq!(
            shared(&["ListAssistantsOrder", "ListFilesOrder"], &["asc", "desc"]),
            ["Order", "ListOrder", "AscOrDescOrder"]
        );
        assert_eq!(shared(&["IssueOwner", "PullOwner"], &[]), ["Owner"]);
        assert_eq!(shared(&["CreateIssueState", "UpdateIssueState"], &[]), ["IssueState"]);
        // A one-value enum: its value with the common words (once), then the value alone.
        assert_eq!(
            shared(&["AssistantObjectObject", "ModifyAssistantResponseObject"], &["assistant"]),
            ["AssistantObject", "Assistant", "Object"]
        );
        assert_eq!(shared(&["AssistantListObject", "FileListObject"], &["list"]), ["ListObject"]);
        assert_eq!(
            shared(&["BudgetBudgetTypeSkuPricing", "GetBudgetBudgetTypeSkuPricing"], &["SkuPricing"]),
            ["BudgetBudgetTypeSkuPricing"]
        );
        // Enums of a few values, by their values.
        assert_eq!(
            shared(&["AppPermissionsActions", "AppPermissionsChecks", "BarChecks"], &["read", "write"])[0],
            "ReadOrWrite"
        );
        // Common first and last words, or what differs between a few users.
        assert_eq!(
            shared(&["ActionsListRunnersForOrgResponse", "ActionsListRunnersForRepoResponse"], &[]),
            ["ActionsListRunnersResponse", "ActionsListRunnersForOrgOrForRepoResponse"]
        );
        assert_eq!(shared(&["CommitAuthor", "CommitCommitter"], &[]), ["CommitAuthorOrCommitter", "AuthorOrCommitter"]);
        assert_eq!(shared(&["GetPetError503", "ListPetsError503"], &[]), ["Error503"]);
        // A title says what it is.
        let titled =
            Shared { users: &["CommitAuthor".into(), "TagTagger".into()], values: &[], titles: &["Git User".into()] };
        assert_eq!(shared_names(&titled)[0], "GitUser");
        // Not a long list of what differs, nor a verb alone in common.
        assert_eq!(shared(&["WebhookForkForkeeFork", "WebhookIssuesLockedIssueLocked"], &[]), ["ForkOrLocked"]);
        assert_eq!(shared(&["CreateAnswerRequestStop", "CreateModerationRequestInput"], &[]), ["StopOrInput"]);
        // An array's item is one of what the property names.
        assert_eq!(shared(&["DevboxStatus", "WaitForStatusesItem"], &[]), ["Status"]);
        assert_eq!(shared(&["BlueprintCapabilitiesItem", "DevboxCapabilitiesItem"], &[]), ["Capability"]);
        // Preceded by the nouns all users' names have (`object`), verbs and places aside.
        assert_eq!(
            shared(&["ListObjectsState", "ListPublicObjectsState", "ObjectViewState"], &[]),
            ["ObjectState", "State"]
        );
        assert_eq!(
            shared(&["BlueprintViewDevboxCapabilitiesItem", "DevboxViewCapabilitiesItem"], &[]),
            ["DevboxCapability", "Capability"]
        );
        // Nothing in common that names the type: no name of their own (the caller decides).
        assert!(shared(&["FooBarResponse", "BazResponse"], &[]).is_empty());
        assert!(shared(&["FooVariant0", "BarVariant0"], &[]).is_empty());
        assert!(
            shared(&["CommitTree", "TagCommit", "ShortBranchCommit", "GitTree", "GitRef", "GitBlob"], &[]).is_empty()
        );
        // The order of the users does not matter.
        assert_eq!(shared(&["B Status", "A Status"], &[]), shared(&["A Status", "B Status"], &[]));
    }

    #[test]
    fn names_without_their_container() {
        assert_eq!(without_container("ChatCompletionRequestUserMessage", "ChatCompletionRequestMessage"), "User");
        assert_eq!(
            without_container("ChatCompletionNamedToolChoice", "ChatCompletionToolChoiceOption"),
            "NamedToolChoice"
        );
        assert_eq!(without_container("Cat", "Pet"), "Cat");
        assert_eq!(without_container("InvoicePaymentOptions", "InvoicesPaymentOptions"), "InvoicePaymentOptions");
        assert_eq!(without_container("AccountSettings", "AccountSettings2"), "Settings");
        // Kept whole when nothing (or a leading digit) would be left.
        assert_eq!(without_container("PetCat", "PetCat"), "PetCat");
        assert_eq!(without_container("Pet", "PetCat"), "Pet");
    }

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("statuses", "status"),
            ("capabilities", "capability"),
            ("items", "item"),
            ("branches", "branch"),
            ("status", "status"),
            ("class", "class"),
            ("analysis", "analysis"),
            ("data", "data"),
        ] {
            assert_eq!(singular(plural), one);
        }
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
