//! Security in the generated crate: the `SPEC` constant's schemes and requirements, the
//! `ClientBuilder` method of each scheme (emitted at the crate root, so its docs name the scheme
//! and its variables), each operation's `.authenticated(…)`/`.security(…)` call, and the README's
//! rows of environment variables. Must not: decide which scheme an operation needs (`lower`
//! did), or hold a credential in generated code.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::*;

/// The `schemes` and `security` fields of `SPEC`.
pub(super) fn spec_fields(ir: &Ir) -> TokenStream {
    let schemes = ir.schemes.iter().map(|s| {
        let name = &s.name;
        let env = &s.env;
        let setter = s.method.as_deref().unwrap_or("api_key");
        let kind = match &s.kind {
            SchemeKind::Basic => quote!(runtime::SchemeKind::Basic),
            SchemeKind::ApiKey(KeyLocation::Header, n) => quote!(runtime::SchemeKind::Header(#n)),
            SchemeKind::ApiKey(KeyLocation::Query, n) => quote!(runtime::SchemeKind::Query(#n)),
            SchemeKind::ApiKey(KeyLocation::Cookie, n) => quote!(runtime::SchemeKind::Cookie(#n)),
            SchemeKind::Bearer => quote!(runtime::SchemeKind::Bearer),
            SchemeKind::OAuth2 { token_url, scopes } => {
                let token_url = match token_url {
                    Some(u) => quote!(::std::option::Option::Some(#u)),
                    None => quote!(::std::option::Option::None),
                };
                quote!(runtime::SchemeKind::OAuth2 { token_url: #token_url, scopes: &[#(#scopes),*] })
            }
            SchemeKind::OpenIdConnect { url, scopes } => {
                quote!(runtime::SchemeKind::OpenIdConnect { url: #url, scopes: &[#(#scopes),*] })
            }
        };
        quote!(runtime::Scheme { name: #name, kind: #kind, setter: #setter, env: #env })
    });
    let security = requirements(&ir.security);
    quote! {
        schemes: &[#(#schemes),*],
        security: #security,
    }
}

/// A requirements list as a `&[&[usize]]` literal.
fn requirements(list: &[Vec<usize>]) -> TokenStream {
    let alternatives = list.iter().map(|r| {
        let indices = r.iter().map(|&i| Literal::usize_unsuffixed(i));
        quote!(&[#(#indices),*])
    });
    quote!(&[#(#alternatives),*])
}

/// What an operation's request sends: `.authenticated(false)` (nothing), `.authenticated(true)`
/// (the document's requirements) or `.security(&[…])` (its own).
pub(super) fn op_call(op: &Operation) -> TokenStream {
    match &op.security {
        OpSecurity::None => quote!(.authenticated(false)),
        OpSecurity::Document => quote!(.authenticated(true)),
        OpSecurity::Own(list) => {
            let list = requirements(list);
            quote!(.security(#list))
        }
    }
}

/// The `ClientBuilder` methods of the schemes that have their own (every scheme but the one
/// `api_key` sets), at the crate root.
pub(super) fn builder_methods(ir: &Ir, env_prefix: &str) -> TokenStream {
    let methods = ir.schemes.iter().enumerate().filter_map(|(index, s)| {
        let method = ident(s.method.as_deref()?);
        let index = Literal::usize_unsuffixed(index);
        let doc = super::docs::doc_lines(&method_doc(s, env_prefix), false);
        Some(match &s.kind {
            SchemeKind::Basic => quote! {
                #doc
                pub fn #method(
                    self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    self.credential(#index, runtime::Credential::basic(username, password))
                }
            },
            kind => {
                let flow =
                    kind.client_credentials().then(|| client_credentials_methods(s, &method, &index, env_prefix));
                let provider = kind.is_oauth().then(|| provider_method(s, &method, &index));
                quote! {
                    #doc
                    pub fn #method(self, secret: impl ::std::convert::Into<::std::string::String>) -> Self {
                        self.credential(#index, runtime::Credential::secret(secret))
                    }
                    #flow
                    #provider
                }
            }
        })
    });
    let methods: Vec<TokenStream> = methods.collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// The credential of each of the spec's security schemes.
        impl ClientBuilder {
            #(#methods)*
        }
    }
}

/// An OAuth scheme's `_token_provider`: a function each call that needs a token asks for one.
fn provider_method(s: &Scheme, method: &proc_macro2::Ident, index: &Literal) -> TokenStream {
    let name = quote::format_ident!("{method}_token_provider");
    let doc = format!(
        " A function returning an access token for the security scheme `{}`, asked by each call that needs one \
         (for a flow you run yourself: authorization code, device, ...; cache in it as you need). Its error is \
         [`Error::Auth`](crate::Error::Auth).",
        s.name
    );
    quote! {
        #[doc = #doc]
        pub fn #name<F, T>(self, provider: F) -> Self
        where
            F: ::std::ops::Fn() -> T + ::std::marker::Send + ::std::marker::Sync + 'static,
            T: ::std::future::Future<Output = ::std::result::Result<::std::string::String, crate::HookError>>
                + ::std::marker::Send
                + 'static,
        {
            self.credential(#index, runtime::Credential::provider(provider))
        }
    }
}

/// The methods of a client-credentials scheme: its client's id and secret, and its token URL.
fn client_credentials_methods(
    s: &Scheme,
    method: &proc_macro2::Ident,
    index: &Literal,
    env_prefix: &str,
) -> TokenStream {
    let flow = quote::format_ident!("{method}_client_credentials");
    let token_url = quote::format_ident!("{method}_token_url");
    let (endpoint, scopes) = match &s.kind {
        SchemeKind::OAuth2 { token_url: Some(url), scopes } => (format!("`{url}`"), scopes),
        SchemeKind::OpenIdConnect { url, scopes } => {
            (format!("the `token_endpoint` of the discovery document `{url}`"), scopes)
        }
        _ => return TokenStream::new(),
    };
    let scopes =
        if scopes.is_empty() { String::new() } else { format!(", asking for the scopes `{}`", scopes.join(" ")) };
    let flow_doc = format!(
        " The client id and secret of the security scheme `{name}`: the client fetches its access tokens from {endpoint} \
         (OAuth 2 client credentials{scopes}) when a call first needs one, caches them, fetches the next one \
         [`defaults::TOKEN_REFRESH_MARGIN`](crate::defaults::TOKEN_REFRESH_MARGIN) before expiry (concurrent calls share \
         one fetch), and fetches a new one once when a call is answered 401; a token endpoint that fails is \
         [`Error::Auth`](crate::Error::Auth). From the environment: `{env_prefix}_{env}_CLIENT_ID` and \
         `{env_prefix}_{env}_CLIENT_SECRET`.",
        name = s.name,
        env = s.env,
    );
    let url_doc = format!(" The token URL of the security scheme `{}`, in place of {endpoint}.", s.name);
    quote! {
        #[doc = #flow_doc]
        pub fn #flow(
            self,
            client_id: impl ::std::convert::Into<::std::string::String>,
            client_secret: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.credential(#index, runtime::Credential::client_credentials(client_id, client_secret))
        }
        #[doc = #url_doc]
        pub fn #token_url(self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.token_url(#index, url)
        }
    }
}

/// A scheme's method docs: what it sets, how it is sent, its variable, and the spec's description.
fn method_doc(s: &Scheme, env_prefix: &str) -> Vec<String> {
    let env = &s.env;
    let sent = sent_as(&s.kind);
    let variable = match s.kind {
        SchemeKind::Basic => format!("`{env_prefix}_{env}_USERNAME` and `{env_prefix}_{env}_PASSWORD`"),
        _ => format!("`{env_prefix}_{env}`"),
    };
    let what = match s.kind {
        SchemeKind::Basic => "The user name and password",
        SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } | SchemeKind::Bearer => "The access token",
        SchemeKind::ApiKey(..) => "The API key",
    };
    let mut doc =
        vec![format!("{what} of the security scheme `{}`, sent as {sent}; from the environment: {variable}.", s.name)];
    if let Some(d) = &s.doc {
        doc.push(String::new());
        doc.extend(super::docs::sanitize_doc(d));
    }
    doc
}

/// How a scheme's credential goes on the wire, for docs.
pub(super) fn sent_as(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Bearer | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => {
            "`Authorization: Bearer <token>`".to_owned()
        }
        SchemeKind::Basic => "`Authorization: Basic <base64 of user:password>`".to_owned(),
        SchemeKind::ApiKey(KeyLocation::Header, n) => format!("the header `{n}`"),
        SchemeKind::ApiKey(KeyLocation::Query, n) => format!("the query parameter `{n}`"),
        SchemeKind::ApiKey(KeyLocation::Cookie, n) => format!("the cookie `{n}`"),
    }
}

/// The README's rows of credential variables: `API_KEY` (required when the document's security
/// needs it), then each scheme's own.
pub(super) fn readme_rows(ir: &Ir, env_prefix: &str) -> String {
    let required = !ir.security.is_empty() && !ir.security.iter().any(Vec::is_empty);
    let mut rows = String::new();
    let api_key_scheme = ir.schemes.iter().find(|s| s.method.is_none());
    let api_key = match api_key_scheme {
        _ if ir.schemes.is_empty() => "not sent: the spec declares no security scheme".to_owned(),
        Some(_) if ir.schemes.len() == 1 => "the API key".to_owned(),
        Some(s) => format!("the credential of the security scheme `{}`, sent as {}", s.name, sent_as(&s.kind)),
        None => "the credential of every scheme below that takes one key or token and has none of its own".to_owned(),
    };
    let needed = if required && api_key_scheme.is_some() { " (required)" } else { "" };
    rows.push_str(&format!("| `{env_prefix}_API_KEY` | {api_key}{needed} |\n"));
    for s in ir.schemes.iter().filter(|s| s.method.is_some()) {
        let sent = sent_as(&s.kind);
        let method = s.method.as_deref().unwrap_or_default();
        match s.kind {
            SchemeKind::Basic => rows.push_str(&format!(
                "| `{env_prefix}_{0}_USERNAME`, `{env_prefix}_{0}_PASSWORD` | the security scheme `{1}`, sent as {sent} (`.{method}(user, password)`) |\n",
                s.env, s.name
            )),
            ref kind if kind.client_credentials() => rows.push_str(&format!(
                "| `{env_prefix}_{0}`, or `{env_prefix}_{0}_CLIENT_ID` and `{env_prefix}_{0}_CLIENT_SECRET` | the security \
                 scheme `{1}`, sent as {sent}: a token (`.{method}(…)`), or the client's id and secret, for which the client \
                 fetches and refreshes tokens itself (`.{method}_client_credentials(id, secret)`) |\n",
                s.env, s.name
            )),
            _ => rows.push_str(&format!(
                "| `{env_prefix}_{}` | the security scheme `{}`, sent as {sent} (`.{method}(…)`) |\n",
                s.env, s.name
            )),
        }
    }
    rows
}

/// The credential variables `Client::from_env` reads, as a phrase for docs: `` `P_API_KEY`
/// (required) `` for an API of one key-taking scheme that every call needs, else the API key
/// and each scheme's own variables (without the note when `note_required` is false).
pub(super) fn env_summary(ir: &Ir, env_prefix: &str, note_required: bool) -> String {
    let required = note_required && !ir.security.is_empty() && !ir.security.iter().any(Vec::is_empty);
    let mut names = vec![format!("`{env_prefix}_API_KEY`")];
    for s in ir.schemes.iter().filter(|s| s.method.is_some()) {
        match s.kind {
            SchemeKind::Basic => {
                names.push(format!("`{env_prefix}_{}_USERNAME`", s.env));
                names.push(format!("`{env_prefix}_{}_PASSWORD`", s.env));
            }
            _ => names.push(format!("`{env_prefix}_{}`", s.env)),
        }
    }
    let note = match (required, names.len()) {
        (true, 1) => " (required)",
        (true, _) => " (those of one of the API's security requirements are required)",
        (false, _) => "",
    };
    format!("{}{note}", names.join(", "))
}

/// The README's example of setting each scheme's credential in code, for an API with schemes
/// of their own methods (an API whose only scheme takes one key sets it with `api_key`).
pub(super) fn readme_example(ir: &Ir, krate: &str) -> String {
    let calls: Vec<String> = ir
        .schemes
        .iter()
        .filter_map(|s| {
            let method = s.method.as_deref()?;
            Some(match s.kind {
                SchemeKind::Basic => format!("        .{method}(\"user\", \"password\")\n"),
                ref kind if kind.client_credentials() => {
                    format!("        .{method}_client_credentials(\"client-id\", \"client-secret\")\n")
                }
                _ => format!("        .{method}(\"{}\")\n", placeholder(&s.kind)),
            })
        })
        .collect();
    if calls.is_empty() {
        return String::new();
    }
    format!(
        "Each security scheme has its `ClientBuilder` method; an operation sends the credentials of the first of its \
         security requirements whose schemes are all set, and one that needs a scheme left unset fails with \
         `Error::MissingCredential` before anything is sent:\n\n\
         ```rust,no_run\n\
         fn main() -> Result<(), {krate}::Error> {{\n\
         \x20   let client = {krate}::Client::builder()\n{}\
         \x20       .build()?;\n\
         \x20   println!(\"{{client:?}}\"); // credentials show as `<redacted>` or by scheme name only\n\
         \x20   Ok(())\n\
         }}\n\
         ```\n\n",
        calls.concat()
    )
}

/// A made-up credential for the README's example.
fn placeholder(kind: &SchemeKind) -> &'static str {
    match kind {
        SchemeKind::ApiKey(..) => "my-api-key",
        _ => "my-access-token",
    }
}
