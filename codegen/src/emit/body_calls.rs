//! The request builder call that sends an operation's body (`.json_body(...)`,
//! `.multipart_body(...)`, ...), as the body's kind says: part of each operation method that
//! `resources.rs` writes. Reads the model; decides nothing about the body itself.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Scope, ty};
use crate::ir::*;

/// The call on the request builder that sends `b`; the method's argument is `body`.
pub(super) fn body_call(b: &Body, ir: &Ir) -> TokenStream {
    let media = &b.media_type;
    match &b.kind {
        BodyKind::Json(_) => quote!(.json_body(#media, body)),
        BodyKind::Form(_) if b.form_fields.is_empty() => quote!(.form_body(#media, body)),
        BodyKind::Form(_) => {
            let fields = b.form_fields.iter().map(form_field);
            quote!(.form_body_with(#media, body, &[#(#fields),*]))
        }
        BodyKind::Text => quote!(.bytes_body(#media, body.as_bytes().to_vec())),
        BodyKind::File => quote!(.file_body(#media, body.into())),
        BodyKind::JsonLines(item) => {
            let item = ty(item, Scope::Elsewhere, &ir.types);
            quote!(.json_lines_body::<#item, _, _>(#media, body))
        }
        BodyKind::Multipart(id) => {
            let TypeKind::Multipart(m) = &ir.types.get(*id).kind else {
                unreachable!("a multipart body refers to its multipart type")
            };
            let parts = super::multipart::parts(m);
            if m.positional { quote!(.mixed_body(#media, #parts)) } else { quote!(.multipart_body(#parts)) }
        }
        BodyKind::PartItems(item, content_type) => {
            let ct = match content_type {
                Some(ct) => quote!(::std::option::Option::Some(#ct)),
                None => quote!(::std::option::Option::None),
            };
            let parts = match item {
                PartItem::Json(t) => {
                    let t = ty(t, Scope::Elsewhere, &ir.types);
                    quote!(crate::runtime::Parts::new().json_items::<#t, _, _>(body, #ct))
                }
                PartItem::Text => quote!(crate::runtime::Parts::new().text_items(body, #ct)),
                PartItem::Bytes => quote!(crate::runtime::Parts::new().file_items(body)),
            };
            quote!(.mixed_body(#media, #parts))
        }
    }
}

/// A form field's `encoding`, as the runtime's `FormField`.
fn form_field(f: &FormField) -> TokenStream {
    let (wire, explode, allow_reserved) = (&f.wire, f.explode, f.allow_reserved);
    let style = match f.style {
        FormStyle::Form => quote!(crate::runtime::FormStyle::Form),
        FormStyle::SpaceDelimited => quote!(crate::runtime::FormStyle::SpaceDelimited),
        FormStyle::PipeDelimited => quote!(crate::runtime::FormStyle::PipeDelimited),
        FormStyle::DeepObject => quote!(crate::runtime::FormStyle::DeepObject),
    };
    quote!(crate::runtime::FormField { name: #wire, style: #style, explode: #explode, allow_reserved: #allow_reserved })
}
