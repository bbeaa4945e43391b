// An optional nullable field is tri-state: a plain `Option` would lose "absent" vs `null`.
use runloop::types::DevboxCreateExecutionParameters;

fn main() {
    let mut p = DevboxCreateExecutionParameters::new("ls");
    p.shell_name = Some("bash".to_owned());
}
