//! Prints the id of every devbox, one per line, walking all pages three devboxes at a time.
//!
//! Configured from the environment only: `RUNLOOP_API_KEY`, and `RUNLOOP_BASE_URL` if set.
//! Exits with status 1 and the error on failure.
//!
//! ```sh
//! cargo run --example list_devboxes
//! ```

use std::process::ExitCode;

use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), runloop::Error> {
    let client = runloop::Client::from_env()?;
    let mut devboxes = client.devboxes().list().limit(3).items();
    while let Some(devbox) = devboxes.try_next().await? {
        println!("{}", devbox.id);
    }
    Ok(())
}
