//! The report's rules for security: the client's schemes (each with its `ClientBuilder` method)
//! and what each operation sends, compared by scheme name (indices are per model).

use super::{Bump, Change, push};
use crate::ir::{Ir, OpSecurity, Operation, Scheme, SchemeKind};

/// Schemes added, removed or changed: a method added is an addition (minor); a method removed,
/// renamed, or taking other arguments (basic ↔ one secret, client credentials or not) breaks
/// callers; the rest (the wire place, the variable) no signature shows (patch).
pub(super) fn schemes(old: &Ir, new: &Ir, out: &mut Vec<Change>) {
    let subject = "client";
    let find = |ir: &'_ Ir, name: &str| ir.schemes.iter().find(|s| s.name == name).cloned();
    for a in &old.schemes {
        match find(new, &a.name) {
            None => {
                let bump = if a.method.is_some() { Bump::Major } else { Bump::Patch };
                push(out, bump, subject, format!("security scheme `{}` removed{}", a.name, setter_note(a)));
            }
            Some(b) if b != *a => {
                let shape = |s: &Scheme| (matches!(s.kind, SchemeKind::Basic), s.kind.client_credentials());
                let bump = if (a.method.is_some() && a.method != b.method) || shape(a) != shape(&b) {
                    Bump::Major
                } else if a.method.is_none() && b.method.is_some() {
                    // A method of its own added; `api_key` still sets it.
                    Bump::Minor
                } else {
                    Bump::Patch
                };
                push(out, bump, subject, format!("security scheme `{}` is {:?} (was {:?})", a.name, b, a));
            }
            Some(_) => {}
        }
    }
    for b in new.schemes.iter().filter(|b| find(old, &b.name).is_none()) {
        let bump = if b.method.is_some() { Bump::Minor } else { Bump::Patch };
        push(out, bump, subject, format!("security scheme `{}` added{}", b.name, setter_note(b)));
    }
}

fn setter_note(s: &Scheme) -> String {
    s.method.as_ref().map(|m| format!(" (`ClientBuilder::{m}`)")).unwrap_or_default()
}

/// The schemes an operation sends, by name: alternatives of sets, as text.
fn sent(ir: &Ir, op: &Operation) -> Vec<Vec<String>> {
    let requirements = match &op.security {
        OpSecurity::None => return Vec::new(),
        OpSecurity::Document => &ir.security,
        OpSecurity::Own(own) => own,
    };
    let name = |i: &usize| ir.schemes.get(*i).map_or_else(String::new, |s| s.name.clone());
    requirements.iter().map(|r| r.iter().map(name).collect()).collect()
}

/// An operation sending other credentials: no signature changes (patch).
pub(super) fn operation(old: (&Ir, &Operation), new: (&Ir, &Operation), subject: &str, out: &mut Vec<Change>) {
    let (a, b) = (sent(old.0, old.1), sent(new.0, new.1));
    if a != b {
        let show = |r: &Vec<Vec<String>>| if r.is_empty() { "no credential".to_owned() } else { format!("{r:?}") };
        push(out, Bump::Patch, subject, format!("sends {} (was {})", show(&b), show(&a)));
    }
}
