//! Lower: the typed OpenAPI document → the [`Ir`](crate::ir::Ir).
//!
//! This module holds the entry point, the [`Lowerer`] state and the rules below; its children add
//! `impl Lowerer` blocks by concern: [`refs`] (resolving `$ref`s), [`schema`] (dispatch, inline
//! types, deduplication), [`enums`], [`unions`], [`objects`] (structs and `allOf` merging),
//! [`cycles`] (alias cycles, boxing recursion), [`direction`] (sent and received-only types),
//! [`operations`] (parameters, bodies, responses),
//! [`streams`] (event streams, JSON Lines, binary and multipart bodies),
//! [`paths`] (path templates, pure), [`media`] (media-type classification, pure), [`methods`]
//! (resource and method names) and [`auth`]. Naming rules live in [`crate::naming`].
//!
//! # Schemas
//!
//! | schema | Rust |
//! |---|---|
//! | required, not nullable | `T` |
//! | required, nullable | `Option<T>`; `None` is sent as `null` |
//! | optional, not nullable | `Option<T>`; `None` is omitted; an incoming `null` reads as `None` |
//! | optional, nullable, in a type sent in requests | `Nullable<T>`: `Absent` (omitted), `Null` (sent as `null`) or `Value(T)` |
//! | optional, nullable, in a type only ever received | `Option<T>`: absent and `null` both read as `None` (the tri-state only matters when sending; [`direction`]: a type reachable from a request body or parameter is sent, also when responses use it; one reachable only from responses is received-only; one used by no operation keeps `Nullable<T>`) |
//! | `type: string` + `enum` | an enum with one variant per value (serde-renamed), `Display`, `FromStr`, `as_str`, and a fallback variant that keeps an unknown value and re-serialises it unchanged |
//! | `type: integer`/`number`/`boolean` + `enum`, or mixed enums | a newtype over the base type with one associated constant per listed value (open: any value decodes) |
//! | `integer` | by `format`: `int8`..`int64`, `uint8`..`uint64` → `i8`..`u64`; `int32` → `i32`; anything else → `i64`. Bounds do not widen the type: a `minimum`/`maximum` beyond its range (`maximum: 18446744073709552000` on an `i64`) is noted in the rustdoc and warned about |
//! | integer `enum`/`const` values the type cannot hold (out of range, or loaded as a float: beyond 64 bits, `1e3`) | listed in the rustdoc, with a warning each; no constant (an out-of-range literal is never written) |
//! | `number` | `f64` |
//! | `string`, `format: date-time` | `chrono::DateTime<chrono::Utc>`: RFC 3339 on the wire, any offset read and converted to UTC, `Z` written; a value that does not parse is a decode error naming its field |
//! | `string`, `format: date` | `chrono::NaiveDate`: `YYYY-MM-DD` |
//! | `string`, `format: uuid` | `uuid::Uuid`: written hyphenated, lower case |
//! | those three with the format in `Options::string_formats` (`--string-formats`) | `String`, kept verbatim, for servers known to send values that do not parse |
//! | `string`, any other format (`uri`, `email`, `byte`, ...) | `String` (the format is documentation). `uri` is not `url::Url`: specs use it for relative references `Url` refuses, and `Url` normalises what it parses (`https://a.example` comes back as `https://a.example/`), so a value sent back would not be the one received |
//! | a string `enum` or `const` with one of those formats | the string enum above (its values are the API's names) |
//! | `format` on a non-string type (other than integer formats) | ignored |
//! | map keys (`propertyNames` with a format) | `String`: keys are never typed |
//! | `boolean` | `bool` |
//! | `array` | `Vec<T>`; nullable items → `Vec<Option<T>>` |
//! | `object` with `properties` | a struct; unknown properties in responses are ignored |
//! | `additionalProperties: <schema>` | with properties: a flattened `BTreeMap<String, T>` field; alone: `BTreeMap<String, T>` |
//! | `object` without properties, `additionalProperties: true` | `serde_json::Map<String, Value>` |
//! | `{}` or no `type` | `serde_json::Value` |
//! | `type: 'null'` only | `()` |
//! | `oneOf`/`anyOf` with `discriminator` | an enum decoded by the tag property, with a fallback variant keeping unknown tags; variants named by their tag (`User`). A branch's tags: its `mapping` entries, then the values it allows for the property itself (`const`/`enum`, through `$ref` and `allOf`), else its schema name; a tag two branches allow selects the first (a warning). Encoding sets the tag on a branch whose tag field could hold another value |
//! | `oneOf`/`anyOf` without one | an untagged enum, tried exact-first in spec order (the runtime's `union::untagged`: every branch refusing unknown fields and enum values, then refusing unknown enum values, then leniently); variants named as in [`unions`] (never by position) |
//! | `oneOf`/`anyOf` whose every branch allows one value, all strings (or all integers, or all booleans) | one string enum (or newtype with constants), a variant per value named from the branch's `title` and documented from its `description` |
//! | a union's variant whose type no other variant holds | `From<T> for Union` |
//! | a required field of a one-value enum (`const`, `enum: [x]`) | filled in by `new`, not one of its arguments |
//! | `properties` beside `oneOf`/`anyOf` | each object branch (or `allOf` of objects, or `required`-only branch) becomes the struct of the wrapper's properties then the branch's, named union + branch (`PetCat`); other branches are unchanged; discriminator tags are kept |
//! | `allOf` of objects | one struct with the properties of every branch (a property listed twice keeps its first position and the last schema); required if required anywhere |
//! | `allOf` with a single branch | that branch (this is how `$ref` with siblings arrives), with the wrapper's docs and nullability |
//! | `allOf` of other shapes | `serde_json::Value`, with a warning |
//! | `not` | ignored with a warning: it only constrains values |
//! | recursion | `Box<T>` on exactly the fields/variants that close a cycle without a `Vec` or map in between |
//! | an alias that refers to itself through a container | a `#[serde(transparent)]` newtype |
//! | an alias that refers to itself directly (`A: $ref B`, `B: $ref A`) | an error |
//! | `readOnly`/`writeOnly`, `default`, `example`, validation keywords | not represented in the type |
//! | `$defs`/`definitions` inside a schema | kept for `$ref`s that point into them; each becomes a type where it is referenced |
//!
//! Inline schemas that need a named type (objects, enums, unions) are named after their parent:
//! `Parent` + `Property`, `Parent` + `Item` for array items, `Parent` + `Value` for map values,
//! `Union` + the variant's name for union branches, `Operation` + `Body`/`Response`/`Param`.
//! An inline schema identical in shape to another inline one (docs aside) shares its type, and a
//! type shared so is named once all its users are known, for what it is (its `title`, its one
//! value) or what its users share (`ListAssistants` + `order` and `ListFiles` + `order` →
//! `Order`; rules in [`crate::naming::shared_names`]), never after one of them; only when they
//! share nothing nameable, after the shortest of their names.
//!
//! # Names
//!
//! Names go through `heck`. Characters that are not ASCII letters or digits separate words;
//! other non-ASCII characters become `uXXXX`; a leading sign is spelled (`+1` → `plus_1`); a leading
//! digit gets a prefix word (`Type`, `Value`, `field_`, `param_`);
//! Rust keywords get a trailing `_` (`type_`, `self_`), `Self` becomes `SelfType`. Component
//! schemas are named first, in sorted order, so an inline schema never takes a component's name;
//! any later clash gets a numeric suffix (`Pet2`). Two schemas never share one type. A type never
//! takes a name of Rust's prelude (`None`, `Result`, `Vec`, ...: `NoneType`), which would shadow
//! it for a user who glob-imports the types.
//!
//! # Operations
//!
//! * Resource and method: from the Python `x-codeSamples` entry (`client.devboxes.execute_async(`),
//!   else the JavaScript one (camelCase turned to snake_case); else the first tag is the resource
//!   (without a tag, the first path segment that names something: `/v1/chat/completions` →
//!   `chat`; `api` only for paths without one) and the `operationId` (or method + path) is the
//!   method. A method name already taken in its
//!   resource falls back to the `operationId`; duplicate `operationId`s are an error.
//!   Resource structs are named after their path (`DevboxesExecutions`), made unique in sorted
//!   order (`a_b` and `a.b` would both be `AB`); resources named like the client's own methods
//!   (`request`, `clone`, ...) get an `_api` suffix.
//! * A query string in a path template (specs converted from AWS's) becomes constant query pairs
//!   and `{name}` query parameters, a fragment is dropped (a warning); a `{name}` in the path
//!   without a declared path parameter becomes a `String` parameter (a warning).
//! * Callbacks describe requests the API sends to you: not generated (a warning). Webhooks
//!   (`webhooks`, `x-webhooks`) become events a receiver parses (`webhooks.rs`).
//! * Every method returns its own request type (`ListDevboxesRequest`, after the `operationId`,
//!   unique among the request types and resource structs), which is awaited, or walked for paged
//!   lists. Path parameters, then required query and header parameters, then the body are
//!   positional arguments (one called `body` or `params` becomes `body_param`); optional query,
//!   header and cookie parameters are set by name on the request type (`.limit(10)`; one called
//!   like the request type's own methods, `timeout`, `pages`, ..., becomes `timeout_param`). A
//!   method whose parameters are all optional takes no arguments. Cookie parameters are sent
//!   together in one `Cookie` header, each value percent-encoded.
//! * Request bodies: JSON (`application/json`, `*/*+json`), `application/x-www-form-urlencoded`,
//!   `text/*` (a `String`), `multipart/form-data` (a struct of parts whose files are `FilePart`s),
//!   and any other media type as a `FilePart` (raw bytes; a warning when the type is not a known
//!   binary one); JSON is preferred when several are offered, else the first. No operation is
//!   skipped for its media types. A body is always sent, even when the spec marks it optional.
//! * Success: the first `2XX` response decides the type; without content it is `()`.
//!   JSON is preferred when several media types are offered. `text/event-stream` is an
//!   `EventStream<T>`, JSON Lines a `JsonLines<T>`, binary and unknown types a `Download` (see
//!   [`streams`]).
//!   Other statuses become `Error::Api` carrying the status and body; their documented schemas are
//!   listed in the method docs.
//! * Paged lists: a `GET` whose success is a JSON array or an object with an array field, and
//!   that has a cursor, token, offset or page query parameter or documents a `Link` header, is
//!   paged (rules in [`pagination`]; `x-pagination` declares any operation paged, or none); its
//!   method returns a `Paged` that also walks every page.
//! * Long polls: `x-long-poll: true` (or a number of seconds) on an operation says the server may
//!   hold the request that long (30 s for `true`); each attempt's timeout is then at least that
//!   plus a 30 s margin. `x-timeout: N` says the operation may take up to N seconds (an upload,
//!   a synchronous command): each attempt's timeout is at least N.
//! * Resumable streams: every event stream of an idempotent operation resumes after a dropped
//!   connection with `Last-Event-ID` when the server sends event ids (the runtime decides);
//!   `x-resume: {param: offset, from: offset}` says the server resumes by a query parameter
//!   instead, set from a field of the last event's data (rules in [`resume`]).
//! * Authentication: the first supported scheme of the first global requirement (bearer, basic,
//!   API key in header or query; OAuth 2 and OpenID Connect send the key as a bearer token).
//!   Operations whose `security` is `[]` (or lists only `{}`) are sent without the key.

