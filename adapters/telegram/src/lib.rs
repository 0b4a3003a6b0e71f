//! The Telegram bot of Muster, on teloxide.
//!
//! [`start`] asks Telegram who the bot is, registers its command menu (in
//! English and French, for private chats and for groups), and polls
//! `getUpdates` from the engine's cursor `telegram:<bot id>`. Each update
//! becomes an [`Inbound`] with the update id as its message id, handled by
//! the engine in order; the cursor moves only past updates whose effects
//! are committed, so a restart or a takeover re-reads the rest and the
//! engine, which records each handled update with its replies, answers
//! every one exactly once. One process polls a token at a time: the caller
//! runs [`start`] under the lease `telegram:<bot id>`.
//!
//! Replies go out through the platform's [`Outgoing`] path; a button's
//! private answer is the button press's own answer (`answerCallbackQuery`),
//! so nothing is posted in the group; card updates are coalesced (a burst of
//! presses makes a few edits). [`TelegramBot::messenger`] is what the outbox
//! dispatcher sends deliveries through. The adapter never touches storage,
//! and the token never reaches a log: teloxide's `Bot` prints it in its
//! `Debug` form, so no `Bot` is ever logged.

mod cards;
mod messenger;
mod render;
mod translate;

pub use messenger::{TelegramMessenger, classify};
pub use translate::{Incoming, Me, Names, translate};

use cards::CardEdits;
use muster_core::domain::Language;
use muster_core::engine::{Engine, command_menu};
use muster_core::inbound::{Inbound, Input, Outbound, OutboundKind, Target};
use muster_core::outbox::{Messenger, Outgoing};
use muster_core::store::StoreError;
use std::sync::Arc;
use std::time::Duration;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::payloads::{AnswerCallbackQuerySetters, GetUpdatesSetters, SetMyCommandsSetters};
use teloxide::prelude::Requester;
use teloxide::types::{AllowedUpdate, BotCommand, BotCommandScope, CallbackQueryId};
use tokio::task::JoinHandle;

/// How long one `getUpdates` waits for news on Telegram's side.
const POLL_SECONDS: u32 = 25;
/// How long a send may take before it counts as failed (and is retried).
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// How long card updates are gathered before the card is edited.
const CARD_COALESCE: Duration = Duration::from_millis(1000);
/// What the bot asks Telegram for.
const ALLOWED: [AllowedUpdate; 3] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];

/// Why the Telegram bot could not start.
#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    #[error("the [telegram] token is not of the form <bot id>:<secret> that BotFather gives")]
    Token,
    #[error("[telegram] api_url `{0}` is not a URL")]
    ApiUrl(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error("Telegram refused the token (getMe: {0}); check [telegram] token")]
    Unauthorized(String),
    #[error("cannot reach Telegram at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("cannot read the Telegram update position: {0}")]
    Cursor(String),
}

/// The bot id of a token (`<bot id>:<secret>`): it names the bot's lease
/// and cursor before anything is asked of Telegram.
pub fn bot_id(token: &str) -> Option<u64> {
    let (id, secret) = token.split_once(':')?;
    (!secret.is_empty()).then_some(())?;
    id.parse().ok()
}

/// A running Telegram bot.
pub struct TelegramBot {
    me: Me,
    messenger: Arc<TelegramMessenger>,
    task: JoinHandle<()>,
}

impl TelegramBot {
    /// What the outbox dispatcher sends Telegram deliveries through.
    pub fn messenger(&self) -> Arc<dyn Messenger> {
        self.messenger.clone()
    }

    /// `@username`.
    pub fn username(&self) -> &str {
        &self.me.username
    }

    /// Ends when the polling loop ends (it only does when stopped).
    pub async fn join(&mut self) {
        let _ = (&mut self.task).await;
    }

    /// Stops polling and answering.
    pub fn shutdown(&self) {
        self.task.abort();
    }
}

impl Drop for TelegramBot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn client(timeout: Duration) -> Result<reqwest::Client, TelegramError> {
    teloxide::net::default_reqwest_settings()
        .timeout(timeout)
        .build()
        .map_err(|e| TelegramError::Client(muster_secret::redact(&e.to_string())))
}

