//! The change report cannot drift from the generated code: for each edit of a small spec
//! (`tests/report_claims/base.yaml`), the report's claims are compiled.
//!
//! For every edit in [`cases`], `codegen::compare` must find exactly the expected changes (by
//! subject and a piece of their text), and then two programs are compiled by trybuild against the
//! crate generated from the edited spec:
//!
//! - `old`: code written against the old crate, using what the report's changes touch (`new` with
//!   the arguments it took, `Default`, the `with_*` setters, the operation methods, a `match` with
//!   a `_` arm on a `#[non_exhaustive]` enum). Its expectation is the report's verdict, not
//!   written down here: it must compile when the report calls the edit compatible, and must fail
//!   to compile when it calls it breaking, with the errors in `tests/report_claims/old/NAME.stderr`
//!   (reviewed: they show the claimed break, not a typo);
//! - `new`: code written from the report's claims (`new` takes the added field, the setter is
//!   gone, the parameter is set by name, the new variant is matched), which must compile and run.
//!
//! So a verdict that is too strict (breaking, yet the old code compiles), too lenient (compatible,
//! yet the old code breaks) or a claim that is false (the new code does not compile) fails here.
//! What compiling cannot show is out of reach: a break that still compiles (two arguments of one
//! type swapped) or a wire change (a path moved) is only checked to leave the old code compiling.
//!
//! Each program includes its generated crate (`tests/report_claims/crates/NAME.rs`) rather than
//! holding it, so that the expected errors quote the generated code without its line numbers.
//! The programs and crates are written on each run (and ignored by git) beside the `.stderr`
//! files, under the crate directory rather than the target directory: trybuild wants the
//! `.stderr` file next to the program, and prints paths under the crate directory as stable
//! relative ones. All programs are one trybuild run (one project, its dependencies built once;
//! each program compiles the runtime module again, about two seconds). Update the `.stderr` files
//! with `TRYBUILD=overwrite cargo test -p codegen --test report_claims`, then review them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::{Bump, Options, Report};
use serde_json::{Value, json};

/// One edit of the base spec, what the report must say of it, and the code its claims are
/// checked with.
struct Case {
    /// The file name of its programs and crate.
    name: &'static str,
    /// The edit, applied to a copy of the base spec.
    edit: fn(&mut Value),
    /// Every change the report must find, in the report's order: a piece of its subject and a
    /// piece of its detail. The verdict is not written down: the compiler checks it.
    changes: &'static [(&'static str, &'static str)],
    /// Code written against the old crate, touching what changed.
    old: &'static str,
    /// Code written against the new crate as the report describes it.
    new: &'static str,
}

/// The edits and their programs. The programs see the generated crate at their root (`crate::`).
fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "required_const_field_added",
            edit: |s| add_field(s, "CreateTask", "kind", json!({"const": "task"}), true),
            changes: &[
                ("type `CreateTask`", "required field `kind` added, which `new` fills in"),
                ("type `CreateTaskKind`", "added (a string enum)"),
            ],
            old: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls").with_priority(1);
    assert_eq!(body.command, "ls");
}
"#,
            new: r#"
use crate::types::{CreateTask, CreateTaskKind};

