//! What users write and press, and which of it reaches the bot.

use super::expect_chat;
use crate::telegram::FakeTelegram;
use crate::telegram::entities::{self, Entity};
use crate::telegram::json;
use crate::telegram::model::ChatKind;
use crate::telegram::state::{CallbackQuery, Chat, State, StoredMessage, unix_now};
use serde_json::{Value, json};
use std::time::Instant;

/// What a user writes: text plus the entities their client attaches.
/// Commands, `@mentions`, hashtags and links are found automatically, as
/// Telegram does; a `text_mention` (a user without a username) must be built.
#[derive(Debug, Clone, Default)]
pub struct Text {
    text: String,
    entities: Vec<Entity>,
}

impl Text {
    pub fn new() -> Self {
        Text::default()
    }

    pub fn plain(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// `label` linked to the user, like picking a member without a username.
    pub fn text_mention(mut self, label: &str, user_id: i64) -> Self {
        let mut entity = Entity::new(
            "text_mention",
            entities::utf16_len(&self.text),
            entities::utf16_len(label),
        );
        entity.user_id = Some(user_id);
        self.entities.push(entity);
        self.text.push_str(label);
        self
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::new().plain(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text {
            text,
            entities: Vec::new(),
        }
    }
}

/// A message a user wrote: its id in the chat, and the update that carries
/// it to the bot (`None` when the bot does not get it: privacy mode, not in
/// the group, or `allowed_updates` excludes messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Injected {
    pub message_id: i64,
    pub update_id: Option<i64>,
}

/// Posts a message from a user (or a service message) and queues it for
/// the bot if the bot would receive it.
pub(super) fn post_from(
    state: &mut State,
    chat_id: i64,
    from: i64,
    text: Text,
    service: Option<Value>,
    reply_to: Option<i64>,
) -> Injected {
    let (found, text) = if service.is_some() {
        (Vec::new(), String::new())
    } else {
        let mut found = text.entities;
        found.extend(entities::detect(&text.text, &found));
        found.sort_by_key(|entity| (entity.offset, std::cmp::Reverse(entity.length)));
        (found, text.text)
    };
    let message = StoredMessage {
        id: 0,
        from,
        date: unix_now(),
        edit_date: None,
        text,
        entities: found,
        service,
        reply_markup: None,
        reply_to,
        parse_mode: None,
        history: Vec::new(),
        deleted: false,
        sent_at: Instant::now(),
    };
    let message = match state.post(chat_id, message) {
        Ok(message) => message,
        Err(error) => panic!("cannot post in chat {chat_id}: {}", error.description),
    };
    let chat = expect_chat(state, chat_id);
    let update_id = bot_receives(state, chat, &message)
        .then(|| json::message(state, chat, &message))
        .and_then(|payload| state.push_update("message", payload));
    Injected {
        message_id: message.id,
        update_id,
    }
}

/// Privacy mode (on by default): in groups the bot gets only commands (for
/// it or for no bot in particular), mentions of it, replies to it and
/// service messages. In private chats it gets everything.
fn bot_receives(state: &State, chat: &Chat, message: &StoredMessage) -> bool {
    if chat.kind == ChatKind::Private {
        return true;
    }
    if !chat.bot_status.is_present() {
        return false;
    }
    if message.service.is_some() || !state.privacy_mode {
        return true;
    }
    let username = state.bot_username();
    let utf16: Vec<u16> = message.text.encode_utf16().collect();
    let piece = |entity: &Entity| {
        String::from_utf16_lossy(&utf16[entity.offset..entity.offset + entity.length])
    };
    let addressed = message.entities.iter().any(|entity| match entity.kind {
        "bot_command" => piece(entity)
            .split_once('@')
            .is_none_or(|(_, bot)| bot.eq_ignore_ascii_case(&username)),
        "mention" => piece(entity)
            .trim_start_matches('@')
            .eq_ignore_ascii_case(&username),
        "text_mention" => entity.user_id == Some(state.bot_id),
        _ => false,
    });
    let replies_to_bot = message
        .reply_to
        .and_then(|id| chat.messages.get(&id))
        .is_some_and(|replied| replied.from == state.bot_id);
    addressed || replies_to_bot
}

impl FakeTelegram {
    /// The user presses Start: the conversation opens and "/start" arrives.
    pub fn start_bot(&self, user_id: i64) -> Injected {
        self.send_text(user_id, user_id, "/start")
    }

    /// `from` writes `text` in the chat (a private chat's id is the user's).
    pub fn send_text(&self, chat_id: i64, from: i64, text: impl Into<Text>) -> Injected {
        self.write_message(chat_id, from, text.into(), None)
    }

    /// `from` replies to message `reply_to` in the chat.
    pub fn reply_text(
        &self,
        chat_id: i64,
        from: i64,
        reply_to: i64,
        text: impl Into<Text>,
    ) -> Injected {
        self.write_message(chat_id, from, text.into(), Some(reply_to))
    }

    fn write_message(
        &self,
        chat_id: i64,
        from: i64,
        text: Text,
        reply_to: Option<i64>,
    ) -> Injected {
        self.shared.write(|state| {
            let chat = expect_chat(state, chat_id);
            match chat.kind {
                ChatKind::Private => {
                    assert_eq!(
                        chat.user_id,
                        Some(from),
                        "only {chat_id} writes in their private chat"
                    );
                    let user = state
                        .users
                        .get_mut(&from)
                        .unwrap_or_else(|| panic!("no user {from}"));
                    assert!(
                        !user.blocked_bot,
                        "user {from} blocked the bot: unblock_bot first"
                    );
                    // Writing to a bot opens the conversation.
                    user.started_bot = true;
                }
                _ => assert!(
                    chat.members.contains(&from),
                    "user {from} is not a member of chat {chat_id}"
                ),
            }
            post_from(state, chat_id, from, text, None, reply_to)
        })
    }

    /// `from` presses the inline button with `data` under the bot's message.
    /// Returns the callback query's id, which the bot must answer.
    pub fn press_button(&self, chat_id: i64, message_id: i64, from: i64, data: &str) -> String {
        self.shared.write(|state| {
            let chat = expect_chat(state, chat_id);
            let message = chat
                .messages
                .get(&message_id)
                .filter(|message| !message.deleted);
            let message =
                message.unwrap_or_else(|| panic!("no message {message_id} in chat {chat_id}"));
            let has_button = message
                .reply_markup
                .as_ref()
                .and_then(|markup| markup.get("inline_keyboard"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_array)
                .flatten()
                .any(|button| button.get("callback_data").and_then(Value::as_str) == Some(data));
            assert!(
                has_button,
                "message {message_id} in chat {chat_id} has no button with data {data:?}"
            );
            let id = state.next_callback_id.to_string();
            let payload = json!({
                "id": id,
                "from": json::user(state, from),
                "message": json::message(state, chat, message),
                // Stable per chat, as Telegram's is.
                "chat_instance": (chat_id.unsigned_abs() ^ 0x5eed_5eed_5eed).to_string(),
                "data": data,
            });
            state.next_callback_id += 1;
            state.callback_queries.insert(
                id.clone(),
                CallbackQuery {
                    chat_id,
                    issued_at: Instant::now(),
                    answer: None,
                },
            );
            state.push_update("callback_query", payload);
            id
        })
    }
}
