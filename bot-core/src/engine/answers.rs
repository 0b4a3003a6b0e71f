//! Members' answers to events: RSVPs with capacity and waitlist, the
//! confirm step, who comes (attendees), check-in after the start, and the
//! places a member gives back when leaving a section.

use super::events::{find, is_organiser, section_of};
use super::initiatives::ensure_joined;
use super::rsvp::{self, Refusal};
use super::{Ctx, Failure, Outcome, fail, members};
use crate::command::MemberRef;
use crate::domain::*;
use crate::inbound::{Outbound, OutboundKind};

pub(super) async fn open_for_answers(ctx: &mut Ctx<'_>, event: &Event) -> Result<(), Failure> {
    match event.status {
        EventStatus::Scheduled => {}
        EventStatus::Cancelled | EventStatus::Rejected => {
            fail!("error-event-closed", "id" => event.id.0)
        }
        EventStatus::Proposed => fail!("error-event-proposed", "id" => event.id.0),
    }
    if event.starts_at <= ctx.now {
        fail!("error-event-started", "id" => event.id.0);
    }
    if event.rsvp_deadline.is_some_and(|d| d <= ctx.now) {
        fail!("error-rsvp-deadline", "id" => event.id.0);
    }
    Ok(())
}

pub(super) async fn rsvp(
    ctx: &mut Ctx<'_>,
    id: EventId,
    answer: RsvpAnswer,
    guests: Option<u32>,
) -> Outcome {
    let event = find(ctx, id, true).await?;
    open_for_answers(ctx, &event).await?;
    let section = section_of(ctx, &event).await?;
    ensure_joined(ctx, &section).await?;
    let rsvps = ctx.tx.rsvps(event.id).await?;
    let me = ctx.me().id;
    // No `+<n>`: the guests announced before stay.
    let guests = guests.unwrap_or_else(|| {
        rsvps
            .iter()
            .find(|r| r.member == me)
            .map_or(0, |r| r.guests)
    });
    let plan = match rsvp::answer(
        &event,
        &rsvps,
        me,
        answer,
        guests,
        section.settings.waitlist,
        ctx.now,
    ) {
        Ok(plan) => plan,
        Err(Refusal::NoRoom { left }) => fail!("error-no-room", "left" => left),
    };
    ctx.tx.put_rsvp(&plan.mine).await?;
    for r in &plan.promoted {
        ctx.tx.put_rsvp(r).await?;
    }
    ctx.audit(
        "rsvp",
        Some(section.id),
        format!("#{} {} +{}", event.id, plan.mine.status, plan.mine.guests),
    )
    .await?;
    // The answers as written, without reading them back.
    let mut rsvps = rsvps;
    for r in std::iter::once(&plan.mine).chain(&plan.promoted) {
        rsvps.retain(|x| x.member != r.member);
        rsvps.push(r.clone());
    }
    let answered = match plan.mine.status {
        RsvpStatus::Waitlisted => {
            let mut text = ctx.t(
                "rsvp-waitlisted",
                crate::args!("title" => event.title.as_str(), "position" => waitlist_rank(&rsvps, me)),
            );
            // Said plainly: this party waits for the capacity to grow.
            if let Some(capacity) = event.capacity.filter(|cap| 1 + guests > *cap) {
                text.push('\n');
                text.push_str(&ctx.t(
                    "rsvp-party-larger",
                    crate::args!("capacity" => capacity, "party" => 1 + guests),
                ));
            }
            text
        }
        status => ctx.t(
            &format!("rsvp-{}", status.as_str()),
            crate::args!("title" => event.title.as_str()),
        ),
    };
    let mut card = ctx.event_card(&event, &section, &rsvps, ctx.here());
    card.kind = OutboundKind::CardUpdate(event.id);
    let mut out = vec![ctx.reply(answered), card];
    out.extend(tell_promoted(ctx, &event, &section, &plan.promoted).await?);
    if let Some(offered) = plan.offered {
        out.extend(offer_place(ctx, &event, &section, offered).await?);
    }
    Ok(out)
}

