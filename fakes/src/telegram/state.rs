//! The fake's world: the bot, users, chats with their messages, the queue of
//! updates waiting for `getUpdates`, and the bookkeeping tests read back.
//! Nothing here does I/O; the server and the test handle lock it briefly.

use super::entities::Entity;
use super::error::ApiError;
use super::faults::Faults;
use super::model::{
    BotCommand, BotStatus, CallbackAnswer, ChatAction, ChatKind, CommandScope, Outcome,
    RequestRecord, Revision, User, Webhook,
};
use super::params::ChatRef;
use super::ratelimit::Limiter;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::oneshot;

pub(crate) struct Chat {
    pub id: i64,
    pub kind: ChatKind,
    /// Groups: the title. Private chats: unused (the user's names are shown).
    pub title: String,
    pub username: Option<String>,
    /// Private chats: the user on the other side.
    pub user_id: Option<i64>,
    pub members: BTreeSet<i64>,
    pub admins: BTreeSet<i64>,
    pub bot_status: BotStatus,
    pub migrated_to: Option<i64>,
    pub migrated_from: Option<i64>,
    pub messages: BTreeMap<i64, StoredMessage>,
    pub next_message_id: i64,
}

#[derive(Clone)]
pub(crate) struct StoredMessage {
    pub id: i64,
    pub from: i64,
    pub date: i64,
    pub edit_date: Option<i64>,
    pub text: String,
    pub entities: Vec<Entity>,
    /// Fields of a service message, merged into its JSON.
    pub service: Option<Value>,
    pub reply_markup: Option<Value>,
    pub reply_to: Option<i64>,
    pub parse_mode: Option<String>,
    pub history: Vec<Revision>,
    pub deleted: bool,
    pub sent_at: Instant,
}

pub(crate) struct PendingUpdate {
    pub id: i64,
    pub json: Value,
}

pub(crate) struct CallbackQuery {
    pub chat_id: i64,
    pub issued_at: Instant,
    pub answer: Option<CallbackAnswer>,
}

/// The long poll being served, which a newer one terminates.
#[derive(Default)]
pub(crate) struct Poll {
    pub generation: u64,
    pub pending: Option<(u64, oneshot::Sender<ApiError>)>,
    /// The real server sends at most one 409 per 3 s and delays the others.
    pub next_conflict_at: Option<Instant>,
}

pub(crate) struct State {
    pub token: String,
    pub bot_id: i64,
    pub privacy_mode: bool,
    pub users: BTreeMap<i64, User>,
    pub chats: BTreeMap<i64, Chat>,
    pub updates: VecDeque<PendingUpdate>,
    pub next_update_id: i64,
    pub allowed_updates: Option<Vec<String>>,
    pub webhook: Option<Webhook>,
    pub commands: BTreeMap<(CommandScope, String), Vec<BotCommand>>,
    pub callback_queries: BTreeMap<String, CallbackQuery>,
    pub callback_ttl: Option<std::time::Duration>,
    pub next_callback_id: u64,
    pub chat_actions: Vec<ChatAction>,
    pub limiter: Limiter,
    pub faults: Faults,
    pub requests: Vec<RequestRecord>,
    pub poll: Poll,
    pub next_user_id: i64,
    pub next_group: i64,
}

/// Unix seconds, as in `Message.date`.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

impl State {
    /// The bot's id is the token's number, as with real tokens (`123:ABC…`).
    pub fn new(token: &str, bot_username: &str) -> Self {
        let bot_id = token
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(7_000_000_001);
        let bot = User {
            id: bot_id,
            is_bot: true,
            first_name: bot_username
                .trim_end_matches("Bot")
                .trim_end_matches("bot")
                .to_owned(),
            last_name: None,
            username: Some(bot_username.to_owned()),
            language_code: None,
            started_bot: true,
            blocked_bot: false,
        };
        State {
            token: token.to_owned(),
            bot_id,
            privacy_mode: true,
            users: BTreeMap::from([(bot_id, bot)]),
            chats: BTreeMap::new(),
            updates: VecDeque::new(),
            // Real update ids start anywhere; never at 1.
            next_update_id: 851_000_001,
            allowed_updates: None,
            webhook: None,
            commands: BTreeMap::new(),
            callback_queries: BTreeMap::new(),
            callback_ttl: None,
            next_callback_id: 4_242_000_000_000_000_001,
            chat_actions: Vec::new(),
            limiter: Limiter::default(),
            faults: Faults::default(),
            requests: Vec::new(),
            poll: Poll::default(),
            // Above 2^32, as recent user ids are: catches ids kept in an i32.
            next_user_id: 5_000_000_001,
            next_group: 1,
        }
    }

