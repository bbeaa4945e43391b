//! `multipart/form-data` bodies: a plain struct (file fields take a `FilePart`, which serde cannot
//! encode) and the code that turns it into parts, one per property (one per item of an array).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc;
use super::{Scope, ident, ty};
use crate::ir::*;

/// The struct of a multipart body, with a `new` taking its required fields.
pub(super) fn emit_struct(
    name: &Ident,
    doc_tokens: TokenStream,
    m: &Multipart,
    types: &Types,
    cfg: &TokenStream,
) -> TokenStream {
    let fields = m.fields.iter().map(|f| {
        let n = ident(&f.name);
        let d = doc(f.doc.as_deref());
        let t = field_type(f, types);
        quote! {
            #d
            pub #n: #t,
        }
    });
    let required: Vec<&PartField> = m.fields.iter().filter(|f| is_argument(f)).collect();
    let args = required.iter().map(|f| {
        let n = ident(&f.name);
        let t = match &f.kind {
            PartKind::File => quote!(impl ::std::convert::Into<crate::FilePart>),
            PartKind::Value(Ty::String) => quote!(impl ::std::convert::Into<::std::string::String>),
            _ => field_type(f, types),
        };
        quote!(#n: #t)
    });
    let inits = m.fields.iter().map(|f| {
        let n = ident(&f.name);
        if !is_argument(f) {
            return quote!(#n: ::std::default::Default::default());
        }
        match &f.kind {
            PartKind::File | PartKind::Value(Ty::String) => quote!(#n: #n.into()),
            _ => quote!(#n),
        }
    });
    let lint = if required.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
    let setters = setters(m, types);
    // Without arguments, `new` is what `Default` gives (every field is optional or a list).
    let default = if required.is_empty() { quote!(, ::std::default::Default) } else { TokenStream::new() };
    quote! {
        #doc_tokens
        #cfg
        #[derive(::std::fmt::Debug, ::std::clone::Clone #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #cfg
        impl #name {
            /// A body with the required parts; the optional ones are left out.
            #lint
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// `with_*` setters for the parts `new` does not take: optional values and files, and file lists.
fn setters(m: &Multipart, types: &Types) -> Vec<TokenStream> {
    let mut used = std::collections::BTreeSet::new();
    m.fields
        .iter()
        .filter(|f| !is_argument(f))
        .map(|f| {
            let n = ident(&f.name);
            let base = format!("with_{}", f.name.trim_start_matches('_').trim_end_matches('_'));
            let setter = ident(&crate::naming::unique(&mut used, &base, crate::naming::Style::Snake));
            let doc = format!(" Sets the part `{}`.", f.wire.replace('`', "'"));
            let (param, value) = match &f.kind {
                PartKind::File => (
                    quote!(impl ::std::convert::Into<crate::FilePart>),
                    quote!(::std::option::Option::Some(value.into())),
                ),
                PartKind::Files => (
                    quote!(impl ::std::iter::IntoIterator<Item = crate::FilePart>),
                    quote!(value.into_iter().collect()),
                ),
                PartKind::Value(t) => {
                    let t = ty(t, Scope::Types, types);
                    (quote!(impl ::std::convert::Into<#t>), quote!(::std::option::Option::Some(value.into())))
                }
            };
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: #param) -> Self {
                    self.#n = #value;
                    self
                }
            }
        })
        .collect()
}

/// Whether `new` takes the field: required fields but file arrays (which may be empty).
fn is_argument(f: &PartField) -> bool {
    f.required && f.kind != PartKind::Files
}

fn field_type(f: &PartField, types: &Types) -> TokenStream {
    match (&f.kind, f.required) {
        (PartKind::File, true) => quote!(crate::FilePart),
        (PartKind::File, false) => quote!(::std::option::Option<crate::FilePart>),
        (PartKind::Files, _) => quote!(::std::vec::Vec<crate::FilePart>),
        (PartKind::Value(t), true) => ty(t, Scope::Types, types),
        (PartKind::Value(t), false) => {
            let t = ty(t, Scope::Types, types);
            quote!(::std::option::Option<#t>)
        }
    }
}

/// The expression building a request's parts from `body`, a reference to the struct.
pub(super) fn parts(m: &Multipart) -> TokenStream {
    let calls = m.fields.iter().map(|f| {
        let n = ident(&f.name);
        let wire = &f.wire;
        match (&f.kind, f.required) {
            (PartKind::File, true) => quote!(.file(#wire, &body.#n)),
            (PartKind::File, false) => quote!(.file_opt(#wire, &body.#n)),
            (PartKind::Files, _) => quote!(.files(#wire, &body.#n)),
            (PartKind::Value(_), _) => {
                let ct = match &f.content_type {
                    Some(ct) => quote!(::std::option::Option::Some(#ct)),
                    None => quote!(::std::option::Option::None),
                };
                quote!(.value(#wire, &body.#n, #ct))
            }
        }
    });
    quote!(crate::runtime::Parts::new() #(#calls)*)
}
