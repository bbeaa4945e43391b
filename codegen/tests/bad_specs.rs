//! Bad input fails well: a clear error naming the JSON pointer (and line:column for syntax
//! errors), what was found and what was expected; never a panic. Input that breaks a rule but
//! loses nothing is generated, with a warning naming the pointer. The cases below also produce
//! `codegen/ERRORS.md`, the tables of inputs and messages in the docs (rewrite it with
//! `UPDATE_EXPECT=1` after a deliberate change).

use codegen::{Error, Options, generate};

struct Case {
    what: &'static str,
    spec: String,
    /// The JSON pointer the error must name ("" for none, e.g. syntax errors).
    pointer: &'static str,
    /// Text the message must contain.
    contains: &'static str,
}

/// A spec that breaks a rule (mostly a field `openapiv3` requires) and is generated anyway.
struct Lenient {
    what: &'static str,
    spec: String,
    /// The JSON pointer of the warning.
    pointer: &'static str,
    /// Text the warning must contain.
    contains: &'static str,
}

/// A crate name that is refused.
struct BadName {
    name: &'static str,
    contains: &'static str,
}

fn doc(body: &str) -> String {
    format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\n{body}")
}

fn deep(levels: usize) -> String {
    let mut s = String::from(
        "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \"components\": {\"schemas\": {\"Deep\": ",
    );
    for _ in 0..levels {
        s.push_str("{\"type\": \"object\", \"properties\": {\"x\": ");
    }
    s.push_str("{\"type\": \"string\"}");
    for _ in 0..levels {
        s.push_str("}}");
    }
    s.push_str("}}}");
    s
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            what: "invalid YAML",
            spec: "openapi: 3.1.0\ninfo: [unclosed\n".into(),
            pointer: "",
            contains: "YAML syntax error at line",
        },
        Case {
            what: "invalid JSON",
            spec: "{\"openapi\": \"3.1.0\",}".into(),
            pointer: "",
            contains: "JSON syntax error at line 1",
        },
        Case {
            what: "empty file",
            spec: "".into(),
            pointer: "",
            contains: "expected an OpenAPI document (a mapping), found null",
        },
        Case { what: "not a mapping", spec: "- a\n- b\n".into(), pointer: "", contains: "found an array" },
        Case {
            what: "not an OpenAPI document",
            spec: "name: my-package\nversion: 1.0.0\n".into(),
            pointer: "",
            contains: "the `openapi` field is missing",
        },
        Case {
            what: "Swagger 2.0",
            spec: "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
            pointer: "/swagger",
            contains: "Convert it first",
        },
        Case {
            what: "unknown OpenAPI version",
            spec: "openapi: 4.0.0\ninfo: {title: t, version: '1'}\n".into(),
            pointer: "/openapi",
            contains: "supported are 3.0.x, 3.1.x and 3.2.x",
        },
        Case {
            what: "an `additionalOperations` method a path item names itself (3.2)",
            spec: "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    additionalOperations:\n      POST: {responses: {'200': {description: ok}}}\n".into(),
            pointer: "/paths/~1a/additionalOperations/POST",
            contains: "expected an HTTP method token that is not one of the path item's own fields",
        },
        Case {
            what: "a `$ref` into another document than the one `$self` names (3.2)",
            spec: "openapi: 3.2.0\n$self: https://example.com/api/main.yaml\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: 'other.yaml#/components/schemas/B'}}}\n".into(),
            pointer: "/components/schemas/A/properties/b",
            contains: "points into another file",
        },
        Case {
            what: "a media type `$ref` to no `components/mediaTypes` entry (3.2)",
            spec: "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json: {$ref: '#/components/mediaTypes/Nope'}\n".into(),
            pointer: "/paths/~1a/get/responses/200/content/application~1json/$ref",
            contains: "no media type `Nope` in `components/mediaTypes`",
        },
        Case {
            what: "unresolved `$ref`",
            spec: doc(
                "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
            ),
            pointer: "/components/schemas/A/properties/b",
            contains: "does not resolve",
        },
        Case {
            what: "`$ref` to another file",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'common.yaml#/Pet'}\n"),
            pointer: "/components/schemas/A/allOf/0",
            contains: "bundle the spec into one file",
        },
        Case {
            what: "`$ref` that is not a string",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 42}\n"),
            pointer: "/components/schemas/A/$ref",
            contains: "expected a reference string, found a number",
        },
        Case {
            what: "alias cycle",
            spec: doc(
                "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            ),
            pointer: "/components/schemas/A",
            contains: "reference cycle with no data in between: A → B → A",
        },
        Case {
            what: "duplicate `operationId`",
            spec: doc(
                "paths:\n  /a:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n",
            ),
            pointer: "/paths/~1b/get/operationId",
            contains: "duplicate operationId `list` (also at #/paths/~1a/get)",
        },
        Case {
            what: "schema that is not a mapping",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: [1, 2]\n"),
            pointer: "/components/schemas/A",
            contains: "expected a schema (a mapping), found an array",
        },
        Case {
            what: "unknown `type`",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: strnig}\n"),
            pointer: "/components/schemas/A/type",
            contains: "unknown type `strnig`",
        },
        Case {
            what: "`type` of the wrong kind",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: 7}\n"),
            pointer: "/components/schemas/A/type",
            contains: "expected a type name or an array of type names, found a number",
        },
        Case {
            what: "`properties` that is not a mapping",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: [a]}\n"),
            pointer: "/components/schemas/A/properties",
            contains: "expected a mapping of property names to schemas",
        },
        Case {
            what: "path template naming an undeclared parameter (strict mode)",
            spec: doc("paths:\n  /items/{id}:\n    get: {operationId: get, responses: {'200': {description: ok}}}\n"),
            pointer: "",
            contains: "no path parameter `id` is declared; generated as a string parameter",
        },
        Case {
            what: "parameter without `name`",
            spec: doc("paths:\n  /a:\n    get:\n      parameters: [{in: query, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n"),
            pointer: "/paths/~1a/get/parameters/0",
            contains: "parameter without `name`",
        },
        Case {
            what: "parameter without `in`",
            spec: doc("paths: {}\ncomponents:\n  parameters:\n    P: {name: p, schema: {type: string}}\n"),
            pointer: "/components/parameters/P",
            contains: "parameter without `in`",
        },
        Case {
            what: "`apiKey` security scheme without `name`",
            spec: doc("paths: {}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header}\n"),
            pointer: "/components/securitySchemes/key",
            contains: "missing field `name`",
        },
        Case {
            what: "unknown security scheme `type`",
            spec: doc("paths: {}\ncomponents:\n  securitySchemes:\n    key: {type: apikey, in: header, name: X-Key}\n"),
            pointer: "/components/securitySchemes/key",
            contains: "unknown variant `apikey`",
        },
        Case {
            what: "YAML `.inf`",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: number, maximum: .inf}\n"),
            pointer: "/components/schemas/A/maximum",
            contains: "number `.inf` has no JSON representation",
        },
        Case {
            what: "JSON number beyond `f64`",
            spec: "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"components\": {\"schemas\": {\"A\": {\"type\": \"number\", \"maximum\": 1e400}}}}".into(),
            pointer: "",
            contains: "JSON syntax error at line 1, column 128: number out of range",
        },
        Case {
            what: "YAML tag",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: !include a.yaml\n"),
            pointer: "/components/schemas/A",
            contains: "YAML tag `!include` is not allowed",
        },
        Case {
            what: "YAML merge of a scalar",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {<<: 1, type: string}\n"),
            pointer: "/components/schemas/A/<<",
            contains: "expected a mapping or a sequence of mappings to merge, found a number",
        },
        Case {
            what: "YAML key given twice (`200` and `'200'`)",
            spec: doc("paths:\n  /a:\n    get:\n      responses:\n        200: {description: a}\n        '200': {description: b}\n"),
            pointer: "/paths/~1a/get/responses/200",
            contains: "duplicate mapping key `200`",
        },
        Case {
            what: "schemas nested 10,000 deep",
            spec: deep(10_000),
            pointer: "",
            contains: "recursion limit exceeded",
        },
        Case {
            what: "YAML nested 10,000 deep",
            spec: format!(
                "openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx: {}{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
            pointer: "",
            contains: "recursion limit exceeded",
        },
        Case {
            what: "unknown media type (strict mode)",
            spec: doc(
                "paths:\n  /upload:\n    post:\n      operationId: upload\n      requestBody:\n        content:\n          application/x-custom: {}\n      responses: {'200': {description: ok}}\n",
            ),
            pointer: "",
            contains: "request media type `application/x-custom` is not known; the body is sent as raw bytes",
        },
        Case {
            what: "unknown schema keyword (strict mode)",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLenght: 3}\n"),
            pointer: "",
            contains: "at #/components/schemas/A/maxLenght: unknown schema keyword `maxLenght`",
        },
    ]
}

