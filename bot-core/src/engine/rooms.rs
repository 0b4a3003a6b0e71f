//! What platforms report about rooms, beside commands: the bot removed from
//! a room (kicked, banned, the room gone), and a room replaced by another
//! (a Matrix room upgrade). Either changes where the organisation's
//! messages go, so each is written with an audit entry.

use super::Engine;
use crate::domain::{AuditEntry, RoomRef, SectionId};
use crate::store::{StoreError, Tx};

impl Engine {
    /// The bot is no longer in `room`: the room is unlinked, so nothing
    /// more is sent there. Returns the section it was linked to.
    pub async fn room_gone(&self, room: &RoomRef) -> Result<Option<SectionId>, StoreError> {
        let mut tx = self.store.begin().await?;
        let Some(section) = tx.room_section(room).await? else {
            return Ok(None);
        };
        tx.unlink_room(room).await?;
        let detail = format!("{}:{}", room.platform, room.room_id);
        self.record(&mut tx, room, "room.gone", section, detail)
            .await?;
        tx.commit().await?;
        Ok(Some(section))
    }

    /// `old` was replaced by `new`: the section link moves to `new` (unless
    /// `new` is linked already). Returns the section now linked to `new`.
    pub async fn room_moved(
        &self,
        old: &RoomRef,
        new: &RoomRef,
    ) -> Result<Option<SectionId>, StoreError> {
        let mut tx = self.store.begin().await?;
        let Some(section) = tx.room_section(old).await? else {
            return Ok(None);
        };
        if let Some(linked) = tx.room_section(new).await? {
            return Ok(Some(linked));
        }
        tx.unlink_room(old).await?;
        tx.link_room(new, section).await?;
        let detail = format!("{}:{} -> {}", old.platform, old.room_id, new.room_id);
        self.record(&mut tx, old, "room.moved", section, detail)
            .await?;
        tx.commit().await?;
        Ok(Some(section))
    }

    async fn record(
        &self,
        tx: &mut Box<dyn Tx>,
        room: &RoomRef,
        action: &str,
        section: SectionId,
        detail: String,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            at: self.clock.now_micros(),
            actor: None,
            platform: Some(room.platform),
            section: Some(section),
            action: action.to_string(),
            detail,
        };
        tx.record(&entry).await
    }
}
