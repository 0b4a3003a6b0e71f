//! Carrying the outbox to platforms. Every message Muster sends on its own
//! is first a `deliveries` row, written with the change that caused it; a
//! [`Dispatcher`] per platform claims due rows, hands them to that
//! platform's [`Messenger`], and records the outcome. A crash between claim
//! and outcome leaves the row `sending` with a lapsing claim, so it is sent
//! again (with the same idempotency key) rather than lost.

use crate::clock::Clock;
use crate::domain::{Delivery, DeliveryId, NewDelivery, Platform, RoomRef};
use crate::inbound::{Button, Outbound, OutboundKind, Target};
use crate::store::{Store, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use governor::clock::Clock as GovernorClock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

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

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
    /// Deliveries put back because their room's own limit was reached.
    pub deferred: u32,
}

/// A platform's published limits, enforced before sending so the platform
/// never has to refuse: `(messages, per period)` for the whole bot and for
/// each room.
#[derive(Debug, Clone, Default)]
pub struct RateLimits {
    pub overall: Option<(u32, std::time::Duration)>,
    pub per_room: Vec<(u32, std::time::Duration)>,
}

impl RateLimits {
    /// Telegram: 30 messages a second overall; 1 a second and 20 a minute in a group.
    pub fn telegram() -> Self {
        RateLimits {
            overall: Some((30, std::time::Duration::from_secs(1))),
            per_room: vec![
                (1, std::time::Duration::from_secs(1)),
                (20, std::time::Duration::from_secs(60)),
            ],
        }
    }

    /// Matrix: homeservers publish no fixed limits (Synapse's default lets
    /// a user burst 10 messages, then about 0.2 a second), so the operator
    /// sets the overall rate (`[matrix] messages_per_second`); a homeserver's
    /// `M_LIMIT_EXCEEDED` retry-after delays the room it concerns.
    pub fn matrix(per_second: u32) -> Self {
        RateLimits {
            overall: Some((per_second.max(1), std::time::Duration::from_secs(1))),
            per_room: Vec::new(),
        }
    }

    /// Discord: 50 requests a second overall; 5 per 5 seconds in a channel.
    pub fn discord() -> Self {
        RateLimits {
            overall: Some((50, std::time::Duration::from_secs(1))),
            per_room: vec![(5, std::time::Duration::from_secs(5))],
        }
    }
}

