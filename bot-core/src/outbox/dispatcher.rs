//! The dispatcher: claims one platform's due deliveries and sends them
//! through the platform's [`Paced`] messenger, recording each outcome.

use super::{Paced, RetryPolicy, SendError, outbound_of};
use crate::clock::Clock;
use crate::domain::{Delivery, DeliveryId, Identity, Platform, RoomRef};
use crate::outbox::Messenger;
use crate::store::{Store, StoreError, Tx};
use chrono::Duration;
use std::sync::Arc;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
    /// Deliveries put back because their room's own limit was reached.
    pub deferred: u32,
}

/// Claims and sends one platform's due deliveries.
pub struct Dispatcher {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    messenger: Arc<Paced>,
    policy: RetryPolicy,
    /// Claims no more than can be sent in half a claim at the overall rate,
    /// so a paced batch never outlives its claim.
    batch: u32,
}

impl Dispatcher {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        messenger: Arc<Paced>,
        policy: RetryPolicy,
    ) -> Self {
        let mut batch = policy.batch.max(1);
        if let Some((count, per)) = messenger.limits().overall {
            let half_claim = policy.claim.to_std().unwrap_or_default().as_secs_f64() / 2.0;
            let fits = (f64::from(count) / per.as_secs_f64().max(0.001) * half_claim) as u32;
            batch = batch.min(fits.max(1));
        }
        Dispatcher {
            store,
            clock,
            messenger,
            policy,
            batch,
        }
    }

    /// The platform this dispatcher sends to, while its messenger is ready
    /// (`None` when this process cannot send there now).
    pub fn serving(&self) -> Option<Platform> {
        self.messenger.ready().then(|| self.messenger.platform())
    }

    /// Sends everything due now, batch by batch, and reports what happened.
    pub async fn dispatch_due(&self) -> Result<DispatchReport, StoreError> {
        let mut report = DispatchReport::default();
        loop {
            if !self.messenger.ready() {
                return Ok(report);
            }
            let now = self.clock.now_micros();
            let mut tx = self.store.begin().await?;
            let batch = tx
                .claim_deliveries(
                    self.messenger.platform(),
                    now,
                    now + self.policy.claim,
                    self.batch,
                )
                .await?;
            tx.commit().await?;
            if batch.is_empty() {
                return Ok(report);
            }
            // Rooms that moved during this batch: the rows followed in the
            // database; the copies claimed with them follow here.
            let mut moved: Vec<(RoomRef, RoomRef)> = Vec::new();
            for mut delivery in batch {
                if let Some((_, new)) = moved
                    .iter()
                    .find(|(old, _)| !delivery.direct && *old == delivery.room)
                {
                    delivery.room = new.clone();
                }
                if let Some(room) = self.send_one(&delivery, &mut report).await? {
                    moved.push((delivery.room.clone(), room));
                }
            }
        }
    }

    /// Sends one delivery and records the outcome; `Some(room)` when the
    /// platform said its room moved there.
    async fn send_one(
        &self,
        d: &Delivery,
        report: &mut DispatchReport,
    ) -> Result<Option<RoomRef>, StoreError> {
        let mut moved_to = None;
        let outcome = match outbound_of(d) {
            Ok(message) => self.messenger.send(&message).await,
            Err(e) => Err(SendError::Permanent(format!("unreadable message: {e}"))),
        };
        let now = self.clock.now_micros();
        let mut tx = self.store.begin().await?;
        match outcome {
            Ok(()) => {
                tx.mark_sent(d.id, now).await?;
                report.sent += 1;
            }
            Err(SendError::Deferred(wait)) => {
                // Nothing was sent: this room waits, the others go on.
                let wait = Duration::from_std(wait).unwrap_or(self.policy.max_delay);
                tx.mark_retry(d.id, now + wait, "room rate limit").await?;
                report.deferred += 1;
            }
            Err(SendError::Permanent(e)) => {
                tx.mark_failed(d.id, &e).await?;
                report.failed += 1;
            }
            Err(SendError::Unreachable(e)) => {
                if d.direct {
                    let member = Identity {
                        platform: d.room.platform,
                        user_id: d.room.room_id.clone(),
                    };
                    crate::engine::mark_unreachable(tx.as_mut(), &member, now).await?;
                }
                tx.mark_failed(d.id, &format!("unreachable: {e}")).await?;
                report.failed += 1;
            }
            Err(SendError::RoomMoved { to }) if !d.direct => {
                let new = RoomRef::new(d.room.platform, to);
                follow(tx.as_mut(), &d.room, &new, now).await?;
                // Moved with the room's other deliveries: due again at once.
                tx.mark_retry(d.id, now, "room moved").await?;
                report.retried += 1;
                moved_to = Some(new);
            }
            Err(e) if now - d.created_at >= self.policy.give_up_after => {
                tx.mark_failed(d.id, &e.to_string()).await?;
                report.failed += 1;
            }
            Err(SendError::RetryAfter(wait)) => {
                let wait = Duration::from_std(wait).unwrap_or(self.policy.max_delay);
                tx.mark_retry(d.id, now + wait, "rate limited").await?;
                report.retried += 1;
            }
            Err(e @ (SendError::Transient(_) | SendError::RoomMoved { .. })) => {
                let jitter = jitter_for(d.id, d.attempts);
                tx.mark_retry(
                    d.id,
                    now + self.policy.delay(d.attempts, jitter),
                    &e.to_string(),
                )
                .await?;
                report.retried += 1;
            }
        }
        tx.commit().await?;
        Ok(moved_to)
    }
}

/// The room's link and pending deliveries go to its new id.
async fn follow(
    tx: &mut dyn Tx,
    old: &RoomRef,
    new: &RoomRef,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    crate::engine::follow_room(tx, old, new, now).await?;
    tracing::info!(old = %old.room_id, new = %new.room_id, platform = %old.platform, "room moved; its link and deliveries follow");
    Ok(())
}

/// Deterministic jitter in [0, 1) from the delivery and attempt, so tests
/// are reproducible and rooms still spread out.
fn jitter_for(id: DeliveryId, attempts: u32) -> f64 {
    let mut x = (id.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ u64::from(attempts).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    (x % 10_000) as f64 / 10_000.0
}
