//! Announcements, now or at a time, to every room linked to a section (and,
//! with `all`, to every section under it), each delivery tracked in the
//! outbox; and the digest schedules.

use super::jobs::{announcement_subject, schedule_announcement, schedule_digest, schedule_subject};
use super::permissions::subtree;
use super::{Ctx, Failure, Outcome, UserError, fail};
use crate::command::AnnounceDraft;
use crate::cron_schedule::{CronError, CronSchedule};
use crate::domain::*;
use crate::inbound::{Outbound, OutboundKind, Target};
use crate::store::NewAnnouncement;

const MAX_TEXT: usize = 4000;

pub(super) async fn announce(ctx: &mut Ctx<'_>, draft: AnnounceDraft) -> Outcome {
    let section = ctx.section_or_room(draft.to.as_deref()).await?;
    ctx.require(&section, Role::Organiser).await?;
    let text = draft.text.trim().to_string();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(UserError::new("error-bad-announcement", crate::args!())
            .with_usage("announce")
            .into());
    }
    let send_at = match &draft.at {
        Some(at) => Some(super::events::when(ctx, at, &section, "announce")?),
        None => None,
    };
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
            send_at: send_at.unwrap_or(ctx.now),
            status: if send_at.is_some() {
                AnnouncementStatus::Pending
            } else {
                AnnouncementStatus::Sent
            },
            created_at: ctx.now,
        })
        .await?;
    if let Some(at) = send_at {
        schedule_announcement(ctx.tx.as_mut(), &announcement, ctx.now).await?;
        ctx.audit(
            "announcement.schedule",
            Some(section.id),
            format!("#{} at {}", announcement.id, at.to_rfc3339()),
        )
        .await?;
        let when = ctx.fmt_when(at, &section);
        return Ok(vec![ctx.reply_text(
            "announce-scheduled",
            crate::args!("id" => announcement.id.0, "when" => when),
        )]);
    }
    for (n, room) in rooms.iter().enumerate() {
        // Short enough for a Discord nonce (25 characters), unique per room.
        let key = format!("a{}-{}", announcement.id, n);
        let notice = Outbound::new(
            Target::Room(room.clone()),
            OutboundKind::Notice,
            format!("📣 {text}"),
        );
        ctx.tx
            .enqueue(&crate::outbox::new_delivery(
                &notice,
                key,
                Some(announcement.id),
                ctx.now,
            ))
            .await?;
    }
    ctx.audit(
        "announcement.send",
        Some(section.id),
        format!("#{} to {} rooms", announcement.id, rooms.len()),
    )
    .await?;
    Ok(vec![ctx.reply_text(
        "announce-done",
        crate::args!("id" => announcement.id.0, "count" => rooms.len()),
    )])
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
        .filter(|a| {
            scope.contains(&a.section)
                && matches!(a.status, AnnouncementStatus::Pending | AnnouncementStatus::Held)
        })
        .map(|a| {
            let id = match a.status {
                AnnouncementStatus::Held => "announcements-held-line",
                _ => "announcements-line",
            };
            ctx.t(
                id,
                crate::args!("id" => a.id.0, "when" => ctx.fmt_when(a.send_at, &section), "text" => a.text.as_str()),
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
    if !matches!(
        a.status,
        AnnouncementStatus::Pending | AnnouncementStatus::Held
    ) {
        fail!("error-announcement-not-pending", "id" => id.0);
    }
    ctx.tx
        .set_announcement_status(id, AnnouncementStatus::Cancelled)
        .await?;
    ctx.tx
        .cancel_jobs(&announcement_subject(id), ctx.now)
        .await?;
    ctx.audit("announcement.cancel", Some(section.id), format!("#{id}"))
        .await?;
    Ok(vec![ctx.reply_text(
        "announce-cancelled",
        crate::args!("id" => id.0),
    )])
}

/// `announce send <id>`: an announcement held after downtime (or one still
/// waiting for its time) goes out now.
pub(super) async fn send_now(ctx: &mut Ctx<'_>, id: i64) -> Outcome {
    let id = AnnouncementId(id);
    let Some(a) = ctx.tx.announcement(id).await? else {
        fail!("error-no-announcement", "id" => id.0);
    };
    let Some(section) = ctx.tx.section(a.section).await? else {
        fail!("error-no-announcement", "id" => id.0);
    };
    ctx.require(&section, Role::Organiser).await?;
    if !matches!(
        a.status,
        AnnouncementStatus::Pending | AnnouncementStatus::Held
    ) {
        fail!("error-announcement-not-pending", "id" => id.0);
    }
    ctx.tx
        .cancel_jobs(&announcement_subject(id), ctx.now)
        .await?;
    let rooms =
        super::jobs::send_announcement(ctx.tx.as_mut(), &a, &format!("📣 {}", a.text), ctx.now)
            .await?;
    ctx.audit("announcement.send", Some(section.id), format!("#{id}"))
        .await?;
    Ok(vec![ctx.reply_text(
        "announce-done",
        crate::args!("id" => id.0, "count" => rooms),
    )])
}

/// A schedule's mistake in the reader's language (the detail of a field the
/// cron library refused stays as the library says it).
fn cron_error(ctx: &Ctx<'_>, e: CronError) -> Failure {
    let reason = match e {
        CronError::FieldCount(count) => ctx.t("error-cron-fields", crate::args!("count" => count)),
        CronError::Invalid(detail) => ctx.t("error-cron-invalid", crate::args!("detail" => detail)),
        CronError::Never => ctx.t("error-cron-never", crate::args!()),
        CronError::TooFrequent(minutes) => ctx.t(
            "error-cron-too-frequent",
            crate::args!("minutes" => minutes),
        ),
    };
    UserError::new("error-cron", crate::args!("reason" => reason))
        .with_usage("schedule")
        .into()
}

pub(super) async fn schedule(ctx: &mut Ctx<'_>, cron: &str) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    let parsed = CronSchedule::parse(cron).map_err(|e| cron_error(ctx, e))?;
    let schedule = ctx
        .tx
        .create_schedule(section.id, parsed.text(), Some(ctx.me().id), ctx.now)
        .await?;
    let tz = section.settings.timezone;
    let Some(next) =
        schedule_digest(ctx.tx.as_mut(), &schedule, &parsed, tz, ctx.now, ctx.now).await?
    else {
        return Err(cron_error(ctx, CronError::Never));
    };
    ctx.audit(
        "schedule.create",
        Some(section.id),
        format!("#{} {}", schedule.id, schedule.cron),
    )
    .await?;
    let next = ctx.fmt_when(next, &section);
    Ok(vec![ctx.reply_text(
        "schedule-created",
        crate::args!("id" => schedule.id.0, "cron" => schedule.cron.as_str(), "next" => next, "timezone" => tz.name()),
    )])
}

pub(super) async fn schedules(ctx: &mut Ctx<'_>) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    let mut lines = Vec::new();
    for s in ctx
        .tx
        .schedules()
        .await?
        .into_iter()
        .filter(|s| s.section == section.id)
    {
        let pending = ctx
            .tx
            .jobs(&[JobState::Pending], Some(&schedule_subject(s.id)), 1)
            .await?;
        let next = pending
            .first()
            .map(|j| ctx.fmt_when(j.due_at, &section))
            .unwrap_or_else(|| "-".into());
        lines.push(ctx.t(
            "schedules-line",
            crate::args!("id" => s.id.0, "cron" => s.cron.as_str(), "next" => next),
        ));
    }
    if lines.is_empty() {
        lines.push(ctx.t("schedules-none", crate::args!()));
    }
    // What downtime made the scheduler skip, newest first.
    let missed = ctx.tx.jobs(&[JobState::Missed], None, 1000).await?;
    let mut shown = 0;
    for job in missed.iter().rev() {
        if shown < 10 && job_in_section(ctx, &job.subject, section.id).await? {
            shown += 1;
            lines.push(ctx.t(
                "jobs-missed-line",
                crate::args!("key" => job.key.as_str(), "when" => ctx.fmt_when(job.due_at, &section)),
            ));
        }
    }
    // Work that failed for good is shown to the organisers it concerns.
    let dead = ctx.tx.jobs(&[JobState::Dead], None, 50).await?;
    for job in dead {
        if job_in_section(ctx, &job.subject, section.id).await? {
            lines.push(ctx.t(
                "jobs-dead-line",
                crate::args!("key" => job.key.as_str(), "error" => job.last_error.clone().unwrap_or_default()),
            ));
        }
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

async fn job_in_section(
    ctx: &mut Ctx<'_>,
    subject: &str,
    section: SectionId,
) -> Result<bool, Failure> {
    let Some((kind, id)) = subject.split_once(':') else {
        return Ok(false);
    };
    let Ok(id) = id.parse::<i64>() else {
        return Ok(false);
    };
    let owner = match kind {
        "event" => ctx.tx.event(EventId(id)).await?.map(|e| e.section),
        "announcement" => ctx
            .tx
            .announcement(AnnouncementId(id))
            .await?
            .map(|a| a.section),
        "schedule" => ctx
            .tx
            .schedules()
            .await?
            .into_iter()
            .find(|s| s.id == ScheduleId(id))
            .map(|s| s.section),
        _ => None,
    };
    Ok(owner == Some(section))
}

pub(super) async fn unschedule(ctx: &mut Ctx<'_>, id: ScheduleId) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    let found = ctx
        .tx
        .schedules()
        .await?
        .into_iter()
        .any(|s| s.id == id && s.section == section.id);
    if !found {
        fail!("error-no-schedule", "id" => id.0);
    }
    ctx.tx.cancel_jobs(&schedule_subject(id), ctx.now).await?;
    ctx.tx.delete_schedule(id).await?;
    ctx.audit("schedule.delete", Some(section.id), format!("#{id}"))
        .await?;
    Ok(vec![
        ctx.reply_text("unschedule-done", crate::args!("id" => id.0)),
    ])
}
