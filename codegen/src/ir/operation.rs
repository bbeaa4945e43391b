//! Operations in the model: what each sends (path, parameters, body) and receives (success and
//! documented errors), its method and status codes, and how its pages are walked.

use super::{OpSecurity, Presence, Ty, TypeId};
use crate::error::Pointer;

/// An API operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// Where it is: `/paths/~1v1~1devboxes/post`.
    pub pointer: Pointer,
    /// Resource path, e.g. `["devboxes"]` or `["devboxes", "executions"]` (snake_case).
    pub resource: Vec<String>,
    /// Method name (snake_case), unique within its resource.
    pub method_name: String,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Literal path pieces and parameters, in order.
    pub path: Vec<PathPart>,
    /// Query pairs fixed by the path template (`/?Action=List` → `("Action", "List")`).
    pub constant_query: Vec<(String, String)>,
    /// Path, query and header parameters. Path and required parameters are the method's
    /// positional arguments (in this order); optional ones are set by name on its request type.
    pub params: Vec<Param>,
    /// The name of the operation's request type in `resources` (`ListDevboxesRequest`): what the
    /// method returns, with a setter per optional parameter; unique among the resource structs.
    pub request_type: String,
    /// The request body.
    pub body: Option<Body>,
    /// What a success decodes to.
    pub success: Success,
    /// Documented non-success statuses.
    pub errors: Vec<ErrorResponse>,
    /// Which credentials are sent.
    pub security: OpSecurity,
    /// Rustdoc: summary and description.
    pub doc: Option<String>,
    /// Marked `deprecated`.
    pub deprecated: bool,
    /// How to walk the pages of a paged list operation (`None`: not paged).
    pub pagination: Option<Pagination>,
    /// How long the server may hold the request (a long poll, `x-long-poll`), in seconds.
    pub long_poll: Option<u64>,
    /// How long the operation may take (`x-timeout`), in seconds: its attempts' timeout is at
    /// least this.
    pub timeout: Option<u64>,
    /// How an event stream resumes by a query parameter (`x-resume`); `None` for other
    /// operations, and for event streams that resume by `Last-Event-ID` alone.
    pub resume: Option<ResumeParam>,
    /// Whether the spec says the operation is idempotent, or not (`x-idempotent`), whatever its
    /// method; `None`: its method decides.
    pub idempotent: Option<bool>,
}

/// An event stream's resumption by a query parameter (`x-resume: {param, from}`): after a dropped
/// connection, `param` is sent with the value of field `from` of the last event received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumeParam {
    /// The query parameter's wire name.
    pub param: String,
    /// The wire name of the event data's field holding the position to resume from.
    pub from: String,
}

/// How a paged list operation's pages are walked; see the pagination section of `lower`.
#[derive(Clone, Debug)]
pub struct Pagination {
    /// How the next page is asked for.
    pub style: PageStyle,
    /// Where the items are: `None` when the response is the array itself.
    pub items: Option<FieldRef>,
    /// The item type.
    pub item_ty: Ty,
    /// A boolean response field whose `false` says there are no more pages.
    pub has_more: Option<FieldRef>,
}

/// How the next page of a paged list is requested.
#[derive(Clone, Debug)]
pub enum PageStyle {
    /// Query parameter `param` = a field of the last item (`starting_after` = its `id`).
    AfterLast {
        /// The query parameter's wire name.
        param: String,
        /// The item field whose value is sent.
        field: FieldRef,
    },
    /// Query parameter `param` = a token the page returns (`page_token` = `next_page_token`).
    Token {
        /// The query parameter's wire name.
        param: String,
        /// The response field holding the next token; absent or empty ends the list.
        next: FieldRef,
    },
    /// Query parameter `param` = the previous offset plus the items received.
    Offset {
        /// The query parameter's wire name.
        param: String,
    },
    /// Query parameter `param` = the previous page number plus one.
    PageNumber {
        /// The query parameter's wire name.
        param: String,
    },
    /// The URL of the `Link: <…>; rel="next"` response header (GitHub).
    Link,
}

/// A field of a generated struct, as generated code reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef {
    /// The Rust field name.
    pub name: String,
    /// How it is wrapped.
    pub presence: Presence,
    /// Its type without the wrapper.
    pub ty: Ty,
}

impl Operation {
    /// The named types the operation sends: its request body and parameters.
    pub(crate) fn sent_ids(&self, out: &mut Vec<TypeId>) {
        if let Some(body) = &self.body {
            body.kind.ty().ids(out);
        }
        self.params.iter().for_each(|p| p.ty.ids(out));
    }

