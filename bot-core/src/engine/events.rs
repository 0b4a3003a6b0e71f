//! Events: creation and approval, the card, listing, nudges, edits,
//! cancellation and the end of a series. Members' answers (RSVPs, the
//! confirm step, attendees, check-in) are in `answers`.

use super::answers::{open_for_answers, tell_promoted};
use super::initiatives::{check_may_propose, ensure_joined};
use super::permissions::subtree;
use super::rsvp;
use super::{Ctx, Failure, Outcome, UserError, fail};
use crate::command::{EventDraft, EventEdit, EventRange};
use crate::domain::*;
use crate::inbound::{Outbound, OutboundKind};
use crate::store::NewEvent;
use crate::when::{WhenError, parse_when};
use chrono::{DateTime, Duration, Utc};

const DEFAULT_DURATION_HOURS: i64 = 2;

/// Reads `<when>` in the section's time zone, or says why not with an example.
pub(super) fn when(
    ctx: &Ctx<'_>,
    text: &str,
    section: &Section,
    usage: &'static str,
) -> Result<DateTime<Utc>, Failure> {
    let tz = section.settings.timezone;
    parse_when(text, ctx.now, tz).map_err(|e| {
        let example = super::format::when(ctx.now + Duration::days(1), tz, ctx.lang);
        let (id, local) = match e {
            WhenError::Unrecognised => ("error-when-unrecognised", String::new()),
            WhenError::InPast { local } => ("error-when-past", local),
            WhenError::Ambiguous { local } => ("error-when-ambiguous", local),
            WhenError::Nonexistent { local } => ("error-when-nonexistent", local),
            WhenError::InvalidDate => ("error-when-invalid", String::new()),
            WhenError::TooFar => ("error-when-too-far", String::new()),
            WhenError::NeedsTime => ("error-when-needs-time", String::new()),
        };
        UserError::new(id, crate::args!("when" => text, "local" => local, "timezone" => tz.name(), "example" => example))
            .with_usage(usage)
            .into()
    })
}

pub(super) async fn section_of(ctx: &mut Ctx<'_>, event: &Event) -> Result<Section, Failure> {
    ctx.tx
        .section(event.section)
        .await?
        .ok_or_else(|| Failure::Internal(format!("event {} without section", event.id)))
}

pub(super) async fn is_organiser(ctx: &mut Ctx<'_>, section: SectionId) -> Result<bool, Failure> {
    Ok(ctx.role_in(section).await? >= Some(Role::Organiser))
}

/// Proposed and rejected events are seen only by their author and organisers.
pub(super) async fn find(ctx: &mut Ctx<'_>, id: EventId, lock: bool) -> Result<Event, Failure> {
    let event = if lock {
        ctx.tx.lock_event(id).await?
    } else {
        ctx.tx.event(id).await?
    };
    match event {
        Some(e) if matches!(e.status, EventStatus::Scheduled | EventStatus::Cancelled) => Ok(e),
        Some(e) if e.proposer == Some(ctx.me().id) || is_organiser(ctx, e.section).await? => Ok(e),
        Some(e) if e.status == EventStatus::Proposed => {
            Err(super::approval::waiting("event", id.0))
        }
        _ => fail!("error-no-event", "id" => id.0),
    }
}

