//! The conformance suite on PostgreSQL, a fresh database per test, plus what
//! only PostgreSQL has: several processes (here, several pools) on one
//! database, identity sequences after an import, savepoints, row locks.
//!
//! The server is `MUSTER_TEST_POSTGRES_URL`, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`; its user must be allowed
//! to create databases. Each test creates `muster_t_<random>` there and
//! drops it when done, even if the test fails. Without the variable every
//! test says SKIPPED on stderr and passes, unless `CI` is set: then it
//! fails, as does any test whose server cannot be reached.

#[macro_use]
mod conformance;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::Duration;
use muster_core::domain::*;
use muster_core::store::{Store, StoreError, Tx, WorkSignals};
use sqlx::{Connection, PgConnection};

use conformance::{TestDb, at, identity, member, new_event, new_section, section};

use muster_storage::testing::PgDb;

impl TestDb for PgDb {
    async fn open(&self) -> Arc<dyn Store> {
        muster_storage::open(&self.url)
            .await
            .expect("open the test database")
    }
}

/// A plain connection, for writing what the store never would.
async fn raw(db: &PgDb) -> PgConnection {
    PgConnection::connect(&db.url)
        .await
        .expect("connect to the test database")
}

/// A fresh database, or return from the test (it said SKIPPED).
macro_rules! pg_db {
    () => {
        match PgDb::new().await {
            Some(db) => db,
            None => return,
        }
    };
}

conformance_tests!(pg_db!());

#[tokio::test]
async fn migrating_at_once_and_again_is_harmless() {
    let db = pg_db!();
    // Two processes starting together on an empty database.
    let (first, second) = tokio::join!(
        muster_storage::migrate(&db.url),
        muster_storage::migrate(&db.url)
    );
    first.unwrap();
    second.unwrap();
    muster_storage::migrate(&db.url).await.unwrap();
    let store = db.open().await;
    assert_eq!(store.backend(), "postgres");
    // The other spelling of the scheme is the same backend.
    let other = db.url.replacen("postgres://", "postgresql://", 1);
    assert_eq!(
        muster_storage::open(&other).await.unwrap().backend(),
        "postgres"
    );
}

/// PostgreSQL aborts a transaction at its first error; the conflicts the
/// engine expects run in a savepoint, so the transaction goes on.
#[tokio::test]
async fn a_conflict_leaves_the_transaction_usable() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    section(&mut tx, "paris").await;
    member(&mut tx, "alice").await;
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let lyon = section(&mut tx, "lyon").await;
    assert!(matches!(
        tx.create_section(new_section("paris", None)).await,
        Err(StoreError::Conflict(_))
    ));
    // A taken identity undoes the member row it came with.
    assert!(matches!(
        tx.create_member("Other", &identity(Platform::Console, "alice"), false, at(0))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let bob = member(&mut tx, "bob").await;
    let code = LinkCode {
        code: "K7Q2".into(),
        member: bob.id,
        expires_at: at(1),
    };
    tx.put_link_code(&code).await.unwrap();
    assert!(matches!(
        tx.put_link_code(&code).await,
        Err(StoreError::Conflict(_))
    ));
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let slugs: Vec<String> = tx
        .sections()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert_eq!(slugs, ["paris", "lyon"]);
    assert_eq!(tx.section(lyon.id).await.unwrap(), Some(lyon));
    let names: Vec<Option<String>> = tx
        .members()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names, [Some("alice".into()), Some("bob".into())]);
    assert_eq!(tx.take_link_code("K7Q2").await.unwrap(), Some(code));
}

