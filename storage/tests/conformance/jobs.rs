//! The job queue: one job per key, due jobs in order, how jobs end, retries,
//! cancelling by subject, and schedulers racing for the same jobs.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use muster_core::domain::*;
use muster_core::store::*;

use super::at;

pub fn new_job(key: &str, subject: &str, due_at: DateTime<Utc>) -> NewJob {
    NewJob {
        key: key.into(),
        subject: subject.into(),
        payload: format!(r#"{{"job":"{key}"}}"#),
        due_at,
        created_at: at(0),
    }
}

/// Adds a job and reads it back, so tests hold its id.
async fn job(tx: &mut Box<dyn Tx>, key: &str, subject: &str, due_at: DateTime<Utc>) -> Job {
    assert!(
        tx.add_job(&new_job(key, subject, due_at)).await.unwrap(),
        "{key} is new"
    );
    by_key(tx, key).await
}

async fn by_key(tx: &mut Box<dyn Tx>, key: &str) -> Job {
    tx.jobs(&[], None, u32::MAX)
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.key == key)
        .unwrap_or_else(|| panic!("job {key}"))
}

fn keys(jobs: &[Job]) -> Vec<&str> {
    jobs.iter().map(|j| j.key.as_str()).collect()
}

pub async fn jobs_add_once_per_key(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.add_job(&new_job("reminder:1", "event:1", at(5)))
            .await
            .unwrap()
    );
    let j = by_key(&mut tx, "reminder:1").await;
    assert_eq!(
        j,
        Job {
            id: j.id,
            key: "reminder:1".into(),
            subject: "event:1".into(),
            payload: r#"{"job":"reminder:1"}"#.into(),
            due_at: at(5),
            state: JobState::Pending,
            attempts: 0,
            last_error: None,
            created_at: at(0),
            finished_at: None,
        }
    );
    // The same key again, whatever else differs: nothing is written, and
    // the transaction goes on.
    assert!(
        !tx.add_job(&new_job("reminder:1", "event:2", at(9)))
            .await
            .unwrap()
    );
    assert!(
        tx.add_job(&new_job("reminder:2", "event:1", at(6)))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    // Still refused once the job has run: an occurrence runs once.
    let mut tx = store.begin().await.unwrap();
    tx.finish_job(j.id, JobState::Done, at(5), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert!(
        !tx.add_job(&new_job("reminder:1", "event:1", at(7)))
            .await
            .unwrap()
    );
    let all = tx.jobs(&[], None, 100).await.unwrap();
    assert_eq!(keys(&all), ["reminder:1", "reminder:2"]);
    assert_eq!(all[0].state, JobState::Done);
    assert_eq!(all[0].due_at, at(5));

    // A cancelled occurrence is scheduled again when asked again (the event
    // came back to that time): pending, due anew, with a clean slate.
    let cancelled = by_key(&mut tx, "reminder:2").await;
    tx.retry_job(cancelled.id, at(6), "once").await.unwrap();
    assert_eq!(tx.cancel_jobs("event:1", at(1)).await.unwrap(), 1);
    assert!(
        tx.add_job(&new_job("reminder:2", "event:1", at(8)))
            .await
            .unwrap()
    );
    let again = by_key(&mut tx, "reminder:2").await;
    assert_eq!(again.id, cancelled.id);
    assert_eq!(
        (
            again.state,
            again.due_at,
            again.attempts,
            again.last_error,
            again.finished_at
        ),
        (JobState::Pending, at(8), 0, None, None)
    );
}

pub async fn jobs_due_in_order_with_limit(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert!(tx.due_jobs(at(100), 10).await.unwrap().is_empty());
    // Added out of due order; two share a due time.
    job(&mut tx, "c", "s", at(3)).await;
    job(&mut tx, "a1", "s", at(1)).await;
    job(&mut tx, "b", "s", at(2)).await;
    job(&mut tx, "a2", "s", at(1)).await;
    job(&mut tx, "future", "s", at(5)).await;
    let done = job(&mut tx, "done", "s", at(0)).await;
    tx.finish_job(done.id, JobState::Done, at(0), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    // Due means due_at <= now; earliest first, then by id.
    assert_eq!(
        keys(&tx.due_jobs(at(3), 10).await.unwrap()),
        ["a1", "a2", "b", "c"]
    );
    assert_eq!(keys(&tx.due_jobs(at(3), 2).await.unwrap()), ["a1", "a2"]);
    assert!(tx.due_jobs(at(3), 0).await.unwrap().is_empty());
    assert!(
        tx.due_jobs(at(1) - Duration::seconds(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Reading due jobs changes nothing: they stay pending until finished.
    assert_eq!(keys(&tx.due_jobs(at(1), 10).await.unwrap()), ["a1", "a2"]);
    let due = tx.due_jobs(at(1), 1).await.unwrap();
    assert_eq!(due[0].state, JobState::Pending);
    tx.finish_job(due[0].id, JobState::Done, at(1), None)
        .await
        .unwrap();
    assert_eq!(
        keys(&tx.due_jobs(at(9), 10).await.unwrap()),
        ["a2", "b", "c", "future"]
    );
}

pub async fn jobs_finish_states(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let done = job(&mut tx, "done", "s", at(1)).await;
    let missed = job(&mut tx, "missed", "s", at(1)).await;
    let dead = job(&mut tx, "dead", "s", at(1)).await;
    let cancelled = job(&mut tx, "cancelled", "s", at(1)).await;
    tx.finish_job(done.id, JobState::Done, at(2), None)
        .await
        .unwrap();
    tx.finish_job(missed.id, JobState::Missed, at(3), None)
        .await
        .unwrap();
    tx.finish_job(dead.id, JobState::Dead, at(4), Some("boom"))
        .await
        .unwrap();
    tx.finish_job(cancelled.id, JobState::Cancelled, at(5), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let ended = |j: &Job, state, hour| Job {
        state,
        finished_at: Some(at(hour)),
        ..j.clone()
    };
    assert_eq!(
        by_key(&mut tx, "done").await,
        ended(&done, JobState::Done, 2)
    );
    assert_eq!(
        by_key(&mut tx, "missed").await,
        ended(&missed, JobState::Missed, 3)
    );
    assert_eq!(
        by_key(&mut tx, "dead").await,
        Job {
            last_error: Some("boom".into()),
            ..ended(&dead, JobState::Dead, 4)
        }
    );
    assert_eq!(
        by_key(&mut tx, "cancelled").await,
        ended(&cancelled, JobState::Cancelled, 5)
    );
    assert!(tx.due_jobs(at(100), 10).await.unwrap().is_empty());
    assert_eq!(tx.next_job_due().await.unwrap(), None);

    let missing = |r: StoreResult<()>| matches!(r, Err(StoreError::Inconsistent(_)));
    assert!(missing(
        tx.finish_job(JobId(9999), JobState::Done, at(1), None)
            .await
    ));
    assert!(missing(tx.retry_job(JobId(9999), at(1), "e").await));
}

pub async fn jobs_retry_moves_due_time(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let j = job(&mut tx, "flaky", "s", at(1)).await;
    let due = tx.due_jobs(at(1), 10).await.unwrap();
    assert_eq!(due, vec![j.clone()]);
    tx.retry_job(j.id, at(2), "timeout").await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let retried = Job {
        due_at: at(2),
        attempts: 1,
        last_error: Some("timeout".into()),
        ..j.clone()
    };
    assert_eq!(by_key(&mut tx, "flaky").await, retried);
    assert!(
        tx.due_jobs(at(2) - Duration::seconds(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(tx.due_jobs(at(2), 10).await.unwrap(), vec![retried]);
    tx.retry_job(j.id, at(3), "refused").await.unwrap();
    let again = by_key(&mut tx, "flaky").await;
    assert_eq!(again.attempts, 2);
    assert_eq!(again.due_at, at(3));
    assert_eq!(again.state, JobState::Pending);
    assert_eq!(again.last_error.as_deref(), Some("refused"));
    assert_eq!(tx.next_job_due().await.unwrap(), Some(at(3)));
}

pub async fn jobs_cancel_pending_of_subject(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    job(&mut tx, "e1-a", "event:1", at(1)).await;
    job(&mut tx, "e1-b", "event:1", at(2)).await;
    let ran = job(&mut tx, "e1-ran", "event:1", at(0)).await;
    tx.finish_job(ran.id, JobState::Done, at(0), None)
        .await
        .unwrap();
    let dead = job(&mut tx, "e1-dead", "event:1", at(0)).await;
    tx.finish_job(dead.id, JobState::Dead, at(0), Some("x"))
        .await
        .unwrap();
    let other = job(&mut tx, "e10", "event:10", at(1)).await;
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.cancel_jobs("event:1", at(5)).await.unwrap(), 2);
    for key in ["e1-a", "e1-b"] {
        let j = by_key(&mut tx, key).await;
        assert_eq!(j.state, JobState::Cancelled, "{key}");
        assert_eq!(j.finished_at, Some(at(5)), "{key}");
    }
    // Finished jobs keep their end; another subject (even a prefix match) is untouched.
    let ran_now = by_key(&mut tx, "e1-ran").await;
    assert_eq!(
        (ran_now.state, ran_now.finished_at),
        (JobState::Done, Some(at(0)))
    );
    let dead_now = by_key(&mut tx, "e1-dead").await;
    assert_eq!(
        (dead_now.state, dead_now.finished_at),
        (JobState::Dead, Some(at(0)))
    );
    assert_eq!(by_key(&mut tx, "e10").await, other);
    assert_eq!(tx.cancel_jobs("event:1", at(6)).await.unwrap(), 0);
    assert_eq!(tx.cancel_jobs("event:404", at(6)).await.unwrap(), 0);
    assert_eq!(keys(&tx.due_jobs(at(100), 10).await.unwrap()), ["e10"]);
}

pub async fn jobs_next_due(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.next_job_due().await.unwrap(), None);
    let first = job(&mut tx, "first", "s", at(2)).await;
    job(&mut tx, "second", "s", at(3)).await;
    let done = job(&mut tx, "done", "s", at(1)).await;
    tx.finish_job(done.id, JobState::Done, at(1), None)
        .await
        .unwrap();
    // Only pending jobs count, due or not.
    assert_eq!(tx.next_job_due().await.unwrap(), Some(at(2)));
    tx.finish_job(first.id, JobState::Missed, at(2), None)
        .await
        .unwrap();
    assert_eq!(tx.next_job_due().await.unwrap(), Some(at(3)));
    job(&mut tx, "overdue", "s", at(0) - Duration::days(1)).await;
    assert_eq!(
        tx.next_job_due().await.unwrap(),
        Some(at(0) - Duration::days(1))
    );
}

pub async fn jobs_listing_filters(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    job(&mut tx, "p-e1-late", "event:1", at(4)).await;
    job(&mut tx, "p-e1", "event:1", at(1)).await;
    job(&mut tx, "p-e2", "event:2", at(2)).await;
    let d = job(&mut tx, "dead-e1", "event:1", at(3)).await;
    tx.finish_job(d.id, JobState::Dead, at(3), Some("x"))
        .await
        .unwrap();
    let c = job(&mut tx, "cancelled-e2", "event:2", at(1)).await;
    tx.finish_job(c.id, JobState::Cancelled, at(1), None)
        .await
        .unwrap();
    let m = job(&mut tx, "missed-e1", "event:1", at(2)).await;
    tx.finish_job(m.id, JobState::Missed, at(2), None)
        .await
        .unwrap();

    // By due_at, then id.
    assert_eq!(
        keys(&tx.jobs(&[], None, 100).await.unwrap()),
        [
            "p-e1",
            "cancelled-e2",
            "p-e2",
            "missed-e1",
            "dead-e1",
            "p-e1-late"
        ]
    );
    assert_eq!(
        keys(&tx.jobs(&[JobState::Pending], None, 100).await.unwrap()),
        ["p-e1", "p-e2", "p-e1-late"]
    );
    assert_eq!(
        keys(
            &tx.jobs(&[JobState::Dead, JobState::Missed], None, 100)
                .await
                .unwrap()
        ),
        ["missed-e1", "dead-e1"]
    );
    assert_eq!(
        keys(&tx.jobs(&[], Some("event:1"), 100).await.unwrap()),
        ["p-e1", "missed-e1", "dead-e1", "p-e1-late"]
    );
    assert_eq!(
        keys(
            &tx.jobs(&[JobState::Pending], Some("event:1"), 100)
                .await
                .unwrap()
        ),
        ["p-e1", "p-e1-late"]
    );
    assert_eq!(
        keys(
            &tx.jobs(&[JobState::Pending], Some("event:1"), 1)
                .await
                .unwrap()
        ),
        ["p-e1"]
    );
    assert_eq!(
        keys(&tx.jobs(&[], None, 2).await.unwrap()),
        ["p-e1", "cancelled-e2"]
    );
    assert!(
        tx.jobs(&[JobState::Done], None, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(tx.jobs(&[], Some("event:3"), 100).await.unwrap().is_empty());
    assert!(tx.jobs(&[], None, 0).await.unwrap().is_empty());
}

/// Four schedulers loop `begin; due_jobs; finish each; commit` over the
/// same 500 due jobs. Each job must be handed to exactly one of them.
pub async fn concurrent_schedulers_take_each_job_once(store: Arc<dyn Store>) {
    const JOBS: usize = 500;
    let now = at(10);
    let mut tx = store.begin().await.unwrap();
    for i in 0..JOBS {
        let due = at(0) + Duration::seconds(i as i64 % 60);
        assert!(
            tx.add_job(&new_job(&format!("job-{i}"), "s", due))
                .await
                .unwrap()
        );
    }
    tx.commit().await.unwrap();

    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut taken = Vec::new();
                loop {
                    let mut tx = store.begin().await.unwrap();
                    let due = tx.due_jobs(now, 10).await.unwrap();
                    if due.is_empty() {
                        return taken;
                    }
                    for job in &due {
                        // Let the others run between the read and the writes.
                        tokio::task::yield_now().await;
                        tx.finish_job(job.id, JobState::Done, now, None)
                            .await
                            .unwrap();
                        taken.push(job.id);
                    }
                    tx.commit().await.unwrap();
                }
            })
        })
        .collect();
    let mut times: HashMap<JobId, usize> = HashMap::new();
    for task in tasks {
        for id in task.await.unwrap() {
            *times.entry(id).or_default() += 1;
        }
    }

    let twice: Vec<_> = times.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "taken more than once: {twice:?}");
    assert_eq!(times.len(), JOBS);
    let mut tx = store.begin().await.unwrap();
    let done = tx.jobs(&[JobState::Done], None, u32::MAX).await.unwrap();
    assert_eq!(done.len(), JOBS);
    assert!(done.iter().all(|j| times.contains_key(&j.id)));
    assert_eq!(tx.next_job_due().await.unwrap(), None);
}
