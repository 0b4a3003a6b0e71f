//! Time comes through [`Clock`] so scheduling and rate limits are tested
//! without sleeping; nothing in the core reads the wall clock directly.

use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// `now` to the microsecond: what both databases keep, so a time written
    /// reads back (and exports) the same from SQLite and PostgreSQL.
    fn now_micros(&self) -> DateTime<Utc> {
        use chrono::SubsecRound;
        self.now().trunc_subsecs(6)
    }
}

/// The real clock, for production.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        #[allow(clippy::disallowed_methods)] // the one place allowed to read the wall clock
        Utc::now()
    }
}

/// A clock that only moves when told: tests, and the console's `--simulate-from`.
#[derive(Debug, Clone)]
pub struct MockClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl MockClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        MockClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
}

impl Clock for MockClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Random values the engine needs (link codes, error references), behind a
/// trait so tests are reproducible.
pub trait IdSource: Send + Sync {
    /// A short code a person can type: 6 characters, no look-alikes.
    fn link_code(&self) -> String;
    /// An opaque reference quoted to a user when an internal error happens.
    fn reference(&self) -> String;
}

/// Codes from a seeded or OS-seeded generator.
pub struct RandomIds {
    rng: Mutex<rand::rngs::StdRng>,
}

impl RandomIds {
    pub fn from_entropy() -> Self {
        use rand::SeedableRng;
        RandomIds {
            rng: Mutex::new(rand::rngs::StdRng::from_os_rng()),
        }
    }

    pub fn seeded(seed: u64) -> Self {
        use rand::SeedableRng;
        RandomIds {
            rng: Mutex::new(rand::rngs::StdRng::seed_from_u64(seed)),
        }
    }

    fn pick(&self, alphabet: &[u8], len: usize) -> String {
        use rand::Rng;
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        (0..len)
            .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
            .collect()
    }
}

// Without 0/O, 1/I/L, so a code read aloud or retyped survives.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

impl IdSource for RandomIds {
    fn link_code(&self) -> String {
        self.pick(CODE_ALPHABET, 6)
    }

    fn reference(&self) -> String {
        self.pick(b"abcdefghijklmnopqrstuvwxyz0123456789", 8)
    }
}
