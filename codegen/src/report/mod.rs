//! Report: what regenerating from a changed spec does to the generated crate's public API.
//!
//! The comparison is of two lowered [`Ir`]s, never of text: a type, field, variant or method is
//! matched by its Rust name, because that is what users' code names. Each change gets the semver
//! level it needs for Rust callers of the generated crate ([`Bump`]): **breaking** (major) when
//! code that compiled against the old crate may not compile against the new one, compatible
//! otherwise — an addition (minor) or a change that no signature shows (patch: a new path, a
//! wire value, documented error statuses).
//!
//! The rules follow from what the emitter generates (see `emit/types.rs` and `emit/resources.rs`):
//!
//! | change | verdict | why |
//! | --- | --- | --- |
//! | type added / removed | compatible (minor) / breaking | |
//! | type changes kind (struct ↔ enum, alias target) | breaking | |
//! | optional field added | compatible (minor) | structs are `#[non_exhaustive]`: no user writes a literal |
//! | required field added | breaking | `new` takes one more argument; `Default` may go |
//! | field removed, retyped, required ↔ optional | breaking | field type or `new` changes |
//! | required field's type holds one value ↔ more (a one-value enum gains or loses values) | breaking | `new` fills it in ↔ takes it |
//! | required fields reordered | breaking | `new`'s arguments are positional |
//! | string enum value added / removed | compatible (minor) / breaking | `#[non_exhaustive]` with an `Unknown` fallback |
//! | discriminated union variant added | compatible (minor) | `#[non_exhaustive]` with an `Unknown` fallback |
//! | discriminator value added to a variant (a `mapping` entry, or a value its tag property allows) | compatible (minor) | values that decoded as `Unknown` decode as the variant, as when an enum value is added |
//! | discriminator value removed from a variant | breaking | values that decoded as the variant decode as `Unknown` |
//! | untagged union variant added | breaking | exhaustive: a `match` must handle it |
//! | constant added / removed | compatible (minor) / breaking | associated constants of a newtype |
//! | struct loses `Eq` / `Default` | breaking | derived traits go |
//! | type no longer built by callers | breaking | its `with_*` setters go |
//! | operation added / removed | compatible (minor) / breaking | a method (and maybe a resource accessor) |
//! | path parameter or body added, removed, retyped or reordered | breaking | the method's signature |
//! | path parameter renamed (same place and type) | compatible (patch) | positional: callers' code is unchanged |
//! | query/header parameter added optional | compatible (minor) | a new setter on the operation's request type |
//! | query/header parameter added required, removed, retyped, made required or optional (moved between the arguments and the setters), required ones reordered | breaking | the method's arguments or the request type's setters |
//! | request type renamed (its `operationId` changed) | breaking | the method's return type |
//! | response retyped | breaking | the method's return type |
//! | operation deprecated | compatible (minor) | a warning, not an error |
//! | security scheme added / removed (one with its own `ClientBuilder` method) | compatible (minor) / breaking | a builder method |
//! | security scheme gains a method of its own (it is no longer the only key: `api_key` still sets it) | compatible (minor) | a builder method |
//! | security scheme's method renamed or removed, or its credential's shape changed (basic ↔ key, client credentials or not) | breaking | the method's name or arguments |
//! | HTTP method or path, media type, error statuses, retry flags, the credentials an operation sends, where a scheme's credential goes | compatible (patch) | no signature changes |
//! | webhook added / removed, its `Event` variant renamed or payload retyped | compatible (minor) / breaking | `Event` is `#[non_exhaustive]` with an `Unknown` fallback; a `match` names the variant |
//! | what tells a webhook's requests apart (headers, body fields) | compatible (patch) | no signature changes |
//!
//! A required field added to a type only responses use breaks code that *builds* that type (tests
//! and mocks, through `new` or `Default`), not code that reads responses; the verdict is still
//! breaking, because Cargo would otherwise hand that code the new version in a `cargo update`.
//! The change says who is affected.
//!
//! String enums order by wire value, not declaration order, so an added value does not reorder
//! the others either (with a derived `Ord` it did: `cargo semver-checks` warned
//! `partial_ord_enum_variants_reordered`). SEMVER.md at the repository root has the comparison
//! with `cargo semver-checks`.

use std::collections::{BTreeMap, BTreeSet};

mod security;
mod types;
mod webhooks;

use crate::facts::Facts;
use crate::ir::*;
use types::types;

