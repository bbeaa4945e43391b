//! Uploads a local file to a devbox, downloads it back and saves it to `<out-file>`.
//!
//! Configured from the environment only: `RUNLOOP_API_KEY`, and `RUNLOOP_BASE_URL` if set.
//! The upload streams the file from disk; the download is written beside `<out-file>` and renamed
//! into place, so a failed download never leaves a partial file there. Exits with status 1 and
//! the error on failure, 2 on bad usage.
//!
//! ```sh
//! cargo run --example upload_download -- <local-file> <devbox-id> <remote-path> <out-file>
//! ```

use std::process::ExitCode;

use runloop::FilePart;
use runloop::types::{DevboxDownloadFileParams, UploadDevboxFileBody};

const USAGE: &str = "usage: cargo run --example upload_download -- <local-file> <devbox-id> <remote-path> <out-file>";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [local, devbox, remote, out] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match run(local, devbox, remote, out).await {
        Ok(bytes) => {
            println!("uploaded {local} to {devbox}:{remote}; downloaded {bytes} bytes to {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(local: &str, devbox: &str, remote: &str, out: &str) -> Result<u64, runloop::Error> {
    let client = runloop::Client::from_env()?;
    let upload = UploadDevboxFileBody::new(remote).with_file(FilePart::path(local));
    client.devboxes().upload_file(devbox, &upload).await?;
    let download = client.devboxes().download_file(devbox, &DevboxDownloadFileParams::new(remote)).await?;
    download.save(out).await
}