pub(super) async fn create(ctx: &mut Ctx<'_>, draft: EventDraft) -> Outcome {
    let section = ctx.section()?;
    let title = draft.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(UserError::new("error-bad-title", crate::args!())
            .with_usage("event-new")
            .into());
    }
    let starts_at = when(ctx, &draft.when, &section, "event-new")?;
    let ends_at = starts_at
        + draft
            .duration
            .unwrap_or(Duration::hours(DEFAULT_DURATION_HOURS));
    if let Some(id) = draft.initiative {
        let scope = subtree(ctx.sections().await?, section.id);
        match ctx.tx.initiative(id).await? {
            Some(i) if scope.contains(&i.section) && i.status == InitiativeStatus::Open => {}
            _ => fail!("error-initiative-not-open", "id" => id.0),
        }
    }
    ensure_joined(ctx, &section).await?;
    let organiser = check_may_propose(ctx, &section).await?;
    let status = if organiser || section.settings.approval == Policy::Open {
        EventStatus::Scheduled
    } else {
        EventStatus::Proposed
    };
    let event = ctx
        .tx
        .create_event(NewEvent {
            section: section.id,
            initiative: draft.initiative,
            title: title.to_string(),
            starts_at,
            ends_at,
            place: draft
                .place
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            capacity: draft.capacity,
            recurrence: draft.recurrence,
            status,
            proposer: Some(ctx.me().id),
            created_at: ctx.now,
        })
        .await?;
    ctx.audit(
        "event.create",
        Some(section.id),
        format!("#{} {} {}", event.id, status, starts_at.to_rfc3339()),
    )
    .await?;
    if status == EventStatus::Proposed {
        let mut out = vec![ctx.reply_text(
            "event-proposed",
            crate::args!("id" => event.id.0, "title" => event.title.as_str()),
        )];
        let proposal = crate::gesture::Proposal::Event(event.id);
        out.extend(super::approval::tell_approvers(ctx, &section, proposal, &event.title).await?);
        return Ok(out);
    }
    ctx.schedule_event_jobs(&event, &section).await?;
    Ok(vec![ctx.event_card(&event, &section, &[], ctx.here())])
}

