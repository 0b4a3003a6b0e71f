//! The durable job queue: scheduled work waiting to come due, and the
//! record of how it ended.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::{Job, JobId, JobState, NewJob};
use muster_core::store::{JobRepo, StoreError, StoreResult};
use sqlx::{QueryBuilder, Sqlite};

use super::{SqliteTx, db_err, expect_one, parse, to_u32};

/// The columns of [`JobRow`], for SELECT lists.
macro_rules! job_columns {
    () => {
        "id, key, subject, payload, due_at, state, attempts, last_error, created_at, finished_at"
    };
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    key: String,
    subject: String,
    payload: String,
    due_at: DateTime<Utc>,
    state: String,
    attempts: i64,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;

    fn try_from(row: JobRow) -> StoreResult<Job> {
        Ok(Job {
            id: JobId(row.id),
            key: row.key,
            subject: row.subject,
            payload: row.payload,
            due_at: row.due_at,
            state: parse(&row.state)?,
            attempts: to_u32(row.attempts, "job attempts")?,
            last_error: row.last_error,
            created_at: row.created_at,
            finished_at: row.finished_at,
        })
    }
}

// Queries on pending jobs spell `state = 'pending'` as a literal: SQLite uses
// the partial index `jobs_due` only when the query's WHERE visibly implies
// the index's, which a bound parameter never does.

/// A range of `jobs_due`, already in order: a batch costs the batch, not the
/// backlog. SQLite's write transaction keeps other schedulers out.
pub(super) const DUE_JOBS: &str = concat!(
    "SELECT ",
    job_columns!(),
    " FROM jobs WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2"
);

/// The first entry of `jobs_due`.
pub(super) const NEXT_JOB_DUE: &str =
    "SELECT due_at FROM jobs WHERE state = 'pending' ORDER BY due_at, id LIMIT 1";

/// A range of `jobs_subject`.
pub(super) const CANCEL_JOBS: &str = "UPDATE jobs SET state = 'cancelled', finished_at = $2 \
     WHERE subject = $1 AND state = 'pending'";

#[async_trait]
impl JobRepo for SqliteTx {
    async fn add_job(&mut self, new: &NewJob) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO jobs (key, subject, payload, due_at, state, attempts, created_at) \
             VALUES ($1, $2, $3, $4, 'pending', 0, $5) \
             ON CONFLICT (key) DO UPDATE SET subject = excluded.subject, payload = excluded.payload, \
             due_at = excluded.due_at, state = 'pending', attempts = 0, last_error = NULL, finished_at = NULL \
             WHERE jobs.state = 'cancelled'",
        )
        .bind(&new.key)
        .bind(&new.subject)
        .bind(&new.payload)
        .bind(new.due_at)
        .bind(new.created_at)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn due_jobs(&mut self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Job>> {
        let rows: Vec<JobRow> = sqlx::query_as(DUE_JOBS)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Job::try_from).collect()
    }

    async fn finish_job(
        &mut self,
        id: JobId,
        state: JobState,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> StoreResult<()> {
        // Without a new error, the last one (from a retry) stays on record.
        let done = sqlx::query(
            "UPDATE jobs SET state = $2, finished_at = $3, last_error = COALESCE($4, last_error) \
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(state.as_str())
        .bind(at)
        .bind(error)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("job {id}"))
    }

    async fn retry_job(
        &mut self,
        id: JobId,
        due_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE jobs SET due_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1",
        )
        .bind(id.0)
        .bind(due_at)
        .bind(error)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("job {id}"))
    }

    async fn cancel_jobs(&mut self, subject: &str, at: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query(CANCEL_JOBS)
            .bind(subject)
            .bind(at)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn next_job_due(&mut self) -> StoreResult<Option<DateTime<Utc>>> {
        sqlx::query_scalar(NEXT_JOB_DUE)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn jobs(
        &mut self,
        states: &[JobState],
        subject: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Job>> {
        let mut query = QueryBuilder::<Sqlite>::new(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE TRUE"
        ));
        // States are our own `as_str` literals, inlined so that `[Pending]`
        // reads `jobs_due` in order instead of sorting the whole table.
        match states {
            [] => {}
            [state] => {
                query.push(format_args!(" AND state = '{}'", state.as_str()));
            }
            states => {
                query.push(" AND state IN (");
                for (i, state) in states.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    query.push(format_args!("{sep}'{}'", state.as_str()));
                }
                query.push(")");
            }
        }
        if let Some(subject) = subject {
            query.push(" AND subject = ").push_bind(subject);
        }
        query
            .push(" ORDER BY due_at, id LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<JobRow> = query
            .build_query_as()
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Job::try_from).collect()
    }
}
