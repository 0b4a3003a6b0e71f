//! Reading back what the bot did, waiting for it, and configuring the fake
//! (rate limits, faults, privacy mode).

use super::FakeTelegram;
use super::faults::Fault;
use super::json;
use super::model::{
    BotCommand, BotStatus, CallbackAnswer, ChatAction, ChatMessage, CommandScope, Outcome,
    RequestRecord, Webhook,
};
use super::ratelimit::RateLimits;
use super::state::{State, StoredMessage};
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

/// A `wait_for_*` that ran out of time; says what it was waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitTimeout {
    pub waited_for: String,
    pub timeout: Duration,
}

impl fmt::Display for WaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timed out after {:?} waiting for {}",
            self.timeout, self.waited_for
        )
    }
}

impl std::error::Error for WaitTimeout {}

fn view(state: &State, chat_id: i64, message: &StoredMessage) -> ChatMessage {
    ChatMessage {
        chat_id,
        message_id: message.id,
        from: message.from,
        from_bot: message.from == state.bot_id,
        date: message.date,
        text: message.text.clone(),
        entities: message
            .entities
            .iter()
            .map(|entity| json::entity(state, entity))
            .collect(),
        parse_mode: message.parse_mode.clone(),
        reply_markup: message.reply_markup.clone(),
        reply_to_message_id: message.reply_to,
        service: message.service.clone(),
        history: message.history.clone(),
        deleted: message.deleted,
        sent_at: message.sent_at,
    }
}

impl FakeTelegram {
    pub fn set_rate_limits(&self, limits: RateLimits) {
        self.shared.write(|state| state.limiter.limits = limits);
    }

    pub fn rate_limits(&self) -> RateLimits {
        self.shared.read(|state| state.limiter.limits.clone())
    }

    /// Forgets what was sent so far, so every bucket is full again.
    pub fn reset_rate_limits(&self) {
        self.shared.write(|state| state.limiter.reset());
    }

    /// Telegram's flood wait: every send or edit in the chat is refused with
    /// 429 (and the seconds left) for `duration`, even with limits off.
    pub fn flood_wait(&self, chat_id: i64, duration: Duration) {
        let until = Instant::now() + duration;
        self.shared
            .write(|state| state.limiter.flood_wait(chat_id, until));
    }

    /// Privacy mode (on by default) hides group messages not meant for the bot.
    pub fn set_privacy_mode(&self, on: bool) {
        self.shared.write(|state| state.privacy_mode = on);
    }

    /// Callback queries older than `ttl` can no longer be answered
    /// (Telegram does not document the limit; by default they never expire).
    pub fn set_callback_query_ttl(&self, ttl: Option<Duration>) {
        self.shared.write(|state| state.callback_ttl = ttl);
    }

    pub fn inject_fault(&self, fault: Fault) {
        self.shared.write(|state| state.faults.push(fault));
    }

    pub fn clear_faults(&self) {
        self.shared.write(|state| state.faults.clear());
    }

    /// How many faulted answers are still scripted.
    pub fn faults_remaining(&self) -> u32 {
        self.shared.read(|state| state.faults.remaining())
    }

    /// Every message in the chat, users' and service ones included, by id.
    pub fn messages(&self, chat_id: i64) -> Vec<ChatMessage> {
        self.shared.read(|state| {
            let messages = state.chats.get(&chat_id).map(|chat| chat.messages.values());
            messages
                .into_iter()
                .flatten()
                .map(|message| view(state, chat_id, message))
                .collect()
        })
    }

    /// What the bot sent in the chat (deleted ones too, flagged), by id.
    pub fn bot_messages(&self, chat_id: i64) -> Vec<ChatMessage> {
        self.messages(chat_id)
            .into_iter()
            .filter(|message| message.from_bot)
            .collect()
    }

    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<ChatMessage> {
        self.shared.read(|state| {
            let message = state.chats.get(&chat_id)?.messages.get(&message_id)?;
            Some(view(state, chat_id, message))
        })
    }

    /// The bot's membership of a chat.
    pub fn bot_status(&self, chat_id: i64) -> Option<BotStatus> {
        self.shared
            .read(|state| state.chats.get(&chat_id).map(|chat| chat.bot_status))
    }

    pub fn callback_answer(&self, query_id: &str) -> Option<CallbackAnswer> {
        self.shared
            .read(|state| state.callback_queries.get(query_id)?.answer.clone())
    }

