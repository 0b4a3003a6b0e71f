//! The conformance suite on SQLite, a fresh file in a temporary directory
//! per test, plus what only SQLite has: URLs, in-memory databases, pragmas,
//! and rows written behind the store's back.

#[macro_use]
mod conformance;

use std::sync::Arc;

use muster_core::store::{Store, StoreError};
use muster_storage::StorageError;
use tempfile::TempDir;

use conformance::{TestDb, at, new_section, section};

struct SqliteDb {
    // Held so the directory outlives every store opened on it.
    _dir: TempDir,
    url: String,
}

impl SqliteDb {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("muster.db").display());
        SqliteDb { _dir: dir, url }
    }

    /// A plain connection, for writing what the store never would.
    async fn raw(&self) -> sqlx::SqliteConnection {
        use sqlx::Connection;
        sqlx::SqliteConnection::connect(&self.url).await.unwrap()
    }
}

impl TestDb for SqliteDb {
    async fn open(&self) -> Arc<dyn Store> {
        muster_storage::open(&self.url)
            .await
            .expect("open the test database")
    }
}

conformance_tests!(SqliteDb::new());

#[tokio::test]
async fn memory_database_keeps_data_across_transactions() {
    let store = muster_storage::open("sqlite::memory:").await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    let mut tx = store.begin().await.unwrap();
    section(&mut tx, "s").await;
    tx.commit().await.unwrap();
    // The next transaction sees it: every transaction uses the one connection.
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.sections().await.unwrap().len(), 1);
    drop(tx);
    // Two stores are two databases.
    let other = muster_storage::open("sqlite::memory:").await.unwrap();
    assert!(
        other
            .begin()
            .await
            .unwrap()
            .sections()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn opening_sets_wal_and_migrating_twice_is_harmless() {
    use sqlx::Row;
    let db = SqliteDb::new();
    muster_storage::migrate(&db.url).await.unwrap();
    muster_storage::migrate(&db.url).await.unwrap();
    let store = db.open().await;
    drop(store);
    let mut raw = db.raw().await;
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut raw)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn foreign_keys_are_enforced() {
    let db = SqliteDb::new();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let orphan = new_section("orphan", Some(muster_core::domain::SectionId(9999)));
    assert!(matches!(
        tx.create_section(orphan).await,
        Err(StoreError::Database(_))
    ));
}

#[tokio::test]
async fn unknown_text_is_inconsistent() {
    let db = SqliteDb::new();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    tx.commit().await.unwrap();

    let mut raw = db.raw().await;
    let bad = |sql: &'static str| sqlx::query(sql);
    bad("UPDATE sections SET timezone = 'Mars/Olympus'")
        .execute(&mut raw)
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let err = tx.section(s.id).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Inconsistent(text) if text.contains("Mars/Olympus")),
        "{err}"
    );
    drop(tx);

    bad("UPDATE sections SET timezone = 'Europe/Paris', language = 'tlh'")
        .execute(&mut raw)
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(
        tx.sections().await,
        Err(StoreError::Inconsistent(_))
    ));
    drop(tx);

    bad("UPDATE sections SET language = 'fr', created_at = 'yesterday'")
        .execute(&mut raw)
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(
        tx.section_by_slug("s").await,
        Err(StoreError::Inconsistent(_))
    ));
}

#[tokio::test]
async fn errors_name_the_url_without_a_password() {
    let Err(err) = muster_storage::open("sqlite:///nonexistent-dir/for/sure/muster.db").await
    else {
        panic!("opened a database in a missing directory");
    };
    assert!(matches!(err, StorageError::Connect { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("/nonexistent-dir/for/sure/muster.db"),
        "{err}"
    );

    let Err(err) = muster_storage::open("postgresql://muster:s3cret@db/muster").await else {
        panic!("PostgreSQL is not built yet");
    };
    assert!(!err.to_string().contains("s3cret"), "{err}");
}

#[tokio::test]
async fn times_round_trip_to_the_nanosecond() {
    let db = SqliteDb::new();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let precise = at(0) + chrono::Duration::nanoseconds(123_456_789);
    let s = tx
        .create_section(muster_core::store::NewSection {
            created_at: precise,
            ..new_section("s", None)
        })
        .await
        .unwrap();
    assert_eq!(tx.section(s.id).await.unwrap().unwrap().created_at, precise);
}

/// A database from before the outbox: its deliveries gain the new columns,
/// dated from their announcement, and can be claimed like any other.
#[tokio::test]
async fn migrating_from_0001_keeps_old_deliveries() {
    use chrono::DateTime;
    use muster_core::domain::*;
    use sqlx::ConnectOptions;

    let db = SqliteDb::new();
    let mut raw = muster_storage::sqlite::connect_options(&db.url)
        .unwrap()
        .connect()
        .await
        .unwrap();
    sqlx::migrate!("./migrations/sqlite")
        .run_to(1, &mut raw)
        .await
        .unwrap();
    for sql in [
        "INSERT INTO sections (id, slug, name, timezone, language, verification, approval, \
         reminders, waitlist, created_at) VALUES (1, 's', 'S', 'Europe/Paris', 'fr', 'open', \
         'required', '1440,60', 'auto', '2026-03-01T09:00:00+00:00')",
        "INSERT INTO announcements (id, section, subtree, text, send_at, status, created_at) \
         VALUES (1, 1, FALSE, 'x', '2026-03-01T10:00:00+00:00', 'sent', '2026-03-01T09:00:00+00:00')",
        "INSERT INTO deliveries (id, announcement, platform, room_id, status, idempotency_key) \
         VALUES (1, 1, 'matrix', '!r', 'sent', 'a-1'), (2, 1, 'matrix', '!s', 'pending', 'a-2'), \
         (3, NULL, 'discord', '9', 'pending', 'n-3')",
    ] {
        sqlx::query(sql).execute(&mut raw).await.unwrap();
    }
    drop(raw);

    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let epoch = DateTime::UNIX_EPOCH;
    let old = |id, room: &str, status, key: &str, announcement, created_at| Delivery {
        id: DeliveryId(id),
        announcement,
        room: RoomRef::new(
            if announcement.is_some() {
                Platform::Matrix
            } else {
                Platform::Discord
            },
            room,
        ),
        direct: false,
        message: "{}".into(),
        status,
        attempts: 0,
        next_attempt_at: created_at,
        last_error: None,
        idempotency_key: key.into(),
        created_at,
        sent_at: None,
    };
    let a = Some(AnnouncementId(1));
    assert_eq!(
        tx.deliveries(AnnouncementId(1)).await.unwrap(),
        vec![
            old(1, "!r", DeliveryStatus::Sent, "a-1", a, at(1)),
            old(2, "!s", DeliveryStatus::Pending, "a-2", a, at(1)),
        ]
    );
    assert_eq!(
        tx.delivery(DeliveryId(3)).await.unwrap(),
        Some(old(3, "9", DeliveryStatus::Pending, "n-3", None, epoch))
    );
    let claimed = tx
        .claim_deliveries(Platform::Matrix, at(2), at(3), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].id, DeliveryId(2));
    assert!(
        tx.add_job(&conformance::new_job("k", "s", at(1)))
            .await
            .unwrap()
    );
}

/// One process: the engine's in-process waker does what PostgreSQL's
/// LISTEN/NOTIFY does across processes.
#[tokio::test]
async fn no_work_signals_on_sqlite() {
    let db = SqliteDb::new();
    let store = db.open().await;
    assert!(store.work_signals().await.unwrap().is_none());
}