fn main() {
    // `new` keeps its arguments and fills the one possible value in.
    let body = CreateTask::new("ls");
    assert_eq!(body.kind, CreateTaskKind::Task);
}
"#,
        },
        Case {
            name: "required_const_field_added_to_a_default_type",
            edit: |s| add_field(s, "UpdateTask", "kind", json!({"const": "update"}), true),
            changes: &[
                ("type `UpdateTask`", "required field `kind` added, which `new` fills in"),
                ("type `UpdateTaskKind`", "added (a string enum)"),
            ],
            old: r#"
use crate::types::UpdateTask;

fn main() {
    let body = UpdateTask::default().with_note("n");
    assert_eq!(body.note.as_deref(), Some("n"));
}
"#,
            new: r#"
use crate::types::{UpdateTask, UpdateTaskKind};

fn main() {
    // `Default` stays (the report names no change of it), and is what `new` gives.
    assert_eq!(UpdateTask::default(), UpdateTask::new());
    assert_eq!(UpdateTask::default().kind, UpdateTaskKind::Update);
}
"#,
        },
        Case {
            name: "optional_field_made_required",
            edit: |s| required(s, "CreateTask").push(json!("priority")),
            changes: &[(
                "type `CreateTask`",
                "field `priority` is required (was optional): `new` takes it and its `with_*` setter is gone",
            )],
            old: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls").with_priority(1);
    assert_eq!(body.priority, Some(1));
}
"#,
            new: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls", 1);
    assert_eq!(body.priority, 1);
}
"#,
        },
        Case {
            name: "required_field_added",
            edit: |s| add_field(s, "CreateTask", "cwd", json!({"type": "string"}), true),
            changes: &[("type `CreateTask`", "required field `cwd` added: `new` takes it")],
            old: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls");
    assert_eq!(body.command, "ls");
}
"#,
            new: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls", "/tmp");
    assert_eq!(body.cwd, "/tmp");
}
"#,
        },
        Case {
            name: "required_field_added_to_a_default_type",
            edit: |s| add_field(s, "UpdateTask", "title", json!({"type": "string"}), true),
            changes: &[
                ("type `UpdateTask`", "required field `title` added: `new` takes it"),
                ("type `UpdateTask`", "no longer implements `Default`"),
            ],
            old: r#"
use crate::types::UpdateTask;

fn main() {
    let body = UpdateTask::default().with_note("n");
    assert_eq!(body.note.as_deref(), Some("n"));
}
"#,
            new: r#"
use crate::types::UpdateTask;

fn main() {
    let body = UpdateTask::new("t").with_note("n");
    assert_eq!(body.title, "t");
}
"#,
        },
        Case {
            name: "optional_field_added",
            edit: |s| add_field(s, "CreateTask", "timeout_ms", json!({"type": "integer", "format": "int64"}), false),
            changes: &[("type `CreateTask`", "optional field `timeout_ms` added with a `with_*` setter")],
            old: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls").with_priority(1);
    assert_eq!(body, CreateTask::new("ls").with_priority(1));
}
"#,
            new: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls").with_timeout_ms(5_000);
    assert_eq!(body.timeout_ms, Some(5_000));
}
"#,
        },
        Case {
            name: "float_field_added",
            edit: |s| add_field(s, "CreateTask", "weight", json!({"type": "number"}), false),
            changes: &[
                ("type `CreateTask`", "optional field `weight` added with a `with_*` setter"),
                ("type `CreateTask`", "no longer implements `Eq`"),
            ],
            old: r#"
use crate::types::CreateTask;

fn distinct<T: Eq + std::fmt::Debug>(a: &T, b: &T) {
    assert_ne!(a, b);
}

fn main() {
    distinct(&CreateTask::new("ls"), &CreateTask::new("pwd"));
}
"#,
            new: r#"
use crate::types::CreateTask;

fn main() {
    let body = CreateTask::new("ls").with_weight(0.5);
    assert_ne!(body, CreateTask::new("ls"));
}
"#,
        },
        Case {
            name: "enum_value_added",
            edit: |s| enum_values(s).push(json!("failed")),
            changes: &[(
                "type `TaskStatus`",
                "value `failed` added (variant `Failed`; the enum is `#[non_exhaustive]`",
            )],
            old: r#"
use crate::types::TaskStatus;

fn label(status: &TaskStatus) -> &str {
    match status {
        TaskStatus::Queued | TaskStatus::Running => "pending",
        TaskStatus::Done => "done",
        _ => status.as_str(),
    }
}

fn main() {
    assert_eq!(label(&TaskStatus::Done), "done");
}
"#,
            new: r#"
use crate::types::TaskStatus;

fn label(status: &TaskStatus) -> &str {
    match status {
        TaskStatus::Queued | TaskStatus::Running => "pending",
        TaskStatus::Done => "done",
        TaskStatus::Failed => "failed",
        _ => status.as_str(),
    }
}

fn main() {
    assert_eq!(label(&"failed".parse().unwrap()), "failed");
}
"#,
        },
        Case {
            name: "enum_value_removed",
            edit: |s| enum_values(s).retain(|v| v != "running"),
            changes: &[("type `TaskStatus`", "value `running` removed (variant `Running`)")],
            old: r#"
use crate::types::TaskStatus;

fn started(status: &TaskStatus) -> bool {
    matches!(status, TaskStatus::Running | TaskStatus::Done)
}

fn main() {
    assert!(!started(&TaskStatus::Queued));
}
"#,
            new: r#"
use crate::types::TaskStatus;

fn main() {
    // What was `Running` arrives as `Unknown` now.
    let status: TaskStatus = "running".parse().unwrap();
    assert!(matches!(status, TaskStatus::Unknown(_)));
}
"#,
        },
        Case {
            name: "operation_removed",
            edit: |s| {
                s["paths"]["/tasks/{id}"].as_object_mut().unwrap().remove("get");
            },
            changes: &[("operation `client.tasks().get_task()`", "removed (`GET /tasks/{id}`)")],
            old: r#"
use crate::types::Task;

async fn get(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().get_task("t_1").await
}

fn main() {}
"#,
            new: r#"
use crate::types::{Task, UpdateTask};

async fn update(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().update_task("t_1", &UpdateTask::default()).await
}

fn main() {}
"#,
        },
        Case {
            name: "operation_added",
            edit: |s| {
                s["paths"]["/tasks/{id}"]["delete"] = json!({
                    "operationId": "deleteTask",
                    "tags": ["tasks"],
                    "responses": {"204": {"description": "Deleted"}}
                });
            },
            changes: &[("operation `client.tasks().delete_task()`", "added (`DELETE /tasks/{id}`)")],
            old: r#"
use crate::types::Task;

async fn get(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().get_task("t_1").await
}

fn main() {}
"#,
            new: r#"
async fn delete(client: &crate::Client) -> Result<(), crate::Error> {
    client.tasks().delete_task("t_1").await
}

fn main() {}
"#,
        },
        Case {
            name: "operation_deprecated",
            edit: |s| s["paths"]["/tasks/{id}"]["get"]["deprecated"] = json!(true),
            changes: &[("operation `client.tasks().get_task()`", "deprecated")],
            old: r#"
use crate::types::Task;

async fn get(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().get_task("t_1").await
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

#[expect(deprecated)]
async fn get(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().get_task("t_1").await
}

fn main() {}
"#,
        },
        Case {
            name: "required_parameter_made_optional",
            edit: |s| list_params(s)[0]["required"] = json!(false),
            changes: &[(
                "operation `client.tasks().list_tasks()`",
                "parameter `project` is optional now (set by name with `.project(…)`, no longer an argument)",
            )],
            old: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").await
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks().project("p_1").await
}

fn main() {}
"#,
        },
        Case {
            name: "optional_parameter_made_required",
            edit: |s| list_params(s)[1]["required"] = json!(true),
            changes: &[(
                "operation `client.tasks().list_tasks()`",
                "parameter `min_priority` is required now (a positional argument; its setter `min_priority` is gone)",
            )],
            old: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").min_priority(2).await
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1", 2).await
}

