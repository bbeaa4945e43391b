//! Object types' `Serialize` and `Deserialize`, written out as calls into the runtime's `object`
//! module (why not serde's derive: its docs in `templates/runtime/object.rs`).
//!
//! Must not: decide which types are emitted or how they are named (that is `types.rs` and the IR).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::*;
use crate::naming::{Style, unique};

/// `Serialize` through the runtime's `object` module (why not serde's derive: its docs): the
/// length (required fields, plus the optional ones present), then one call per field.
pub(super) fn struct_serialize(name: &Ident, s: &Struct, cfg: &TokenStream) -> TokenStream {
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
pub(super) fn struct_deserialize(name: &Ident, s: &Struct, cfg: &TokenStream) -> TokenStream {
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
    let (additional_slot, binding, read) = read_entries(s, &fields, &key);
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

/// How `from_fields` reads the entries: the additional properties' slot (if any), the binding of
/// the `Fields` argument, and the loop that puts each entry in its slot.
fn read_entries(s: &Struct, fields: &Ident, key: &Ident) -> (TokenStream, TokenStream, TokenStream) {
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
    (additional_slot, binding, read)
}
