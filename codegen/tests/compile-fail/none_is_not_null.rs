// `Nullable` has no `From<Option<T>>`: whether `None` means "leave it out" or "send `null`" must
// be spelled out with `Nullable::absent_if_none` or `Nullable::null_if_none`.
use runloop::Nullable;
use runloop::types::DevboxCreateExecutionParameters;

fn main() {
    let shell: Option<String> = None;
    let mut p = DevboxCreateExecutionParameters::new("ls");
    p.shell_name = shell.into();
    let _: Nullable<i32> = Nullable::from(None::<i32>);
}
