//! serde behaviour of the generated Runloop types against JSON: absent vs `null`, unknown enum
//! values, unknown extra fields, `exit_status` as `i32`.

use runloop::Nullable;
use runloop::types::{DevboxAsyncExecutionDetailView, DevboxCreateExecutionParameters, DevboxExecutionStatus};
use serde_json::json;

#[test]
fn request_omits_absent_fields_and_sends_explicit_null() {
    let minimal = DevboxCreateExecutionParameters::new("ls -la");
    assert_eq!(serde_json::to_value(&minimal).unwrap(), json!({"command": "ls -la"}));

    let mut cleared = DevboxCreateExecutionParameters::new("ls").with_attach_stdin(true);
    cleared.shell_name = Nullable::Null;
    assert_eq!(
        serde_json::to_value(&cleared).unwrap(),
        json!({"command": "ls", "shell_name": null, "attach_stdin": true})
    );
}

/// A view only ever received has plain `Option`s for its optional nullable fields: absent and
/// `null` read alike (the tri-state `Nullable` is for types sent in requests).
#[test]
fn received_only_view_reads_absent_and_null_as_none() {
    let view: DevboxAsyncExecutionDetailView = serde_json::from_value(json!({
        "devbox_id": "dbx_1",
        "execution_id": "exe_1",
        "status": "completed",
        "stdout": null,
        "stderr": "oops",
        "exit_status": 3
    }))
    .unwrap();
    assert_eq!(view.status, DevboxExecutionStatus::Completed);
    assert_eq!(view.shell_name, None);
    assert_eq!(view.stdout, None);
    assert_eq!(view.stderr.as_deref(), Some("oops"));
    assert_eq!(view.exit_status.unwrap_or(-1), 3);
    assert_eq!(
        serde_json::to_value(&view).unwrap(),
        json!({"devbox_id": "dbx_1", "execution_id": "exe_1", "status": "completed", "stderr": "oops", "exit_status": 3})
    );
}

/// A type sent in requests keeps the tri-state when it is decoded too.
#[test]
fn sent_type_distinguishes_absent_null_and_value() {
    let p: DevboxCreateExecutionParameters =
        serde_json::from_value(json!({"command": "ls", "shell_name": null})).unwrap();
    assert_eq!(p.shell_name, Nullable::Null);
    assert_eq!(p.attach_stdin, Nullable::Absent);
    assert_eq!(serde_json::to_value(&p).unwrap(), json!({"command": "ls", "shell_name": null}));
}

#[test]
fn exit_status_is_i32_and_rejects_out_of_range_values() {
    let base = json!({"devbox_id": "d", "execution_id": "e", "status": "running"});
    let mut negative = base.clone();
    negative["exit_status"] = json!(-1);
    let view: DevboxAsyncExecutionDetailView = serde_json::from_value(negative).unwrap();
    assert_eq!(view.exit_status, Some(-1i32));

    let mut too_big = base;
    too_big["exit_status"] = json!(i64::from(i32::MAX) + 1);
    let err = serde_json::from_value::<DevboxAsyncExecutionDetailView>(too_big).unwrap_err();
    assert!(err.to_string().contains("2147483648"), "{err}");
}

#[test]
fn unknown_enum_value_decodes_and_round_trips_unchanged() {
    let view: DevboxAsyncExecutionDetailView =
        serde_json::from_value(json!({"devbox_id": "d", "execution_id": "e", "status": "failed"})).unwrap();
    assert_eq!(view.status, DevboxExecutionStatus::Unknown("failed".to_owned()));
    assert_eq!(view.status.to_string(), "failed");
    assert_eq!(serde_json::to_value(&view.status).unwrap(), json!("failed"));
    assert_eq!("queued".parse::<DevboxExecutionStatus>().unwrap(), DevboxExecutionStatus::Queued);
    assert_eq!("paused".parse::<DevboxExecutionStatus>().unwrap().as_str(), "paused");
    let err = serde_json::from_value::<DevboxExecutionStatus>(json!(3)).unwrap_err();
    assert!(err.to_string().contains("expected a string"), "{err}");
}

#[test]
fn unknown_extra_fields_are_ignored() {
    let view: DevboxAsyncExecutionDetailView = serde_json::from_value(json!({
        "devbox_id": "d", "execution_id": "e", "status": "queued",
        "new_field_from_the_future": {"nested": [1, 2, 3]}
    }))
    .unwrap();
    assert_eq!(view.devbox_id, "d");
}

