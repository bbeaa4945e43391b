//! The change report's rules for named types: added and removed types, and what changes inside a
//! struct, an enum, a constants newtype, a union or a multipart body.

use std::collections::{BTreeMap, BTreeSet};

use super::{Bump, Change, Side, push, show};
use crate::ir::*;

fn presence_text(p: Presence) -> &'static str {
    match p {
        Presence::Required => "required",
        Presence::RequiredNullable => "required and nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional and nullable",
    }
}

fn kind_text(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "a string enum",
        TypeKind::Constants(_) => "a newtype with constants",
        TypeKind::Union(u) if u.discriminator.is_some() => "a discriminated union",
        TypeKind::Union(_) => "an untagged union",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::Newtype(_) => "a newtype",
        TypeKind::Multipart(_) => "a multipart body",
    }
}

pub(super) fn types(old: &Side<'_>, new: &Side<'_>, out: &mut Vec<Change>) {
    let names: BTreeSet<&str> = old.types.keys().chain(new.types.keys()).copied().collect();
    for name in names {
        let subject = format!("type `{name}`");
        match (old.types.get(name), new.types.get(name)) {
            (Some(_), None) => push(out, Bump::Major, &subject, "removed"),
            (None, Some(t)) => push(out, Bump::Minor, &subject, format!("added ({})", kind_text(&t.kind))),
            (Some(a), Some(b)) => type_changes(&subject, a, b, old, new, out),
            (None, None) => {}
        }
    }
}

fn type_changes(subject: &str, a: &TypeDef, b: &TypeDef, old: &Side<'_>, new: &Side<'_>, out: &mut Vec<Change>) {
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => struct_changes(subject, (a.id, b.id), x, y, old, new, out),
        (TypeKind::Enum(x), TypeKind::Enum(y)) => enum_changes(subject, x, y, out),
        (TypeKind::Constants(x), TypeKind::Constants(y)) => constants_changes(subject, x, y, out),
        (TypeKind::Union(x), TypeKind::Union(y)) if x.discriminator.is_some() == y.discriminator.is_some() => {
            union_changes(subject, (x, old), (y, new), out)
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) | (TypeKind::Newtype(x), TypeKind::Newtype(y)) => {
            let (x, y) = (old.show(x), new.show(y));
            if x != y {
                push(out, Bump::Major, subject, format!("retyped: `{x}` → `{y}`"));
            }
        }
        (TypeKind::Multipart(x), TypeKind::Multipart(y)) => multipart_changes(subject, (x, old), (y, new), out),
        (x, y) => push(out, Bump::Major, subject, format!("was {}, is {}", kind_text(x), kind_text(y))),
    }
}

/// String enum values added, removed or renamed on the wire, and the fallback renamed.
fn enum_changes(subject: &str, x: &StringEnum, y: &StringEnum, out: &mut Vec<Change>) {
    let before: BTreeMap<&str, &str> = x.variants.iter().map(|(v, w)| (v.as_str(), w.as_str())).collect();
    let after: BTreeMap<&str, &str> = y.variants.iter().map(|(v, w)| (v.as_str(), w.as_str())).collect();
    for (v, w) in &before {
        match after.get(v) {
            None => push(out, Bump::Major, subject, format!("value `{w}` removed (variant `{v}`)")),
            Some(w2) if w2 != w => {
                push(out, Bump::Patch, subject, format!("variant `{v}` is sent as `{w2}` (was `{w}`)"))
            }
            Some(_) => {}
        }
    }
    for (v, w) in &after {
        if !before.contains_key(v) {
            push(
                out,
                Bump::Minor,
                subject,
                format!(
                    "value `{w}` added (variant `{v}`; the enum is `#[non_exhaustive]`, and this value used to arrive as `{}`)",
                    y.fallback
                ),
            );
        }
    }
    if x.fallback != y.fallback {
        push(out, Bump::Major, subject, format!("fallback variant renamed `{}` → `{}`", x.fallback, y.fallback));
    }
}

