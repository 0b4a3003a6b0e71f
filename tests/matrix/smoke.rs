//! A real Synapse answers the client API the Matrix bot relies on: shared-
//! secret registration, password login, room creation, and idempotent sends
//! (the same transaction id returns the same event — the outbox relies on it).
//! Outside CI, a machine that cannot install Synapse skips with `SKIPPED:`.

use crate::synapse;

use serde_json::json;
use std::time::Instant;
use synapse::{Synapse, encode, hex, hmac_sha1, sha1};

#[test]
fn hmac_sha1_matches_rfc_2202() {
    assert_eq!(
        hex(&sha1(b"abc")),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_eq!(
        hex(&hmac_sha1(&[0x0b; 20], b"Hi There")),
        "b617318655057264e28bc0b6fb378c8ef146be00"
    );
    assert_eq!(
        hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    );
    assert_eq!(
        hex(&hmac_sha1(
            &[0xaa; 80],
            b"Test Using Larger Than Block-Size Key - Hash Key First"
        )),
        "aa4ae5e15272d00e95705637ce8a3b55ed402112"
    );
}

#[test]
fn synapse_registers_logs_in_and_deduplicates_sends() {
    let started = Instant::now();
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    assert!(hs.url.starts_with("http://127.0.0.1:"), "{}", hs.url);
    assert_eq!(hs.server_name, "localhost");

    let alice = hs.register("alice", "alice-password");
    let bob = hs.register("bob", "bob-password");
    assert_eq!(alice, "@alice:localhost");
    assert_eq!(bob, "@bob:localhost");

    let token = hs.login("alice", "alice-password");
    assert!(!token.is_empty());
    let whoami = hs.expect_ok(
        "GET",
        "/_matrix/client/v3/account/whoami",
        Some(&token),
        None,
    );
    assert_eq!(whoami["user_id"], alice);

    let room = hs.expect_ok(
        "POST",
        "/_matrix/client/v3/createRoom",
        Some(&token),
        Some(&json!({"name": "Paris section", "preset": "private_chat", "invite": [bob]})),
    );
    let room_id = room["room_id"].as_str().expect("room_id").to_owned();
    assert!(room_id.starts_with('!'), "{room_id}");

    let send = |txn: &str, body: &str| {
        let path = format!(
            "/_matrix/client/v3/rooms/{}/send/m.room.message/{}",
            encode(&room_id),
            encode(txn)
        );
        let content = json!({"msgtype": "m.text", "body": body});
        hs.expect_ok("PUT", &path, Some(&token), Some(&content))["event_id"]
            .as_str()
            .expect("event_id")
            .to_owned()
    };
    let first = send("outbox-1", "Meeting at 19:00");
    let again = send("outbox-1", "Meeting at 19:00");
    assert_eq!(first, again, "same txnId must return the same event");
    let other = send("outbox-2", "Meeting at 19:00");
    assert_ne!(first, other, "a new txnId is a new event");

    let event = hs.expect_ok(
        "GET",
        &format!(
            "/_matrix/client/v3/rooms/{}/event/{}",
            encode(&room_id),
            encode(&first)
        ),
        Some(&token),
        None,
    );
    assert_eq!(event["sender"], alice);
    assert_eq!(event["content"]["body"], "Meeting at 19:00");

    // Unauthenticated requests are refused with a JSON error.
    let (status, error) = hs.request("GET", "/_matrix/client/v3/account/whoami", None, None);
    assert_eq!(status, 401, "{error}");
    assert_eq!(error["errcode"], "M_MISSING_TOKEN");

    let stop = Instant::now();
    drop(hs);
    eprintln!(
        "synapse smoke: stopped in {:.1} s; whole test {:.1} s",
        stop.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
