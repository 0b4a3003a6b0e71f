//! Announcements, schedules and the audit log. Deliveries: see `outbox`.

use std::sync::Arc;

use muster_core::domain::*;
use muster_core::store::*;

use super::{at, member, section};

fn new_announcement(section: SectionId, text: &str) -> NewAnnouncement {
    NewAnnouncement {
        section,
        subtree: false,
        text: text.into(),
        author: None,
        send_at: at(1),
        status: AnnouncementStatus::Pending,
        created_at: at(0),
    }
}

pub async fn announcements_and_status(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let author = member(&mut tx, "author").await;
    let first = tx
        .create_announcement(NewAnnouncement {
            subtree: true,
            author: Some(author.id),
            send_at: at(5),
            ..new_announcement(s.id, "Rally on Saturday")
        })
        .await
        .unwrap();
    assert!(first.subtree);
    assert_eq!(first.author, Some(author.id));
    assert_eq!(first.send_at, at(5));
    let second = tx
        .create_announcement(new_announcement(s.id, "Second"))
        .await
        .unwrap();
    assert_eq!(
        tx.announcement(first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(tx.announcement(AnnouncementId(9999)).await.unwrap(), None);
    assert_eq!(
        tx.announcements().await.unwrap(),
        vec![first.clone(), second.clone()]
    );

    tx.set_announcement_status(first.id, AnnouncementStatus::Sent)
        .await
        .unwrap();
    assert_eq!(
        tx.announcement(first.id).await.unwrap().unwrap().status,
        AnnouncementStatus::Sent
    );
    tx.set_announcement_status(second.id, AnnouncementStatus::Cancelled)
        .await
        .unwrap();
    assert_eq!(
        tx.announcement(second.id).await.unwrap().unwrap().status,
        AnnouncementStatus::Cancelled
    );
}

pub async fn schedules_create_list_delete(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let m = member(&mut tx, "m").await;
    let weekly = tx
        .create_schedule(s.id, "0 9 * * Mon", Some(m.id), at(1))
        .await
        .unwrap();
    assert_eq!(weekly.section, s.id);
    assert_eq!(weekly.cron, "0 9 * * Mon");
    assert_eq!(weekly.created_by, Some(m.id));
    assert_eq!(weekly.created_at, at(1));
    let nightly = tx
        .create_schedule(s.id, "0 0 * * *", None, at(2))
        .await
        .unwrap();
    assert_eq!(
        tx.schedules().await.unwrap(),
        vec![weekly.clone(), nightly.clone()]
    );
    assert!(tx.delete_schedule(weekly.id).await.unwrap());
    assert!(!tx.delete_schedule(weekly.id).await.unwrap());
    assert_eq!(tx.schedules().await.unwrap(), vec![nightly]);
}

pub async fn audit_newest_first(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.unwrap();
    assert!(tx.audit(10).await.unwrap().is_empty());
    let s = section(&mut tx, "s").await;
    let m = member(&mut tx, "m").await;
    let entry = |hour, action: &str| AuditEntry {
        at: at(hour),
        actor: Some(m.id),
        platform: Some(Platform::Console),
        section: Some(s.id),
        action: action.into(),
        detail: format!("{action} at {hour}"),
    };
    // Recorded out of time order; two share an instant.
    tx.record(&entry(2, "b")).await.unwrap();
    tx.record(&entry(1, "a")).await.unwrap();
    tx.record(&entry(3, "c")).await.unwrap();
    tx.record(&entry(3, "d")).await.unwrap();
    tx.record(&AuditEntry {
        actor: None,
        platform: None,
        section: None,
        ..entry(0, "system")
    })
    .await
    .unwrap();

    let all = tx.audit(10).await.unwrap();
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    // Same instant: the later recorded first.
    assert_eq!(actions, ["d", "c", "b", "a", "system"]);
    assert_eq!(all[0], entry(3, "d"));
    assert_eq!(all[4].actor, None);
    assert_eq!(all[4].platform, None);
    let newest: Vec<String> = tx
        .audit(2)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(newest, ["d", "c"]);
    assert!(tx.audit(0).await.unwrap().is_empty());
}
