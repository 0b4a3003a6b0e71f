//! Sections, settings and rooms.

use std::sync::Arc;

use chrono::Duration;
use muster_core::domain::*;
use muster_core::store::*;

use super::{at, is_conflict, new_section, paris, section};

pub async fn sections_create_read_update(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let france = tx
        .create_section(new_section("france", None))
        .await
        .unwrap();
    let paris_section = tx
        .create_section(new_section("paris", Some(france.id)))
        .await
        .unwrap();
    assert_ne!(france.id, paris_section.id);
    assert_eq!(paris_section.parent, Some(france.id));
    assert_eq!(france.settings, paris());
    assert_eq!(france.created_at, at(0));

    assert_eq!(tx.section(france.id).await.unwrap(), Some(france.clone()));
    assert_eq!(
        tx.section_by_slug("paris").await.unwrap(),
        Some(paris_section.clone())
    );
    assert_eq!(tx.section_by_slug("lyon").await.unwrap(), None);
    assert_eq!(tx.section(SectionId(9999)).await.unwrap(), None);
    assert_eq!(
        tx.sections().await.unwrap(),
        vec![france.clone(), paris_section.clone()]
    );

    // Every setting round-trips, including an empty reminder list, a
    // confirmation delay and a zone other than the default.
    let settings = SectionSettings {
        timezone: chrono_tz::America::Montreal,
        language: Language::En,
        verification: Policy::Required,
        approval: Policy::Open,
        reminders: vec![],
        confirm: Some(Duration::minutes(90)),
        waitlist: WaitlistMode::Notify,
    };
    tx.update_settings(paris_section.id, &settings)
        .await
        .unwrap();
    let read = tx.section(paris_section.id).await.unwrap().unwrap();
    assert_eq!(read.settings, settings);
    assert_eq!(read.slug, "paris");

    let settings = SectionSettings {
        reminders: vec![Duration::days(2), Duration::hours(3), Duration::minutes(5)],
        ..settings
    };
    tx.update_settings(paris_section.id, &settings)
        .await
        .unwrap();
    assert_eq!(
        tx.section(paris_section.id)
            .await
            .unwrap()
            .unwrap()
            .settings,
        settings
    );
    // The other section is untouched.
    assert_eq!(tx.section(france.id).await.unwrap().unwrap(), france);
}

pub async fn section_slug_conflict(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    section(&mut tx, "paris").await;
    tx.commit().await.unwrap();

    // A failed statement may spoil the transaction (PostgreSQL aborts it),
    // so the conflict gets a transaction of its own.
    let mut tx = store.begin().await.unwrap();
    assert!(is_conflict(
        tx.create_section(new_section("paris", None)).await
    ));
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.sections().await.unwrap().len(), 1);
}

pub async fn rooms_link_relink_unlink(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let a = section(&mut tx, "a").await;
    let b = section(&mut tx, "b").await;
    let general = RoomRef::new(Platform::Matrix, "!general:example.org");
    let chat = RoomRef::new(Platform::Telegram, "-100123");
    let other = RoomRef::new(Platform::Discord, "42");

    assert_eq!(tx.room_section(&general).await.unwrap(), None);
    tx.link_room(&general, a.id).await.unwrap();
    tx.link_room(&chat, b.id).await.unwrap();
    tx.link_room(&other, a.id).await.unwrap();
    assert_eq!(tx.room_section(&general).await.unwrap(), Some(a.id));
    // The same id on another platform is another room.
    assert_eq!(
        tx.room_section(&RoomRef::new(Platform::Discord, "-100123"))
            .await
            .unwrap(),
        None
    );

    // Ordered by section, then platform, then room id.
    let rooms = tx.rooms().await.unwrap();
    let expected = vec![
        Room {
            room: other.clone(),
            section: a.id,
        },
        Room {
            room: general.clone(),
            section: a.id,
        },
        Room {
            room: chat.clone(),
            section: b.id,
        },
    ];
    assert_eq!(rooms, expected);

    // Relinking replaces the link rather than adding one.
    tx.link_room(&general, b.id).await.unwrap();
    assert_eq!(tx.room_section(&general).await.unwrap(), Some(b.id));
    assert_eq!(tx.rooms().await.unwrap().len(), 3);

    assert!(tx.unlink_room(&general).await.unwrap());
    assert!(!tx.unlink_room(&general).await.unwrap());
    assert_eq!(tx.room_section(&general).await.unwrap(), None);
    assert_eq!(tx.rooms().await.unwrap().len(), 2);
}
