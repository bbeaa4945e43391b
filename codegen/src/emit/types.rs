//! Types: one Rust item per named type of the IR (structs with constructors and setters, open
//! string enums, constants on newtypes, unions, aliases, newtypes).
//!
//! # `#[non_exhaustive]`: compatible spec changes are compatible Rust changes
//!
//! Structs, string enums and discriminated unions (the enums with an `Unknown` fallback) are
//! `#[non_exhaustive]`, so that what the spec's authors consider compatible — a new optional
//! field, a new enum value, a new union variant — is a minor release of the generated crate and
//! not a breaking one (`report.rs` has the rules the change report applies). What it costs users,
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

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::doc;
use super::{Scope, ident, ty};
use crate::facts::{DefaultImpl, Facts};
use crate::ir::*;
use crate::naming::{Style, unique};

/// Emits the named types. What it needs to know about the whole IR is computed once, so ranges
/// of the type list can be emitted (and formatted) on separate threads sharing it: token streams
/// cannot cross threads, but this can.
pub(crate) struct TypeEmitter<'a> {
    ir: &'a Ir,
    facts: Facts<'a>,
    known: Known<'a>,
    /// The cargo features each type is compiled under; `None`: every type always.
    features: Option<&'a super::ResourceFeatures>,
}

/// What emitting one type needs to know of the others.
#[derive(Default)]
pub(crate) struct Known<'a> {
    /// The target of every alias, to tell whether two union variants hold the same Rust type.
    aliases: std::collections::HashMap<&'a str, &'a Ty>,
    /// The wire value of every one-value string enum (`ListObject` → `list`).
    fixed_wire: std::collections::HashMap<&'a str, &'a str>,
    /// Every struct, to tell whether a union branch writes its own discriminator tag.
    structs: std::collections::HashMap<&'a str, &'a Struct>,
}

impl<'a> Known<'a> {
    /// Gathers aliases and one-value enums.
    pub(crate) fn of(ir: &'a Ir) -> Self {
        let mut known = Known::default();
        for t in &ir.types {
            match &t.kind {
                TypeKind::Alias(target) => {
                    known.aliases.insert(t.name.as_str(), target);
                }
                TypeKind::Enum(e) if e.variants.len() == 1 => {
                    known.fixed_wire.insert(t.name.as_str(), e.variants[0].1.as_str());
                }
                TypeKind::Struct(s) => {
                    known.structs.insert(t.name.as_str(), s);
                }
                _ => {}
            }
        }
        known
    }