/// 1-based place in the waitlist queue.
fn waitlist_rank(rsvps: &[Rsvp], member: MemberId) -> usize {
    let mut queue: Vec<&Rsvp> = rsvps
        .iter()
        .filter(|r| r.status == RsvpStatus::Waitlisted)
        .collect();
    queue.sort_by_key(|r| r.position);
    queue
        .iter()
        .position(|r| r.member == member)
        .map_or(0, |p| p + 1)
}

pub(super) async fn tell_promoted(
    ctx: &mut Ctx<'_>,
    event: &Event,
    section: &Section,
    promoted: &[Rsvp],
) -> Result<Vec<Outbound>, Failure> {
    let mut out = Vec::new();
    for r in promoted {
        ctx.audit(
            "rsvp.promote",
            Some(section.id),
            format!("#{} #{}", event.id, r.member),
        )
        .await?;
        let (Some(target), Some(member)) = (
            ctx.direct_target(r.member).await?,
            ctx.tx.member(r.member).await?,
        ) else {
            continue;
        };
        let lang = ctx.lang_of(&member, Some(section));
        let text = ctx.t_in(
            lang,
            "rsvp-promoted-notice",
            crate::args!("id" => event.id.0, "title" => event.title.as_str(), "when" => super::format::when(event.starts_at, section.settings.timezone, lang)),
        );
        out.push(Outbound::new(target, OutboundKind::Private, text));
    }
    Ok(out)
}

async fn offer_place(
    ctx: &mut Ctx<'_>,
    event: &Event,
    section: &Section,
    member: MemberId,
) -> Result<Vec<Outbound>, Failure> {
    let (Some(target), Some(m)) = (
        ctx.direct_target(member).await?,
        ctx.tx.member(member).await?,
    ) else {
        return Ok(Vec::new());
    };
    let lang = ctx.lang_of(&m, Some(section));
    let text = ctx.t_in(
        lang,
        "rsvp-offer-notice",
        crate::args!("id" => event.id.0, "title" => event.title.as_str()),
    );
    Ok(vec![Outbound::new(target, OutboundKind::Private, text)])
}