/// Constants added or removed, or the base type changed.
fn constants_changes(subject: &str, x: &Constants, y: &Constants, out: &mut Vec<Change>) {
    if x.base != y.base {
        // Bases are scalars, never named types: no store is needed to show them.
        let (a, b) = (show(&x.base, &Types::default()), show(&y.base, &Types::default()));
        push(out, Bump::Major, subject, format!("retyped: `{a}` → `{b}`"));
        return;
    }
    // JSON-valued constants are listed in docs only; integer constants that do not fit
    // the base type are skipped by the emitter.
    let emitted = |c: &Constants| -> BTreeMap<String, String> {
        if matches!(c.base, Ty::Json) {
            return BTreeMap::new();
        }
        c.values
            .iter()
            .filter(|(_, v)| match (&c.base, v) {
                (Ty::Int(k), serde_json::Value::Number(n)) => k.fits(n),
                _ => true,
            })
            .map(|(n, v)| (n.clone(), v.to_string()))
            .collect()
    };
    let (before, after) = (emitted(x), emitted(y));
    for (n, v) in &before {
        if !after.contains_key(n) {
            push(out, Bump::Major, subject, format!("value `{v}` removed (constant `{n}`)"));
        }
    }
    for (n, v) in &after {
        if !before.contains_key(n) {
            push(out, Bump::Minor, subject, format!("value `{v}` added (constant `{n}`)"));
        }
    }
}

/// Variants added, removed, retyped or selected by other tags, and the fallback renamed.
fn union_changes(subject: &str, (x, old): (&Union, &Side<'_>), (y, new): (&Union, &Side<'_>), out: &mut Vec<Change>) {
    let open = y.discriminator.is_some();
    let before: BTreeMap<&str, &Variant> = x.variants.iter().map(|v| (v.name.as_str(), v)).collect();
    let after: BTreeMap<&str, &Variant> = y.variants.iter().map(|v| (v.name.as_str(), v)).collect();
    for (n, v) in &before {
        match after.get(n) {
            None => push(out, Bump::Major, subject, format!("variant `{n}` removed")),
            Some(w) if old.show(&v.ty) != new.show(&w.ty) => push(
                out,
                Bump::Major,
                subject,
                format!("variant `{n}` retyped: `{}` → `{}`", old.show(&v.ty), new.show(&w.ty)),
            ),
            Some(w) if w.tags != v.tags => {
                let quoted = |tags: Vec<&String>| tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
                let gone = quoted(v.tags.iter().filter(|t| !w.tags.contains(t)).collect());
                let new = quoted(w.tags.iter().filter(|t| !v.tags.contains(t)).collect());
                if !gone.is_empty() {
                    let detail = format!(
                        "variant `{n}` is no longer selected by {gone}: those values decode as `{}`",
                        y.fallback
                    );
                    push(out, Bump::Major, subject, detail);
                }
                if !new.is_empty() {
                    let detail = format!(
                        "variant `{n}` is also selected by {new}: values that decoded as `{}` move to it",
                        x.fallback
                    );
                    push(out, Bump::Minor, subject, detail);
                }
            }
            Some(_) => {}
        }
    }
    for n in after.keys().filter(|n| !before.contains_key(*n)) {
        if open {
            push(out, Bump::Minor, subject, format!("variant `{n}` added (the enum is `#[non_exhaustive]`)"));
        } else {
            push(
                out,
                Bump::Major,
                subject,
                format!("variant `{n}` added to an untagged union: an exhaustive `match` must handle it"),
            );
        }
    }
    if open && x.fallback != y.fallback {
        push(out, Bump::Major, subject, format!("fallback variant renamed `{}` → `{}`", x.fallback, y.fallback));
    }
}

