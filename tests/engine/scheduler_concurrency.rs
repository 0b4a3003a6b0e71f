//! Two scheduler loops on one database never run the same occurrence twice.

use crate::common::{Org, at};
use muster_core::clock::RandomIds;
use muster_core::engine::Engine;
use muster_core::scheduler::Scheduler;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_share_the_work_without_repeating_it() {
    let org = Org::with_section().await;
    for i in 0..120 {
        org.reply(
            "ana",
            &format!(
                "/event new \"E{i}\" 2026-11-26 {:02}:{:02}",
                8 + i / 60,
                i % 60
            ),
        )
        .await;
    }
    // A second process: its own store handle on the same file, same clock.
    let store = muster_storage::open(&org.url).await.unwrap();
    let other = Arc::new(Engine::new(
        store,
        Arc::new(org.clock.clone()),
        Arc::new(RandomIds::seeded(9)),
        Default::default(),
    ));
    org.clock.set(at("2026-11-26T06:30:00Z")); // every 24h reminder is due, no 1h one yet
    // Small batches, so the two loops interleave.
    let mut a = Scheduler::new(org.engine.clone());
    let mut b = Scheduler::new(other);
    a.batch = 7;
    b.batch = 7;
    let (ra, rb) = tokio::join!(
        tokio::spawn(async move {
            let mut total = muster_core::scheduler::SchedulerReport::default();
            for _ in 0..5 {
                let r = a.run_due().await.unwrap();
                total.done += r.done;
            }
            total
        }),
        tokio::spawn(async move {
            let mut total = muster_core::scheduler::SchedulerReport::default();
            for _ in 0..5 {
                let r = b.run_due().await.unwrap();
                total.done += r.done;
            }
            total
        })
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(
        ra.done + rb.done,
        120,
        "each occurrence ran once in all: {ra:?} {rb:?}"
    );
    let mut tx = org.engine.store().begin().await.unwrap();
    let counts = tx.outbox_counts().await.unwrap();
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 120, "one delivery per reminder: {counts:?}");
}
