//! Gestures: what a member does with a button or a reaction instead of
//! typing. An adapter hands the engine a [`Gesture`] as typed input, never
//! as command text it builds; the engine runs the command it stands for and
//! answers the member privately (a press in a group must not post in it).
//!
//! A gesture has one short text form, `rsvp 12 yes`, `confirm 12`,
//! `withdraw 12`: it is what buttons carry (Telegram `callback_data` is at
//! most 64 bytes, a Discord `custom_id` 100 characters), what the outbox
//! stores, and what the console shows beside a button. It reads back with
//! [`Gesture::from_str`], which also takes the command lines buttons
//! carried before gestures were typed (`/rsvp 12 yes`), so stored messages
//! keep working.

use crate::command::Command;
use crate::domain::{EventId, InitiativeId, RsvpAnswer};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gesture {
    /// An answer on an event card (a Going / Maybe / Can't button, a ✅ ❔ ❌
    /// reaction, or the removal of a member's last reaction).
    Rsvp { event: EventId, answer: RsvpAnswer },
    /// "I'm still coming" on the confirm step's message.
    Confirm { event: EventId },
    /// "I can't come after all": gives the place up (the waitlist moves).
    Withdraw { event: EventId },
    /// An organiser's decision on a member's proposal, from the buttons of
    /// the notice that told them about it.
    Decide { proposal: Proposal, approve: bool },
}

/// Something a member proposed that waits for an organiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proposal {
    Event(EventId),
    Initiative(InitiativeId),
}

impl Gesture {
    /// The command this gesture stands for, as if the member had typed it.
    pub fn command(self) -> Command {
        match self {
            Gesture::Rsvp { event, answer } => Command::Rsvp {
                id: event,
                answer,
                guests: None,
            },
            Gesture::Confirm { event } => Command::Confirm { id: event },
            Gesture::Withdraw { event } => Command::Rsvp {
                id: event,
                answer: RsvpAnswer::No,
                guests: None,
            },
            Gesture::Decide {
                proposal: Proposal::Event(id),
                approve: true,
            } => Command::EventApprove { id },
            Gesture::Decide {
                proposal: Proposal::Event(id),
                approve: false,
            } => Command::EventReject { id, reason: None },
            Gesture::Decide {
                proposal: Proposal::Initiative(id),
                approve: true,
            } => Command::InitiativeApprove { id },
            Gesture::Decide {
                proposal: Proposal::Initiative(id),
                approve: false,
            } => Command::InitiativeReject { id, reason: None },
        }
    }

    /// The event whose card or reminder the gesture was made on, if any.
    pub fn event(self) -> Option<EventId> {
        match self {
            Gesture::Rsvp { event, .. }
            | Gesture::Confirm { event }
            | Gesture::Withdraw { event } => Some(event),
            Gesture::Decide { .. } => None,
        }
    }

    /// The command a member could type to do the same, for platforms with
    /// no buttons (`/rsvp 12 yes`).
    pub fn command_line(self) -> String {
        match self {
            Gesture::Rsvp { event, answer } => format!("/rsvp {event} {}", answer.as_str()),
            Gesture::Confirm { event } => format!("/confirm {event}"),
            Gesture::Withdraw { event } => format!("/rsvp {event} no"),
            Gesture::Decide { proposal, approve } => {
                let (what, id) = match proposal {
                    Proposal::Event(id) => ("event", id.0),
                    Proposal::Initiative(id) => ("initiative", id.0),
                };
                let verb = if approve { "approve" } else { "reject" };
                format!("/{what} {verb} {id}")
            }
        }
    }
}

impl fmt::Display for Gesture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gesture::Rsvp { event, answer } => write!(f, "rsvp {event} {}", answer.as_str()),
            Gesture::Confirm { event } => write!(f, "confirm {event}"),
            Gesture::Withdraw { event } => write!(f, "withdraw {event}"),
            Gesture::Decide { proposal, approve } => {
                let verb = if *approve { "approve" } else { "reject" };
                match proposal {
                    Proposal::Event(id) => write!(f, "{verb} event {id}"),
                    Proposal::Initiative(id) => write!(f, "{verb} initiative {id}"),
                }
            }
        }
    }
}

/// A text that is not a gesture (a forged or stale button payload).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a gesture")]
pub struct NotAGesture(pub String);

impl FromStr for Gesture {
    type Err = NotAGesture;

    fn from_str(text: &str) -> Result<Self, NotAGesture> {
        let refuse = || NotAGesture(text.chars().take(100).collect());
        let words: Vec<&str> = text.trim().trim_start_matches('/').split(' ').collect();
        let event = |word: &str| {
            word.trim_start_matches('#')
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(EventId)
        };
        match words.as_slice() {
            ["rsvp", id, answer] => {
                let answer: RsvpAnswer = answer.parse().map_err(|_| refuse())?;
                Ok(Gesture::Rsvp {
                    event: event(id).ok_or_else(refuse)?,
                    answer,
                })
            }
            ["confirm", id] => Ok(Gesture::Confirm {
                event: event(id).ok_or_else(refuse)?,
            }),
            ["withdraw", id] => Ok(Gesture::Withdraw {
                event: event(id).ok_or_else(refuse)?,
            }),
            [verb @ ("approve" | "reject"), what, id] => {
                let id = event(id).ok_or_else(refuse)?.0;
                let proposal = match *what {
                    "event" => Proposal::Event(EventId(id)),
                    "initiative" => Proposal::Initiative(InitiativeId(id)),
                    _ => return Err(refuse()),
                };
                Ok(Gesture::Decide {
                    proposal,
                    approve: *verb == "approve",
                })
            }
            _ => Err(refuse()),
        }
    }
}

impl Serialize for Gesture {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Gesture {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_forms_read_back() {
        for gesture in [
            Gesture::Rsvp {
                event: EventId(12),
                answer: RsvpAnswer::Maybe,
            },
            Gesture::Confirm { event: EventId(3) },
            Gesture::Withdraw {
                event: EventId(999_999_999),
            },
            Gesture::Decide {
                proposal: Proposal::Event(EventId(5)),
                approve: true,
            },
            Gesture::Decide {
                proposal: Proposal::Initiative(InitiativeId(999_999_999)),
                approve: false,
            },
        ] {
            assert_eq!(gesture.to_string().parse::<Gesture>(), Ok(gesture));
            // Telegram's callback_data limit.
            assert!(gesture.to_string().len() <= 64);
        }
    }

    #[test]
    fn stored_command_buttons_still_read() {
        assert_eq!(
            "/rsvp 7 no".parse::<Gesture>(),
            Ok(Gesture::Rsvp {
                event: EventId(7),
                answer: RsvpAnswer::No
            })
        );
        assert_eq!(
            "/confirm 7".parse::<Gesture>(),
            Ok(Gesture::Confirm { event: EventId(7) })
        );
    }

    #[test]
    fn forged_payloads_are_refused() {
        for text in [
            "",
            "rsvp",
            "rsvp 1",
            "rsvp x yes",
            "rsvp 1 yes +3",
            "rsvp -1 yes",
            "rsvp 0 yes",
            "announce all hello",
            "confirm 1 2",
        ] {
            assert!(text.parse::<Gesture>().is_err(), "{text}");
        }
    }

    #[test]
    fn a_withdrawal_is_a_no() {
        assert_eq!(
            Gesture::Withdraw { event: EventId(4) }.command(),
            Command::Rsvp {
                id: EventId(4),
                answer: RsvpAnswer::No,
                guests: None
            }
        );
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused_without_panic(text in "\\PC{0,80}") {
            let _ = text.parse::<Gesture>();
        }
    }
}