fn main() {}
"#,
        },
        Case {
            name: "optional_parameter_added",
            edit: |s| {
                list_params(s)
                    .push(json!({"name": "offset", "in": "query", "schema": {"type": "integer", "format": "int32"}}))
            },
            changes: &[(
                "operation `client.tasks().list_tasks()`",
                "optional parameter `offset` added (set by name with `.offset(…)`)",
            )],
            old: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").min_priority(2).await
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").min_priority(2).offset(20).await
}

fn main() {}
"#,
        },
        Case {
            name: "required_parameter_added",
            edit: |s| {
                list_params(s)
                    .push(json!({"name": "owner", "in": "query", "required": true, "schema": {"type": "string"}}))
            },
            changes: &[(
                "operation `client.tasks().list_tasks()`",
                "required parameter `owner` added (a positional argument)",
            )],
            old: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").min_priority(2).await
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1", "me").min_priority(2).await
}

fn main() {}
"#,
        },
        Case {
            name: "response_field_retyped",
            edit: |s| schema(s, "Task")["properties"]["exit_code"]["format"] = json!("int64"),
            changes: &[("type `Task`", "field `exit_code` retyped: `i32` → `i64`")],
            old: r#"
use crate::types::Task;

fn exit_code(task: &Task) -> Option<i32> {
    task.exit_code
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

fn exit_code(task: &Task) -> Option<i64> {
    task.exit_code
}

fn main() {}
"#,
        },
        Case {
            name: "response_field_made_optional",
            edit: |s| required(s, "Task").retain(|f| f != "id"),
            changes: &[("type `Task`", "field `id` is optional (was required): `new` no longer takes it")],
            old: r#"
use crate::types::Task;

fn id(task: &Task) -> &str {
    &task.id
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

fn id(task: &Task) -> Option<&str> {
    task.id.as_deref()
}

fn main() {}
"#,
        },
        Case {
            name: "required_response_field_added",
            edit: |s| add_field(s, "Task", "created_at", json!({"type": "integer", "format": "int64"}), true),
            changes: &[(
                "type `Task`",
                "required field `created_at` added: `new` takes it (only responses use this type: this breaks code that builds it",
            )],
            old: r#"
use crate::types::{Task, TaskStatus};

fn main() {
    // A test that builds a response.
    let task = Task::new("t_1", TaskStatus::Queued);
    assert_eq!(task.id, "t_1");
}
"#,
            new: r#"
use crate::types::{Task, TaskStatus};

fn main() {
    let task = Task::new("t_1", TaskStatus::Queued, 0);
    assert_eq!(task.created_at, 0);
}
"#,
        },
        Case {
            name: "tagged_union_variant_added",
            edit: |s| {
                schema(s, "Trigger")["oneOf"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"$ref": "#/components/schemas/ManualTrigger"}));
                s["components"]["schemas"]["ManualTrigger"] = json!({
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"const": "manual"}, "by": {"type": "string"}}
                });
            },
            changes: &[
                ("type `ManualTrigger`", "added (a struct)"),
                ("type `ManualTriggerKind`", "added (a string enum)"),
                ("type `Trigger`", "variant `Manual` added (the enum is `#[non_exhaustive]`)"),
            ],
            old: r#"
