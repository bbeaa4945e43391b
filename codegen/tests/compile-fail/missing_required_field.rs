// A required field can't be left out of a struct literal.
use runloop::Nullable;
use runloop::types::DevboxCreateExecutionParameters;

fn main() {
    let _ = DevboxCreateExecutionParameters { shell_name: Nullable::Absent, attach_stdin: Nullable::Absent };
}
