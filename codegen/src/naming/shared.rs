//! Names of the types several parents share, from what their users' names have in common, and
//! names inside a container without the words they repeat from it.
//!
//! Must not: take names (the caller makes them unique) or look at the model.

use super::{camel_ident, name_words};

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
    let users = user_words(shared.users);
    let (prefix, suffix) = common_words(&users);
    let mut out: Vec<String> =
        shared.titles.iter().map(|t| camel_ident(t, "Type", "")).filter(|t| !t.is_empty()).collect();
    let tail: &[String] = if meaningful(&suffix) { &suffix } else { &[] };
    if let [value] = shared.values {
        out.extend(one_value_names(value, &prefix, tail));
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
    out.extend(prefix_names(&users, &prefix, &suffix));
    if let [status] = suffix.as_slice()
        && status.strip_prefix("error").is_some_and(|code| code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()))
    {
        out.push(camel(&[&suffix]));
    }
    out.extend(last_words_name(&users));
    let mut seen = std::collections::HashSet::new();
    out.retain(|name| seen.insert(name.clone()));
    out
}

/// The words of each user's name; an array's item is one of what the property names:
/// `StatusesItem` is a `Status`.
fn user_words(users: &[String]) -> Vec<Vec<String>> {
    users
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
        .collect()
}

/// The first words and the last words all users' names share (not overlapping, and the first
/// ones without a joining word at their end).
fn common_words(users: &[Vec<String>]) -> (Vec<String>, Vec<String>) {
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
    (prefix, suffix)
}

/// A CamelCase name of the words of `parts`, in order.
fn camel(parts: &[&[String]]) -> String {
    camel_ident(&parts.concat().join(" "), "Type", "Schema")
}

/// The word lists joined by `or`: `read`, `write` → `read or write`.
fn either(parts: &mut dyn Iterator<Item = Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, words) in parts.enumerate() {
        if i > 0 {
            out.push("or".into());
        }
        out.extend(words);
    }
    out
}

/// Names of a one-value enum, for its value (`object: [list]` → `ListObject`, then `List`).
fn one_value_names(value: &str, prefix: &[String], tail: &[String]) -> Vec<String> {
    let value = name_words(value);
    let mut out = Vec::new();
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
            out.push(camel(&[prefix, &value, tail]));
        }
    }
    out
}

/// Names from the common first words (when they say more than a verb): with the common last
/// ones, or, for two or three users, with what differs between them.
fn prefix_names(users: &[Vec<String>], prefix: &[String], suffix: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if meaningful(prefix) && prefix.iter().any(|w| !VERB_WORDS.contains(&w.as_str())) {
        if !suffix.is_empty() {
            out.push(camel(&[prefix, suffix]));
        }
        if users.len() <= 3 {
            let middles: Vec<Vec<String>> =
                users.iter().map(|u| u[prefix.len()..u.len() - suffix.len()].to_vec()).collect();
            if middles.iter().all(|m| (1..=2).contains(&m.len())) {
                out.push(camel(&[prefix, &either(&mut middles.into_iter()), suffix]));
            }
        }
    }
    out
}

/// At most three different last words: what the type is to each user (`AuthorOrCommitter`).
fn last_words_name(users: &[Vec<String>]) -> Option<String> {
    let mut lasts: Vec<Vec<String>> = Vec::new();
    for last in users.iter().filter_map(|u| u.last()) {
        let word = vec![singular(last)];
        if !lasts.contains(&word) {
            lasts.push(word);
        }
    }
    ((2..=3).contains(&lasts.len()) && lasts.iter().all(|w| meaningful(w)))
        .then(|| camel(&[&either(&mut lasts.into_iter())]))
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
}
