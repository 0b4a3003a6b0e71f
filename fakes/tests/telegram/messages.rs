//! Sending and editing, and the refusals Telegram answers with.

use crate::client::{fake, started_user};
use muster_fakes::telegram::CommandScope;
use serde_json::json;

fn keyboard(data: &str) -> serde_json::Value {
    json!({"inline_keyboard": [[{"text": "Join", "callback_data": data}]]})
}

#[tokio::test]
async fn send_message_returns_a_full_message_with_increasing_ids() {
    let (fake, api) = fake().await;
    let ada = started_user(&fake, "Ada");
    let first = api
        .call(
            "SendMessage",
            json!({"chat_id": ada, "text": "<b>Rally</b> at 6", "parse_mode": "HTML"}),
        )
        .await;
    let first = first.result().clone();
    assert_eq!(first["text"], "Rally at 6");
    assert_eq!(
        first["entities"],
        json!([{"offset": 0, "length": 5, "type": "bold"}])
    );
    assert_eq!(first["from"]["id"], fake.bot_id());
    assert_eq!(
        first["chat"],
        json!({"id": ada, "first_name": "Ada", "type": "private"})
    );
    assert!(
        first["date"]
            .as_i64()
            .is_some_and(|date| date > 1_700_000_000)
    );
    let second = api
        .call(
            "sendMessage",
            json!({"chat_id": ada.to_string(), "text": "again"}),
        )
        .await;
    assert!(second.result()["message_id"].as_i64() > first["message_id"].as_i64());
    let form = api
        .call_form("sendMessage", &format!("chat_id={ada}&text=from+a+form"))
        .await;
    assert_eq!(form.result()["text"], "from a form");
    assert_eq!(fake.bot_messages(ada).len(), 3);
}

#[tokio::test]
async fn malformed_text_is_refused_like_telegram_does() {
    let (fake, api) = fake().await;
    let ada = started_user(&fake, "Ada");
    let unbalanced = api
        .call(
            "SendMessage",
            json!({"chat_id": ada, "text": "<b>bold", "parse_mode": "HTML"}),
        )
        .await;
    assert_eq!(
        unbalanced.error(400),
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    );
    let long = api
        .call(
            "SendMessage",
            json!({"chat_id": ada, "text": "x".repeat(4097)}),
        )
        .await;
    assert_eq!(long.error(400), "Bad Request: message is too long");
    let blank = api
        .call("SendMessage", json!({"chat_id": ada, "text": "  "}))
        .await;
    assert_eq!(blank.error(400), "Bad Request: message text is empty");
    let nowhere = api
        .call("SendMessage", json!({"chat_id": 42, "text": "hi"}))
        .await;
    assert_eq!(nowhere.error(400), "Bad Request: chat not found");
    let no_chat = api.call("SendMessage", json!({"text": "hi"})).await;
    assert_eq!(no_chat.error(400), "Bad Request: chat_id is empty");
    let text_button = api
        .call("SendMessage", json!({"chat_id": ada, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "x"}]]}}))
        .await;
    assert!(
        text_button
            .error(400)
            .ends_with("Text buttons are unallowed in the inline keyboard")
    );
    assert!(fake.bot_messages(ada).is_empty());
}