    /// The type with aliases (and a `Box`) seen through, to compare variant types as Rust does.
    fn resolve(&self, mut ty: &'a Ty) -> &'a Ty {
        for _ in 0..64 {
            ty = match ty {
                Ty::Box(inner) => inner,
                Ty::Named(n) => match self.aliases.get(n.as_str()) {
                    Some(target) => target,
                    None => return ty,
                },
                _ => return ty,
            };
        }
        ty
    }

    /// Whether a value of `ty` always carries one of `tags` in its `property`: a struct whose
    /// required field of that wire name is a one-value enum of one of them. A union writes such a
    /// branch as it is; others get their tag set ([`emit_union`]).
    fn writes_tag(&self, ty: &'a Ty, property: &str, tags: &[String]) -> bool {
        let Ty::Named(n) = self.resolve(ty) else { return false };
        let Some(s) = self.structs.get(n.as_str()) else { return false };
        s.fields.iter().any(|f| {
            f.wire == property
                && f.presence() == Presence::Required
                && matches!(&f.ty, Ty::Named(e) if self.fixed_wire.get(e.as_str()).is_some_and(|w| tags.iter().any(|t| t == w)))
        })
    }
}

/// The value `new` fills in for a required field of type `ty` that can hold one value
/// ([`Facts::fixed`]): `crate::types::ListObject::List`.
fn fixed_value(facts: &Facts<'_>, ty: &Ty) -> Option<TokenStream> {
    let Ty::Named(n) = ty else { return None };
    let value = ident(facts.fixed(ty)?);
    let n = ident(n);
    Some(quote!(crate::types::#n::#value))
}

impl<'a> TypeEmitter<'a> {
    /// Prepares to emit `ir`'s types, each item under the `#[cfg]` of its resource features
    /// when `features` is given.
    pub(crate) fn new(ir: &'a Ir, features: Option<&'a super::ResourceFeatures>) -> Self {
        Self { ir, facts: Facts::of(ir), known: Known::of(ir), features }
    }

    /// The items of `ir.types[range]`.
    pub(crate) fn types(&self, range: std::ops::Range<usize>) -> TokenStream {
        let types = self.ir.types[range].iter().map(|t| {
            let cfg = self.features.map(|f| f.type_cfg(&t.name)).unwrap_or_default();
            emit_type(t, &self.facts, &self.known, &cfg)
        });
        quote!(#(#types)*)
    }
}

/// The items of one type, each preceded by `cfg` (empty, or the type's `#[cfg(feature = ...)]`).
fn emit_type(def: &TypeDef, facts: &Facts<'_>, known: &Known<'_>, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_text = Some(def.doc.clone().unwrap_or_else(|| format!("Generated from `{}`.", def.pointer)));
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(&name, &def.name, doc(doc_text.as_deref()), s, facts, cfg),
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
        TypeKind::Union(u) => emit_union(&name, doc(doc_text.as_deref()), u, known, cfg),
        TypeKind::Alias(t) => {
            let d = doc(doc_text.as_deref());
            let t = ty(t, Scope::Types);
            quote! {
                #d
                #cfg
                pub type #name = #t;
            }
        }
        TypeKind::Multipart(m) => super::multipart::emit_struct(&name, doc(doc_text.as_deref()), m, cfg),
        TypeKind::Newtype(t) => {
            let d = doc(doc_text.as_deref());
            let t = ty(t, Scope::Types);
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
    type_name: &str,
    doc: TokenStream,
    s: &Struct,
    facts: &Facts<'_>,
    cfg: &TokenStream,
) -> TokenStream {
    let derives = struct_derives(s, facts);
    let fields = s.fields.iter().map(struct_field);
    let additional = s.additional.as_ref().map(|(fname, t)| {
        let fname = ident(fname);
        let t = ty(t, Scope::Types);
        quote! {
            /// Properties not named above (`additionalProperties`).
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #t>,
        }
    });
    let constructor = constructor(s, facts);
    let setters = if facts.is_sent(type_name) { setters(s) } else { Vec::new() };
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

/// `Serialize` through the runtime's `object` module (why not serde's derive: its docs): the
/// length (required fields, plus the optional ones present), then one call per field.
fn struct_serialize(name: &Ident, s: &Struct, cfg: &TokenStream) -> TokenStream {
    // Per field: its write, and whether it counts in the length always or only when present.
    let (mut always, mut present, mut writes) = (0, Vec::new(), Vec::new());
    for f in &s.fields {
        let fname = ident(&f.name);
        let wire = &f.wire;
        writes.push(match f.presence() {
            Presence::Required | Presence::RequiredNullable => {
                always += 1;
                quote!(out.field(#wire, &self.#fname);)
            }
            Presence::Optional => {
                present.push(quote!(self.#fname.is_some()));
                quote!(out.optional(#wire, &self.#fname);)
            }
            Presence::OptionalNullable => {
                present.push(quote!(self.#fname.is_present()));
                quote!(out.nullable(#wire, &self.#fname);)
            }
        });
    }
    // The terms of the length, without a `0 +` (clippy's `identity_op`).
    let mut terms = Vec::new();
    if always > 0 {
        let always = Literal::usize_unsuffixed(always);
        terms.push(quote!(#always));
    }
    if !present.is_empty() {
        terms.push(quote!(crate::runtime::object::count(&[#(#present),*])));
    }
    if let Some((aname, _)) = &s.additional {
        let aname = ident(aname);
        terms.push(quote!(self.#aname.len()));
    }
    let len = if terms.is_empty() { quote!(0) } else { quote!(#(#terms)+*) };
    let start = match &s.additional {
        Some(_) => quote!(crate::runtime::object::map_fields(serializer, #len)),
        None => {
            let wire_name = name.to_string();
            quote!(crate::runtime::object::struct_fields(serializer, #wire_name, #len))
        }
    };
    let additional = s.additional.as_ref().map(|(aname, _)| {
        let aname = ident(aname);
        quote!(out.additional(&self.#aname);)
    });
    let body = if writes.is_empty() && additional.is_none() {
        quote!(#start.end())
    } else {
        quote! {
            let mut out = #start;
            #(#writes)*
            #additional
            out.end()
        }
    };
    quote! {
        #cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #body
            }
        }
    }
}

/// `Deserialize` through the runtime's `object` module (why not serde's derive: its docs): a
/// slot per field named as the field, one `match` arm per wire name, then each slot turned into
/// the field's value as its presence says.
fn struct_deserialize(name: &Ident, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let expecting = format!("struct {name}");
    // The impl's own locals, named so that no slot (named as a field) can shadow them.
    let mut used: std::collections::BTreeSet<String> =
        s.fields.iter().map(|f| f.name.clone()).chain(s.additional.iter().map(|(n, _)| n.clone())).collect();
    let fields = ident(&unique(&mut used, "fields", Style::Snake));
    let key = ident(&unique(&mut used, "key", Style::Snake));
    let slots = s.fields.iter().map(|f| {
        let slot = ident(&f.name);
        quote!(let mut #slot = ::std::option::Option::None;)
    });
    let arms = s.fields.iter().map(|f| {
        let slot = ident(&f.name);
        let wire = &f.wire;
        quote!(#wire => #fields.value(&mut #slot, #wire),)
    });
    let (additional_slot, other) = match &s.additional {
        Some((aname, _)) => {
            let slot = ident(aname);
            (
                quote!(let mut #slot = ::std::collections::BTreeMap::new();),
                quote!(_ => #fields.additional(#key, &mut #slot),),
            )
        }
        None => (TokenStream::new(), quote!(_ => #fields.skip(&#key),)),
    };
    let values = s.fields.iter().map(|f| {
        let slot = ident(&f.name);
        let wire = &f.wire;
        match f.presence() {
            Presence::Required => quote!(#slot: #fields.required(#slot, #wire)?,),
            Presence::RequiredNullable | Presence::Optional => quote!(#slot: #fields.optional(#slot),),
            Presence::OptionalNullable => quote!(#slot: #fields.nullable(#slot),),
        }
    });
    let additional_value = s.additional.as_ref().map(|(aname, _)| {
        let slot = ident(aname);
        quote!(#slot,)
    });
    // A `match` on the key needs fields to match (a one-arm `match` would not pass clippy):
    // without them every entry is kept as an additional property, or skipped.
    let (binding, read) = match (s.fields.is_empty(), &s.additional) {
        (false, _) => (
            quote!(mut #fields),
            // One `?` for the whole `match`, not one per arm: this impl is written for every
            // object type, so what each arm costs the compiler counts.
            quote! {
                while let ::std::option::Option::Some(#key) = #fields.key()? {
                    match #key.as_str() {
                        #(#arms)*
                        #other
                    }?;
                }
            },
        ),
        (true, Some((aname, _))) => {
            let slot = ident(aname);
            (
                quote!(mut #fields),
                quote! {
                    while let ::std::option::Option::Some(#key) = #fields.key()? {
                        #fields.additional(#key, &mut #slot)?;
                    }
                },
            )
        }
        (true, None) => (quote!(#fields), quote!(#fields.skip_all()?;)),
    };
    quote! {
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::object::deserialize(deserializer, #expecting)
            }
        }

        #cfg
        impl crate::runtime::object::Object for #name {
            fn from_fields<'de, A: ::serde::de::MapAccess<'de>>(
                #binding: crate::runtime::object::Fields<'de, A>,
            ) -> ::std::result::Result<Self, A::Error> {
                #(#slots)*
                #additional_slot
                #read
                ::std::result::Result::Ok(Self {
                    #(#values)*
                    #additional_value
                })
            }
        }
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
fn struct_field(f: &Field) -> TokenStream {
    let fname = ident(&f.name);
    let d = doc(f.doc.as_deref());
    let inner = ty(&f.ty, Scope::Types);
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
fn constructor(s: &Struct, facts: &Facts<'_>) -> TokenStream {
    let Some(required) = facts.new_args(s) else { return TokenStream::new() };
    let params = required.iter().map(|f| {
        let fname = ident(&f.name);
        let inner = ty(&f.ty, Scope::Types);
        match (f.presence(), &f.ty) {
            (Presence::Required, Ty::String) => quote!(#fname: impl ::std::convert::Into<::std::string::String>),
            (Presence::Required, _) => quote!(#fname: #inner),
            _ => quote!(#fname: ::std::option::Option<#inner>),
        }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        match (f.presence(), &f.ty) {
            (Presence::Required, t) if let Some(value) = fixed_value(facts, t) => quote!(#fname: #value),
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
fn setters(s: &Struct) -> Vec<TokenStream> {
    let mut setter_names = std::collections::BTreeSet::new();
    s.fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| {
            let fname = ident(&f.name);
            let base = format!("with_{}", f.name.trim_start_matches('_').trim_end_matches('_'));
            let setter = ident(&unique(&mut setter_names, &base, Style::Snake));
            let inner = ty(&f.ty, Scope::Types);
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

fn emit_enum(name: &Ident, doc: TokenStream, e: &StringEnum, cfg: &TokenStream) -> TokenStream {
    let fallback = ident(&e.fallback);
    let expecting = format!("enum {name}");
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

fn emit_constants(name: &Ident, doc: TokenStream, c: &Constants, cfg: &TokenStream) -> TokenStream {
    let base = ty(&c.base, Scope::Types);
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

/// `From<T> for Union` for each variant whose type `T` no other variant holds (aliases seen
/// through); not for `()`, a JSON value, or the union itself.
fn union_froms(name: &Ident, u: &Union, known: &Known<'_>, cfg: &TokenStream) -> Vec<TokenStream> {
    let resolved: Vec<&Ty> = u.variants.iter().map(|v| known.resolve(&v.ty)).collect();
    u.variants
        .iter()
        .zip(&resolved)
        .filter(|(_, r)| resolved.iter().filter(|o| o == r).count() == 1)
        .filter(|(_, r)| !matches!(r, Ty::Unit | Ty::Json) && **r != &Ty::Named(name.to_string()))
        .map(|(v, _)| {
            let vname = ident(&v.name);
            let (from, value) = match &v.ty {
                Ty::Box(inner) => (ty(inner, Scope::Types), quote!(::std::boxed::Box::new(value))),
                other => (ty(other, Scope::Types), quote!(value)),
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

fn emit_union(name: &Ident, doc: TokenStream, u: &Union, known: &Known<'_>, cfg: &TokenStream) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let t = ty(&v.ty, Scope::Types);
        quote!(#vname(#t),)
    });
    let froms = union_froms(name, u, known, cfg);
    let Some(property) = &u.discriminator else {
        // Tried exact-first by the runtime (`union::untagged`), so that no branch's open fallback
        // captures a value a later branch matches exactly; serde's untagged derive tries each
        // branch once, in order.
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
        return quote! {
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
        };
    };
    let fallback = ident(&u.fallback);
    let fallback_doc =
        format!(" A value whose `{property}` this version of the client does not know, kept as received.");
    let ser_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        if known.writes_tag(&v.ty, property, &v.tags) {
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
                    _ => crate::runtime::union::unknown_tag(value, #property, #wire_name).map(Self::#fallback),
                }
            }
        }

        #(#froms)*
    }
}