    /// Answers to presses in one chat, in the order of the presses.
    pub fn callback_answers(&self, chat_id: i64) -> Vec<CallbackAnswer> {
        self.shared.read(|state| {
            let queries = state
                .callback_queries
                .values()
                .filter(|query| query.chat_id == chat_id);
            queries.filter_map(|query| query.answer.clone()).collect()
        })
    }

    /// The list `setMyCommands` stored for a scope and language ("" = all).
    pub fn commands(&self, scope: CommandScope, language_code: &str) -> Option<Vec<BotCommand>> {
        self.shared.read(|state| {
            state
                .commands
                .get(&(scope, language_code.to_owned()))
                .cloned()
        })
    }

    pub fn all_commands(&self) -> BTreeMap<(CommandScope, String), Vec<BotCommand>> {
        self.shared.read(|state| state.commands.clone())
    }

    pub fn webhook(&self) -> Option<Webhook> {
        self.shared.read(|state| state.webhook.clone())
    }

    /// The bot's last `allowed_updates` (`None`: never sent).
    pub fn allowed_updates(&self) -> Option<Vec<String>> {
        self.shared.read(|state| state.allowed_updates.clone())
    }

    /// Updates queued and not yet confirmed by an offset.
    pub fn pending_updates(&self) -> usize {
        self.shared.read(|state| state.updates.len())
    }

    pub fn chat_actions(&self) -> Vec<ChatAction> {
        self.shared.read(|state| state.chat_actions.clone())
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.read(|state| state.requests.clone())
    }

    /// Requests of one method, compared case-insensitively.
    pub fn request_count(&self, method: &str) -> usize {
        self.shared.read(|state| {
            state
                .requests
                .iter()
                .filter(|record| record.is(method))
                .count()
        })
    }

    /// Request counts by lowercased method name.
    pub fn requests_per_method(&self) -> BTreeMap<String, usize> {
        self.shared.read(|state| {
            let mut counts = BTreeMap::new();
            for record in &state.requests {
                *counts
                    .entry(record.method.to_ascii_lowercase())
                    .or_default() += 1;
            }
            counts
        })
    }

    /// How many 429s were served, by the limits or by scripted faults.
    pub fn too_many_requests_served(&self) -> usize {
        self.shared.read(|state| {
            let is_429 = |record: &&RequestRecord| {
                matches!(record.outcome, Outcome::Error { code: 429, .. })
            };
            state.requests.iter().filter(is_429).count()
        })
    }

    /// Waits until `probe` returns something, re-checking after every change.
    pub async fn wait_until<R>(
        &self,
        timeout: Duration,
        waited_for: &str,
        mut probe: impl FnMut(&FakeTelegram) -> Option<R>,
    ) -> Result<R, WaitTimeout> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.shared.subscribe();
        loop {
            changes.borrow_and_update();
            if let Some(found) = probe(self) {
                return Ok(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => {
                    return Err(WaitTimeout {
                        waited_for: waited_for.to_owned(),
                        timeout,
                    });
                }
            }
        }
    }

    /// Waits until the bot has sent at least `count` messages in the chat;
    /// returns all it sent there.
    pub async fn wait_for_messages(
        &self,
        chat_id: i64,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<ChatMessage>, WaitTimeout> {
        let what = format!("{count} bot message(s) in chat {chat_id}");
        self.wait_until(timeout, &what, |fake| {
            let sent = fake.bot_messages(chat_id);
            (sent.len() >= count).then_some(sent)
        })
        .await
    }

    /// Waits until `count` requests of `method` have been answered (or hung
    /// or dropped); returns all requests of that method.
    pub async fn wait_for_requests(
        &self,
        method: &str,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<RequestRecord>, WaitTimeout> {
        let what = format!("{count} {method} request(s)");
        self.wait_until(timeout, &what, |fake| {
            let seen: Vec<_> = fake
                .requests()
                .into_iter()
                .filter(|record| record.is(method))
                .collect();
            let done = seen
                .iter()
                .filter(|record| record.outcome != Outcome::Pending)
                .count();
            (done >= count).then_some(seen)
        })
        .await
    }

    /// Waits until the bot has confirmed every queued update.
    pub async fn wait_for_updates_confirmed(&self, timeout: Duration) -> Result<(), WaitTimeout> {
        self.wait_until(timeout, "all updates confirmed", |fake| {
            (fake.pending_updates() == 0).then_some(())
        })
        .await
    }
}
