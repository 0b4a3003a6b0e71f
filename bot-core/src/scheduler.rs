//! The scheduler: runs due jobs on the [`Clock`](crate::clock::Clock) it is
//! given. It never sleeps itself — the caller asks [`Scheduler::next_due`]
//! and waits — so tests drive it with a mock clock, without sleeping.

use crate::domain::{Job, JobState};
use crate::engine::Engine;
use crate::engine::catchup::CatchUp;
use crate::engine::jobs::JobOutcome;
use crate::store::StoreError;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// After this many failed attempts a job is dead, for organisers to see.
pub const MAX_ATTEMPTS: u32 = 8;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SchedulerReport {
    pub done: u32,
    pub missed: u32,
    pub cancelled: u32,
    pub retried: u32,
    pub dead: u32,
}

pub struct Scheduler {
    engine: Arc<Engine>,
    /// Jobs per transaction: large enough to amortise the commit, small
    /// enough that one slow batch does not hold the write lock for long.
    pub batch: u32,
}

impl Scheduler {
    pub fn new(engine: Arc<Engine>) -> Self {
        Scheduler { engine, batch: 200 }
    }

    /// Runs every job due now, batch by batch. A job that fails is retried
    /// with backoff and jitter, and is dead after [`MAX_ATTEMPTS`].
    ///
    /// Jobs that run late (after downtime) follow the catch-up policy of
    /// [`catchup`](crate::engine::catchup); what they skipped or held is
    /// told to the sections' organisers once the pass is over.
    pub async fn run_due(&self) -> Result<SchedulerReport, StoreError> {
        let mut report = SchedulerReport::default();
        let mut caught_up = CatchUp::default();
        loop {
            let now = self.engine.clock().now_micros();
            let mut tx = self.engine.store().begin().await?;
            let jobs = tx.due_jobs(now, self.batch).await?;
            if jobs.is_empty() {
                drop(tx);
                if let Err(e) = self.engine.tell_catch_up(&caught_up, now).await {
                    tracing::warn!(error = %e, "cannot tell organisers what the catch-up skipped");
                }
                return Ok(report);
            }
            // Counted only once the batch commits: a rolled-back batch runs again.
            let mut batch = CatchUp::default();
            let mut failed: Option<(Job, String)> = None;
            for job in &jobs {
                match self.engine.run_job(tx.as_mut(), job, now, &mut batch).await {
                    Ok(outcome) => {
                        let state = match outcome {
                            JobOutcome::Done => JobState::Done,
                            JobOutcome::Missed => JobState::Missed,
                            JobOutcome::Cancelled => JobState::Cancelled,
                        };
                        tx.finish_job(job.id, state, now, None).await?;
                        match outcome {
                            JobOutcome::Done => report.done += 1,
                            JobOutcome::Missed => report.missed += 1,
                            JobOutcome::Cancelled => report.cancelled += 1,
                        }
                    }
                    Err(e) => {
                        failed = Some((job.clone(), e.to_string()));
                        break;
                    }
                }
            }
            match failed {
                None => {
                    tx.commit().await?;
                    caught_up.merge(batch);
                }
                Some((job, error)) => {
                    // The batch is rolled back (its jobs stay pending and run
                    // again); only the failing job is pushed back.
                    drop(tx);
                    tracing::warn!(job = %job.id, key = %job.key, %error, "job failed");
                    let mut tx = self.engine.store().begin().await?;
                    if job.attempts + 1 >= MAX_ATTEMPTS {
                        tx.finish_job(job.id, JobState::Dead, now, Some(&error))
                            .await?;
                        report.dead += 1;
                    } else {
                        tx.retry_job(job.id, now + backoff(&job), &error).await?;
                        report.retried += 1;
                    }
                    tx.commit().await?;
                }
            }
        }
    }

    /// When the next job comes due, if any.
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut tx = self.engine.store().begin().await?;
        tx.next_job_due().await
    }
}

/// 10 s, 20 s, 40 s… up to an hour, with ±25% jitter from the job id so
/// jobs that failed together spread out.
fn backoff(job: &Job) -> Duration {
    let base = 10i64 * (1i64 << job.attempts.min(9));
    let base = base.min(3600);
    let jitter = (job.id.0.wrapping_mul(7919) % 50) - 25;
    Duration::seconds(base + base * jitter / 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::JobId;

    fn job(id: i64, attempts: u32) -> Job {
        Job {
            id: JobId(id),
            key: "k".into(),
            subject: "s".into(),
            payload: "{}".into(),
            due_at: DateTime::UNIX_EPOCH,
            state: JobState::Pending,
            attempts,
            last_error: None,
            created_at: DateTime::UNIX_EPOCH,
            finished_at: None,
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        let first = backoff(&job(1, 0));
        assert!(first >= Duration::milliseconds(7_500) && first <= Duration::milliseconds(12_500));
        assert!(backoff(&job(1, 3)) > backoff(&job(1, 1)));
        assert!(backoff(&job(1, 30)) <= Duration::seconds(4500));
        assert_ne!(
            backoff(&job(1, 2)),
            backoff(&job(2, 2)),
            "jitter spreads jobs"
        );
    }
}
