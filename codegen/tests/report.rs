//! The API change report on hand-made edits of `spec/runloop.yaml`, one test per rule: each edit
//! is applied to a copy of the spec, and `codegen::compare` must find exactly the expected change
//! with the expected verdict. The same edits feed the `cargo semver-checks` oracle
//! (`cargo xtask semver-oracle`), through `edits()`.

use codegen::{Bump, Options, Report};
use serde_json::{Value, json};

fn base() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/runloop.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

fn compare(old: &Value, new: &Value) -> Report {
    let options = Options { crate_name: "runloop".into(), ..Default::default() };
    codegen::compare(&old.to_string(), &new.to_string(), &options).unwrap()
}

/// Compares the base spec (after `before`) with itself after `after`; prints the report.
fn report(before: impl Fn(&mut Value), after: impl Fn(&mut Value)) -> Report {
    let mut old = base();
    before(&mut old);
    let mut new = old.clone();
    after(&mut new);
    let report = compare(&old, &new);
    eprintln!("{}", report.markdown("test"));
    report
}

/// The only change, checked: its verdict and a piece of its text.
fn only(report: &Report, bump: Bump, subject: &str, detail: &str) {
    assert_eq!(report.changes.len(), 1, "{report:#?}");
    let change = &report.changes[0];
    assert_eq!(change.bump, bump, "{change:#?}");
    assert!(change.subject.contains(subject), "{change:#?}");
    assert!(change.detail.contains(detail), "{change:#?}");
    assert_eq!(report.semver(), bump);
}

fn nothing(_: &mut Value) {}

fn add_optional_request_field(spec: &mut Value) {
    schema(spec, "DevboxCreateExecutionParameters")["properties"]["priority"] = json!({"type": "integer"});
}

fn add_required_request_field(spec: &mut Value) {
    let s = schema(spec, "DevboxCreateExecutionParameters");
    s["properties"]["cwd"] = json!({"type": "string"});
    s["required"].as_array_mut().unwrap().push(json!("cwd"));
}

fn add_enum_value(spec: &mut Value) {
    schema(spec, "DevboxExecutionStatus")["enum"].as_array_mut().unwrap().push(json!("failed"));
}

fn add_operation(spec: &mut Value) {
    spec["paths"]["/v1/devboxes/{id}/execution_summaries/{execution_id}"] = json!({
        "get": {
            "tags": ["Devbox"],
            "operationId": "getExecutionSummary",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "execution_id", "in": "path", "required": true, "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/DevboxAsyncExecutionDetailView"}
            }}}}
        }
    });
}

fn remove_operation(spec: &mut Value) {
    spec["paths"].as_object_mut().unwrap().remove("/v1/devboxes/{id}/execution_summaries/{execution_id}");
}

fn retype_response_field(spec: &mut Value) {
    schema(spec, "DevboxAsyncExecutionDetailView")["properties"]["exit_status"]["format"] = json!("int64");
}

/// A string field that gains `format: date-time`: `String` → `chrono::DateTime<Utc>`.
fn type_response_field_as_date_time(spec: &mut Value) {
    schema(spec, "DevboxAsyncExecutionDetailView")["properties"]["execution_id"]["format"] = json!("date-time");
}

fn add_optional_query_parameter(spec: &mut Value) {
    spec["paths"]["/v1/devboxes/{id}/execute_async"]["post"]["parameters"].as_array_mut().unwrap().push(json!(
        {"name": "timeout_ms", "in": "query", "required": false, "schema": {"type": "integer"}}
    ));
}

fn make_parameter_required(spec: &mut Value) {
    spec["paths"]["/v1/devboxes/{id}/execute_async"]["post"]["parameters"][1]["required"] = json!(true);
}

fn add_required_response_field(spec: &mut Value) {
    let s = schema(spec, "DevboxAsyncExecutionDetailView");
    s["properties"]["started_at"] = json!({"type": "integer", "format": "int64"});
    s["required"].as_array_mut().unwrap().push(json!("started_at"));
}

/// A response type with an untagged union field, and an unused schema.
fn add_union_and_spare_schema(spec: &mut Value) {
    spec["components"]["schemas"]["Spare"] = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    schema(spec, "DevboxAsyncExecutionDetailView")["properties"]["result"] = json!({
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    });
}

