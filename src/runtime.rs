//! The long-running side of `muster run`: the scheduler and the outbox
//! dispatchers, woken at the next due time or when a command queued work.

use muster_core::clock::Clock;
use muster_core::outbox::Dispatcher;
use muster_core::scheduler::Scheduler;
use muster_core::store::Store;
use std::sync::Arc;
use tokio::sync::Notify;

/// The longest sleep: bounds the effect of a missed wake-up (another
/// process's work on a shared database, a clock jump).
const MAX_SLEEP: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a handled platform message is remembered: far longer than any
/// platform re-delivers one (a sync position or update offset left behind
/// by a process down for days is the worst case).
const HANDLED_KEPT: chrono::Duration = chrono::Duration::days(7);
/// How often old handled messages are pruned.
const PRUNE_EVERY: chrono::Duration = chrono::Duration::hours(1);

pub struct Background {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub scheduler: Arc<Scheduler>,
    pub dispatchers: Vec<Arc<Dispatcher>>,
    pub wake: Arc<Notify>,
}

impl Background {
    pub async fn run(self) {
        // Other processes on a shared PostgreSQL database announce new work
        // (LISTEN/NOTIFY); without it, the timer and our own commands wake us.
        let mut signals = match self.store.work_signals().await {
            Ok(signals) => signals,
            Err(e) => {
                tracing::warn!(error = %e, "no wake-ups from other processes; relying on the timer");
                None
            }
        };
        let mut pruned_at: Option<chrono::DateTime<chrono::Utc>> = None;
        loop {
            if pruned_at.is_none_or(|at| self.clock.now() - at >= PRUNE_EVERY) {
                pruned_at = Some(self.clock.now());
                self.prune_handled().await;
            }
            if let Err(e) = self.scheduler.run_due().await {
                tracing::error!(error = %e, "scheduler pass failed; retrying");
            }
            for dispatcher in &self.dispatchers {
                if let Err(e) = dispatcher.dispatch_due().await {
                    tracing::error!(error = %e, "dispatch pass failed; deliveries stay queued");
                }
            }
            let sleep = self.until_next().await;
            let signal = async {
                match signals.as_mut() {
                    Some(s) => s.next().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = tokio::time::sleep(sleep) => {}
                () = self.wake.notified() => {}
                result = signal => {
                    if let Err(e) = result {
                        tracing::warn!(error = %e, "lost the wake-up listener; relying on the timer");
                        signals = None;
                    }
                }
            }
        }
    }

    /// Forgets handled platform messages old enough that no platform
    /// re-delivers them, so the table stays small.
    async fn prune_handled(&self) {
        let prune = async {
            let mut tx = self.store.begin().await?;
            let pruned = tx
                .prune_handled(self.clock.now_micros() - HANDLED_KEPT)
                .await?;
            tx.commit().await?;
            Ok::<_, muster_core::store::StoreError>(pruned)
        };
        match prune.await {
            Ok(0) => {}
            Ok(n) => tracing::info!(messages = n, "forgot old handled messages"),
            Err(e) => tracing::warn!(error = %e, "cannot prune handled messages"),
        }
    }

    async fn until_next(&self) -> std::time::Duration {
        let next = async {
            let mut tx = self.store.begin().await?;
            let mut next = tx.next_job_due().await?;
            // Only platforms this process sends to now: deliveries for a
            // connection another process holds are not ours to wait for.
            for platform in self.dispatchers.iter().filter_map(|d| d.serving()) {
                let due = tx.next_delivery_due(Some(platform)).await?;
                next = next.into_iter().chain(due).min();
            }
            Ok::<_, muster_core::store::StoreError>(next)
        }
        .await;
        match next {
            Ok(Some(at)) => (at - self.clock.now())
                .to_std()
                .unwrap_or_default()
                .min(MAX_SLEEP),
            Ok(None) => MAX_SLEEP,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the next due time");
                std::time::Duration::from_secs(1)
            }
        }
    }
}
