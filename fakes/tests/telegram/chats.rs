//! Chats: who the bot may write to, migrations, membership and privacy mode.

use crate::client::{fake, started_user};
use muster_fakes::telegram::{BotStatus, ChatKind, Text};
use serde_json::json;

#[tokio::test]
async fn private_chats_refuse_users_who_blocked_or_never_started_the_bot() {
    let (fake, api) = fake().await;
    let stranger = fake.add_user("Stranger");
    let refused = api
        .call("SendMessage", json!({"chat_id": stranger, "text": "hi"}))
        .await;
    assert_eq!(
        refused.error(403),
        "Forbidden: bot can't initiate conversation with a user"
    );
    let ada = started_user(&fake, "Ada");
    fake.block_bot(ada);
    let blocked = api
        .call("SendMessage", json!({"chat_id": ada, "text": "hi"}))
        .await;
    assert_eq!(blocked.error(403), "Forbidden: bot was blocked by the user");
    fake.unblock_bot(ada);
    api.call(
        "SendMessage",
        json!({"chat_id": ada, "text": "welcome back"}),
    )
    .await
    .result();
}

#[tokio::test]
async fn a_migrated_group_points_to_its_supergroup() {
    let (fake, api) = fake().await;
    let ada = fake.add_user("Ada");
    let group = fake.add_group("Paris", &[ada]);
    let supergroup = fake.migrate_to_supergroup(group, ada);
    let refused = api
        .call("SendMessage", json!({"chat_id": group, "text": "hi"}))
        .await;
    assert_eq!(
        refused.error(400),
        "Bad Request: group chat was upgraded to a supergroup chat"
    );
    assert_eq!(
        refused.body["parameters"],
        json!({"migrate_to_chat_id": supergroup})
    );
    let sent = api
        .call("SendMessage", json!({"chat_id": supergroup, "text": "hi"}))
        .await;
    assert_eq!(sent.result()["chat"]["type"], "supergroup");
    assert!(supergroup.to_string().starts_with("-100"));
    let updates = api.call("GetUpdates", json!({})).await;
    let updates = updates.result().as_array().expect("array").clone();
    assert_eq!(updates[0]["message"]["migrate_to_chat_id"], supergroup);
    assert_eq!(updates[0]["message"]["chat"]["id"], group);
    assert_eq!(updates[1]["message"]["migrate_from_chat_id"], group);
    assert_eq!(updates[1]["message"]["chat"]["id"], supergroup);
}

#[tokio::test]
async fn a_kicked_bot_is_told_so_and_hears_of_it() {
    let (fake, api) = fake().await;
    let ada = fake.add_user("Ada");
    let group = fake.add_chat(ChatKind::Group, "Lyon", &[ada], BotStatus::Left);
    fake.add_bot_to_chat(group, ada);
    fake.kick_bot(group, ada);
    let refused = api
        .call("SendMessage", json!({"chat_id": group, "text": "hi"}))
        .await;
    assert_eq!(
        refused.error(403),
        "Forbidden: bot was kicked from the group chat"
    );
    let updates = api.call("GetUpdates", json!({})).await;
    let kinds: Vec<_> = updates
        .result()
        .as_array()
        .expect("array")
        .iter()
        .map(|update| {
            let member = &update["my_chat_member"]["new_chat_member"]["status"];
            member.as_str().map_or_else(
                || "message".to_owned(),
                |status| format!("my_chat_member:{status}"),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        ["my_chat_member:member", "message", "my_chat_member:kicked"]
    );
}

#[tokio::test]
async fn privacy_mode_shows_the_bot_only_what_is_meant_for_it() {
    let (fake, api) = fake().await;
    let ada = fake.add_user("Ada");
    let group = fake.add_supergroup("Paris", &[ada]);
    assert_eq!(fake.send_text(group, ada, "just chatting").update_id, None);
    assert!(
        fake.send_text(group, ada, "/section@MusterBot link paris")
            .update_id
            .is_some()
    );
    assert_eq!(fake.send_text(group, ada, "/help@OtherBot").update_id, None);
    assert!(
        fake.send_text(group, ada, "hey @MusterBot")
            .update_id
            .is_some()
    );
    let updates = api.call("GetUpdates", json!({})).await;
    let command = &updates.result()[0]["message"];
    assert_eq!(
        command["entities"],
        json!([{"offset": 0, "length": 18, "type": "bot_command"}])
    );
    assert_eq!(
        updates.result()[1]["message"]["entities"][0]["type"],
        "mention"
    );
}

#[tokio::test]
async fn public_chats_are_reached_by_username_and_text_mentions_reach_the_bot() {
    let (fake, api) = fake().await;
    let ada = fake.add_user("Ada");
    let room = fake.add_supergroup("Paris", &[ada]);
    fake.set_chat_username(room, "paris_room");
    let sent = api
        .call(
            "SendMessage",
            json!({"chat_id": "@paris_room", "text": "hi"}),
        )
        .await;
    assert_eq!(sent.result()["chat"]["id"], room);
    assert_eq!(fake.requests().last().and_then(|r| r.chat_id), Some(room));
    let mention = Text::new()
        .plain("thanks ")
        .text_mention("Muster", fake.bot_id());
    let injected = fake.send_text(room, ada, mention);
    assert!(injected.update_id.is_some());
    let updates = api.call("GetUpdates", json!({})).await;
    let entity = &updates.result()[0]["message"]["entities"][0];
    assert_eq!(entity["type"], "text_mention");
    assert_eq!(
        (entity["offset"].as_i64(), entity["length"].as_i64()),
        (Some(7), Some(6))
    );
    assert_eq!(entity["user"]["id"], fake.bot_id());
}
