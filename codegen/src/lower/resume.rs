//! `x-resume`: how an event stream resumes by a query parameter after its connection drops.
//!
//! ```yaml
//! x-resume:
//!   param: offset   # a query parameter of the operation
//!   from: offset    # a field of each event's JSON data: the position to continue from
//! ```
//!
//! After a dropped connection, the runtime sends the request again with `param` set to `from` of
//! the last event received (as text: a string as it is, a number as written), so the server
//! continues after it. The field must hold the position *after* its event, not before: resuming
//! from a position before it would deliver the event again. Every event stream also resumes with
//! `Last-Event-ID` when the server sends event ids, which needs no extension.
//!
//! This pass runs once the types are complete, to check that `from` is a field of the event
//! data. It decides only `Operation::resume`; an `x-resume` that cannot be used (not an event
//! stream, not an object of two names, a parameter or field that does not exist) is ignored with
//! a warning at its pointer, never silently.

use std::collections::HashMap;

use serde_json::Value;

use super::pagination::{item_field, query_param};
use crate::diagnostics::{Diagnostics, expected};
use crate::error::Pointer;
use crate::ir::*;

/// Decides `resume` for every operation with an `x-resume`.
pub(super) fn detect(
    types: &Types,
    ops: &mut [Operation],
    hints: &HashMap<String, (Value, Pointer)>,
    diag: &mut Diagnostics,
) {
    for op in ops.iter_mut() {
        let Some((ext, at)) = hints.get(&op.id) else { continue };
        match declared(op, ext, types) {
            Ok(resume) => op.resume = Some(resume),
            Err(message) => diag.warn(at, format!("{message}; the stream resumes by `Last-Event-ID` only")),
        }
    }
}

/// The `x-resume` of `op`, checked against its parameters and its event data's fields.
fn declared(op: &Operation, ext: &Value, types: &Types) -> Result<ResumeParam, String> {
    let Success::EventStream(data) = &op.success else {
        return Err("`x-resume` applies to operations answering with an event stream".to_owned());
    };
    let text = |key: &str| match ext.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!("`{key}`: {}", expected("a string", other))),
        None => Err(format!("`x-resume` needs `{key}`")),
    };
    if !ext.is_object() {
        return Err(expected("an object with `param` and `from`", ext));
    }
    let (param, from) = (text("param")?, text("from")?);
    if query_param(op, &[param.as_str()]).is_none() {
        return Err(format!("`param`: `{param}` is not a query parameter of the operation with a scalar type"));
    }
    let EventData::Json(ty) = data else {
        return Err("`from` needs events whose data is a JSON object".to_owned());
    };
    if item_field(ty, &from, types).is_none() {
        return Err(format!("`from`: `{from}` is not a scalar field of the event data"));
    }
    Ok(ResumeParam { param, from })
}
