//! Several `muster` processes on one PostgreSQL database: capacity stays
//! exact, each reminder is delivered once, and an organisation moves between
//! SQLite and PostgreSQL losslessly. Each test makes a fresh database on the
//! server of `MUSTER_TEST_POSTGRES_URL` (see README).

use muster_core::domain::{EventStatus, JobState, NewJob};
use muster_core::store::NewEvent;
use muster_storage::testing::PgDb;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn feed(mut child: Child, script: String) -> std::thread::JoinHandle<Output> {
    std::thread::spawn(move || {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    })
}

fn export(dir: &Path, db: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["export", "--db", db])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_object_mut().unwrap().remove("exported_at");
    v
}

#[test]
fn a_thousand_rsvps_through_two_processes_fill_exactly_the_capacity() {
    let _serial = crate::serial::one_at_a_time();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(PgDb::new()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let setup = "ana> section new paris \"Paris\"\nsection link paris\nevent new \"Assembly\" 2030-01-10 19:00 cap 100\n";
    feed(
        spawn(dir.path(), &["console", "--db", &db.url]),
        setup.to_string(),
    )
    .join()
    .unwrap();
    let script = |range: std::ops::Range<usize>| {
        range
            .map(|i| format!("m{i}> rsvp 1 yes\n"))
            .collect::<String>()
    };
    let a = feed(
        spawn(dir.path(), &["console", "--db", &db.url]),
        script(0..500),
    );
    let b = feed(
        spawn(dir.path(), &["console", "--db", &db.url]),
        script(500..1000),
    );
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let replies =
        String::from_utf8_lossy(&a.stdout).to_string() + &String::from_utf8_lossy(&b.stdout);
    assert_eq!(replies.matches("You are going").count(), 100);
    assert_eq!(replies.matches("on the waitlist").count(), 900);

    let doc = export(dir.path(), &db.url);
    let rsvps = doc["events"][0]["rsvps"].as_array().unwrap();
    assert_eq!(rsvps.len(), 1000);
    assert_eq!(rsvps.iter().filter(|r| r["status"] == "going").count(), 100);
    let mut positions: Vec<i64> = rsvps
        .iter()
        .filter(|r| r["status"] == "waitlisted")
        .map(|r| r["position"].as_i64().unwrap())
        .collect();
    positions.sort();
    assert_eq!(
        positions,
        (1..=900).collect::<Vec<_>>(),
        "the waitlist is in arrival order, without gaps"
    );
}

#[test]
fn ten_thousand_reminders_due_in_one_minute_are_each_delivered_once_by_two_processes() {
    let _serial = crate::serial::one_at_a_time();
    const N: usize = 10_000;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(PgDb::new()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let setup = "ana> section new paris \"Paris\"\nsection link paris\n";
    feed(
        spawn(
            dir.path(),
            &[
                "console",
                "--db",
                &db.url,
                "--simulate-from",
                "2026-12-01 09:00",
            ],
        ),
        setup.into(),
    )
    .join()
    .unwrap();
    // Events and their reminder jobs written directly: N reminders due
    // within the minute 2026-12-02 09:00.
    rt.block_on(async {
        let store = muster_storage::open(&db.url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let section = tx.section_by_slug("paris").await.unwrap().unwrap().id;
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
            .unwrap()
            .to_utc();
        let first = chrono::DateTime::parse_from_rfc3339("2026-12-02T09:00:00Z")
            .unwrap()
            .to_utc();
        for i in 0..N {
            let due = first + chrono::Duration::milliseconds((60_000 * i / N) as i64);
            let starts_at = due + chrono::Duration::hours(1);
            let event = tx
                .create_event(NewEvent {
                    section,
                    initiative: None,
                    title: format!("Event {i}"),
                    starts_at,
                    ends_at: starts_at + chrono::Duration::hours(1),
                    place: None,
                    capacity: None,
                    recurrence: None,
                    status: EventStatus::Scheduled,
                    proposer: None,
                    created_at: now,
                })
                .await
                .unwrap();
            tx.add_job(&NewJob {
                key: format!("reminder:{}:60:{}", event.id, starts_at.timestamp()),
                subject: format!("event:{}", event.id),
                payload: format!(
                    "{{\"type\":\"reminder\",\"event\":{},\"offset_minutes\":60}}",
                    event.id
                ),
                due_at: due,
                created_at: now,
            })
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    });
    let args = [
        "console",
        "--db",
        &db.url,
        "--simulate-from",
        "2026-12-02 08:59",
    ];
    let a = feed(spawn(dir.path(), &args), "~ +3m\n".into());
    let b = feed(spawn(dir.path(), &args), "~ +3m\n".into());
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let (a, b) = (
        String::from_utf8_lossy(&a.stdout).to_string(),
        String::from_utf8_lossy(&b.stdout).to_string(),
    );
    let printed = a.matches("⏰ Reminder").count() + b.matches("⏰ Reminder").count();
    assert_eq!(
        printed, N,
        "each reminder printed once across both processes"
    );
    assert!(
        a.contains("⏰ Reminder") && b.contains("⏰ Reminder"),
        "both processes took part"
    );
    rt.block_on(async {
        let store = muster_storage::open(&db.url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert_eq!(
            tx.jobs(&[JobState::Done], None, u32::MAX)
                .await
                .unwrap()
                .len(),
            N
        );
        let counts = tx.outbox_counts().await.unwrap();
        assert_eq!(
            counts,
            vec![(muster_core::domain::DeliveryStatus::Sent, N as u64)]
        );
    });
}

#[test]
fn an_organisation_moves_between_sqlite_and_postgresql_losslessly() {
    let _serial = crate::serial::one_at_a_time();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(PgDb::new()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = "ana> section new idf \"Île-de-France\"\nsection new paris \"Paris\" in idf\nsection link paris\n\
        settings timezone Europe/Paris\nsettings confirm 24h\nevent new \"AG\" 2030-01-10 19:00 at \"Bourse\" cap 2\n\
        initiative new \"Jardin\" un jardin partagé\nannounce Bienvenue\nschedule digest \"0 9 * * MON\"\n\
        bob> rsvp 1 yes +1\nchloe> rsvp 1 yes\nchloe> support 1\ndan> privacy public\n";
    feed(
        spawn(dir.path(), &["console", "--db", "sqlite://org.db"]),
        script.into(),
    )
    .join()
    .unwrap();
    let from_sqlite = export(dir.path(), "sqlite://org.db");
    std::fs::write(
        dir.path().join("org.json"),
        serde_json::to_string(&from_sqlite).unwrap().replacen(
            '{',
            "{\"exported_at\":\"2026-01-01T00:00:00Z\",",
            1,
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["import", "--db", &db.url, "org.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(from_sqlite, export(dir.path(), &db.url));
    // And back: PostgreSQL to a new SQLite file.
    let out = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["export", "--db", &db.url, "-o", "back.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["import", "--db", "sqlite://back.db", "back.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(from_sqlite, export(dir.path(), "sqlite://back.db"));
}

#[test]
fn only_one_first_speaker_becomes_admin_across_processes() {
    let _serial = crate::serial::one_at_a_time();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(PgDb::new()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Migrate first, so both processes race on the first contact only.
    let out = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["migrate", "--db", &db.url])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let speakers: Vec<_> = (0..6)
        .map(|i| {
            feed(
                spawn(dir.path(), &["console", "--db", &db.url]),
                format!("p{i}> whoami\n"),
            )
        })
        .collect();
    let admins = speakers
        .into_iter()
        .map(|h| String::from_utf8_lossy(&h.join().unwrap().stdout).to_string())
        .filter(|out| out.contains("administrator of the whole organisation"))
        .count();
    assert_eq!(admins, 1);
}
