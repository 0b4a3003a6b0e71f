//! Leases: work only one holder may do at a time. SQLite serves a single
//! process, but the statements are PostgreSQL's (src/postgres/leases.rs),
//! so the semantics, and the conformance suite, are the same; the write lock
//! every transaction takes serialises concurrent takers.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::store::{LeaseRepo, StoreResult};

use super::{SqliteTx, db_err};

/// Inserts a free lease, or takes over the row if it is ours or expired;
/// otherwise the `WHERE` keeps the row as it is and nothing is returned.
/// `acquired_at` moves only when the holder changes.
const ACQUIRE: &str = "INSERT INTO leases (name, holder, expires_at, acquired_at, renewed_at) \
     VALUES ($1, $2, $4, $3, $3) \
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
     expires_at = excluded.expires_at, renewed_at = excluded.renewed_at, \
     acquired_at = CASE WHEN leases.holder = excluded.holder \
     THEN leases.acquired_at ELSE excluded.acquired_at END \
     WHERE leases.holder = excluded.holder OR leases.expires_at <= $3 \
     RETURNING holder";

#[async_trait]
impl LeaseRepo for SqliteTx {
    async fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let taken: Option<String> = sqlx::query_scalar(ACQUIRE)
            .bind(name)
            .bind(holder)
            .bind(now)
            .bind(until)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(taken.is_some())
    }

    async fn renew_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        // Expired but still ours (nobody took it) renews, as acquire would.
        let done = sqlx::query(
            "UPDATE leases SET expires_at = $4, renewed_at = $3 WHERE name = $1 AND holder = $2",
        )
        .bind(name)
        .bind(holder)
        .bind(now)
        .bind(until)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_lease(&mut self, name: &str, holder: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn lease_holder(
        &mut self,
        name: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT holder FROM leases WHERE name = $1 AND expires_at > $2")
            .bind(name)
            .bind(now)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)
    }
}
