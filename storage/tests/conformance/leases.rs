//! Leases: taken when free, expired or already ours; refused while another
//! holds one; renewed only by the holder; released; and, taken by many at
//! once, won by exactly one.

use std::sync::Arc;

use chrono::Duration;
use muster_core::store::*;
use tokio::sync::Barrier;

use super::{TestDb, at};

const SYNC: &str = "matrix-sync:@bot:example.org";

/// In a transaction of its own, as a sync loop would.
async fn acquire(store: &Arc<dyn Store>, holder: &str, now_h: i64, until_h: i64) -> bool {
    let mut tx = store.begin().await.unwrap();
    let taken = tx
        .acquire_lease(SYNC, holder, at(now_h), at(until_h))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    taken
}

async fn holder(store: &Arc<dyn Store>, now_h: i64) -> Option<String> {
    let mut tx = store.begin().await.unwrap();
    tx.lease_holder(SYNC, at(now_h)).await.unwrap()
}

pub async fn leases_acquire_refuse_and_take_over(store: Arc<dyn Store>) {
    assert_eq!(holder(&store, 0).await, None);
    // Taken in a transaction that rolls back: never held.
    let mut tx = store.begin().await.unwrap();
    assert!(tx.acquire_lease(SYNC, "a", at(0), at(2)).await.unwrap());
    drop(tx);
    assert_eq!(holder(&store, 0).await, None);

    assert!(acquire(&store, "a", 0, 2).await, "a free lease is taken");
    assert_eq!(holder(&store, 1).await.as_deref(), Some("a"));
    assert!(
        !acquire(&store, "b", 1, 3).await,
        "refused while a holds it"
    );
    assert_eq!(holder(&store, 1).await.as_deref(), Some("a"));
    // A lease of another name is another lease.
    let mut tx = store.begin().await.unwrap();
    assert!(tx.acquire_lease("other", "b", at(1), at(3)).await.unwrap());
    assert_eq!(
        tx.lease_holder("other", at(1)).await.unwrap().as_deref(),
        Some("b")
    );
    tx.commit().await.unwrap();

    // Acquiring again as the holder extends it.
    assert!(acquire(&store, "a", 1, 4).await);
    assert!(!acquire(&store, "b", 3, 5).await, "extended to 4");
    assert_eq!(holder(&store, 3).await.as_deref(), Some("a"));

    // Expired at `expires_at` itself: nobody holds it, and b takes it over.
    assert_eq!(holder(&store, 4).await, None);
    assert!(
        acquire(&store, "b", 4, 6).await,
        "an expired lease is taken over"
    );
    assert_eq!(holder(&store, 5).await.as_deref(), Some("b"));
    assert!(!acquire(&store, "a", 5, 7).await);
}

pub async fn leases_renew_only_by_the_holder(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert!(
        !tx.renew_lease(SYNC, "a", at(0), at(1)).await.unwrap(),
        "never taken"
    );
    tx.commit().await.unwrap();
    assert!(acquire(&store, "a", 0, 2).await);

    let mut tx = store.begin().await.unwrap();
    assert!(tx.renew_lease(SYNC, "a", at(1), at(3)).await.unwrap());
    assert!(
        !tx.renew_lease(SYNC, "b", at(1), at(9)).await.unwrap(),
        "b never held it"
    );
    tx.commit().await.unwrap();
    assert!(!acquire(&store, "b", 2, 4).await, "renewed to 3");
    assert_eq!(holder(&store, 2).await.as_deref(), Some("a"));

    // Expired, but nobody took it: still a's, and renewing keeps it.
    let mut tx = store.begin().await.unwrap();
    assert!(tx.renew_lease(SYNC, "a", at(5), at(7)).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(holder(&store, 6).await.as_deref(), Some("a"));

    // Expired and taken: the loser's renewal fails, and changes nothing.
    assert!(acquire(&store, "b", 7, 9).await);
    let mut tx = store.begin().await.unwrap();
    assert!(
        !tx.renew_lease(SYNC, "a", at(8), at(20)).await.unwrap(),
        "a lost it"
    );
    tx.commit().await.unwrap();
    assert_eq!(holder(&store, 8).await.as_deref(), Some("b"));
    assert_eq!(holder(&store, 9).await, None, "still b's expiry, not a's");
}

pub async fn leases_release_frees_at_once(store: Arc<dyn Store>) {
    assert!(acquire(&store, "a", 0, 10).await);
    // Only the holder's release counts.
    let mut tx = store.begin().await.unwrap();
    tx.release_lease(SYNC, "b").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(holder(&store, 1).await.as_deref(), Some("a"));

    let mut tx = store.begin().await.unwrap();
    tx.release_lease(SYNC, "a").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(holder(&store, 1).await, None);
    let mut tx = store.begin().await.unwrap();
    assert!(
        !tx.renew_lease(SYNC, "a", at(1), at(10)).await.unwrap(),
        "released"
    );
    // Releasing what one does not hold is harmless.
    tx.release_lease(SYNC, "a").await.unwrap();
    tx.release_lease("never", "a").await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        acquire(&store, "b", 1, 2).await,
        "free long before a's expiry"
    );
    assert_eq!(holder(&store, 1).await.as_deref(), Some("b"));
}

/// Two processes (two stores on one database) of eight tasks each try to
/// take one lease at the same instant: exactly one wins, and holds it.
pub async fn concurrent_acquire_has_one_winner(db: &impl TestDb) {
    const TASKS: usize = 8;
    let stores = [db.open().await, db.open().await];
    let start = Arc::new(Barrier::new(2 * TASKS));
    let mut tasks = Vec::new();
    for (p, store) in stores.iter().enumerate() {
        for t in 0..TASKS {
            let (store, start) = (store.clone(), start.clone());
            let me = format!("process-{p}/task-{t}");
            tasks.push(tokio::spawn(async move {
                start.wait().await;
                let mut tx = store.begin().await.unwrap();
                let won = tx
                    .acquire_lease(SYNC, &me, at(0), at(0) + Duration::seconds(30))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                won.then_some(me)
            }));
        }
    }
    let mut winners = Vec::new();
    for task in tasks {
        winners.extend(task.await.unwrap());
    }
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    for store in &stores {
        assert_eq!(holder(store, 0).await, Some(winners[0].clone()));
    }
}