mod auth;
mod cycles;
mod direction;
mod enums;
mod media;
mod methods;
mod objects;
mod operations;
mod pagination;
mod paths;
mod refs;
mod resume;
mod schema;
mod streams;
mod unions;
mod view;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use openapiv3::{OpenAPI, Schema};
use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::error::{Error, Pointer};
use crate::ir::*;
use crate::naming::{Style, unique};
use crate::options::Format;

/// Lowers a loaded document; warnings go to `diag`.
pub(crate) fn lower(
    api: &OpenAPI,
    raw: &Value,
    original: &Value,
    string_formats: &BTreeSet<Format>,
    diag: &mut Diagnostics,
) -> Result<Ir, Error> {
    let mut cx = Lowerer {
        api,
        raw,
        original,
        string_formats,
        schemas: HashMap::new(),
        shapes: HashMap::new(),
        names: BTreeSet::new(),
        reserved: BTreeSet::new(),
        shared: HashMap::new(),
        by_pointer: HashMap::new(),
        slots: Slots::default(),
        started: HashMap::new(),
        referred_early: HashSet::new(),
        page_hints: HashMap::new(),
        resume_hints: HashMap::new(),
        schemes: auth::SchemeTable::default(),
        diag,
    };
    cx.lower_components()?;
    cx.lower_schemes();
    let mut operations = cx.lower_operations()?;
    let webhooks = cx.lower_webhooks()?;
    cx.name_shared();
    let resource_types = methods::resource_types(&operations);
    name_request_types(&mut operations, &resource_types);
    let auth::SchemeTable { schemes, document: security, .. } = std::mem::take(&mut cx.schemes);
    let mut types = std::mem::take(&mut cx.slots).finish();
    cycles::resolve_alias_cycles(&mut types)?;
    cycles::box_recursion(&mut types);
    direction::relax_received(&mut types, &operations);
    pagination::detect(&types, &mut operations, &cx.page_hints, cx.diag);
    resume::detect(&types, &mut operations, &cx.resume_hints, cx.diag);
    Ok(Ir {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        api_version: api.info.version.clone(),
        base_url: base_url(api, cx.diag),
        schemes,
        security,
        types,
        operations,
        resource_types,
        webhooks,
    })
}

