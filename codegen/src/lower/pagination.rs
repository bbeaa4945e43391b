//! Pagination: which list operations are paged, and how their pages are walked.
//!
//! A pass over the lowered operations and types (so field names and types are final). The
//! `x-pagination` extension on an operation decides when present; otherwise, for `GET`
//! operations whose success is a JSON array or an object with an array field, the first rule
//! that matches:
//!
//! | rule | when | next page |
//! |---|---|---|
//! | `link` | the success response documents a `Link` header (GitHub) | the `rel="next"` URL |
//! | `after_last` | a query parameter `starting_after`/`after`/… and items with an `id` | the last item's `id` (Runloop, Stripe, OpenAI) |
//! | `token` | a query parameter `page_token`/`cursor`/… and a response field `next_page_token`/`next_cursor`/… | that field's value |
//! | `offset` | a query parameter `offset`/`skip` | previous offset + items received |
//! | `page` | a query parameter `page`/`page_number` | previous page + 1 |
//!
//! Every style also stops on an empty page and on a `has_more`/`hasMore`/… field that is `false`.
//! The items are the response itself when it is an array, else its only array field, else the
//! array field named `data`, `items`, `results`, … .
//!
//! The extension's shape (every key but `style` optional; what is left out is detected as above):
//!
//! ```yaml
//! x-pagination:
//!   style: after_last   # after_last | token | offset | page | link
//!   param: starting_after  # the query parameter carrying the cursor, offset or page
//!   items: devboxes     # the response field holding the items (none: the response is the array)
//!   cursor: id          # after_last: the item field whose value is sent
//!   next: next_page_token  # token: the response field holding the next token
//!   has_more: has_more  # a boolean response field; false ends the list
//! ```
//!
//! `x-pagination: false` marks an operation as not paged whatever the heuristics say.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::error::Pointer;
use crate::ir::*;

/// What lowering an operation found out for this pass.
#[derive(Clone, Debug)]
pub(super) struct PageHint {
    /// The operation's `x-pagination`, if any.
    pub(super) extension: Option<Value>,
    /// Whether its success response documents a `Link` header.
    pub(super) link_header: bool,
    /// Where the operation is.
    pub(super) at: Pointer,
}

const AFTER_PARAMS: &[&str] = &["starting_after", "startingAfter", "after", "after_id", "afterId"];
const TOKEN_PARAMS: &[&str] = &[
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "next_page_token",
    "nextPageToken",
    "cursor",
    "page_cursor",
    "continuation_token",
    "continuationToken",
    "pagination_token",
    "paginationToken",
    "marker",
];
const NEXT_FIELDS: &[&str] = &[
    "next_page_token",
    "nextPageToken",
    "next_cursor",
    "nextCursor",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "pagination_token",
    "paginationToken",
    "next_marker",
    "nextMarker",
    "cursor",
];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
const HAS_MORE_FIELDS: &[&str] = &["has_more", "hasMore", "has_next", "hasNext", "has_next_page", "hasNextPage"];
const ITEM_FIELDS: &[&str] = &["data", "items", "results", "entries", "records", "values", "elements", "list"];

/// Decides `pagination` for every operation.
pub(super) fn detect(types: &Types, ops: &mut [Operation], hints: &HashMap<String, PageHint>, diag: &mut Diagnostics) {
    for op in ops.iter_mut() {
        let Some(hint) = hints.get(&op.id) else { continue };
        op.pagination = match &hint.extension {
            Some(Value::Bool(false)) => None,
            Some(ext) => match declared(op, ext, types) {
                Ok(p) => Some(p),
                Err(message) => {
                    diag.warn(&hint.at.push("x-pagination"), format!("{message}; the operation is not paged"));
                    None
                }
            },
            None if op.http_method == HttpMethod::Get => detected(op, hint.link_header, types),
            None => None,
        };
    }
}

/// The page type's shape: the response is an array of items, or an object.
enum PageShape<'t> {
    Array(Ty),
    Object(&'t Struct),
}

/// Follows aliases to the array or struct a success decodes to.
fn page_shape<'t>(op: &'t Operation, types: &'t Types) -> Option<PageShape<'t>> {
    let Success::Json(ty) = &op.success else { return None };
    // Generated code reads the page's fields directly: through aliases, not `Option` or newtypes.
    match through_aliases(ty, types)? {
        Resolved::Ty(Ty::Vec(item)) => Some(PageShape::Array((**item).clone())),
        Resolved::Struct(s) => Some(PageShape::Object(s)),
        Resolved::Ty(_) => None,
    }
}

