//! Taking updates in: from `getUpdates` (polling) or from Telegram's calls
//! to Muster's web server (webhook), one at a time and in order, each
//! answered before the next.

use crate::TelegramMessenger;
use crate::cards::CardEdits;
use crate::render;
use crate::translate::{Incoming, Me, Names, translate};
use muster_core::domain::Identity;
use muster_core::engine::Engine;
use muster_core::inbound::{Inbound, Input, Outbound, OutboundKind, Target};
use muster_core::outbox::Outgoing;
use muster_core::store::StoreError;
use std::sync::Arc;
use std::time::Duration;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::payloads::{AnswerCallbackQuerySetters, GetUpdatesSetters};
use teloxide::prelude::Requester;
use teloxide::types::{AllowedUpdate, CallbackQueryId, Update};

/// How long one `getUpdates` waits for news on Telegram's side.
pub const POLL_SECONDS: u32 = 25;
/// What the bot asks Telegram for.
pub const ALLOWED: [AllowedUpdate; 3] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];

/// Answers updates, one at a time.
pub struct Receiver {
    pub(crate) engine: Arc<Engine>,
    pub(crate) outgoing: Arc<Outgoing>,
    pub(crate) sender: teloxide::Bot,
    pub(crate) messenger: Arc<TelegramMessenger>,
    pub(crate) cards: Arc<CardEdits>,
    pub(crate) me: Me,
    pub(crate) names: std::sync::Mutex<Names>,
    /// Held while an update is answered: updates go in order, one by one,
    /// whichever way they came.
    pub(crate) turn: tokio::sync::Mutex<()>,
    pub(crate) cursor_name: String,
}

impl Receiver {
    /// Polls `getUpdates` from `offset` for ever, moving the saved cursor
    /// past each update once its replies went out.
    pub(crate) async fn poll(self: Arc<Self>, poller: teloxide::Bot, mut offset: i32) {
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

    /// Answers one update. `Err` when the database cannot tell whether it
    /// was answered already: it must come again (a poll re-reads it, a
    /// webhook call is refused so Telegram repeats it).
    pub async fn answer(&self, update: &Update) -> Result<(), StoreError> {
        let _turn = self.turn.lock().await;
        let incoming = {
            let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
            translate(update, &self.me, &mut names)
        };
        match incoming {
            Incoming::Line(inbound) => {
                let replies = self.engine.try_handle(&inbound).await?;
                self.send(&inbound, replies).await;
            }
            Incoming::Press {
                inbound,
                query,
                card,
            } => {
                if let (Some((chat, message)), Input::Gesture(gesture)) = (card, &inbound.input)
                    && let Some(event) = gesture.event()
                {
                    self.messenger.remember_card(chat, event, message);
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
        let sender = Identity {
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