/// What is generated anyway, one row per decision of `codegen/src/load/normalise/required.rs`
/// (the required fields of `openapiv3`'s types), and the numbers beyond 64 bits.
fn lenient() -> Vec<Lenient> {
    let op = "paths:\n  /a:\n    get:\n      operationId: a\n";
    vec![
        Lenient {
            what: "no `info.version` (a vendor's official 3.1 spec)",
            spec: "openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n".into(),
            pointer: "/info/version",
            contains: "no `info.version`: the docs leave the version out",
        },
        Lenient {
            what: "no `info.title`",
            spec: "openapi: 3.0.3\ninfo: {version: '1'}\npaths: {}\n".into(),
            pointer: "/info/title",
            contains: "no `info.title`",
        },
        Lenient {
            what: "no `info`",
            spec: "openapi: 3.0.3\npaths: {}\n".into(),
            pointer: "/info",
            contains: "no `info`: generated without a title or version",
        },
        Lenient {
            what: "`info.version` written as a number",
            spec: "openapi: 3.0.3\ninfo: {title: t, version: 1.10}\npaths: {}\n".into(),
            pointer: "/info/version",
            contains: "written as a number; read as \"1.1\"",
        },
        Lenient {
            what: "license without `name`",
            spec: "openapi: 3.1.0\ninfo: {title: t, version: '1', license: {identifier: MIT}}\npaths: {}\n".into(),
            pointer: "/info/license",
            contains: "license without a `name`; ignored",
        },
        Lenient {
            what: "3.1 document without `paths` (only `webhooks`)",
            spec: "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping:\n    post: {responses: {'200': {description: ok}}}\n".into(),
            pointer: "",
            contains: "no `paths`: the client has no operations",
        },
        Lenient {
            what: "operation without `responses`",
            spec: doc(op),
            pointer: "/paths/~1a/get",
            contains: "operation without `responses`: generated as returning `()`",
        },
        Lenient {
            what: "response without `description`",
            spec: doc(&format!("{op}      responses: {{'204': {{}}}}\n")),
            pointer: "/paths/~1a/get/responses/204/description",
            contains: "response without a `description`",
        },
        Lenient {
            what: "parameter without `schema` or `content`",
            spec: doc(&format!("{op}      parameters: [{{name: q, in: query}}]\n      responses: {{'204': {{description: ok}}}}\n")),
            pointer: "/paths/~1a/get/parameters/0",
            contains: "parameter without `schema` or `content`: generated as a string",
        },
        Lenient {
            what: "response header without `schema` or `content`",
            spec: doc(&format!("{op}      responses: {{'204': {{description: ok, headers: {{X-Rate: {{description: r}}}}}}}}\n")),
            pointer: "/paths/~1a/get/responses/204/headers/X-Rate",
            contains: "header without `schema` or `content`",
        },
        Lenient {
            what: "server without `url`",
            spec: doc("servers: [{description: prod}]\npaths: {}\n"),
            pointer: "/servers/0",
            contains: "server without a `url`; ignored",
        },
        Lenient {
            what: "server variable without `default`",
            spec: doc("servers: [{url: 'https://{region}.example.com', variables: {region: {enum: [eu, us]}}}]\npaths: {}\n"),
            pointer: "/servers/0/variables/region",
            contains: "has no `default`; using its first value `eu`",
        },
        Lenient {
            what: "server variable without `default` or `enum`",
            spec: doc("servers: [{url: 'https://{region}.example.com', variables: {region: {description: r}}}]\npaths: {}\n"),
            pointer: "/servers/0/variables/region",
            contains: "has no `default` and no `enum`; server ignored",
        },
        Lenient {
            what: "server URL with an undeclared variable",
            spec: doc("servers: [{url: 'https://{region}.example.com'}]\npaths: {}\n"),
            pointer: "/servers/0/url",
            contains: "`{region}` is not a declared server variable; no default base URL",
        },
        Lenient {
            what: "tag without `name`",
            spec: doc("tags: [{description: d}]\npaths: {}\n"),
            pointer: "/tags/0",
            contains: "tag without a `name`; ignored",
        },
        Lenient {
            what: "`externalDocs` without `url`",
            spec: doc("externalDocs: {description: d}\npaths: {}\n"),
            pointer: "/externalDocs",
            contains: "`externalDocs` without a `url` string; ignored",
        },
        Lenient {
            what: "schema `externalDocs` without `url`",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: string, externalDocs: {description: d}}\n"),
            pointer: "/components/schemas/A/externalDocs",
            contains: "`externalDocs` without a `url` string; ignored",
        },
        Lenient {
            what: "link without `operationId` or `operationRef`",
            spec: doc(&format!("{op}      responses: {{'204': {{description: ok, links: {{next: {{description: n}}}}}}}}\n")),
            pointer: "/paths/~1a/get/responses/204/links/next",
            contains: "link without `operationId` or `operationRef`; ignored",
        },
        Lenient {
            what: "`discriminator` without `propertyName`",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {oneOf: [{type: string}, {type: integer}], discriminator: {mapping: {}}}\n"),
            pointer: "/components/schemas/A/discriminator",
            contains: "`discriminator` without a `propertyName` string; ignored",
        },
        Lenient {
            what: "OAuth 2 flow without `scopes`",
            spec: doc("security: [{oauth: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://x/token'}}}\n"),
            pointer: "/components/securitySchemes/oauth/flows",
            contains: "OAuth 2 `flows` missing or incomplete; not used",
        },
        Lenient {
            what: "OpenID Connect scheme without `openIdConnectUrl`",
            spec: doc("security: [{oidc: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    oidc: {type: openIdConnect}\n"),
            pointer: "/components/securitySchemes/oidc/openIdConnectUrl",
            contains: "without `openIdConnectUrl`; not used",
        },
        Lenient {
            what: "security requirement naming no scheme",
            spec: doc("security: [{nope: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n"),
            pointer: "/security/0",
            contains: "names `nope`, which is not a scheme the client can send",
        },
        Lenient {
            what: "HTTP security scheme other than `basic` or `bearer`",
            spec: doc("security: [{d: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    d: {type: http, scheme: digest}\n"),
            pointer: "/components/securitySchemes/d",
            contains: "HTTP auth scheme `digest` is not supported",
        },
        Lenient {
            what: "3.1 `mutualTLS` security scheme",
            spec: doc("security: [{mtls: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    mtls: {type: mutualTLS}\n"),
            pointer: "/components/securitySchemes/mtls",
            contains: "mutual TLS is a client setting",
        },
        Lenient {
            what: "YAML keys left empty (`servers:`, `paths:`)",
            spec: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\ntags:\npaths:\n".into(),
            pointer: "/servers",
            contains: "`servers` is empty (null); treated as absent",
        },
        Lenient {
            what: "path not starting with `/`",
            spec: doc("paths:\n  pets:\n    get: {responses: {'200': {description: ok}}}\n"),
            pointer: "/paths/pets",
            contains: "does not start with `/`; ignored",
        },
        Lenient {
            what: "response key that is not a status code",
            spec: doc(&format!("{op}      responses: {{'20O': {{description: typo}}, '200': {{description: ok}}}}\n")),
            pointer: "/paths/~1a/get/responses/20O",
            contains: "is not a status code (`200`), a range (`2XX`) or `default`; ignored",
        },
        Lenient {
            what: "malformed validation keyword",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLength: -1}\n"),
            pointer: "/components/schemas/A/maxLength",
            contains: "expected a non-negative 64-bit integer, found a number; ignored",
        },
        Lenient {
            what: "integer bound beyond 64 bits (YAML, an AI vendor's `seed`)",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    Seed: {type: integer, minimum: -9223372036854776000, maximum: 18446744073709552000}\n"),
            pointer: "/components/schemas/Seed/maximum",
            contains: "`maximum: 18446744073709551616` is beyond the range of `i64`",
        },
        Lenient {
            what: "integer bound beyond 64 bits (JSON)",
            spec: "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \"components\": {\"schemas\": {\"Seed\": {\"type\": \"integer\", \"format\": \"int64\", \"minimum\": -92233720368547758080}}}}".into(),
            pointer: "/components/schemas/Seed/minimum",
            contains: "`minimum: -92233720368547758080` is beyond the range of `i64`",
        },
        Lenient {
            what: "integer enum value beyond its type",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    Big: {type: integer, format: int64, enum: [1, 18446744073709551615]}\n"),
            pointer: "/components/schemas/Big/enum/1",
            contains: "enum value `18446744073709551615` is out of the range of `i64`",
        },
        Lenient {
            what: "a union branch's `pattern` that regex-lite cannot compile (a look-ahead)",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    U:\n      oneOf:\n        - {type: string, pattern: '^(?=a)'}\n        - {type: integer}\n"),
            pointer: "/components/schemas/U/oneOf/0/pattern",
            contains: "pattern not supported by regex-lite",
        },
        Lenient {
            what: "a discriminator value two branches allow",
            spec: doc("paths: {}\ncomponents:\n  schemas:\n    U:\n      oneOf:\n        - {type: object, properties: {k: {const: a}}}\n        - {type: object, properties: {k: {enum: [a, b]}}}\n      discriminator: {propertyName: k}\n"),
            pointer: "/components/schemas/U/oneOf/1",
            contains: "selects an earlier branch already",
        },
        Lenient {
            what: "`x-resume` on an operation that is not an event stream",
            spec: doc("paths:\n  /a:\n    get:\n      operationId: a\n      x-resume: {param: offset, from: offset}\n      responses: {'200': {description: ok}}\n"),
            pointer: "/paths/~1a/get/x-resume",
            contains: "`x-resume` applies to operations answering with an event stream; the stream resumes by `Last-Event-ID` only",
        },
        Lenient {
            what: "`x-resume` naming a parameter the operation does not have",
            spec: doc("paths:\n  /s:\n    get:\n      operationId: s\n      parameters:\n        - {name: offset, in: query, schema: {type: integer}}\n      x-resume: {param: cursor, from: offset}\n      responses:\n        '200':\n          description: ok\n          content:\n            text/event-stream:\n              schema: {type: object, properties: {offset: {type: integer}, text: {type: string}}}\n"),
            pointer: "/paths/~1s/get/x-resume",
            contains: "`param`: `cursor` is not a query parameter of the operation",
        },
        Lenient {
            what: "`x-resume` naming a field the events do not have",
            spec: doc("paths:\n  /s:\n    get:\n      operationId: s\n      parameters:\n        - {name: offset, in: query, schema: {type: integer}}\n      x-resume: {param: offset, from: position}\n      responses:\n        '200':\n          description: ok\n          content:\n            text/event-stream:\n              schema: {type: object, properties: {offset: {type: integer}, text: {type: string}}}\n"),
            pointer: "/paths/~1s/get/x-resume",
            contains: "`from`: `position` is not a scalar field of the event data",
        },
        Lenient {
            what: "an `in: querystring` parameter neither form nor JSON (3.2)",
            spec: "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: querystring, content: {text/plain: {schema: {type: string}}}}\n      responses: {'200': {description: ok}}\n".into(),
            pointer: "/paths/~1a/get/parameters/0",
            contains: "an `in: querystring` parameter needs one `content` entry, `application/x-www-form-urlencoded` or JSON; left out",
        },
        Lenient {
            what: "a discriminator's `defaultMapping` naming no branch (3.2)",
            spec: "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {k: {type: string}}}\n    U:\n      oneOf: [{$ref: '#/components/schemas/A'}]\n      discriminator: {propertyName: k, defaultMapping: B}\n".into(),
            pointer: "/components/schemas/U/discriminator/defaultMapping",
            contains: "`B` is not a `$ref` branch of the union; an unknown tag decodes to `Unknown`",
        },
        Lenient {
            what: "`itemEncoding` of a media type that is not `multipart/*` (3.2)",
            spec: "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/jsonl: {itemSchema: {type: string}, itemEncoding: {contentType: text/plain}}\n".into(),
            pointer: "/paths/~1a/get/responses/200/content/application~1jsonl/itemEncoding",
            contains: "`itemEncoding` describes the parts of a `multipart/*` body other than `form-data`; ignored on `application/jsonl`",
        },
    ]
}