#[tokio::test]
async fn edits_replace_text_and_keyboard_and_refuse_no_ops() {
    let (fake, api) = fake().await;
    let ada = started_user(&fake, "Ada");
    let sent = api
        .call(
            "SendMessage",
            json!({"chat_id": ada, "text": "Rally", "reply_markup": keyboard("join:1")}),
        )
        .await;
    let id = sent.result()["message_id"].clone();
    let same = json!({"chat_id": ada, "message_id": id, "text": "Rally", "reply_markup": keyboard("join:1")});
    let refused = api.call("EditMessageText", same).await;
    assert_eq!(
        refused.error(400),
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same \
         as a current content and reply markup of the message"
    );
    // Same text without reply_markup: the keyboard goes, so it is an edit.
    let edited = api
        .call(
            "EditMessageText",
            json!({"chat_id": ada, "message_id": id, "text": "Rally"}),
        )
        .await;
    assert!(edited.result().get("reply_markup").is_none());
    assert!(edited.result()["edit_date"].is_i64());
    let markup = api
        .call(
            "EditMessageReplyMarkup",
            json!({"chat_id": ada, "message_id": id, "reply_markup": keyboard("join:2")}),
        )
        .await;
    assert_eq!(markup.result()["reply_markup"], keyboard("join:2"));
    let message = fake.message(ada, id.as_i64().expect("id")).expect("stored");
    assert_eq!(message.edit_count(), 2);
    assert_eq!(
        message.buttons(),
        [("Join".to_owned(), Some("join:2".to_owned()))]
    );
    assert_eq!(message.history[0].reply_markup, Some(keyboard("join:1")));
    api.call("DeleteMessage", json!({"chat_id": ada, "message_id": id}))
        .await
        .result();
    assert!(
        fake.message(ada, id.as_i64().expect("id"))
            .expect("kept")
            .deleted
    );
    let gone = api
        .call(
            "EditMessageText",
            json!({"chat_id": ada, "message_id": id, "text": "x"}),
        )
        .await;
    assert_eq!(gone.error(400), "Bad Request: message to edit not found");
}

#[tokio::test]
async fn button_presses_must_be_answered_once() {
    let (fake, api) = fake().await;
    let ada = started_user(&fake, "Ada");
    let sent = api
        .call(
            "SendMessage",
            json!({"chat_id": ada, "text": "Rally", "reply_markup": keyboard("join")}),
        )
        .await;
    let message_id = sent.result()["message_id"].as_i64().expect("id");
    let query = fake.press_button(ada, message_id, ada, "join");
    let updates = api.call("GetUpdates", json!({})).await;
    let press = updates
        .result()
        .as_array()
        .and_then(|all| all.last())
        .expect("update")["callback_query"]
        .clone();
    assert_eq!(
        (press["id"].as_str(), press["data"].as_str()),
        (Some(query.as_str()), Some("join"))
    );
    assert_eq!(press["message"]["message_id"], message_id);
    let answer = json!({"callback_query_id": query, "text": "You're in", "show_alert": true});
    api.call("AnswerCallbackQuery", answer.clone())
        .await
        .result();
    let again = api.call("AnswerCallbackQuery", answer).await;
    assert_eq!(
        again.error(400),
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    );
    let unknown = api
        .call("AnswerCallbackQuery", json!({"callback_query_id": "42"}))
        .await;
    unknown.error(400);
    let recorded = fake.callback_answer(&query).expect("answered");
    assert_eq!(
        (recorded.text.as_deref(), recorded.show_alert),
        (Some("You're in"), true)
    );
}

#[tokio::test]
async fn commands_are_kept_per_scope_and_language() {
    let (fake, api) = fake().await;
    let commands = json!([{"command": "link", "description": "Link this room"}]);
    let scoped =
        json!({"commands": commands, "scope": {"type": "all_group_chats"}, "language_code": "fr"});
    api.call("SetMyCommands", scoped).await.result();
    assert_eq!(
        fake.commands(CommandScope::AllGroupChats, "fr")
            .map(|c| c.len()),
        Some(1)
    );
    assert_eq!(fake.commands(CommandScope::Default, ""), None);
    let read = api
        .call(
            "GetMyCommands",
            json!({"scope": {"type": "all_group_chats"}, "language_code": "fr"}),
        )
        .await;
    assert_eq!(read.result(), &commands);
    let invalid = api
        .call(
            "SetMyCommands",
            json!({"commands": [{"command": "Link", "description": "x"}]}),
        )
        .await;
    assert_eq!(invalid.error(400), "Bad Request: BOT_COMMAND_INVALID");
}
