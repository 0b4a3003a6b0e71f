//! The outbox under platform faults: a "retry after" delays only its room,
//! errors are retried with backoff, nothing is lost, and a permanent failure
//! is recorded.

use crate::common::Org;
use muster_core::domain::{DeliveryStatus, Platform, RoomRef};
use muster_core::inbound::{Outbound, Target};
use muster_core::outbox::{Messenger, MessengerSlot, SendError};
use std::sync::{Arc, Mutex};

/// Refuses room `-1` with 429 once, fails room `-2` with 5xx twice, and
/// says room `-3` is gone; accepts everything else.
#[derive(Default)]
struct Flaky {
    calls: Mutex<Vec<String>>,
    sent: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl Messenger for Flaky {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn send(&self, message: &Outbound) -> Result<(), SendError> {
        let Target::Room(room) = &message.target else {
            unreachable!()
        };
        let tries = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(room.room_id.clone());
            calls.iter().filter(|r| **r == room.room_id).count()
        };
        match (room.room_id.as_str(), tries) {
            ("-1", 1) => Err(SendError::RetryAfter(std::time::Duration::from_secs(30))),
            ("-2", 1 | 2) => Err(SendError::Transient("502 Bad Gateway".into())),
            ("-3", _) => Err(SendError::Permanent("chat not found".into())),
            _ => {
                self.sent.lock().unwrap().push(room.room_id.clone());
                Ok(())
            }
        }
    }
}

async fn statuses(org: &Org) -> Vec<(String, DeliveryStatus)> {
    let mut tx = org.engine.store().begin().await.unwrap();
    let a = tx.announcements().await.unwrap()[0].id;
    tx.deliveries(a)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.room.room_id, d.status))
        .collect()
}

#[tokio::test]
async fn retry_after_delays_only_its_room_and_nothing_is_lost() {
    let org = Org::with_section().await;
    org.reply("ana", "/section unlink").await;
    let mut tx = org.engine.store().begin().await.unwrap();
    let paris = tx.section_by_slug("paris").await.unwrap().unwrap().id;
    for room in ["-1", "-2", "-3", "-4", "-5"] {
        tx.link_room(&RoomRef::new(Platform::Telegram, room), paris)
            .await
            .unwrap();
    }
    tx.link_room(&crate::common::console(), paris)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        org.reply("ana", "/announce Strike on Thursday")
            .await
            .contains("6 rooms")
    );

    let platform = Arc::new(Flaky::default());
    let dispatcher = org.dispatcher(platform.clone());
    let report = dispatcher.dispatch_due().await.unwrap();
    assert_eq!(
        (report.sent, report.retried, report.failed),
        (2, 2, 1),
        "{report:?}"
    );
    assert_eq!(
        *platform.sent.lock().unwrap(),
        ["-4", "-5"],
        "other rooms were not held up"
    );

    // 10 s later: the 5xx room is retried (backoff 5–10 s), the 429 room still waits.
    org.clock.advance(chrono::Duration::seconds(10));
    dispatcher.dispatch_due().await.unwrap();
    assert!(
        !platform
            .calls
            .lock()
            .unwrap()
            .iter()
            .skip(5)
            .any(|r| r == "-1"),
        "the 429 room waits its 30 s"
    );
    // Long after: everything retryable is sent, exactly once each.
    org.clock.advance(chrono::Duration::minutes(5));
    dispatcher.dispatch_due().await.unwrap();
    org.clock.advance(chrono::Duration::minutes(5));
    dispatcher.dispatch_due().await.unwrap();
    let mut sent = platform.sent.lock().unwrap().clone();
    sent.sort();
    assert_eq!(sent, ["-1", "-2", "-4", "-5"]);
    let statuses = statuses(&org).await;
    let of = |room: &str| statuses.iter().find(|(r, _)| r == room).unwrap().1;
    assert_eq!(of("-1"), DeliveryStatus::Sent);
    assert_eq!(of("-2"), DeliveryStatus::Sent);
    assert_eq!(of("-3"), DeliveryStatus::Failed);
    assert_eq!(
        of("console"),
        DeliveryStatus::Pending,
        "the console's own dispatcher carries it"
    );
}

/// A platform connection this process does not hold (another process has
/// its lease): its dispatcher leaves the deliveries alone, untouched, until
/// the connection is up here.
#[tokio::test]
async fn a_dispatcher_without_its_connection_leaves_deliveries_for_whoever_holds_it() {
    let org = Org::with_section().await;
    org.reply("ana", "/section unlink").await;
    let mut tx = org.engine.store().begin().await.unwrap();
    let paris = tx.section_by_slug("paris").await.unwrap().unwrap().id;
    for room in ["-4", "-5"] {
        tx.link_room(&RoomRef::new(Platform::Telegram, room), paris)
            .await
            .unwrap();
    }
    tx.link_room(&crate::common::console(), paris)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    org.reply("ana", "/announce Strike on Thursday").await;

    let slot = Arc::new(MessengerSlot::new(Platform::Telegram));
    let dispatcher = org.dispatcher(slot.clone());
    assert_eq!(dispatcher.serving(), None);
    let report = dispatcher.dispatch_due().await.unwrap();
    assert_eq!((report.sent, report.retried, report.failed), (0, 0, 0));
    let mut tx = org.engine.store().begin().await.unwrap();
    let a = tx.announcements().await.unwrap()[0].id;
    let untouched = tx.deliveries(a).await.unwrap();
    drop(tx);
    assert!(
        untouched
            .iter()
            .filter(|d| d.room.platform == Platform::Telegram)
            .all(|d| d.status == DeliveryStatus::Pending && d.attempts == 0),
        "claimed or tried without a connection: {untouched:?}"
    );

    // The connection comes up here (the lease was taken): they go out.
    let platform = Arc::new(Flaky::default());
    slot.fill(platform.clone());
    assert_eq!(dispatcher.serving(), Some(Platform::Telegram));
    let report = dispatcher.dispatch_due().await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    // And it goes down again: nothing is tried.
    slot.empty();
    assert_eq!(dispatcher.serving(), None);
}