use crate::types::{CronTrigger, Trigger};

fn describe(trigger: &Trigger) -> String {
    match trigger {
        Trigger::Cron(cron) => format!("at {}", cron.schedule),
        Trigger::Webhook(hook) => format!("on {}", hook.url),
        _ => "other".to_owned(),
    }
}

fn main() {
    assert_eq!(describe(&CronTrigger::new("@daily").into()), "at @daily");
}
"#,
            new: r#"
use crate::types::{ManualTrigger, Trigger};

fn describe(trigger: &Trigger) -> String {
    match trigger {
        Trigger::Cron(cron) => format!("at {}", cron.schedule),
        Trigger::Webhook(hook) => format!("on {}", hook.url),
        Trigger::Manual(_) => "by hand".to_owned(),
        _ => "other".to_owned(),
    }
}

fn main() {
    assert_eq!(describe(&ManualTrigger::default().into()), "by hand");
}
"#,
        },
        Case {
            name: "untagged_union_variant_added",
            edit: |s| {
                schema(s, "Task")["properties"]["output"]["oneOf"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"type": "integer"}))
            },
            changes: &[(
                "type `TaskOutput`",
                "variant `Integer` added to an untagged union: an exhaustive `match` must handle it",
            )],
            old: r#"
use crate::types::TaskOutput;

fn lines(output: &TaskOutput) -> usize {
    match output {
        TaskOutput::String(text) => text.lines().count(),
        TaskOutput::Array(lines) => lines.len(),
    }
}

fn main() {
    assert_eq!(lines(&TaskOutput::from("a\nb".to_owned())), 2);
}
"#,
            new: r#"
use crate::types::TaskOutput;

fn lines(output: &TaskOutput) -> usize {
    match output {
        TaskOutput::String(text) => text.lines().count(),
        TaskOutput::Array(lines) => lines.len(),
        TaskOutput::Integer(_) => 1,
    }
}

fn main() {
    assert_eq!(lines(&TaskOutput::from("a\nb".to_owned())), 2);
}
"#,
        },
        Case {
            name: "one_value_field_gains_a_value",
            edit: |s| {
                schema(s, "CreateTask")["properties"]["mode"]["enum"].as_array_mut().unwrap().push(json!("script"))
            },
            changes: &[
                ("type `CreateTask`", "field `mode` holds more than one value now: `new` takes it"),
                ("type `CreateTaskMode`", "value `script` added"),
            ],
            old: r#"
use crate::types::{CreateTask, CreateTaskMode};

fn main() {
    let body = CreateTask::new("ls");
    assert_eq!(body.mode, CreateTaskMode::Shell);
}
"#,
            new: r#"
use crate::types::{CreateTask, CreateTaskMode};

fn main() {
    let body = CreateTask::new("ls", CreateTaskMode::Script);
    assert_eq!(body.mode, CreateTaskMode::Script);
}
"#,
        },
        Case {
            name: "required_fields_reordered",
            edit: |s| {
                let properties = schema(s, "Task")["properties"].as_object_mut().unwrap();
                let id = properties.remove("id").unwrap();
                properties.insert("id".into(), id);
            },
            changes: &[("type `Task`", "`new` takes (status, id) (was (id, status))")],
            old: r#"
use crate::types::{Task, TaskStatus};

fn main() {
    let task = Task::new("t_1", TaskStatus::Queued);
    assert_eq!(task.id, "t_1");
}
"#,
            new: r#"
use crate::types::{Task, TaskStatus};

fn main() {
    let task = Task::new(TaskStatus::Queued, "t_1");
    assert_eq!(task.id, "t_1");
}
"#,
        },
        Case {
            name: "request_type_no_longer_sent",
            edit: |s| {
                s["paths"]["/tasks/{id}"].as_object_mut().unwrap().remove("patch");
            },
            changes: &[
                ("type `UpdateTask`", "no longer used in requests: its `with_*` setters are gone"),
                ("operation `client.tasks().update_task()`", "removed (`PATCH /tasks/{id}`)"),
            ],
            old: r#"
use crate::types::UpdateTask;

fn main() {
    let body = UpdateTask::default().with_note("n");
    assert_eq!(body.note.as_deref(), Some("n"));
}
"#,
            new: r#"
use crate::types::UpdateTask;

fn main() {
    let mut body = UpdateTask::default();
    body.note = Some("n".to_owned());
    assert_eq!(body.note.as_deref(), Some("n"));
}
"#,
        },
        Case {
            name: "parameter_retyped",
            edit: |s| list_params(s)[1]["schema"]["format"] = json!("int64"),
            changes: &[("operation `client.tasks().list_tasks()`", "parameter `min_priority` retyped: `i32` → `i64`")],
            old: r#"
use crate::types::Task;

async fn list(client: &crate::Client, priority: i32) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").min_priority(priority).await
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

async fn list(client: &crate::Client, priority: i64) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").min_priority(priority).await
}