/// Parts of a multipart body added, removed, retyped or made required/optional.
fn multipart_changes(
    subject: &str,
    (x, old): (&Multipart, &Side<'_>),
    (y, new): (&Multipart, &Side<'_>),
    out: &mut Vec<Change>,
) {
    let kind = |k: &PartKind, side: &Side<'_>| match k {
        PartKind::Value(t) => side.show(t),
        PartKind::File => "FilePart".to_owned(),
        PartKind::Files => "Vec<FilePart>".to_owned(),
    };
    for a in &x.fields {
        match y.fields.iter().find(|b| b.wire == a.wire) {
            None => push(out, Bump::Major, subject, format!("part `{}` removed", a.wire)),
            Some(b) if kind(&a.kind, old) != kind(&b.kind, new) => {
                push(out, Bump::Major, subject, format!("part `{}` retyped", a.wire))
            }
            Some(b) if a.required != b.required => {
                let now = if b.required { "required" } else { "optional" };
                push(out, Bump::Major, subject, format!("part `{}` is {now}", a.wire));
            }
            Some(_) => {}
        }
    }
    for b in y.fields.iter().filter(|b| !x.fields.iter().any(|a| a.wire == b.wire)) {
        let (bump, what) = if b.required { (Bump::Major, "required") } else { (Bump::Minor, "optional") };
        push(out, bump, subject, format!("{what} part `{}` added", b.wire));
    }
}

/// Who a breaking change of a struct breaks, said after it: nothing to add for a type callers
/// send; for a type only responses use, that it breaks code that builds it, not code that reads it.
fn who_breaks(sent: bool) -> &'static str {
    if sent {
        ""
    } else {
        " (only responses use this type: this breaks code that builds it, such as tests, not code that reads it)"
    }
}

fn struct_changes(
    subject: &str,
    (was, is): (TypeId, TypeId),
    x: &Struct,
    y: &Struct,
    old: &Side<'_>,
    new: &Side<'_>,
    out: &mut Vec<Change>,
) {
    let request = new.facts.is_sent(is);
    let who = who_breaks(request);
    let before: BTreeMap<&str, &Field> = x.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let after: BTreeMap<&str, &Field> = y.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    // What `new` asks for and whether there is `Default`: the emitter's facts, on each side.
    let takes =
        |side: &Side<'_>, s: &Struct, n: &str| side.facts.new_args(s).is_some_and(|a| a.iter().any(|f| f.name == n));
    for (n, f) in &before {
        let Some(g) = after.get(n) else {
            push(out, Bump::Major, subject, format!("field `{n}` removed"));
            continue;
        };
        let (tf, tg) = (old.show(&f.ty), new.show(&g.ty));
        if tf != tg {
            push(out, Bump::Major, subject, format!("field `{n}` retyped: `{tf}` → `{tg}`"));
        }
        let (took, takes_now) = (takes(old, x, n), takes(new, y, n));
        if f.presence() != g.presence() {
            let mut detail =
                format!("field `{n}` is {} (was {})", presence_text(g.presence()), presence_text(f.presence()));
            if took != takes_now {
                detail.push_str(if takes_now { ": `new` takes it" } else { ": `new` no longer takes it" });
            }
            if g.required && !f.required {
                if request {
                    detail.push_str(if takes_now {
                        " and its `with_*` setter is gone"
                    } else {
                        ": its `with_*` setter is gone"
                    });
                }
                detail.push_str(who);
            }
            push(out, Bump::Major, subject, detail);
        } else if took != takes_now {
            // Still required, but its type holds one value now, or more than one: `new` fills it
            // in, or asks for it.
            let detail = if takes_now {
                format!("field `{n}` holds more than one value now: `new` takes it{who}")
            } else {
                format!("field `{n}` holds one value now, which `new` fills in: `new` no longer takes it{who}")
            };
            push(out, Bump::Major, subject, detail);
        }
    }
    new_order_changes(subject, (x, old), (y, new), who, out);
    added_fields(subject, (&before, &after), (y, new), (request, who), out);
    struct_impl_changes(subject, (was, is), x, y, old, new, out);
}

