//! Devbox helpers: await a status over the long poll `wait_for_status`, and create a devbox and
//! await `running`.
//!
//! `wait_for_status` is a `POST` that changes nothing on the server (it answers when the devbox
//! is in one of the statuses asked for, or with 408 when its hold elapses), so its polls opt in to
//! the runtime's retries of idempotent requests. The create request is sent once, with the
//! runtime's policy for requests that are not idempotent.
//!
//! Must not: resend the create request, or poll anything that changes state.

use std::time::Duration;

use tokio::time::Instant;

use super::wait::{Polled, Settings, Wait, WaitError, poll, remaining};
use crate::resources::Devboxes;
use crate::types::{DevboxCreateParams, DevboxStatus, DevboxView, DevboxWaitForStatusParameters};

/// The longest the server holds `wait_for_status` (the spec: at most 30 s).
const HOLD: Duration = Duration::from_secs(30);

impl<'a> Devboxes<'a> {
    /// Waits until devbox `id` is `running`: polls `wait_for_status` until the devbox is
    /// `running` (its view is returned), or `failure` or `shutdown` ([`WaitError::Ended`]), or
    /// the overall deadline passes ([`WaitError::DeadlineExceeded`]; 30 minutes unless set with
    /// [`Wait::deadline`]). The official SDKs' `await_running`.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn example(client: runloop::Client) -> Result<(), runloop::extra::WaitError> {
    /// use std::time::Duration;
    /// let devbox = client.devboxes().await_running("dbx_123").deadline(Duration::from_secs(600)).await?;
    /// println!("{} is {}", devbox.id, devbox.status);
    /// # Ok(())
    /// # }
    /// ```
    pub fn await_running(&self, id: &str) -> Wait<'a, DevboxView> {
        self.await_status(id, DevboxStatus::Running)
    }

    /// Waits until devbox `id` is `suspended`, as [`Devboxes::await_running`] waits for `running`
    /// (`failure` and `shutdown` end the wait with [`WaitError::Ended`]). The official SDKs'
    /// `await_suspended`.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn example(client: runloop::Client) -> Result<(), runloop::extra::WaitError> {
    /// client.devboxes().suspend("dbx_123").await?;
    /// let devbox = client.devboxes().await_suspended("dbx_123").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn await_suspended(&self, id: &str) -> Wait<'a, DevboxView> {
        self.await_status(id, DevboxStatus::Suspended)
    }

    /// Creates a devbox and waits until it is `running`: sends the create request once (to the
    /// `create_and_await_running` endpoint, as the official SDKs do), then, unless the devbox it
    /// returns is already running, waits as [`Devboxes::await_running`] does. The overall
    /// deadline covers both.
    ///
    /// The official SDKs call this `create_and_await_running`; here that name is the spec's
    /// operation (the create request alone, generated), so the helper is `create_running`.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn example(client: runloop::Client) -> Result<(), runloop::extra::WaitError> {
    /// use runloop::types::DevboxCreateParams;
    /// let devbox = client.devboxes().create_running(&DevboxCreateParams::default().with_name("ci")).await?;
    /// println!("{} is running", devbox.id);
    /// # Ok(())
    /// # }
    /// ```
    #[doc(alias = "create_and_await_running")]
    pub fn create_running(&self, params: &DevboxCreateParams) -> Wait<'a, DevboxView> {
        let (devboxes, params) = (*self, params.clone());
        Wait::new(move |settings| {
            Box::pin(async move {
                let started = Instant::now();
                let devbox = devboxes.create_and_await_running(&params).deadline(settings.deadline).await?;
                let (id, status) = (devbox.id.clone(), devbox.status.to_string());
                match settled(devbox, &DevboxStatus::Running)? {
                    Some(devbox) => Ok(devbox),
                    None => {
                        let poll = Poll { devboxes, id, awaited: DevboxStatus::Running, settings, started };
                        poll.run(Some(status)).await
                    }
                }
            })
        })
    }

    fn await_status(&self, id: &str, awaited: DevboxStatus) -> Wait<'a, DevboxView> {
        let (devboxes, id) = (*self, id.to_owned());
        Wait::new(move |settings| Box::pin(Poll { devboxes, id, awaited, settings, started: Instant::now() }.run(None)))
    }
}

/// The devbox when it is in the `awaited` status; [`WaitError::Ended`] when it is in a terminal
/// one (`failure`, `shutdown`); `None` while it may still get there.
fn settled(devbox: DevboxView, awaited: &DevboxStatus) -> Result<Option<DevboxView>, WaitError> {
    if devbox.status == *awaited {
        return Ok(Some(devbox));
    }
    match devbox.status {
        DevboxStatus::Failure | DevboxStatus::Shutdown => Err(WaitError::Ended {
            id: devbox.id.clone(),
            awaited: awaited.clone(),
            status: devbox.status.clone(),
            devbox: Box::new(devbox),
        }),
        _ => Ok(None),
    }
}

/// One wait for a devbox status, started at `started`.
struct Poll<'a> {
    devboxes: Devboxes<'a>,
    id: String,
    awaited: DevboxStatus,
    settings: Settings,
    started: Instant,
}

impl Poll<'_> {
    /// Polls `wait_for_status` until the devbox settles or the deadline passes; `last` is the
    /// status seen before the first poll, if any.
    async fn run(self, mut last: Option<String>) -> Result<DevboxView, WaitError> {
        let statuses = vec![self.awaited.clone(), DevboxStatus::Failure, DevboxStatus::Shutdown];
        while let Some(left) = remaining(self.started, self.settings.deadline) {
            let body =
                DevboxWaitForStatusParameters::new(statuses.clone()).with_timeout_seconds(left.min(HOLD).as_secs_f64());
            let call = self.devboxes.wait_for_status(&self.id, &body).retry_non_idempotent(true).deadline(left);
            let devbox = match poll(call.await)? {
                Some(Polled::Answered(devbox)) => devbox,
                Some(Polled::HoldElapsed) => continue,
                None => break,
            };
            last = Some(devbox.status.to_string());
            if let Some(devbox) = settled(devbox, &self.awaited)? {
                return Ok(devbox);
            }
            if let Some(left) = remaining(self.started, self.settings.deadline) {
                tokio::time::sleep(self.settings.poll_interval.min(left)).await;
            }
        }
        Err(WaitError::DeadlineExceeded {
            what: "devbox",
            id: self.id,
            awaited: self.awaited.to_string(),
            last_status: last,
            deadline: self.settings.deadline,
        })
    }
}
