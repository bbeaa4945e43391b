//! Types: one Rust item per named type of the IR (structs with constructors and setters, open
//! string enums, constants on newtypes, unions, aliases, newtypes).
//!
//! # `#[non_exhaustive]`: compatible spec changes are compatible Rust changes
//!
//! Structs, string enums and discriminated unions (the enums with an `Unknown` fallback) are
//! `#[non_exhaustive]`, so that what the spec's authors consider compatible — a new optional
//! field, a new enum value, a new union variant — is a minor release of the generated crate and
//! not a breaking one (`report/mod.rs` has the rules the change report applies). What it costs users,
//! outside the generated crate:
//! - no struct literals (`Foo { a, b }`): values are built with `Foo::new(required...)` and the
//!   `with_*` setters, or `Foo::default()` when no field is required, then fields assigned (they
//!   stay `pub`, readable and writable);
//! - no exhaustive destructuring: a struct pattern needs `..`;
//! - a `match` on an enum needs a `_` arm, beside the `Unknown` arm it already needed for values
//!   newer than the client. A value the client learns later moves from `Unknown("x")` to its own
//!   variant; code that matched `Unknown("x")` should match both.
//!
//! Constructors ask for required fields only, except those that can hold one value (a `const`, a
//! one-value `enum`): `new` fills them in. Unions get `From<T>` for each variant type `T` that no
//! other variant holds.
//!
//! Untagged unions have no fallback (a value of a new shape fails to decode), so they stay
//! exhaustive and a new variant is a breaking change. Newtypes with constants are open already.
//! String enums order by wire value (a hand-written `Ord`), not by declaration order, so that a
//! new value does not change how the existing ones compare.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc;
use super::enums::{emit_constants, emit_enum};
use super::objects::{struct_deserialize, struct_serialize};
use super::unions::emit_union;
use super::{Scope, ident, ty};
use crate::facts::{DefaultImpl, Facts};
use crate::ir::*;
use crate::naming::{Style, unique};

/// Emits the named types. What it needs to know about the whole IR is computed once, so ranges
/// of the type list can be emitted (and formatted) on separate threads sharing it: token streams
/// cannot cross threads, but this can.
pub(crate) struct TypeEmitter<'a> {
    ir: &'a Ir,
    known: Known<'a>,
    /// The cargo features each type is compiled under; `None`: every type always.
    features: Option<&'a super::ResourceFeatures>,
}

/// What emitting one type needs to know of the others.
pub(crate) struct Known<'a> {
    /// What the emitter and the change report both decide by ([`Facts`]).
    facts: &'a Facts<'a>,
    /// The types, to name them.
    pub(super) types: &'a Types,
}

impl<'a> Known<'a> {
    /// What `ir` and its facts tell.
    pub(crate) fn of(ir: &'a Ir, facts: &'a Facts<'a>) -> Self {
        Known { facts, types: &ir.types }
    }

