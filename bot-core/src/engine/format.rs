//! How times, counts and event cards read in a chat, per language.

use super::Ctx;
use crate::domain::*;
use crate::gesture::Gesture;
use crate::i18n::Localizer;
use crate::inbound::{Button, Outbound, OutboundKind, Target};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

/// `Sat 2026-12-05 10:00` in the section's time zone.
pub(crate) fn when(at: DateTime<Utc>, tz: Tz, lang: Language) -> String {
    let local = at.with_timezone(&tz);
    let day = match lang {
        Language::En => WEEKDAYS_EN,
        Language::Fr => WEEKDAYS_FR,
    }[local.weekday().num_days_from_monday() as usize];
    format!("{day} {}", local.format("%Y-%m-%d %H:%M"))
}

/// `10:00–12:00`, or a full end date when the event spans days.
pub(crate) fn span(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz, lang: Language) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    if s.date_naive() == e.date_naive() {
        format!("{}–{}", when(start, tz, lang), e.format("%H:%M"))
    } else {
        format!("{} – {}", when(start, tz, lang), when(end, tz, lang))
    }
}

/// Counts of one event's answers.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Places taken: going members and their guests.
    pub seats: u32,
    pub going: u32,
    pub maybe: u32,
    pub declined: u32,
    pub waitlisted: u32,
    pub checked_in: u32,
}

pub(crate) fn tally(rsvps: &[Rsvp]) -> Tally {
    let mut t = Tally::default();
    for r in rsvps {
        t.seats += r.seats();
        match r.status {
            RsvpStatus::Going => t.going += 1,
            RsvpStatus::Maybe => t.maybe += 1,
            RsvpStatus::Declined => t.declined += 1,
            RsvpStatus::Waitlisted => t.waitlisted += 1,
        }
        if r.checked_in {
            t.checked_in += 1;
        }
    }
    t
}

impl Ctx<'_> {
    pub fn fmt_when(&self, at: DateTime<Utc>, section: &Section) -> String {
        when(at, section.settings.timezone, self.lang)
    }

    /// The event card: time, place, counts, capacity and RSVP buttons.
    pub fn event_card(
        &self,
        event: &Event,
        section: &Section,
        rsvps: &[Rsvp],
        target: Target,
    ) -> Outbound {
        event_card(
            &self.engine.i18n,
            self.lang,
            self.now,
            event,
            section,
            rsvps,
            target,
        )
    }
}

/// The event card: time, place, counts, capacity and RSVP buttons.
pub(crate) fn event_card(
    i18n: &Localizer,
    lang: Language,
    now: DateTime<Utc>,
    event: &Event,
    section: &Section,
    rsvps: &[Rsvp],
    target: Target,
) -> Outbound {
    let tr = |id: &str, args: crate::i18n::Args| i18n.text(lang, id, Some(&args));
    let t = tally(rsvps);
    let tz = section.settings.timezone;
    let mut lines = vec![tr(
        "card-title",
        crate::args!("id" => event.id.0, "title" => event.title.as_str(), "span" => span(event.starts_at, event.ends_at, tz, lang)),
    )];
    if let Some(place) = &event.place {
        lines.push(tr("card-place", crate::args!("place" => place.as_str())));
    }
    lines.push(tr(
        "card-counts",
        crate::args!("going" => t.seats, "maybe" => t.maybe, "declined" => t.declined),
    ));
    if let Some(cap) = event.capacity {
        lines.push(tr(
            "card-capacity",
            crate::args!("capacity" => cap, "left" => cap.saturating_sub(t.seats), "waitlist" => t.waitlisted),
        ));
    }
    if let Some(r) = event.recurrence {
        lines.push(tr(&format!("card-every-{}", r.as_str()), crate::args!()));
    }
    match event.status {
        EventStatus::Cancelled => lines.push(tr("card-cancelled", crate::args!())),
        EventStatus::Proposed => lines.push(tr("card-proposed", crate::args!())),
        EventStatus::Rejected => lines.push(tr("card-rejected", crate::args!())),
        EventStatus::Scheduled => {}
    }
    let mut out = Outbound::new(target, OutboundKind::EventCard(event.id), lines.join("\n"));
    if event.status == EventStatus::Scheduled && event.starts_at > now {
        out.buttons = [
            (RsvpAnswer::Yes, "button-going"),
            (RsvpAnswer::Maybe, "button-maybe"),
            (RsvpAnswer::No, "button-declined"),
        ]
        .into_iter()
        .map(|(answer, label)| Button {
            label: tr(label, crate::args!()),
            gesture: Gesture::Rsvp {
                event: event.id,
                answer,
            },
        })
        .collect();
    }
    out
}
