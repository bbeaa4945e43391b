//! The report's rules for webhooks: the variants of `webhooks::Event` (behind the `webhooks`
//! feature), compared by the webhook's name in the spec.

use std::collections::{BTreeMap, BTreeSet};

use super::{Bump, Change, Side, push};
use crate::ir::Webhook;

/// Webhooks added, removed or changed. `Event` is `#[non_exhaustive]` with an `Unknown` fallback,
/// so a webhook added is an addition (minor; requests of that name, `Unknown` before, now parse
/// as its variant, as when an enum value is added); a webhook removed, its variant renamed or its
/// payload retyped breaks code that matches on the variant; what tells its requests apart (the
/// headers and body fields they always have) no signature shows (patch).
pub(super) fn webhooks(old: &Side<'_>, new: &Side<'_>, out: &mut Vec<Change>) {
    let before: BTreeMap<&str, &Webhook> = old.ir.webhooks.iter().map(|w| (w.name.as_str(), w)).collect();
    let after: BTreeMap<&str, &Webhook> = new.ir.webhooks.iter().map(|w| (w.name.as_str(), w)).collect();
    let names: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    for name in names {
        let subject = format!("webhook `{name}`");
        match (before.get(name), after.get(name)) {
            (Some(a), None) => {
                push(out, Bump::Major, &subject, format!("removed, with its variant `webhooks::Event::{}`", a.variant))
            }
            (None, Some(b)) => push(
                out,
                Bump::Minor,
                &subject,
                format!(
                    "added: `webhooks::Event::{}(Box<{}>)` (such requests parsed as `Event::Unknown` before)",
                    b.variant,
                    new.show(&b.payload)
                ),
            ),
            (Some(a), Some(b)) => {
                if a.variant != b.variant {
                    let detail =
                        format!("its variant is `webhooks::Event::{}` (was `Event::{}`)", b.variant, a.variant);
                    push(out, Bump::Major, &subject, detail);
                }
                let (x, y) = (old.show(&a.payload), new.show(&b.payload));
                if x != y {
                    push(out, Bump::Major, &subject, format!("its payload is `{y}` (was `{x}`)"));
                }
                if (&a.headers, &a.fields) != (&b.headers, &b.fields) {
                    let shown = |w: &Webhook| format!("headers {:?}, body fields {:?}", w.headers, w.fields);
                    let detail = format!("its requests are told apart by {} (were by {})", shown(b), shown(a));
                    push(out, Bump::Patch, &subject, detail);
                }
            }
            (None, None) => {}
        }
    }
}