fn bad_names() -> Vec<BadName> {
    vec![
        BadName { name: "My_API", contains: "capital letters; use `my_api`" },
        BadName { name: "", contains: "is empty" },
        BadName { name: "1password", contains: "must start with a letter" },
        BadName { name: "my api", contains: "only ASCII letters, digits, `_` and `-`" },
        BadName { name: "self", contains: "a Rust keyword" },
        BadName { name: "serde", contains: "a dependency of the generated crate" },
        BadName { name: "serde-json", contains: "a dependency of the generated crate" },
        BadName { name: "std", contains: "the name of a crate Rust provides" },
    ]
}

fn run(case: &Case) -> Error {
    let options = Options { strict: true, ..Default::default() };
    match std::panic::catch_unwind(|| generate(&case.spec, &options)) {
        Ok(Ok(_)) => panic!("{}: generation succeeded", case.what),
        Ok(Err(e)) => e,
        Err(_) => panic!("{}: generation panicked", case.what),
    }
}

#[test]
fn bad_specs_get_clear_errors() {
    for case in cases() {
        let err = run(&case);
        let message = err.to_string();
        assert!(message.contains(case.contains), "{}: expected {:?} in:\n{message}", case.what, case.contains);
        let pointer = err.pointer().map(|p| p.as_str().to_owned()).unwrap_or_default();
        assert_eq!(pointer, case.pointer, "{}: wrong pointer in:\n{message}", case.what);
    }
}

