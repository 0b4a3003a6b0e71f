//! The capacity and waitlist rules, as a pure function of an event's answers
//! so they can be tested exhaustively; the engine runs it while holding the
//! event's lock, which is what makes capacity exact under concurrency.

use crate::domain::*;
use chrono::{DateTime, Utc};

/// What an answer changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The member's new answer.
    pub mine: Rsvp,
    /// Waitlisted members moved to going, in waitlist order.
    pub promoted: Vec<Rsvp>,
    /// In `notify` mode, the first waitlisted member who now fits and should
    /// be offered the place.
    pub offered: Option<MemberId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A going member asked for more guests than fit; `left` places could
    /// be had (they keep their place as it was).
    NoRoom { left: u32 },
}

/// Applies `answer` (+`guests`) by `member` to an event whose current answers
/// are `rsvps`.
///
/// Rules: a place is taken by a going member and each guest. Past capacity a
/// member is waitlisted at the end of the queue. When places free, `auto`
/// promotes in queue order everyone whose party fits (a party too large for
/// what is left keeps its rank, and the places do not stay empty); `notify`
/// only offers the place to the first who fits, and holds it for them.
pub fn answer(
    event: &Event,
    rsvps: &[Rsvp],
    member: MemberId,
    answer: RsvpAnswer,
    guests: u32,
    mode: WaitlistMode,
    now: DateTime<Utc>,
) -> Result<Plan, Refusal> {
    let current = rsvps.iter().find(|r| r.member == member);
    let others: Vec<&Rsvp> = rsvps.iter().filter(|r| r.member != member).collect();
    let others_seats: u32 = others.iter().map(|r| r.seats()).sum();
    let mut mine = Rsvp {
        event: event.id,
        member,
        status: RsvpStatus::Going,
        guests,
        position: None,
        checked_in: current.is_some_and(|r| r.checked_in),
        updated_at: now,
    };
    match answer {
        RsvpAnswer::Yes => {
            if let Some(cap) = event.capacity {
                let need = 1 + guests;
                let fits = others_seats + need <= cap;
                let was_going = current.is_some_and(|r| r.status == RsvpStatus::Going);
                let was_waitlisted = current.filter(|r| r.status == RsvpStatus::Waitlisted);
                // Someone ahead in the queue who fits the free places has
                // the better claim (in `notify` mode the place is held for them).
                let free = cap.saturating_sub(others_seats);
                let claim_ahead = others.iter().any(|r| {
                    r.status == RsvpStatus::Waitlisted
                        && r.guests < free
                        && match was_waitlisted.and_then(|w| w.position) {
                            Some(mine) => r.position < Some(mine),
                            None => true,
                        }
                });
                // A going member asking for more places than are free keeps
                // their place as it was; anyone else waits with their party,
                // even one larger than the event (its capacity may grow).
                if was_going && !fits {
                    return Err(Refusal::NoRoom {
                        left: cap.saturating_sub(others_seats),
                    });
                }
                if !(was_going || fits && !claim_ahead) {
                    mine.status = RsvpStatus::Waitlisted;
                    mine.position = Some(match was_waitlisted.and_then(|w| w.position) {
                        Some(p) => p,
                        None => rsvps.iter().filter_map(|r| r.position).max().unwrap_or(0) + 1,
                    });
                }
            }
        }
        RsvpAnswer::Maybe => mine.status = RsvpStatus::Maybe,
        RsvpAnswer::No => {
            mine.status = RsvpStatus::Declined;
            mine.guests = 0;
        }
    }
    let mut after: Vec<Rsvp> = others.into_iter().cloned().collect();
    after.push(mine.clone());
    let (promoted, offered) = promote(event, &after, mode, now);
    Ok(Plan {
        mine,
        promoted,
        offered,
    })
}

