//! Transactions: rollback, durability, serialisation, imports, and what a
//! change to a missing row does.

use std::sync::Arc;

use chrono::Duration;
use muster_core::domain::*;
use muster_core::store::*;

use super::{TestDb, answer, at, identity, member, new_event, new_section, paris, section};

pub async fn dropped_tx_rolls_back(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let m = member(&mut tx, "m").await;
    let e = tx.create_event(new_event(s.id, "e", at(24))).await.unwrap();
    tx.put_rsvp(&answer(e.id, m.id, RsvpStatus::Going, at(1)))
        .await
        .unwrap();
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    assert!(tx.sections().await.unwrap().is_empty());
    assert!(tx.members().await.unwrap().is_empty());
    assert!(tx.events().await.unwrap().is_empty());
    // The slug is free again.
    section(&mut tx, "s").await;
    tx.commit().await.unwrap();
}

pub async fn commit_persists_across_reopen(db: &impl TestDb) {
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "kept").await;
    let m = member(&mut tx, "m").await;
    tx.link_room(&RoomRef::new(Platform::Console, "room"), s.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    drop(store);

    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.section_by_slug("kept").await.unwrap(), Some(s));
    assert_eq!(
        tx.member_by_identity(&identity(Platform::Console, "m"))
            .await
            .unwrap(),
        Some(m)
    );
    assert_eq!(tx.rooms().await.unwrap().len(), 1);
}

/// 50 members answer at once for 20 places. Each transaction reads the
/// count and writes an answer that depends on it; only if the transactions
/// serialise do exactly 20 end up going.
pub async fn concurrent_rsvps_serialize(store: Arc<dyn Store>) {
    const PLACES: usize = 20;
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let event = tx
        .create_event(NewEvent {
            capacity: Some(PLACES as u32),
            ..new_event(s.id, "e", at(24))
        })
        .await
        .unwrap()
        .id;
    let mut members = Vec::new();
    for i in 0..50 {
        members.push(member(&mut tx, &format!("m{i}")).await.id);
    }
    tx.commit().await.unwrap();

    let tasks: Vec<_> = members
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut tx = store.begin().await.unwrap();
                tx.lock_event(event)
                    .await
                    .unwrap()
                    .expect("the event exists");
                let going = tx
                    .rsvps(event)
                    .await
                    .unwrap()
                    .iter()
                    .filter(|r| r.status == RsvpStatus::Going)
                    .count();
                // Give another task every chance to read the same count.
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                let status = if going < PLACES {
                    RsvpStatus::Going
                } else {
                    RsvpStatus::Waitlisted
                };
                tx.put_rsvp(&answer(
                    event,
                    m,
                    status,
                    at(1) + Duration::seconds(i as i64),
                ))
                .await
                .unwrap();
                tx.commit().await.unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }

    let mut tx = store.begin().await.unwrap();
    let rsvps = tx.rsvps(event).await.unwrap();
    assert_eq!(rsvps.len(), 50);
    assert_eq!(
        rsvps
            .iter()
            .filter(|r| r.status == RsvpStatus::Going)
            .count(),
        PLACES
    );
    assert_eq!(
        rsvps
            .iter()
            .filter(|r| r.status == RsvpStatus::Waitlisted)
            .count(),
        50 - PLACES
    );
}

