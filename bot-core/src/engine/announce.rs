//! Announcements: one text to every room linked to a section (and, with
//! `all`, to every section under it), each delivery tracked in the outbox.

use super::permissions::subtree;
use super::{Ctx, Outcome, fail};
use crate::command::AnnounceDraft;
use crate::domain::*;
use crate::inbound::{Outbound, OutboundKind, Target};
use crate::store::NewAnnouncement;

const MAX_TEXT: usize = 4000;

pub(super) async fn announce(ctx: &mut Ctx<'_>, draft: AnnounceDraft) -> Outcome {
    let section = ctx.section_or_room(draft.to.as_deref()).await?;
    ctx.require(&section, Role::Organiser).await?;
    let text = draft.text.trim().to_string();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(
            super::UserError::new("error-bad-announcement", crate::args!())
                .with_usage("announce")
                .into(),
        );
    }
    if draft.at.is_some() {
        fail!("scheduler-not-ready");
    }
    let scope = if draft.all {
        subtree(ctx.sections().await?, section.id)
    } else {
        vec![section.id]
    };
    let rooms: Vec<RoomRef> = ctx
        .tx
        .rooms()
        .await?
        .into_iter()
        .filter(|r| scope.contains(&r.section))
        .map(|r| r.room)
        .collect();
    if rooms.is_empty() {
        fail!("error-no-rooms", "name" => section.name.as_str());
    }
    let announcement = ctx
        .tx
        .create_announcement(NewAnnouncement {
            section: section.id,
            subtree: draft.all,
            text: text.clone(),
            author: Some(ctx.me().id),
            send_at: ctx.now,
            status: AnnouncementStatus::Sent,
            created_at: ctx.now,
        })
        .await?;
    let mut out = Vec::new();
    for (n, room) in rooms.iter().enumerate() {
        // Short enough for a Discord nonce (25 characters), unique per room.
        let key = format!("a{}-{}", announcement.id, n);
        let delivery = ctx
            .tx
            .add_delivery(Some(announcement.id), room, &key)
            .await?;
        let mut msg = Outbound::new(
            Target::Room(room.clone()),
            OutboundKind::Notice,
            format!("📣 {text}"),
        );
        msg.delivery = Some(delivery.id);
        msg.idempotency_key = Some(key);
        out.push(msg);
    }
    ctx.audit(
        "announcement.send",
        Some(section.id),
        format!("#{} to {} rooms", announcement.id, rooms.len()),
    )
    .await?;
    out.insert(
        0,
        ctx.reply_text(
            "announce-done",
            crate::args!("id" => announcement.id.0, "count" => rooms.len()),
        ),
    );
    Ok(out)
}

pub(super) async fn pending(ctx: &mut Ctx<'_>) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    let scope = subtree(ctx.sections().await?, section.id);
    let lines: Vec<String> = ctx
        .tx
        .announcements()
        .await?
        .into_iter()
        .filter(|a| scope.contains(&a.section) && a.status == AnnouncementStatus::Pending)
        .map(|a| {
            format!(
                "#{} {} — {}",
                a.id,
                ctx.fmt_when(a.send_at, &section),
                a.text
            )
        })
        .collect();
    if lines.is_empty() {
        return Ok(vec![ctx.reply_text("announcements-none", crate::args!())]);
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

pub(super) async fn cancel(ctx: &mut Ctx<'_>, id: i64) -> Outcome {
    let id = AnnouncementId(id);
    let Some(a) = ctx.tx.announcement(id).await? else {
        fail!("error-no-announcement", "id" => id.0);
    };
    let Some(section) = ctx.tx.section(a.section).await? else {
        fail!("error-no-announcement", "id" => id.0);
    };
    ctx.require(&section, Role::Organiser).await?;
    if a.status != AnnouncementStatus::Pending {
        fail!("error-announcement-not-pending", "id" => id.0);
    }
    ctx.tx
        .set_announcement_status(id, AnnouncementStatus::Cancelled)
        .await?;
    ctx.audit("announcement.cancel", Some(section.id), format!("#{id}"))
        .await?;
    Ok(vec![ctx.reply_text(
        "announce-cancelled",
        crate::args!("id" => id.0),
    )])
}

pub(super) async fn schedules_not_ready(ctx: &mut Ctx<'_>) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    fail!("scheduler-not-ready")
}