#[test]
fn missing_required_field_is_an_error_naming_it() {
    let err = serde_json::from_value::<DevboxAsyncExecutionDetailView>(json!({"devbox_id": "d", "status": "queued"}))
        .unwrap_err();
    assert!(err.to_string().contains("execution_id"), "{err}");
}

#[test]
fn wrong_type_for_nullable_field_is_an_error() {
    let err = serde_json::from_value::<DevboxAsyncExecutionDetailView>(
        json!({"devbox_id": "d", "execution_id": "e", "status": "queued", "stdout_truncated": "yes"}),
    )
    .unwrap_err();
    assert!(err.to_string().contains("boolean"), "{err}");
}

/// Enums order by wire value, so a value added to the spec (wherever in its list) does not change
/// how the existing ones compare; a hand-made fallback holding a known value sorts after it.
#[test]
fn enums_order_by_wire_value() {
    use DevboxExecutionStatus::*;
    let mut values = vec![Running, Unknown("failed".into()), Queued, Completed, Unknown("aborted".into())];
    values.sort();
    assert_eq!(values, [Unknown("aborted".into()), Completed, Unknown("failed".into()), Queued, Running]);
    assert!(Queued < Unknown("queued".into()));
    assert_eq!(Queued.partial_cmp(&Queued), Some(std::cmp::Ordering::Equal));
}

/// Object types' serde impls are written by the generator, not derived (the runtime's `object`
/// module says why); these are the derive's behaviours they keep, read through real types.
#[test]
fn object_errors_say_what_the_derive_said() {
    let duplicate =
        serde_json::from_str::<DevboxCreateExecutionParameters>(r#"{"command": "a", "command": "b"}"#).unwrap_err();
    assert!(duplicate.to_string().starts_with("duplicate field `command`"), "{duplicate}");
    let missing = serde_json::from_str::<DevboxCreateExecutionParameters>(r#"{"shell_name": "bash"}"#).unwrap_err();
    assert!(missing.to_string().starts_with("missing field `command`"), "{missing}");
    let not_an_object = serde_json::from_str::<DevboxCreateExecutionParameters>(r#"["ls"]"#).unwrap_err();
    assert!(
        not_an_object
            .to_string()
            .starts_with("invalid type: sequence, expected struct DevboxCreateExecutionParameters"),
        "{not_an_object}"
    );
}

#[test]
fn escaped_keys_match_and_unknown_fields_are_skipped_whole() {
    let params: DevboxCreateExecutionParameters = serde_json::from_str(
        r#"{"extra": {"command": "not this one", "deep": [1, {"x": null}]}, "comm\u0061nd": "ls", "shell_name": null}"#,
    )
    .unwrap();
    assert_eq!(params.command, "ls");
    assert_eq!(params.shell_name, Nullable::Null);
    assert_eq!(params.attach_stdin, Nullable::Absent);
}

/// A decode error names where it happened, through nested objects and arrays (what the client's
/// `Error::Decode` reports, via `serde_path_to_error`).
#[test]
fn decode_errors_carry_the_path_through_objects() {
    let devbox = json!({
        "id": "dbx_1", "capabilities": [], "create_time_ms": 1, "launch_parameters": {},
        "metadata": {}, "state_transitions": [], "status": "running"
    });
    let mut broken = devbox.clone();
    broken["launch_parameters"]["keep_alive_time_seconds"] = json!("soon");
    let text = json!({"devboxes": [devbox, broken], "has_more": false}).to_string();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, runloop::types::DevboxListView>(&mut deserializer).unwrap_err();
    assert_eq!(err.path().to_string(), "devboxes[1].launch_parameters.keep_alive_time_seconds");
}

/// The runtime's defaults are public, under `defaults` at the crate root.
#[test]
fn defaults_are_reexported() {
    use runloop::defaults;
    assert_eq!(defaults::DEFAULT_TIMEOUT, std::time::Duration::from_secs(30));
    assert_eq!(defaults::DEFAULT_MAX_RETRIES, 5);
    assert_eq!(defaults::DEFAULT_MAX_LINE_BYTES, 8 * 1024 * 1024);
    assert_eq!(defaults::IDEMPOTENCY_HEADER, "x-request-id");
    assert!(defaults::LONG_POLL_MARGIN > std::time::Duration::ZERO);
}
