//! Replies on the way out. An adapter hands [`Outgoing`] what
//! [`Engine::handle`] answered; each message leaves at once when the
//! platform's budget allows, through the same [`Paced`] messenger as the
//! outbox's deliveries. One the platform cannot take now (its room budget
//! is spent, it answered a retry-after, a 5xx or a timeout) becomes a
//! delivery due when it can go, so the dispatcher sends it later: an answer
//! is late, never lost. Later messages to the same place follow it into the
//! outbox, so a conversation keeps its order.

use super::pacing::{RoomKey, room_key};
use super::{Messenger, Paced, RetryPolicy, SendError};
use crate::domain::{Identity, RoomRef};
use crate::engine::Engine;
use crate::inbound::{Outbound, Target};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// What became of a batch of replies.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OutgoingReport {
    pub sent: u32,
    /// Put in the outbox, to go when the platform can take them.
    pub queued: u32,
    /// Never to be sent: the platform refused them for good.
    pub dropped: u32,
    /// Members a private reply could not reach (now marked unreachable):
    /// the adapter may tell them where they are, in the room they spoke in.
    pub unreachable: Vec<Identity>,
}

/// One platform's way out for replies.
pub struct Outgoing {
    engine: Arc<Engine>,
    messenger: Arc<Paced>,
    /// How long a reply that failed for a passing reason waits.
    retry_delay: Duration,
}

impl Outgoing {
    pub fn new(engine: Arc<Engine>, messenger: Arc<Paced>) -> Self {
        Outgoing {
            engine,
            messenger,
            retry_delay: RetryPolicy::default().first_delay,
        }
    }

    /// The paced messenger replies go through (the dispatcher's too).
    pub fn messenger(&self) -> &Arc<Paced> {
        &self.messenger
    }

    /// Sends the replies in order: each at once when it can go, else queued.
    pub async fn send_all(&self, replies: Vec<Outbound>) -> OutgoingReport {
        let mut report = OutgoingReport::default();
        // Places with a queued message, and when it is due: what follows
        // to the same place waits behind it.
        let mut queued: HashMap<RoomKey, DateTime<Utc>> = HashMap::new();
        for out in replies {
            let key = room_key(&out.target);
            let due = match queued.get(&key) {
                Some(after) => Some(*after),
                None => self.try_now(&out, &mut report).await,
            };
            let Some(due) = due else { continue };
            match self.engine.queue(&out, due).await {
                Ok(()) => {
                    report.queued += 1;
                    queued.insert(key, due);
                }
                Err(e) => {
                    tracing::error!(error = %e, platform = %out.target.platform(), "cannot queue a reply the platform did not take; it is lost");
                    report.dropped += 1;
                }
            }
        }
        report
    }

    /// Sends one message now; `Some(due)` when it must be queued instead.
    async fn try_now(&self, out: &Outbound, report: &mut OutgoingReport) -> Option<DateTime<Utc>> {
        let now = self.engine.clock().now_micros();
        let outcome = match self.messenger.send(out).await {
            Err(SendError::RoomMoved { to }) => self.follow(out, to).await,
            outcome => outcome,
        };
        let wait = match outcome {
            Ok(()) => {
                report.sent += 1;
                return None;
            }
            Err(SendError::Deferred(wait) | SendError::RetryAfter(wait)) => {
                Duration::from_std(wait).unwrap_or(self.retry_delay)
            }
            Err(e @ (SendError::Transient(_) | SendError::RoomMoved { .. })) => {
                tracing::warn!(error = %e, "reply not sent now; queued for a retry");
                self.retry_delay
            }
            Err(SendError::Unreachable(e)) => {
                if let Target::Direct { platform, user_id } = &out.target {
                    let member = Identity {
                        platform: *platform,
                        user_id: user_id.clone(),
                    };
                    if let Err(e) = self.engine.member_unreachable(&member).await {
                        tracing::warn!(error = %e, "cannot mark a member unreachable");
                    }
                    if !report.unreachable.contains(&member) {
                        report.unreachable.push(member);
                    }
                }
                tracing::info!(error = %e, "reply not sent: the member cannot be written to");
                report.dropped += 1;
                return None;
            }
            Err(SendError::Permanent(e)) => {
                tracing::warn!(error = %e, "reply refused by the platform for good");
                report.dropped += 1;
                return None;
            }
        };
        Some(now + wait)
    }

    /// The room has a new id: its link and deliveries follow, and the
    /// message goes there.
    async fn follow(&self, out: &Outbound, to: String) -> Result<(), SendError> {
        let Target::Room(old) = &out.target else {
            return Err(SendError::Permanent(
                "a direct conversation cannot move".into(),
            ));
        };
        let new = RoomRef::new(old.platform, to);
        if let Err(e) = self.engine.room_moved(old, &new).await {
            tracing::warn!(error = %e, "cannot move a room's link to its new id");
        }
        let mut moved = out.clone();
        moved.target = Target::Room(new);
        self.messenger.send(&moved).await
    }
}
