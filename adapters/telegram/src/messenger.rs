//! Sending Muster's messages to Telegram chats, and what Telegram's
//! refusals mean for the outgoing path.

use crate::render::{html_parts, keyboard};
use async_trait::async_trait;
use muster_core::domain::{EventId, Platform};
use muster_core::inbound::{Outbound, OutboundKind, Target};
use muster_core::outbox::{Messenger, SendError};
use std::collections::HashMap;
use std::sync::Mutex;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::payloads::{EditMessageTextSetters, SendMessageSetters};
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, InlineKeyboardMarkup, MessageId, ParseMode};

/// Sends [`Outbound`]s as HTML messages, with the event cards' buttons as
/// inline keyboards, and edits a card in place when its counts change.
pub struct TelegramMessenger {
    bot: teloxide::Bot,
    /// The message showing each event's card in each chat, which updates
    /// edit. Remembered from the cards this process posted and from the
    /// cards members press buttons on; after a restart, an update of a card
    /// nobody pressed since posts it anew.
    cards: Mutex<HashMap<(i64, EventId), MessageId>>,
}

impl TelegramMessenger {
    pub fn new(bot: teloxide::Bot) -> Self {
        TelegramMessenger {
            bot,
            cards: Mutex::new(HashMap::new()),
        }
    }

    /// The card of `event` in `chat` is message `message`.
    pub fn remember_card(&self, chat: i64, event: EventId, message: i32) {
        self.cards
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((chat, event), MessageId(message));
    }

    fn card(&self, chat: i64, event: EventId) -> Option<MessageId> {
        self.cards
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(chat, event))
            .copied()
    }

    /// Posts the message (in parts when it is long, the keyboard under the
    /// last); returns the id of the last part.
    async fn post(
        &self,
        chat: ChatId,
        out: &Outbound,
        direct: bool,
    ) -> Result<MessageId, SendError> {
        let parts = html_parts(out);
        let last = parts.len() - 1;
        let mut id = MessageId(0);
        for (i, part) in parts.into_iter().enumerate() {
            let mut request = self
                .bot
                .send_message(chat, part)
                .parse_mode(ParseMode::Html);
            if i == last
                && let Some(markup) = keyboard(&out.buttons)
            {
                request = request.reply_markup(markup);
            }
            id = request.await.map_err(|e| classify(&e, direct))?.id;
        }
        Ok(id)
    }

    /// Edits the card in place, keeping its keyboard (an edit without one
    /// would remove the buttons). `false` when the card is gone.
    async fn edit(
        &self,
        chat: ChatId,
        message: MessageId,
        out: &Outbound,
    ) -> Result<bool, SendError> {
        let text = html_parts(out).concat();
        let markup = keyboard(&out.buttons)
            .unwrap_or_else(|| InlineKeyboardMarkup::new(Vec::<Vec<_>>::new()));
        let edit = self
            .bot
            .edit_message_text(chat, message, text)
            .parse_mode(ParseMode::Html)
            .reply_markup(markup)
            .await;
        match edit {
            Ok(_) => Ok(true),
            // The counts shown are already the ones to show.
            Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(true),
            Err(RequestError::Api(
                ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
            )) => Ok(false),
            Err(e) => Err(classify(&e, false)),
        }
    }
}

#[async_trait]
impl Messenger for TelegramMessenger {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn send(&self, out: &Outbound) -> Result<(), SendError> {
        let (id, direct) = match &out.target {
            Target::Room(room) => (room.room_id.as_str(), false),
            // A private chat's id is the user's.
            Target::Direct { user_id, .. } => (user_id.as_str(), true),
        };
        let chat = id
            .parse::<i64>()
            .map(ChatId)
            .map_err(|_| SendError::Permanent(format!("`{id}` is not a Telegram chat id")))?;
        match out.kind {
            OutboundKind::CardUpdate(event) => {
                if let Some(message) = self.card(chat.0, event)
                    && self.edit(chat, message, out).await?
                {
                    return Ok(());
                }
                let message = self.post(chat, out, direct).await?;
                self.remember_card(chat.0, event, message.0);
            }
            OutboundKind::EventCard(event) => {
                let message = self.post(chat, out, direct).await?;
                self.remember_card(chat.0, event, message.0);
            }
            OutboundKind::Farewell => {
                self.post(chat, out, direct).await?;
                if let Err(e) = self.bot.leave_chat(chat).await {
                    tracing::warn!(error = %muster_secret::redact(&e.to_string()), "cannot leave an unlinked chat");
                }
            }
            _ => {
                self.post(chat, out, direct).await?;
            }
        }
        Ok(())
    }
}

/// What a refused request means. `direct`: the message was for a member's
/// private chat, where "forbidden" means they cannot be written to.
pub fn classify(e: &RequestError, direct: bool) -> SendError {
    let text = || muster_secret::redact(&e.to_string());
    match e {
        RequestError::RetryAfter(wait) => SendError::RetryAfter(wait.duration()),
        RequestError::MigrateToChatId(to) => SendError::RoomMoved {
            to: to.0.to_string(),
        },
        RequestError::Network(_) | RequestError::InvalidJson { .. } | RequestError::Io(_) => {
            SendError::Transient(text())
        }
        RequestError::Api(api) => match api {
            ApiError::BotBlocked
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots
            | ApiError::UserDeactivated
                if direct =>
            {
                SendError::Unreachable(text())
            }
            ApiError::Unknown(description) => {
                let forbidden = description.starts_with("Forbidden");
                if forbidden && direct {
                    SendError::Unreachable(text())
                } else if forbidden || description.starts_with("Bad Request") {
                    SendError::Permanent(text())
                } else {
                    // "Internal Server Error", "Bad Gateway", "Too Many
                    // Requests" without parameters: passing.
                    SendError::Transient(text())
                }
            }
            // Every other error Telegram names is a refusal of this request.
            _ => SendError::Permanent(text()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_mean_what_telegram_says() {
        let retry = RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(7));
        assert_eq!(
            classify(&retry, false),
            SendError::RetryAfter(std::time::Duration::from_secs(7))
        );
        assert_eq!(
            classify(&RequestError::MigrateToChatId(ChatId(-1009)), false),
            SendError::RoomMoved { to: "-1009".into() }
        );
        let blocked = RequestError::Api(ApiError::BotBlocked);
        assert!(matches!(
            classify(&blocked, true),
            SendError::Unreachable(_)
        ));
        let cant = RequestError::Api(ApiError::Unknown(
            "Forbidden: bot can't initiate conversation with a user".into(),
        ));
        assert!(matches!(classify(&cant, true), SendError::Unreachable(_)));
        let kicked = RequestError::Api(ApiError::Unknown(
            "Forbidden: bot was kicked from the group chat".into(),
        ));
        assert!(matches!(classify(&kicked, false), SendError::Permanent(_)));
        let server = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        assert!(matches!(classify(&server, false), SendError::Transient(_)));
        let bad = RequestError::Api(ApiError::ChatNotFound);
        assert!(matches!(classify(&bad, false), SendError::Permanent(_)));
    }
}