    /// The named types the operation receives: its success type and documented error bodies.
    pub(crate) fn received_ids(&self, out: &mut Vec<TypeId>) {
        self.success.ty().into_iter().for_each(|t| t.ids(out));
        self.errors.iter().filter_map(|e| e.ty.as_ref()).for_each(|t| t.ids(out));
    }

    /// The type expressions the generated method writes: its parameters', body's and success's
    /// (documented error bodies are only named in its docs).
    pub(crate) fn written_tys(&self) -> Vec<Ty> {
        let params = self.params.iter().map(|p| p.ty.clone());
        params.chain(self.body.as_ref().map(|b| b.kind.ty())).chain(self.success.ty().cloned()).collect()
    }

    /// The positional arguments' parameters, in order: path parameters, then required query and
    /// header parameters.
    pub fn positional_params(&self) -> impl Iterator<Item = &Param> {
        let path = self.params.iter().filter(|p| p.location == ParamLocation::Path);
        path.chain(self.params.iter().filter(|p| p.location != ParamLocation::Path && p.required))
    }

    /// The parameters set by name on the request type: optional query and header parameters.
    pub fn named_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location != ParamLocation::Path && !p.required)
    }

    /// The path template as the spec writes it, with Rust parameter names: `/v1/devboxes/{id}`.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|p| match p {
                PathPart::Literal(l) => l.clone(),
                PathPart::Param(n) => format!("{{{n}}}"),
            })
            .collect()
    }
}

/// A piece of a path template.
#[derive(Clone, Debug)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// The value of the parameter with this Rust name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// A cookie, sent with the others in one `Cookie` header.
    Cookie,
    /// The whole query string (OpenAPI 3.2's `in: querystring`): an object's fields
    /// form-urlencoded, or (`json`) the value's JSON text, percent-encoded.
    QueryString {
        /// Its content is `application/json`, not `application/x-www-form-urlencoded`.
        json: bool,
    },
}

/// An operation parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// Rust name: the argument's (path and required parameters) or the setter's (optional ones).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: Ty,
    /// Required.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// A request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// The media type sent in `Content-Type`.
    pub media_type: String,
    /// How it is encoded, and its type.
    pub kind: BodyKind,
    /// The fields of a form body whose `encoding` gives a `style`, `explode` or `allowReserved`
    /// of its own, in spec order (empty for other bodies).
    pub form_fields: Vec<FormField>,
}

/// How one field of a form body is written, as its `encoding` entry says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormField {
    /// The field's wire name.
    pub wire: String,
    /// Its `style`: `form` (the default), `spaceDelimited`, `pipeDelimited` or `deepObject`.
    pub style: FormStyle,
    /// Its `explode` (default: `true` for `form`, else `false`).
    pub explode: bool,
    /// Its `allowReserved`.
    pub allow_reserved: bool,
}

/// A form field's `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormStyle {
    /// `form`
    Form,
    /// `spaceDelimited`
    SpaceDelimited,
    /// `pipeDelimited`
    PipeDelimited,
    /// `deepObject`
    DeepObject,
}

/// Request body encodings the client supports.
#[derive(Clone, Debug)]
pub enum BodyKind {
    /// JSON (`application/json`, `*+json`) of this type.
    Json(Ty),
    /// `application/x-www-form-urlencoded` fields of this type.
    Form(Ty),
    /// `text/*`, as a string.
    Text,
    /// `multipart/form-data`: the named [`TypeKind::Multipart`] struct.
    Multipart(TypeId),
    /// Anything else (`application/octet-stream`, images, unknown types): a `FilePart`.
    File,
    /// JSON Lines (`application/jsonl`, `x-ndjson`, `json-seq`): items of this type, one per line.
    JsonLines(Ty),
    /// Another `multipart/*` than `form-data` (`multipart/mixed`, ...) described by its items
    /// (OpenAPI 3.2's `itemSchema`, or an array's `items`): one part per item, each with this
    /// content type (`itemEncoding`'s) or the item's own.
    PartItems(PartItem, Option<String>),
}

/// What each part of a `multipart/*` body or response other than `form-data` holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartItem {
    /// JSON of this type.
    Json(Ty),
    /// Text (a string schema).
    Text,
    /// Bytes (a binary string schema, or parts of several kinds).
    Bytes,
}

impl BodyKind {
    /// A type expression naming every type the body mentions (`Ty::Bytes` for a file).
    pub fn ty(&self) -> Ty {
        match self {
            Self::Json(ty) | Self::Form(ty) | Self::JsonLines(ty) => ty.clone(),
            Self::PartItems(PartItem::Json(ty), _) => ty.clone(),
            Self::PartItems(PartItem::Text, _) => Ty::String,
            Self::PartItems(PartItem::Bytes, _) => Ty::Bytes,
            Self::Text => Ty::String,
            Self::Multipart(id) => Ty::Named(*id),
            Self::File => Ty::Bytes,
        }
    }
}