#[test]
fn lenient_specs_generate_with_a_warning() {
    for case in lenient() {
        let warning = run_lenient(&case);
        assert!(warning.contains(case.contains), "{}: expected {:?} in:\n{warning}", case.what, case.contains);
    }
}

/// The warning the case must produce (generation must succeed), as printed.
fn run_lenient(case: &Lenient) -> String {
    let out = match std::panic::catch_unwind(|| generate(&case.spec, &Options::default())) {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => panic!("{}: generation failed: {e}", case.what),
        Err(_) => panic!("{}: generation panicked", case.what),
    };
    let at: Vec<String> =
        out.warnings.iter().filter(|w| w.pointer.as_str() == case.pointer).map(|w| w.to_string()).collect();
    let all: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    at.into_iter().find(|w| w.contains(case.contains)).unwrap_or_else(|| {
        panic!("{}: no warning at {:?} containing {:?}; warnings: {all:#?}", case.what, case.pointer, case.contains)
    })
}

fn bad_name_error(case: &BadName) -> Error {
    let options = Options { crate_name: case.name.into(), ..Default::default() };
    let spec = doc("paths: {}\n");
    match generate(&spec, &options) {
        Ok(_) => panic!("crate name {:?} was accepted", case.name),
        Err(e) => e,
    }
}

