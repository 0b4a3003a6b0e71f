//! Two `muster run` processes on one PostgreSQL database, one Matrix bot
//! account, a real Synapse. Only the holder of the `matrix:<user>` lease
//! syncs; the other waits. Members keep writing while the holder is
//! SIGKILLed: the other process takes the lease over within its time to
//! live and goes on from the saved sync position, and every command is
//! answered exactly once: none lost, none answered twice. A process stopped
//! with SIGTERM gives the lease up, so the next one takes it at once.
//! Outside CI, a machine without Synapse or PostgreSQL skips with `SKIPPED:`.

use crate::matrix;
use crate::muster_bin;
use crate::synapse;

use matrix::{say, wait_until, write_config};
use muster_bin::{MATRIX_READY, Muster, READY_WAIT};
use serde_json::json;
use std::time::{Duration, Instant};
use synapse::{Synapse, encode};

/// The lease's time to live in this test (15 s by default).
const TTL_SECONDS: u64 = 4;
const COMMANDS: usize = 32;
/// Who writes: four members in turn, each within the engine's burst of
/// commands per member (10), so the flood limiter stays out of the way.
const MEMBERS: [&str; 4] = ["ana", "bob", "cy", "dee"];

/// How many replies name idea `i`.
fn answers_to(bodies: &[String], i: usize) -> usize {
    let title = format!("“Idea {i}”");
    bodies.iter().filter(|b| b.contains(&title)).count()
}

#[test]
fn sigkill_of_the_lease_holder_hands_the_bot_over_with_nothing_lost_or_doubled() {
    let _serial = crate::serial::one_at_a_time();
    let started = Instant::now();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(muster_storage::testing::PgDb::new()) else {
        return;
    };
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    let bot_id = hs.register("muster", "muster-password");
    hs.register("ana", "ana-password");
    let ana = hs.login("ana", "ana-password");
    let tokens: Vec<String> = MEMBERS
        .iter()
        .map(|m| {
            if *m != "ana" {
                hs.register(m, &format!("{m}-password"));
            }
            hs.login(m, &format!("{m}-password"))
        })
        .collect();

    let dir = tempfile::tempdir().expect("temp dir");
    // Both processes read this config: one store directory for the
    // account, as on a shared volume, so whoever holds the lease runs the
    // same device.
    let config = write_config(dir.path(), &hs, &bot_id, Some(&db.url), "");
    let ttl = TTL_SECONDS.to_string();
    let envs = [("MUSTER_TEST_LEASE_SECONDS", ttl.as_str())];
    let log_a = dir.path().join("a.log");
    let log_b = dir.path().join("b.log");

    let a = Muster::start_matrix(&config, &log_a, &envs);
    let mut b = Muster::spawn(&config, &log_b, &envs);
    b.wait_for("held by another process; waiting", READY_WAIT);
    assert!(
        !b.log().contains(MATRIX_READY),
        "both processes run the bot"
    );

    let room = hs.expect_ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        Some(&ana),
        Some(&json!({"name": "Paris", "preset": "private_chat", "invite": [bot_id]})),
    )["room_id"]
        .as_str()
        .expect("room_id")
        .to_owned();
    wait_until("the bot joined", READY_WAIT, || {
        let path = format!("/_matrix/client/v3/rooms/{}/joined_members", encode(&room));
        hs.expect_ok("GET", &path, Some(&ana), None)["joined"]
            .get(&bot_id)
            .is_some()
    });
    for (member, token) in MEMBERS.iter().zip(&tokens).skip(1) {
        let invite = format!("/_matrix/client/v3/rooms/{}/invite", encode(&room));
        hs.expect_ok(
            "POST",
            &invite,
            Some(&ana),
            Some(&json!({"user_id": format!("@{member}:localhost")})),
        );
        let join = format!("/_matrix/client/v3/rooms/{}/join", encode(&room));
        hs.expect_ok("POST", &join, Some(token), Some(&json!({})));
    }
    say(&hs, &ana, &room, "new", r#"!section new paris "Paris""#);
    say(&hs, &ana, &room, "link", "!section link paris");
    wait_until("the room is linked", READY_WAIT, || {
        matrix::bodies(&hs, &ana, &room, &bot_id).len() >= 2
    });

    // The members propose ideas, one every 150 ms, while the holder dies.
    let mut killed_at = None;
    let mut a = Some(a);
    for i in 0..COMMANDS {
        say(
            &hs,
            &tokens[i % MEMBERS.len()],
            &room,
            &format!("idea-{i}"),
            &format!("!initiative new \"Idea {i}\""),
        );
        if i == 8 {
            // Some ideas answered, maybe one in flight.
            a.take().expect("holder").kill();
            killed_at = Some(Instant::now());
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    let killed_at = killed_at.expect("killed");
    b.wait_for(MATRIX_READY, READY_WAIT);
    let took_over = killed_at.elapsed();
    let answered_all = Instant::now();
    loop {
        let bodies = matrix::bodies(&hs, &ana, &room, &bot_id);
        let missing: Vec<usize> = (0..COMMANDS)
            .filter(|i| answers_to(&bodies, *i) == 0)
            .collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            answered_all.elapsed() < READY_WAIT,
            "ideas never answered: {missing:?}\n{bodies:#?}\nthe killed holder's log:\n{}",
            std::fs::read_to_string(&log_a).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let all_answered = killed_at.elapsed();
    // Anything answered twice would show within a few seconds.
    std::thread::sleep(Duration::from_secs(3));
    let bodies = matrix::bodies(&hs, &ana, &room, &bot_id);
    let wrong: Vec<(usize, usize)> = (0..COMMANDS)
        .map(|i| (i, answers_to(&bodies, i)))
        .filter(|(_, n)| *n != 1)
        .collect();
    assert!(
        wrong.is_empty(),
        "(idea, answers) not answered once: {wrong:?}\n{bodies:#?}"
    );
    // And each ran once: exactly one initiative per command.
    let initiatives = rt.block_on(async {
        let store = muster_storage::open(&db.url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let doc = muster_core::export::export(tx.as_mut(), chrono::DateTime::UNIX_EPOCH)
            .await
            .unwrap();
        doc.initiatives.len()
    });
    assert_eq!(initiatives, COMMANDS);
    // B noticed its wait was over well within the ttl plus one retry period
    // and a sync (generous: the homeserver shares two cores with us).
    assert!(
        took_over < Duration::from_secs(TTL_SECONDS * 2 + 10),
        "took over {took_over:?} after the kill"
    );

    // SIGTERM gives the lease up: a new process takes it without waiting.
    b.stop();
    let log_c = dir.path().join("c.log");
    let c = Muster::start_matrix(&config, &log_c, &envs);
    assert!(
        !c.log().contains("held by another process"),
        "the stopped process kept its lease:\n{}",
        c.log()
    );
    say(&hs, &ana, &room, "after", "!initiative new \"Idea after\"");
    wait_until("the new holder answers", READY_WAIT, || {
        matrix::bodies(&hs, &ana, &room, &bot_id)
            .iter()
            .any(|b| b.contains("“Idea after”"))
    });
    c.stop();
    eprintln!(
        "matrix failover: lease ttl {TTL_SECONDS} s; took over {:.1} s after the SIGKILL; \
         all {COMMANDS} commands answered once {:.1} s after it; whole test {:.1} s",
        took_over.as_secs_f64(),
        all_answered.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
