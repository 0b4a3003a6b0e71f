//! Sending Muster's messages to Matrix rooms and direct rooms.

use crate::cards::{Book, card_content, edit_content};
use crate::translate::render;
use async_trait::async_trait;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::{OwnedRoomId, OwnedTransactionId, OwnedUserId, RoomId, UserId};
use matrix_sdk::{Client, Room, RoomState};
use muster_core::domain::Platform;
use muster_core::inbound::{Outbound, OutboundKind, Target};
use muster_core::outbox::{Messenger, SendError};
use std::collections::HashMap;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// Waited when the server says "too many requests" without saying how long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(5);

/// Sends [`Outbound`]s as `m.notice` through the bot's client.
pub struct MatrixMessenger {
    client: Client,
    /// Direct rooms found or created, by user: one per user, reused. Also
    /// serialises their creation, so two messages never make two rooms.
    direct_rooms: Mutex<HashMap<OwnedUserId, OwnedRoomId>>,
}

impl MatrixMessenger {
    pub fn new(client: Client) -> Self {
        MatrixMessenger {
            client,
            direct_rooms: Mutex::new(HashMap::new()),
        }
    }

    /// Sends one message; the transaction id comes from its idempotency key
    /// when it has one.
    pub async fn send_message(&self, out: &Outbound) -> Result<(), SendError> {
        let room = match &out.target {
            Target::Room(room) => self.joined_room(&room.room_id)?,
            Target::Direct { user_id, .. } => self.direct_room(user_id).await?,
        };
        let (plain, html) = render(out);
        if let OutboundKind::EventCard(event) | OutboundKind::CardUpdate(event) = out.kind {
            let update = matches!(out.kind, OutboundKind::CardUpdate(_));
            return self
                .send_card(&room, out, event.0, update, &plain, &html)
                .await;
        }
        let content = RoomMessageEventContent::notice_html(plain, html);
        let send = room.send(content);
        let send = match &out.idempotency_key {
            Some(key) => send.with_transaction_id(transaction_id(key)),
            None => send,
        };
        send.await.map_err(|e| classify(&e))?;
        if out.kind == OutboundKind::Farewell {
            // Unlinked: the bot has nothing more to do here.
            if let Err(e) = room.leave().await {
                tracing::warn!(room = %room.room_id(), error = %e, "cannot leave an unlinked room");
            }
        }
        Ok(())
    }

    /// A card: an update edits the card already in the room; a new card
    /// carries its event number, and becomes the one later updates edit.
    async fn send_card(
        &self,
        room: &Room,
        out: &Outbound,
        event: i64,
        update: bool,
        plain: &str,
        html: &str,
    ) -> Result<(), SendError> {
        let book = Book::new(&self.client);
        let shown = match update {
            true => book.card(room.room_id(), event).await,
            false => None,
        };
        let content = match &shown {
            Some(card) => edit_content(card, event, plain, html),
            None => card_content(event, plain, html),
        };
        let send = room.send_raw("m.room.message", content);
        let send = match &out.idempotency_key {
            Some(key) => send.with_transaction_id(&transaction_id(key)),
            None => send,
        };
        let sent = send.await.map_err(|e| classify(&e))?;
        if shown.is_none() {
            book.set_card(room.room_id(), event, &sent.response.event_id)
                .await;
        }
        Ok(())
    }

    fn joined_room(&self, room_id: &str) -> Result<Room, SendError> {
        let id = <&RoomId>::try_from(room_id)
            .map_err(|_| SendError::Permanent(format!("`{room_id}` is not a Matrix room id")))?;
        match self.client.get_room(id) {
            Some(room) if room.state() == RoomState::Joined => Ok(room),
            Some(_) => Err(SendError::Permanent(format!(
                "the bot is no longer in {room_id}"
            ))),
            // Unknown to this client yet: a process that took the bot over
            // learns of rooms joined meanwhile from its next syncs. Tried
            // again later rather than dropped.
            None => Err(SendError::Transient(format!(
                "{room_id} is not known to this client yet"
            ))),
        }
    }

