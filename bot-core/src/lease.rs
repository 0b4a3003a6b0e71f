//! Holding a lease: work only one process may do at a time (the sync loop
//! of one Matrix account now; Telegram getUpdates and Discord gateway
//! shards later), among processes sharing one database. The database rows
//! are [`LeaseRepo`](crate::store::LeaseRepo)'s; this is the holder's side:
//! take the lease, renew it every third of its time to live, and tell the
//! caller the moment it can no longer be sure it holds it, so the work
//! stops before anyone else may take it over.

use crate::clock::Clock;
use crate::outbox::Sleep;
use crate::store::{Store, StoreResult};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// The default time to live: how long a crashed holder's work waits.
pub const DEFAULT_TTL: std::time::Duration = std::time::Duration::from_secs(15);

/// Why a held lease ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseLost {
    /// Another holder has it (ours expired while we were stalled).
    TakenOver,
    /// Renewals failed (the database is unreachable) until the lease was
    /// about to expire: someone else may take it, so we stop.
    Unconfirmed,
}

/// One named lease as seen by one holder.
pub struct Lease {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    name: String,
    holder: String,
    ttl: Duration,
}

impl Lease {
    /// `holder` must be unique to this process (host, pid and a random part).
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        name: impl Into<String>,
        holder: impl Into<String>,
        ttl: std::time::Duration,
    ) -> Self {
        Lease {
            store,
            clock,
            name: name.into(),
            holder: holder.into(),
            ttl: Duration::from_std(ttl).unwrap_or(Duration::seconds(DEFAULT_TTL.as_secs() as i64)),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// How often a holder renews, and a waiting process tries again.
    fn period(&self) -> Duration {
        self.ttl / 3
    }

    /// The margin kept before expiry: past `expiry - margin` without a
    /// renewal, the holder stops.
    fn margin(&self) -> Duration {
        self.ttl / 10
    }

    /// Takes the lease if it is free, expired or ours. `Some(expiry)` when
    /// held.
    pub async fn try_acquire(&self) -> StoreResult<Option<DateTime<Utc>>> {
        let now = self.clock.now_micros();
        let until = now + self.ttl;
        let mut tx = self.store.begin().await?;
        let held = tx
            .acquire_lease(&self.name, &self.holder, now, until)
            .await?;
        tx.commit().await?;
        Ok(held.then_some(until))
    }

    /// Waits until the lease is ours, trying every third of its time to
    /// live; returns its expiry.
    pub async fn acquire(&self, sleep: &Sleep) -> DateTime<Utc> {
        let mut told = false;
        loop {
            match self.try_acquire().await {
                Ok(Some(until)) => return until,
                Ok(None) if !told => {
                    told = true;
                    tracing::info!(lease = %self.name, "held by another process; waiting");
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(lease = %self.name, error = %e, "cannot take the lease"),
            }
            sleep(self.period().to_std().unwrap_or_default()).await;
        }
    }

    /// Renews the lease (held until `until`) for as long as it can; returns
    /// when it is lost, early enough that nobody else has it yet unless it
    /// was taken over while we stalled. Stop the work the moment this
    /// returns.
    pub async fn keep(&self, mut until: DateTime<Utc>, sleep: &Sleep) -> LeaseLost {
        let mut failing = false;
        loop {
            let now = self.clock.now();
            let deadline = until - self.margin();
            if now >= deadline {
                return LeaseLost::Unconfirmed;
            }
            // After a failed renewal, try again sooner.
            let wait = if failing {
                self.margin()
            } else {
                self.period()
            };
            let wait = wait.min(deadline - now);
            sleep(wait.to_std().unwrap_or_default()).await;
            let now = self.clock.now_micros();
            if now >= deadline {
                return LeaseLost::Unconfirmed;
            }
            match self.renew(now).await {
                Ok(true) => {
                    until = now + self.ttl;
                    failing = false;
                }
                Ok(false) => return LeaseLost::TakenOver,
                Err(e) => {
                    failing = true;
                    tracing::warn!(lease = %self.name, error = %e, "cannot renew the lease");
                }
            }
        }
    }

    async fn renew(&self, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.store.begin().await?;
        let held = tx
            .renew_lease(&self.name, &self.holder, now, now + self.ttl)
            .await?;
        tx.commit().await?;
        Ok(held)
    }

    /// Gives the lease up, so another process takes it at once rather than
    /// when it expires. Call it after the work has stopped.
    pub async fn release(&self) -> StoreResult<()> {
        let mut tx = self.store.begin().await?;
        tx.release_lease(&self.name, &self.holder).await?;
        tx.commit().await
    }
}
