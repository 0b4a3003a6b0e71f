//! The outbox: enqueueing once per key, claiming what is due for one
//! platform, taking over lapsed claims, and the three outcomes of a send.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use muster_core::domain::*;
use muster_core::store::*;

use super::{at, section};

/// How long a test dispatcher holds what it claimed.
const CLAIM: Duration = Duration::minutes(5);

pub fn new_delivery(room: &RoomRef, key: &str, created_at: DateTime<Utc>) -> NewDelivery {
    NewDelivery {
        announcement: None,
        room: room.clone(),
        direct: false,
        message: format!(r#"{{"text":"{key}"}}"#),
        idempotency_key: key.into(),
        created_at,
    }
}

pub fn matrix() -> RoomRef {
    RoomRef::new(Platform::Matrix, "!r:example.org")
}

pub fn discord() -> RoomRef {
    RoomRef::new(Platform::Discord, "99")
}

async fn enqueue(tx: &mut Box<dyn Tx>, room: &RoomRef, key: &str, at: DateTime<Utc>) -> Delivery {
    tx.enqueue(&new_delivery(room, key, at))
        .await
        .unwrap()
        .expect("a new key")
}

fn count(counts: &[(DeliveryStatus, u64)], status: DeliveryStatus) -> u64 {
    counts
        .iter()
        .filter(|(s, _)| *s == status)
        .map(|(_, n)| n)
        .sum()
}

fn ids(deliveries: &[Delivery]) -> Vec<DeliveryId> {
    deliveries.iter().map(|d| d.id).collect()
}

pub async fn outbox_enqueue_once_per_key(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let a = tx
        .create_announcement(NewAnnouncement {
            section: s.id,
            subtree: false,
            text: "a".into(),
            author: None,
            send_at: at(1),
            status: AnnouncementStatus::Pending,
            created_at: at(0),
        })
        .await
        .unwrap();

    let d1 = tx
        .enqueue(&NewDelivery {
            announcement: Some(a.id),
            ..new_delivery(&matrix(), "a-1-matrix", at(1))
        })
        .await
        .unwrap()
        .expect("a new key");
    assert_eq!(
        d1,
        Delivery {
            id: d1.id,
            announcement: Some(a.id),
            room: matrix(),
            direct: false,
            message: r#"{"text":"a-1-matrix"}"#.into(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: at(1),
            last_error: None,
            idempotency_key: "a-1-matrix".into(),
            created_at: at(1),
            sent_at: None,
        }
    );
    assert_eq!(tx.delivery(d1.id).await.unwrap(), Some(d1.clone()));
    // A direct message: the "room" is the member's user id.
    let dm = tx
        .enqueue(&NewDelivery {
            direct: true,
            ..new_delivery(&RoomRef::new(Platform::Telegram, "42"), "dm-42", at(2))
        })
        .await
        .unwrap()
        .unwrap();
    assert!(dm.direct);
    assert_eq!(tx.delivery(dm.id).await.unwrap(), Some(dm.clone()));
    let d2 = tx
        .enqueue(&NewDelivery {
            announcement: Some(a.id),
            ..new_delivery(&discord(), "a-1-discord", at(1))
        })
        .await
        .unwrap()
        .unwrap();
    assert!(d1.id < dm.id && dm.id < d2.id);

    // The same key again, whatever else differs: nothing is written.
    assert_eq!(
        tx.enqueue(&new_delivery(&discord(), "a-1-matrix", at(3)))
            .await
            .unwrap(),
        None
    );
    // The announcement's deliveries, by id; the direct one is under none.
    assert_eq!(tx.deliveries(a.id).await.unwrap(), vec![d1.clone(), d2]);
    assert_eq!(tx.delivery(DeliveryId(9999)).await.unwrap(), None);
    tx.commit().await.unwrap();

    // Across transactions too, and the transaction goes on (no error, no abort).
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.enqueue(&new_delivery(&matrix(), "a-1-matrix", at(4)))
            .await
            .unwrap(),
        None
    );
    assert_eq!(tx.delivery(d1.id).await.unwrap(), Some(d1));
    enqueue(&mut tx, &matrix(), "fresh", at(4)).await;
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        count(&tx.outbox_counts().await.unwrap(), DeliveryStatus::Pending),
        4
    );
}