/// An import writes rows with their own ids; identities keep counting after
/// them, in this process and in any other.
#[tokio::test]
async fn sequences_continue_after_import() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    // Some rows first, so the sequences have moved before the import.
    let first = section(&mut tx, "first").await;
    member(&mut tx, "first").await;
    let s = Section {
        id: SectionId(100),
        ..new_section_row("imported")
    };
    tx.insert_section(&s).await.unwrap();
    // A lower id after a higher one leaves the sequence where it is.
    tx.insert_section(&Section {
        id: SectionId(50),
        ..new_section_row("lower")
    })
    .await
    .unwrap();
    let m = Member {
        id: MemberId(200),
        name: Some("m".into()),
        language: None,
        admin: false,
        public_name: false,
        direct_reminders: false,
        created_at: at(0),
    };
    tx.insert_member(&m, &[identity(Platform::Matrix, "@m:x")])
        .await
        .unwrap();
    let i = Initiative {
        id: InitiativeId(300),
        section: s.id,
        title: "t".into(),
        description: "d".into(),
        status: InitiativeStatus::Open,
        proposer: None,
        reason: None,
        created_at: at(0),
    };
    tx.insert_initiative(&i).await.unwrap();
    let e = Event {
        id: EventId(400),
        section: s.id,
        initiative: None,
        title: "e".into(),
        starts_at: at(10),
        ends_at: at(11),
        place: None,
        coordinates: None,
        capacity: None,
        rsvp_deadline: None,
        recurrence: None,
        status: EventStatus::Scheduled,
        proposer: None,
        reason: None,
        created_at: at(0),
    };
    tx.insert_event(&e).await.unwrap();
    let a = Announcement {
        id: AnnouncementId(500),
        section: s.id,
        subtree: false,
        text: "x".into(),
        author: None,
        send_at: at(2),
        status: AnnouncementStatus::Sent,
        created_at: at(0),
    };
    tx.insert_announcement(&a).await.unwrap();
    let d = Delivery {
        id: DeliveryId(600),
        announcement: Some(a.id),
        room: RoomRef::new(Platform::Telegram, "-1"),
        direct: false,
        message: "{}".into(),
        status: DeliveryStatus::Sent,
        attempts: 1,
        next_attempt_at: at(2),
        last_error: None,
        idempotency_key: "k".into(),
        created_at: at(2),
        sent_at: Some(at(2)),
    };
    tx.insert_delivery(&d).await.unwrap();
    let sc = Schedule {
        id: ScheduleId(700),
        section: s.id,
        cron: "0 9 * * *".into(),
        created_by: None,
        created_at: at(0),
    };
    tx.insert_schedule(&sc).await.unwrap();
    tx.commit().await.unwrap();

    // Another process creates one of each.
    let other = db.open().await;
    let mut tx = other.begin().await.unwrap();
    let next = tx.create_section(new_section("next", None)).await.unwrap();
    assert_eq!(next.id, SectionId(101), "after {} and {}", first.id, s.id);
    assert_eq!(member(&mut tx, "next").await.id, MemberId(201));
    let next = tx
        .create_initiative(conformance::new_initiative(s.id, "next"))
        .await
        .unwrap();
    assert_eq!(next.id, InitiativeId(301));
    let next = tx
        .create_event(new_event(s.id, "next", at(1)))
        .await
        .unwrap();
    assert_eq!(next.id, EventId(401));
    let next = tx
        .create_announcement(muster_core::store::NewAnnouncement {
            section: s.id,
            subtree: false,
            text: "next".into(),
            author: None,
            send_at: at(3),
            status: AnnouncementStatus::Pending,
            created_at: at(0),
        })
        .await
        .unwrap();
    assert_eq!(next.id, AnnouncementId(501));
    let next = tx
        .enqueue(&conformance::new_delivery(&d.room, "next", at(3)))
        .await
        .unwrap()
        .expect("a new key");
    assert_eq!(next.id, DeliveryId(601));
    let next = tx
        .create_schedule(s.id, "0 0 * * *", None, at(0))
        .await
        .unwrap();
    assert_eq!(next.id, ScheduleId(701));
    tx.commit().await.unwrap();
}

/// A merged member's id is never handed out again, even when an import
/// after the merge leaves a lower maximum id in the table.
#[tokio::test]
async fn merged_ids_stay_retired_after_an_import() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let a = member(&mut tx, "a").await;
    let b = member(&mut tx, "b").await;
    let c = member(&mut tx, "c").await;
    tx.merge_members(c.id, a.id).await.unwrap();
    tx.merge_members(b.id, a.id).await.unwrap();
    // b's id is free and below c's: import a member there.
    tx.insert_member(
        &Member {
            id: b.id,
            name: Some("imported".into()),
            language: None,
            admin: false,
            public_name: false,
            direct_reminders: false,
            created_at: at(0),
        },
        &[],
    )
    .await
    .unwrap();
    let next = member(&mut tx, "next").await;
    assert!(next.id > c.id, "{} reuses a merged id", next.id);
    tx.commit().await.unwrap();
}