/// `new`'s arguments are positional: the fields it kept must keep their order.
fn new_order_changes(
    subject: &str,
    (x, old): (&Struct, &Side<'_>),
    (y, new): (&Struct, &Side<'_>),
    who: &str,
    out: &mut Vec<Change>,
) {
    if let (Some(a), Some(b)) = (old.facts.new_args(x), new.facts.new_args(y)) {
        let a: Vec<&str> = a.iter().map(|f| f.name.as_str()).collect();
        let b: Vec<&str> = b.iter().map(|f| f.name.as_str()).collect();
        let kept_a: Vec<&str> = a.iter().filter(|n| b.contains(n)).copied().collect();
        let kept_b: Vec<&str> = b.iter().filter(|n| a.contains(n)).copied().collect();
        if kept_a != kept_b {
            let detail = format!("`new` takes ({}) (was ({})){who}", b.join(", "), a.join(", "));
            push(out, Bump::Major, subject, detail);
        }
    }
}

/// Fields added: a required one `new` takes breaks its callers; one it fills in (a single
/// possible value) and optional ones are compatible.
fn added_fields(
    subject: &str,
    (before, after): (&BTreeMap<&str, &Field>, &BTreeMap<&str, &Field>),
    (y, new): (&Struct, &Side<'_>),
    (request, who): (bool, &str),
    out: &mut Vec<Change>,
) {
    let takes = |n: &str| new.facts.new_args(y).is_some_and(|a| a.iter().any(|f| f.name == n));
    for (n, g) in after {
        if before.contains_key(n) {
            continue;
        }
        if g.required && takes(n) {
            push(out, Bump::Major, subject, format!("required field `{n}` added: `new` takes it{who}"));
        } else if g.required {
            // One possible value: `new` fills it in, and nothing a caller writes changes.
            push(
                out,
                Bump::Minor,
                subject,
                format!("required field `{n}` added, which `new` fills in (it holds one value)"),
            );
        } else {
            let setter = if request { " with a `with_*` setter" } else { "" };
            push(
                out,
                Bump::Minor,
                subject,
                format!("optional field `{n}` added{setter} (the struct is `#[non_exhaustive]`)"),
            );
        }
    }
}

/// What a struct implements and keeps beside its fields: additional properties, `Default`, `Eq`,
/// and the `with_*` setters of a type used in requests.
fn struct_impl_changes(
    subject: &str,
    (was, is): (TypeId, TypeId),
    x: &Struct,
    y: &Struct,
    old: &Side<'_>,
    new: &Side<'_>,
    out: &mut Vec<Change>,
) {
    let request = new.facts.is_sent(is);
    let was_request = old.facts.is_sent(was);
    let who = who_breaks(request);
    match (&x.additional, &y.additional) {
        (None, Some(_)) => push(out, Bump::Minor, subject, "keeps additional properties now"),
        (Some(_), None) => push(out, Bump::Major, subject, "no longer keeps additional properties"),
        (Some((_, a)), Some((_, b))) if old.show(a) != new.show(b) => {
            let (a, b) = (old.show(a), new.show(b));
            push(out, Bump::Major, subject, format!("additional properties retyped: `{a}` → `{b}`"))
        }
        _ => {}
    }
    match (old.facts.default_impl(x).is_some(), new.facts.default_impl(y).is_some()) {
        (true, false) => push(out, Bump::Major, subject, format!("no longer implements `Default`{who}")),
        (false, true) => push(out, Bump::Minor, subject, "implements `Default` now"),
        _ => {}
    }
    match (old.derives_eq(x), new.derives_eq(y)) {
        (true, false) => {
            push(out, Bump::Major, subject, "no longer implements `Eq` (a field holds a float or JSON now)")
        }
        (false, true) => push(out, Bump::Minor, subject, "implements `Eq` now"),
        _ => {}
    }
    let optional = y.fields.iter().any(|f| !f.required);
    let had_optional = x.fields.iter().any(|f| !f.required);
    if was_request && !request && had_optional {
        push(out, Bump::Major, subject, "no longer used in requests: its `with_*` setters are gone");
    } else if !was_request && request && optional {
        push(out, Bump::Minor, subject, "used in requests now: `with_*` setters added");
    }
}