    /// The type with aliases (and a `Box`) seen through, to compare variant types as Rust does.
    pub(super) fn resolve(&self, mut ty: &'a Ty) -> &'a Ty {
        for _ in 0..64 {
            ty = match ty {
                Ty::Box(inner) => inner,
                Ty::Named(id) => match &self.types.get(*id).kind {
                    TypeKind::Alias(target) => target,
                    _ => return ty,
                },
                _ => return ty,
            };
        }
        ty
    }

    /// Whether a value of `ty` always carries one of `tags` in its `property`: a struct whose
    /// required field of that wire name is a one-value enum of one of them. A union writes such a
    /// branch as it is; others get their tag set ([`emit_union`]).
    pub(super) fn writes_tag(&self, ty: &'a Ty, property: &str, tags: &[String]) -> bool {
        let Ty::Named(id) = self.resolve(ty) else { return false };
        let TypeKind::Struct(s) = &self.types.get(*id).kind else { return false };
        s.fields.iter().any(|f| {
            f.wire == property
                && f.presence() == Presence::Required
                && self.facts.fixed_wire(&f.ty).is_some_and(|w| tags.iter().any(|t| t == w))
        })
    }
}

/// The value `new` fills in for a required field of type `ty` that can hold one value
/// ([`Facts::fixed`]): `crate::types::ListObject::List`.
fn fixed_value(known: &Known<'_>, ty: &Ty) -> Option<TokenStream> {
    let Ty::Named(id) = ty else { return None };
    let value = ident(known.facts.fixed(ty)?);
    let n = ident(known.types.name(*id));
    Some(quote!(crate::types::#n::#value))
}

impl<'a> TypeEmitter<'a> {
    /// Prepares to emit `ir`'s types, each item under the `#[cfg]` of its resource features
    /// when `features` is given.
    pub(crate) fn new(ir: &'a Ir, facts: &'a Facts<'a>, features: Option<&'a super::ResourceFeatures>) -> Self {
        Self { ir, known: Known::of(ir, facts), features }
    }

    /// How much code each type is, roughly (its fields, variants or values, and itself), for
    /// dividing the list into parts of similar size.
    pub(crate) fn weights(&self) -> Vec<usize> {
        self.ir
            .types
            .as_slice()
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Enum(e) => 4 + e.variants.len(),
                kind => 4 + kind.tys().len(),
            })
            .collect()
    }

    /// The items of the types at `range` in the order by name.
    pub(crate) fn types(&self, range: std::ops::Range<usize>) -> TokenStream {
        let types = self.ir.types.as_slice()[range].iter().map(|t| {
            let cfg = self.features.map(|f| f.type_cfg(t.id)).unwrap_or_default();
            emit_type(t, &self.known, &cfg)
        });
        quote!(#(#types)*)
    }
}

/// The items of one type, each preceded by `cfg` (empty, or the type's `#[cfg(feature = ...)]`).
fn emit_type(def: &TypeDef, known: &Known<'_>, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_text = Some(def.doc.clone().unwrap_or_else(|| format!("Generated from `{}`.", def.pointer)));
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(&name, def.id, doc(doc_text.as_deref()), s, known, cfg),
        TypeKind::Enum(e) => emit_enum(&name, doc(doc_text.as_deref()), e, cfg),
        TypeKind::Constants(c) => {
            if matches!(c.base, Ty::Json) {
                let listed = c.values.iter().map(|(_, v)| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                let text = doc_text.take().map(|d| format!("{d}\n\n")).unwrap_or_default();
                doc_text = Some(format!("{text}Allowed values: {listed}."));
            }
            if !c.beyond.is_empty() {
                let listed = c.beyond.iter().map(|v| format!("`{}`", json_text(v))).collect::<Vec<_>>().join(", ");
                let text = doc_text.take().map(|d| format!("{d}\n\n")).unwrap_or_default();
                let base = match &c.base {
                    Ty::Int(kind) => kind.rust_name(),
                    _ => "the base type",
                };
                doc_text = Some(format!("{text}Also listed by the spec, but not exact values of `{base}`: {listed}."));
            }
            emit_constants(&name, doc(doc_text.as_deref()), c, cfg)
        }
        TypeKind::Union(u) => emit_union((&name, def.id), doc(doc_text.as_deref()), u, known, cfg),
        TypeKind::Alias(t) => {
            let d = doc(doc_text.as_deref());
            let t = ty(t, Scope::Types, known.types);
            quote! {
                #d
                #cfg
                pub type #name = #t;
            }
        }
        TypeKind::Multipart(m) => super::multipart::emit_struct(&name, doc(doc_text.as_deref()), m, known.types, cfg),
        TypeKind::Newtype(t) => {
            let d = doc(doc_text.as_deref());
            let t = ty(t, Scope::Types, known.types);
            quote! {
                #d
                #cfg
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #t);
            }
        }
    }
}

fn emit_struct(
    name: &Ident,
    id: TypeId,
    doc: TokenStream,
    s: &Struct,
    known: &Known<'_>,
    cfg: &TokenStream,
) -> TokenStream {
    let facts = known.facts;
    let derives = struct_derives(s, facts);
    let fields = s.fields.iter().map(|f| struct_field(f, known.types));
    let additional = s.additional.as_ref().map(|(fname, t)| {
        let fname = ident(fname);
        let t = ty(t, Scope::Types, known.types);
        quote! {
            /// Properties not named above (`additionalProperties`).
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #t>,
        }
    });
    let constructor = constructor(s, known);
    let setters = if facts.is_sent(id) { setters(s, known.types) } else { Vec::new() };
    let mut methods = if constructor.is_empty() && setters.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            #cfg
            impl #name {
                #constructor
                #(#setters)*
            }
        }
    };
    // Every required field filled in: `new()` takes nothing, and `Default` is that value.
    if facts.default_impl(s) == Some(DefaultImpl::New) {
        methods.extend(quote! {
            #cfg
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        });
    }
    let serialize = struct_serialize(name, s, cfg);
    let deserialize = struct_deserialize(name, s, cfg);
    quote! {
        #doc
        #cfg
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #methods
        #serialize
        #deserialize
    }
}