    pub fn bot(&self) -> &User {
        &self.users[&self.bot_id]
    }

    pub fn bot_username(&self) -> String {
        self.bot().username.clone().unwrap_or_default()
    }

    pub fn resolve(&self, chat: &ChatRef) -> Result<i64, ApiError> {
        let not_found = || ApiError::bad_request("chat not found");
        match chat {
            ChatRef::Id(id) if self.chats.contains_key(id) => Ok(*id),
            ChatRef::Id(_) => Err(not_found()),
            ChatRef::Username(name) => self
                .chats
                .values()
                .find(|chat| {
                    let username = match chat.user_id {
                        Some(user) => self
                            .users
                            .get(&user)
                            .and_then(|user| user.username.as_ref()),
                        None => chat.username.as_ref(),
                    };
                    username.is_some_and(|username| username.eq_ignore_ascii_case(name))
                })
                .map(|chat| chat.id)
                .ok_or_else(not_found),
        }
    }

    pub fn chat(&self, id: i64) -> Result<&Chat, ApiError> {
        self.chats
            .get(&id)
            .ok_or_else(|| ApiError::bad_request("chat not found"))
    }

    pub fn chat_mut(&mut self, id: i64) -> Result<&mut Chat, ApiError> {
        self.chats
            .get_mut(&id)
            .ok_or_else(|| ApiError::bad_request("chat not found"))
    }

    /// May the bot edit in this chat? (A migrated group or a group the bot
    /// is not in refuses, with the real server's words.)
    pub fn check_edit(&self, chat_id: i64) -> Result<&Chat, ApiError> {
        let chat = self.chat(chat_id)?;
        if let Some(to) = chat.migrated_to {
            return Err(ApiError::migrated(to));
        }
        let noun = match chat.kind {
            ChatKind::Private => return Ok(chat),
            ChatKind::Group => "group",
            ChatKind::Supergroup => "supergroup",
        };
        match chat.bot_status {
            BotStatus::Kicked => Err(ApiError::forbidden(format!(
                "bot was kicked from the {noun} chat"
            ))),
            BotStatus::Left => Err(ApiError::forbidden(format!(
                "bot is not a member of the {noun} chat"
            ))),
            BotStatus::Member | BotStatus::Administrator => Ok(chat),
        }
    }

    /// May the bot send here? On top of `check_edit`, a private chat needs a
    /// user who started the bot and did not block it.
    pub fn check_write(&self, chat_id: i64) -> Result<&Chat, ApiError> {
        let chat = self.check_edit(chat_id)?;
        if let Some(user) = chat.user_id.and_then(|id| self.users.get(&id)) {
            if user.blocked_bot {
                return Err(ApiError::forbidden("bot was blocked by the user"));
            }
            if !user.started_bot {
                return Err(ApiError::forbidden(
                    "bot can't initiate conversation with a user",
                ));
            }
        }
        Ok(chat)
    }

    /// Flood control for one message (sent or edited) in `chat_id`.
    pub fn admit(&mut self, chat_id: i64, now: Instant) -> Result<(), ApiError> {
        let is_group = self
            .chats
            .get(&chat_id)
            .is_some_and(|chat| chat.kind != ChatKind::Private);
        self.limiter
            .admit(chat_id, is_group, now)
            .map_err(ApiError::too_many_requests)
    }

    /// Stores a new message and gives it the chat's next id.
    pub fn post(
        &mut self,
        chat_id: i64,
        mut message: StoredMessage,
    ) -> Result<StoredMessage, ApiError> {
        let chat = self.chat_mut(chat_id)?;
        message.id = chat.next_message_id;
        chat.next_message_id += 1;
        chat.messages.insert(message.id, message.clone());
        Ok(message)
    }

    /// Records a request as it arrives; the outcome is filled in later.
    pub fn record(&mut self, method: &str, chat_id: Option<i64>, at: Instant) -> usize {
        let seq = self.requests.len();
        self.requests.push(RequestRecord {
            seq,
            at,
            method: method.to_owned(),
            chat_id,
            outcome: Outcome::Pending,
        });
        seq
    }

    pub fn finish(&mut self, seq: usize, outcome: Outcome) {
        if let Some(record) = self.requests.get_mut(seq) {
            record.outcome = outcome;
        }
    }
}
