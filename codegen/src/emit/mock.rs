//! The `mock` module (behind the `mock` feature): a typed mock of every operation on
//! `templates/mock/server.rs`'s `MockServer`, in the resource tree the client has
//! (`mock.devboxes().retrieve("dbx_1")` mirrors `client.devboxes().retrieve("dbx_1")`), and the
//! table of routes that names the operation closest to a request no mock matched. Reads the
//! model; decides nothing about requests.

use proc_macro2::TokenStream;
use quote::quote;

use super::resources::ResourceTree;
use super::{Scope, ident, ty};
use crate::ir::*;

/// `MockServer`'s own methods (`templates/mock/server.rs`; a test keeps the list complete): a
/// top-level resource of one of these names is mocked by `{name}_resource()`.
const SERVER_METHODS: &[&str] =
    &["builder", "client", "received_requests", "start", "take_unmatched", "unmatched", "uri", "wiremock"];

/// The accessor of a top-level resource on `MockServer`: its name on the client, unless the
/// server has a method of that name.
fn top_accessor(name: &str) -> String {
    if SERVER_METHODS.contains(&name) { format!("{name}_resource") } else { name.to_owned() }
}

/// The module's items, emitted in parts ([`Mocks::head`], then [`Mocks::structs`] over ranges of
/// the resource list) so that render can format the parts on several threads.
pub(crate) struct Mocks<'a> {
    ir: &'a Ir,
    /// The client's resource tree, which the mocks mirror.
    tree: &'a ResourceTree<'a>,
}

impl<'a> Mocks<'a> {
    pub(crate) fn new(ir: &'a Ir, tree: &'a ResourceTree<'a>) -> Self {
        Mocks { ir, tree }
    }

    /// How much code each mock struct is, roughly, for dividing the list into parts.
    pub(crate) fn weights(&self) -> Vec<usize> {
        self.tree.entries().iter().map(|(_, ops)| 1 + ops.len()).collect()
    }

    /// The module's docs, the server's items, the route table and the top-level accessors.
    /// `server` is the `mod server;` item, which the crate and a fixture file write differently.
    pub(crate) fn head(&self, server: TokenStream) -> TokenStream {
        let ir = self.ir;
        let routes = ir.operations.iter().map(|op| {
            let (id, method, template) = (&op.id, op.http_method.as_str(), op.path_template());
            let mut chain: Vec<String> = op.resource.iter().map(|r| format!("{r}()")).collect();
            if let Some(top) = op.resource.first() {
                chain[0] = format!("{}()", top_accessor(top));
            }
            let call = format!("mock.{}.{}(..)", chain.join("."), op.method_name);
            quote!(Route { operation: #id, method: #method, template: #template, call: #call },)
        });
        let top = self.tree.entries().iter().map(|(k, _)| k).filter(|k| k.len() == 1).map(|k| {
            let accessor = ident(&top_accessor(&k[0]));
            let rtype = mock_type(ir, k);
            let doc = format!(" Mocks of the operations under `client.{}()`.", k[0]);
            let cfg = self.tree.cfg(k);
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #accessor(&self) -> #rtype<'_> {
                    #rtype { server: self }
                }
            }
        });
        quote! {
            //! Typed mocks of the API for your tests (the `mock` feature): a local server on which each
            //! operation is mocked by a method named as the client's, taking its path parameters,
            //! then answered with its typed response.
            //!
            //! ```no_run
            //! # async fn run() -> Result<(), crate_name::Error> {
            //! let mock = crate_name::mock::MockServer::start().await;
            //! let client = mock.client();
            //! // mock.<resource>().<operation>(<path parameters>).returns(<value>).await;
            //! # let _ = client;
            //! # Ok(())
            //! # }
            //! ```
            //!
            //! A request no mock matches is answered with status 418 and a message naming the operation
            //! closest to it, and the test fails when the server is dropped.

            #server
            pub use self::server::{Expect, MockServer, Raw};
            use self::server::Route;

            /// Every operation, for the message of a request no mock matched.
            pub(crate) const ROUTES: &[Route] = &[#(#routes)*];

            impl MockServer {
                #(#top)*
            }
        }
    }

    /// The mock structs of `range` of the sorted resource list, with their methods.
    pub(crate) fn structs(&self, range: std::ops::Range<usize>) -> TokenStream {
        let ir = self.ir;
        let structs = self.tree.entries()[range].iter().map(|(path, ops)| {
            let rtype = mock_type(ir, path);
            let doc = format!(
                " Mocks of the operations under `client.{}`.",
                path.iter().map(|p| format!("{p}()")).collect::<Vec<_>>().join(".")
            );
            let subs = self.tree.children(path).map(|k| {
                let accessor = ident(k.last().expect("non-empty"));
                let sub = mock_type(ir, k);
                let doc = format!(" Mocks of the operations under `{}`.", k.join("."));
                quote! {
                    #[doc = #doc]
                    pub fn #accessor(&self) -> #sub<'a> {
                        #sub { server: self.server }
                    }
                }
            });
            let methods = ops.iter().map(|op| operation(op, ir));
            let cfg = self.tree.cfg(path);
            quote! {
                #[doc = #doc]
                #cfg
                #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
                pub struct #rtype<'a> {
                    server: &'a MockServer,
                }

                #cfg
                impl<'a> #rtype<'a> {
                    #(#subs)*
                    #(#methods)*
                }
            }
        });
        quote!(#(#structs)*)
    }