/// `Debug`, `Clone`, `PartialEq`; `Eq` and `Default` as [`Facts`] decide (every field `Eq`; no
/// field required); `Serialize` and `Deserialize` are written by [`struct_serialize`] and
/// [`struct_deserialize`].
fn struct_derives(s: &Struct, facts: &Facts<'_>) -> Vec<TokenStream> {
    let mut derives = vec![quote!(::std::fmt::Debug), quote!(::std::clone::Clone), quote!(::std::cmp::PartialEq)];
    if facts.derives_eq(s) {
        derives.push(quote!(::std::cmp::Eq));
    }
    if facts.default_impl(s) == Some(DefaultImpl::Derived) {
        derives.push(quote!(::std::default::Default));
    }
    derives
}

/// A field with its docs and the wrapper its presence asks for (its wire name is in the serde impls).
fn struct_field(f: &Field, types: &Types) -> TokenStream {
    let fname = ident(&f.name);
    let d = doc(f.doc.as_deref());
    let inner = ty(&f.ty, Scope::Types, types);
    let full = match f.presence() {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#inner>),
        Presence::OptionalNullable => quote!(crate::runtime::Nullable<#inner>),
    };
    quote! {
        #d
        pub #fname: #full,
    }
}

/// `new` with the required fields; optional ones start absent, and a required field that can
/// hold one value only (a `const`, a one-value `enum`) starts with it rather than being asked for.
/// Empty without required fields (the struct derives `Default` then).
fn constructor(s: &Struct, known: &Known<'_>) -> TokenStream {
    let Some(required) = known.facts.new_args(s) else { return TokenStream::new() };
    let params = required.iter().map(|f| {
        let fname = ident(&f.name);
        let inner = ty(&f.ty, Scope::Types, known.types);
        match (f.presence(), &f.ty) {
            (Presence::Required, Ty::String) => quote!(#fname: impl ::std::convert::Into<::std::string::String>),
            (Presence::Required, _) => quote!(#fname: #inner),
            _ => quote!(#fname: ::std::option::Option<#inner>),
        }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        match (f.presence(), &f.ty) {
            (Presence::Required, t) if let Some(value) = fixed_value(known, t) => quote!(#fname: #value),
            (Presence::Required, Ty::String) => quote!(#fname: #fname.into()),
            (Presence::Required | Presence::RequiredNullable, _) => quote!(#fname),
            (Presence::Optional, _) => quote!(#fname: ::std::option::Option::None),
            (Presence::OptionalNullable, _) => quote!(#fname: crate::runtime::Nullable::Absent),
        }
    });
    let add_init = s.additional.as_ref().map(|(fname, _)| {
        let fname = ident(fname);
        quote!(#fname: ::std::collections::BTreeMap::new(),)
    });
    let lint = if required.len() > 7 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
    let doc = if required.len() < s.fields.iter().filter(|f| f.required).count() {
        " A value with the required fields set (a field with one possible value to that value) and every optional \
         field absent."
    } else {
        " A value with the required fields set and every optional field absent."
    };
    quote! {
        #[doc = #doc]
        #lint
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits,)* #add_init }
        }
    }
}

/// `with_*` setters for the optional fields of a type callers build.
fn setters(s: &Struct, types: &Types) -> Vec<TokenStream> {
    let mut setter_names = std::collections::BTreeSet::new();
    s.fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| {
            let fname = ident(&f.name);
            let base = format!("with_{}", f.name.trim_start_matches('_').trim_end_matches('_'));
            let setter = ident(&unique(&mut setter_names, &base, Style::Snake));
            let inner = ty(&f.ty, Scope::Types, types);
            let doc = format!(" Sets `{}`.", f.wire.replace('`', "'"));
            let value = match f.presence() {
                Presence::OptionalNullable => quote!(crate::runtime::Nullable::Value(value.into())),
                _ => quote!(::std::option::Option::Some(value.into())),
            };
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                    self.#fname = #value;
                    self
                }
            }
        })
        .collect()
}