/// The semver level a change needs, lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Nothing in the public API changes.
    Patch,
    /// Additions only: code that compiled still compiles.
    Minor,
    /// Code that compiled may not compile any more.
    Major,
}

impl Bump {
    /// `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    /// `version` bumped by this level under Cargo's rules: in `0.y.z` a breaking change bumps `y`
    /// and anything else bumps `z`; in `0.0.z` everything bumps `z`. Pre-release and build
    /// suffixes are dropped.
    pub fn apply(self, version: &str) -> Result<String, String> {
        let core = version.split(['-', '+']).next().unwrap_or("");
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("version `{version}` is not MAJOR.MINOR.PATCH"))?;
        let [major, minor, patch] = parts[..] else {
            return Err(format!("version `{version}` is not MAJOR.MINOR.PATCH"));
        };
        let next = |n: u64| n.checked_add(1).ok_or_else(|| format!("version `{version}` cannot be bumped"));
        let (major, minor, patch) = match (self, major, minor) {
            (_, 0, 0) => (0, 0, next(patch)?),
            (Self::Major, 0, _) => (0, next(minor)?, 0),
            (_, 0, _) => (0, minor, next(patch)?),
            (Self::Major, _, _) => (next(major)?, 0, 0),
            (Self::Minor, _, _) => (major, next(minor)?, 0),
            (Self::Patch, _, _) => (major, minor, next(patch)?),
        };
        Ok(format!("{major}.{minor}.{patch}"))
    }
}

/// One change of the public API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The level it needs; [`Bump::Major`] is a breaking change.
    pub bump: Bump,
    /// What changed: ``type `Devbox` ``, ``operation `client.devboxes().create()` ``.
    pub subject: String,
    /// How, and what it means for callers.
    pub detail: String,
}

impl Change {
    /// Code that compiled against the old crate may not compile against the new one.
    pub fn is_breaking(&self) -> bool {
        self.bump == Bump::Major
    }

    fn line(&self) -> String {
        let verdict = if self.is_breaking() { "**breaking**" } else { "**compatible**" };
        format!("- {verdict} {}: {}", self.subject, self.detail)
    }
}

/// What a regeneration changes in the generated crate's public API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes: types (by name), then operations (by resource and method), then the client.
    pub changes: Vec<Change>,
}

impl Report {
    /// The level the whole change needs: the highest of its changes, patch when there are none.
    pub fn semver(&self) -> Bump {
        self.changes.iter().map(|c| c.bump).max().unwrap_or(Bump::Patch)
    }

    /// The changes as Markdown list items, breaking ones first; "No changes to the public API."
    /// when there are none.
    pub fn changes_markdown(&self) -> String {
        if self.changes.is_empty() {
            return "No changes to the public API.\n".into();
        }
        let mut out = String::new();
        let (breaking, compatible): (Vec<&Change>, Vec<&Change>) = self.changes.iter().partition(|c| c.is_breaking());
        if !breaking.is_empty() {
            out.push_str(&format!("### Breaking ({})\n\n", breaking.len()));
            breaking.iter().for_each(|c| out.push_str(&(c.line() + "\n")));
            out.push('\n');
        }
        if !compatible.is_empty() {
            out.push_str(&format!("### Compatible ({})\n\n", compatible.len()));
            compatible.iter().for_each(|c| out.push_str(&(c.line() + "\n")));
            out.push('\n');
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// The whole report as Markdown under `title`; its last line is exactly `semver: major`,
    /// `semver: minor` or `semver: patch`.
    pub fn markdown(&self, title: &str) -> String {
        format!("## {title}\n\n{}\nsemver: {}\n", self.changes_markdown(), self.semver().as_str())
    }
}

/// What the rules need to know about one side.
struct Side<'a> {
    ir: &'a Ir,
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// The store `types` and the type expressions of this side refer into.
    store: &'a Types,
    /// What the emitter decides from the same model: setters, `Eq`.
    facts: Facts<'a>,
}

impl<'a> Side<'a> {
    fn new(ir: &'a Ir) -> Self {
        let types = ir.types.iter().map(|t| (t.name.as_str(), t)).collect();
        Self { ir, types, store: &ir.types, facts: Facts::of(ir) }
    }

    /// A type expression of this side as Rust-like text. Type expressions of the two sides
    /// compare by it: named types are the same type when they have the same name (ids are
    /// per model).
    fn show(&self, t: &Ty) -> String {
        show(t, self.store)
    }

    /// What awaiting an operation of this side gives, as its Rust type reads.
    fn output(&self, success: &Success) -> String {
        output(success, self.store)
    }

