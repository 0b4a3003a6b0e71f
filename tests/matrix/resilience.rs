//! The Matrix bot under a crash: the real `muster` binary against a real
//! Synapse. An announcement fans out to 50 rooms at 5 messages a second;
//! the process is SIGKILLed mid-way and started again on the same store and
//! database. Every room ends with exactly one copy: the deliveries the killed
//! process had claimed are re-sent once their claim lapses (shortened by the
//! `MUSTER_TEST_CLAIM_SECONDS` test knob of src/main.rs), and a send that
//! reached Synapse before the kill is not posted twice, because each send's
//! transaction id comes from the delivery's idempotency key.
//! Outside CI, a machine that cannot install Synapse skips with `SKIPPED:`.

use crate::matrix;
use crate::muster_bin;
use crate::synapse;

use matrix::{say, wait_until, write_config};
use muster_bin::Muster;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use synapse::{Synapse, encode};

const WAIT: Duration = Duration::from_secs(60);
const ROOMS: usize = 50;
/// The claim of the test processes: the restarted bot re-sends what the
/// killed one had claimed after this long, instead of 5 minutes.
const CLAIM_SECONDS: &str = "20";
/// The restarted process waits for the killed one's lease to lapse.
const ENVS: [(&str, &str); 2] = [
    ("MUSTER_TEST_CLAIM_SECONDS", CLAIM_SECONDS),
    ("MUSTER_TEST_LEASE_SECONDS", "4"),
];

/// The bot's messages in a room, oldest first, as ana reads them.
fn notices(hs: &Synapse, token: &str, room: &str, bot: &str) -> Vec<Value> {
    let path = format!(
        "/_matrix/client/v3/rooms/{}/messages?dir=b&limit=500",
        encode(room)
    );
    let page = hs.expect_ok("GET", &path, Some(token), None);
    let mut events: Vec<Value> = page["chunk"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["type"] == "m.room.message" && e["sender"] == bot)
        .collect();
    events.reverse();
    events
}

#[test]
fn sigkill_during_an_announcement_leaves_one_copy_in_every_room() {
    let _serial = crate::serial::one_at_a_time();
    let started = Instant::now();
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    let bot_id = hs.register("muster", "muster-password");
    hs.register("ana", "ana-password");
    let ana = hs.login("ana", "ana-password");

    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), &hs, &bot_id, None, "messages_per_second = 5");
    let log = dir.path().join("muster.log");
    let bot = Muster::start_matrix(&config, &log, &ENVS);

    // 50 rooms, the bot in each.
    let rooms: Vec<String> = (0..ROOMS)
        .map(|i| {
            hs.expect_ok(
                "POST",
                "/_matrix/client/v3/createRoom",
                Some(&ana),
                Some(&json!({
                    "name": format!("Paris {i}"),
                    "preset": "private_chat",
                    "invite": [bot_id],
                })),
            )["room_id"]
                .as_str()
                .expect("room_id")
                .to_owned()
        })
        .collect();
    let mut waiting: Vec<&String> = rooms.iter().collect();
    wait_until("the bot joined every room", WAIT * 2, || {
        waiting.retain(|room| {
            let path = format!("/_matrix/client/v3/rooms/{}/joined_members", encode(room));
            let members = hs.expect_ok("GET", &path, Some(&ana), None);
            members["joined"].get(&bot_id).is_none()
        });
        waiting.is_empty()
    });
    let joined_at = started.elapsed();

    // One section, linked in every room.
    say(&hs, &ana, &rooms[0], "new", r#"!section new paris "Paris""#);
    wait_until("the section exists", WAIT, || {
        !notices(&hs, &ana, &rooms[0], &bot_id).is_empty()
    });
    let before: Vec<usize> = rooms
        .iter()
        .map(|room| notices(&hs, &ana, room, &bot_id).len())
        .collect();
    for room in &rooms {
        say(&hs, &ana, room, "link", "!section link paris");
    }
    let mut waiting: Vec<(&String, usize)> = rooms.iter().zip(before).collect();
    wait_until("every room is linked", WAIT * 2, || {
        waiting.retain(|(room, seen)| notices(&hs, &ana, room, &bot_id).len() <= *seen);
        waiting.is_empty()
    });
    let linked_at = started.elapsed();

    let text = "Crash-proof announcement 7f3a";
    let copies = |room: &str| {
        notices(&hs, &ana, room, &bot_id)
            .iter()
            .filter(|n| {
                let body = n["content"]["body"].as_str().unwrap_or("");
                body.starts_with('📣') && body.contains(text)
            })
            .count()
    };
    let reached = || rooms.iter().filter(|room| copies(room) > 0).count();

    say(
        &hs,
        &ana,
        &rooms[0],
        "announce",
        &format!("!announce {text}"),
    );
    // At 5 a second the 50 rooms take ~10 s: kill once some have it.
    let announced = Instant::now();
    loop {
        // Stops reading at the 10th room reached.
        let n = rooms
            .iter()
            .filter(|room| copies(room) > 0)
            .take(10)
            .count();
        if n >= 10 {
            break;
        }
        assert!(
            announced.elapsed() < WAIT,
            "the announcement reached no room"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    bot.kill();
    let killed_at = announced.elapsed();
    let at_kill = reached();
    assert!(
        (1..ROOMS).contains(&at_kill),
        "{at_kill} rooms reached at the kill"
    );

    // Same config, store and database; the claims of the killed process
    // lapse after CLAIM_SECONDS.
    let bot = Muster::start_matrix(&config, &log, &ENVS);
    let restarted = Instant::now();
    wait_until(
        "every room has the announcement",
        Duration::from_secs(120),
        || reached() == ROOMS,
    );
    let completed_after = restarted.elapsed();
    // Anything still in flight would show within a few seconds.
    std::thread::sleep(Duration::from_secs(3));
    let counts: Vec<usize> = rooms.iter().map(|room| copies(room)).collect();
    let wrong: Vec<(usize, usize)> = counts
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| *c != 1)
        .collect();
    assert!(
        wrong.is_empty(),
        "rooms (index, copies) without exactly one copy: {wrong:?}"
    );
    bot.stop();
    eprintln!(
        "matrix resilience: joined {ROOMS} rooms after {:.1} s, linked after {:.1} s; \
         killed {:.1} s into the fan-out with {at_kill}/{ROOMS} rooms reached; \
         all reached {:.1} s after the restart; whole test {:.1} s",
        joined_at.as_secs_f64(),
        linked_at.as_secs_f64(),
        killed_at.as_secs_f64(),
        completed_after.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