fn main() {}
"#,
        },
        Case {
            name: "path_parameter_renamed",
            edit: |s| {
                let paths = s["paths"].as_object_mut().unwrap();
                let mut item = paths.remove("/tasks/{id}").unwrap();
                item["parameters"][0]["name"] = json!("task_id");
                paths.insert("/tasks/{task_id}".into(), item);
            },
            changes: &[
                ("operation `client.tasks().get_task()`", "sends `GET /tasks/{task_id}` (was `GET /tasks/{id}`)"),
                ("operation `client.tasks().get_task()`", "path parameter `id` renamed `task_id`"),
                (
                    "operation `client.tasks().update_task()`",
                    "sends `PATCH /tasks/{task_id}` (was `PATCH /tasks/{id}`)",
                ),
                ("operation `client.tasks().update_task()`", "path parameter `id` renamed `task_id`"),
            ],
            old: r#"
use crate::types::{Task, UpdateTask};

async fn get(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().get_task("t_1").await
}

async fn update(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().update_task("t_1", &UpdateTask::default()).await
}

fn main() {}
"#,
            new: r#"
use crate::types::Task;

async fn get(client: &crate::Client, task_id: &str) -> Result<Task, crate::Error> {
    client.tasks().get_task(task_id).await
}

fn main() {}
"#,
        },
        Case {
            name: "path_moved",
            edit: |s| {
                let paths = s["paths"].as_object_mut().unwrap();
                let item = paths.remove("/tasks").unwrap();
                paths.insert("/v2/tasks".into(), item);
            },
            changes: &[
                ("operation `client.tasks().create_task()`", "sends `POST /v2/tasks` (was `POST /tasks`)"),
                ("operation `client.tasks().list_tasks()`", "sends `GET /v2/tasks` (was `GET /tasks`)"),
            ],
            old: r#"
use crate::types::{CreateTask, Task};

async fn create(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().create_task(&CreateTask::new("ls")).await
}

async fn list(client: &crate::Client) -> Result<Vec<Task>, crate::Error> {
    client.tasks().list_tasks("p_1").min_priority(2).await
}

fn main() {}
"#,
            new: r#"
use crate::types::{CreateTask, Task};

async fn create(client: &crate::Client) -> Result<Task, crate::Error> {
    client.tasks().create_task(&CreateTask::new("ls")).await
}

fn main() {}
"#,
        },
    ]
}

/// The base spec.
fn base() -> Value {
    let text = std::fs::read_to_string(dir().join("base.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// `tests/report_claims`, where the programs are written and the expected errors kept.
fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/report_claims")
}

/// A component schema.
fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

/// The `required` list of a component schema (made when missing).
fn required<'a>(spec: &'a mut Value, name: &str) -> &'a mut Vec<Value> {
    let s = schema(spec, name);
    if s.get("required").is_none() {
        s["required"] = json!([]);
    }
    s["required"].as_array_mut().unwrap()
}