pub(super) async fn list(ctx: &mut Ctx<'_>, range: EventRange) -> Outcome {
    let section = ctx.section()?;
    let scope = subtree(ctx.sections().await?, section.id);
    let until = match range {
        EventRange::Week => Some(ctx.now + Duration::days(7)),
        EventRange::Month => Some(ctx.now + Duration::days(31)),
        EventRange::Upcoming | EventRange::All => None,
    };
    let limit = if range == EventRange::Upcoming {
        15
    } else {
        usize::MAX
    };
    let organiser = is_organiser(ctx, section.id).await?;
    let events: Vec<Event> = ctx
        .tx
        .events()
        .await?
        .into_iter()
        .filter(|e| scope.contains(&e.section) && e.ends_at > ctx.now)
        .filter(|e| until.is_none_or(|u| e.starts_at <= u))
        .filter(|e| {
            e.status == EventStatus::Scheduled || (organiser && e.status == EventStatus::Proposed)
        })
        .collect();
    if events.is_empty() {
        return Ok(vec![ctx.reply_text(
            "events-none",
            crate::args!("name" => section.name.as_str()),
        )]);
    }
    let mut lines = vec![ctx.t("events-head", crate::args!("name" => section.name.as_str()))];
    let total = events.len();
    for e in events.into_iter().take(limit) {
        let t = super::format::tally(&ctx.tx.rsvps(e.id).await?);
        let going = match e.capacity {
            Some(cap) => format!("{}/{cap}", t.seats),
            None => t.seats.to_string(),
        };
        let mut line = ctx.t(
            "events-line",
            crate::args!("id" => e.id.0, "when" => ctx.fmt_when(e.starts_at, &section), "title" => e.title.as_str(), "going" => going),
        );
        if e.status == EventStatus::Proposed {
            line.push(' ');
            line.push_str(&ctx.t("events-proposed-mark", crate::args!()));
        }
        lines.push(line);
    }
    if total > limit {
        lines.push(ctx.t("events-more", crate::args!("count" => total - limit)));
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

pub(super) async fn show(ctx: &mut Ctx<'_>, id: EventId) -> Outcome {
    let event = find(ctx, id, false).await?;
    let section = section_of(ctx, &event).await?;
    let rsvps = ctx.tx.rsvps(event.id).await?;
    Ok(vec![ctx.event_card(&event, &section, &rsvps, ctx.here())])
}

pub(super) async fn require_editor(
    ctx: &mut Ctx<'_>,
    event: &Event,
    section: &Section,
) -> Result<(), Failure> {
    let own_proposal = event.status == EventStatus::Proposed && event.proposer == Some(ctx.me().id);
    if !own_proposal {
        ctx.require(section, Role::Organiser).await?;
    }
    Ok(())
}

/// Tells everyone who answered going, maybe or waitlisted, each in their language.
pub(super) async fn tell_attendees(
    ctx: &mut Ctx<'_>,
    event: &Event,
    section: &Section,
    id: &str,
    args: impl Fn(Language) -> crate::i18n::Args,
) -> Result<Vec<Outbound>, Failure> {
    let mut out = Vec::new();
    let me = ctx.me().id;
    for r in ctx.tx.rsvps(event.id).await? {
        if r.status == RsvpStatus::Declined || r.member == me {
            continue;
        }
        let Some(member) = ctx.tx.member(r.member).await? else {
            continue;
        };
        let Some(target) = ctx.direct_target(r.member).await? else {
            continue;
        };
        let lang = ctx.lang_of(&member, Some(section));
        out.push(Outbound::new(
            target,
            OutboundKind::Private,
            ctx.t_in(lang, id, args(lang)),
        ));
    }
    Ok(out)
}

pub(super) async fn edit(ctx: &mut Ctx<'_>, id: EventId, edit: EventEdit) -> Outcome {
    let mut event = find(ctx, id, true).await?;
    let section = section_of(ctx, &event).await?;
    require_editor(ctx, &event, &section).await?;
    if event.status == EventStatus::Cancelled || event.ends_at <= ctx.now {
        fail!("error-event-closed", "id" => event.id.0);
    }
    let before = event.clone();
    let rsvps = ctx.tx.rsvps(event.id).await?;
    let mut promoted = Vec::new();
    let tz = section.settings.timezone;
    let (field, old, new) = match edit {
        EventEdit::Title(t) => {
            let t = t.trim().to_string();
            if t.is_empty() || t.chars().count() > 200 {
                return Err(UserError::new("error-bad-title", crate::args!())
                    .with_usage("event-edit")
                    .into());
            }
            event.title = t;
            ("title", before.title.clone(), event.title.clone())
        }
        EventEdit::When(text) => {
            let starts_at = when(ctx, &text, &section, "event-edit")?;
            event.ends_at = starts_at + (event.ends_at - event.starts_at);
            event.starts_at = starts_at;
            (
                "when",
                super::format::when(before.starts_at, tz, ctx.lang),
                super::format::when(starts_at, tz, ctx.lang),
            )
        }
        EventEdit::Place(p) => {
            event.place = Some(p.trim().to_string()).filter(|p| !p.is_empty());
            (
                "place",
                before.place.clone().unwrap_or_default(),
                event.place.clone().unwrap_or_default(),
            )
        }
        EventEdit::Capacity(cap) => {
            let taken = super::format::tally(&rsvps).seats;
            if let Some(c) = cap
                && c < taken
            {
                fail!("error-capacity-below", "taken" => taken);
            }
            event.capacity = cap;
            let (p, _) = rsvp::promote(&event, &rsvps, WaitlistMode::Auto, ctx.now);
            promoted = p;
            let show = |c: Option<u32>| c.map(|c| c.to_string()).unwrap_or_else(|| "∞".into());
            ("cap", show(before.capacity), show(cap))
        }
        EventEdit::Duration(d) => {
            event.ends_at = event.starts_at + d;
            (
                "for",
                super::format::span(before.starts_at, before.ends_at, tz, ctx.lang),
                super::format::span(event.starts_at, event.ends_at, tz, ctx.lang),
            )
        }
    };
    ctx.tx.update_event(&event).await?;
    if event.starts_at != before.starts_at {
        super::jobs::reschedule_event(ctx.tx.as_mut(), &event, &section, ctx.now).await?;
    }
    for r in &promoted {
        ctx.tx.put_rsvp(r).await?;
    }
    ctx.audit(
        "event.edit",
        Some(section.id),
        format!("#{} {field}: {old} -> {new}", event.id),
    )
    .await?;
    let rsvps_now = ctx.tx.rsvps(event.id).await?;
    let mut out = vec![ctx.event_card(&event, &section, &rsvps_now, ctx.here())];
    out.extend(tell_promoted(ctx, &event, &section, &promoted).await?);
    // A change notice carries the change itself, so nobody has to compare.
    let title = event.title.clone();
    let field_key = format!("field-{field}");
    out.extend(
        tell_attendees(ctx, &event, &section, "event-changed-notice", |lang| {
            let field_name = ctx.engine.i18n.text(lang, &field_key, None);
            crate::args!("id" => event.id.0, "title" => title.as_str(), "field" => field_name, "old" => old.as_str(), "new" => new.as_str())
        })
        .await?,
    );
    Ok(out)
}

pub(super) async fn cancel(ctx: &mut Ctx<'_>, id: EventId, reason: Option<String>) -> Outcome {
    let mut event = find(ctx, id, true).await?;
    let section = section_of(ctx, &event).await?;
    require_editor(ctx, &event, &section).await?;
    if event.status == EventStatus::Cancelled {
        fail!("error-event-closed", "id" => event.id.0);
    }
    event.status = EventStatus::Cancelled;
    event.reason = reason.clone();
    ctx.tx.update_event(&event).await?;
    ctx.tx
        .cancel_jobs(&super::jobs::event_subject(event.id), ctx.now)
        .await?;
    ctx.audit(
        "event.cancel",
        Some(section.id),
        format!("#{} {}", event.id, reason.clone().unwrap_or_default()),
    )
    .await?;
    let mut out = vec![ctx.reply_text(
        "event-cancelled",
        crate::args!("id" => event.id.0, "title" => event.title.as_str()),
    )];
    let when_text = |lang| super::format::when(event.starts_at, section.settings.timezone, lang);
    // Worded before telling anyone: nothing may hold the context across
    // the awaits below.
    let reasons: Vec<(Language, String)> = [Language::En, Language::Fr]
        .into_iter()
        .map(|lang| (lang, reason_line(ctx, lang, reason.as_deref())))
        .collect();
    let reason_of = |lang| {
        reasons
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };
    out.extend(
        tell_attendees(ctx, &event, &section, "event-cancelled-notice", |lang| {
            crate::args!("id" => event.id.0, "title" => event.title.as_str(), "when" => when_text(lang), "reason" => reason_of(lang))
        })
        .await?,
    );
    Ok(out)
}
pub(super) async fn nudge(ctx: &mut Ctx<'_>, id: EventId) -> Outcome {
    let event = find(ctx, id, false).await?;
    let section = section_of(ctx, &event).await?;
    ctx.require(&section, Role::Organiser).await?;
    open_for_answers(ctx, &event).await?;
    let answered: Vec<MemberId> = ctx
        .tx
        .rsvps(event.id)
        .await?
        .iter()
        .map(|r| r.member)
        .collect();
    let mut out = Vec::new();
    for m in ctx.tx.memberships_in(section.id).await? {
        if answered.contains(&m.member) {
            continue;
        }
        let (Some(target), Some(member)) = (
            ctx.direct_target(m.member).await?,
            ctx.tx.member(m.member).await?,
        ) else {
            continue;
        };
        let lang = ctx.lang_of(&member, Some(&section));
        let text = ctx.t_in(
            lang,
            "nudge-notice",
            crate::args!("id" => event.id.0, "title" => event.title.as_str(), "when" => super::format::when(event.starts_at, section.settings.timezone, lang)),
        );
        let mut msg = Outbound::new(target, OutboundKind::Private, text);
        msg.buttons = ctx.event_card(&event, &section, &[], ctx.here()).buttons;
        out.push(msg);
    }
    ctx.audit(
        "event.nudge",
        Some(section.id),
        format!("#{} {}", event.id, out.len()),
    )
    .await?;
    let mut reply = vec![ctx.reply_text("nudge-done", crate::args!("count" => out.len()))];
    reply.extend(out);
    Ok(reply)
}

pub(super) async fn decide(
    ctx: &mut Ctx<'_>,
    id: EventId,
    approve: bool,
    reason: Option<String>,
) -> Outcome {
    let mut event = find(ctx, id, true).await?;
    let section = section_of(ctx, &event).await?;
    ctx.require(&section, Role::Organiser).await?;
    if event.status != EventStatus::Proposed {
        fail!("error-event-not-proposed", "id" => event.id.0);
    }
    event.status = if approve {
        EventStatus::Scheduled
    } else {
        EventStatus::Rejected
    };
    event.reason = reason.clone();
    ctx.tx.update_event(&event).await?;
    ctx.schedule_event_jobs(&event, &section).await?;
    let action = if approve { "approve" } else { "reject" };
    ctx.audit(
        &format!("event.{action}"),
        Some(section.id),
        format!("#{}", event.id),
    )
    .await?;
    let mut out = vec![ctx.reply_text(
        &format!("event-{}", super::initiatives::past(action)),
        crate::args!("id" => event.id.0, "title" => event.title.as_str()),
    )];
    if approve {
        out.push(ctx.event_card(&event, &section, &[], ctx.here()));
    }
    if let Some(proposer) = event.proposer
        && proposer != ctx.me().id
        && let (Some(target), Some(member)) = (
            ctx.direct_target(proposer).await?,
            ctx.tx.member(proposer).await?,
        )
    {
        let lang = ctx.lang_of(&member, Some(&section));
        let text = ctx.t_in(
            lang,
            &format!("event-{}-notice", super::initiatives::past(action)),
            crate::args!("id" => event.id.0, "title" => event.title.as_str(), "reason" => reason_line(ctx, lang, reason.as_deref())),
        );
        out.push(Outbound::new(target, OutboundKind::Private, text));
    }
    Ok(out)
}

/// Ends a recurring series at this occurrence: it keeps its date, and no
/// occurrence follows it (nor any later one already created, since a
/// series moves on from its newest occurrence).
pub(super) async fn stop(ctx: &mut Ctx<'_>, id: EventId) -> Outcome {
    let event = find(ctx, id, true).await?;
    let section = section_of(ctx, &event).await?;
    require_editor(ctx, &event, &section).await?;
    if event.recurrence.is_none() {
        fail!("error-event-not-recurring", "id" => event.id.0);
    }
    // This occurrence and those the series made after it.
    let series: Vec<Event> = ctx
        .tx
        .events()
        .await?
        .into_iter()
        .filter(|e| {
            e.section == event.section
                && e.title == event.title
                && e.recurrence.is_some()
                && e.starts_at >= event.starts_at
        })
        .collect();
    for mut occurrence in series {
        occurrence.recurrence = None;
        ctx.tx.update_event(&occurrence).await?;
        ctx.tx
            .cancel_jobs(&super::jobs::series_subject(occurrence.id), ctx.now)
            .await?;
    }
    ctx.audit("event.stop", Some(section.id), format!("#{}", event.id))
        .await?;
    let when = ctx.fmt_when(event.starts_at, &section);
    Ok(vec![ctx.reply_text(
        "event-series-stopped",
        crate::args!("id" => event.id.0, "title" => event.title.as_str(), "when" => when),
    )])
}

/// "Reason: …" in `lang`, or nothing when none was given.
pub(super) fn reason_line(ctx: &Ctx<'_>, lang: Language, reason: Option<&str>) -> String {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => ctx.t_in(lang, "reason", crate::args!("reason" => reason)),
        None => String::new(),
    }
}
