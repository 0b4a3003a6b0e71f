//! What a test can read back: users, the messages in a chat, callback
//! answers, commands, and the log of every request. All are snapshots.

use serde_json::Value;
use std::time::Instant;

/// A Telegram account the fake knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub is_bot: bool,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
    /// Has opened the private chat with the bot (pressed Start or written).
    pub started_bot: bool,
    pub blocked_bot: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Private => "private",
            ChatKind::Group => "group",
            ChatKind::Supergroup => "supergroup",
        }
    }
}

/// The bot's membership of a group (`ChatMember.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotStatus {
    Member,
    Administrator,
    /// Removed, or left by itself (`leaveChat`).
    Left,
    /// Banned: it cannot be added back until unbanned.
    Kicked,
}

impl BotStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BotStatus::Member => "member",
            BotStatus::Administrator => "administrator",
            BotStatus::Left => "left",
            BotStatus::Kicked => "kicked",
        }
    }

    pub fn is_present(self) -> bool {
        matches!(self, BotStatus::Member | BotStatus::Administrator)
    }
}

/// An earlier version of a message, before an edit replaced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub text: String,
    pub reply_markup: Option<Value>,
    /// When the edit that replaced it arrived.
    pub replaced_at: Instant,
}

/// A message as the chat shows it now, with its past.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    pub chat_id: i64,
    pub message_id: i64,
    /// The sender's user id (the bot's own id for what the bot sent).
    pub from: i64,
    pub from_bot: bool,
    pub date: i64,
    pub text: String,
    /// The `MessageEntity` objects, as the API returns them.
    pub entities: Vec<Value>,
    /// `parse_mode` the bot sent (the text above is already parsed).
    pub parse_mode: Option<String>,
    /// The inline keyboard, `{"inline_keyboard": [[…]]}`, if any.
    pub reply_markup: Option<Value>,
    pub reply_to_message_id: Option<i64>,
    /// Service content (`migrate_to_chat_id`, `new_chat_members`…), if any.
    pub service: Option<Value>,
    /// Earlier versions, oldest first.
    pub history: Vec<Revision>,
    pub deleted: bool,
    pub sent_at: Instant,
}

impl ChatMessage {
    pub fn edit_count(&self) -> usize {
        self.history.len()
    }

    /// `(text, callback_data)` of every inline button, row by row; url and
    /// other buttons have no callback data.
    pub fn buttons(&self) -> Vec<(String, Option<String>)> {
        let rows = self
            .reply_markup
            .as_ref()
            .and_then(|markup| markup.get("inline_keyboard"))
            .and_then(Value::as_array);
        rows.into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|button| {
                let text = button
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let data = button.get("callback_data").and_then(Value::as_str);
                (text.to_owned(), data.map(str::to_owned))
            })
            .collect()
    }
}

/// What the bot answered to a button press.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackAnswer {
    pub query_id: String,
    pub text: Option<String>,
    pub show_alert: bool,
    pub url: Option<String>,
    pub at: Instant,
}

/// `BotCommandScope`, the key under which `setMyCommands` stores a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommandScope {
    Default,
    AllPrivateChats,
    AllGroupChats,
    AllChatAdministrators,
    Chat(i64),
    ChatAdministrators(i64),
    ChatMember { chat_id: i64, user_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotCommand {
    pub command: String,
    pub description: String,
}

/// `setWebhook`'s arguments, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
}

/// A `sendChatAction` ("typing"…).
#[derive(Debug, Clone, PartialEq)]
pub struct ChatAction {
    pub chat_id: i64,
    pub action: String,
    pub at: Instant,
}

/// How the fake answered a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Still being served (a long poll, a hang).
    Pending,
    Ok,
    Error {
        code: u16,
        description: String,
        retry_after: Option<u32>,
    },
    /// Answered by a scripted hang: no answer will come.
    Hung,
    /// Answered by resetting the connection.
    Dropped,
}

/// One HTTP request to the fake, in arrival order.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub seq: usize,
    pub at: Instant,
    /// The method as the client spelled it (`SendMessage`, `sendMessage`).
    pub method: String,
    /// `chat_id`, resolved if it was an `@username`.
    pub chat_id: Option<i64>,
    pub outcome: Outcome,
}

impl RequestRecord {
    /// Whether this is a call of `method`, compared case-insensitively.
    pub fn is(&self, method: &str) -> bool {
        self.method.eq_ignore_ascii_case(method)
    }

    /// The HTTP status served, once there is one.
    pub fn status(&self) -> Option<u16> {
        match &self.outcome {
            Outcome::Ok => Some(200),
            Outcome::Error { code, .. } => Some(*code),
            Outcome::Pending | Outcome::Hung | Outcome::Dropped => None,
        }
    }
}