fn add_union_variant(spec: &mut Value) {
    schema(spec, "DevboxAsyncExecutionDetailView")["properties"]["result"]["oneOf"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "integer"}));
}

fn remove_spare_schema(spec: &mut Value) {
    spec["components"]["schemas"].as_object_mut().unwrap().remove("Spare");
}

fn add_float_field(spec: &mut Value) {
    schema(spec, "DevboxCreateExecutionParameters")["properties"]["weight"] = json!({"type": "number"});
}

fn make_response_field_optional(spec: &mut Value) {
    let s = schema(spec, "DevboxAsyncExecutionDetailView");
    s["required"].as_array_mut().unwrap().retain(|r| r != "devbox_id");
}

#[test]
fn optional_field_added_is_compatible() {
    let r = report(nothing, add_optional_request_field);
    only(&r, Bump::Minor, "type `DevboxCreateExecutionParameters`", "optional field `priority` added");
    assert!(!r.changes[0].is_breaking());
}

#[test]
fn required_request_field_added_is_breaking() {
    let r = report(nothing, add_required_request_field);
    only(&r, Bump::Major, "type `DevboxCreateExecutionParameters`", "required field `cwd` added: `new` takes it");
}

#[test]
fn enum_value_added_is_compatible() {
    let r = report(nothing, add_enum_value);
    only(&r, Bump::Minor, "type `DevboxExecutionStatus`", "value `failed` added");
}

#[test]
fn enum_value_removed_is_breaking() {
    let r = report(add_enum_value, |s| {
        schema(s, "DevboxExecutionStatus")["enum"].as_array_mut().unwrap().pop();
    });
    only(&r, Bump::Major, "type `DevboxExecutionStatus`", "value `failed` removed");
}

#[test]
fn operation_sending_no_credential_is_a_patch() {
    let r = report(nothing, |s| s["paths"]["/v1/devboxes"]["get"]["security"] = json!([]));
    only(&r, Bump::Patch, "client.devboxes().list()", "sends no credential (was [[\"bearerAuth\"]])");
}

#[test]
fn security_scheme_added_is_compatible() {
    let r = report(nothing, |s| {
        s["components"]["securitySchemes"]["partnerKey"] =
            json!({"type": "apiKey", "in": "header", "name": "X-Partner-Key"});
        s["paths"]["/v1/devboxes"]["get"]["security"] = json!([{"partnerKey": []}]);
    });
    let details: Vec<(Bump, &str)> = r.changes.iter().map(|c| (c.bump, c.detail.as_str())).collect();
    assert_eq!(r.changes.len(), 3, "{details:#?}");
    // The new scheme's method; `bearerAuth`, no longer the only key, gets one of its own too
    // (`api_key` still sets it); the operation sends the new scheme.
    assert!(
        details.contains(&(Bump::Minor, "security scheme `partnerKey` added (`ClientBuilder::partner_key`)")),
        "{details:#?}"
    );
    assert!(
        details.iter().any(|(b, d)| *b == Bump::Minor && d.starts_with("security scheme `bearerAuth` is")),
        "{details:#?}"
    );
    assert!(details.contains(&(Bump::Patch, "sends [[\"partnerKey\"]] (was [[\"bearerAuth\"]])")), "{details:#?}");
    assert_eq!(r.semver(), Bump::Minor);
}

#[test]
fn operation_removed_is_breaking() {
    let r = report(add_operation, remove_operation);
    only(
        &r,
        Bump::Major,
        "operation `client.devbox().get_execution_summary()`",
        "removed (`GET /v1/devboxes/{id}/execution_summaries/{execution_id}`)",
    );
}

#[test]
fn operation_added_is_compatible() {
    let r = report(nothing, add_operation);
    only(
        &r,
        Bump::Minor,
        "operation `client.devbox().get_execution_summary()`",
        "added (`GET /v1/devboxes/{id}/execution_summaries/{execution_id}`)",
    );
}

#[test]
fn response_field_retyped_is_breaking() {
    let r = report(nothing, retype_response_field);
    only(&r, Bump::Major, "type `DevboxAsyncExecutionDetailView`", "field `exit_status` retyped: `i32` → `i64`");
}