pub(super) async fn attendees(ctx: &mut Ctx<'_>, id: EventId) -> Outcome {
    let event = find(ctx, id, false).await?;
    let organiser = is_organiser(ctx, event.section).await?;
    let mut rsvps = ctx.tx.rsvps(event.id).await?;
    rsvps.sort_by_key(|r| (r.position, r.updated_at));
    let t = super::format::tally(&rsvps);
    let mut lines = vec![ctx.t(
        "attendees-head",
        crate::args!("id" => event.id.0, "title" => event.title.as_str(), "going" => t.seats, "maybe" => t.maybe, "declined" => t.declined, "waitlist" => t.waitlisted),
    )];
    for status in [
        RsvpStatus::Going,
        RsvpStatus::Maybe,
        RsvpStatus::Declined,
        RsvpStatus::Waitlisted,
    ] {
        let mut names = Vec::new();
        let mut hidden = 0;
        for r in rsvps.iter().filter(|r| r.status == status) {
            let member = ctx.tx.member(r.member).await?;
            match member {
                // Privacy by default: names go to organisers, or to all if the member opted in.
                Some(m) if m.name.is_some() && (organiser || m.public_name) => {
                    let mut name = m.display_name();
                    if r.guests > 0 {
                        name.push_str(&format!(" (+{})", r.guests));
                    }
                    if r.checked_in {
                        name.push_str(" ✓");
                    }
                    names.push(name);
                }
                _ => hidden += 1,
            }
        }
        if names.is_empty() && hidden == 0 {
            continue;
        }
        if hidden > 0 {
            names.push(ctx.t("attendees-hidden", crate::args!("count" => hidden)));
        }
        let label = ctx.t(&format!("attendees-{}", status.as_str()), crate::args!());
        lines.push(ctx.t(
            "attendees-line",
            crate::args!("label" => label, "names" => names.join(", ")),
        ));
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

/// Records who came, after the start. Only members who answered going
/// check in (so attendance never passes 100%); anyone else is named with
/// the reason, and the others are still checked in.
pub(super) async fn checkin(ctx: &mut Ctx<'_>, id: EventId, who: &[MemberRef]) -> Outcome {
    let event = find(ctx, id, true).await?;
    let section = section_of(ctx, &event).await?;
    ctx.require(&section, Role::Organiser).await?;
    if event.status != EventStatus::Scheduled {
        fail!("error-event-closed", "id" => event.id.0);
    }
    if ctx.now < event.starts_at {
        let when = ctx.fmt_when(event.starts_at, &section);
        fail!("error-checkin-early", "when" => when);
    }
    let mut lines = Vec::new();
    for member_ref in who {
        // One unknown name does not undo the others' check-in.
        let member = match members::resolve(ctx, member_ref).await {
            Ok(member) => member,
            Err(Failure::User(e)) => {
                lines.push(ctx.engine.localizer().text(ctx.lang, e.id, Some(&e.args)));
                continue;
            }
            Err(e) => return Err(e),
        };
        let name = member.display_name();
        let line = match ctx.tx.rsvp(event.id, member.id).await? {
            Some(r) if r.checked_in => ctx.t("checkin-already", crate::args!("member" => name)),
            Some(r) if r.status == RsvpStatus::Going => {
                ctx.tx
                    .put_rsvp(&Rsvp {
                        checked_in: true,
                        ..r
                    })
                    .await?;
                ctx.audit(
                    "rsvp.checkin",
                    Some(section.id),
                    format!("#{} #{}", event.id, member.id),
                )
                .await?;
                ctx.t(
                    "checkin-done",
                    crate::args!("member" => name, "title" => event.title.as_str()),
                )
            }
            Some(r) => ctx.t(
                "checkin-not-going",
                crate::args!("member" => name, "status" => r.status.as_str()),
            ),
            None => ctx.t("checkin-no-answer", crate::args!("member" => name)),
        };
        lines.push(line);
    }
    Ok(vec![ctx.reply(lines.join("\n"))])
}

/// A member leaving a section gives back their places in its upcoming
/// events: their answers become "can't come", and the waitlist moves up
/// (those promoted are told).
pub(super) async fn release(
    ctx: &mut Ctx<'_>,
    section: &Section,
    member: MemberId,
) -> Result<Vec<Outbound>, Failure> {
    let mut out = Vec::new();
    for event in ctx.tx.rsvps_of(member).await? {
        let Some(event) = ctx.tx.lock_event(event.event).await? else {
            continue;
        };
        if event.section != section.id
            || event.status != EventStatus::Scheduled
            || event.starts_at <= ctx.now
        {
            continue;
        }
        let rsvps = ctx.tx.rsvps(event.id).await?;
        let holds_place = rsvps.iter().any(|r| {
            r.member == member
                && matches!(
                    r.status,
                    RsvpStatus::Going | RsvpStatus::Waitlisted | RsvpStatus::Maybe
                )
        });
        if !holds_place {
            continue;
        }
        let Ok(plan) = rsvp::answer(
            &event,
            &rsvps,
            member,
            RsvpAnswer::No,
            0,
            section.settings.waitlist,
            ctx.now,
        ) else {
            continue;
        };
        ctx.tx.put_rsvp(&plan.mine).await?;
        for r in &plan.promoted {
            ctx.tx.put_rsvp(r).await?;
        }
        out.extend(tell_promoted(ctx, &event, section, &plan.promoted).await?);
        if let Some(offered) = plan.offered {
            out.extend(offer_place(ctx, &event, section, offered).await?);
        }
    }
    Ok(out)
}

pub(super) async fn confirm(ctx: &mut Ctx<'_>, id: EventId) -> Outcome {
    let event = find(ctx, id, false).await?;
    open_for_answers(ctx, &event).await?;
    let me = ctx.me().id;
    match ctx.tx.rsvp(event.id, me).await? {
        Some(r) if r.status == RsvpStatus::Going => {}
        _ => fail!("error-confirm-not-going", "id" => event.id.0),
    }
    ctx.audit(
        "rsvp.confirm",
        Some(event.section),
        format!("#{}", event.id),
    )
    .await?;
    Ok(vec![ctx.reply_text(
        "confirm-done",
        crate::args!("title" => event.title.as_str()),
    )])
}