/// Names each operation's request type after its `operationId` (`ListDevboxesRequest`), unique
/// among the request types and the resource structs, which share the `resources` module.
fn name_request_types(operations: &mut [Operation], resource_types: &BTreeMap<Vec<String>, String>) {
    let mut taken: BTreeSet<String> = resource_types.values().cloned().collect();
    for op in operations {
        let base = crate::naming::camel_ident(&format!("{} request", op.id), "Op", "Request");
        op.request_type = unique(&mut taken, &base, Style::Camel);
    }
}

/// A lowered reference to a type: the type, and whether `null` is allowed.
struct Lowered {
    ty: Ty,
    nullable: bool,
}

impl Lowered {
    /// The type where `null` must be representable (array items, map values, union branches):
    /// `Option<T>` when nullable, except for `()`, which is `null` already.
    fn or_null(self) -> Ty {
        if self.nullable && self.ty != Ty::Unit { Ty::Option(Box::new(self.ty)) } else { self.ty }
    }
}

/// The state of one lowering: the document, what has been named so far, and the diagnostics.
struct Lowerer<'a> {
    api: &'a OpenAPI,
    raw: &'a Value,
    original: &'a Value,
    /// String formats kept as `String` ([`crate::Options::string_formats`]).
    string_formats: &'a BTreeSet<Format>,
    /// `$ref` targets, normalised and typed once.
    schemas: HashMap<Pointer, Rc<Schema>>,
    /// Inline types by shape, for [`Lowerer::dedup_inline`].
    shapes: HashMap<TypeKind, TypeId>,
    /// Type names taken so far.
    names: BTreeSet<String>,
    /// Names reserved by the inline types being lowered (their parts are lowered first): taken
    /// by no other type meanwhile, and taken for good only by a type whose shape is new.
    reserved: BTreeSet<String>,
    /// The names each deduplicated inline type would have had for each of its users, and the
    /// `title`s its schemas carry.
    shared: HashMap<TypeId, (BTreeSet<String>, BTreeSet<String>)>,
    /// Named types by the pointer of the schema they were made from.
    by_pointer: HashMap<Pointer, TypeId>,
    /// The types so far, by id. A type's name is the one it is started with; the naming pass
    /// ([`Lowerer::name_shared`]) renames only the types several parents share.
    slots: Slots,
    /// The name of every type started, including those whose definition is not complete yet
    /// (a union branch or a field that refers back to its parent names it by its id).
    started: HashMap<TypeId, String>,
    /// Types referred to before their definition was complete (recursion through their parts):
    /// never merged into another type, since what refers to them holds their id.
    referred_early: HashSet<TypeId>,
    /// What [`pagination::detect`] needs to know of each operation, by operation id.
    page_hints: HashMap<String, pagination::PageHint>,
    /// Each operation's `x-resume` and where it is, by operation id, for [`resume::detect`].
    resume_hints: HashMap<String, (Value, Pointer)>,
    /// The security schemes and the document's requirements, lowered before the operations.
    schemes: auth::SchemeTable,
    diag: &'a mut Diagnostics,
}

