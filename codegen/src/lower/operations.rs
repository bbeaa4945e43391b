//! Operations: parameters, the path template, the request body, responses and the parameters
//! struct of each operation.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{Operation as ApiOperation, Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::Lowerer;
use serde_json::Value;

use super::media::{Media, classify, is_json};
use super::pagination::PageHint;
use super::paths::{self, Piece, QueryPair};
use super::view::doc_of;
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::naming::{Style, camel_ident, snake_ident, unique};

/// Headers the client sets itself; parameters for them are not generated.
const CLIENT_HEADERS: &[&str] = &["authorization", "content-type", "accept"];

/// Query pairs fixed by a path template.
type ConstantQuery = Vec<(String, String)>;

/// Where an operation is: (path template, method key, pointer of the path item, pointer of the
/// operation), and its HTTP method.
struct Site<'o> {
    path: &'o str,
    method: &'o str,
    http_method: HttpMethod,
    item_at: &'o Pointer,
    at: &'o Pointer,
}

impl Lowerer<'_> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut ops = Vec::new();
        let mut ids: BTreeMap<String, Pointer> = BTreeMap::new();
        for (path, item) in self.api.paths.iter() {
            let item_at = Pointer::root().push("paths").push(path);
            let item: openapiv3::PathItem = self.resolve(item, &item_at, "a path item")?;
            let extra = additional_operations(&item, &item_at)?;
            let fixed = item
                .iter()
                .filter_map(|(method, op)| Some((method, HttpMethod::from_key(method)?, item_at.push(method), op)));
            let extra = extra.iter().map(|(method, http, at, op)| (method.as_str(), http.clone(), at.clone(), op));
            for (method, http_method, at, op) in fixed.chain(extra) {
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
                if let Some(first) = ids.insert(id.clone(), at.clone()) {
                    return Err(Error::invalid(
                        &at.push("operationId"),
                        format!("duplicate operationId `{id}` (also at {first})"),
                    ));
                }
                // Operation parameters override path-item ones with the same name and location.
                let mut params = item.parameters.clone();
                params.extend(op.parameters.iter().cloned());
                let site = Site { path, method, http_method, item_at: &item_at, at: &at };
                ops.push(self.lower_operation(&site, op, &params, &id)?);
            }
        }
        self.assign_method_names(&mut ops);
        ops.sort_by(|a, b| (&a.resource, &a.method_name).cmp(&(&b.resource, &b.method_name)));
        Ok(ops)
    }

    fn lower_operation(
        &mut self,
        site: &Site<'_>,
        op: &ApiOperation,
        params: &[ReferenceOr<Parameter>],
        id: &str,
    ) -> Result<Operation, Error> {
        let at = site.at;
        let op_name = camel_ident(id, "Op", "Operation");
        let mut used = BTreeSet::new();
        let mut out_params = self.lower_params(site, op, params, &op_name, &mut used)?;
        let (path, constant_query) = self.lower_template(site, &mut out_params, &mut used)?;
        let body = match &op.request_body {
            None => None,
            Some(rb) => self.lower_body(rb, at, id, &op_name)?,
        };
        let (success, errors) = self.lower_responses(op, at, &op_name)?;
        name_arguments(&mut out_params, &mut used);
        let security = self.op_security(op.security.as_deref(), at);
        let (resource, method_name) = super::methods::sdk_name(op).unwrap_or_else(|| {
            let resource = super::methods::tag_resource(op, &self.api.tags)
                .or_else(|| super::methods::path_resource(site.path).map(|r| vec![r]))
                .unwrap_or_else(|| vec!["api".to_owned()]);
            // Without an operationId: method and path, without the template's query and fragment.
            let id = op.operation_id.clone().unwrap_or_else(|| format!("{} {}", site.method, paths::bare(site.path)));
            (resource, snake_ident(&id, "call"))
        });
        let http_method = site.http_method.clone();
        let hint = PageHint {
            extension: op.extensions.get("x-pagination").cloned(),
            link_header: self.documents_link_header(op, at)?,
            at: at.clone(),
        };
        self.page_hints.insert(id.to_owned(), hint);
        if let Some(ext) = op.extensions.get("x-resume") {
            self.resume_hints.insert(id.to_owned(), (ext.clone(), at.push("x-resume")));
        }
        let long_poll = self.long_poll(op, at);
        let idempotent = match op.extensions.get("x-idempotent") {
            None => None,
            Some(Value::Bool(yes)) => Some(*yes),
            Some(other) => {
                let message = crate::diagnostics::expected("`true` or `false`", other);
                self.warn(&at.push("x-idempotent"), format!("{message}; the method decides"));
                None
            }
        };
        let timeout = self.seconds(op, at, "x-timeout");
        Ok(Operation {
            id: id.to_owned(),
            pointer: at.clone(),
            resource,
            method_name,
            http_method,
            path,
            constant_query,
            params: out_params,
            // Named with the resource structs, once all resource paths are known.
            request_type: String::new(),
            body,
            success,
            errors,
            security,
            doc: doc_of(op.summary.as_deref(), op.description.as_deref()),
            deprecated: op.deprecated,
            pagination: None,
            long_poll,
            timeout,
            // Decided by `resume::detect` once the event data's type is complete.
            resume: None,
            idempotent,
        })
    }

    /// Whether the first `2XX` response documents a `Link` header (paging by `rel="next"`).
    fn documents_link_header(&self, op: &ApiOperation, at: &Pointer) -> Result<bool, Error> {
        let Some((code, response)) = op.responses.responses.iter().find(|(code, _)| code.to_string().starts_with('2'))
        else {
            return Ok(false);
        };
        let response: openapiv3::Response =
            self.resolve(response, &at.push("responses").push(code.to_string()), "a response")?;
        Ok(response.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
    }

    /// `x-long-poll: true` (the server may hold the request up to 30 s) or a number of seconds.
    fn long_poll(&mut self, op: &ApiOperation, at: &Pointer) -> Option<u64> {
        match op.extensions.get("x-long-poll")? {
            Value::Bool(true) => Some(30),
            Value::Bool(false) => None,
            _ => self.seconds(op, at, "x-long-poll"),
        }
    }

    /// An extension whose value is a positive number of seconds; anything else is ignored with a
    /// warning.
    fn seconds(&mut self, op: &ApiOperation, at: &Pointer, key: &str) -> Option<u64> {
        match op.extensions.get(key)? {
            Value::Number(n) if n.as_u64().is_some_and(|n| n > 0) => n.as_u64(),
            other => {
                let what = if key == "x-long-poll" { "`true` or a number of seconds" } else { "a number of seconds" };
                let message = crate::diagnostics::expected(what, other);
                self.warn(&at.push(key), format!("{message}; ignored"));
                None
            }
        }
    }

    /// Path, query, header and cookie parameters; later ones override earlier ones with the same
    /// (name, location). Headers the client sets itself are left out.
    fn lower_params(
        &mut self,
        site: &Site<'_>,
        op: &ApiOperation,
        params: &[ReferenceOr<Parameter>],
        op_name: &str,
        used: &mut BTreeSet<String>,
    ) -> Result<Vec<Param>, Error> {
        let from_item = params.len() - op.parameters.len();
        let mut resolved: IndexMap<(String, &'static str), (Parameter, Pointer)> = IndexMap::new();
        for (i, p) in params.iter().enumerate() {
            let p_at = if i < from_item {
                site.item_at.push("parameters").push(i)
            } else {
                site.at.push("parameters").push(i - from_item)
            };
            let p = self.resolve(p, &p_at, "a parameter")?;
            let loc = match &p {
                Parameter::Path { .. } => "path",
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => "cookie",
            };
            resolved.insert((p.parameter_data_ref().name.clone(), loc), (p, p_at));
        }
        let mut out = Vec::new();
        for ((wire, loc), (p, p_at)) in &resolved {
            if p.parameter_data_ref().extensions.contains_key("x-codegen-querystring") {
                out.extend(self.query_string_param(p, p_at, wire, op_name, used)?);
                continue;
            }
            let location = match *loc {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                _ => ParamLocation::Cookie,
            };
            if location == ParamLocation::Header && CLIENT_HEADERS.contains(&wire.to_ascii_lowercase().as_str()) {
                self.warn(p_at, format!("header parameter `{wire}` is set by the client itself; not generated"));
                continue;
            }
            let data = p.parameter_data_ref();
            let ty = self.param_type(&data.format, p_at, &format!("{op_name} {wire}"))?;
            let required = data.required || location == ParamLocation::Path;
            let name = param_name(used, wire, location);
            let doc = param_doc(data);
            out.push(Param { name, wire: wire.clone(), location, ty, required, doc });
        }
        Ok(out)
    }

    /// OpenAPI 3.2's `in: querystring` parameter (loaded as a query parameter marked
    /// `x-codegen-querystring`): the whole query string, as its one `content` entry says, form
    /// fields or JSON text. Another media type is left out with a warning.
    fn query_string_param(
        &mut self,
        p: &Parameter,
        p_at: &Pointer,
        wire: &str,
        op_name: &str,
        used: &mut BTreeSet<String>,
    ) -> Result<Option<Param>, Error> {
        let data = p.parameter_data_ref();
        let content = match &data.format {
            ParameterSchemaOrContent::Content(content) => content.first(),
            ParameterSchemaOrContent::Schema(_) => None,
        };
        let Some((media, mt)) = content.filter(|(media, _)| matches!(classify(media), Media::Form | Media::Json))
        else {
            let message = "an `in: querystring` parameter needs one `content` entry, `application/x-www-form-urlencoded` or JSON; left out";
            self.warn(p_at, message);
            return Ok(None);
        };
        let json = classify(media) == Media::Json;
        let ty = match &mt.schema {
            Some(s) => {
                self.lower_schema(s, &p_at.push("content").push(media).push("schema"), &format!("{op_name} Query"))?.ty
            }
            None => Ty::Json,
        };
        let location = ParamLocation::QueryString { json };
        let name = param_name(used, wire, location);
        Ok(Some(Param { name, wire: wire.to_owned(), location, ty, required: data.required, doc: param_doc(data) }))
    }

    fn param_type(&mut self, format: &ParameterSchemaOrContent, p_at: &Pointer, hint: &str) -> Result<Ty, Error> {
        Ok(match format {
            ParameterSchemaOrContent::Schema(s) => {
                let l = self.lower_schema(s, &p_at.push("schema"), hint)?;
                if l.ty == Ty::Unit { Ty::Json } else { l.ty }
            }
            ParameterSchemaOrContent::Content(content) => match content.first() {
                Some((media, mt)) if is_json(media) => match &mt.schema {
                    Some(s) => self.lower_schema(s, &p_at.push("content").push(media).push("schema"), hint)?.ty,
                    None => Ty::Json,
                },
                _ => Ty::String,
            },
        })
    }

    /// The path template: its pieces with parameter names, and constant query pairs. A fragment is
    /// never sent over HTTP; a query string in the template (as in specs converted from AWS's)
    /// becomes constant query pairs and `{name}` query parameters; a `{name}` without a declared
    /// parameter becomes a string parameter, and a declared one missing from the template is dropped.
    fn lower_template(
        &mut self,
        site: &Site<'_>,
        params: &mut Vec<Param>,
        used: &mut BTreeSet<String>,
    ) -> Result<(Vec<PathPart>, ConstantQuery), Error> {
        let at = site.at;
        let template = paths::parse(site.path).map_err(|message| Error::invalid(at, message))?;
        let path = template.path;
        if let Some(fragment) = template.fragment {
            self.warn(
                at,
                format!("path template fragment `#{fragment}` is not sent (HTTP never sends fragments); ignored"),
            );
        }
        let mut constant_query = Vec::new();
        for pair in &template.query {
            match *pair {
                QueryPair::Constant(key, value) => constant_query.push((key.to_owned(), value.to_owned())),
                QueryPair::Placeholder { key, wire } => {
                    if !params.iter().any(|p| p.location == ParamLocation::Query && p.wire == key) {
                        self.warn(at, format!("query `{key}={{{wire}}}` in the path template is not declared; generated as a string query parameter"));
                        params.push(undeclared(used, key, ParamLocation::Query));
                    }
                }
            }
        }
        let mut parts = Vec::new();
        for piece in &template.pieces {
            let wire = match *piece {
                Piece::Literal(text) => {
                    parts.push(PathPart::Literal(text.to_owned()));
                    continue;
                }
                Piece::Param(wire) => wire,
            };
            let name = match params.iter().find(|p| p.location == ParamLocation::Path && p.wire == wire) {
                Some(param) => param.name.clone(),
                None => {
                    self.warn(
                        at,
                        format!("path `{path}` uses `{{{wire}}}` but no path parameter `{wire}` is declared; generated as a string parameter"),
                    );
                    let param = undeclared(used, wire, ParamLocation::Path);
                    let name = param.name.clone();
                    params.push(param);
                    name
                }
            };
            parts.push(PathPart::Param(name));
        }
        let declared: Vec<String> =
            params.iter().filter(|p| p.location == ParamLocation::Path).map(|p| p.name.clone()).collect();
        for name in declared {
            if !parts.iter().any(|p| matches!(p, PathPart::Param(n) if *n == name)) {
                self.warn(at, format!("path parameter `{name}` is not in the path template `{path}`; not generated"));
                params.retain(|p| !(p.location == ParamLocation::Path && p.name == name));
            }
        }
        Ok((parts, constant_query))
    }

    /// The request body: JSON preferred when several media types are offered, else the first.
    /// Every media type is supported: what is neither JSON, a form, text nor multipart is sent as
    /// raw bytes from a `FilePart` (with a warning when the media type is not a known binary one).
    pub(super) fn lower_body(
        &mut self,
        rb: &ReferenceOr<openapiv3::RequestBody>,
        at: &Pointer,
        id: &str,
        op_name: &str,
    ) -> Result<Option<Body>, Error> {
        let b_at = at.push("requestBody");
        let rb: openapiv3::RequestBody = self.resolve(rb, &b_at, "a request body")?;
        let Some((media, mt)) = rb.content.iter().find(|(m, _)| is_json(m)).or_else(|| rb.content.first()) else {
            return Ok(None);
        };
        let m_at = b_at.push("content").push(media);
        let json_or_form = |cx: &mut Self| -> Result<Ty, Error> {
            Ok(match &mt.schema {
                Some(s) => {
                    let l = cx.lower_schema(s, &m_at.push("schema"), &format!("{op_name} Body"))?;
                    if l.ty == Ty::Unit { Ty::Json } else { l.ty }
                }
                None => Ty::Json,
            })
        };
        let kind = match classify(media) {
            Media::Json => BodyKind::Json(json_or_form(self)?),
            Media::Form => BodyKind::Form(json_or_form(self)?),
            Media::Text => BodyKind::Text,
            Media::Binary => BodyKind::File,
            Media::Multipart => match self.multipart_body(mt, &m_at, id)? {
                Some(name) => BodyKind::Multipart(name),
                None => {
                    self.warn(
                        &m_at,
                        format!("multipart body of `{id}` has no object schema with properties; sent as raw bytes (`FilePart`) that must already be encoded"),
                    );
                    BodyKind::File
                }
            },
            Media::JsonLines => BodyKind::JsonLines(self.json_lines_item(mt, &m_at, op_name)?),
            Media::Mixed => match self.positional_parts(mt, &m_at, id)? {
                Some(type_id) => BodyKind::Multipart(type_id),
                None => match self.part_items(mt, &m_at, op_name)? {
                    Some((item, content_type)) => BodyKind::PartItems(item, content_type),
                    None => {
                        self.warn(
                            &m_at,
                            format!("request media type `{media}` has no `itemSchema` or `prefixItems`; the body is sent as raw bytes (`FilePart`) that must already be encoded"),
                        );
                        BodyKind::File
                    }
                },
            },
            Media::EventStream | Media::Unknown => {
                self.warn(
                    &m_at,
                    format!("request media type `{media}` is not known; the body is sent as raw bytes (`FilePart`)"),
                );
                BodyKind::File
            }
        };
        let form_fields = if matches!(kind, BodyKind::Form(_)) { form_fields(mt) } else { Vec::new() };
        Ok(Some(Body { media_type: media.clone(), kind, form_fields }))
    }

    /// What the first `2XX` response decodes to, and the documented error responses.
    fn lower_responses(
        &mut self,
        op: &ApiOperation,
        at: &Pointer,
        op_name: &str,
    ) -> Result<(Success, Vec<ErrorResponse>), Error> {
        let mut success = None;
        let mut errors = Vec::new();
        let status = |code: &openapiv3::StatusCode| match code {
            openapiv3::StatusCode::Code(code) => Status::Code(*code),
            openapiv3::StatusCode::Range(class) => Status::Range(*class),
        };
        let mut entries: Vec<(Status, &ReferenceOr<openapiv3::Response>)> =
            op.responses.responses.iter().map(|(code, r)| (status(code), r)).collect();
        if let Some(d) = &op.responses.default {
            entries.push((Status::Default, d));
        }
        for (code, response) in entries {
            let r_at = at.push("responses").push(code);
            let response: openapiv3::Response = self.resolve(response, &r_at, "a response")?;
            let chosen = response.content.iter().find(|(m, _)| is_json(m)).or_else(|| response.content.first());
            if code.is_success() {
                if success.is_none() {
                    success = Some(match chosen {
                        None => Success::Empty,
                        Some((media, mt)) => match classify(media) {
                            Media::Json => Success::Json(match &mt.schema {
                                Some(s) => self
                                    .lower_schema(
                                        s,
                                        &r_at.push("content").push(media).push("schema"),
                                        &format!("{op_name} Response"),
                                    )?
                                    .or_null(),
                                None => Ty::Json,
                            }),
                            _ => self.lower_stream_success(media, mt, &r_at.push("content").push(media), op_name)?,
                        },
                    });
                }
                continue;
            }
            let ty = match chosen {
                Some((media, mt)) if is_json(media) => match &mt.schema {
                    Some(s) => Some(
                        self.lower_schema(
                            s,
                            &r_at.push("content").push(media).push("schema"),
                            &format!("{op_name} Error {code}"),
                        )?
                        .ty,
                    ),
                    None => None,
                },
                _ => None,
            };
            errors.push(ErrorResponse { status: code, description: response.description.trim().to_owned(), ty });
        }
        Ok((success.unwrap_or(Success::Empty), errors))
    }
}

/// The fields of a form body whose `encoding` entry sets `style`, `explode` or `allowReserved`.
fn form_fields(mt: &openapiv3::MediaType) -> Vec<FormField> {
    mt.encoding
        .iter()
        // Loading wrote out the default `explode`: only a `false` for `form` was in the spec.
        .filter(|(_, e)| e.style.is_some() || !e.explode || e.allow_reserved)
        .map(|(wire, e)| {
            let style = match e.style {
                None | Some(openapiv3::QueryStyle::Form) => FormStyle::Form,
                Some(openapiv3::QueryStyle::SpaceDelimited) => FormStyle::SpaceDelimited,
                Some(openapiv3::QueryStyle::PipeDelimited) => FormStyle::PipeDelimited,
                Some(openapiv3::QueryStyle::DeepObject) => FormStyle::DeepObject,
            };
            FormField { wire: wire.clone(), style, explode: e.explode, allow_reserved: e.allow_reserved }
        })
        .collect()
}

/// OpenAPI 3.2's operations that `openapiv3` has no field for, which loading moved to extensions:
/// `query` (the `QUERY` method) and those of `additionalOperations` (sent as written), with their
/// method key, method and original pointer.
fn additional_operations(
    item: &openapiv3::PathItem,
    item_at: &Pointer,
) -> Result<Vec<(String, HttpMethod, Pointer, ApiOperation)>, Error> {
    let typed = |value: &Value, at: &Pointer| {
        serde_json::from_value::<ApiOperation>(value.clone())
            .map_err(|e| Error::invalid(at, format!("expected an operation: {e}")))
    };
    let mut out = Vec::new();
    if let Some(op) = item.extensions.get("x-codegen-query") {
        let at = item_at.push("query");
        out.push(("query".to_owned(), HttpMethod::Query, at.clone(), typed(op, &at)?));
    }
    if let Some(ops) = item.extensions.get("x-codegen-additional-operations") {
        let ops_at = item_at.push("additionalOperations");
        let Value::Object(ops) = ops else {
            return Err(Error::expected(&ops_at, "a mapping of HTTP methods to operations", ops));
        };
        for (name, op) in ops {
            let at = ops_at.push(name);
            let method = HttpMethod::additional(name).ok_or_else(|| {
                let why = "an HTTP method token that is not one of the path item's own fields (`get`, `query`, ...)";
                Error::invalid(&at, format!("expected {why}, found `{name}`"))
            })?;
            out.push((name.clone(), method, at.clone(), typed(op, &at)?));
        }
    }
    Ok(out)
}

/// Arguments every generated method that has them names itself: a path parameter (also a
/// positional argument) called so gets a `_param` suffix.
const METHOD_ARGUMENTS: &[&str] = &["body", "params"];

/// The methods a request type may have (written by `call_methods` and `paged_methods` in
/// `emit/resources.rs`, and `IntoFuture`):
/// an optional parameter called so gets a `_param` suffix on its setter.
const REQUEST_METHODS: &[&str] = &[
    "deadline",
    "header",
    "hook",
    "idempotency_key",
    "idle_timeout",
    "into_future",
    "items",
    "max_error_body_bytes",
    "max_event_bytes",
    "max_items",
    "max_line_bytes",
    "max_pages",
    "max_reconnects",
    "max_retries",
    "pages",
    "retry_non_idempotent",
    "send",
    "timeout",
    "with_response",
];

/// Query and header parameters whose name is taken on the method or its request type: a required
/// one (a positional argument) called `body` or `params`, an optional one (a setter) called like a
/// request type's own method. Path parameters were renamed by [`param_name`] already.
fn name_arguments(params: &mut [Param], used: &mut BTreeSet<String>) {
    for p in params.iter_mut().filter(|p| p.location != ParamLocation::Path) {
        let taken = if p.required { METHOD_ARGUMENTS } else { REQUEST_METHODS };
        if taken.contains(&p.name.as_str()) {
            p.name = unique(used, &format!("{}_param", p.name), Style::Snake);
        }
    }
}

/// A parameter's Rust name, unique among the operation's parameters.
fn param_name(used: &mut BTreeSet<String>, wire: &str, location: ParamLocation) -> String {
    let base = snake_ident(wire, "param");
    let base = if location == ParamLocation::Path && METHOD_ARGUMENTS.contains(&base.as_str()) {
        format!("{base}_param")
    } else {
        base
    };
    unique(used, &base, Style::Snake)
}

/// A parameter's rustdoc: its description, and a note on integer bounds its type cannot reach.
fn param_doc(data: &openapiv3::ParameterData) -> Option<String> {
    let note = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => super::view::View::of(s).range_note(),
        _ => None,
    };
    match (data.description.clone(), note) {
        (Some(d), Some(n)) => Some(format!("{d}\n\n{n}")),
        (d, n) => d.or(n),
    }
}

/// A required string parameter the template uses but the spec does not declare.
fn undeclared(used: &mut BTreeSet<String>, wire: &str, location: ParamLocation) -> Param {
    Param {
        name: param_name(used, wire, location),
        wire: wire.to_owned(),
        location,
        ty: Ty::String,
        required: true,
        doc: None,
    }
}
