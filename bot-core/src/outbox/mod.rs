//! Carrying Muster's messages to platforms: one outgoing path for replies
//! and deliveries alike.
//!
//! - Every message Muster sends on its own is first a `deliveries` row,
//!   written with the change that caused it; a [`Dispatcher`] per platform
//!   claims due rows, hands them to that platform's [`Messenger`], and
//!   records the outcome. A crash between claim and outcome leaves the row
//!   `sending` with a lapsing claim, so it is sent again (with the same
//!   idempotency key) rather than lost.
//! - Replies to a command leave at once through [`Outgoing`]; one the
//!   platform cannot take now (its budget, a retry-after, a 5xx) becomes a
//!   delivery, so an answer is late, never lost.
//! - Both go through the platform's one [`Paced`] messenger, which keeps
//!   every send within the platform's limits.

mod dispatcher;
mod outgoing;
mod pacing;

pub use dispatcher::{DispatchReport, Dispatcher};
pub use outgoing::{Outgoing, OutgoingReport};
pub use pacing::{Paced, RateLimits, Sleep};

use crate::domain::{Delivery, NewDelivery, Platform, RoomRef};
use crate::inbound::{Button, Outbound, OutboundKind, Target};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The stored form of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredMessage {
    kind: OutboundKind,
    text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    buttons: Vec<Button>,
}

/// The outbox row for a message (not yet written).
pub fn new_delivery(
    out: &Outbound,
    key: String,
    announcement: Option<crate::domain::AnnouncementId>,
    now: DateTime<Utc>,
) -> NewDelivery {
    let (room, direct) = match &out.target {
        Target::Room(room) => (room.clone(), false),
        Target::Direct { platform, user_id } => (RoomRef::new(*platform, user_id.clone()), true),
    };
    let message = StoredMessage {
        kind: out.kind,
        text: out.text.clone(),
        buttons: out.buttons.clone(),
    };
    NewDelivery {
        announcement,
        room,
        direct,
        message: serde_json::to_string(&message).unwrap_or_else(|_| "{}".into()),
        idempotency_key: key,
        created_at: now,
    }
}

/// The message of a claimed delivery, ready for an adapter.
pub fn outbound_of(d: &Delivery) -> Result<Outbound, serde_json::Error> {
    let message: StoredMessage = serde_json::from_str(&d.message)?;
    let target = if d.direct {
        Target::Direct {
            platform: d.room.platform,
            user_id: d.room.room_id.clone(),
        }
    } else {
        Target::Room(d.room.clone())
    };
    Ok(Outbound {
        target,
        kind: message.kind,
        text: message.text,
        buttons: message.buttons,
        delivery: Some(d.id),
        idempotency_key: Some(d.idempotency_key.clone()),
    })
}

/// Why a send did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The platform asked us to wait (HTTP 429, M_LIMIT_EXCEEDED): only this
    /// room or bucket waits.
    #[error("rate limited, retry after {0:?}")]
    RetryAfter(std::time::Duration),
    /// Not attempted: the room's budget (or an earlier retry-after) allows
    /// it only after this wait ([`Paced`]). Nothing reached the platform.
    #[error("deferred for {0:?} by the room's rate limit")]
    Deferred(std::time::Duration),
    /// The room has a new id (a Telegram group upgraded to a supergroup):
    /// its section link and pending deliveries follow, and the message is
    /// sent there.
    #[error("the room moved to {to}")]
    RoomMoved { to: String },
    /// The member cannot be written to (blocked the bot, never started it,
    /// refuses direct messages): marked unreachable, never retried.
    #[error("member unreachable: {0}")]
    Unreachable(String),
    /// Worth trying again later (5xx, timeout, dropped connection).
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Will never work (the bot was removed from the room, the chat is gone).
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// A platform's way of sending one message. Adapters implement it.
#[async_trait]
pub trait Messenger: Send + Sync {
    fn platform(&self) -> Platform;
    async fn send(&self, message: &Outbound) -> Result<(), SendError>;
    /// Whether this process can send on the platform now. A dispatcher
    /// whose messenger is not ready leaves its deliveries to whichever
    /// process is (see [`MessengerSlot`]).
    fn ready(&self) -> bool {
        true
    }
}

