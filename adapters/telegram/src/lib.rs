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
mod receive;
mod render;
mod translate;
mod webhook;

pub use messenger::{TelegramMessenger, classify};
pub use receive::Receiver;
pub use translate::{Incoming, Me, Names, translate};
pub use webhook::{SECRET_HEADER, Webhook};

use cards::CardEdits;
use muster_config::TelegramMode;
use muster_core::domain::Language;
use muster_core::engine::{Engine, command_menu};
use muster_core::outbox::{Messenger, Outgoing};
use receive::{ALLOWED, POLL_SECONDS};
use std::sync::Arc;
use std::time::Duration;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::payloads::{SetMyCommandsSetters, SetWebhookSetters};
use teloxide::prelude::Requester;
use teloxide::types::{BotCommand, BotCommandScope};
use tokio::task::JoinHandle;

/// How long a send may take before it counts as failed (and is retried).
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// How long card updates are gathered before the card is edited.
const CARD_COALESCE: Duration = Duration::from_millis(1000);
/// Where Muster's web server takes Telegram's webhook calls.
pub const WEBHOOK_PATH: &str = "/telegram/webhook";

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
    #[error("webhook mode needs [web] public_url, the address Telegram calls")]
    NoPublicUrl,
    #[error("Telegram refused the webhook {url}: {reason}")]
    Webhook { url: String, reason: String },
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
    receiver: Arc<Receiver>,
    /// The polling loop; none in webhook mode, where the web server hands
    /// Telegram's calls to [`TelegramBot::receiver`].
    task: Option<JoinHandle<()>>,
}

impl TelegramBot {
    /// What the outbox dispatcher sends Telegram deliveries through.
    pub fn messenger(&self) -> Arc<dyn Messenger> {
        self.receiver.messenger.clone()
    }

    /// What answers updates (for the webhook).
    pub fn receiver(&self) -> Arc<Receiver> {
        self.receiver.clone()
    }

    pub fn mode(&self) -> TelegramMode {
        match self.task {
            Some(_) => TelegramMode::Polling,
            None => TelegramMode::Webhook,
        }
    }

    /// `@username`.
    pub fn username(&self) -> &str {
        &self.me.username
    }

    /// Ends when the polling loop ends (it only does when stopped).
    pub async fn join(&mut self) {
        if let Some(task) = &mut self.task {
            let _ = task.await;
        }
    }

    /// Stops polling and answering.
    pub fn shutdown(&self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

impl Drop for TelegramBot {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn client(timeout: Duration) -> Result<reqwest::Client, TelegramError> {
    teloxide::net::default_reqwest_settings()
        .timeout(timeout)
        .build()
        .map_err(|e| TelegramError::Client(muster_secret::redact(&e.to_string())))
}

/// Starts the bot: who it is, its command menu, then either polling in the
/// background from the saved position or, in webhook mode, Telegram told to
/// call `<public_url>/telegram/webhook` (with the configured secret).
pub async fn start(
    config: &muster_config::Telegram,
    public_url: Option<&str>,
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
    let cards = Arc::new(CardEdits::new(outgoing.messenger().clone(), CARD_COALESCE));
    let receiver = Arc::new(Receiver {
        engine,
        outgoing,
        messenger: Arc::new(TelegramMessenger::new(sender.clone())),
        sender: sender.clone(),
        cards,
        me: me.clone(),
        names: std::sync::Mutex::new(translate::Names::default()),
        turn: tokio::sync::Mutex::new(()),
        cursor_name,
    });
    let task = match config.mode {
        TelegramMode::Webhook => {
            let base = public_url.ok_or(TelegramError::NoPublicUrl)?;
            let url = format!("{}{WEBHOOK_PATH}", base.trim_end_matches('/'));
            let parsed = reqwest::Url::parse(&url).map_err(|_| TelegramError::Webhook {
                url: url.clone(),
                reason: "not a URL".into(),
            })?;
            let mut request = sender
                .set_webhook(parsed)
                .allowed_updates(ALLOWED)
                // One call at a time: updates are answered in order.
                .max_connections(1);
            if let Some(secret) = &config.webhook_secret {
                request = request.secret_token(secret.expose().to_string());
            }
            request.await.map_err(|e| TelegramError::Webhook {
                url: url.clone(),
                reason: muster_secret::redact(&e.to_string()),
            })?;
            tracing::info!(%url, "Telegram calls the webhook");
            None
        }
        TelegramMode::Polling => {
            // getUpdates is refused while a webhook is set (from an earlier
            // configuration).
            if let Err(e) = sender.delete_webhook().await {
                tracing::warn!(error = %muster_secret::redact(&e.to_string()), "cannot remove a Telegram webhook");
            }
            Some(tokio::spawn(receiver.clone().poll(poller, offset)))
        }
    };
    Ok(TelegramBot { me, receiver, task })
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
