//! Resource and method names: from the SDK code samples in the spec, else from tags and
//! `operationId`s; then made unique within each resource.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::Operation as ApiOperation;

use super::Lowerer;
use crate::ir::Operation;
use crate::naming::{Style, camel_ident, snake_ident, unique};

/// The SDK name from `x-codeSamples`: Python's `client.a.b.method(`, else JavaScript's `client.a.b.method(`.
pub(super) fn sdk_name(op: &ApiOperation) -> Option<(Vec<String>, String)> {
    let samples = op.extensions.get("x-codeSamples").or_else(|| op.extensions.get("x-code-samples"))?.as_array()?;
    let find = |langs: &[&str]| {
        samples.iter().find_map(|s| {
            let lang = s.get("lang")?.as_str()?.to_ascii_lowercase();
            if !langs.contains(&lang.as_str()) {
                return None;
            }
            let source = s.get("source")?.as_str()?;
            let start = source.find("client.")? + "client.".len();
            let chain: String =
                source[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
            if !source[start + chain.len()..].trim_start().starts_with('(') {
                return None;
            }
            let mut parts: Vec<String> =
                chain.split('.').filter(|p| !p.is_empty()).map(|p| snake_ident(p, "api")).collect();
            if parts.len() < 2 {
                return None;
            }
            let method = parts.pop()?;
            Some((parts, method))
        })
    };
    find(&["python"]).or_else(|| find(&["javascript", "typescript", "node", "js", "ts"]))
}

/// The resource of an operation without an SDK name, from its first tag that shapes navigation:
/// OpenAPI 3.2's tags with a `kind` other than `nav` do not (loading kept it as
/// `x-codegen-kind`). A tag with a `parent` (`x-codegen-parent`) is nested under it, up to 16
/// levels (a cycle stops where it repeats): tag `logs` under `devboxes` is
/// `client.devboxes().logs()`. 3.0 and 3.1 tags have neither, so the first tag is the resource.
pub(super) fn tag_resource(op: &ApiOperation, tags: &[openapiv3::Tag]) -> Option<Vec<String>> {
    let extension = |name: &str, key: &str| {
        let tag = tags.iter().find(|t| t.name == name)?;
        tag.extensions.get(key)?.as_str().map(str::to_owned)
    };
    let nav = |name: &&String| extension(name, "x-codegen-kind").is_none_or(|kind| kind == "nav");
    let first = op.tags.iter().find(nav)?;
    let mut chain = vec![first.clone()];
    while let Some(parent) = extension(chain.last()?, "x-codegen-parent") {
        if chain.len() >= 16 || chain.contains(&parent) {
            break;
        }
        chain.push(parent);
    }
    Some(chain.iter().rev().map(|t| snake_ident(t, "api")).collect())
}

/// The resource of an operation without an SDK name or a tag: the first segment of its path
/// that names something, skipping `api`, version prefixes (`v1`, `v2beta1`, `2023-01-01`) and
/// parameters: `/v1/chat/completions` → `chat`, `/api/v2/{org}/users` → `users`. `None` when the
/// path has no such segment (`/`, `/{id}`).
pub(super) fn path_resource(path: &str) -> Option<String> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.split('/')
        .filter(|s| !s.is_empty() && !s.contains('{'))
        .find(|s| !is_version(s) && !s.eq_ignore_ascii_case("api"))
        .map(|s| snake_ident(s.split('.').next().unwrap_or(s), "api"))
        .filter(|s| s != "api")
}

/// Whether a path segment is a version prefix: `v1`, `V2`, `v1beta`, `v2alpha1`, `1.0`, `2023-01-01`
/// (not `v2ray`).
fn is_version(segment: &str) -> bool {
    let rest = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    let digits = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-').count();
    let stage = rest[digits..].trim_end_matches(|c: char| c.is_ascii_digit());
    digits > 0
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && ["", "alpha", "beta", "preview", "rc"].contains(&stage)
}

/// The struct name of every resource path and its prefixes, made unique in sorted order of the
/// paths (`["a_b"]` → `AB`, then `["a", "b"]` → `AB2`).
pub(super) fn resource_types(ops: &[Operation]) -> BTreeMap<Vec<String>, String> {
    let mut paths = BTreeSet::new();
    for op in ops {
        for depth in 1..=op.resource.len() {
            paths.insert(op.resource[..depth].to_vec());
        }
    }
    let mut used = BTreeSet::new();
    paths
        .into_iter()
        .map(|path| {
            let name = unique(&mut used, &camel_ident(&path.join(" "), "Resource", "Resource"), Style::Camel);
            (path, name)
        })
        .collect()
}