#[test]
fn string_field_typed_by_its_format_is_breaking() {
    let r = report(nothing, type_response_field_as_date_time);
    only(
        &r,
        Bump::Major,
        "type `DevboxAsyncExecutionDetailView`",
        "field `execution_id` retyped: `String` → `chrono::DateTime<Utc>`",
    );
}

#[test]
fn string_formats_option_keeps_the_type() {
    let (old, mut new) = (base(), base());
    type_response_field_as_date_time(&mut new);
    let options = Options {
        crate_name: "runloop".into(),
        string_formats: [codegen::Format::DateTime].into(),
        ..Default::default()
    };
    let r = codegen::compare(&old.to_string(), &new.to_string(), &options).unwrap();
    assert!(r.changes.iter().all(|c| !c.is_breaking()), "{r:#?}");
}

#[test]
fn parameter_made_required_is_breaking() {
    // It moves from a setter of the request type to a positional argument.
    let r = report(add_optional_query_parameter, make_parameter_required);
    only(&r, Bump::Major, "operation `client.devboxes().execute_async()`", "parameter `timeout_ms` is required now");
}

#[test]
fn parameter_made_optional_is_breaking() {
    // It moves from a positional argument to a setter of the request type.
    let r = report(
        |s| {
            add_optional_query_parameter(s);
            make_parameter_required(s);
        },
        |s| {
            s["paths"]["/v1/devboxes/{id}/execute_async"]["post"]["parameters"][1]["required"] = json!(false);
        },
    );
    only(&r, Bump::Major, "operation `client.devboxes().execute_async()`", "parameter `timeout_ms` is optional now");
}

#[test]
fn first_query_parameter_is_compatible_when_optional() {
    // Every method returns its request type already: an optional parameter is one more setter.
    let r = report(nothing, add_optional_query_parameter);
    only(&r, Bump::Minor, "operation `client.devboxes().execute_async()`", "optional parameter `timeout_ms` added");
}

#[test]
fn required_query_parameter_added_is_breaking() {
    let r = report(nothing, |s| {
        add_optional_query_parameter(s);
        make_parameter_required(s);
    });
    only(&r, Bump::Major, "operation `client.devboxes().execute_async()`", "required parameter `timeout_ms` added");
}

#[test]
fn another_optional_query_parameter_is_compatible() {
    let r = report(add_optional_query_parameter, |s| {
        s["paths"]["/v1/devboxes/{id}/execute_async"]["post"]["parameters"].as_array_mut().unwrap().push(json!(
            {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}
        ));
    });
    only(&r, Bump::Minor, "operation `client.devboxes().execute_async()`", "optional parameter `verbose` added");
}

#[test]
fn required_response_field_added_breaks_only_builders() {
    let r = report(nothing, add_required_response_field);
    only(&r, Bump::Major, "type `DevboxAsyncExecutionDetailView`", "only responses use this type");
}

#[test]
fn untagged_union_variant_added_is_breaking() {
    let r = report(add_union_and_spare_schema, add_union_variant);
    only(&r, Bump::Major, "type `DevboxAsyncExecutionDetailViewResult`", "added to an untagged union");
}

#[test]
fn type_removed_is_breaking() {
    let r = report(add_union_and_spare_schema, remove_spare_schema);
    only(&r, Bump::Major, "type `Spare`", "removed");
}

#[test]
fn float_field_added_loses_eq() {
    let r = report(nothing, add_float_field);
    assert_eq!(r.changes.len(), 2, "{r:#?}");
    assert!(r.changes.iter().any(|c| c.is_breaking() && c.detail.contains("no longer implements `Eq`")), "{r:#?}");
    assert_eq!(r.semver(), Bump::Major);
}

#[test]
fn response_field_made_optional_is_breaking() {
    let r = report(nothing, make_response_field_optional);
    only(&r, Bump::Major, "type `DevboxAsyncExecutionDetailView`", "field `devbox_id` is optional (was required)");
}

