//! The one outgoing path: replies leave at once through the platform's
//! paced messenger, and what the platform cannot take now becomes a
//! delivery that goes when it can (late, never lost); gestures are answered
//! privately by the engine itself; rooms that move take their link and
//! deliveries along; members who cannot be written to are marked.

use crate::common::{Org, privately};
use chrono::Duration;
use muster_core::clock::Clock;
use muster_core::domain::{EventId, Identity, Platform, RoomRef, RsvpAnswer};
use muster_core::gesture::Gesture;
use muster_core::inbound::{Inbound, Input, Outbound, OutboundKind, Target};
use muster_core::outbox::{Dispatcher, Messenger, Outgoing, Paced, RateLimits, SendError};
use std::sync::{Arc, Mutex};

/// A Telegram-like platform: what it took, and when (on the mock clock);
/// `refuse` answers the next sends to a room with an error.
struct Platform429 {
    org_clock: muster_core::clock::MockClock,
    taken: Mutex<Vec<(chrono::DateTime<chrono::Utc>, Outbound)>>,
    refuse: Mutex<Vec<(String, SendError)>>,
}

impl Platform429 {
    fn new(org: &Org) -> Arc<Self> {
        Arc::new(Platform429 {
            org_clock: org.clock.clone(),
            taken: Mutex::new(Vec::new()),
            refuse: Mutex::new(Vec::new()),
        })
    }

    fn refuse_next(&self, room: &str, error: SendError) {
        self.refuse.lock().unwrap().push((room.to_string(), error));
    }

    fn taken(&self) -> Vec<(chrono::DateTime<chrono::Utc>, Outbound)> {
        self.taken.lock().unwrap().clone()
    }
}

fn place(target: &Target) -> String {
    match target {
        Target::Room(room) => room.room_id.clone(),
        Target::Direct { user_id, .. } => user_id.clone(),
    }
}

#[async_trait::async_trait]
impl Messenger for Platform429 {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn send(&self, message: &Outbound) -> Result<(), SendError> {
        let here = place(&message.target);
        let mut refuse = self.refuse.lock().unwrap();
        if let Some(i) = refuse.iter().position(|(room, _)| *room == here) {
            return Err(refuse.remove(i).1);
        }
        drop(refuse);
        let now = muster_core::clock::Clock::now(&self.org_clock);
        self.taken.lock().unwrap().push((now, message.clone()));
        Ok(())
    }
}

fn group() -> RoomRef {
    RoomRef::new(Platform::Telegram, "-1001")
}

/// `paris` linked to the console and to a Telegram group, with an event.
async fn org_with_group() -> Org {
    let org = Org::with_section().await;
    let mut tx = org.engine.store().begin().await.unwrap();
    let paris = tx.section_by_slug("paris").await.unwrap().unwrap().id;
    tx.link_room(&group(), paris).await.unwrap();
    tx.commit().await.unwrap();
    org.reply("ana", "/event new \"Assembly\" 2026-11-25 19:30 cap 10")
        .await;
    org
}

fn pipes(org: &Org, platform: Arc<Platform429>, limits: &RateLimits) -> (Outgoing, Dispatcher) {
    let paced = Arc::new(Paced::new(
        platform,
        org.engine.clock().clone(),
        limits,
        Arc::new(|_| Box::pin(async {})),
    ));
    let dispatcher = Dispatcher::new(
        org.engine.store().clone(),
        org.engine.clock().clone(),
        paced.clone(),
        Default::default(),
    );
    (Outgoing::new(org.engine.clone(), paced), dispatcher)
}

fn texts(taken: &[(chrono::DateTime<chrono::Utc>, Outbound)]) -> Vec<String> {
    taken.iter().map(|(_, o)| o.text.clone()).collect()
}

#[tokio::test]
async fn a_reply_refused_with_retry_after_arrives_after_it_once() {
    let org = org_with_group().await;
    let platform = Platform429::new(&org);
    let (outgoing, dispatcher) = pipes(&org, platform.clone(), &RateLimits::default());
    let start = org.clock.now();

    platform.refuse_next(
        "-1001",
        SendError::RetryAfter(std::time::Duration::from_secs(30)),
    );
    let replies = org.say_in(&group(), "bob", "/rsvp 1 yes").await;
    assert_eq!(replies.len(), 2, "the answer and the card: {replies:?}");
    let report = outgoing.send_all(replies.clone()).await;
    assert_eq!((report.sent, report.queued, report.dropped), (0, 2, 0));
    assert!(platform.taken().is_empty());

    // Nothing goes to the group before the platform's time.
    org.clock.advance(Duration::seconds(29));
    assert_eq!(dispatcher.dispatch_due().await.unwrap().sent, 0);
    assert!(platform.taken().is_empty());

    org.clock.advance(Duration::seconds(1));
    assert_eq!(dispatcher.dispatch_due().await.unwrap().sent, 2);
    let taken = platform.taken();
    assert_eq!(
        texts(&taken),
        vec![replies[0].text.clone(), replies[1].text.clone()],
        "in order"
    );
    assert!(
        taken
            .iter()
            .all(|(at, _)| *at >= start + Duration::seconds(30))
    );
    // Once: a later pass has nothing more.
    org.clock.advance(Duration::minutes(10));
    assert_eq!(dispatcher.dispatch_due().await.unwrap().sent, 0);
    assert_eq!(platform.taken().len(), 2);
}

