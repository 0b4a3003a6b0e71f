//! Initiatives, supports, events and RSVPs.

use std::sync::Arc;

use muster_core::domain::*;
use muster_core::store::*;

use super::{answer, at, member, new_event, new_initiative, section};

pub async fn initiatives_and_supports(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let proposer = member(&mut tx, "p").await;
    let x = member(&mut tx, "x").await;
    let first = tx
        .create_initiative(NewInitiative {
            proposer: Some(proposer.id),
            status: InitiativeStatus::Proposed,
            ..new_initiative(s.id, "Bike lanes")
        })
        .await
        .unwrap();
    assert_eq!(first.title, "Bike lanes");
    assert_eq!(first.status, InitiativeStatus::Proposed);
    assert_eq!(first.proposer, Some(proposer.id));
    assert_eq!(first.reason, None);
    let second = tx
        .create_initiative(new_initiative(s.id, "Trees"))
        .await
        .unwrap();
    assert_eq!(tx.initiative(first.id).await.unwrap(), Some(first.clone()));
    assert_eq!(tx.initiative(InitiativeId(9999)).await.unwrap(), None);
    assert_eq!(
        tx.initiatives().await.unwrap(),
        vec![first.clone(), second.clone()]
    );

    let rejected = Initiative {
        status: InitiativeStatus::Rejected,
        reason: Some("out of scope".into()),
        title: "Bike lanes everywhere".into(),
        description: "Longer".into(),
        ..first.clone()
    };
    tx.update_initiative(&rejected).await.unwrap();
    assert_eq!(tx.initiative(first.id).await.unwrap(), Some(rejected));

    assert!(tx.add_support(second.id, x.id, at(1)).await.unwrap());
    assert!(!tx.add_support(second.id, x.id, at(2)).await.unwrap());
    assert!(tx.add_support(second.id, proposer.id, at(3)).await.unwrap());
    assert_eq!(
        tx.supporters(second.id).await.unwrap(),
        vec![proposer.id, x.id]
    );
    assert!(tx.supporters(first.id).await.unwrap().is_empty());
    assert!(tx.remove_support(second.id, x.id).await.unwrap());
    assert!(!tx.remove_support(second.id, x.id).await.unwrap());
    assert_eq!(tx.supporters(second.id).await.unwrap(), vec![proposer.id]);
}

pub async fn events_create_read_update(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let p = member(&mut tx, "p").await;
    let initiative = tx
        .create_initiative(new_initiative(s.id, "i"))
        .await
        .unwrap();
    let later = tx
        .create_event(NewEvent {
            initiative: Some(initiative.id),
            place: Some("Place de la République".into()),
            capacity: Some(30),
            recurrence: Some(Recurrence::Weekly),
            status: EventStatus::Proposed,
            proposer: Some(p.id),
            ..new_event(s.id, "Later", at(72))
        })
        .await
        .unwrap();
    assert_eq!(later.initiative, Some(initiative.id));
    assert_eq!(later.capacity, Some(30));
    assert_eq!(later.recurrence, Some(Recurrence::Weekly));
    assert_eq!(later.coordinates, None);
    assert_eq!(later.rsvp_deadline, None);
    let sooner = tx
        .create_event(new_event(s.id, "Sooner", at(24)))
        .await
        .unwrap();
    // Same start as `sooner`: ties are broken by id.
    let tied = tx
        .create_event(new_event(s.id, "Tied", at(24)))
        .await
        .unwrap();

    assert_eq!(tx.event(later.id).await.unwrap(), Some(later.clone()));
    assert_eq!(tx.event(EventId(9999)).await.unwrap(), None);
    assert_eq!(tx.lock_event(later.id).await.unwrap(), Some(later.clone()));
    assert_eq!(tx.lock_event(EventId(9999)).await.unwrap(), None);
    assert_eq!(
        tx.events().await.unwrap(),
        vec![sooner.clone(), tied.clone(), later.clone()]
    );

    let changed = Event {
        title: "Later, moved".into(),
        starts_at: at(96),
        ends_at: at(99),
        coordinates: Some((48.8674, 2.3636)),
        capacity: None,
        rsvp_deadline: Some(at(90)),
        recurrence: None,
        status: EventStatus::Cancelled,
        reason: Some("rain".into()),
        place: None,
        ..later.clone()
    };
    tx.update_event(&changed).await.unwrap();
    assert_eq!(tx.event(later.id).await.unwrap(), Some(changed.clone()));
    let with_capacity = Event {
        capacity: Some(0),
        initiative: None,
        proposer: None,
        ..changed
    };
    tx.update_event(&with_capacity).await.unwrap();
    assert_eq!(tx.event(later.id).await.unwrap(), Some(with_capacity));
}

pub async fn rsvp_upsert_and_order(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let e = tx.create_event(new_event(s.id, "e", at(24))).await.unwrap();
    let other = tx
        .create_event(new_event(s.id, "other", at(48)))
        .await
        .unwrap();
    let (a, b, c) = (
        member(&mut tx, "a").await,
        member(&mut tx, "b").await,
        member(&mut tx, "c").await,
    );

    assert_eq!(tx.rsvp(e.id, a.id).await.unwrap(), None);
    let a_going = Rsvp {
        guests: 2,
        checked_in: true,
        ..answer(e.id, a.id, RsvpStatus::Going, at(3))
    };
    let b_waiting = Rsvp {
        position: Some(1),
        ..answer(e.id, b.id, RsvpStatus::Waitlisted, at(1))
    };
    let c_maybe = answer(e.id, c.id, RsvpStatus::Maybe, at(1));
    tx.put_rsvp(&a_going).await.unwrap();
    tx.put_rsvp(&c_maybe).await.unwrap();
    tx.put_rsvp(&b_waiting).await.unwrap();
    tx.put_rsvp(&answer(other.id, a.id, RsvpStatus::Declined, at(0)))
        .await
        .unwrap();
    assert_eq!(tx.rsvp(e.id, a.id).await.unwrap(), Some(a_going.clone()));
    // By updated_at, then member id.
    assert_eq!(
        tx.rsvps(e.id).await.unwrap(),
        vec![b_waiting.clone(), c_maybe.clone(), a_going.clone()]
    );

    // A second answer replaces the first and moves it in the order.
    let b_going = answer(e.id, b.id, RsvpStatus::Going, at(4));
    tx.put_rsvp(&b_going).await.unwrap();
    assert_eq!(
        tx.rsvps(e.id).await.unwrap(),
        vec![c_maybe, a_going.clone(), b_going.clone()]
    );

    // By event id.
    let of_a = tx.rsvps_of(a.id).await.unwrap();
    assert_eq!(
        of_a,
        vec![a_going, answer(other.id, a.id, RsvpStatus::Declined, at(0))]
    );
    assert_eq!(tx.rsvps_of(b.id).await.unwrap(), vec![b_going]);
    assert!(tx.rsvps(EventId(9999)).await.unwrap().is_empty());
}