impl Lowerer<'_> {
    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.diag.warn(pointer, message);
    }

    /// Takes a unique type name, never one of the prelude's ([`crate::naming::type_name`]).
    fn allocate(&mut self, base: &str) -> String {
        let name = self.free_name(base);
        self.names.insert(name.clone());
        name
    }

    /// The name [`Lowerer::allocate`] would take: neither taken nor reserved.
    fn free_name(&self, base: &str) -> String {
        let taken = |n: &str| self.names.contains(n) || self.reserved.contains(n);
        crate::naming::first_untaken(&crate::naming::type_name(base), Style::Camel, taken)
    }

    /// Starts a type: a new id, named `name` (taken already, or to be taken when the type turns
    /// out not to repeat another).
    fn start(&mut self, name: &str) -> TypeId {
        let id = self.slots.reserve();
        self.started.insert(id, name.to_owned());
        id
    }

    /// The type of a schema lowered before (by the pointer it was made from), noting a type that is
    /// not complete yet as referred to early.
    fn lowered_at(&mut self, at: &Pointer) -> Option<TypeId> {
        let id = *self.by_pointer.get(at)?;
        if self.slots.get(id).is_none() {
            self.referred_early.insert(id);
        }
        Some(id)
    }

    /// The name a type was started with.
    fn started_name(&self, id: TypeId) -> &str {
        self.started.get(&id).map_or("", String::as_str)
    }

    /// Component schemas are named first, in sorted order, so no inline schema takes their names.
    fn lower_components(&mut self) -> Result<(), Error> {
        let Some(components) = &self.api.components else { return Ok(()) };
        let base = Pointer::root().push("components").push("schemas");
        let mut sorted: Vec<&String> = components.schemas.keys().collect();
        sorted.sort();
        for key in &sorted {
            let name = self.allocate(&crate::naming::camel_ident(key, "Type", "Schema"));
            let id = self.start(&name);
            self.by_pointer.insert(base.push(key), id);
        }
        for key in sorted {
            let at = base.push(key);
            let id = self.by_pointer[&at];
            let schema = refs::component_schema(&components.schemas[key]);
            let def = self.define_named(&schema, &at, id)?;
            self.slots.define(def);
        }
        Ok(())
    }
}

/// The default base URL: the first server's URL with its variables' defaults, if absolute. A
/// placeholder left without a declared variable gives no default (the caller sets the URL).
fn base_url(api: &OpenAPI, diag: &mut Diagnostics) -> Option<String> {
    let server = api.servers.first()?;
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    if let (Some(start), Some(end)) = (url.find('{'), url.find('}'))
        && start < end
    {
        diag.warn(
            &Pointer::root().push("servers").push(0).push("url"),
            format!(
                "`{}` is not a declared server variable; no default base URL (set it with `ClientBuilder::base_url` or the environment)",
                &url[start..=end]
            ),
        );
        return None;
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        Some(url.trim_end_matches('/').to_owned())
    } else {
        None
    }
}