/// A type expression after following named aliases (16 at most): a struct, or what is not a
/// named type. `None` for other named types (enums, unions, newtypes) and unknown names.
enum Resolved<'a> {
    Struct(&'a Struct),
    Ty(&'a Ty),
}

fn through_aliases<'a>(mut ty: &'a Ty, types: &'a Types) -> Option<Resolved<'a>> {
    for _ in 0..16 {
        let Ty::Named(id) = ty else { return Some(Resolved::Ty(ty)) };
        match &types.get(*id).kind {
            TypeKind::Alias(t) => ty = t,
            TypeKind::Struct(s) => return Some(Resolved::Struct(s)),
            _ => return None,
        }
    }
    None
}

fn field_ref(s: &Struct, wire: &str) -> Option<FieldRef> {
    let f = s.fields.iter().find(|f| f.wire == wire)?;
    Some(FieldRef { name: f.name.clone(), presence: f.presence(), ty: f.ty.clone() })
}

fn first_field(s: &Struct, names: &[&str], pred: impl Fn(&Ty) -> bool) -> Option<FieldRef> {
    names.iter().filter_map(|n| field_ref(s, n)).find(|f| pred(&f.ty))
}

fn is_scalar(ty: &Ty) -> bool {
    matches!(ty, Ty::String | Ty::Int(_) | Ty::Uuid | Ty::DateTime | Ty::Date)
}

/// The items field of an object page: its only array field, else one with a conventional name.
fn items_field(s: &Struct) -> Option<(FieldRef, Ty)> {
    let arrays: Vec<&Field> = s.fields.iter().filter(|f| matches!(f.ty, Ty::Vec(_))).collect();
    let chosen = match arrays.as_slice() {
        [only] => *only,
        _ => ITEM_FIELDS.iter().find_map(|n| arrays.iter().find(|f| f.wire == *n))?,
    };
    let Ty::Vec(item) = &chosen.ty else { return None };
    Some((FieldRef { name: chosen.name.clone(), presence: chosen.presence(), ty: chosen.ty.clone() }, (**item).clone()))
}

/// The query parameter (wire name) among `names`, if the operation has one of a scalar type.
pub(super) fn query_param(op: &Operation, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        op.params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire == *n && is_scalar(&p.ty))
            .map(|p| p.wire.clone())
    })
}

/// The item type's field `wire` (through aliases), when the item is a struct.
pub(super) fn item_field(item: &Ty, wire: &str, types: &Types) -> Option<FieldRef> {
    match through_aliases(item, types)? {
        Resolved::Struct(s) => field_ref(s, wire).filter(|f| is_scalar(&f.ty)),
        Resolved::Ty(_) => None,
    }
}

/// The heuristics of the table above.
fn detected(op: &Operation, link_header: bool, types: &Types) -> Option<Pagination> {
    let (items, item_ty, has_more, object) = match page_shape(op, types)? {
        PageShape::Array(item) => (None, item, None, None),
        PageShape::Object(s) => {
            let (items, item) = items_field(s)?;
            (Some(items), item, first_field(s, HAS_MORE_FIELDS, |t| *t == Ty::Bool), Some(s))
        }
    };
    let style = if link_header {
        PageStyle::Link
    } else if let Some(param) = query_param(op, AFTER_PARAMS)
        && let Some(field) = item_field(&item_ty, "id", types)
    {
        PageStyle::AfterLast { param, field }
    } else if let Some(param) = query_param(op, TOKEN_PARAMS)
        && let Some(next) = object.and_then(|s| first_field(s, NEXT_FIELDS, is_scalar))
    {
        PageStyle::Token { param, next }
    } else if let Some(param) = query_param(op, OFFSET_PARAMS) {
        PageStyle::Offset { param }
    } else if let Some(param) = query_param(op, PAGE_PARAMS) {
        PageStyle::PageNumber { param }
    } else {
        return None;
    };
    Some(Pagination { style, items, item_ty, has_more })
}

