//! `getUpdates`: long polling as the real server does it. Updates stay
//! queued until a later call's `offset` confirms them; a poll with nothing
//! to return waits up to `timeout` seconds and returns as soon as something
//! arrives; a newer poll terminates the pending one with 409.

use crate::telegram::Shared;
use crate::telegram::error::ApiError;
use crate::telegram::params::Params;
use crate::telegram::state::State;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The real server's cap on `timeout`.
const MAX_TIMEOUT_SECONDS: i64 = 50;
/// After the first update arrives the real server waits a moment for more.
const BATCH_DELAY: Duration = Duration::from_millis(2);
/// At most one 409 per this interval; later ones are held back this long.
const CONFLICT_INTERVAL: Duration = Duration::from_secs(3);

/// `allowed_updates`: a list of update type names.
pub(super) fn update_types(value: &Value) -> Result<Vec<String>, ApiError> {
    let invalid =
        || ApiError::bad_request("can't parse allowed updates: expected an Array of String");
    let list = value.as_array().ok_or_else(invalid)?;
    list.iter()
        .map(|kind| kind.as_str().map(str::to_owned).ok_or_else(invalid))
        .collect()
}

/// Ends the pending long poll, if any, with `why`.
pub(super) fn terminate_poll(state: &mut State, why: ApiError) {
    if let Some((_, terminate)) = state.poll.pending.take() {
        // The poll may be gone already (its client hung up): nothing to tell.
        let _ = terminate.send(why);
    }
}

fn other_poller() -> ApiError {
    ApiError::conflict(
        "terminated by other getUpdates request; make sure that only one bot instance is running",
    )
}

/// How long to hold back a 409, so two pollers do not spin on each other.
fn conflict_delay(state: &mut State, now: Instant) -> Option<Duration> {
    match state.poll.next_conflict_at {
        Some(next) if next > now => Some(CONFLICT_INTERVAL),
        _ => {
            state.poll.next_conflict_at = Some(now + CONFLICT_INTERVAL);
            None
        }
    }
}

async fn conflict(shared: &Shared, why: ApiError) -> Result<Value, ApiError> {
    if let Some(delay) = shared.write(|state| conflict_delay(state, Instant::now())) {
        tokio::time::sleep(delay).await;
    }
    Err(why)
}

enum Start {
    Answer(Vec<Value>),
    Wait(u64, oneshot::Receiver<ApiError>),
    Refuse(ApiError),
}

/// Unregisters the poll however it ends, including when its client hangs up
/// and the handler is dropped mid-wait.
struct PendingPoll<'a> {
    shared: &'a Shared,
    generation: u64,
}

impl Drop for PendingPoll<'_> {
    fn drop(&mut self) {
        self.shared.write(|state| {
            if matches!(state.poll.pending, Some((generation, _)) if generation == self.generation)
            {
                state.poll.pending = None;
            }
        });
    }
}

pub(super) async fn get_updates(shared: &Arc<Shared>, params: &Params) -> Result<Value, ApiError> {
    let started = Instant::now();
    let offset = params.int("offset")?.unwrap_or(0);
    let limit = usize::try_from(params.int("limit")?.unwrap_or(100).clamp(1, 100)).unwrap_or(100);
    let timeout = params
        .int("timeout")?
        .unwrap_or(0)
        .clamp(0, MAX_TIMEOUT_SECONDS);
    let allowed = match params.json("allowed_updates", "allowed updates JSON object")? {
        Some(value) => Some(update_types(&value)?),
        None => None,
    };
    let start = shared.write(|state| {
        if state.webhook.is_some() {
            return Start::Refuse(ApiError::conflict(
                "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            ));
        }
        // Like the real server, a given list replaces the choice for good.
        if let Some(allowed) = allowed {
            state.allowed_updates = Some(allowed);
        }
        state.confirm(offset);
        let batch = state.peek_updates(limit);
        if !batch.is_empty() || timeout == 0 {
            return Start::Answer(batch);
        }
        terminate_poll(state, other_poller());
        state.poll.generation += 1;
        let (terminate, terminated) = oneshot::channel();
        state.poll.pending = Some((state.poll.generation, terminate));
        Start::Wait(state.poll.generation, terminated)
    });
    let (generation, mut terminated) = match start {
        Start::Answer(batch) => return Ok(Value::Array(batch)),
        Start::Refuse(why) => return conflict(shared, why).await,
        Start::Wait(generation, terminated) => (generation, terminated),
    };
    let _pending = PendingPoll { shared, generation };
    let deadline =
        tokio::time::Instant::from_std(started) + Duration::from_secs(timeout.unsigned_abs());
    let mut changes = shared.subscribe();
    loop {
        // Seen before looking, so a change made after the look wakes us.
        changes.borrow_and_update();
        if shared.read(|state| !state.updates.is_empty()) {
            tokio::time::sleep(BATCH_DELAY).await;
            return Ok(Value::Array(shared.read(|state| state.peek_updates(limit))));
        }
        tokio::select! {
            changed = changes.changed() => {
                if changed.is_err() {
                    return Ok(Value::Array(Vec::new()));
                }
            }
            why = &mut terminated => {
                return conflict(shared, why.unwrap_or_else(|_| other_poller())).await;
            }
            () = tokio::time::sleep_until(deadline) => {
                return Ok(Value::Array(shared.read(|state| state.peek_updates(limit))));
            }
        }
    }
}
