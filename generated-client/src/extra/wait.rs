//! What every wait shares: [`Wait`], the awaitable with its overall deadline and poll interval,
//! [`WaitError`], and how a long poll's answer is read ([`poll`]).
//!
//! Must not: send a request itself; the helpers in `devboxes.rs` and `executions.rs` do.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use crate::types::{DevboxStatus, DevboxView};

/// How long a wait may take in all unless [`Wait::deadline`] says otherwise: 30 minutes, the
/// order of a devbox's boot from a large snapshot.
pub const DEFAULT_WAIT_DEADLINE: Duration = Duration::from_secs(30 * 60);

/// The pause after a poll that answered with a state that is not the awaited one (an answer the
/// server gives before its hold ends), unless [`Wait::poll_interval`] says otherwise: 1 s, as
/// the official SDKs.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Why a wait ended without what it awaited.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// The devbox reached a terminal status (`failure` or `shutdown`) other than the awaited one.
    #[error("devbox {id} ended in status `{status}` while awaiting `{awaited}`{}", failure_reason(devbox))]
    Ended {
        /// The devbox id.
        id: String,
        /// The status awaited.
        awaited: DevboxStatus,
        /// The terminal status it reached.
        status: DevboxStatus,
        /// The devbox as last read (`failure_reason`, `shutdown_reason`, ...).
        devbox: Box<DevboxView>,
    },
    /// The overall deadline passed before the awaited state was reached.
    #[error("{what} {id} did not reach `{awaited}` within {deadline:?} (last seen: {})", last_status.as_deref().map_or("nothing".to_owned(), |s| format!("`{s}`")))]
    DeadlineExceeded {
        /// What was awaited: `devbox` or `execution`.
        what: &'static str,
        /// Its id.
        id: String,
        /// The state awaited, as on the wire.
        awaited: String,
        /// The last state a poll answered with, as on the wire; `None` when no poll answered.
        last_status: Option<String>,
        /// The deadline that passed.
        deadline: Duration,
    },
    /// A call failed (other than a long poll's hold elapsing, which is asked again).
    #[error(transparent)]
    Client(#[from] crate::Error),
}

fn failure_reason(devbox: &DevboxView) -> String {
    devbox.failure_reason.as_ref().map(|r| format!(" (failure reason: `{r}`)")).unwrap_or_default()
}

/// The settings of one wait.
#[derive(Clone, Copy, Debug)]
pub(super) struct Settings {
    /// The overall deadline.
    pub(super) deadline: Duration,
    /// The pause after an answer with a state that is not awaited.
    pub(super) poll_interval: Duration,
}

type Run<'a, T> = Box<dyn FnOnce(Settings) -> WaitFuture<'a, T> + Send + 'a>;

/// The future of a [`Wait`].
pub type WaitFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, WaitError>> + Send + 'a>>;

/// A wait, `.await`ed for its value: polls until the awaited state, a terminal one, or the
/// overall deadline ([`DEFAULT_WAIT_DEADLINE`] unless set with [`Wait::deadline`]).
#[must_use = "a wait does nothing until it is awaited"]
pub struct Wait<'a, T> {
    settings: Settings,
    run: Run<'a, T>,
}

impl<'a, T> Wait<'a, T> {
    pub(super) fn new(run: impl FnOnce(Settings) -> WaitFuture<'a, T> + Send + 'a) -> Self {
        let settings = Settings { deadline: DEFAULT_WAIT_DEADLINE, poll_interval: DEFAULT_POLL_INTERVAL };
        Self { settings, run: Box::new(run) }
    }

    /// The overall deadline of the wait, its calls included; past it the wait fails with
    /// [`WaitError::DeadlineExceeded`], also while a call is held by the server.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// The pause after a poll answered with a state that is not the awaited one (default
    /// [`DEFAULT_POLL_INTERVAL`]). A long poll whose hold elapsed (408) is asked again at once.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.settings.poll_interval = interval;
        self
    }
}

impl<T> std::fmt::Debug for Wait<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wait").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl<'a, T> IntoFuture for Wait<'a, T> {
    type Output = Result<T, WaitError>;
    type IntoFuture = WaitFuture<'a, T>;

    fn into_future(self) -> Self::IntoFuture {
        (self.run)(self.settings)
    }
}

/// What one long poll came to.
pub(super) enum Polled<T> {
    /// The server answered with a value.
    Answered(T),
    /// The server's hold elapsed (408): ask again.
    HoldElapsed,
}

/// Reads a long poll's outcome: a value, a hold that elapsed (408, asked again), the overall
/// deadline (`Error::Timeout` with `deadline`: `None`, for the caller to report), or an error.
pub(super) fn poll<T>(outcome: Result<T, crate::Error>) -> Result<Option<Polled<T>>, WaitError> {
    match outcome {
        Ok(value) => Ok(Some(Polled::Answered(value))),
        Err(crate::Error::Api(e)) if e.status == reqwest::StatusCode::REQUEST_TIMEOUT => Ok(Some(Polled::HoldElapsed)),
        Err(crate::Error::Timeout { deadline: true, .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The time left of `deadline` since `started`; `None` when none is left.
pub(super) fn remaining(started: tokio::time::Instant, deadline: Duration) -> Option<Duration> {
    deadline.checked_sub(started.elapsed()).filter(|r| !r.is_zero())
}
