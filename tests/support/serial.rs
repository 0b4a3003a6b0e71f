//! Heavy end-to-end tests (a homeserver, `muster` processes, kills and
//! timings) run one at a time within their test binary: two at once on a
//! 2-core machine would make their timings lie.

use std::sync::{Mutex, MutexGuard};

static HEAVY: Mutex<()> = Mutex::new(());

/// Held for the whole test; a test that failed (poisoning it) does not
/// hold up the others.
pub fn one_at_a_time() -> MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}
