//! The section tree, room links and section settings.

use super::{Ctx, Outcome, fail};
use crate::command::SettingChange;
use crate::domain::*;
use crate::store::{NewSection, StoreError};
use crate::when::format_duration_in;

fn valid_slug(slug: &str) -> bool {
    (2..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
}

pub(super) async fn create(
    ctx: &mut Ctx<'_>,
    slug: &str,
    name: &str,
    parent: Option<&str>,
) -> Outcome {
    let slug = slug.to_lowercase();
    if !valid_slug(&slug) {
        return Err(
            super::UserError::new("error-bad-slug", crate::args!("slug" => slug.as_str()))
                .with_usage("section-new")
                .into(),
        );
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(super::UserError::new("error-bad-name", crate::args!())
            .with_usage("section-new")
            .into());
    }
    let parent = match parent {
        Some(p) => Some(ctx.section_by_slug(p).await?),
        None => None,
    };
    match &parent {
        Some(p) => ctx.require(p, Role::Admin).await?,
        None if !ctx.is_root() => fail!("error-root-only"),
        None => {}
    }
    let settings = match &parent {
        Some(p) => p.settings.clone(),
        None => SectionSettings::root_defaults(
            ctx.engine.settings.default_timezone,
            ctx.engine.settings.default_language,
        ),
    };
    let new = NewSection {
        slug: slug.clone(),
        name: name.to_string(),
        parent: parent.as_ref().map(|p| p.id),
        settings,
        created_at: ctx.now,
    };
    let section = match ctx.tx.create_section(new).await {
        Ok(s) => s,
        Err(StoreError::Conflict(_)) => fail!("error-slug-taken", "slug" => slug.as_str()),
        Err(e) => return Err(e.into()),
    };
    ctx.sections_changed();
    ctx.audit(
        "section.create",
        Some(section.id),
        format!("{} \"{}\"", section.slug, section.name),
    )
    .await?;
    Ok(vec![ctx.reply_text(
        "section-created",
        crate::args!("name" => section.name.as_str(), "slug" => section.slug.as_str()),
    )])
}

pub(super) async fn link(ctx: &mut Ctx<'_>, slug: &str) -> Outcome {
    let section = ctx.section_by_slug(slug).await?;
    ctx.require(&section, Role::Organiser).await?;
    if ctx.inbound.direct {
        fail!("error-link-direct");
    }
    let room = ctx.inbound.room.clone();
    ctx.tx.link_room(&room, section.id).await?;
    ctx.audit(
        "room.link",
        Some(section.id),
        format!("{}:{}", room.platform, room.room_id),
    )
    .await?;
    Ok(vec![ctx.reply_text(
        "room-linked",
        crate::args!("name" => section.name.as_str()),
    )])
}

pub(super) async fn unlink(ctx: &mut Ctx<'_>) -> Outcome {
    let section = ctx.section()?;
    ctx.require(&section, Role::Organiser).await?;
    let room = ctx.inbound.room.clone();
    ctx.tx.unlink_room(&room).await?;
    ctx.audit(
        "room.unlink",
        Some(section.id),
        format!("{}:{}", room.platform, room.room_id),
    )
    .await?;
    let mut farewell = ctx.reply_text(
        "room-unlinked",
        crate::args!("name" => section.name.as_str()),
    );
    farewell.kind = crate::inbound::OutboundKind::Farewell;
    Ok(vec![farewell])
}

pub(super) async fn show(ctx: &mut Ctx<'_>, slug: Option<&str>) -> Outcome {
    let section = ctx.section_or_room(slug).await?;
    let parent = match section.parent {
        Some(p) => ctx.tx.section(p).await?.map(|p| p.name),
        None => None,
    };
    let rooms = ctx
        .tx
        .rooms()
        .await?
        .into_iter()
        .filter(|r| r.section == section.id)
        .count();
    let members = ctx.tx.memberships_in(section.id).await?.len();
    let mut lines = vec![ctx.t(
        "section-details",
        crate::args!(
            "name" => section.name.as_str(), "slug" => section.slug.as_str(),
            "parent" => parent.unwrap_or_else(|| "-".into()),
            "members" => members, "rooms" => rooms
        ),
    )];
    lines.push(settings_text(ctx, &section.settings));
    Ok(vec![ctx.reply(lines.join("\n"))])
}

pub(super) async fn tree(ctx: &mut Ctx<'_>) -> Outcome {
    let sections = ctx.sections().await?.to_vec();
    if sections.is_empty() {
        return Ok(vec![ctx.reply_text("sections-none", crate::args!())]);
    }
    let mut lines = vec![ctx.t("sections-heading", crate::args!())];
    let mut stack: Vec<(SectionId, usize)> = sections
        .iter()
        .filter(|s| s.parent.is_none())
        .rev()
        .map(|s| (s.id, 0))
        .collect();
    while let Some((id, depth)) = stack.pop() {
        let Some(s) = sections.iter().find(|s| s.id == id) else {
            continue;
        };
        let count = ctx.tx.memberships_in(id).await?.len();
        lines.push(format!(
            "{}{}",
            "  ".repeat(depth),
            ctx.t("sections-line", crate::args!("name" => s.name.as_str(), "slug" => s.slug.as_str(), "members" => count))
        ));
        stack.extend(
            sections
                .iter()
                .filter(|c| c.parent == Some(id))
                .rev()
                .map(|c| (c.id, depth + 1)),
        );
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

fn settings_text(ctx: &Ctx<'_>, s: &SectionSettings) -> String {
    let reminders = if s.reminders.is_empty() {
        "off".to_string()
    } else {
        s.reminders
            .iter()
            .map(|d| format_duration_in(*d, ctx.lang))
            .collect::<Vec<_>>()
            .join(",")
    };
    ctx.t(
        "settings-show",
        crate::args!(
            "timezone" => s.timezone.name(),
            "language" => s.language.as_str(),
            "verification" => s.verification.as_str(),
            "approval" => s.approval.as_str(),
            "reminders" => reminders,
            "confirm" => s.confirm.map(|d| format_duration_in(d, ctx.lang)).unwrap_or_else(|| "off".into()),
            "waitlist" => s.waitlist.as_str(),
        ),
    )
}

pub(super) async fn settings(ctx: &mut Ctx<'_>, change: Option<SettingChange>) -> Outcome {
    let mut section = ctx.section()?;
    let Some(change) = change else {
        let text = settings_text(ctx, &section.settings);
        return Ok(vec![ctx.reply(format!("{}\n{text}", section.name))]);
    };
    ctx.require(&section, Role::Admin).await?;
    // For a zone change: the old zone, and whether instants stay.
    let mut moved: Option<(chrono_tz::Tz, bool)> = None;
    let s = &mut section.settings;
    let (key, value) = match change {
        SettingChange::Timezone { tz, keep_instants } => {
            let old = s.timezone;
            s.timezone = tz;
            moved = Some((old, keep_instants));
            ("timezone", tz.name().to_string())
        }
        SettingChange::Language(l) => {
            s.language = l;
            ("language", l.as_str().to_string())
        }
        SettingChange::Verification(p) => {
            s.verification = p;
            ("verification", p.as_str().to_string())
        }
        SettingChange::Approval(p) => {
            s.approval = p;
            ("approval", p.as_str().to_string())
        }
        SettingChange::Reminders(r) => {
            let text = if r.is_empty() {
                "off".into()
            } else {
                r.iter()
                    .map(|d| format_duration_in(*d, ctx.lang))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            s.reminders = r;
            ("reminders", text)
        }
        SettingChange::Confirm(c) => {
            s.confirm = c;
            (
                "confirm",
                c.map(|d| format_duration_in(d, ctx.lang))
                    .unwrap_or_else(|| "off".into()),
            )
        }
        SettingChange::Waitlist(w) => {
            s.waitlist = w;
            ("waitlist", w.as_str().to_string())
        }
    };
    ctx.tx
        .update_settings(section.id, &section.settings)
        .await?;
    if matches!(key, "reminders" | "confirm") {
        // Upcoming events follow the new offsets.
        for event in ctx.tx.events().await? {
            if event.section == section.id
                && event.status == EventStatus::Scheduled
                && event.starts_at > ctx.now
            {
                super::jobs::reschedule_event(ctx.tx.as_mut(), &event, &section, ctx.now).await?;
            }
        }
    }
    let mut out = Vec::new();
    if let Some((old_zone, keep_instants)) = moved {
        out.extend(follow_zone(ctx, &section, old_zone, keep_instants).await?);
    }
    if key == "language" && ctx.me().language.is_none() {
        ctx.lang = section.settings.language;
    }
    ctx.audit(
        "section.settings",
        Some(section.id),
        format!("{key}={value}"),
    )
    .await?;
    let mut reply = vec![ctx.reply_text(
        "settings-changed",
        crate::args!("name" => section.name.as_str(), "key" => key, "value" => value),
    )];
    reply.extend(out);
    Ok(reply)
}

/// After a zone change, the section's upcoming events: by default each
/// keeps its clock time (19:30 stays 19:30, in the new zone), so its instant
/// moves; with `keep_instants` the instant stays and the clock time shown
/// changes. Never silently: the reply says which, and how to choose the
/// other. Their reminders follow.
async fn follow_zone(
    ctx: &mut Ctx<'_>,
    section: &Section,
    old_zone: chrono_tz::Tz,
    keep_instants: bool,
) -> Result<Vec<crate::inbound::Outbound>, super::Failure> {
    use chrono::TimeZone;
    let new_zone = section.settings.timezone;
    let upcoming: Vec<Event> = ctx
        .tx
        .events()
        .await?
        .into_iter()
        .filter(|e| {
            e.section == section.id
                && matches!(e.status, EventStatus::Scheduled | EventStatus::Proposed)
                && e.starts_at > ctx.now
        })
        .collect();
    if upcoming.is_empty() || old_zone == new_zone {
        return Ok(Vec::new());
    }
    for mut event in upcoming.clone() {
        if !keep_instants {
            let local = event.starts_at.with_timezone(&old_zone).naive_local();
            // A clock time the new zone skips (spring forward) moves past the gap.
            let Some(start) = new_zone.from_local_datetime(&local).earliest().or_else(|| {
                new_zone
                    .from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
            }) else {
                continue;
            };
            let start = start.with_timezone(&chrono::Utc);
            event.ends_at = start + (event.ends_at - event.starts_at);
            event.starts_at = start;
            ctx.tx.update_event(&event).await?;
        }
        super::jobs::reschedule_event(ctx.tx.as_mut(), &event, section, ctx.now).await?;
    }
    let id = if keep_instants {
        "timezone-events-instants"
    } else {
        "timezone-events-clock"
    };
    Ok(vec![ctx.reply_text(
        id,
        crate::args!("count" => upcoming.len(), "zone" => new_zone.name()),
    )])
}
