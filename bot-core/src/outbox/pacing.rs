//! Pacing: a [`Messenger`] that wraps a platform's messenger and keeps
//! every send within the platform's published limits (overall and per
//! room), and out of any room the platform told us to leave alone for a
//! while (a 429's retry-after). Modelled on teloxide's `Throttle` adaptor,
//! with one difference that matters for an organisation: a 429 delays only
//! the room it concerns, never the whole bot.
//!
//! Replies and outbox deliveries go through the same [`Paced`], so the
//! budget is one: a busy announcement cannot push a group past its limit
//! because replies were counted apart.

use super::{Messenger, SendError};
use crate::clock::Clock;
use crate::domain::Platform;
use crate::inbound::{Outbound, Target};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use governor::clock::Clock as GovernorClock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A platform's published limits, enforced before sending so the platform
/// never has to refuse: `(messages, per period)` for the whole bot and for
/// each room.
#[derive(Debug, Clone, Default)]
pub struct RateLimits {
    pub overall: Option<(u32, std::time::Duration)>,
    pub per_room: Vec<(u32, std::time::Duration)>,
}

impl RateLimits {
    /// Telegram: 30 messages a second overall; in a chat about one a
    /// second, with the short bursts Telegram allows (a reply and its card
    /// leave together), and 20 a minute in a group.
    pub fn telegram() -> Self {
        RateLimits {
            overall: Some((30, std::time::Duration::from_secs(1))),
            per_room: vec![
                (3, std::time::Duration::from_secs(3)),
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

/// How pacing waits for the overall bucket: `tokio::time::sleep` in
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
    RoomKey,
    DefaultKeyedStateStore<RoomKey>,
    LimiterClock,
    NoOpMiddleware<std::time::Duration>,
>;

/// A room or a member's direct conversation (the same id may name both on
/// Telegram, where a private chat's id is the user's).
pub(crate) type RoomKey = (bool, String);

pub(crate) fn room_key(target: &Target) -> RoomKey {
    match target {
        Target::Room(room) => (false, room.room_id.clone()),
        Target::Direct { user_id, .. } => (true, user_id.clone()),
    }
}

fn quota((count, per): (u32, std::time::Duration)) -> Option<Quota> {
    let count = NonZeroU32::new(count)?;
    // `count` per `per`, with a burst of `count`: the platform's own bucket,
    // paced 2% slower so clock skew at the boundary never earns a 429.
    Quota::with_period(per.mul_f64(1.02) / count.get()).map(|q| q.allow_burst(count))
}

/// A messenger kept within a platform's limits. A send that the room's own
/// budget or a platform retry-after does not allow now is not attempted:
/// it fails with [`SendError::Deferred`] saying when it may go, and the
/// caller queues it (the outbox) instead of waiting, so other rooms go on.
/// The overall budget is short-lived (a fraction of a second), so a send
/// waits for it.
pub struct Paced {
    inner: Arc<dyn Messenger>,
    clock: Arc<dyn Clock>,
    limits: RateLimits,
    overall: Option<Direct>,
    per_room: Vec<Keyed>,
    sleep: Sleep,
    /// Rooms the platform told us to leave alone until a time.
    blocked: Mutex<HashMap<RoomKey, DateTime<Utc>>>,
}

impl Paced {
    pub fn new(
        inner: Arc<dyn Messenger>,
        clock: Arc<dyn Clock>,
        limits: &RateLimits,
        sleep: Sleep,
    ) -> Self {
        let limiter_clock = LimiterClock(clock.clone());
        Paced {
            inner,
            overall: limits
                .overall
                .and_then(quota)
                .map(|q| RateLimiter::direct_with_clock(q, limiter_clock.clone())),
            per_room: limits
                .per_room
                .iter()
                .filter_map(|l| quota(*l))
                .map(|q| {
                    RateLimiter::new(q, DefaultKeyedStateStore::default(), limiter_clock.clone())
                })
                .collect(),
            limits: limits.clone(),
            clock,
            sleep,
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// Sends without limits: for tests and platforms with none (the console).
    pub fn unlimited(inner: Arc<dyn Messenger>, clock: Arc<dyn Clock>) -> Self {
        let sleep: Sleep = Arc::new(|_| Box::pin(async {}));
        Paced::new(inner, clock, &RateLimits::default(), sleep)
    }

    pub fn limits(&self) -> &RateLimits {
        &self.limits
    }

    /// When a room may next be sent to, if not now. Taking the room's
    /// budget when it is free: a `None` is a promise to send.
    fn room_wait(&self, key: &RoomKey, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
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
        let Some(limiter) = &self.overall else {
            return;
        };
        while let Err(not_until) = limiter.check() {
            (self.sleep)(not_until.wait_time_from(LimiterClock(self.clock.clone()).now())).await;
        }
    }

    fn block(&self, key: RoomKey, until: DateTime<Utc>) {
        let mut blocked = self.blocked.lock().unwrap_or_else(|e| e.into_inner());
        let entry = blocked.entry(key).or_insert(until);
        *entry = (*entry).max(until);
    }
}

#[async_trait]
impl Messenger for Paced {
    fn platform(&self) -> Platform {
        self.inner.platform()
    }

    fn ready(&self) -> bool {
        self.inner.ready()
    }

    async fn send(&self, message: &Outbound) -> Result<(), SendError> {
        let key = room_key(&message.target);
        let now = self.clock.now();
        if let Some(until) = self.room_wait(&key, now) {
            return Err(SendError::Deferred(
                (until - now).to_std().unwrap_or_default(),
            ));
        }
        self.wait_overall().await;
        let outcome = self.inner.send(message).await;
        if let Err(SendError::RetryAfter(wait)) = &outcome {
            let wait = Duration::from_std(*wait).unwrap_or(Duration::minutes(10));
            self.block(key, self.clock.now() + wait);
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::MockClock;
    use crate::domain::RoomRef;
    use crate::inbound::OutboundKind;

    struct Counting(Mutex<Vec<String>>, Option<SendError>);

    #[async_trait]
    impl Messenger for Counting {
        fn platform(&self) -> Platform {
            Platform::Telegram
        }
        async fn send(&self, m: &Outbound) -> Result<(), SendError> {
            self.0.lock().unwrap().push(room_key(&m.target).1);
            match &self.1 {
                Some(e) => Err(e.clone()),
                None => Ok(()),
            }
        }
    }

    fn to(room: &str) -> Outbound {
        Outbound::new(
            Target::Room(RoomRef::new(Platform::Telegram, room)),
            OutboundKind::Reply,
            "hi",
        )
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_room_past_its_budget_is_deferred_and_others_go_on() {
        let clock = MockClock::new(DateTime::UNIX_EPOCH + Duration::days(20_000));
        let inner = Arc::new(Counting(Mutex::new(Vec::new()), None));
        let limits = RateLimits {
            overall: None,
            per_room: vec![(1, std::time::Duration::from_secs(1))],
        };
        let paced = Paced::new(
            inner.clone(),
            Arc::new(clock.clone()),
            &limits,
            Arc::new(|_| Box::pin(async {})),
        );
        block_on(async {
            assert_eq!(paced.send(&to("a")).await, Ok(()));
            match paced.send(&to("a")).await {
                Err(SendError::Deferred(wait)) => {
                    assert!(wait <= std::time::Duration::from_millis(1100))
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(paced.send(&to("b")).await, Ok(()));
            clock.advance(Duration::milliseconds(1100));
            assert_eq!(paced.send(&to("a")).await, Ok(()));
        });
        assert_eq!(*inner.0.lock().unwrap(), ["a", "b", "a"]);
    }

    #[test]
    fn a_retry_after_blocks_only_its_room_until_it_passes() {
        let clock = MockClock::new(DateTime::UNIX_EPOCH + Duration::days(20_000));
        let refusing = Arc::new(Counting(
            Mutex::new(Vec::new()),
            Some(SendError::RetryAfter(std::time::Duration::from_secs(30))),
        ));
        let paced = Paced::unlimited(refusing.clone(), Arc::new(clock.clone()));
        block_on(async {
            assert!(matches!(
                paced.send(&to("a")).await,
                Err(SendError::RetryAfter(_))
            ));
            // Not even tried while the platform asked us to wait.
            assert!(
                matches!(paced.send(&to("a")).await, Err(SendError::Deferred(w)) if w == std::time::Duration::from_secs(30))
            );
            assert!(matches!(
                paced.send(&to("b")).await,
                Err(SendError::RetryAfter(_))
            ));
            clock.advance(Duration::seconds(30));
            assert!(matches!(
                paced.send(&to("a")).await,
                Err(SendError::RetryAfter(_))
            ));
        });
        assert_eq!(*refusing.0.lock().unwrap(), ["a", "b", "a"]);
    }
}
