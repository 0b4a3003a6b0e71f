//! The Matrix bot in an end-to-end encrypted room: a member on a real
//! matrix-sdk client (her own device and keys) creates an encrypted room
//! and talks to the real `muster` binary through a real Synapse. The bot
//! reads her encrypted commands, answers encrypted, takes an encrypted
//! reaction on its card as an RSVP and edits the card, and a reminder
//! arrives on time, encrypted too. Outside CI, a machine that cannot
//! install Synapse skips with `SKIPPED:`.

use crate::matrix;
use crate::muster_bin;
use crate::synapse;

use matrix::write_config;
use matrix_sdk::Client;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::deserialized_responses::EncryptionInfo;
use matrix_sdk::ruma::api::client::room::Visibility;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::message::{
    OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};
use muster_bin::{Muster, READY_WAIT};
use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use synapse::{Synapse, encode};

/// A message ana's client saw from the bot.
#[derive(Debug, Clone)]
struct Seen {
    id: OwnedEventId,
    body: String,
    encrypted: bool,
}

/// Waits (polling what ana's client has decrypted) for a bot message whose
/// body contains every one of `expect`.
fn wait_seen(seen: &Mutex<Vec<Seen>>, expect: &[&str], limit: Duration) -> Seen {
    let started = Instant::now();
    loop {
        if let Some(found) = seen
            .lock()
            .unwrap()
            .iter()
            .find(|s| expect.iter().all(|e| s.body.contains(e)))
        {
            return found.clone();
        }
        assert!(
            started.elapsed() < limit,
            "the bot never said {expect:?}; ana's client saw:\n{:#?}",
            seen.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_bot_answers_reacts_and_reminds_in_an_encrypted_room() {
    let _serial = crate::serial::one_at_a_time();
    let started = Instant::now();
    let Some(hs) = Synapse::start_or_skip() else {
        return;
    };
    let bot_id = hs.register("muster", "muster-password");
    hs.register("ana", "ana-password");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = write_config(dir.path(), &hs, &bot_id, None, "");
    let log = dir.path().join("muster.log");
    let bot = Muster::start_matrix(&config, &log, &[]);

    let rt = tokio::runtime::Runtime::new().unwrap();
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let bot_user: OwnedUserId = bot_id.parse().unwrap();
    // Ana's own client: her device, her keys, syncing in the background.
    let (ana, room) = rt.block_on(async {
        let ana = Client::builder()
            .homeserver_url(&hs.url)
            .sqlite_store(dir.path().join("ana-store"), None)
            .build()
            .await
            .expect("ana's client");
        ana.matrix_auth()
            .login_username("ana", "ana-password")
            .initial_device_display_name("ana's phone")
            .send()
            .await
            .expect("ana logs in");
        ana.sync_once(SyncSettings::default())
            .await
            .expect("first sync");
        let seen = seen.clone();
        let sender = bot_user.clone();
        ana.add_event_handler(
            move |ev: OriginalSyncRoomMessageEvent, info: Option<EncryptionInfo>| {
                let seen = seen.clone();
                let sender = sender.clone();
                async move {
                    if ev.sender == sender {
                        seen.lock().unwrap().push(Seen {
                            id: ev.event_id.clone(),
                            body: ev.content.body().to_string(),
                            encrypted: info.is_some(),
                        });
                    }
                }
            },
        );
        let mut request = CreateRoom::new();
        request.name = Some("Paris (encrypted)".into());
        request.preset = Some(RoomPreset::PrivateChat);
        request.visibility = Visibility::Private;
        request.invite = vec![bot_user.clone()];
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any(),
        ];
        let room = ana.create_room(request).await.expect("create the room");
        let syncing = ana.clone();
        tokio::spawn(async move {
            let _ = syncing.sync(SyncSettings::default()).await;
        });
        (ana, room)
    });
    // The bot joins; ana's client must see it before encrypting for it.
    let started_join = Instant::now();
    loop {
        let joined = rt.block_on(async {
            matches!(
                room.get_member_no_sync(&bot_user).await,
                Ok(Some(m)) if *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
            )
        });
        if joined {
            break;
        }
        assert!(started_join.elapsed() < READY_WAIT, "the bot never joined");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        rt.block_on(room.latest_encryption_state())
            .unwrap()
            .is_encrypted()
    );

    let say = |text: &str| {
        rt.block_on(
            room.send(RoomMessageEventContent::text_plain(text))
                .into_future(),
        )
        .expect("send an encrypted message");
    };
    say(r#"!section new paris "Paris""#);
    let created = wait_seen(&seen, &["Section Paris created"], READY_WAIT);
    assert!(created.encrypted, "the bot answered in the clear");
    say("!section link paris");
    wait_seen(&seen, &["now linked to Paris"], READY_WAIT);
    say("!settings reminders 1m");
    wait_seen(&seen, &["reminders is now 1m"], READY_WAIT);

    // An event starting at the first whole minute 75 s or more from now:
    // its 1-minute reminder is due in 15 to 75 s.
    let now: i64 = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let start = chrono::DateTime::from_timestamp((now + 75 + 59) / 60 * 60, 0).unwrap();
    say(&format!(
        "!event new \"Night walk\" {} cap 5",
        start.format("%Y-%m-%d %H:%M")
    ));
    let card = wait_seen(&seen, &["Night walk", "0 going"], READY_WAIT);
    assert!(card.encrypted);

    // An encrypted reaction is an RSVP; the card is edited (encrypted).
    rt.block_on(
        room.send(ReactionEventContent::new(Annotation::new(
            card.id.clone(),
            "✅".to_string(),
        )))
        .into_future(),
    )
    .expect("react");
    let edit = wait_seen(&seen, &["* ", "Night walk", "✅ 1 going"], READY_WAIT);
    assert!(edit.encrypted);

    let reminder = wait_seen(&seen, &["Reminder", "Night walk"], Duration::from_secs(200));
    assert!(reminder.encrypted);
    let reminded_at = started.elapsed();

    // Nothing the bot sent here was in the clear.
    let path = format!(
        "/_matrix/client/v3/rooms/{}/messages?dir=b&limit=100",
        encode(room.room_id().as_str())
    );
    let token = ana.access_token().expect("ana's token");
    let page = hs.expect_ok("GET", &path, Some(&token), None);
    let clear: Vec<&serde_json::Value> = page["chunk"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["sender"] == bot_id.as_str() && e["type"] == "m.room.message")
        .collect();
    assert!(clear.is_empty(), "sent in the clear: {clear:#?}");
    bot.stop();
    // The clients' stores close on the runtime.
    rt.block_on(async move {
        drop(room);
        drop(ana);
    });
    drop(rt);
    eprintln!(
        "matrix encrypted: reminder after {:.1} s; whole test {:.1} s",
        reminded_at.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