    /// The whole module in one token stream.
    pub(crate) fn all(&self, server: TokenStream) -> TokenStream {
        let mut out = self.head(server);
        out.extend(self.structs(0..self.tree.entries().len()));
        out
    }
}

/// A mock resource struct's name: the client's (`DevboxesExecutions`) with `Mock` before it
/// (resource struct names are unique, so these are too).
fn mock_type(ir: &Ir, path: &[String]) -> proc_macro2::Ident {
    let name = match ir.resource_types.get(path) {
        Some(name) => name.clone(),
        None => crate::naming::camel_ident(&path.join(" "), "Resource", "Resource"),
    };
    // A resource called `server` would be `MockServer`, the server itself.
    if name == "Server" { ident("MockServerResource") } else { ident(&format!("Mock{name}")) }
}

/// The mock of one operation: its path parameters as the client takes them, and an `Expect`
/// typed by what it returns.
fn operation(op: &Operation, ir: &Ir) -> TokenStream {
    let method = ident(&op.method_name);
    let types = &ir.types;
    let params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
    let args = params.iter().map(|p| {
        let name = ident(&p.name);
        let t = super::resources::positional_type(p, types);
        quote!(#name: #t)
    });
    let segments = super::resources::path_segments(op);
    let (returns, status) = match &op.success {
        Success::Json(t) => (ty(t, Scope::Elsewhere, types), 200u16),
        Success::Empty => (quote!(()), 204),
        _ => (quote!(Raw), 200),
    };
    let template = op.path_template();
    let (id, http) = (&op.id, op.http_method.as_str());
    let doc = format!(
        " Mocks `{id}` (`{http} {template}`){}.",
        if params.is_empty() { "" } else { " for these path parameters" }
    );
    let lint = if params.len() > 6 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
    let trait_lint = if matches!(op.method_name.as_str(), "clone" | "cmp") {
        quote!(#[allow(clippy::should_implement_trait)])
    } else {
        TokenStream::new()
    };
    quote! {
        #[doc = #doc]
        #lint
        #trait_lint
        pub fn #method(&self, #(#args),*) -> Expect<'a, #returns> {
            let path = crate::runtime::PathBuilder::new(#template) #(#segments)* .finish();
            Expect::new(self.server, #id, #http, path.map(|p| p.path).map_err(|e| e.to_string()), #status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SERVER_METHODS;

    /// Every inherent method of `MockServer` is in `SERVER_METHODS`: a top-level resource accessor
    /// of the same name would be a duplicate definition.
    #[test]
    fn server_methods_are_listed() {
        let mut found = crate::render::inherent_methods(crate::render::MOCK_SERVER, "MockServer");
        found.sort();
        assert_eq!(found, SERVER_METHODS);
    }

    /// A top-level resource named like one of them is mocked by `{name}_resource()`.
    #[test]
    fn a_resource_named_like_a_server_method_is_renamed() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /start/{id}:\n    get:\n      operationId: getStart\n      tags: [start]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n";
        let options = crate::Options { crate_name: "t".into(), ..Default::default() };
        let generated = crate::generate(spec, &options).unwrap();
        let mock = &generated.files["src/mock/mod.rs"];
        assert!(mock.contains("pub fn start_resource(&self)"), "{mock}");
        assert!(mock.contains("call: \"mock.start_resource()."), "{mock}");
    }
}
