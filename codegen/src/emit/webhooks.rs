//! The `webhooks` module of a crate whose spec has webhooks: an `Event` enum with a variant per
//! webhook (its payload boxed) and `Unknown`, `parse` choosing the variant by the headers and body
//! tags lowering found (the most specific first), and `verify_and_parse`. The signature schemes are
//! `templates/webhooks/verify.rs`, copied beside it. Reads the model; decides nothing about which
//! requests are which event.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::{Scope, ident, ty};
use crate::ir::*;

/// The module's items, or `None` when the spec has no webhooks. `verify` is the `mod verify;`
/// item, which the crate and a fixture file write differently.
pub(crate) fn module(ir: &Ir, verify: TokenStream) -> Option<TokenStream> {
    if ir.webhooks.is_empty() {
        return None;
    }
    let variants = ir.webhooks.iter().map(|w| {
        let v = ident(&w.variant);
        let payload = ty(&w.payload, Scope::Elsewhere, &ir.types);
        let mut text = w.doc.clone().unwrap_or_default();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("The webhook `{}` (`{}` in the spec).", w.name.replace('`', "'"), w.pointer));
        let d = doc(Some(&text));
        quote! {
            #d
            #v(::std::boxed::Box<#payload>),
        }
    });
    let names = ir.webhooks.iter().map(|w| {
        let v = ident(&w.variant);
        let name = &w.name;
        quote!(Self::#v(_) => ::std::option::Option::Some(#name),)
    });
    let mut order: Vec<&Webhook> = ir.webhooks.iter().collect();
    // The most specific first; the sort is stable, so equally specific ones keep document order.
    order.sort_by_key(|w| std::cmp::Reverse(w.specificity()));
    let checks = order.iter().map(|w| {
        let v = ident(&w.variant);
        let name = &w.name;
        let conditions: Vec<TokenStream> = w
            .headers
            .iter()
            .map(|(h, value)| quote!(header(#h) == ::std::option::Option::Some(#value)))
            .chain(w.fields.iter().map(|(f, value)| quote!(field(#f) == ::std::option::Option::Some(#value))))
            .collect();
        // An event nothing tells apart is the request's when its payload decodes; a newer event
        // the spec does not describe stays `Unknown`.
        if conditions.is_empty() {
            return quote! {
                if let ::std::result::Result::Ok(payload) = decode(value.clone(), #name) {
                    return ::std::result::Result::Ok(Event::#v(payload));
                }
            };
        }
        quote! {
            if #(#conditions)&&* {
                return decode(value, #name).map(Event::#v);
            }
        }
    });
    let fallback = quote!(::std::result::Result::Ok(Event::Unknown(value)));
    let uses_fields = ir.webhooks.iter().any(|w| !w.fields.is_empty());
    let uses_headers = ir.webhooks.iter().any(|w| !w.headers.is_empty());
    let field =
        uses_fields.then(|| quote!(let field = |name: &str| value.get(name).and_then(::serde_json::Value::as_str);));
    let header =
        uses_headers.then(|| quote!(let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());));
    let unused = (!uses_headers).then(|| quote!(let _ = headers;));
    Some(quote! {
        //! Webhooks: the requests the API sends to your endpoint, as typed events. Check the
        //! signature before reading the body ([`verify_and_parse`] does both, refusing before it
        //! parses), with the scheme the API signs with: [`StandardWebhooks`] or [`HmacSignature`].
        //!
        //! ```no_run
        //! # fn handle(headers: &crate_name::HeaderMap, body: &[u8]) -> Result<(), crate_name::webhooks::WebhookError> {
        //! use crate_name::webhooks::{Event, StandardWebhooks, verify_and_parse};
        //!
        //! let verifier = StandardWebhooks::new(&std::env::var("WEBHOOK_SECRET").unwrap_or_default())?;
        //! match verify_and_parse(&verifier, headers, body)? {
        //!     Event::Unknown(value) => println!("an event this crate does not know: {value}"),
        //!     event => println!("{:?}", event.name()),
        //! }
        //! # Ok(())
        //! # }
        //! ```

        #verify
        pub use self::verify::{DEFAULT_TOLERANCE, HmacSignature, StandardWebhooks, Verify, WebhookError};

        /// An event the API sent to your webhook endpoint, as [`parse`] read it: one variant per
        /// webhook of the spec, holding its payload, and [`Event::Unknown`] for any other.
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// An event the spec this crate was generated from does not describe (a newer one,
            /// or one without the headers and fields that tell the others apart): its JSON.
            Unknown(::serde_json::Value),
        }

        impl Event {
            /// The webhook's name in the spec; `None` for [`Event::Unknown`].
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(#names)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }
        }

        /// Reads a webhook request: which event it is, by the headers and body fields the spec
        /// gives each (the most specific match first), and its body as that event's payload.
        /// A body that is not JSON, or not its event's payload, is [`WebhookError::Payload`].
        /// It does not check the signature: see [`verify_and_parse`].
        pub fn parse(
            headers: &::reqwest::header::HeaderMap,
            body: &[u8],
        ) -> ::std::result::Result<Event, WebhookError> {
            let value: ::serde_json::Value = ::serde_json::from_slice(body)
                .map_err(|e| WebhookError::Payload { event: ::std::option::Option::None, message: e.to_string() })?;
            #unused
            #header
            #field
            #(#checks)*
            #fallback
        }

        /// Checks the request's signature with `verifier`, and only then [`parse`]s it.
        pub fn verify_and_parse(
            verifier: &impl Verify,
            headers: &::reqwest::header::HeaderMap,
            body: &[u8],
        ) -> ::std::result::Result<Event, WebhookError> {
            verifier.verify(headers, body)?;
            parse(headers, body)
        }

        /// The payload of the event `name`.
        fn decode<T: ::serde::de::DeserializeOwned>(
            value: ::serde_json::Value,
            name: &'static str,
        ) -> ::std::result::Result<::std::boxed::Box<T>, WebhookError> {
            ::serde_json::from_value(value)
                .map(::std::boxed::Box::new)
                .map_err(|e| WebhookError::Payload { event: ::std::option::Option::Some(name), message: e.to_string() })
        }
    })
}
