//! What the Matrix end-to-end tests share: a `muster.toml` for the bot on
//! a test homeserver, and a member's side of a room through the client API.
//! A test includes it beside `synapse.rs`:
//! `#[path = "common/synapse.rs"] mod synapse;`
//! `#[path = "common/matrix.rs"] mod matrix;`
#![allow(dead_code)]

use crate::synapse::{Synapse, encode};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(60);

/// Writes `dir/muster.toml`: the bot `bot_id` on `hs`, storage at
/// `storage` (SQLite `dir/muster.db` when `None`), its store in
/// `dir/matrix-store`, invitations from ana only, ana root admin; `extra`
/// lines go in `[matrix]`.
pub fn write_config(
    dir: &Path,
    hs: &Synapse,
    bot_id: &str,
    storage: Option<&str>,
    extra: &str,
) -> PathBuf {
    let storage = storage.map_or_else(
        || format!("sqlite://{}", dir.join("muster.db").display()),
        str::to_string,
    );
    let path = dir.join("muster.toml");
    std::fs::write(
        &path,
        format!(
            r#"[storage]
url = "{storage}"

[matrix]
homeserver = "{url}"
user = "{bot_id}"
password = "muster-password"
store = "{store}"
allowed_inviters = ["@ana:localhost"]
{extra}

[defaults]
language = "en"

[access]
admins = ["matrix:@ana:localhost"]
"#,
            url = hs.url,
            store = dir.join("matrix-store").display(),
        ),
    )
    .expect("write muster.toml");
    path
}

/// Polls `done` until it holds; fails after `limit`.
pub fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A new private room of `token`'s, with `invite` invited; its id.
pub fn create_room(hs: &Synapse, token: &str, name: &str, invite: &[&str]) -> String {
    hs.expect_ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        Some(token),
        Some(&json!({"name": name, "preset": "private_chat", "invite": invite})),
    )["room_id"]
        .as_str()
        .expect("room_id")
        .to_string()
}

pub fn join(hs: &Synapse, token: &str, room: &str) {
    let path = format!("/_matrix/client/v3/rooms/{}/join", encode(room));
    hs.expect_ok("POST", &path, Some(token), Some(&json!({})));
}

/// Whether `user` has joined `room`, as a member `token` sees it.
pub fn joined(hs: &Synapse, token: &str, room: &str, user: &str) -> bool {
    let path = format!("/_matrix/client/v3/rooms/{}/joined_members", encode(room));
    hs.expect_ok("GET", &path, Some(token), None)["joined"]
        .get(user)
        .is_some()
}

/// Sends a text message as `token`, with transaction id `txn`.
pub fn say(hs: &Synapse, token: &str, room: &str, txn: &str, body: &str) {
    let path = format!(
        "/_matrix/client/v3/rooms/{}/send/m.room.message/{}",
        encode(room),
        encode(txn)
    );
    hs.expect_ok(
        "PUT",
        &path,
        Some(token),
        Some(&json!({"msgtype": "m.text", "body": body})),
    );
}

/// The room's last 1000 events, oldest first.
pub fn events(hs: &Synapse, token: &str, room: &str) -> Vec<Value> {
    let path = format!(
        "/_matrix/client/v3/rooms/{}/messages?dir=b&limit=1000",
        encode(room)
    );
    let page = hs.expect_ok("GET", &path, Some(token), None);
    let mut events = page["chunk"].as_array().cloned().unwrap_or_default();
    events.reverse();
    events
}

/// The bodies of `sender`'s messages in the room, oldest first.
pub fn bodies(hs: &Synapse, token: &str, room: &str, sender: &str) -> Vec<String> {
    events(hs, token, room)
        .into_iter()
        .filter(|e| e["type"] == "m.room.message" && e["sender"] == sender)
        .map(|e| e["content"]["body"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The organisation as `muster export` prints it.
pub fn export(db_url: &str) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["export", "--db", db_url])
        .output()
        .expect("muster export");
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("export JSON")
}