#[test]
fn prose_and_paths_are_patches() {
    let r = report(nothing, |s| {
        s["info"]["description"] = json!("Changed prose.");
        let paths = s["paths"].as_object_mut().unwrap();
        let op = paths.remove("/v1/devboxes/{id}/execute_async").unwrap();
        paths.insert("/v2/devboxes/{id}/execute_async".into(), op);
    });
    only(
        &r,
        Bump::Patch,
        "operation `client.devboxes().execute_async()`",
        "sends `POST /v2/devboxes/{id}/execute_async`",
    );
    let identical = compare(&base(), &base());
    assert!(identical.changes.is_empty());
    assert_eq!(identical.semver(), Bump::Patch);
}

#[test]
fn markdown_ends_with_the_verdict() {
    let r = report(add_enum_value, |s| {
        add_required_request_field(s);
        add_optional_request_field(s);
    });
    let md = r.markdown("runloop 0.1.0 → 0.2.0");
    assert!(md.starts_with("## runloop 0.1.0 → 0.2.0\n"), "{md}");
    assert!(md.contains("### Breaking (1)\n\n- **breaking** type `DevboxCreateExecutionParameters`"), "{md}");
    assert!(md.contains("### Compatible (1)\n\n- **compatible** type `DevboxCreateExecutionParameters`"), "{md}");
    assert_eq!(md.lines().last(), Some("semver: major"));
    assert_eq!(Report::default().markdown("x").lines().last(), Some("semver: patch"));
    assert_eq!(report(nothing, add_enum_value).markdown("x").lines().last(), Some("semver: minor"));
}

/// An edit of the spec.
type Edit = fn(&mut Value);

/// Every edit above as (name, before, after), for the `cargo semver-checks` oracle.
fn edits() -> Vec<(&'static str, Edit, Edit)> {
    fn pop_enum(s: &mut Value) {
        schema(s, "DevboxExecutionStatus")["enum"].as_array_mut().unwrap().pop();
    }
    fn add_second_query_parameter(s: &mut Value) {
        s["paths"]["/v1/devboxes/{id}/execute_async"]["post"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "verbose", "in": "query", "schema": {"type": "boolean"}}));
    }
    fn move_path(s: &mut Value) {
        let paths = s["paths"].as_object_mut().unwrap();
        let op = paths.remove("/v1/devboxes/{id}/execute_async").unwrap();
        paths.insert("/v2/devboxes/{id}/execute_async".into(), op);
    }
    vec![
        ("optional_field_added", nothing, add_optional_request_field),
        ("required_request_field_added", nothing, add_required_request_field),
        ("enum_value_added", nothing, add_enum_value),
        ("enum_value_removed", add_enum_value, pop_enum),
        ("operation_removed", add_operation, remove_operation),
        ("operation_added", nothing, add_operation),
        ("response_field_retyped", nothing, retype_response_field),
        ("string_field_typed_as_date_time", nothing, type_response_field_as_date_time),
        ("parameter_made_required", add_optional_query_parameter, make_parameter_required),
        ("first_query_parameter", nothing, add_optional_query_parameter),
        ("second_optional_query_parameter", add_optional_query_parameter, add_second_query_parameter),
        ("required_response_field_added", nothing, add_required_response_field),
        ("path_moved", nothing, move_path),
        ("untagged_union_variant_added", add_union_and_spare_schema, add_union_variant),
        ("type_removed", add_union_and_spare_schema, remove_spare_schema),
        ("float_field_added", nothing, add_float_field),
        ("response_field_made_optional", nothing, make_response_field_optional),
    ]
}

/// With `ORACLE_EDITS=DIR`, writes every edit as `DIR/NAME.old.json` and `DIR/NAME.new.json` for
/// `cargo xtask semver-oracle DIR`; otherwise checks only that the edits apply.
#[test]
fn edits_for_the_oracle() {
    let dir = std::env::var_os("ORACLE_EDITS").map(std::path::PathBuf::from);
    for (name, before, after) in edits() {
        let mut old = base();
        before(&mut old);
        let mut new = old.clone();
        after(&mut new);
        assert_ne!(old, new, "{name}");
        if let Some(dir) = &dir {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(format!("{name}.old.json")), serde_json::to_string_pretty(&old).unwrap()).unwrap();
            std::fs::write(dir.join(format!("{name}.new.json")), serde_json::to_string_pretty(&new).unwrap()).unwrap();
        }
    }
}

