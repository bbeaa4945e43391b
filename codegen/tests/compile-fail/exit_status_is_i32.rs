// `exit_status` is `int32` in the spec: an `i64` does not fit.
use runloop::types::DevboxAsyncExecutionDetailView;

fn exit(view: DevboxAsyncExecutionDetailView) -> Option<i64> {
    view.exit_status.into_option()
}

fn main() {}
