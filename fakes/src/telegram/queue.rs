//! The queue of updates waiting for `getUpdates`: what is queued, and what
//! an offset confirms.

use super::state::{PendingUpdate, State};
use serde_json::{Value, json};

/// Update types delivered when the bot never chose (or sent an empty list):
/// everything but these three, as the Bot API documents.
const OPT_IN_UPDATES: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

impl State {
    pub fn update_allowed(&self, kind: &str) -> bool {
        match &self.allowed_updates {
            Some(list) if !list.is_empty() => list.iter().any(|allowed| allowed == kind),
            _ => !OPT_IN_UPDATES.contains(&kind),
        }
    }

    /// Queues `{"update_id": …, kind: payload}` unless the bot opted out of
    /// this kind (Telegram filters when the update is made, not when read).
    pub fn push_update(&mut self, kind: &str, payload: Value) -> Option<i64> {
        if !self.update_allowed(kind) {
            return None;
        }
        let id = self.next_update_id;
        self.next_update_id += 1;
        let mut json = json!({ "update_id": id });
        json[kind] = payload;
        self.updates.push_back(PendingUpdate { id, json });
        Some(id)
    }

    /// `getUpdates`' offset: a positive one confirms (forgets) every update
    /// below it; a negative one keeps only the last `-offset` updates.
    pub fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            while self
                .updates
                .front()
                .is_some_and(|update| update.id < offset)
            {
                self.updates.pop_front();
            }
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            while self.updates.len() > keep {
                self.updates.pop_front();
            }
        }
    }

    pub fn peek_updates(&self, limit: usize) -> Vec<Value> {
        self.updates
            .iter()
            .take(limit)
            .map(|update| update.json.clone())
            .collect()
    }
}