/// Adds the property `field` to a component schema, required or not.
fn add_field(spec: &mut Value, name: &str, field: &str, property: Value, is_required: bool) {
    schema(spec, name)["properties"][field] = property;
    if is_required {
        required(spec, name).push(json!(field));
    }
}

/// The values of `TaskStatus`.
fn enum_values(spec: &mut Value) -> &mut Vec<Value> {
    schema(spec, "TaskStatus")["enum"].as_array_mut().unwrap()
}

/// The parameters of `listTasks`: `project` (required), then `min_priority` (optional).
fn list_params(spec: &mut Value) -> &mut Vec<Value> {
    spec["paths"]["/tasks"]["get"]["parameters"].as_array_mut().unwrap()
}

/// The options of both comparing and generating.
fn options() -> Options {
    Options {
        crate_name: "tasks".into(),
        command: "cargo test -p codegen --test report_claims".into(),
        ..Default::default()
    }
}

/// The report of `case`'s edit, checked to hold exactly the expected changes.
fn report(case: &Case) -> Report {
    let old = base();
    let mut new = old.clone();
    (case.edit)(&mut new);
    let report = codegen::compare(&old.to_string(), &new.to_string(), &options()).unwrap();
    let name = case.name;
    assert_eq!(report.changes.len(), case.changes.len(), "{name}: {report:#?}");
    for (change, (subject, detail)) in report.changes.iter().zip(case.changes) {
        assert!(change.subject.contains(subject) && change.detail.contains(detail), "{name}: {change:#?}");
    }
    report
}

/// The single-file crate generated from `case`'s edited spec, without its empty `main` and its
/// crate attributes (a program includes it and adds its own), the runtime included by absolute
/// path.
fn crate_of(case: &Case) -> String {
    let mut spec = base();
    (case.edit)(&mut spec);
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/runtime/mod.rs");
    let fixture = codegen::generate_fixture(&spec.to_string(), &options(), &runtime.display().to_string()).unwrap();
    let attributes = "#![deny(warnings)]\n#![allow(dead_code)]\n";
    let main = "fn main() {}\n";
    assert!(fixture.contains(attributes) && fixture.ends_with(main), "the fixture's layout changed");
    fixture[..fixture.len() - main.len()].replacen(attributes, "", 1)
}

/// A program: the report's lines as comments, the generated crate included, then `code`.
fn program(case: &Case, report: &Report, api: &str, krate: &Path, code: &str) -> String {
    let mut out = format!(
        "// Written by `tests/report_claims.rs`: the edit `{}`, code for the {api} API, compiled against the new crate.\n",
        case.name
    );
    for change in &report.changes {
        out.push_str(&format!("// The report: {:?}, {}: {}\n", change.bump, change.subject, change.detail));
    }
    // No `deny(warnings)`: a lint (such as `deprecated`) is not a compile error to callers.
    out.push_str(&format!("#![allow(dead_code)]\ninclude!({:?});\n", krate.display().to_string()));
    out.push_str(code);
    out
}

/// Writes `text` to `path` unless it holds it already, so that a rerun rebuilds only the
/// programs that changed.
fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn report_claims_compile() {
    let dir = dir();
    for sub in ["crates", "old", "new"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let cases = cases();
    let names: BTreeSet<&str> = cases.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cases.len(), "two edits share a name");
    let t = trybuild::TestCases::new();
    let mut breaking = BTreeSet::new();
    let mut verdicts = Vec::new();
    for case in &cases {
        let report = report(case);
        let krate = dir.join("crates").join(format!("{}.rs", case.name));
        write(&krate, &crate_of(case));
        for (api, code) in [("old", case.old), ("new", case.new)] {
            let file = format!("{}.rs", case.name);
            write(&dir.join(api).join(&file), &program(case, &report, api, &krate, code));
            let path = format!("tests/report_claims/{api}/{file}");
            match api {
                "old" if report.semver() == Bump::Major => t.compile_fail(path),
                _ => t.pass(path),
            }
        }
        if report.semver() == Bump::Major {
            breaking.insert(case.name);
        }
        verdicts.push(format!("{}: {}", case.name, report.semver().as_str()));
    }
    eprintln!("verdicts:\n  {}", verdicts.join("\n  "));
    // An expected error file of an edit that is no longer breaking (or gone) would rot unseen.
    for entry in std::fs::read_dir(dir.join("old")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "stderr") {
            let stem = path.file_stem().unwrap().to_str().unwrap();
            assert!(breaking.contains(stem), "{}: no breaking edit `{stem}`; remove the file", path.display());
        }
    }
}
