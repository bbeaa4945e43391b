// A misspelt enum variant doesn't compile.
use runloop::types::DevboxExecutionStatus;

fn main() {
    let _ = DevboxExecutionStatus::Complete;
}