#[tokio::test]
async fn replies_and_deliveries_share_the_room_budget() {
    let org = org_with_group().await;
    let platform = Platform429::new(&org);
    let limits = RateLimits {
        overall: None,
        per_room: vec![(1, std::time::Duration::from_secs(1))],
    };
    let (outgoing, dispatcher) = pipes(&org, platform.clone(), &limits);
    // An announcement spends the group's budget for this second…
    org.reply("ana", "/announce Strike on Thursday").await;
    assert!(dispatcher.dispatch_due().await.unwrap().sent >= 1);
    let announced = platform.taken().len();
    // …so the reply that follows waits for the next second, in the outbox.
    let replies = org.say_in(&group(), "bob", "/whoami").await;
    let report = outgoing.send_all(replies).await;
    assert_eq!((report.sent, report.queued), (0, 1));
    assert_eq!(platform.taken().len(), announced);
    org.clock.advance(Duration::milliseconds(1100));
    assert_eq!(dispatcher.dispatch_due().await.unwrap().sent, 1);
    assert_eq!(platform.taken().len(), announced + 1);
}

#[tokio::test]
async fn a_reply_goes_at_once_when_the_platform_can_take_it() {
    let org = org_with_group().await;
    let platform = Platform429::new(&org);
    let (outgoing, dispatcher) = pipes(&org, platform.clone(), &RateLimits::telegram());
    let replies = org.say_in(&group(), "bob", "/whoami").await;
    let report = outgoing.send_all(replies).await;
    assert_eq!((report.sent, report.queued), (1, 0));
    assert_eq!(platform.taken()[0].0, org.clock.now(), "no added delay");
    assert_eq!(
        dispatcher.dispatch_due().await.unwrap().sent,
        0,
        "nothing queued"
    );
}

#[tokio::test]
async fn a_gesture_is_answered_privately_and_its_card_stays_in_the_room() {
    let org = org_with_group().await;
    let press = |who: &str, answer| Inbound {
        input: Input::Gesture(Gesture::Rsvp {
            event: EventId(1),
            answer,
        }),
        ..Inbound::text(group(), who, "")
    };
    let out = org.engine.handle(&press("bob", RsvpAnswer::Yes)).await;
    let mine = privately(&out, "bob");
    assert_eq!(mine.len(), 1, "{out:?}");
    assert_eq!(mine[0].kind, OutboundKind::Reply);
    assert!(mine[0].text.contains("going"), "{}", mine[0].text);
    let card = out
        .iter()
        .find(|o| o.kind == OutboundKind::CardUpdate(EventId(1)))
        .expect("the card is updated");
    assert_eq!(card.target, Target::Room(group()));
    // Nothing else is said in the group.
    assert_eq!(
        out.iter()
            .filter(|o| o.target == Target::Room(group()))
            .count(),
        1
    );
    // A mistake in a gesture is private too.
    let wrong = Inbound {
        input: Input::Gesture(Gesture::Confirm { event: EventId(99) }),
        ..Inbound::text(group(), "chloe", "")
    };
    let out = org.engine.handle(&wrong).await;
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].kind, OutboundKind::Error);
    assert!(matches!(&out[0].target, Target::Direct { user_id, .. } if user_id == "chloe"));
    // The same typed as a command is answered in the room.
    let typed = org.say_in(&group(), "dan", "/rsvp 1 yes").await;
    assert_eq!(typed[0].target, Target::Room(group()));
}

#[tokio::test]
async fn a_moved_room_takes_its_link_and_deliveries_along() {
    let org = org_with_group().await;
    let platform = Platform429::new(&org);
    let (_, dispatcher) = pipes(&org, platform.clone(), &RateLimits::default());
    platform.refuse_next("-1001", SendError::RoomMoved { to: "-1002".into() });
    org.reply("ana", "/announce Strike on Thursday").await;
    org.reply("ana", "/announce Bring banners").await;
    let report = dispatcher.dispatch_due().await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    for (_, out) in platform.taken() {
        assert_eq!(
            out.target,
            Target::Room(RoomRef::new(Platform::Telegram, "-1002"))
        );
    }
    let export = org.export().await;
    let rooms = export["sections"][0]["rooms"].to_string();
    assert!(
        rooms.contains("-1002") && !rooms.contains("-1001"),
        "{rooms}"
    );
}

#[tokio::test]
async fn an_unreachable_member_is_marked_and_not_tried_again() {
    let org = org_with_group().await;
    let platform = Platform429::new(&org);
    let (outgoing, dispatcher) = pipes(&org, platform.clone(), &RateLimits::default());
    org.say_in(&group(), "bob", "/join").await;
    let bob = Identity {
        platform: Platform::Telegram,
        user_id: "bob".into(),
    };
    platform.refuse_next(
        "bob",
        SendError::Unreachable("bot was blocked by the user".into()),
    );
    // A private answer finds bob unreachable.
    let report = outgoing
        .send_all(org.say_in(&group(), "bob", "/mydata").await)
        .await;
    assert_eq!(report.dropped, 1, "{report:?}");
    let mut tx = org.engine.store().begin().await.unwrap();
    assert!(tx.unreachable_since(&bob).await.unwrap().is_some());
    drop(tx);
    // A nudge does not try him again: nothing is queued for him.
    org.reply("ana", "/nudge 1").await;
    dispatcher.dispatch_due().await.unwrap();
    assert!(
        platform
            .taken()
            .iter()
            .all(|(_, o)| place(&o.target) != "bob"),
        "{:?}",
        platform.taken()
    );
    // Writing to the bot directly makes him reachable again.
    let mut hello = Inbound::text(RoomRef::new(Platform::Telegram, "bob"), "bob", "/whoami");
    hello.direct = true;
    org.engine.handle(&hello).await;
    let mut tx = org.engine.store().begin().await.unwrap();
    assert_eq!(tx.unreachable_since(&bob).await.unwrap(), None);
}