/// Who moves up when places are free: after an answer, a larger capacity, or
/// a cancelled confirmation.
pub fn promote(
    event: &Event,
    rsvps: &[Rsvp],
    mode: WaitlistMode,
    now: DateTime<Utc>,
) -> (Vec<Rsvp>, Option<MemberId>) {
    let Some(cap) = event.capacity else {
        // Unlimited: nobody should wait (e.g. after the limit was removed).
        let promoted = waitlist(rsvps).into_iter().map(|r| going(r, now)).collect();
        return (promoted, None);
    };
    let mut seats: u32 = rsvps.iter().map(|r| r.seats()).sum();
    let mut promoted = Vec::new();
    for r in waitlist(rsvps) {
        let need = 1 + r.guests;
        if seats + need > cap {
            continue; // this party waits for more room; those behind who fit go
        }
        if mode == WaitlistMode::Notify {
            return (promoted, Some(r.member));
        }
        seats += need;
        promoted.push(going(r, now));
    }
    (promoted, None)
}

fn waitlist(rsvps: &[Rsvp]) -> Vec<&Rsvp> {
    let mut w: Vec<&Rsvp> = rsvps
        .iter()
        .filter(|r| r.status == RsvpStatus::Waitlisted)
        .collect();
    w.sort_by_key(|r| (r.position, r.updated_at, r.member));
    w
}

