// No struct literals, even with the required fields: the struct is `#[non_exhaustive]`; use `new`.
use runloop::Nullable;
use runloop::types::DevboxCreateExecutionParameters;

fn main() {
    let _ = DevboxCreateExecutionParameters { shell_name: Nullable::Absent, attach_stdin: Nullable::Absent };
}