/// An event with `places` places and `members` members who have not answered.
async fn event_and_members(
    store: &Arc<dyn Store>,
    places: u32,
    members: usize,
) -> (EventId, Vec<MemberId>) {
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    let event = tx
        .create_event(muster_core::store::NewEvent {
            capacity: Some(places),
            ..new_event(s.id, "e", at(24))
        })
        .await
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for i in 0..members {
        ids.push(member(&mut tx, &format!("m{i}")).await.id);
    }
    tx.commit().await.unwrap();
    (event, ids)
}

fn going(rsvps: &[Rsvp]) -> usize {
    rsvps
        .iter()
        .filter(|r| r.status == RsvpStatus::Going)
        .count()
}

/// Opens as many connections as the pool holds, so a race starts with all
/// of them rather than with the time it takes to connect.
async fn warm_up(store: &Arc<dyn Store>) {
    let mut open = Vec::new();
    for _ in 0..10 {
        open.push(store.begin().await.unwrap());
    }
}

/// 50 members answer at once, through two pools (two processes, up to 20
/// transactions at a time), for 10 places: each transaction locks the
/// event, counts, waits a little, and answers by the count. Only if
/// `lock_event` serialises them across processes are exactly 10 going.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lock_event_serialises_rsvps_across_processes() {
    const PLACES: usize = 10;
    let db = pg_db!();
    let stores = [db.open().await, db.open().await];
    let (event, members) = event_and_members(&stores[0], PLACES as u32, 50).await;
    for store in &stores {
        warm_up(store).await;
    }

    // Every task is spawned before any may start.
    let (start, started) = tokio::sync::watch::channel(false);
    let tasks: Vec<_> = members
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let store = stores[i % 2].clone();
            let mut started = started.clone();
            tokio::spawn(async move {
                started.wait_for(|go| *go).await.unwrap();
                let mut tx = store.begin().await.unwrap();
                tx.lock_event(event)
                    .await
                    .unwrap()
                    .expect("the event exists");
                let count = going(&tx.rsvps(event).await.unwrap());
                // Every chance for another transaction to read the same count.
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                let status = if count < PLACES {
                    RsvpStatus::Going
                } else {
                    RsvpStatus::Waitlisted
                };
                let updated_at = at(1) + Duration::seconds(i as i64);
                tx.put_rsvp(&conformance::answer(event, m, status, updated_at))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            })
        })
        .collect();
    start.send(true).unwrap();
    for task in tasks {
        task.await.unwrap();
    }

    let mut tx = stores[1].begin().await.unwrap();
    let rsvps = tx.rsvps(event).await.unwrap();
    assert_eq!(rsvps.len(), 50);
    assert_eq!(going(&rsvps), PLACES);
}

