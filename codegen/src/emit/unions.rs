//! Unions: discriminated ones (an enum decoded by its tag, with an `Unknown` fallback, written
//! with its tag) and untagged ones (decoded exact-first by the runtime's `union::untagged`), with a
//! `From` impl per variant type no other variant holds.
//!
//! Must not: decide tags, variant names or patterns (lowering did).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::Known;
use super::{Scope, ident, ty};
use crate::ir::*;

/// `From<T> for Union` for each variant whose type `T` no other variant holds (aliases seen
/// through); not for `()`, a JSON value, or the union itself.
fn union_froms(name: &Ident, id: TypeId, u: &Union, known: &Known<'_>, cfg: &TokenStream) -> Vec<TokenStream> {
    let resolved: Vec<&Ty> = u.variants.iter().map(|v| known.resolve(&v.ty)).collect();
    u.variants
        .iter()
        .zip(&resolved)
        .filter(|(_, r)| resolved.iter().filter(|o| o == r).count() == 1)
        .filter(|(_, r)| !matches!(r, Ty::Unit | Ty::Json) && **r != &Ty::Named(id))
        .map(|(v, _)| {
            let vname = ident(&v.name);
            let (from, value) = match &v.ty {
                Ty::Box(inner) => (ty(inner, Scope::Types, known.types), quote!(::std::boxed::Box::new(value))),
                other => (ty(other, Scope::Types, known.types), quote!(value)),
            };
            quote! {
                #cfg
                impl ::std::convert::From<#from> for #name {
                    fn from(value: #from) -> Self {
                        Self::#vname(#value)
                    }
                }
            }
        })
        .collect()
}

/// The items of a union: its enum, serde impls and `From` impls.
pub(super) fn emit_union(
    (name, id): (&Ident, TypeId),
    doc: TokenStream,
    u: &Union,
    known: &Known<'_>,
    cfg: &TokenStream,
) -> TokenStream {
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vname = ident(&v.name);
            let t = ty(&v.ty, Scope::Types, known.types);
            quote!(#vname(#t),)
        })
        .collect();
    let froms = union_froms(name, id, u, known, cfg);
    match &u.discriminator {
        None => untagged(name, doc, u, &variants, &froms, cfg),
        Some(property) => tagged(name, doc, u, property, known, &variants, &froms, cfg),
    }
}

/// An untagged union: tried exact-first by the runtime (`union::untagged`), so that no branch's
/// open fallback captures a value a later branch matches exactly (serde's untagged derive tries
/// each branch once, in order).
fn untagged(
    name: &Ident,
    doc: TokenStream,
    u: &Union,
    variants: &[TokenStream],
    froms: &[TokenStream],
    cfg: &TokenStream,
) -> TokenStream {
    let wire_name = name.to_string();
    let branches = u.variants.iter().map(|v| {
            let vname = ident(&v.name);
            match &v.pattern {
                None => quote!(|value| ::serde::Deserialize::deserialize(value).map(Self::#vname),),
                // The generator compiled the pattern with regex-lite already.
                Some(pattern) => quote! {
                    |value| {
                        static PATTERN: ::std::sync::LazyLock<::regex_lite::Regex> =
                            ::std::sync::LazyLock::new(|| ::regex_lite::Regex::new(#pattern).expect("compiled by the generator"));
                        crate::runtime::union::pattern(value, #pattern, |text| PATTERN.is_match(text))?;
                        ::serde::Deserialize::deserialize(value).map(Self::#vname)
                    },
                },
            }
        });
    quote! {
        #doc
        #cfg
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        pub enum #name {
            #(#variants)*
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::union::untagged(deserializer, #wire_name, &[#(#branches)*])
            }
        }

        #(#froms)*
    }
}

/// A discriminated union: decoded by the tag in `property`, an unknown tag kept in the fallback
/// (or refused when read strictly), each branch written with its tag.
#[allow(clippy::too_many_arguments)]
fn tagged(
    name: &Ident,
    doc: TokenStream,
    u: &Union,
    property: &str,
    known: &Known<'_>,
    variants: &[TokenStream],
    froms: &[TokenStream],
    cfg: &TokenStream,
) -> TokenStream {
    let fallback = ident(&u.fallback);
    let fallback_doc =
        format!(" A value whose `{property}` this version of the client does not know, kept as received.");
    let ser_arms = u.variants.iter().enumerate().map(|(i, v)| {
        let vname = ident(&v.name);
        // The default branch holds values of any tag (or none): written as they are.
        if known.writes_tag(&v.ty, property, &v.tags) || u.default == Some(i) {
            quote!(Self::#vname(value) => ::serde::Serialize::serialize(value, serializer),)
        } else {
            let tags = &v.tags;
            quote!(Self::#vname(value) => crate::runtime::union::tagged(serializer, #property, &[#(#tags),*], value),)
        }
    });
    let de_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let tags = &v.tags;
        quote!(::std::option::Option::Some(#(#tags)|*) => ::serde_json::from_value(value).map(Self::#vname).map_err(::serde::de::Error::custom),)
    });
    let wire_name = name.to_string();
    // A value with an unknown or missing tag: the default branch (3.2's `defaultMapping`), else
    // the fallback (or an error, read strictly).
    let unknown = match u.default.map(|i| ident(&u.variants[i].name)) {
        Some(default) => quote! {
            _ => ::serde_json::from_value(value).map(Self::#default).map_err(::serde::de::Error::custom),
        },
        None => quote! {
            _ => crate::runtime::union::unknown_tag(value, #property, #wire_name).map(Self::#fallback),
        },
    };
    quote! {
        #doc
        #cfg
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        #cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str);
                match tag {
                    #(#de_arms)*
                    #unknown
                }
            }
        }

        #(#froms)*
    }
}