/// Starts the bot: who it is, its command menu, then polling in the
/// background from the saved position.
pub async fn start(
    config: &muster_config::Telegram,
    engine: Arc<Engine>,
    outgoing: Arc<Outgoing>,
) -> Result<TelegramBot, TelegramError> {
    let token = config.token.expose();
    let id = bot_id(token).ok_or(TelegramError::Token)?;
    let url = reqwest::Url::parse(&config.api_url)
        .map_err(|_| TelegramError::ApiUrl(config.api_url.clone()))?;
    // Polls wait POLL_SECONDS on Telegram's side: their client waits longer.
    let poller = teloxide::Bot::with_client(
        token,
        client(Duration::from_secs(u64::from(POLL_SECONDS) + 15))?,
    )
    .set_api_url(url.clone());
    let sender = teloxide::Bot::with_client(token, client(SEND_TIMEOUT)?).set_api_url(url);
    let me = match sender.get_me().await {
        Ok(me) => Me {
            id: me.id.0,
            username: me.username.clone().unwrap_or_default(),
        },
        Err(RequestError::Api(e @ (ApiError::InvalidToken | ApiError::Unknown(_)))) => {
            return Err(TelegramError::Unauthorized(muster_secret::redact(
                &e.to_string(),
            )));
        }
        Err(e) => {
            return Err(TelegramError::Unreachable {
                url: config.api_url.clone(),
                reason: muster_secret::redact(&e.to_string()),
            });
        }
    };
    tracing::info!(bot = %me.username, id, "Telegram bot ready");
    register_menus(&sender, &engine).await;
    let cursor_name = format!("telegram:{id}");
    let offset = engine
        .cursor(&cursor_name)
        .await
        .map_err(|e| TelegramError::Cursor(e.to_string()))?
        .and_then(|c| c.parse::<i32>().ok())
        .unwrap_or(0);
    let messenger = Arc::new(TelegramMessenger::new(sender.clone()));
    let cards = Arc::new(CardEdits::new(outgoing.messenger().clone(), CARD_COALESCE));
    let poll = Poll {
        engine,
        outgoing,
        sender,
        messenger: messenger.clone(),
        cards,
        me: me.clone(),
        names: translate::Names::default(),
        cursor_name,
    };
    let task = tokio::spawn(poll.run(poller, offset));
    Ok(TelegramBot {
        me,
        messenger,
        task,
    })
}

/// The command menus, per language and per kind of chat. A failure is
/// logged: the bot works without a menu.
async fn register_menus(bot: &teloxide::Bot, engine: &Engine) {
    for lang in [Language::En, Language::Fr] {
        for (private, scope) in [
            (true, BotCommandScope::AllPrivateChats),
            (false, BotCommandScope::AllGroupChats),
        ] {
            let commands: Vec<BotCommand> = command_menu(engine.localizer(), lang, private, 256)
                .into_iter()
                .map(|(name, description)| BotCommand::new(name, description))
                .collect();
            let mut request = bot.set_my_commands(commands).scope(scope);
            if lang == Language::Fr {
                request = request.language_code("fr");
            }
            if let Err(e) = request.await {
                tracing::warn!(error = %muster_secret::redact(&e.to_string()), "cannot register the Telegram command menu");
                return;
            }
        }
    }
}

/// The polling loop and what it answers with.
struct Poll {
    engine: Arc<Engine>,
    outgoing: Arc<Outgoing>,
    sender: teloxide::Bot,
    messenger: Arc<TelegramMessenger>,
    cards: Arc<CardEdits>,
    me: Me,
    names: translate::Names,
    cursor_name: String,
}

impl Poll {
    async fn run(mut self, poller: teloxide::Bot, mut offset: i32) {
        let mut failures = 0u32;
        loop {
            let polled = poller
                .get_updates()
                .offset(offset)
                .timeout(POLL_SECONDS)
                .allowed_updates(ALLOWED)
                .await;
            let updates = match polled {
                Ok(updates) => updates,
                Err(e) => {
                    failures += 1;
                    let wait = match &e {
                        RequestError::RetryAfter(wait) => wait.duration(),
                        // Another process polls this token: ours is the one
                        // that holds the lease, so theirs will stop.
                        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => {
                            Duration::from_secs(2)
                        }
                        _ => Duration::from_secs(2u64.pow(failures.min(5))),
                    };
                    tracing::warn!(error = %muster_secret::redact(&e.to_string()), ?wait, "Telegram getUpdates failed; retrying");
                    tokio::time::sleep(wait).await;
                    continue;
                }
            };
            failures = 0;
            for update in &updates {
                if let Err(e) = self.answer(update).await {
                    // Not moving past it: it is read again, and whatever of
                    // it was handled is not answered twice.
                    tracing::warn!(error = %e, update = update.id.0, "cannot handle a Telegram update; reading it again");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    break;
                }
                offset = i32::try_from(update.id.0)
                    .unwrap_or(i32::MAX)
                    .saturating_add(1);
                // Saved after each update's replies went out: Telegram has no
                // idempotency keys, so a takeover re-sends the stored replies
                // of only the update in flight when the holder died.
                if let Err(e) = self
                    .engine
                    .save_cursor(&self.cursor_name, &offset.to_string())
                    .await
                {
                    // Kept in memory: a restart re-reads a little more.
                    tracing::warn!(error = %e, "cannot save the Telegram update position");
                }
            }
        }
    }

