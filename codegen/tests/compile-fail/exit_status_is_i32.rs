// `exit_status` is `int32` in the spec: an `i64` does not fit. (The view is only ever received,
// so the optional nullable field is a plain `Option`.)
use runloop::types::DevboxAsyncExecutionDetailView;

fn exit(view: DevboxAsyncExecutionDetailView) -> Option<i64> {
    view.exit_status
}

fn main() {}