/// A `mapping` entry added for a discriminated branch: values that were `Unknown` now select the
/// variant.
fn add_mount_tag_value(spec: &mut Value) {
    schema(spec, "Mount")["discriminator"]["mapping"]["object"] = json!("#/components/schemas/ObjectMount");
}

#[test]
fn discriminator_value_added_is_compatible() {
    let r = report(nothing, add_mount_tag_value);
    only(&r, Bump::Minor, "type `Mount`", "variant `ObjectMount` is also selected by `object`");
}

fn remove_mount_tag_value(spec: &mut Value) {
    schema(spec, "Mount")["discriminator"]["mapping"].as_object_mut().unwrap().remove("object");
}

#[test]
fn discriminator_value_removed_is_breaking() {
    let r = report(add_mount_tag_value, remove_mount_tag_value);
    only(&r, Bump::Major, "type `Mount`", "variant `ObjectMount` is no longer selected by `object`");
}

/// A required field that can hold one value (`const`): `new` fills it in, `Default` stays, so
/// nothing a caller wrote breaks; the report says what the emitter does (the facts are shared).
fn add_required_const_field(spec: &mut Value) {
    let s = schema(spec, "Spare");
    s["properties"]["kind"] = json!({"type": "string", "const": "spare"});
    s["required"] = json!(["kind"]);
}

#[test]
fn required_const_field_added_is_compatible() {
    let r = report(add_union_and_spare_schema, add_required_const_field);
    assert_eq!(r.semver(), Bump::Minor, "{r:#?}");
    let spare: Vec<&codegen::Change> = r.changes.iter().filter(|c| c.subject == "type `Spare`").collect();
    assert_eq!(spare.len(), 1, "{r:#?}");
    assert!(spare[0].detail.contains("required field `kind` added, which `new` fills in"), "{r:#?}");
}

/// A required field a caller must give, on a type that had none: `new` takes it and `Default`
/// is gone.
fn add_required_plain_field(spec: &mut Value) {
    let s = schema(spec, "Spare");
    s["properties"]["kind"] = json!({"type": "string"});
    s["required"] = json!(["kind"]);
}

#[test]
fn required_field_added_takes_default_away() {
    let r = report(add_union_and_spare_schema, add_required_plain_field);
    assert_eq!(r.semver(), Bump::Major, "{r:#?}");
    let details: Vec<&str> =
        r.changes.iter().filter(|c| c.subject == "type `Spare`").map(|c| c.detail.as_str()).collect();
    assert!(details.iter().any(|d| d.contains("required field `kind` added: `new` takes it")), "{details:?}");
    assert!(details.iter().any(|d| d.contains("no longer implements `Default`")), "{details:?}");
}

/// A webhook whose body is a type the spec has already: `devbox_ready`, a `DevboxView`.
fn add_webhook(spec: &mut Value) {
    spec["webhooks"]["devbox_ready"] = json!({"post": {
        "operationId": "devboxReady",
        "requestBody": {
            "required": true,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DevboxView"}}}
        },
        "responses": {"200": {"description": "received"}}
    }});
}

fn remove_webhooks(spec: &mut Value) {
    spec.as_object_mut().unwrap().remove("webhooks");
}

fn retype_webhook(spec: &mut Value) {
    spec["webhooks"]["devbox_ready"]["post"]["requestBody"]["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/BlueprintView"});
}

#[test]
fn webhook_added_is_compatible() {
    let r = report(nothing, add_webhook);
    only(&r, Bump::Minor, "webhook `devbox_ready`", "added: `webhooks::Event::DevboxReady(Box<DevboxView>)`");
}

#[test]
fn webhook_removed_is_breaking() {
    let r = report(add_webhook, remove_webhooks);
    only(&r, Bump::Major, "webhook `devbox_ready`", "removed, with its variant `webhooks::Event::DevboxReady`");
}

#[test]
fn webhook_payload_retyped_is_breaking() {
    let r = report(add_webhook, retype_webhook);
    only(&r, Bump::Major, "webhook `devbox_ready`", "its payload is `BlueprintView` (was `DevboxView`)");
}