    async fn answer(&mut self, update: &teloxide::types::Update) -> Result<(), StoreError> {
        match translate(update, &self.me, &mut self.names) {
            Incoming::Line(inbound) => {
                let replies = self.engine.try_handle(&inbound).await?;
                self.send(&inbound, replies).await;
            }
            Incoming::Press {
                inbound,
                query,
                card,
            } => {
                if let (Some((chat, message)), Input::Gesture(gesture)) = (card, &inbound.input) {
                    self.messenger.remember_card(chat, gesture.event(), message);
                }
                let mut replies = self.engine.try_handle(&inbound).await?;
                // The presser's private answer is the press's own answer.
                let own = replies.iter().position(|out| {
                    matches!(out.kind, OutboundKind::Reply | OutboundKind::Error)
                        && matches!(&out.target, Target::Direct { user_id, .. } if *user_id == inbound.sender)
                });
                let text = own.map(|i| replies.remove(i).text);
                self.answer_press(query, text.as_deref()).await;
                self.send(&inbound, replies).await;
            }
            Incoming::StalePress { query } => self.answer_press(query, None).await,
            Incoming::RoomGone(room) => {
                if self.engine.room_gone(&room).await?.is_some() {
                    tracing::info!(chat = %room.room_id, "removed from a linked chat; unlinked");
                }
            }
            Incoming::RoomMoved { old, new } => {
                if self.engine.room_moved(&old, &new).await?.is_some() {
                    tracing::info!(old = %old.room_id, new = %new.room_id, "group upgraded to a supergroup; its link follows");
                }
            }
            Incoming::Blocked(member) => {
                self.engine.member_unreachable(&member).await?;
            }
            Incoming::Nothing => {}
        }
        Ok(())
    }

    /// Replies out: card updates coalesced, the rest through the outgoing
    /// path. A member whose private answer could not reach them is told so
    /// in the group they asked in.
    async fn send(&self, inbound: &Inbound, replies: Vec<Outbound>) {
        let (cards, rest): (Vec<Outbound>, Vec<Outbound>) = replies
            .into_iter()
            .partition(|out| matches!(out.kind, OutboundKind::CardUpdate(_)));
        for card in cards {
            self.cards.push(card);
        }
        let report = self.outgoing.send_all(rest).await;
        let sender = muster_core::domain::Identity {
            platform: inbound.room.platform,
            user_id: inbound.sender.clone(),
        };
        if !inbound.direct && report.unreachable.contains(&sender) {
            match self.engine.unreachable_notice(&inbound.room, &sender).await {
                Ok(notice) => {
                    self.outgoing.send_all(vec![notice]).await;
                }
                Err(e) => tracing::warn!(error = %e, "cannot tell a member they are unreachable"),
            }
        }
    }

    /// Answers a button press (Telegram shows a spinner until then); with a
    /// text, the member sees it as a short notice.
    async fn answer_press(&self, query: String, text: Option<&str>) {
        let mut request = self.sender.answer_callback_query(CallbackQueryId(query));
        if let Some(text) = text {
            request = request.text(render::callback_text(text));
        }
        if let Err(e) = request.await {
            // A press re-read after a restart has expired: nothing to do.
            tracing::debug!(error = %muster_secret::redact(&e.to_string()), "cannot answer a button press");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_ids_come_from_the_token() {
        assert_eq!(bot_id("123456:ABC-def"), Some(123456));
        assert_eq!(bot_id("123456:"), None);
        assert_eq!(bot_id("abc:def"), None);
        assert_eq!(bot_id("no colon"), None);
    }
}
