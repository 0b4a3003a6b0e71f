//! What adapters hand the engine, and what the engine hands back.

use crate::domain::{DeliveryId, EventId, Platform, RoomRef};
use crate::gesture::Gesture;
use serde::{Deserialize, Serialize};

/// What a member did: typed a line, or made a gesture (pressed a button,
/// reacted to a card).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A line already stripped of platform markup; lines not addressed to
    /// the bot (no command word) give no effects.
    Text(String),
    Gesture(Gesture),
}

/// Something a person did in a room, as the engine takes it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    pub room: RoomRef,
    /// A one-to-one conversation with the bot (replies there are private).
    pub direct: bool,
    /// The sender's id on the platform (console: the name typed before `>`).
    pub sender: String,
    /// How the platform names the sender; used when the member is created.
    pub sender_name: String,
    pub input: Input,
    /// The platform's id of the message (Matrix event id, Telegram chat and
    /// message id). When set, the engine handles the message once: handled
    /// again (a retry, another process taking the bot over), it gives back
    /// the replies it gave the first time, with the same idempotency keys.
    pub message_id: Option<String>,
}

impl Inbound {
    /// A typed line from `sender` in `room`, with no platform message id.
    pub fn text(room: RoomRef, sender: impl Into<String>, text: impl Into<String>) -> Self {
        let sender = sender.into();
        Inbound {
            room,
            direct: false,
            sender_name: sender.clone(),
            sender,
            input: Input::Text(text.into()),
            message_id: None,
        }
    }

    /// Where the answers to this input go: back into the room for a typed
    /// line, privately to the sender for a gesture (a button pressed in a
    /// group is nobody else's business, and must not flood it).
    pub fn answer_target(&self) -> Target {
        match self.input {
            Input::Gesture(_) if !self.direct => Target::Direct {
                platform: self.room.platform,
                user_id: self.sender.clone(),
            },
            _ => Target::Room(self.room.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Room(RoomRef),
    /// A direct message to a member's identity on one platform.
    Direct {
        platform: Platform,
        user_id: String,
    },
}

impl Target {
    pub fn platform(&self) -> Platform {
        match self {
            Target::Room(room) => room.platform,
            Target::Direct { platform, .. } => *platform,
        }
    }
}

/// A button under a message; pressing it is `gesture`, made by the presser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    /// Stored as its text form; `command` is the name buttons had when they
    /// carried a command line, still read from older outbox rows.
    #[serde(alias = "command")]
    pub gesture: Gesture,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboundKind {
    /// An answer to the command that was just typed.
    Reply,
    /// A reply saying what went wrong.
    Error,
    /// An event card (adapters may edit it in place when counts change).
    EventCard(EventId),
    /// The same card with changed counts, after an RSVP: adapters that can
    /// edit the card already shown in the room do so, others show it anew.
    CardUpdate(EventId),
    /// An announcement, reminder or other notice the organisation sends.
    Notice,
    /// A message only for the recipient.
    Private,
    /// The last word in a room the organisation stopped using (unlinked):
    /// adapters send it, then leave the room where the platform allows.
    Farewell,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    pub target: Target,
    pub kind: OutboundKind,
    pub text: String,
    pub buttons: Vec<Button>,
    /// Set when the message is tracked in the outbox: the adapter reports
    /// back whether it was sent.
    pub delivery: Option<DeliveryId>,
    /// Passed to platforms that deduplicate (Matrix txn id, Discord nonce).
    pub idempotency_key: Option<String>,
}

impl Outbound {
    pub fn new(target: Target, kind: OutboundKind, text: impl Into<String>) -> Self {
        Outbound {
            target,
            kind,
            text: text.into(),
            buttons: Vec::new(),
            delivery: None,
            idempotency_key: None,
        }
    }
}
