//! Private messages in Matrix: `nudge` reaches a member in a direct room
//! the bot creates once and reuses, across a restart too; and in that room
//! any text is a command. Direct rooms are encrypted: bob here is a plain
//! HTTP client without keys, so he sees that the bot's messages arrive, not
//! what they say (the encrypted-room test reads them with a real device). The real `muster` binary against a real Synapse;
//! outside CI, a machine that cannot install Synapse skips with `SKIPPED:`.

use crate::matrix;
use crate::muster_bin;
use crate::synapse;

use matrix::{WAIT, bodies, events, say, wait_until, write_config};
use muster_bin::Muster;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Instant;
use synapse::{Synapse, encode};

/// Bob's invitations, read with incremental syncs from `since`: each new
/// one must be a direct room of the bot's; bob accepts it.
fn accept_direct_invites(
    hs: &Synapse,
    bob: &str,
    bot: &str,
    since: &mut String,
    seen: &mut BTreeSet<String>,
) {
    let path = format!("/_matrix/client/v3/sync?timeout=0&since={}", encode(since));
    let sync = hs.expect_ok("GET", &path, Some(bob), None);
    *since = sync["next_batch"].as_str().expect("next_batch").to_string();
    let invites = sync["rooms"]["invite"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (room, invite) in invites {
        let events = invite["invite_state"]["events"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let direct = events.iter().any(|e: &Value| {
            e["type"] == "m.room.member" && e["sender"] == bot && e["content"]["is_direct"] == true
        });
        assert!(direct, "an invitation that is not a direct room: {invite}");
        let join = format!("/_matrix/client/v3/rooms/{}/join", encode(&room));
        hs.expect_ok("POST", &join, Some(bob), Some(&json!({})));
        seen.insert(room);
    }
}

#[test]
fn nudges_reach_a_member_in_one_direct_room_reused_across_a_restart() {
    let _serial = crate::serial::one_at_a_time();
    let started = Instant::now();
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    let bot_id = hs.register("muster", "muster-password");
    hs.register("ana", "ana-password");
    hs.register("bob", "bob-password");
    let ana = hs.login("ana", "ana-password");
    let bob = hs.login("bob", "bob-password");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), &hs, &bot_id, None, "");
    let log = dir.path().join("muster.log");
    let envs = [(
        "MUSTER_LOG",
        "info,muster_matrix=debug,matrix_sdk=warn,matrix_sdk_base=warn,matrix_sdk_crypto=warn",
    )];
    let bot = Muster::start_matrix(&config, &log, &envs);

    let room = hs.expect_ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        Some(&ana),
        Some(&json!({"name": "Paris", "preset": "private_chat",
                     "invite": [bot_id, "@bob:localhost"]})),
    )["room_id"]
        .as_str()
        .expect("room_id")
        .to_string();
    let join = format!("/_matrix/client/v3/rooms/{}/join", encode(&room));
    hs.expect_ok("POST", &join, Some(&bob), Some(&json!({})));
    let in_room = |n: usize| {
        let (hs, ana, room, bot_id) = (&hs, &ana, &room, &bot_id);
        move || bodies(hs, ana, room, bot_id).len() >= n
    };
    say(&hs, &ana, &room, "a1", r#"!section new paris "Paris""#);
    wait_until("the bot answers", WAIT, in_room(1));
    say(&hs, &ana, &room, "a2", "!section link paris");
    say(&hs, &bob, &room, "b1", "!join");
    say(
        &hs,
        &ana,
        &room,
        "a3",
        r#"!event new "Assembly" 2030-01-10 19:00"#,
    );
    wait_until("the event is created", WAIT, in_room(4));

    let mut direct_rooms = BTreeSet::new();
    let mut since =
        hs.expect_ok("GET", "/_matrix/client/v3/sync?timeout=0", Some(&bob), None)["next_batch"]
            .as_str()
            .expect("next_batch")
            .to_string();
    let mut nudged = |direct_rooms: &mut BTreeSet<String>, n: usize| {
        wait_until(&format!("bob has {n} message(s) in private"), WAIT, || {
            accept_direct_invites(&hs, &bob, &bot_id, &mut since, direct_rooms);
            let count: usize = direct_rooms
                .iter()
                .map(|r| {
                    events(&hs, &bob, r)
                        .iter()
                        .filter(|e| {
                            e["type"] == "m.room.encrypted" && e["sender"] == bot_id.as_str()
                        })
                        .count()
                })
                .sum();
            count >= n
        });
    };
    say(&hs, &ana, &room, "n1", "!nudge 1");
    wait_until("the nudge is answered", WAIT, in_room(5));
    let said = bodies(&hs, &ana, &room, &bot_id);
    assert!(said[4].contains("1 member"), "{said:#?}");
    nudged(&mut direct_rooms, 1);
    say(&hs, &ana, &room, "n2", "!nudge 1");
    nudged(&mut direct_rooms, 2);
    assert_eq!(
        direct_rooms.len(),
        1,
        "a second direct room: {direct_rooms:?}"
    );

    // After a restart, the same room (the bot's m.direct account data).
    bot.stop();
    let bot = Muster::start_matrix(&config, &log, &envs);
    say(&hs, &ana, &room, "n3", "!nudge 1");
    nudged(&mut direct_rooms, 3);
    assert_eq!(direct_rooms.len(), 1, "a new direct room after the restart");

    // In the direct room any text is a command (bob writes in the clear).
    let dm = direct_rooms.iter().next().unwrap().clone();
    say(&hs, &bob, &dm, "d1", "rsvp 1 yes");
    nudged(&mut direct_rooms, 4);
    let doc = matrix::export(&format!(
        "sqlite://{}",
        dir.path().join("muster.db").display()
    ));
    let rsvps = doc["events"][0]["rsvps"].as_array().expect("rsvps");
    assert_eq!(rsvps.len(), 1, "{rsvps:?}");
    assert_eq!(rsvps[0]["status"], "going");
    bot.stop();
    eprintln!(
        "matrix direct: whole test {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
