//! String enums (an open `Unknown` fallback, `as_str`, `Display`, `FromStr`, serde by value, `Ord`
//! by wire value) and non-string enums (a newtype with one constant per value).
//!
//! Must not: decide which values an enum has or their names (lowering did).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::doc;
use super::{Scope, ident, ty};
use crate::ir::*;

/// The rustdoc of an enum value: the value as code, then its description when the spec gives one.
fn value_doc(value: &str, description: Option<&String>) -> TokenStream {
    match description {
        None => {
            let d = format!(" `{value}`");
            quote!(#[doc = #d])
        }
        Some(text) => doc(Some(&format!("`{value}`: {text}"))),
    }
}

pub(super) fn emit_enum(name: &Ident, doc: TokenStream, e: &StringEnum, cfg: &TokenStream) -> TokenStream {
    let fallback = ident(&e.fallback);
    let serde = enum_serde(name, &fallback, cfg);
    let ord = enum_ord(name, &fallback, cfg);
    let variants = e.variants.iter().map(|(v, wire)| {
        let d = value_doc(&wire.replace('`', "'"), e.docs.get(v));
        let v = ident(v);
        quote! {
            #d
            #v,
        }
    });
    let as_str = e.variants.iter().map(|(v, wire)| {
        let v = ident(v);
        quote!(Self::#v => #wire,)
    });
    let from_str = e.variants.iter().map(|(v, wire)| {
        let v = ident(v);
        quote!(#wire => Self::#v,)
    });
    // serde's derive would need `#[serde(untagged)]` for the fallback, which expands to
    // content-buffering code per enum; the wire form is just `as_str`/`from_str`, written out.
    quote! {
        #doc
        #cfg
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know, kept as received.
            #fallback(::std::string::String),
        }

        #cfg
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#fallback(value) => value.as_str(),
                }
            }
        }

        #cfg
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // Not `Self::Err`: a variant called `Err` would make it ambiguous (a hard error).
        #cfg
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(match value {
                    #(#from_str)*
                    other => Self::#fallback(other.to_owned()),
                })
            }
        }

        #serde
        #ord
    }
}

/// `Serialize` and `Deserialize` by the wire value; an unknown value is kept in the fallback
/// (refused by `decode_strict`).
fn enum_serde(name: &Ident, fallback: &Ident, cfg: &TokenStream) -> TokenStream {
    let expecting = format!("enum {name}");
    quote! {
        #cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                let ::std::result::Result::Ok(parsed) = value.parse::<Self>();
                if let Self::#fallback(value) = &parsed {
                    crate::runtime::exact::fallback(value, #expecting)?;
                }
                ::std::result::Result::Ok(parsed)
            }
        }
    }
}

/// `Ord` and `PartialOrd` by wire value.
fn enum_ord(name: &Ident, fallback: &Ident, cfg: &TokenStream) -> TokenStream {
    quote! {
        // Ordered by wire value, not declaration order (a derive), so that a value the spec adds
        // does not change how existing ones compare; a hand-made fallback holding a known value
        // sorts after it, consistently with `Eq`.
        #cfg
        impl ::std::cmp::Ord for #name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                let unknown = |value: &Self| ::std::matches!(value, Self::#fallback(_));
                self.as_str().cmp(other.as_str()).then_with(|| unknown(self).cmp(&unknown(other)))
            }
        }

        #cfg
        impl ::std::cmp::PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(self.cmp(other))
            }
        }
    }
}

/// The literal of a constant's value for its base type: a float literal for `f64` (also for a
/// value written as an integer), an integer literal for integer types.
fn literal(v: &serde_json::Value, base: &Ty) -> TokenStream {
    match v {
        serde_json::Value::Bool(b) => quote!(#b),
        serde_json::Value::Number(n) if matches!(base, Ty::Float) => {
            let l = Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0));
            quote!(#l)
        }
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let l = Literal::i64_unsuffixed(i);
                quote!(#l)
            } else if let Some(u) = n.as_u64() {
                let l = Literal::u64_unsuffixed(u);
                quote!(#l)
            } else {
                let l = Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0));
                quote!(#l)
            }
        }
        _ => quote!(()),
    }
}

pub(super) fn emit_constants(name: &Ident, doc: TokenStream, c: &Constants, cfg: &TokenStream) -> TokenStream {
    // The base is a scalar (an integer, a number, a boolean or JSON), never a named type.
    let base = ty(&c.base, Scope::Types, &Types::default());
    let copy = matches!(c.base, Ty::Int(_) | Ty::Bool | Ty::Float);
    let eq = matches!(c.base, Ty::Int(_) | Ty::Bool);
    let mut derives = vec![quote!(::std::fmt::Debug), quote!(::std::clone::Clone)];
    if copy {
        derives.push(quote!(::std::marker::Copy));
    }
    derives.push(quote!(::std::cmp::PartialEq));
    if eq {
        derives.push(quote!(::std::cmp::Eq));
        derives.push(quote!(::std::hash::Hash));
    }
    derives.push(quote!(::serde::Serialize));
    derives.push(quote!(::serde::Deserialize));
    let consts: Vec<TokenStream> = if matches!(c.base, Ty::Json) {
        Vec::new()
    } else {
        c.values
            .iter()
            .filter_map(|(cname, v)| {
                // An integer constant must fit the base type (lowering moved the others to
                // `beyond`); checked again here so an out-of-range literal can never be written.
                if let (Ty::Int(kind), serde_json::Value::Number(n)) = (&c.base, v)
                    && !kind.fits(n)
                {
                    return None;
                }
                let d = value_doc(&json_text(v), c.docs.get(cname));
                let cname = ident(cname);
                let lit = literal(v, &c.base);
                Some(quote! {
                    #d
                    pub const #cname: Self = Self(#lit);
                })
            })
            .collect()
    };
    // Spec values are data: a value near π is not a badly written `PI`.
    let lints = if matches!(c.base, Ty::Float) {
        quote!(#[allow(clippy::approx_constant, clippy::excessive_precision)])
    } else {
        TokenStream::new()
    };
    let impls = if consts.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            #cfg
            #lints
            impl #name {
                #(#consts)*
            }
        }
    };
    quote! {
        #doc
        #cfg
        #[derive(#(#derives),*)]
        #[serde(transparent)]
        pub struct #name(pub #base);

        #impls
    }
}