/// Without `lock_event` the same read-then-write transactions oversell: the
/// lock, not luck, makes the test above pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_lock_event_rsvps_race() {
    // Fewer members than the pool has connections: all wait at the barrier at once.
    const PLACES: usize = 2;
    let db = pg_db!();
    let store = db.open().await;
    let (event, members) = event_and_members(&store, PLACES as u32, 8).await;

    // All read the count before any writes.
    let barrier = Arc::new(tokio::sync::Barrier::new(members.len()));
    let tasks: Vec<_> = members
        .into_iter()
        .map(|m| {
            let (store, barrier) = (store.clone(), barrier.clone());
            tokio::spawn(async move {
                let mut tx = store.begin().await.unwrap();
                tx.event(event).await.unwrap().expect("the event exists");
                let count = going(&tx.rsvps(event).await.unwrap());
                barrier.wait().await;
                let status = if count < PLACES {
                    RsvpStatus::Going
                } else {
                    RsvpStatus::Waitlisted
                };
                tx.put_rsvp(&conformance::answer(event, m, status, at(1)))
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
    let count = going(&tx.rsvps(event).await.unwrap());
    assert!(count > PLACES, "{count} going without the lock");
}

/// What one dispatcher or scheduler does in one transaction: take a batch
/// and finish it, returning the ids it took.
#[async_trait]
trait Take: Send + Sync + 'static {
    async fn take(&self, tx: &mut Box<dyn Tx>) -> Vec<i64>;
}

/// Runs `Take` in 4 tasks on each of two stores (two pools: two processes)
/// until every task comes back empty-handed, and counts how often each id
/// was taken.
async fn race(db: &PgDb, take: Arc<dyn Take>) -> HashMap<i64, usize> {
    let stores = [db.open().await, db.open().await];
    let mut tasks = Vec::new();
    for store in &stores {
        for _ in 0..4 {
            let (store, take) = (store.clone(), take.clone());
            tasks.push(tokio::spawn(async move {
                let mut taken = Vec::new();
                loop {
                    let mut tx = store.begin().await.unwrap();
                    let batch = take.take(&mut tx).await;
                    if batch.is_empty() {
                        return taken;
                    }
                    taken.extend(batch);
                    tx.commit().await.unwrap();
                }
            }));
        }
    }
    let mut times = HashMap::new();
    for task in tasks {
        for id in task.await.unwrap() {
            *times.entry(id).or_default() += 1;
        }
    }
    times
}

fn assert_each_once(times: &HashMap<i64, usize>, expected: usize) {
    let mut twice: Vec<_> = times.iter().filter(|(_, n)| **n != 1).collect();
    twice.sort();
    assert!(twice.is_empty(), "taken more than once: {twice:?}");
    assert_eq!(times.len(), expected);
}

const ROWS: usize = 400;

struct Dispatcher;

#[async_trait]
impl Take for Dispatcher {
    async fn take(&self, tx: &mut Box<dyn Tx>) -> Vec<i64> {
        let now = at(1);
        let claimed = tx
            .claim_deliveries(Platform::Matrix, now, now + Duration::minutes(5), 10)
            .await
            .unwrap();
        for d in &claimed {
            // Let the others run between the claim and the outcome.
            tokio::task::yield_now().await;
            tx.mark_sent(d.id, now).await.unwrap();
        }
        claimed.iter().map(|d| d.id.0).collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_claim_each_delivery_once() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let room = RoomRef::new(Platform::Matrix, "!r:example.org");
    for i in 0..ROWS {
        let due = at(0) + Duration::seconds(i as i64 % 60);
        tx.enqueue(&conformance::new_delivery(&room, &format!("d-{i}"), due))
            .await
            .unwrap()
            .expect("a new key");
    }
    // Another platform's rows are nobody's business here.
    tx.enqueue(&conformance::new_delivery(
        &RoomRef::new(Platform::Discord, "1"),
        "discord",
        at(0),
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let times = race(&db, Arc::new(Dispatcher)).await;
    assert_each_once(&times, ROWS);
    let mut tx = store.begin().await.unwrap();
    let counts = tx.outbox_counts().await.unwrap();
    assert_eq!(
        counts,
        [
            (DeliveryStatus::Pending, 1),
            (DeliveryStatus::Sent, ROWS as u64)
        ]
    );
}

struct Scheduler;

#[async_trait]
impl Take for Scheduler {
    async fn take(&self, tx: &mut Box<dyn Tx>) -> Vec<i64> {
        let now = at(1);
        let due = tx.due_jobs(now, 10).await.unwrap();
        for job in &due {
            tokio::task::yield_now().await;
            tx.finish_job(job.id, JobState::Done, now, None)
                .await
                .unwrap();
        }
        due.iter().map(|j| j.id.0).collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_take_each_job_once() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    for i in 0..ROWS {
        let due = at(0) + Duration::seconds(i as i64 % 60);
        assert!(
            tx.add_job(&conformance::new_job(&format!("job-{i}"), "s", due))
                .await
                .unwrap()
        );
    }
    tx.add_job(&conformance::new_job("later", "s", at(2)))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let times = race(&db, Arc::new(Scheduler)).await;
    assert_each_once(&times, ROWS);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.jobs(&[JobState::Done], None, u32::MAX)
            .await
            .unwrap()
            .len(),
        ROWS
    );
    assert_eq!(tx.next_job_due().await.unwrap(), Some(at(2)));
}

/// A due job another process holds is skipped, not waited for; a job taken
/// and finished is gone; a job whose holder died is due again.
#[tokio::test]
async fn held_jobs_are_skipped_not_waited_for() {
    let db = pg_db!();
    let (one, two) = (db.open().await, db.open().await);
    let mut tx = one.begin().await.unwrap();
    for key in ["a", "b"] {
        tx.add_job(&conformance::new_job(key, "s", at(0)))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let mut holder = one.begin().await.unwrap();
    let held = holder.due_jobs(at(1), 1).await.unwrap();
    assert_eq!(keys(&held), ["a"]);
    let mut other = two.begin().await.unwrap();
    let wait = std::time::Duration::from_secs(5);
    let rest = tokio::time::timeout(wait, other.due_jobs(at(1), 10))
        .await
        .expect("not blocked by the held job")
        .unwrap();
    assert_eq!(keys(&rest), ["b"]);
    other
        .finish_job(rest[0].id, JobState::Done, at(1), None)
        .await
        .unwrap();
    other.commit().await.unwrap();

    // The holder dies. Its rollback runs when its pool takes the connection
    // back: soon, not at once.
    drop(holder);
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let mut tx = two.begin().await.unwrap();
        let due = tx.due_jobs(at(1), 10).await.unwrap();
        if !due.is_empty() {
            assert_eq!(keys(&due), ["a"]);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the dead holder's job never came back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

fn keys(jobs: &[Job]) -> Vec<&str> {
    jobs.iter().map(|j| j.key.as_str()).collect()
}

#[tokio::test]
async fn foreign_keys_are_enforced() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let orphan = new_section("orphan", Some(SectionId(9999)));
    assert!(matches!(
        tx.create_section(orphan).await,
        Err(StoreError::Database(_))
    ));
}

#[tokio::test]
async fn unknown_text_is_inconsistent() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    tx.enqueue(&conformance::new_delivery(
        &RoomRef::new(Platform::Matrix, "!r"),
        "k",
        at(0),
    ))
    .await
    .unwrap();
    tx.add_job(&conformance::new_job("j", "s", at(0)))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut raw = raw(&db).await;
    for sql in [
        "UPDATE sections SET timezone = 'Mars/Olympus'",
        "UPDATE deliveries SET status = 'lost'",
        "UPDATE jobs SET state = 'limbo'",
    ] {
        sqlx::query(sql).execute(&mut raw).await.unwrap();
    }
    let mut tx = store.begin().await.unwrap();
    let err = tx.section(s.id).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Inconsistent(text) if text.contains("Mars/Olympus")),
        "{err}"
    );
    assert!(matches!(
        tx.outbox_counts().await,
        Err(StoreError::Inconsistent(_))
    ));
    assert!(matches!(
        tx.jobs(&[], None, 10).await,
        Err(StoreError::Inconsistent(_))
    ));
}

/// TIMESTAMPTZ keeps microseconds (SQLite's text keeps nanoseconds): the
/// engine must not depend on more.
#[tokio::test]
async fn times_round_trip_to_the_microsecond() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let precise = at(0) + Duration::microseconds(123_456);
    let s = tx
        .create_section(muster_core::store::NewSection {
            created_at: precise,
            ..new_section("s", None)
        })
        .await
        .unwrap();
    assert_eq!(tx.section(s.id).await.unwrap().unwrap().created_at, precise);
    let finer = tx
        .create_section(muster_core::store::NewSection {
            created_at: precise + Duration::nanoseconds(789),
            ..new_section("t", None)
        })
        .await
        .unwrap();
    assert_eq!(
        tx.section(finer.id).await.unwrap().unwrap().created_at,
        precise
    );
}

/// Text ordering is byte order, as on SQLite, whatever the server's locale.
#[tokio::test]
async fn rooms_sort_in_byte_order() {
    let db = pg_db!();
    let store = db.open().await;
    let mut tx = store.begin().await.unwrap();
    let s = section(&mut tx, "s").await;
    for room in ["b", "B", "a", "_", "é"] {
        tx.link_room(&RoomRef::new(Platform::Matrix, room), s.id)
            .await
            .unwrap();
    }
    let rooms: Vec<String> = tx
        .rooms()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.room.room_id)
        .collect();
    assert_eq!(rooms, ["B", "_", "a", "b", "é"]);
}

fn new_section_row(slug: &str) -> Section {
    let new = new_section(slug, None);
    Section {
        id: SectionId(0),
        slug: new.slug,
        name: new.name,
        parent: new.parent,
        settings: new.settings,
        created_at: new.created_at,
    }
}

/// Waits for a signal, failing after 2 s.
async fn signalled(signals: &mut Box<dyn WorkSignals>) {
    tokio::time::timeout(std::time::Duration::from_secs(2), signals.next())
        .await
        .expect("a signal within 2 s")
        .expect("a listening store");
}

/// Fails if a signal comes within 500 ms.
async fn quiet(signals: &mut Box<dyn WorkSignals>) {
    let heard = tokio::time::timeout(std::time::Duration::from_millis(500), signals.next()).await;
    assert!(heard.is_err(), "unexpected signal: {heard:?}");
}

/// A job one process commits wakes another's listener at once.
#[tokio::test]
async fn a_committed_job_wakes_other_processes() {
    let db = pg_db!();
    let (a, b) = (db.open().await, db.open().await);
    let mut signals = a.work_signals().await.unwrap().expect("PostgreSQL signals");
    quiet(&mut signals).await;
    let mut tx = b.begin().await.unwrap();
    assert!(
        tx.add_job(&conformance::new_job("j", "s", at(0)))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    signalled(&mut signals).await;
    quiet(&mut signals).await;
}

/// NOTIFY is delivered on commit only: a rolled-back job wakes nobody.
#[tokio::test]
async fn a_rolled_back_job_wakes_nobody() {
    let db = pg_db!();
    let (a, b) = (db.open().await, db.open().await);
    let mut signals = a.work_signals().await.unwrap().expect("PostgreSQL signals");
    let mut tx = b.begin().await.unwrap();
    assert!(
        tx.add_job(&conformance::new_job("j", "s", at(0)))
            .await
            .unwrap()
    );
    drop(tx);
    quiet(&mut signals).await;
    // The listener is alive: the same job committed is heard.
    let mut tx = b.begin().await.unwrap();
    assert!(
        tx.add_job(&conformance::new_job("j", "s", at(0)))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    signalled(&mut signals).await;
}

/// Enqueues and retries signal, once per transaction however many rows;
/// an add or enqueue that inserted nothing (a known key) does not.
#[tokio::test]
async fn new_work_signals_once_per_transaction() {
    let db = pg_db!();
    let (a, b) = (db.open().await, db.open().await);
    let mut signals = a.work_signals().await.unwrap().expect("PostgreSQL signals");
    // Every listener hears, each once.
    let mut other = a.work_signals().await.unwrap().expect("PostgreSQL signals");
    let room = RoomRef::new(Platform::Matrix, "!r:example.org");

    let mut tx = b.begin().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..10 {
        let key = format!("d-{i}");
        let new = conformance::new_delivery(&room, &key, at(0));
        ids.push(tx.enqueue(&new).await.unwrap().expect("a new key").id);
        tx.add_job(&conformance::new_job(&key, "s", at(0)))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    signalled(&mut signals).await;
    quiet(&mut signals).await;
    signalled(&mut other).await;
    quiet(&mut other).await;

    let mut tx = b.begin().await.unwrap();
    let again = conformance::new_delivery(&room, "d-0", at(0));
    assert!(tx.enqueue(&again).await.unwrap().is_none());
    assert!(
        !tx.add_job(&conformance::new_job("d-0", "s", at(0)))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    quiet(&mut signals).await;

    let mut tx = b.begin().await.unwrap();
    tx.mark_retry(ids[0], at(1), "timeout").await.unwrap();
    tx.commit().await.unwrap();
    signalled(&mut signals).await;
}

/// Closing the store ends its listeners: `next` fails, and the caller falls
/// back to its timer, instead of waiting forever.
#[tokio::test]
async fn closing_the_store_ends_its_listeners() {
    let db = pg_db!();
    let store = muster_storage::PgStore::connect(&db.url).await.unwrap();
    store.migrate().await.unwrap();
    let mut signals = store
        .work_signals()
        .await
        .unwrap()
        .expect("PostgreSQL signals");
    let waiting = tokio::spawn(async move { signals.next().await });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    tokio::time::timeout(std::time::Duration::from_secs(5), store.close())
        .await
        .expect("close does not wait for the listener");
    let ended = tokio::time::timeout(std::time::Duration::from_secs(2), waiting)
        .await
        .expect("the listener ends with the store")
        .unwrap();
    assert!(matches!(ended, Err(StoreError::Database(_))), "{ended:?}");
}
