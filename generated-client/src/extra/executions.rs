//! Execution helpers: await a command's completion over the long poll `wait_for_command`, and
//! execute a command and await its completion.
//!
//! `wait_for_command` is a `POST` that changes nothing on the server (it answers when the
//! execution is in one of the statuses asked for, or with 408 when its hold elapses), so its polls
//! opt in to the runtime's retries of idempotent requests. The `execute` request runs the command:
//! it is sent once, with the runtime's policy for requests that are not idempotent.
//!
//! Must not: resend `execute`, or poll anything that changes state.

use std::time::Duration;

use tokio::time::Instant;

use super::wait::{Polled, Settings, Wait, WaitError, poll, remaining};
use crate::resources::DevboxesExecutions;
use crate::types::{
    DevboxAsyncExecutionDetailView, DevboxExecuteParams, DevboxExecutionStatus, DevboxWaitForCommandParams,
    DevboxWaitForCommandParamsStatusesItem,
};

/// The longest the server holds `wait_for_command` (the spec: at most 25 s).
const HOLD: Duration = Duration::from_secs(25);

impl<'a> DevboxesExecutions<'a> {
    /// Waits until execution `execution_id` on devbox `devbox_id` is `completed`: polls
    /// `wait_for_command` until it is (its view, with exit status and output, is returned) or the
    /// overall deadline passes ([`WaitError::DeadlineExceeded`]; 30 minutes unless set with
    /// [`Wait::deadline`]). The official SDKs' `executions.await_completed`.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn example(client: runloop::Client) -> Result<(), runloop::extra::WaitError> {
    /// let done = client.devboxes().executions().await_completed("dbx_123", "exe_123").await?;
    /// println!("exit status {:?}", done.exit_status);
    /// # Ok(())
    /// # }
    /// ```
    pub fn await_completed(&self, devbox_id: &str, execution_id: &str) -> Wait<'a, DevboxAsyncExecutionDetailView> {
        let poll = Poll { executions: *self, devbox_id: devbox_id.to_owned(), execution_id: execution_id.to_owned() };
        Wait::new(move |settings| Box::pin(poll.run(settings, Instant::now(), None)))
    }

    /// Runs a command on devbox `devbox_id` and waits until it is `completed`: sends `execute`
    /// once (the server may hold it until the command ends, up to the params'
    /// `optimistic_timeout`), then, unless the command has completed, waits as
    /// [`DevboxesExecutions::await_completed`] does. The overall deadline covers both. The
    /// params' `command_id` identifies the command (a UUIDv7 the caller chooses).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn example(client: runloop::Client, command_id: String) -> Result<(), runloop::extra::WaitError> {
    /// use runloop::types::DevboxExecuteParams;
    /// let params = DevboxExecuteParams::new("make test", command_id).with_optimistic_timeout(25);
    /// let done = client.devboxes().executions().execute_and_await_completion("dbx_123", &params).await?;
    /// println!("exit status {:?}: {}", done.exit_status, done.stdout.unwrap_or_default());
    /// # Ok(())
    /// # }
    /// ```
    pub fn execute_and_await_completion(
        &self,
        devbox_id: &str,
        params: &DevboxExecuteParams,
    ) -> Wait<'a, DevboxAsyncExecutionDetailView> {
        let (executions, devbox_id, params) = (*self, devbox_id.to_owned(), params.clone());
        Wait::new(move |settings| {
            Box::pin(async move {
                let started = Instant::now();
                let devboxes = executions.client.devboxes();
                let execution = devboxes.execute(&devbox_id, &params).deadline(settings.deadline).await?;
                if execution.status == DevboxExecutionStatus::Completed {
                    return Ok(execution);
                }
                let status = execution.status.to_string();
                let poll = Poll { executions, devbox_id, execution_id: execution.execution_id };
                poll.run(settings, started, Some(status)).await
            })
        })
    }
}

/// One wait for an execution's completion.
struct Poll<'a> {
    executions: DevboxesExecutions<'a>,
    devbox_id: String,
    execution_id: String,
}

impl Poll<'_> {
    /// Polls `wait_for_command` until the execution completes or the deadline (counted from
    /// `started`) passes; `last` is the status seen before the first poll, if any.
    async fn run(
        self,
        settings: Settings,
        started: Instant,
        mut last: Option<String>,
    ) -> Result<DevboxAsyncExecutionDetailView, WaitError> {
        let devboxes = self.executions.client.devboxes();
        let statuses = vec![DevboxWaitForCommandParamsStatusesItem::Completed];
        while let Some(left) = remaining(started, settings.deadline) {
            // Whole seconds (the field is an integer), at least one.
            let hold = left.min(HOLD).as_secs().max(1);
            let body = DevboxWaitForCommandParams::new(statuses.clone())
                .with_timeout_seconds(i64::try_from(hold).unwrap_or(i64::MAX));
            let call = devboxes.wait_for_command(&self.devbox_id, &self.execution_id, &body);
            let execution = match poll(call.retry_non_idempotent(true).deadline(left).await)? {
                Some(Polled::Answered(execution)) => execution,
                Some(Polled::HoldElapsed) => continue,
                None => break,
            };
            if execution.status == DevboxExecutionStatus::Completed {
                return Ok(execution);
            }
            last = Some(execution.status.to_string());
            if let Some(left) = remaining(started, settings.deadline) {
                tokio::time::sleep(settings.poll_interval.min(left)).await;
            }
        }
        Err(WaitError::DeadlineExceeded {
            what: "execution",
            id: self.execution_id,
            awaited: DevboxExecutionStatus::Completed.to_string(),
            last_status: last,
            deadline: settings.deadline,
        })
    }
}