/// Import writes rows with their ids; later creations never reuse them.
pub async fn import_keeps_ids(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = Section {
        id: SectionId(40),
        slug: "imported".into(),
        name: "Imported".into(),
        parent: None,
        settings: SectionSettings {
            confirm: Some(Duration::hours(2)),
            ..paris()
        },
        created_at: at(0),
    };
    tx.insert_section(&s).await.unwrap();
    let m = Member {
        id: MemberId(7),
        name: None,
        language: Some(Language::En),
        admin: true,
        public_name: true,
        direct_reminders: false,
        created_at: at(0),
    };
    let ids = [
        identity(Platform::Matrix, "@m:x"),
        identity(Platform::Discord, "5"),
    ];
    tx.insert_member(&m, &ids).await.unwrap();
    let i = Initiative {
        id: InitiativeId(11),
        section: s.id,
        title: "t".into(),
        description: "d".into(),
        status: InitiativeStatus::Closed,
        proposer: Some(m.id),
        reason: Some("done".into()),
        created_at: at(0),
    };
    tx.insert_initiative(&i).await.unwrap();
    let e = Event {
        id: EventId(12),
        section: s.id,
        initiative: Some(i.id),
        title: "e".into(),
        starts_at: at(10),
        ends_at: at(11),
        place: Some("p".into()),
        coordinates: Some((-33.8688, 151.2093)),
        capacity: Some(5),
        rsvp_deadline: Some(at(9)),
        recurrence: Some(Recurrence::Monthly),
        status: EventStatus::Rejected,
        proposer: Some(m.id),
        reason: Some("r".into()),
        created_at: at(0),
    };
    tx.insert_event(&e).await.unwrap();
    let a = Announcement {
        id: AnnouncementId(13),
        section: s.id,
        subtree: true,
        text: "x".into(),
        author: Some(m.id),
        send_at: at(2),
        status: AnnouncementStatus::Sent,
        created_at: at(0),
    };
    tx.insert_announcement(&a).await.unwrap();
    let d = Delivery {
        id: DeliveryId(14),
        announcement: Some(a.id),
        room: RoomRef::new(Platform::Telegram, "-1"),
        direct: true,
        message: r#"{"text":"x"}"#.into(),
        status: DeliveryStatus::Sending,
        attempts: 3,
        next_attempt_at: at(3),
        last_error: Some("timed out".into()),
        idempotency_key: "k".into(),
        created_at: at(2),
        sent_at: Some(at(4)),
    };
    tx.insert_delivery(&d).await.unwrap();
    let sc = Schedule {
        id: ScheduleId(15),
        section: s.id,
        cron: "0 9 * * *".into(),
        created_by: Some(m.id),
        created_at: at(0),
    };
    tx.insert_schedule(&sc).await.unwrap();

    assert_eq!(tx.section(s.id).await.unwrap(), Some(s.clone()));
    assert_eq!(tx.member(m.id).await.unwrap(), Some(m.clone()));
    assert_eq!(tx.identities(m.id).await.unwrap().len(), 2);
    assert_eq!(
        tx.member_by_identity(&ids[1]).await.unwrap(),
        Some(m.clone())
    );
    assert_eq!(tx.initiative(i.id).await.unwrap(), Some(i));
    assert_eq!(tx.event(e.id).await.unwrap(), Some(e));
    assert_eq!(tx.announcement(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(tx.deliveries(a.id).await.unwrap(), vec![d.clone()]);
    assert_eq!(tx.delivery(d.id).await.unwrap(), Some(d.clone()));
    assert_eq!(tx.schedules().await.unwrap(), vec![sc]);

    let next = tx
        .create_section(new_section("next", Some(s.id)))
        .await
        .unwrap();
    assert!(next.id > s.id, "{} after {}", next.id, s.id);
    let next = member(&mut tx, "next").await;
    assert!(next.id > m.id);
    let next = tx
        .enqueue(&super::new_delivery(&d.room, "next", at(5)))
        .await
        .unwrap()
        .expect("a new key");
    assert!(next.id > d.id);
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert!(matches!(
        tx.insert_section(&s).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    // An imported delivery's key is taken like any other.
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(
        tx.insert_delivery(&Delivery {
            id: DeliveryId(99),
            ..d
        })
        .await,
        Err(StoreError::Conflict(_))
    ));
}

/// Changing a row that does not exist is a bug upstream: it fails rather
/// than silently doing nothing.
pub async fn updates_of_missing_rows_fail(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let m = member(&mut tx, "m").await;
    let e = tx.create_event(new_event(s.id, "e", at(1))).await.unwrap();
    let i = tx
        .create_initiative(super::new_initiative(s.id, "i"))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let missing = |r: StoreResult<()>| matches!(r, Err(StoreError::Inconsistent(_)));
    let mut tx = store.begin().await.unwrap();
    assert!(missing(tx.update_settings(SectionId(9999), &paris()).await));
    assert!(missing(
        tx.update_member(&Member {
            id: MemberId(9999),
            ..m.clone()
        })
        .await
    ));
    assert!(missing(
        tx.update_initiative(&Initiative {
            id: InitiativeId(9999),
            ..i
        })
        .await
    ));
    assert!(missing(
        tx.update_event(&Event {
            id: EventId(9999),
            ..e
        })
        .await
    ));
    assert!(missing(
        tx.set_announcement_status(AnnouncementId(9999), AnnouncementStatus::Sent)
            .await
    ));
    assert!(missing(tx.mark_sent(DeliveryId(9999), at(1)).await));
    assert!(missing(
        tx.finish_job(JobId(9999), JobState::Done, at(1), None)
            .await
    ));
    assert!(missing(tx.forget_member(MemberId(9999)).await));
    assert!(missing(tx.merge_members(m.id, MemberId(9999)).await));
    assert!(missing(tx.merge_members(m.id, m.id).await));
    // Nothing above changed anything.
    assert_eq!(tx.member(m.id).await.unwrap(), Some(m));
}