#[test]
fn bad_crate_names_are_refused() {
    for case in bad_names() {
        let message = bad_name_error(&case).to_string();
        assert!(message.contains(case.contains), "{:?}: expected {:?} in:\n{message}", case.name, case.contains);
    }
    for good in ["runloop", "my-api", "my_api2", "a"] {
        let options = Options { crate_name: good.into(), ..Default::default() };
        generate(&doc("paths: {}\n"), &options).unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

fn cell(message: &str) -> String {
    format!("`{}`", message.replace('|', "\\|").replace('\n', "<br>").replace('`', "'"))
}

#[test]
fn error_table_in_the_docs_matches_the_tests() {
    let mut table = String::from(
        "# What the generator says about bad input\n\n\
         Produced by `codegen/tests/bad_specs.rs` from the cases it asserts (regenerate with\n\
         `UPDATE_EXPECT=1 cargo test -p codegen --test bad_specs`); every message is what the\n\
         generator really prints. `cargo xtask codegen` prefixes it with the spec file's path.\n\n\
         ## Errors\n\n\
         | input | message |\n|---|---|\n",
    );
    for case in cases() {
        table.push_str(&format!("| {} | {} |\n", case.what, cell(&run(&case).to_string())));
    }
    table.push_str(
        "\n## Generated anyway, with a warning\n\n\
         A spec that breaks a rule where nothing is lost is generated; the warning names the\n\
         pointer (`--strict` makes it an error). Most rows are fields `openapiv3` requires; the\n\
         decision for each is listed in `codegen/src/load/normalise/required.rs`.\n\n\
         | input | warning |\n|---|---|\n",
    );
    for case in lenient() {
        table.push_str(&format!("| {} | {} |\n", case.what, cell(&run_lenient(&case))));
    }
    table.push_str(
        "\n## Crate names\n\n\
         `--name` (or the output directory's name) must be a valid library name that no dependency\n\
         of the generated crate has. Names are refused, not changed, so the crate is called what\n\
         you asked for.\n\n\
         | name | message |\n|---|---|\n",
    );
    for case in bad_names() {
        table.push_str(&format!("| {:?} | {} |\n", case.name, cell(&bad_name_error(&case).to_string())));
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ERRORS.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &table).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(current, table, "ERRORS.md is stale: rerun with UPDATE_EXPECT=1 and review");
}

#[test]
fn non_strict_mode_generates_and_reports_warnings() {
    let spec = doc("paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLenght: 3, required: true}\n");
    let out = generate(&spec, &Options::default()).unwrap();
    let warnings: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("#/components/schemas/A/maxLenght")));
    assert!(warnings.iter().any(|w| w.contains("#/components/schemas/A/required")));
}

#[test]
fn huge_enums_and_keyword_names_generate() {
    let values: Vec<String> = (0..10_000).map(|i| format!("v{i}")).collect();
    let spec = doc(&format!(
        "paths: {{}}\ncomponents:\n  schemas:\n    Big: {{type: string, enum: [{}]}}\n    Ints: {{type: integer, enum: [{}]}}\n    self: {{type: object, properties: {{Self: {{type: string}}, crate: {{type: string}}, gen: {{type: string}}, '': {{type: string}}}}}}\n",
        values.join(", "),
        (0..10_000).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
    ));
    let out = generate(&spec, &Options::default()).unwrap();
    let types = &out.files["src/types.rs"];
    assert!(types.contains("V9999,"));
    assert!(types.contains("pub const VALUE_9999: Self = Self(9999);"));
    assert!(types.contains("pub struct Self_") || types.contains("pub struct SelfType"));
}
