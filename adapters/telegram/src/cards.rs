//! Card updates, coalesced. Every RSVP changes its event's card; fifty
//! presses in a minute would be fifty edits and soon a 429 for the whole
//! group. Updates of one card in one chat are gathered for a moment and
//! only the newest is applied, through the platform's paced messenger (the
//! same budget as every other message). A card that may not be edited yet
//! keeps its newest content and waits.

use muster_core::domain::EventId;
use muster_core::inbound::{Outbound, OutboundKind, Target};
use muster_core::outbox::{Messenger, Paced, SendError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type CardKey = (String, EventId);

pub struct CardEdits {
    paced: Arc<Paced>,
    pending: Mutex<HashMap<CardKey, Outbound>>,
    gather: Duration,
}

impl CardEdits {
    pub fn new(paced: Arc<Paced>, gather: Duration) -> Self {
        CardEdits {
            paced,
            pending: Mutex::new(HashMap::new()),
            gather,
        }
    }

    /// Takes the newest content of a card; the first of a burst starts the
    /// edit that the others join.
    pub fn push(self: &Arc<Self>, card: Outbound) {
        let OutboundKind::CardUpdate(event) = card.kind else {
            return;
        };
        let room = match &card.target {
            Target::Room(room) => room.room_id.clone(),
            Target::Direct { user_id, .. } => user_id.clone(),
        };
        let key = (room, event);
        let first = self.lock().insert(key.clone(), card).is_none();
        if first {
            let edits = self.clone();
            tokio::spawn(async move { edits.apply(key).await });
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CardKey, Outbound>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn apply(&self, key: CardKey) {
        tokio::time::sleep(self.gather).await;
        loop {
            let Some(card) = self.lock().remove(&key) else {
                return;
            };
            match self.paced.send(&card).await {
                Ok(()) => return,
                Err(SendError::Deferred(wait) | SendError::RetryAfter(wait)) => {
                    // Newer content that came meanwhile wins.
                    self.lock().entry(key.clone()).or_insert(card);
                    tokio::time::sleep(wait.max(self.gather)).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot update an event card");
                    return;
                }
            }
        }
    }
}
