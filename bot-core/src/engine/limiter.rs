//! Per-member rate limit: one member cannot flood a room or delay others.
//! governor keeps the buckets; our [`Clock`] drives it so tests need no sleep.

use crate::clock::Clock;
use crate::domain::Identity;
use governor::clock::Clock as GovernorClock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashSet;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
struct EngineClock(Arc<dyn Clock>);

impl GovernorClock for EngineClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        let millis = self.0.now().timestamp_millis().max(0) as u64;
        Duration::from_millis(millis)
    }
}

pub(crate) enum Verdict {
    Allowed,
    /// Over the limit: say so once, then stay silent until allowed again,
    /// so the warning itself cannot flood the room.
    WarnOnce,
    Silent,
}

pub(crate) struct MemberLimiter {
    limiter: RateLimiter<
        Identity,
        DefaultKeyedStateStore<Identity>,
        EngineClock,
        NoOpMiddleware<Duration>,
    >,
    warned: Mutex<HashSet<Identity>>,
}

impl MemberLimiter {
    pub fn new(clock: Arc<dyn Clock>, per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        // A burst of a third of the minute's allowance lets a member type a
        // few commands quickly without being refused.
        let burst = NonZeroU32::new((per_minute.get() / 3).max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(per_minute).allow_burst(burst);
        MemberLimiter {
            limiter: RateLimiter::new(quota, DefaultKeyedStateStore::default(), EngineClock(clock)),
            warned: Mutex::new(HashSet::new()),
        }
    }

    pub fn check(&self, who: &Identity) -> Verdict {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if self.limiter.check_key(who).is_ok() {
            warned.remove(who);
            return Verdict::Allowed;
        }
        if warned.insert(who.clone()) {
            Verdict::WarnOnce
        } else {
            Verdict::Silent
        }
    }
}