/// What a successful response decodes to.
#[derive(Clone, Debug)]
pub enum Success {
    /// No content: `()`.
    Empty,
    /// JSON of this type.
    Json(Ty),
    /// `text/*`, as a `String`.
    Text,
    /// `text/event-stream`: an `EventStream` of events whose data is this.
    EventStream(EventData),
    /// JSON Lines: a `JsonLines` stream of this type.
    JsonLines(Ty),
    /// Another `multipart/*` than `form-data` (`multipart/mixed`, ...): a `PartStream` of parts
    /// holding this.
    Parts(PartItem),
    /// Anything else (binary, unknown): a `Download`, read when asked.
    Binary,
}

impl Success {
    /// The type expression the success decodes to, if it names one (`T` of `Json(T)`,
    /// `JsonLines(T)` and the JSON events of a stream).
    pub fn ty(&self) -> Option<&Ty> {
        match self {
            Success::Json(t) | Success::JsonLines(t) | Success::Parts(PartItem::Json(t)) => Some(t),
            Success::EventStream(EventData::Json(t) | EventData::Envelope(t)) => Some(t),
            Success::EventStream(EventData::Text)
            | Success::Parts(PartItem::Text | PartItem::Bytes)
            | Success::Empty
            | Success::Text
            | Success::Binary => None,
        }
    }
}

/// What the events of an event stream decode to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventData {
    /// The `data:` of each event, as JSON of this type.
    Json(Ty),
    /// The `data:` of each event, as text (no schema, or a string schema).
    Text,
    /// The whole event (`event`, `data`, `id`, `retry`) as this type: the item schema describes
    /// the event object, as OpenAPI 3.2's `itemSchema` does; named events documented as a union
    /// decode by their `event` field.
    Envelope(Ty),
}

/// A documented non-success response.
#[derive(Clone, Debug)]
pub struct ErrorResponse {
    /// The status code, range (`4XX`) or `default`.
    pub status: Status,
    /// The response's description (trimmed).
    pub description: String,
    /// The type of its JSON body, when documented.
    pub ty: Option<Ty>,
}

/// An operation's HTTP method: one of the eight a path item can hold, OpenAPI 3.2's `query`, or
/// a method of its `additionalOperations` (`LOCK`), kept in the case the spec wrote it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
    /// `QUERY` (OpenAPI 3.2; the HTTP QUERY method draft): safe and idempotent, with a body.
    Query,
    /// A method of OpenAPI 3.2's `additionalOperations`, an HTTP token sent exactly as written.
    Other(String),
}

impl HttpMethod {
    /// The method of a path item's key (`get`, `post`, ..., and 3.2's `query`), if it is one.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => Self::Get,
            "put" => Self::Put,
            "post" => Self::Post,
            "delete" => Self::Delete,
            "options" => Self::Options,
            "head" => Self::Head,
            "patch" => Self::Patch,
            "trace" => Self::Trace,
            "query" => Self::Query,
            _ => return None,
        })
    }

    /// A method of `additionalOperations`: an HTTP token (RFC 9110 §5.6.2) that is not one of the
    /// methods a path item names with a field of its own (in any case); `None` otherwise.
    pub fn additional(name: &str) -> Option<Self> {
        const TCHAR: &[u8] = b"!#$%&'*+-.^_`|~";
        let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || TCHAR.contains(&b));
        let fixed = Self::from_key(&name.to_ascii_lowercase()).is_some();
        (token && !fixed).then(|| Self::Other(name.to_owned()))
    }

    /// The method as sent: upper case, or as written for an additional one.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
            Self::Query => "QUERY",
            Self::Other(name) => name,
        }
    }

    /// Whether `reqwest::Method` has a constant of this name.
    pub fn is_standard(&self) -> bool {
        !matches!(self, Self::Query | Self::Other(_))
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A documented response's status: a code, a range of codes, or `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One code: `404`.
    Code(u16),
    /// A class of codes, by its first digit: `4` for `4XX`.
    Range(u16),
    /// `default`: any status not documented otherwise.
    Default,
}

impl Status {
    /// Whether the status is a success (`2XX`).
    pub fn is_success(self) -> bool {
        match self {
            Self::Code(code) => (200..300).contains(&code),
            Self::Range(class) => class == 2,
            Self::Default => false,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Code(code) => write!(f, "{code}"),
            Self::Range(class) => write!(f, "{class}XX"),
            Self::Default => f.write_str("default"),
        }
    }
}