    /// The direct room with `user_id`: remembered, else one the account data
    /// (`m.direct`) names, else a new one (encrypted, `is_direct`).
    async fn direct_room(&self, user_id: &str) -> Result<Room, SendError> {
        let user = <&UserId>::try_from(user_id)
            .map_err(|_| SendError::Permanent(format!("`{user_id}` is not a Matrix user id")))?;
        let mut rooms = self.direct_rooms.lock().await;
        if let Some(room) = rooms
            .get(user)
            .and_then(|id| self.client.get_room(id))
            .filter(|r| r.state() == RoomState::Joined)
        {
            return Ok(room);
        }
        let room = match self.client.get_dm_room(user) {
            Some(room) => room,
            None => {
                let room = self
                    .client
                    .create_dm(user)
                    .await
                    .map_err(|e| classify(&e))?;
                tracing::info!(%user, room = %room.room_id(), "direct room created");
                room
            }
        };
        rooms.insert(user.to_owned(), room.room_id().to_owned());
        Ok(room)
    }
}

#[async_trait]
impl Messenger for MatrixMessenger {
    fn platform(&self) -> Platform {
        Platform::Matrix
    }

    async fn send(&self, message: &Outbound) -> Result<(), SendError> {
        self.send_message(message).await
    }
}

/// The Matrix transaction id for an idempotency key: the same key always
/// gives the same id, and the server answers a repeated id with the event
/// it already has (per device: the restored session keeps the device).
pub fn transaction_id(key: &str) -> OwnedTransactionId {
    OwnedTransactionId::from(format!("muster-{key}"))
}

/// What a failed send means for the outbox.
fn classify(e: &matrix_sdk::Error) -> SendError {
    if let Some(api) = e.as_client_api_error() {
        let status = api.status_code.as_u16();
        return match api.error_kind() {
            Some(ErrorKind::LimitExceeded(data)) => {
                SendError::RetryAfter(retry_after(data.retry_after.as_ref()))
            }
            _ if status == 429 => SendError::RetryAfter(DEFAULT_RETRY_AFTER),
            _ if status >= 500 => SendError::Transient(e.to_string()),
            Some(ErrorKind::Forbidden | ErrorKind::NotFound) => SendError::Permanent(e.to_string()),
            _ if (400..500).contains(&status) => SendError::Permanent(e.to_string()),
            _ => SendError::Transient(e.to_string()),
        };
    }
    match e {
        matrix_sdk::Error::Http(_) | matrix_sdk::Error::Timeout => {
            SendError::Transient(e.to_string())
        }
        // Encryption, store and other local failures may pass.
        _ => SendError::Transient(e.to_string()),
    }
}

fn retry_after(retry_after: Option<&RetryAfter>) -> Duration {
    match retry_after {
        Some(RetryAfter::Delay(d)) => *d,
        Some(RetryAfter::DateTime(at)) => at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::from_secs(1)),
        None => DEFAULT_RETRY_AFTER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_ids_follow_the_key() {
        assert_eq!(transaction_id("ann:4:!r").as_str(), "muster-ann:4:!r");
        assert_eq!(transaction_id("k"), transaction_id("k"));
        assert_ne!(transaction_id("k1"), transaction_id("k2"));
    }

    #[test]
    fn retry_after_reads_both_forms() {
        assert_eq!(
            retry_after(Some(&RetryAfter::Delay(Duration::from_millis(1500)))),
            Duration::from_millis(1500)
        );
        assert_eq!(retry_after(None), DEFAULT_RETRY_AFTER);
        let later = SystemTime::now() + Duration::from_secs(60);
        assert!(retry_after(Some(&RetryAfter::DateTime(later))) > Duration::from_secs(50));
    }
}
