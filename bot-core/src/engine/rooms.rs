//! What platforms report about rooms, beside commands: the bot removed from
//! a room (kicked, banned, the room gone), and a room replaced by another
//! (a Matrix room upgrade). Either changes where the organisation's
//! messages go, so each is written with an audit entry.

use super::Engine;
use crate::domain::{AuditEntry, Identity, RoomRef, SectionId};
use crate::inbound::{Outbound, OutboundKind, Target};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Utc};

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
        record(
            tx.as_mut(),
            self.clock.now_micros(),
            room,
            "room.gone",
            section,
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(section))
    }

    /// `old` was replaced by `new` (a Matrix room upgrade, a Telegram group
    /// become a supergroup): the section link and the deliveries still
    /// waiting for `old` move to `new` (unless `new` is linked already).
    /// Returns the section now linked to `new`.
    pub async fn room_moved(
        &self,
        old: &RoomRef,
        new: &RoomRef,
    ) -> Result<Option<SectionId>, StoreError> {
        let mut tx = self.store.begin().await?;
        let section = follow_room(tx.as_mut(), old, new, self.clock.now_micros()).await?;
        tx.commit().await?;
        Ok(section)
    }

    /// A member the platform will not let the bot write to (blocked it,
    /// never started it): marked, so nothing more is tried until they speak
    /// to the bot again. `true` when newly marked.
    pub async fn member_unreachable(&self, identity: &Identity) -> Result<bool, StoreError> {
        let mut tx = self.store.begin().await?;
        let new = mark_unreachable(tx.as_mut(), identity, self.clock.now_micros()).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// A notice for `room`, where `member` just asked for something the bot
    /// could not send them privately: how to open a private conversation.
    pub async fn unreachable_notice(
        &self,
        room: &RoomRef,
        member: &Identity,
    ) -> Result<Outbound, StoreError> {
        let mut tx = self.store.begin().await?;
        let who = tx.member_by_identity(member).await?;
        let section = match tx.room_section(room).await? {
            Some(id) => tx.section(id).await?,
            None => None,
        };
        let lang = self.language_for(who.as_ref(), section.as_ref().map(|s| s.settings.language));
        let name = who
            .and_then(|m| m.name)
            .unwrap_or_else(|| member.user_id.clone());
        let text = self.i18n.text(
            lang,
            "notice-unreachable",
            Some(&crate::args!("name" => name)),
        );
        Ok(Outbound::new(
            Target::Room(room.clone()),
            OutboundKind::Notice,
            text,
        ))
    }
}

/// Moves `old`'s section link and pending deliveries to `new`, with an
/// audit entry. Returns the section now linked to `new`.
pub(crate) async fn follow_room(
    tx: &mut dyn Tx,
    old: &RoomRef,
    new: &RoomRef,
    now: DateTime<Utc>,
) -> Result<Option<SectionId>, StoreError> {
    tx.move_deliveries(old, new).await?;
    let Some(section) = tx.room_section(old).await? else {
        return Ok(None);
    };
    if let Some(linked) = tx.room_section(new).await? {
        return Ok(Some(linked));
    }
    tx.unlink_room(old).await?;
    tx.link_room(new, section).await?;
    let detail = format!("{}:{} -> {}", old.platform, old.room_id, new.room_id);
    record(tx, now, old, "room.moved", section, detail).await?;
    Ok(Some(section))
}

/// Marks a member's identity unreachable; `true` when newly marked.
pub(crate) async fn mark_unreachable(
    tx: &mut dyn Tx,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let new = tx.set_unreachable(identity, Some(now)).await?;
    if new {
        tracing::info!(platform = %identity.platform, "a member cannot be written to; marked unreachable");
    }
    Ok(new)
}

async fn record(
    tx: &mut dyn Tx,
    at: DateTime<Utc>,
    room: &RoomRef,
    action: &str,
    section: SectionId,
    detail: String,
) -> Result<(), StoreError> {
    let entry = AuditEntry {
        at,
        actor: None,
        platform: Some(room.platform),
        section: Some(section),
        action: action.to_string(),
        detail,
    };
    tx.record(&entry).await
}