pub async fn outbox_claims_due_rows_of_one_platform(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    // Enqueued out of due order: the later id is due first.
    let late = enqueue(&mut tx, &matrix(), "late", at(2)).await;
    let early = enqueue(&mut tx, &matrix(), "early", at(1)).await;
    let tied = enqueue(&mut tx, &matrix(), "tied", at(2)).await;
    let future = enqueue(&mut tx, &matrix(), "future", at(3)).await;
    let other = enqueue(&mut tx, &discord(), "other", at(0)).await;
    tx.commit().await.unwrap();

    // Nothing due yet on this platform.
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.claim_deliveries(Platform::Matrix, at(0), at(0) + CLAIM, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        tx.claim_deliveries(Platform::Telegram, at(9), at(9) + CLAIM, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Oldest first: by next_attempt_at, then id. `limit` caps the batch.
    let now = at(2);
    let until = now + CLAIM;
    assert!(
        tx.claim_deliveries(Platform::Matrix, now, until, 0)
            .await
            .unwrap()
            .is_empty()
    );
    let claimed = tx
        .claim_deliveries(Platform::Matrix, now, until, 2)
        .await
        .unwrap();
    let sending = |d: &Delivery| Delivery {
        status: DeliveryStatus::Sending,
        attempts: d.attempts + 1,
        next_attempt_at: until,
        ..d.clone()
    };
    let mut expected = vec![sending(&early), sending(&late)];
    expected.sort_by_key(|d| d.id);
    assert_eq!(claimed, expected);
    assert_eq!(tx.delivery(early.id).await.unwrap(), Some(sending(&early)));
    assert_eq!(tx.delivery(late.id).await.unwrap(), Some(sending(&late)));
    // `next_attempt_at <= now` is due; the future one is not; another
    // platform's never.
    let claimed = tx
        .claim_deliveries(Platform::Matrix, now, until, 10)
        .await
        .unwrap();
    assert_eq!(claimed, vec![sending(&tied)]);
    assert_eq!(tx.delivery(future.id).await.unwrap(), Some(future.clone()));
    assert_eq!(tx.delivery(other.id).await.unwrap(), Some(other.clone()));
    tx.commit().await.unwrap();

    // A claim survives the commit: the rows are not handed out twice.
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.claim_deliveries(Platform::Matrix, now, until, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let claimed = tx
        .claim_deliveries(Platform::Discord, now, until, 10)
        .await
        .unwrap();
    assert_eq!(claimed, vec![sending(&other)]);
}

/// A dispatcher that claimed rows and died: once the claim lapses another
/// takes them over, with the attempt counted; before that, nobody does.
pub async fn outbox_lapsed_claims_are_taken_over(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let d = enqueue(&mut tx, &matrix(), "d", at(0)).await;
    let first = tx
        .claim_deliveries(Platform::Matrix, at(0), at(0) + CLAIM, 10)
        .await
        .unwrap();
    assert_eq!(ids(&first), [d.id]);
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let almost = at(0) + CLAIM - Duration::seconds(1);
    assert!(
        tx.claim_deliveries(Platform::Matrix, almost, almost + CLAIM, 10)
            .await
            .unwrap()
            .is_empty(),
        "an unexpired claim is not taken over"
    );
    let lapsed = at(0) + CLAIM;
    let again = tx
        .claim_deliveries(Platform::Matrix, lapsed, lapsed + CLAIM, 10)
        .await
        .unwrap();
    assert_eq!(
        again,
        vec![Delivery {
            status: DeliveryStatus::Sending,
            attempts: 2,
            next_attempt_at: lapsed + CLAIM,
            ..d.clone()
        }]
    );
    tx.commit().await.unwrap();
}

pub async fn outbox_sent_retry_failed(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let sent = enqueue(&mut tx, &matrix(), "sent", at(0)).await;
    let retried = enqueue(&mut tx, &matrix(), "retried", at(0)).await;
    let failed = enqueue(&mut tx, &matrix(), "failed", at(0)).await;
    let until = at(0) + CLAIM;
    let claimed = tx
        .claim_deliveries(Platform::Matrix, at(0), until, 10)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), [sent.id, retried.id, failed.id]);

    let sent_at = at(0) + Duration::seconds(3);
    tx.mark_sent(sent.id, sent_at).await.unwrap();
    let retry_at = at(1);
    tx.mark_retry(retried.id, retry_at, "timed out")
        .await
        .unwrap();
    tx.mark_failed(failed.id, "forbidden").await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.delivery(sent.id).await.unwrap(),
        Some(Delivery {
            status: DeliveryStatus::Sent,
            attempts: 1,
            next_attempt_at: until,
            sent_at: Some(sent_at),
            ..sent.clone()
        })
    );
    assert_eq!(
        tx.delivery(retried.id).await.unwrap(),
        Some(Delivery {
            status: DeliveryStatus::Pending,
            attempts: 1,
            next_attempt_at: retry_at,
            last_error: Some("timed out".into()),
            ..retried.clone()
        })
    );
    assert_eq!(
        tx.delivery(failed.id).await.unwrap(),
        Some(Delivery {
            status: DeliveryStatus::Failed,
            attempts: 1,
            next_attempt_at: until,
            last_error: Some("forbidden".into()),
            ..failed.clone()
        })
    );

    // The retry waits for its time; sent and failed rows are never claimed
    // again, however late.
    let before = retry_at - Duration::seconds(1);
    assert!(
        tx.claim_deliveries(Platform::Matrix, before, before + CLAIM, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let later = at(100);
    let again = tx
        .claim_deliveries(Platform::Matrix, later, later + CLAIM, 10)
        .await
        .unwrap();
    assert_eq!(ids(&again), [retried.id]);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(again[0].last_error.as_deref(), Some("timed out"));
    tx.commit().await.unwrap();

    // Each outcome of a delivery that does not exist is a bug upstream.
    let mut tx = store.begin().await.unwrap();
    let missing = |r: StoreResult<()>| matches!(r, Err(StoreError::Inconsistent(_)));
    assert!(missing(tx.mark_sent(DeliveryId(9999), at(1)).await));
    assert!(missing(tx.mark_retry(DeliveryId(9999), at(1), "e").await));
    assert!(missing(tx.mark_failed(DeliveryId(9999), "e").await));
}

pub async fn outbox_next_due_and_counts(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.next_delivery_due(None).await.unwrap(), None);
    assert_eq!(
        tx.next_delivery_due(Some(Platform::Matrix)).await.unwrap(),
        None
    );
    assert_eq!(
        tx.outbox_counts()
            .await
            .unwrap()
            .iter()
            .map(|(_, n)| n)
            .sum::<u64>(),
        0
    );

    let telegram = RoomRef::new(Platform::Telegram, "-1");
    enqueue(&mut tx, &matrix(), "m1", at(3)).await;
    enqueue(&mut tx, &matrix(), "m2", at(4)).await;
    let d = enqueue(&mut tx, &discord(), "d", at(1)).await;
    enqueue(&mut tx, &telegram, "t", at(2)).await;
    assert_eq!(
        tx.next_delivery_due(Some(Platform::Matrix)).await.unwrap(),
        Some(at(3))
    );
    assert_eq!(
        tx.next_delivery_due(Some(Platform::Discord)).await.unwrap(),
        Some(at(1))
    );
    assert_eq!(
        tx.next_delivery_due(Some(Platform::Console)).await.unwrap(),
        None
    );
    assert_eq!(tx.next_delivery_due(None).await.unwrap(), Some(at(1)));

    // A claimed row is due again when its claim lapses.
    let claimed = tx
        .claim_deliveries(Platform::Discord, at(1), at(5), 10)
        .await
        .unwrap();
    assert_eq!(ids(&claimed), [d.id]);
    assert_eq!(
        tx.next_delivery_due(Some(Platform::Discord)).await.unwrap(),
        Some(at(5))
    );
    assert_eq!(tx.next_delivery_due(None).await.unwrap(), Some(at(2)));
    let counts = tx.outbox_counts().await.unwrap();
    assert_eq!(count(&counts, DeliveryStatus::Pending), 3, "{counts:?}");
    assert_eq!(count(&counts, DeliveryStatus::Sending), 1, "{counts:?}");
    assert_eq!(count(&counts, DeliveryStatus::Sent), 0, "{counts:?}");

    // Done rows are never due.
    tx.mark_sent(d.id, at(1)).await.unwrap();
    assert_eq!(
        tx.next_delivery_due(Some(Platform::Discord)).await.unwrap(),
        None
    );
    let claimed = tx
        .claim_deliveries(Platform::Telegram, at(2), at(6), 10)
        .await
        .unwrap();
    tx.mark_failed(claimed[0].id, "gone").await.unwrap();
    assert_eq!(tx.next_delivery_due(None).await.unwrap(), Some(at(3)));
    let counts = tx.outbox_counts().await.unwrap();
    assert_eq!(count(&counts, DeliveryStatus::Pending), 2, "{counts:?}");
    assert_eq!(count(&counts, DeliveryStatus::Sending), 0, "{counts:?}");
    assert_eq!(count(&counts, DeliveryStatus::Sent), 1, "{counts:?}");
    assert_eq!(count(&counts, DeliveryStatus::Failed), 1, "{counts:?}");
    // Each status at most once.
    for status in [
        DeliveryStatus::Pending,
        DeliveryStatus::Sending,
        DeliveryStatus::Sent,
        DeliveryStatus::Failed,
    ] {
        assert!(
            counts.iter().filter(|(s, _)| *s == status).count() <= 1,
            "{counts:?}"
        );
    }
}

pub async fn outbox_deliveries_follow_a_moved_room(store: Arc<dyn Store>) {
    let old = RoomRef::new(Platform::Telegram, "-100");
    let new = RoomRef::new(Platform::Telegram, "-1001");
    let mut tx = store.begin().await.unwrap();
    let pending = enqueue(&mut tx, &old, "k1", at(0)).await;
    let sent = enqueue(&mut tx, &old, "k2", at(0)).await;
    tx.mark_sent(sent.id, at(0)).await.unwrap();
    // A member's direct conversation with the same id is no room.
    let mut direct = new_delivery(&old, "k3", at(0));
    direct.direct = true;
    let direct = tx.enqueue(&direct).await.unwrap().unwrap();
    let elsewhere = enqueue(&mut tx, &matrix(), "k4", at(0)).await;
    assert_eq!(tx.move_deliveries(&old, &new).await.unwrap(), 1);
    let room_of = |d: Option<Delivery>| d.unwrap().room;
    assert_eq!(room_of(tx.delivery(pending.id).await.unwrap()), new);
    assert_eq!(
        room_of(tx.delivery(sent.id).await.unwrap()),
        old,
        "history stays"
    );
    assert_eq!(room_of(tx.delivery(direct.id).await.unwrap()), old);
    assert_eq!(room_of(tx.delivery(elsewhere.id).await.unwrap()), matrix());
    tx.commit().await.unwrap();
}