/// Names that the generated `Client` and resource structs use for themselves: the runtime's
/// inherent methods on `Client` (a test keeps the list complete) and those the crate root adds
/// (`from_env`, `builder_from_env`: see `emit::root`), `client` (the resource structs'
/// field), and the methods of the traits they derive (`Clone`, `Debug`), which an inherent method
/// of the same name would shadow (the runtime calls `client.clone()`).
const RESERVED_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "builder_from_env",
    "env_builder",
    "base_url",
    "request",
    "client",
    "clone",
    "fmt",
    "with_options",
];

impl Lowerer<'_> {
    /// Makes method names unique within each resource, and resource names distinct from methods.
    pub(super) fn assign_method_names(&mut self, ops: &mut [Operation]) {
        // Sub-resource names per parent path.
        let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        for op in ops.iter() {
            for depth in 1..=op.resource.len() {
                children.entry(op.resource[..depth - 1].to_vec()).or_default().insert(op.resource[depth - 1].clone());
            }
        }
        // Top-level resources must not collide with the client's own methods.
        for op in ops.iter_mut() {
            if RESERVED_METHODS.contains(&op.resource[0].as_str()) {
                op.resource[0] = format!("{}_api", op.resource[0]);
            }
        }
        let mut taken: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        // Process in a fixed order: by (resource, method, id).
        let mut order: Vec<usize> = (0..ops.len()).collect();
        order.sort_by(|&a, &b| {
            (&ops[a].resource, &ops[a].method_name, &ops[a].id).cmp(&(
                &ops[b].resource,
                &ops[b].method_name,
                &ops[b].id,
            ))
        });
        for i in order {
            let op = &mut ops[i];
            let used = taken.entry(op.resource.clone()).or_default();
            let subs = children.get(&op.resource).cloned().unwrap_or_default();
            let clash = |n: &str, used: &BTreeSet<String>| {
                used.contains(n) || subs.contains(n) || RESERVED_METHODS.contains(&n)
            };
            if clash(&op.method_name, used) {
                let fallback = snake_ident(&op.id, "call");
                let fallback = if clash(&fallback, used) {
                    format!("{}_{}", fallback, op.http_method.as_str().to_ascii_lowercase())
                } else {
                    fallback
                };
                self.warn(
                    &op.pointer,
                    format!(
                        "method name `{}` is taken in resource `{}`; using `{fallback}`",
                        op.method_name,
                        op.resource.join(".")
                    ),
                );
                op.method_name = fallback;
            }
            let name = unique(used, &op.method_name, Style::Snake);
            op.method_name = name;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::path_resource;

    #[test]
    fn resources_from_paths() {
        assert_eq!(path_resource("/v1/chat/completions").as_deref(), Some("chat"));
        assert_eq!(path_resource("/api/v2/{org}/users").as_deref(), Some("users"));
        assert_eq!(path_resource("/v1beta/models/{id}").as_deref(), Some("models"));
        assert_eq!(path_resource("/2023-01-01/reports").as_deref(), Some("reports"));
        assert_eq!(path_resource("/{id}/fine-tunes").as_deref(), Some("fine_tunes"));
        assert_eq!(path_resource("/users.json").as_deref(), Some("users"));
        assert_eq!(path_resource("/v1/vector_stores?beta=true").as_deref(), Some("vector_stores"));
        assert_eq!(path_resource("/v2ray/config").as_deref(), Some("v2ray"));
        assert_eq!(path_resource("/"), None);
        assert_eq!(path_resource("/v1/{id}"), None);
        assert_eq!(path_resource("/api"), None);
    }

    /// Every inherent method the runtime defines on `Client` is reserved: a resource accessor of
    /// the same name would be a duplicate definition.
    #[test]
    fn runtime_client_methods_are_reserved() {
        let found = crate::render::inherent_methods(crate::render::RUNTIME, "Client");
        for name in &found {
            assert!(super::RESERVED_METHODS.contains(&name.as_str()), "`Client::{name}` is not reserved");
        }
        assert!(found.len() >= 5);
    }
}
