// The constructor takes every required field, with its type.
use runloop::types::DevboxCreateExecutionParameters;

fn main() {
    let _ = DevboxCreateExecutionParameters::new();
    let _ = DevboxCreateExecutionParameters::new(42);
}
