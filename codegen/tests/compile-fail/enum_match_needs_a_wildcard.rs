// A match on a generated enum needs a `_` arm (`#[non_exhaustive]`), so a new value is compatible.
use runloop::types::DevboxExecutionStatus;

fn label(status: &DevboxExecutionStatus) -> &'static str {
    match status {
        DevboxExecutionStatus::Queued => "queued",
        DevboxExecutionStatus::Running => "running",
        DevboxExecutionStatus::Completed => "completed",
        DevboxExecutionStatus::Unknown(_) => "unknown",
    }
}

fn main() {
    let _ = label(&DevboxExecutionStatus::Queued);
}
