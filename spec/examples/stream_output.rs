//! Runs a command on a devbox, prints its standard output as it streams (one update per line),
//! then waits for the command to complete and prints its final status.
//!
//! Configured from the environment only: `RUNLOOP_API_KEY`, and `RUNLOOP_BASE_URL` if set.
//! Exits with status 1 and the error on failure, 2 on bad usage.
//!
//! ```sh
//! cargo run --example stream_output -- <devbox-id> <command>
//! ```

use std::process::ExitCode;

use runloop::types::DevboxCreateExecutionParameters;

const USAGE: &str = "usage: cargo run --example stream_output -- <devbox-id> <command>";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [devbox, command] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match run(devbox, command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `WaitError` is the helpers' error; every call's `runloop::Error` converts into it.
async fn run(devbox: &str, command: &str) -> Result<(), runloop::extra::WaitError> {
    let client = runloop::Client::from_env()?;
    let execution = client.devboxes().execute_async(devbox, &DevboxCreateExecutionParameters::new(command)).await?;
    let (devbox, id) = (&execution.devbox_id, &execution.execution_id);
    let executions = client.devboxes().executions();
    let mut updates = executions.stream_stdout_updates(devbox, id).await?;
    while let Some(update) = updates.next().await {
        println!("{}", update?.data.output);
    }
    // The stream can end before the command does: wait for its completion (a hand-written
    // helper, `src/extra/`), rather than reading a status that may still be `running`.
    let done = executions.await_completed(devbox, id).await?;
    match done.exit_status.as_ref() {
        Some(code) => println!("status: {} (exit status {code})", done.status),
        None => println!("status: {}", done.status),
    }
    Ok(())
}
