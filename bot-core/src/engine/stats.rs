//! `stats`: how a section (and everything under it) is doing.

use super::permissions::subtree;
use super::{Ctx, Outcome};
use crate::domain::*;
use std::collections::BTreeSet;

fn percent(part: u32, whole: u32) -> String {
    (part * 100)
        .checked_div(whole)
        .map_or_else(|| "-".into(), |p| format!("{p}%"))
}

pub(super) async fn stats(ctx: &mut Ctx<'_>, slug: Option<&str>) -> Outcome {
    let section = ctx.section_or_room(slug).await?;
    let scope = subtree(ctx.sections().await?, section.id);
    let mut members = BTreeSet::new();
    let mut verified = BTreeSet::new();
    for id in &scope {
        for m in ctx.tx.memberships_in(*id).await? {
            members.insert(m.member);
            if m.verified {
                verified.insert(m.member);
            }
        }
    }
    let (mut open, mut proposed, mut closed, mut supporters) = (0u32, 0u32, 0u32, 0usize);
    for i in ctx
        .tx
        .initiatives()
        .await?
        .into_iter()
        .filter(|i| scope.contains(&i.section))
    {
        match i.status {
            InitiativeStatus::Open => open += 1,
            InitiativeStatus::Proposed => proposed += 1,
            InitiativeStatus::Closed => closed += 1,
            InitiativeStatus::Rejected => {}
        }
        supporters += ctx.tx.supporters(i.id).await?.len();
    }
    let (mut upcoming, mut past, mut answers, mut going, mut checked, mut going_checked_events) =
        (0u32, 0u32, 0u32, 0u32, 0u32, 0u32);
    for e in ctx
        .tx
        .events()
        .await?
        .into_iter()
        .filter(|e| scope.contains(&e.section) && e.status == EventStatus::Scheduled)
    {
        let rsvps = ctx.tx.rsvps(e.id).await?;
        answers += rsvps.len() as u32;
        if e.ends_at > ctx.now {
            upcoming += 1;
            continue;
        }
        past += 1;
        // Attendance counts only events where someone checked people in.
        if rsvps.iter().any(|r| r.checked_in) {
            going_checked_events += rsvps
                .iter()
                .filter(|r| r.status == RsvpStatus::Going)
                .count() as u32;
            // Of those going: attendance never passes 100%.
            checked += rsvps
                .iter()
                .filter(|r| r.checked_in && r.status == RsvpStatus::Going)
                .count() as u32;
        }
        going += rsvps
            .iter()
            .filter(|r| r.status == RsvpStatus::Going)
            .count() as u32;
    }
    let events = upcoming + past;
    let text = ctx.t(
        "stats",
        crate::args!(
            "name" => section.name.as_str(),
            "members" => members.len(), "verified" => verified.len(),
            "open" => open, "proposed" => proposed, "closed" => closed, "supporters" => supporters,
            "upcoming" => upcoming, "past" => past,
            "answer_rate" => percent(answers, events * members.len() as u32),
            "going" => going,
            "attendance" => percent(checked, going_checked_events),
            "noshows" => going_checked_events.saturating_sub(checked),
        ),
    );
    Ok(vec![ctx.reply(text)])
}
