//! Rooms come and go: a room upgraded (tombstone) keeps its section link in
//! the new room; `section unlink` says goodbye and the bot leaves; a bot
//! kicked from a linked room unlinks it, so nothing more is sent there.
//! The real `muster` binary against a real Synapse; outside CI, a machine
//! that cannot install Synapse skips with `SKIPPED:`.

use crate::matrix;
use crate::muster_bin;
use crate::synapse;

use matrix::{WAIT, wait_until, write_config};
use muster_bin::Muster;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use synapse::{Synapse, encode};

struct Ana<'a> {
    hs: &'a Synapse,
    token: String,
    bot: String,
}

impl Ana<'_> {
    fn post(&self, path: &str, body: Value) -> Value {
        self.hs
            .expect_ok("POST", path, Some(&self.token), Some(&body))
    }

    fn create_room(&self, name: &str) -> String {
        matrix::create_room(self.hs, &self.token, name, &[&self.bot])
    }

    fn bot_joined(&self, room: &str) -> bool {
        matrix::joined(self.hs, &self.token, room, &self.bot)
    }

    fn say(&self, room: &str, txn: &str, body: &str) {
        matrix::say(self.hs, &self.token, room, txn, body);
    }

    fn notices(&self, room: &str) -> Vec<String> {
        matrix::bodies(self.hs, &self.token, room, &self.bot)
    }

    fn ask(&self, room: &str, txn: &str, body: &str, expect: &str) {
        let seen = self.notices(room).len();
        self.say(room, txn, body);
        let started = Instant::now();
        loop {
            let notices = self.notices(room);
            if notices[seen.min(notices.len())..]
                .iter()
                .any(|n| n.contains(expect))
            {
                return;
            }
            assert!(
                started.elapsed() < WAIT,
                "the bot never answered {body:?} with {expect:?}; it said:\n{notices:#?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The rooms linked to the first section, as the export lists them.
fn linked_rooms(db: &std::path::Path) -> Vec<String> {
    let doc = matrix::export(&format!("sqlite://{}", db.display()));
    doc["sections"][0]["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["room_id"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn upgrades_unlinks_and_kicks_move_or_drop_the_section_link() {
    let _serial = crate::serial::one_at_a_time();
    let started = Instant::now();
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    let bot_id = hs.register("muster", "muster-password");
    hs.register("ana", "ana-password");
    let ana = Ana {
        hs: &hs,
        token: hs.login("ana", "ana-password"),
        bot: bot_id.clone(),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("muster.db");
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

    let old = ana.create_room("Paris");
    let spare = ana.create_room("Paris bureau");
    let street = ana.create_room("Paris street team");
    wait_until("the bot joined the rooms", WAIT, || {
        ana.bot_joined(&old) && ana.bot_joined(&spare) && ana.bot_joined(&street)
    });
    ana.ask(&old, "n", r#"!section new paris "Paris""#, "created");
    ana.ask(&old, "l", "!section link paris", "now linked");
    ana.ask(&spare, "l", "!section link paris", "now linked");
    ana.ask(&street, "l", "!section link paris", "now linked");

    // The room is upgraded; ana invites the bot to the new one, as
    // clients offer to do for the members of a private room.
    let new = ana.post(
        &format!("/_matrix/client/v3/rooms/{}/upgrade", encode(&old)),
        json!({"new_version": "10"}),
    )["replacement_room"]
        .as_str()
        .expect("replacement_room")
        .to_string();
    ana.post(
        &format!("/_matrix/client/v3/rooms/{}/invite", encode(&new)),
        json!({"user_id": bot_id}),
    );
    wait_until("the bot joined the new room", WAIT, || ana.bot_joined(&new));
    wait_until("the link moved to the new room", WAIT, || {
        let rooms = linked_rooms(&db);
        rooms.contains(&new) && !rooms.contains(&old)
    });
    wait_until("the bot left the old room", WAIT, || !ana.bot_joined(&old));
    ana.ask(&new, "s", "!section", "Paris");

    // Unlinking says goodbye, and the bot leaves.
    ana.ask(&spare, "u", "!section unlink", "no longer linked");
    wait_until("the bot left the unlinked room", WAIT, || {
        !ana.bot_joined(&spare)
    });
    let mut rooms = linked_rooms(&db);
    rooms.sort();
    let mut expected = vec![new.clone(), street.clone()];
    expected.sort();
    assert_eq!(rooms, expected);

    // Kicked from a room: it is unlinked.
    ana.post(
        &format!("/_matrix/client/v3/rooms/{}/kick", encode(&street)),
        json!({"user_id": bot_id, "reason": "testing"}),
    );
    wait_until("the kicked room is unlinked", WAIT, || {
        linked_rooms(&db) == vec![new.clone()]
    });
    bot.stop();
    eprintln!(
        "matrix rooms: whole test {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