/// An `x-pagination` object: what it says, the rest detected.
fn declared(op: &Operation, ext: &Value, types: &Types) -> Result<Pagination, String> {
    let Value::Object(ext) = ext else {
        return Err(crate::diagnostics::expected("a mapping or `false`", ext));
    };
    if op.body.as_ref().is_some_and(|b| matches!(b.kind, BodyKind::File | BodyKind::Multipart(_))) {
        return Err("a file or multipart request body cannot be sent again for the next page".into());
    }
    let text = |key: &str| -> Result<Option<&str>, String> {
        match ext.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{key}`: {}", crate::diagnostics::expected("a string", other))),
        }
    };
    let shape = page_shape(op, types).ok_or("the success response is not a JSON array or object")?;
    let (items, item_ty, object) = match (&shape, text("items")?) {
        (PageShape::Array(item), _) => (None, item.clone(), None),
        (PageShape::Object(s), Some(wire)) => match field_ref(s, wire) {
            Some(f @ FieldRef { ty: Ty::Vec(_), .. }) => {
                let Ty::Vec(item) = &f.ty else { unreachable!() };
                let item = (**item).clone();
                (Some(f), item, Some(*s))
            }
            _ => return Err(format!("`items`: the response has no array field `{wire}`")),
        },
        (PageShape::Object(s), None) => {
            let (f, item) = items_field(s).ok_or("`items`: no array field found in the response")?;
            (Some(f), item, Some(*s))
        }
    };
    let has_more = match (text("has_more")?, object) {
        (Some(wire), Some(s)) => Some(
            field_ref(s, wire).filter(|f| f.ty == Ty::Bool).ok_or(format!("`has_more`: no boolean field `{wire}`"))?,
        ),
        (Some(_), None) => return Err("`has_more`: the response is an array".into()),
        (None, Some(s)) => first_field(s, HAS_MORE_FIELDS, |t| *t == Ty::Bool),
        (None, None) => None,
    };
    let param = |defaults: &[&str]| -> Result<String, String> {
        match text("param")? {
            Some(p) if op.params.iter().any(|q| q.location == ParamLocation::Query && q.wire == p) => Ok(p.to_owned()),
            Some(p) => Err(format!("`param`: the operation has no query parameter `{p}`")),
            None => query_param(op, defaults).ok_or_else(|| "`param`: no cursor query parameter found".to_owned()),
        }
    };
    let style = match text("style")? {
        Some("link") => PageStyle::Link,
        Some("after_last") => {
            let cursor = text("cursor")?.unwrap_or("id");
            let field = item_field(&item_ty, cursor, types)
                .ok_or(format!("`cursor`: the items have no string or integer field `{cursor}`"))?;
            PageStyle::AfterLast { param: param(AFTER_PARAMS)?, field }
        }
        Some("token") => {
            let s = object.ok_or("`token`: the response is an array, with no field for the next token")?;
            let next = match text("next")? {
                Some(wire) => field_ref(s, wire).filter(|f| is_scalar(&f.ty)),
                None => first_field(s, NEXT_FIELDS, is_scalar),
            }
            .ok_or("`next`: no string or integer response field for the next token")?;
            PageStyle::Token { param: param(TOKEN_PARAMS)?, next }
        }
        Some("offset") => PageStyle::Offset { param: param(OFFSET_PARAMS)? },
        Some("page") => PageStyle::PageNumber { param: param(PAGE_PARAMS)? },
        Some(other) => {
            return Err(format!("`style`: unknown `{other}`; expected after_last, token, offset, page or link"));
        }
        None => return Err("`style` is missing; expected after_last, token, offset, page or link".into()),
    };
    Ok(Pagination { style, items, item_ty, has_more })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(wire: &str, ty: Ty, required: bool) -> Field {
        Field { name: wire.to_owned(), wire: wire.to_owned(), doc: None, ty, required, nullable: false }
    }

    /// `Item` and `ItemList`, and their ids.
    fn types() -> (Types, TypeId, TypeId) {
        let mut slots = Slots::default();
        let (item, list) = (slots.reserve(), slots.reserve());
        let mut def = |id: TypeId, name: &str, fields: Vec<Field>| {
            slots.define(TypeDef {
                id,
                name: name.into(),
                doc: None,
                pointer: Pointer::root(),
                kind: TypeKind::Struct(Struct { fields, additional: None }),
            })
        };
        def(item, "Item", vec![field("id", Ty::String, true)]);
        def(
            list,
            "ItemList",
            vec![
                field("items", Ty::Vec(Box::new(Ty::Named(item))), true),
                field("has_more", Ty::Bool, true),
                field("next_page_token", Ty::String, false),
            ],
        );
        (slots.finish(), item, list)
    }

    fn op(query: &[&str], success: Ty) -> Operation {
        Operation {
            id: "list".into(),
            pointer: Pointer::root(),
            resource: vec!["items".into()],
            method_name: "list".into(),
            http_method: HttpMethod::Get,
            path: Vec::new(),
            constant_query: Vec::new(),
            params: query
                .iter()
                .map(|q| Param {
                    name: q.to_string(),
                    wire: q.to_string(),
                    location: ParamLocation::Query,
                    ty: Ty::String,
                    required: false,
                    doc: None,
                })
                .collect(),
            request_type: String::new(),
            body: None,
            success: Success::Json(success),
            errors: Vec::new(),
            security: OpSecurity::None,
            doc: None,
            deprecated: false,
            pagination: None,
            long_poll: None,
            timeout: None,
            resume: None,
            idempotent: None,
        }
    }

    fn run(mut op: Operation, extension: Option<Value>, link: bool) -> (Option<Pagination>, Vec<String>) {
        let (types, ..) = types();
        let hint = PageHint { extension, link_header: link, at: Pointer::root() };
        let hints = HashMap::from([(op.id.clone(), hint)]);
        let mut diag = Diagnostics::default();
        detect(&types, std::slice::from_mut(&mut op), &hints, &mut diag);
        (op.pagination, diag.finish().iter().map(ToString::to_string).collect())
    }

    fn list() -> Ty {
        Ty::Named(types().2)
    }

    fn item() -> Ty {
        Ty::Named(types().1)
    }

    #[test]
    fn after_last_id() {
        let (p, _) = run(op(&["limit", "starting_after"], list()), None, false);
        let p = p.unwrap();
        assert!(
            matches!(&p.style, PageStyle::AfterLast { param, field } if param == "starting_after" && field.name == "id")
        );
        assert_eq!(p.items.unwrap().name, "items");
        assert_eq!(p.has_more.unwrap().name, "has_more");
    }

    #[test]
    fn token_offset_page_and_link() {
        let (p, _) = run(op(&["page_token"], list()), None, false);
        assert!(matches!(p.unwrap().style, PageStyle::Token { next, .. } if next.name == "next_page_token"));
        let (p, _) = run(op(&["offset", "limit"], list()), None, false);
        assert!(matches!(p.unwrap().style, PageStyle::Offset { param } if param == "offset"));
        let (p, _) = run(op(&["page", "per_page"], Ty::Vec(Box::new(item()))), None, false);
        let p = p.unwrap();
        assert!(matches!(p.style, PageStyle::PageNumber { .. }) && p.items.is_none());
        let (p, _) = run(op(&["page", "per_page"], Ty::Vec(Box::new(item()))), None, true);
        assert!(matches!(p.unwrap().style, PageStyle::Link));
    }

    #[test]
    fn not_paged_without_a_cursor_or_items() {
        assert!(run(op(&["limit"], list()), None, false).0.is_none());
        assert!(run(op(&["page"], Ty::String), None, false).0.is_none());
        let mut post = op(&["starting_after"], list());
        post.http_method = HttpMethod::Post;
        assert!(run(post, None, false).0.is_none());
    }

    #[test]
    fn extension_declares_or_refuses() {
        let (p, w) = run(op(&["limit", "starting_after"], list()), Some(Value::Bool(false)), false);
        assert!(p.is_none() && w.is_empty());
        let ext = serde_json::json!({"style": "token", "param": "limit", "next": "next_page_token"});
        let (p, _) = run(op(&["limit"], list()), Some(ext), false);
        assert!(matches!(p.unwrap().style, PageStyle::Token { param, .. } if param == "limit"));
        let ext = serde_json::json!({"style": "sideways"});
        let (p, w) = run(op(&["limit"], list()), Some(ext), false);
        assert!(p.is_none());
        assert_eq!(
            w,
            [
                "at #/x-pagination: `style`: unknown `sideways`; expected after_last, token, offset, page or link; the operation is not paged"
            ]
        );
        let ext = serde_json::json!({"style": "offset", "items": "nope"});
        let (_, w) = run(op(&["offset"], list()), Some(ext), false);
        assert!(w[0].contains("no array field `nope`"), "{w:?}");
    }
}
