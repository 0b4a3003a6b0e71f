//! SIGKILL at any point loses no reminder and no delivery: a real `muster`
//! process is killed repeatedly while the scheduler and the outbox are
//! working, restarted, and the database is checked.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const EVENTS: usize = 150;

fn console(dir: &Path, from: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_muster"))
        .args([
            "console",
            "--db",
            "sqlite://org.db",
            "--simulate-from",
            from,
        ])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn finish(mut child: Child, script: &str) -> String {
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn export(dir: &Path) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["export", "--db", "sqlite://org.db"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn killing_the_process_repeatedly_loses_nothing() {
    let _serial = crate::serial::one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let mut setup = String::from(
        "ana> section new paris \"Paris\"\nsection link paris\nsettings reminders 24h,1h\n",
    );
    for i in 0..EVENTS {
        setup.push_str(&format!(
            "event new \"Event {i}\" 2026-12-03 {:02}:{:02}\n",
            10 + i / 60,
            i % 60
        ));
    }
    finish(console(dir.path(), "2026-12-01 09:00"), &setup);

    // Each round moves time by an hour into the reminder window and is killed
    // somewhere in the middle of scheduling and delivering.
    let mut killed = 0;
    for round in 0..8u64 {
        let mut child = console(dir.path(), &format!("2026-12-02 {:02}:00", 9 + round));
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"~ +1h\n").unwrap();
        std::thread::sleep(Duration::from_millis(40 + round * 37 % 200));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        killed += 1;
    }
    assert_eq!(killed, 8);
    // A last, uninterrupted run past every event start.
    let out = finish(console(dir.path(), "2026-12-02 17:00"), "~ +2d\n");
    assert!(out.contains("~ now"), "{out}");

    let doc = export(dir.path());
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), EVENTS);
    // Every reminder occurrence ended exactly once: done or (if its time
    // passed during an outage past the start) missed — none pending, none run twice.
    let audit = doc["audit"].as_array().unwrap();
    assert!(audit.len() >= EVENTS);
    check_jobs_and_deliveries(dir.path());
}

/// Reads the job queue and the outbox with the storage crate.
fn check_jobs_and_deliveries(dir: &Path) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", dir.join("org.db").display());
        let store = muster_storage::open(&url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let all = tx.jobs(&[], None, 100_000).await.unwrap();
        assert_eq!(
            all.len(),
            EVENTS * 2,
            "two reminders per event, each scheduled once"
        );
        let pending: Vec<_> = all
            .iter()
            .filter(|j| j.state == muster_core::domain::JobState::Pending)
            .collect();
        assert!(pending.is_empty(), "{} jobs left pending", pending.len());
        let done = all
            .iter()
            .filter(|j| j.state == muster_core::domain::JobState::Done)
            .count();
        // Every reminder was due before its event started in some run, so none was missed.
        assert_eq!(done, EVENTS * 2);
        let counts = tx.outbox_counts().await.unwrap();
        let count = |s| counts.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n);
        use muster_core::domain::DeliveryStatus::*;
        assert_eq!(
            count(Pending) + count(Sending) + count(Failed),
            0,
            "{counts:?}"
        );
        // One delivery per job that ran (the console is the one linked room).
        assert_eq!(count(Sent) as usize, done, "{counts:?}");
    });
}