/// How the dispatcher waits for the overall bucket: `tokio::time::sleep` in
/// production; tests on a mock clock have no overall limit and never wait.
pub type Sleep =
    Arc<dyn Fn(std::time::Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

#[derive(Clone)]
struct LimiterClock(Arc<dyn Clock>);

impl GovernorClock for LimiterClock {
    type Instant = std::time::Duration;

    fn now(&self) -> std::time::Duration {
        let micros = self.0.now().timestamp_micros().max(0) as u64;
        std::time::Duration::from_micros(micros)
    }
}

type Direct =
    RateLimiter<NotKeyed, InMemoryState, LimiterClock, NoOpMiddleware<std::time::Duration>>;
type Keyed = RateLimiter<
    (bool, String),
    DefaultKeyedStateStore<(bool, String)>,
    LimiterClock,
    NoOpMiddleware<std::time::Duration>,
>;

fn quota((count, per): (u32, std::time::Duration)) -> Option<Quota> {
    let count = NonZeroU32::new(count)?;
    // `count` per `per`, with a burst of `count`: the platform's own bucket,
    // paced 2% slower so clock skew at the boundary never earns a 429.
    Quota::with_period(per.mul_f64(1.02) / count.get()).map(|q| q.allow_burst(count))
}

/// Claims and sends one platform's due deliveries.
pub struct Dispatcher {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    messenger: Arc<dyn Messenger>,
    policy: RetryPolicy,
    overall: Option<Direct>,
    per_room: Vec<Keyed>,
    sleep: Option<Sleep>,
    /// Claims no more than can be sent in half a claim at the overall rate,
    /// so a paced batch never outlives its claim.
    batch: u32,
    /// Rooms the platform told us to leave alone until a time.
    blocked: Mutex<HashMap<(bool, String), DateTime<Utc>>>,
}

impl Dispatcher {
    /// The platform this dispatcher sends to, while its messenger is ready
    /// (`None` when this process cannot send there now).
    pub fn serving(&self) -> Option<Platform> {
        self.messenger.ready().then(|| self.messenger.platform())
    }

    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        messenger: Arc<dyn Messenger>,
        policy: RetryPolicy,
    ) -> Self {
        Dispatcher {
            store,
            clock,
            messenger,
            batch: policy_batch(&policy),
            policy,
            overall: None,
            per_room: Vec::new(),
            sleep: None,
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// Paces sends to the platform's limits; `sleep` waits for the overall bucket.
    pub fn with_limits(mut self, limits: &RateLimits, sleep: Sleep) -> Self {
        let clock = LimiterClock(self.clock.clone());
        self.overall = limits
            .overall
            .and_then(quota)
            .map(|q| RateLimiter::direct_with_clock(q, clock.clone()));
        self.per_room = limits
            .per_room
            .iter()
            .filter_map(|l| quota(*l))
            .map(|q| RateLimiter::new(q, DefaultKeyedStateStore::default(), clock.clone()))
            .collect();
        self.sleep = Some(sleep);
        if let Some((count, per)) = limits.overall {
            let half_claim = self.policy.claim.to_std().unwrap_or_default().as_secs_f64() / 2.0;
            let fits = (f64::from(count) / per.as_secs_f64().max(0.001) * half_claim) as u32;
            self.batch = self.batch.min(fits.max(1));
        }
        self
    }

    /// When a room may next be sent to, if not now.
    fn room_wait(&self, key: &(bool, String), now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut blocked = self.blocked.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = blocked.get(key).copied() {
            if until > now {
                return Some(until);
            }
            blocked.remove(key);
        }
        drop(blocked);
        for limiter in &self.per_room {
            if let Err(not_until) = limiter.check_key(key) {
                let wait = not_until.wait_time_from(LimiterClock(self.clock.clone()).now());
                return Some(now + Duration::from_std(wait).unwrap_or(Duration::seconds(1)));
            }
        }
        None
    }

    async fn wait_overall(&self) {
        let (Some(limiter), Some(sleep)) = (&self.overall, &self.sleep) else {
            return;
        };
        while let Err(not_until) = limiter.check() {
            sleep(not_until.wait_time_from(LimiterClock(self.clock.clone()).now())).await;
        }
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
            for delivery in batch {
                self.send_one(&delivery, &mut report).await?;
            }
        }
    }

    async fn send_one(&self, d: &Delivery, report: &mut DispatchReport) -> Result<(), StoreError> {
        let key = (d.direct, d.room.room_id.clone());
        if let Some(until) = self.room_wait(&key, self.clock.now_micros()) {
            // This room waits; the others go on.
            let mut tx = self.store.begin().await?;
            tx.mark_retry(d.id, until, "room rate limit").await?;
            report.deferred += 1;
            return tx.commit().await;
        }
        self.wait_overall().await;
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
            Err(SendError::Permanent(e)) => {
                tx.mark_failed(d.id, &e).await?;
                report.failed += 1;
            }
            Err(e) if now - d.created_at >= self.policy.give_up_after => {
                tx.mark_failed(d.id, &e.to_string()).await?;
                report.failed += 1;
            }
            Err(SendError::RetryAfter(wait)) => {
                let wait = Duration::from_std(wait).unwrap_or(self.policy.max_delay);
                self.blocked
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, now + wait);
                tx.mark_retry(d.id, now + wait, "rate limited").await?;
                report.retried += 1;
            }
            Err(SendError::Transient(e)) => {
                let jitter = jitter_for(d.id, d.attempts);
                tx.mark_retry(d.id, now + self.policy.delay(d.attempts, jitter), &e)
                    .await?;
                report.retried += 1;
            }
        }
        tx.commit().await
    }
}

fn policy_batch(policy: &RetryPolicy) -> u32 {
    policy.batch.max(1)
}

/// Deterministic jitter in [0, 1) from the delivery and attempt, so tests
/// are reproducible and rooms still spread out.
fn jitter_for(id: DeliveryId, attempts: u32) -> f64 {
    let mut x = (id.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ u64::from(attempts).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    (x % 10_000) as f64 / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

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
            command: "/confirm 1".into(),
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