/// A platform connection this process may or may not hold: filled while it
/// holds the platform's lease (one Matrix account is driven by one process
/// at a time), empty otherwise, so the dispatcher sends only while a
/// connection is up.
pub struct MessengerSlot {
    platform: Platform,
    inner: std::sync::RwLock<Option<Arc<dyn Messenger>>>,
}

impl MessengerSlot {
    pub fn new(platform: Platform) -> Self {
        MessengerSlot {
            platform,
            inner: std::sync::RwLock::new(None),
        }
    }

    pub fn fill(&self, messenger: Arc<dyn Messenger>) {
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = Some(messenger);
    }

    pub fn empty(&self) {
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn current(&self) -> Option<Arc<dyn Messenger>> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[async_trait]
impl Messenger for MessengerSlot {
    fn platform(&self) -> Platform {
        self.platform
    }

    async fn send(&self, message: &Outbound) -> Result<(), SendError> {
        match self.current() {
            Some(messenger) => messenger.send(message).await,
            None => Err(SendError::Transient(
                "this process no longer holds the platform connection".into(),
            )),
        }
    }

    fn ready(&self) -> bool {
        self.current().is_some()
    }
}

/// How long to keep trying, and how fast to back off.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// After this long since the delivery was created, it fails for good.
    pub give_up_after: Duration,
    /// How long a claim lasts before another dispatcher may take the row:
    /// it must outlast any send and the clock skew between processes, and
    /// is how long a crashed dispatcher's claimed deliveries wait.
    pub claim: Duration,
    pub batch: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            first_delay: Duration::seconds(5),
            max_delay: Duration::minutes(10),
            give_up_after: Duration::hours(24),
            claim: Duration::minutes(5),
            batch: 100,
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with jitter, so rooms that failed together do
    /// not retry together.
    pub fn delay(&self, attempts: u32, jitter: f64) -> Duration {
        let exp = 2f64.powi(attempts.saturating_sub(1).min(20) as i32);
        let base = (self.first_delay.num_milliseconds() as f64 * exp)
            .min(self.max_delay.num_milliseconds() as f64);
        Duration::milliseconds((base * (0.5 + jitter.clamp(0.0, 1.0) / 2.0)) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DeliveryId;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, 1.0), Duration::seconds(5));
        assert_eq!(p.delay(2, 1.0), Duration::seconds(10));
        assert_eq!(p.delay(30, 1.0), Duration::minutes(10));
        assert_eq!(p.delay(2, 0.0), Duration::seconds(5));
    }

    #[test]
    fn messages_round_trip_through_the_outbox_form() {
        let mut out = Outbound::new(
            Target::Direct {
                platform: Platform::Telegram,
                user_id: "42".into(),
            },
            OutboundKind::Private,
            "hi",
        );
        out.buttons.push(Button {
            label: "ok".into(),
            gesture: crate::gesture::Gesture::Confirm {
                event: crate::domain::EventId(1),
            },
        });
        let new = new_delivery(&out, "k1".into(), None, DateTime::UNIX_EPOCH);
        let d = Delivery {
            id: DeliveryId(3),
            announcement: None,
            room: new.room,
            direct: new.direct,
            message: new.message,
            status: crate::domain::DeliveryStatus::Sending,
            attempts: 1,
            next_attempt_at: DateTime::UNIX_EPOCH,
            last_error: None,
            idempotency_key: "k1".into(),
            created_at: DateTime::UNIX_EPOCH,
            sent_at: None,
        };
        let back = outbound_of(&d).unwrap();
        assert_eq!(back.target, out.target);
        assert_eq!(back.buttons, out.buttons);
        assert_eq!(back.delivery, Some(DeliveryId(3)));
        assert_eq!(back.idempotency_key.as_deref(), Some("k1"));
    }
}
