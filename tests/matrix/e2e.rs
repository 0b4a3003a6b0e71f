//! The Matrix bot end to end: the real `muster` binary against a real
//! Synapse. Ana (root admin) invites the bot into a room, creates and links a
//! section, creates an event; Bob answers it; an announcement goes out
//! through the outbox. Then the binary is stopped and started again: the
//! bot keeps its device, and no message is answered twice.
//! Outside CI, a machine that cannot install Synapse skips with `SKIPPED:`.

use crate::muster_bin;
use crate::synapse;

use muster_bin::Muster;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use synapse::{Synapse, encode};

const WAIT: Duration = Duration::from_secs(60);

struct Room<'a> {
    hs: &'a Synapse,
    id: String,
    bot: String,
}

impl Room<'_> {
    fn send(&self, token: &str, txn: &str, body: &str) {
        let path = format!(
            "/_matrix/client/v3/rooms/{}/send/m.room.message/{}",
            encode(&self.id),
            encode(txn)
        );
        self.hs.expect_ok(
            "PUT",
            &path,
            Some(token),
            Some(&json!({"msgtype": "m.text", "body": body})),
        );
    }

    /// The bot's messages in the room, oldest first.
    fn notices(&self, token: &str) -> Vec<Value> {
        let path = format!(
            "/_matrix/client/v3/rooms/{}/messages?dir=b&limit=500",
            encode(&self.id)
        );
        let page = self.hs.expect_ok("GET", &path, Some(token), None);
        let mut events: Vec<Value> = page["chunk"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e["type"] == "m.room.message" && e["sender"] == self.bot.as_str())
            .collect();
        events.reverse();
        events
    }

    /// Sends `body` and waits for a new notice of the bot containing `expect`.
    fn ask(&self, token: &str, txn: &str, body: &str, expect: &str) -> Value {
        let seen = self.notices(token).len();
        self.send(token, txn, body);
        self.wait_for(token, seen, expect)
    }

    fn wait_for(&self, token: &str, seen: usize, expect: &str) -> Value {
        let started = Instant::now();
        loop {
            let notices = self.notices(token);
            if let Some(found) = notices[seen.min(notices.len())..]
                .iter()
                .find(|n| n["content"]["body"].as_str().unwrap_or("").contains(expect))
            {
                return found.clone();
            }
            assert!(
                started.elapsed() < WAIT,
                "no notice containing {expect:?}; the bot said:\n{:#?}",
                notices
                    .iter()
                    .map(|n| n["content"]["body"].clone())
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < WAIT, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn matrix_bot_answers_announces_and_survives_a_restart() {
    let _serial = crate::serial::one_at_a_time();
    let started = Instant::now();
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    let bot_id = hs.register("muster", "muster-password");
    let ana_id = hs.register("ana", "ana-password");
    let bob_id = hs.register("bob", "bob-password");
    let ana = hs.login("ana", "ana-password");
    let bob = hs.login("bob", "bob-password");

    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("matrix-store");
    let config = dir.path().join("muster.toml");
    std::fs::write(
        &config,
        format!(
            r#"[storage]
url = "sqlite://{db}"

[matrix]
homeserver = "{url}"
user = "{bot_id}"
password = "muster-password"
store = "{store}"
allowed_inviters = ["@ana:*", "@bob:localhost"]

[defaults]
language = "en"

[access]
admins = ["matrix:{ana_id}"]
"#,
            db = dir.path().join("muster.db").display(),
            url = hs.url,
            store = store.display(),
        ),
    )
    .expect("write muster.toml");
    let log = dir.path().join("muster.log");

    let bot = Muster::start_matrix(&config, &log, &[]);
    let session: Value =
        serde_json::from_str(&std::fs::read_to_string(store.join("session.json")).unwrap())
            .expect("session.json");
    let device = session["device_id"].as_str().expect("device_id").to_owned();
    let bot_token = session["access_token"].as_str().expect("token").to_owned();

    let created = hs.expect_ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        Some(&ana),
        Some(&json!({"name": "Paris", "preset": "private_chat", "invite": [bot_id, bob_id]})),
    );
    let room = Room {
        hs: &hs,
        id: created["room_id"].as_str().expect("room_id").to_owned(),
        bot: bot_id.clone(),
    };
    let members_path = format!(
        "/_matrix/client/v3/rooms/{}/joined_members",
        encode(&room.id)
    );
    wait_until("the bot joined", || {
        let members = hs.expect_ok("GET", &members_path, Some(&ana), None);
        members["joined"].get(&bot_id).is_some()
    });
    let joined_at = started.elapsed();

    // An invitation from someone outside allowed_inviters is refused.
    hs.register("eve", "eve-password");
    let eve = hs.login("eve", "eve-password");
    let eve_room = hs.expect_ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        Some(&eve),
        Some(&json!({"preset": "private_chat", "invite": [bot_id]})),
    )["room_id"]
        .as_str()
        .expect("room_id")
        .to_owned();
    let bot_member = format!(
        "/_matrix/client/v3/rooms/{}/state/m.room.member/{}",
        encode(&eve_room),
        encode(&bot_id)
    );
    wait_until("the bot refused eve's invitation", || {
        hs.expect_ok("GET", &bot_member, Some(&eve), None)["membership"] == "leave"
    });

    room.ask(&ana, "a1", r#"!section new paris "Paris""#, "");
    room.ask(&ana, "a2", "!section link paris", "");
    let card = room.ask(
        &ana,
        "a3",
        r#"!event new "Assembly" 2030-01-10 19:00 cap 1"#,
        "Assembly",
    );
    assert_eq!(card["content"]["msgtype"], "m.notice", "{card}");
    assert_eq!(
        card["content"]["format"], "org.matrix.custom.html",
        "{card}"
    );
    let body = card["content"]["body"].as_str().unwrap().to_owned();
    let id: String = body
        .split("/rsvp ")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_else(|| "1".into());
    assert!(!id.is_empty(), "no RSVP command in the card:\n{body}");

    // A mention of the bot is a command too.
    let help = room.ask(&ana, "a4", "@muster:localhost: help", "");
    assert_eq!(help["content"]["msgtype"], "m.notice");

    hs.expect_ok(
        "POST",
        &format!("/_matrix/client/v3/join/{}", encode(&room.id)),
        Some(&bob),
        Some(&json!({})),
    );
    room.ask(&bob, "b1", &format!("!rsvp {id} yes"), "You are going");

    let hello = room.ask(
        &ana,
        "a5",
        "!announce Hello from the assembly",
        "Hello from the assembly",
    );
    assert_eq!(hello["content"]["msgtype"], "m.notice", "{hello}");
    // Chat is not answered.
    let before_chat = room.notices(&ana).len();
    room.send(&bob, "b2", "see you there");

    // Stop, and start again on the same store.
    std::thread::sleep(Duration::from_secs(2));
    bot.stop();
    let answered = room.notices(&ana).len();
    assert_eq!(answered, before_chat, "chat was answered");
    // A command sent while the bot is away is answered when it is back.
    room.send(&ana, "a6", "!help");
    let bot = Muster::start_matrix(&config, &log, &[]);
    let session: Value =
        serde_json::from_str(&std::fs::read_to_string(store.join("session.json")).unwrap())
            .expect("session.json");
    assert_eq!(
        session["device_id"],
        device.as_str(),
        "a new device after restart"
    );
    let whoami = hs.expect_ok(
        "GET",
        "/_matrix/client/v3/account/whoami",
        Some(&bot_token),
        None,
    );
    assert_eq!(whoami["device_id"], device.as_str());
    let devices = hs.expect_ok("GET", "/_matrix/client/v3/devices", Some(&bot_token), None);
    // The other device is the registration's.
    let ours: Vec<&Value> = devices["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .filter(|d| d["display_name"] == "Muster")
        .collect();
    assert_eq!(ours.len(), 1, "the bot logged in again: {devices}");
    assert_eq!(ours[0]["device_id"], device.as_str());

    // The command sent while the bot was away is answered, once; nothing
    // answered before the restart is answered again.
    let help = room.wait_for(&ana, answered, "Muster commands");
    assert!(
        help["content"]["body"]
            .as_str()
            .unwrap_or("")
            .starts_with("Muster commands"),
        "{help}"
    );
    std::thread::sleep(Duration::from_secs(3));
    let notices = room.notices(&ana);
    assert_eq!(
        notices.len(),
        answered + 1,
        "old messages answered after the restart:\n{:#?}",
        notices[answered.min(notices.len())..]
            .iter()
            .map(|n| n["content"]["body"].clone())
            .collect::<Vec<_>>()
    );
    // And new ones are.
    room.ask(&bob, "b3", &format!("!rsvp {id} no"), "can't come");
    bot.stop();
    eprintln!(
        "matrix e2e: bot joined after {:.1} s; whole test {:.1} s",
        joined_at.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