fn going(r: &Rsvp, now: DateTime<Utc>) -> Rsvp {
    Rsvp {
        status: RsvpStatus::Going,
        position: None,
        updated_at: now,
        ..r.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn event(capacity: Option<u32>) -> Event {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 18, 0, 0).unwrap();
        Event {
            id: EventId(1),
            section: SectionId(1),
            initiative: None,
            title: "Meeting".into(),
            starts_at: t,
            ends_at: t + chrono::Duration::hours(2),
            place: None,
            coordinates: None,
            capacity,
            rsvp_deadline: None,
            recurrence: None,
            status: EventStatus::Scheduled,
            proposer: None,
            reason: None,
            created_at: t,
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
    }

    /// Applies a plan the way the engine does.
    fn apply(rsvps: &mut Vec<Rsvp>, plan: &Plan) {
        for r in std::iter::once(&plan.mine).chain(&plan.promoted) {
            rsvps.retain(|x| x.member != r.member);
            rsvps.push(r.clone());
        }
    }

    fn say(
        e: &Event,
        rsvps: &mut Vec<Rsvp>,
        who: i64,
        a: RsvpAnswer,
        guests: u32,
        mode: WaitlistMode,
    ) -> Result<Plan, Refusal> {
        let plan = answer(e, rsvps, MemberId(who), a, guests, mode, now())?;
        apply(rsvps, &plan);
        Ok(plan)
    }

    fn status(rsvps: &[Rsvp], who: i64) -> RsvpStatus {
        rsvps
            .iter()
            .find(|r| r.member == MemberId(who))
            .unwrap()
            .status
    }

    #[test]
    fn guests_count_against_capacity_and_the_waitlist_moves_in_order() {
        let e = event(Some(3));
        let mut r = Vec::new();
        say(&e, &mut r, 1, RsvpAnswer::Yes, 1, WaitlistMode::Auto).unwrap();
        say(&e, &mut r, 2, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        say(&e, &mut r, 3, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        say(&e, &mut r, 4, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        assert_eq!(status(&r, 3), RsvpStatus::Waitlisted);
        assert_eq!(status(&r, 4), RsvpStatus::Waitlisted);
        // Member 1 comes alone now: one place frees, the head of the queue gets it.
        let plan = say(&e, &mut r, 1, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        assert_eq!(
            plan.promoted.iter().map(|p| p.member).collect::<Vec<_>>(),
            vec![MemberId(3)]
        );
        assert_eq!(status(&r, 4), RsvpStatus::Waitlisted);
        let plan = say(&e, &mut r, 2, RsvpAnswer::No, 0, WaitlistMode::Auto).unwrap();
        assert_eq!(plan.promoted[0].member, MemberId(4));
    }

    #[test]
    fn free_places_go_to_the_first_in_line_whose_party_fits() {
        let e = event(Some(3));
        let mut r = Vec::new();
        say(&e, &mut r, 1, RsvpAnswer::Yes, 1, WaitlistMode::Auto).unwrap();
        say(&e, &mut r, 2, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        say(&e, &mut r, 3, RsvpAnswer::Yes, 1, WaitlistMode::Auto).unwrap();
        say(&e, &mut r, 4, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        let plan = say(&e, &mut r, 2, RsvpAnswer::No, 0, WaitlistMode::Auto).unwrap();
        assert_eq!(
            plan.promoted.iter().map(|p| p.member).collect::<Vec<_>>(),
            vec![MemberId(4)]
        );
        assert_eq!(
            status(&r, 3),
            RsvpStatus::Waitlisted,
            "keeps its rank for the next two places"
        );
    }

    #[test]
    fn a_party_larger_than_the_event_waits_for_a_larger_capacity() {
        let e = event(Some(2));
        assert_eq!(
            answer(
                &e,
                &[],
                MemberId(1),
                RsvpAnswer::Yes,
                2,
                WaitlistMode::Auto,
                now()
            ),
            Ok(Plan {
                mine: Rsvp {
                    event: e.id,
                    member: MemberId(1),
                    status: RsvpStatus::Waitlisted,
                    guests: 2,
                    position: Some(1),
                    checked_in: false,
                    updated_at: now(),
                },
                promoted: vec![],
                offered: None,
            })
        );
    }

    #[test]
    fn a_going_member_cannot_bring_guests_past_capacity() {
        let e = event(Some(2));
        let mut r = Vec::new();
        say(&e, &mut r, 1, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        say(&e, &mut r, 2, RsvpAnswer::Yes, 0, WaitlistMode::Auto).unwrap();
        assert_eq!(
            say(&e, &mut r, 1, RsvpAnswer::Yes, 1, WaitlistMode::Auto),
            Err(Refusal::NoRoom { left: 1 })
        );
        assert_eq!(status(&r, 1), RsvpStatus::Going);
    }

    #[test]
    fn notify_mode_offers_instead_of_promoting() {
        let e = event(Some(1));
        let mut r = Vec::new();
        say(&e, &mut r, 1, RsvpAnswer::Yes, 0, WaitlistMode::Notify).unwrap();
        say(&e, &mut r, 2, RsvpAnswer::Yes, 0, WaitlistMode::Notify).unwrap();
        let plan = say(&e, &mut r, 1, RsvpAnswer::No, 0, WaitlistMode::Notify).unwrap();
        assert!(plan.promoted.is_empty());
        assert_eq!(plan.offered, Some(MemberId(2)));
        // A newcomer does not overtake the member the place was offered to...
        say(&e, &mut r, 3, RsvpAnswer::Yes, 0, WaitlistMode::Notify).unwrap();
        assert_eq!(status(&r, 3), RsvpStatus::Waitlisted);
        // ...who takes it by answering yes.
        say(&e, &mut r, 2, RsvpAnswer::Yes, 0, WaitlistMode::Notify).unwrap();
        assert_eq!(status(&r, 2), RsvpStatus::Going);
    }

    #[test]
    fn unlimited_events_never_waitlist() {
        let e = event(None);
        let mut r = Vec::new();
        for who in 0..100 {
            say(&e, &mut r, who, RsvpAnswer::Yes, 3, WaitlistMode::Auto).unwrap();
        }
        assert!(r.iter().all(|x| x.status == RsvpStatus::Going));
    }

    proptest! {
        /// Whatever members answer, in any order: places taken never exceed
        /// capacity, and in auto mode nobody waits whose party would fit.
        #[test]
        fn capacity_holds_for_any_sequence(
            cap in 1u32..12,
            steps in prop::collection::vec((0i64..15, 0u8..3, 0u32..3), 1..80),
        ) {
            let e = event(Some(cap));
            let mut r = Vec::new();
            for (who, a, guests) in steps {
                let a = [RsvpAnswer::Yes, RsvpAnswer::Maybe, RsvpAnswer::No][a as usize];
                let _ = say(&e, &mut r, who, a, guests, WaitlistMode::Auto);
                let seats: u32 = r.iter().map(|x| x.seats()).sum();
                prop_assert!(seats <= cap);
                let mut queue: Vec<&Rsvp> = r.iter().filter(|x| x.status == RsvpStatus::Waitlisted).collect();
                queue.sort_by_key(|x| x.position);
                for waiting in &queue {
                    prop_assert!(seats + 1 + waiting.guests > cap, "a waitlisted party would fit but waits");
                }
                let positions: std::collections::BTreeSet<_> = queue.iter().map(|x| x.position).collect();
                prop_assert_eq!(positions.len(), queue.len(), "waitlist positions are unique");
            }
        }
    }
}
