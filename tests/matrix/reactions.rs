//! Event cards in Matrix: reactions ✅ ❔ ❌ on a card are RSVPs, removing
//! one withdraws it, and the card is edited in place (`m.replace`) to show
//! the counts, by reactions and by `!rsvp` alike. The real `muster`
//! binary against a real Synapse; outside CI, a machine that cannot install
//! Synapse skips with `SKIPPED:`.

use crate::matrix;
use crate::muster_bin;
use crate::synapse;

use matrix::{WAIT, wait_until, write_config};
use muster_bin::Muster;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use synapse::{Synapse, encode};

struct Room<'a> {
    hs: &'a Synapse,
    id: String,
    bot: String,
}

impl Room<'_> {
    fn events(&self, token: &str) -> Vec<Value> {
        matrix::events(self.hs, token, &self.id)
    }

    /// The bot's cards (not their edits).
    fn cards(&self, token: &str) -> Vec<Value> {
        self.events(token)
            .into_iter()
            .filter(|e| {
                e["sender"] == self.bot.as_str()
                    && e["content"]["org.muster.event"].is_i64()
                    && e["content"]["m.relates_to"].is_null()
            })
            .collect()
    }

    /// What the card shows now: its newest edit's text, else its own.
    fn card_text(&self, token: &str, card: &str) -> String {
        let events = self.events(token);
        events
            .iter()
            .rev()
            .find(|e| {
                e["sender"] == self.bot.as_str()
                    && e["content"]["m.relates_to"]["rel_type"] == "m.replace"
                    && e["content"]["m.relates_to"]["event_id"] == card
            })
            .map(|e| e["content"]["m.new_content"]["body"].clone())
            .or_else(|| {
                events
                    .iter()
                    .find(|e| e["event_id"] == card)
                    .map(|e| e["content"]["body"].clone())
            })
            .and_then(|b| b.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    fn send(&self, token: &str, txn: &str, body: &str) {
        matrix::say(self.hs, token, &self.id, txn, body);
    }

    fn react(&self, token: &str, txn: &str, card: &str, key: &str) -> String {
        let path = format!(
            "/_matrix/client/v3/rooms/{}/send/m.reaction/{}",
            encode(&self.id),
            encode(txn)
        );
        let sent = self.hs.expect_ok(
            "PUT",
            &path,
            Some(token),
            Some(&json!({"m.relates_to": {
                "rel_type": "m.annotation", "event_id": card, "key": key
            }})),
        );
        sent["event_id"].as_str().expect("event_id").to_string()
    }

    fn unreact(&self, token: &str, txn: &str, reaction: &str) {
        let path = format!(
            "/_matrix/client/v3/rooms/{}/redact/{}/{}",
            encode(&self.id),
            encode(reaction),
            encode(txn)
        );
        self.hs
            .expect_ok("PUT", &path, Some(token), Some(&json!({})));
    }

    fn wait_card(&self, token: &str, card: &str, expect: &[&str]) {
        let started = Instant::now();
        loop {
            let text = self.card_text(token, card);
            if expect.iter().all(|e| text.contains(e)) {
                return;
            }
            assert!(
                started.elapsed() < WAIT,
                "the card never showed {expect:?}; it shows:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

#[test]
fn reactions_on_a_card_rsvp_and_the_card_is_edited_in_place() {
    let _serial = crate::serial::one_at_a_time();
    let started = Instant::now();
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    let bot_id = hs.register("muster", "muster-password");
    hs.register("ana", "ana-password");
    let ana = hs.login("ana", "ana-password");
    let people: Vec<(String, String)> = ["bob", "cy", "dee"]
        .iter()
        .map(|m| {
            let id = hs.register(m, &format!("{m}-password"));
            (id, hs.login(m, &format!("{m}-password")))
        })
        .collect();

    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), &hs, &bot_id, None, "");
    let log = dir.path().join("muster.log");
    let bot = Muster::start_matrix(
        &config,
        &log,
        &[(
            "MUSTER_LOG",
            "info,muster_matrix=debug,matrix_sdk=error,matrix_sdk_base=error,matrix_sdk_crypto=error",
        )],
    );

    let invited: Vec<&str> = std::iter::once(bot_id.as_str())
        .chain(people.iter().map(|(id, _)| id.as_str()))
        .collect();
    let id = hs.expect_ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        Some(&ana),
        Some(&json!({"name": "Paris", "preset": "private_chat", "invite": invited})),
    )["room_id"]
        .as_str()
        .expect("room_id")
        .to_owned();
    for (_, token) in &people {
        let join = format!("/_matrix/client/v3/rooms/{}/join", encode(&id));
        hs.expect_ok("POST", &join, Some(token), Some(&json!({})));
    }
    let room = Room {
        hs: &hs,
        id,
        bot: bot_id.clone(),
    };
    wait_until("the bot joined", WAIT, || {
        let path = format!(
            "/_matrix/client/v3/rooms/{}/joined_members",
            encode(&room.id)
        );
        hs.expect_ok("GET", &path, Some(&ana), None)["joined"]
            .get(&bot_id)
            .is_some()
    });
    room.send(&ana, "new", r#"!section new paris "Paris""#);
    room.send(&ana, "link", "!section link paris");
    room.send(
        &ana,
        "event",
        r#"!event new "Assembly" 2030-01-10 19:00 cap 1"#,
    );
    wait_until("the card is posted", WAIT, || !room.cards(&ana).is_empty());
    let card = room.cards(&ana)[0]["event_id"]
        .as_str()
        .expect("card id")
        .to_string();
    assert!(room.card_text(&ana, &card).contains("Assembly"));

    let (bob, cy, dee) = (&people[0].1, &people[1].1, &people[2].1);
    // Bob reacts ✅: going; the card shows it.
    let bob_yes = room.react(bob, "r1", &card, "✅");
    room.wait_card(&ana, &card, &["✅ 1 going", "0 left", "waitlist: 0"]);
    // Cy reacts ✅ too: the only place is taken, she waits.
    room.react(cy, "r2", &card, "✅");
    room.wait_card(&ana, &card, &["✅ 1 going", "waitlist: 1"]);
    // Dee answers maybe by command: the same card is edited.
    room.send(dee, "m1", "!rsvp 1 maybe");
    room.wait_card(&ana, &card, &["❔ 1 maybe", "waitlist: 1"]);
    // Bob takes his ✅ back: he withdraws and cy gets his place.
    room.unreact(bob, "u1", &bob_yes);
    room.wait_card(
        &ana,
        &card,
        &["✅ 1 going", "❌ 1 can't come", "waitlist: 0"],
    );
    // Reactions that are not RSVPs change nothing.
    room.react(dee, "r3", &card, "🎉");

    // Still one card: every change edited it.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(room.cards(&ana).len(), 1, "a new card was posted");
    // And the engine agrees: cy going, bob not coming, dee maybe.
    let doc = matrix::export(&format!(
        "sqlite://{}",
        dir.path().join("muster.db").display()
    ));
    let user_of = |member: &Value| -> String {
        doc["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == *member)
            .map(|m| {
                m["identities"][0]["user_id"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let mut answers: Vec<(String, String)> = doc["events"][0]["rsvps"]
        .as_array()
        .expect("rsvps")
        .iter()
        .map(|r| {
            (
                user_of(&r["member"]),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    answers.sort();
    assert_eq!(
        answers,
        vec![
            ("@bob:localhost".to_string(), "declined".to_string()),
            ("@cy:localhost".to_string(), "going".to_string()),
            ("@dee:localhost".to_string(), "maybe".to_string()),
        ]
    );
    bot.stop();
    eprintln!(
        "matrix reactions: whole test {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
