//! Flood control as the Bot API documents it ("How can I message all of my
//! bot's subscribers at once?"): about one message per second in a chat, 20
//! per minute in a group, 30 per second overall. Telegram publishes no exact
//! algorithm; the fake uses one GCRA bucket per limit ("a burst of N, then one
//! every interval") on its own clock (`Instant`), and answers 429 with the
//! whole seconds until every bucket would let the message through.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A burst of `burst` messages, then one more every `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub burst: u32,
    pub interval: Duration,
}

impl Limit {
    pub const fn new(burst: u32, interval: Duration) -> Self {
        Limit { burst, interval }
    }

    /// `count` messages per `period`, all of which may come at once.
    pub fn per(count: u32, period: Duration) -> Self {
        let count = count.max(1);
        Limit {
            burst: count,
            interval: period / count,
        }
    }

    /// How early a message may come before its theoretical arrival time.
    fn tolerance(&self) -> Duration {
        self.interval * self.burst.max(1).saturating_sub(1)
    }
}

/// The limits the fake enforces on messages it is asked to send or edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Off: every send goes through (flood waits set by a test still apply).
    pub enabled: bool,
    /// Every chat, private or not. Default: a burst of 3, then 1 per second —
    /// Telegram tolerates short bursts in a chat and then throttles to ~1/s.
    pub per_chat: Limit,
    /// Groups and supergroups on top of `per_chat`. Default: 20 per minute,
    /// all of which may come at once, then one every 3 s.
    pub per_group: Limit,
    /// The bot as a whole. Default: 30 per second.
    pub global: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            enabled: true,
            per_chat: Limit::new(3, Duration::from_secs(1)),
            per_group: Limit::per(20, Duration::from_secs(60)),
            global: Limit::per(30, Duration::from_secs(1)),
        }
    }
}

impl RateLimits {
    pub fn off() -> Self {
        RateLimits {
            enabled: false,
            ..RateLimits::default()
        }
    }
}

/// One GCRA bucket: the theoretical arrival time of the next message.
#[derive(Debug, Default, Clone, Copy)]
struct Bucket {
    tat: Option<Instant>,
}

impl Bucket {
    /// How long until a message would conform (zero: now).
    fn wait(&self, limit: Limit, now: Instant) -> Duration {
        let tat = self.tat.map_or(now, |tat| tat.max(now));
        (tat - now).saturating_sub(limit.tolerance())
    }

    fn take(&mut self, limit: Limit, now: Instant) {
        let tat = self.tat.map_or(now, |tat| tat.max(now));
        self.tat = Some(tat + limit.interval);
    }
}

#[derive(Debug, Default)]
pub(crate) struct Limiter {
    pub limits: RateLimits,
    chats: HashMap<i64, Bucket>,
    groups: HashMap<i64, Bucket>,
    global: Bucket,
    /// Flood waits imposed by a test: the chat is refused until then.
    flood_waits: HashMap<i64, Instant>,
}

impl Limiter {
    /// Takes one message for `chat`, or says how many seconds to wait.
    /// A refused message takes nothing, so a client that waits the
    /// announced time gets through.
    pub fn admit(&mut self, chat: i64, is_group: bool, now: Instant) -> Result<(), u32> {
        let mut wait = match self.flood_waits.get(&chat) {
            Some(until) if *until > now => *until - now,
            _ => Duration::ZERO,
        };
        if self.limits.enabled {
            let limits = &self.limits;
            wait = wait.max(self.global.wait(limits.global, now));
            wait = wait.max(
                self.chats
                    .entry(chat)
                    .or_default()
                    .wait(limits.per_chat, now),
            );
            if is_group {
                wait = wait.max(
                    self.groups
                        .entry(chat)
                        .or_default()
                        .wait(limits.per_group, now),
                );
            }
        }
        if !wait.is_zero() {
            return Err(retry_after(wait));
        }
        if self.limits.enabled {
            let limits = self.limits.clone();
            self.global.take(limits.global, now);
            self.chats
                .entry(chat)
                .or_default()
                .take(limits.per_chat, now);
            if is_group {
                self.groups
                    .entry(chat)
                    .or_default()
                    .take(limits.per_group, now);
            }
        }
        Ok(())
    }

    pub fn flood_wait(&mut self, chat: i64, until: Instant) {
        self.flood_waits.insert(chat, until);
    }

    /// Forgets what was sent (the limits themselves stay).
    pub fn reset(&mut self) {
        let limits = self.limits.clone();
        *self = Limiter {
            limits,
            ..Limiter::default()
        };
    }
}

/// Whole seconds, rounded up, and at least 1 — Telegram never says "retry after 0".
fn retry_after(wait: Duration) -> u32 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(seconds.max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn a_chat_gets_its_burst_then_one_per_second() {
        let mut limiter = Limiter::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.admit(1, false, start), Ok(()));
        }
        assert_eq!(limiter.admit(1, false, start), Err(1));
        assert_eq!(
            limiter.admit(2, false, start),
            Ok(()),
            "other chats are not affected"
        );
        assert_eq!(limiter.admit(1, false, start + SECOND), Ok(()));
        assert_eq!(limiter.admit(1, false, start + SECOND), Err(1));
    }

    #[test]
    fn a_group_gets_twenty_a_minute() {
        let mut limiter = Limiter::default();
        limiter.limits.per_chat = Limit::new(100, Duration::from_millis(1));
        let start = Instant::now();
        for _ in 0..20 {
            assert_eq!(limiter.admit(-5, true, start), Ok(()));
        }
        assert_eq!(limiter.admit(-5, true, start), Err(3));
        assert_eq!(limiter.admit(-5, true, start + 3 * SECOND), Ok(()));
    }

    #[test]
    fn the_bot_gets_thirty_a_second() {
        let mut limiter = Limiter::default();
        let start = Instant::now();
        for chat in 0..30 {
            assert_eq!(limiter.admit(chat, false, start), Ok(()));
        }
        assert_eq!(limiter.admit(99, false, start), Err(1));
    }

    #[test]
    fn flood_waits_apply_even_with_limits_off() {
        let mut limiter = Limiter {
            limits: RateLimits::off(),
            ..Limiter::default()
        };
        let start = Instant::now();
        limiter.flood_wait(7, start + Duration::from_millis(4500));
        assert_eq!(limiter.admit(7, false, start), Err(5));
        assert_eq!(limiter.admit(8, false, start), Ok(()));
        assert_eq!(limiter.admit(7, false, start + 5 * SECOND), Ok(()));
    }
}