    fn derives_eq(&self, s: &Struct) -> bool {
        self.facts.derives_eq(s)
    }
}

/// Compares the public API generated from `old` with the one generated from `new`.
pub(crate) fn compare(old: &Ir, new: &Ir) -> Report {
    let old = Side::new(old);
    let new = Side::new(new);
    let mut changes = Vec::new();
    types(&old, &new, &mut changes);
    operations(&old, &new, &mut changes);
    client(&old, &new, &mut changes);
    webhooks::webhooks(&old, &new, &mut changes);
    Report { changes }
}

fn push(out: &mut Vec<Change>, bump: Bump, subject: &str, detail: impl Into<String>) {
    out.push(Change { bump, subject: subject.to_owned(), detail: detail.into() });
}

/// A type expression as Rust-like text, for the report.
fn show(t: &Ty, types: &Types) -> String {
    match t {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(k) => k.rust_name().into(),
        Ty::Float => "f64".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::JsonObject => "serde_json::Map<String, Value>".into(),
        Ty::Unit => "()".into(),
        Ty::Named(id) => types.name(*id).to_owned(),
        Ty::Vec(i) => format!("Vec<{}>", show(i, types)),
        Ty::Map(i) => format!("BTreeMap<String, {}>", show(i, types)),
        Ty::Option(i) => format!("Option<{}>", show(i, types)),
        Ty::Box(i) => format!("Box<{}>", show(i, types)),
        Ty::Bytes => "Vec<u8>".into(),
        Ty::DateTime => "chrono::DateTime<Utc>".into(),
        Ty::Date => "chrono::NaiveDate".into(),
        Ty::Uuid => "uuid::Uuid".into(),
    }
}

/// What awaiting an operation gives, as its Rust type reads.
fn output(success: &Success, types: &Types) -> String {
    match success {
        Success::Empty => "()".to_owned(),
        Success::Json(t) => show(t, types),
        Success::Text => "String".to_owned(),
        Success::EventStream(EventData::Json(t) | EventData::Envelope(t)) => {
            format!("EventStream<{}>", show(t, types))
        }
        Success::EventStream(EventData::Text) => "EventStream<String>".to_owned(),
        Success::JsonLines(t) => format!("JsonLines<{}>", show(t, types)),
        Success::Parts(PartItem::Json(t)) => format!("PartStream<{}>", show(t, types)),
        Success::Parts(PartItem::Text) => "PartStream<String>".to_owned(),
        Success::Parts(PartItem::Bytes) => "PartStream<Vec<u8>>".to_owned(),
        Success::Binary => "Download".to_owned(),
    }
}

/// `client.devboxes().executions().get()`.
fn call(op: &Operation) -> String {
    let mut s = "client".to_owned();
    for r in &op.resource {
        s.push_str(&format!(".{r}()"));
    }
    format!("{s}.{}()", op.method_name)
}

/// The first resource accessor that exists in `a` and not in `b`, for an operation of `a`:
/// `client.devbox()` when the last operation under `devbox` goes.
fn lone_resource(op: &Operation, a: &Ir, b: &Ir) -> Option<String> {
    (1..=op.resource.len())
        .map(|depth| &op.resource[..depth])
        .find(|prefix| {
            !b.operations.iter().any(|o| o.resource.starts_with(prefix))
                && a.operations.iter().any(|o| o.resource.starts_with(prefix))
        })
        .map(|prefix| format!("`client.{}`", prefix.iter().map(|r| format!("{r}()")).collect::<Vec<_>>().join(".")))
}

fn operations(old: &Side<'_>, new: &Side<'_>, out: &mut Vec<Change>) {
    let key = |o: &Operation| (o.resource.clone(), o.method_name.clone());
    let before: BTreeMap<_, &Operation> = old.ir.operations.iter().map(|o| (key(o), o)).collect();
    let after: BTreeMap<_, &Operation> = new.ir.operations.iter().map(|o| (key(o), o)).collect();
    let keys: BTreeSet<_> = before.keys().chain(after.keys()).cloned().collect();
    for k in keys {
        match (before.get(&k), after.get(&k)) {
            (Some(a), None) => push(
                out,
                Bump::Major,
                &format!("operation `{}`", call(a)),
                format!(
                    "removed (`{} {}`){}{}",
                    a.http_method,
                    a.path_template(),
                    with_request(a),
                    lone_resource(a, old.ir, new.ir).map(|r| format!("; so is the resource {r}")).unwrap_or_default()
                ),
            ),
            (None, Some(b)) => push(
                out,
                Bump::Minor,
                &format!("operation `{}`", call(b)),
                format!(
                    "added (`{} {}`){}{}",
                    b.http_method,
                    b.path_template(),
                    with_request(b),
                    lone_resource(b, new.ir, old.ir)
                        .map(|r| format!(", under the new resource {r}"))
                        .unwrap_or_default()
                ),
            ),
            (Some(a), Some(b)) => operation_changes((a, old), (b, new), out),
            (None, None) => {}
        }
    }
}

/// The request type that comes and goes with an operation.
fn with_request(op: &Operation) -> String {
    format!(", with its request type `{}`", op.request_type)
}

fn operation_changes((a, old): (&Operation, &Side<'_>), (b, new): (&Operation, &Side<'_>), out: &mut Vec<Change>) {
    let subject = format!("operation `{}`", call(b));
    let subject = subject.as_str();
    let (pa, pb) = (a.path_template(), b.path_template());
    if a.http_method != b.http_method || pa != pb {
        push(out, Bump::Patch, subject, format!("sends `{} {pb}` (was `{} {pa}`)", b.http_method, a.http_method));
    }
    path_params_changes(subject, (a, old), (b, new), out);
    body_changes(subject, (a, old), (b, new), out);
    if a.request_type != b.request_type {
        push(out, Bump::Major, subject, format!("returns a `{}` (was `{}`)", b.request_type, a.request_type));
    }
    params_changes(subject, (a, old), (b, new), out);
    let (sa, sb) = (old.output(&a.success), new.output(&b.success));
    if sa != sb {
        push(out, Bump::Major, subject, format!("response retyped: `{sa}` → `{sb}`"));
    } else if std::mem::discriminant(&a.success) != std::mem::discriminant(&b.success) {
        push(out, Bump::Patch, subject, "decodes its response differently");
    }
    let statuses = |o: &Operation| o.errors.iter().map(|e| e.status.to_string()).collect::<Vec<_>>();
    if statuses(a) != statuses(b) {
        push(
            out,
            Bump::Patch,
            subject,
            format!("documented error statuses are {:?} (were {:?})", statuses(b), statuses(a)),
        );
    }
    if !a.deprecated && b.deprecated {
        push(out, Bump::Minor, subject, "deprecated");
    } else if a.deprecated && !b.deprecated {
        push(out, Bump::Patch, subject, "no longer deprecated");
    }
    let (fa, fb) = (old.facts.operation(a), new.facts.operation(b));
    if fa.retry != fb.retry {
        push(
            out,
            Bump::Patch,
            subject,
            if fb.idempotent() { "retried as idempotent now" } else { "no longer idempotent" },
        );
    }
    security::operation((old.ir, a), (new.ir, b), subject, out);
}

/// Path parameters are positional arguments: a different number, type or order changes what
/// callers pass; a new name in the same place changes nothing they write. Types are shown (named
/// types by name: ids are per model).
fn path_params_changes(
    subject: &str,
    (a, old): (&Operation, &Side<'_>),
    (b, new): (&Operation, &Side<'_>),
    out: &mut Vec<Change>,
) {
    let positional = |o: &Operation, side: &Side<'_>| -> Vec<(String, String)> {
        let path = o.params.iter().filter(|p| p.location == ParamLocation::Path);
        path.map(|p| (p.name.clone(), side.show(&p.ty))).collect()
    };
    let (xa, xb) = (positional(a, old), positional(b, new));
    if xa != xb {
        let renamed = xa.len() == xb.len()
            && xa.iter().zip(&xb).all(|((n, t), (m, u))| {
                t == u && (n == m || !(xa.iter().any(|(x, _)| x == m) || xb.iter().any(|(x, _)| x == n)))
            });
        if renamed {
            for ((n, _), (m, _)) in xa.iter().zip(&xb).filter(|((n, _), (m, _))| n != m) {
                push(out, Bump::Patch, subject, format!("path parameter `{n}` renamed `{m}` (same place and type)"));
            }
        } else {
            let list =
                |v: &[(String, String)]| v.iter().map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>().join(", ");
            push(out, Bump::Major, subject, format!("path parameters are ({}) (were ({}))", list(&xb), list(&xa)));
        }
    }
}

/// The request body: added, removed, retyped, or sent as another media type.
fn body_changes(
    subject: &str,
    (a, old): (&Operation, &Side<'_>),
    (b, new): (&Operation, &Side<'_>),
    out: &mut Vec<Change>,
) {
    match (&a.body, &b.body) {
        (None, Some(body)) => {
            push(out, Bump::Major, subject, format!("takes a request body now (`{}`)", new.show(&body.kind.ty())))
        }
        (Some(_), None) => push(out, Bump::Major, subject, "no longer takes a request body"),
        (Some(x), Some(y)) => {
            let (tx, ty) = (old.show(&x.kind.ty()), new.show(&y.kind.ty()));
            if tx != ty {
                push(out, Bump::Major, subject, format!("request body retyped: `{tx}` → `{ty}`"));
            } else if x.media_type != y.media_type || std::mem::discriminant(&x.kind) != std::mem::discriminant(&y.kind)
            {
                push(
                    out,
                    Bump::Patch,
                    subject,
                    format!("sends its body as `{}` (was `{}`)", y.media_type, x.media_type),
                );
            }
        }
        (None, None) => {}
    }
}

/// Query and header parameters: required ones are positional arguments after the path
/// parameters, optional ones setters of the request type, so only adding an optional one is
/// compatible.
fn params_changes(
    subject: &str,
    (a, old): (&Operation, &Side<'_>),
    (b, new): (&Operation, &Side<'_>),
    out: &mut Vec<Change>,
) {
    let named = |o: &Operation| -> BTreeMap<String, Param> {
        o.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| (p.name.clone(), p.clone())).collect()
    };
    let (before, after) = (named(a), named(b));
    let mut breaking = false;
    let mut major = |out: &mut Vec<Change>, detail: String| {
        breaking = true;
        push(out, Bump::Major, subject, detail);
    };
    for (n, p) in &before {
        let Some(q) = after.get(n) else {
            let how = if p.required { "a positional argument" } else { "its setter is gone" };
            major(out, format!("parameter `{n}` removed ({how})"));
            continue;
        };
        let (tp, tq) = (old.show(&p.ty), new.show(&q.ty));
        if tp != tq {
            major(out, format!("parameter `{n}` retyped: `{tp}` → `{tq}`"));
        }
        if p.required != q.required {
            major(
                out,
                if q.required {
                    format!("parameter `{n}` is required now (a positional argument; its setter `{n}` is gone)")
                } else {
                    format!("parameter `{n}` is optional now (set by name with `.{n}(…)`, no longer an argument)")
                },
            );
        }
    }
    for (n, q) in &after {
        if !before.contains_key(n) {
            if q.required {
                major(out, format!("required parameter `{n}` added (a positional argument)"));
            } else {
                push(out, Bump::Minor, subject, format!("optional parameter `{n}` added (set by name with `.{n}(…)`)"));
            }
        }
    }
    let order = |o: &Operation| -> Vec<String> {
        o.positional_params().filter(|p| p.location != ParamLocation::Path).map(|p| p.name.clone()).collect()
    };
    if !breaking && order(a) != order(b) {
        let (x, y) = (order(a).join(", "), order(b).join(", "));
        push(out, Bump::Major, subject, format!("required parameters are in the order ({y}) (were ({x}))"));
    }
}

fn client(old: &Side<'_>, new: &Side<'_>, out: &mut Vec<Change>) {
    let subject = "client";
    if old.ir.base_url != new.ir.base_url {
        push(
            out,
            Bump::Patch,
            subject,
            format!("default base URL is {:?} (was {:?})", new.ir.base_url, old.ir.base_url),
        );
    }
    security::schemes(old.ir, new.ir, out);
}

#[cfg(test)]
mod tests {
    use super::Bump;

    #[test]
    fn bumps_follow_cargo() {
        let cases = [
            (Bump::Major, "0.1.0", "0.2.0"),
            (Bump::Minor, "0.1.0", "0.1.1"),
            (Bump::Patch, "0.1.3", "0.1.4"),
            (Bump::Major, "0.0.3", "0.0.4"),
            (Bump::Minor, "0.0.3", "0.0.4"),
            (Bump::Major, "1.2.3", "2.0.0"),
            (Bump::Minor, "1.2.3", "1.3.0"),
            (Bump::Patch, "1.2.3", "1.2.4"),
            (Bump::Patch, "1.2.3-beta.1", "1.2.4"),
        ];
        for (bump, from, to) in cases {
            assert_eq!(bump.apply(from).unwrap(), to, "{bump:?} {from}");
        }
        assert!(Bump::Minor.apply("1.2").is_err());
        assert!(Bump::Minor.apply("x.1.2").is_err());
    }
}
