//! The outbox: deliveries waiting for, being sent by, or done with a
//! platform dispatcher, possibly one in another process.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::{
    AnnouncementId, Delivery, DeliveryId, DeliveryStatus, NewDelivery, Platform, RoomRef,
};
use muster_core::store::{OutboxRepo, StoreError, StoreResult};

use super::{PgTx, db_err, expect_one, move_sequence, parse, sync_sequence, to_u32};

/// The columns of [`DeliveryRow`], for SELECT, INSERT and RETURNING lists.
macro_rules! delivery_columns {
    () => {
        "id, announcement, platform, room_id, direct, message, status, attempts, \
         next_attempt_at, last_error, idempotency_key, created_at, sent_at"
    };
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    announcement: Option<i64>,
    platform: String,
    room_id: String,
    direct: bool,
    message: String,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    idempotency_key: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

impl TryFrom<DeliveryRow> for Delivery {
    type Error = StoreError;

    fn try_from(row: DeliveryRow) -> StoreResult<Delivery> {
        Ok(Delivery {
            id: DeliveryId(row.id),
            announcement: row.announcement.map(AnnouncementId),
            room: RoomRef::new(parse(&row.platform)?, row.room_id),
            direct: row.direct,
            message: row.message,
            status: parse(&row.status)?,
            attempts: to_u32(row.attempts, "delivery attempts")?,
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            idempotency_key: row.idempotency_key,
            created_at: row.created_at,
            sent_at: row.sent_at,
        })
    }
}

/// The statuses a dispatcher may claim from, as literals (not bound) so the
/// planner sees the two ranges of `deliveries_due`.
macro_rules! active {
    () => {
        "status IN ('pending', 'sending')"
    };
}

#[async_trait]
impl OutboxRepo for PgTx {
    async fn enqueue(&mut self, new: &NewDelivery) -> StoreResult<Option<Delivery>> {
        // A concurrent enqueue of the same key waits for the first to commit,
        // then does nothing: no error, so the transaction goes on.
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO deliveries (announcement, platform, room_id, direct, message, status, \
             attempts, next_attempt_at, idempotency_key, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $6) \
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        )
        .bind(new.announcement.map(|a| a.0))
        .bind(new.room.platform.as_str())
        .bind(&new.room.room_id)
        .bind(new.direct)
        .bind(&new.message)
        .bind(new.created_at)
        .bind(&new.idempotency_key)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)?;
        if id.is_some() {
            // Idle dispatchers of other processes look at once, on commit.
            self.signal_work().await?;
        }
        Ok(id.map(|id| Delivery {
            id: DeliveryId(id),
            announcement: new.announcement,
            room: new.room.clone(),
            direct: new.direct,
            message: new.message.clone(),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: new.created_at,
            last_error: None,
            idempotency_key: new.idempotency_key.clone(),
            created_at: new.created_at,
            sent_at: None,
        }))
    }

    async fn insert_delivery(&mut self, d: &Delivery) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO deliveries (",
            delivery_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(d.id.0)
        .bind(d.announcement.map(|a| a.0))
        .bind(d.room.platform.as_str())
        .bind(&d.room.room_id)
        .bind(d.direct)
        .bind(&d.message)
        .bind(d.status.as_str())
        .bind(i64::from(d.attempts))
        .bind(d.next_attempt_at)
        .bind(&d.last_error)
        .bind(&d.idempotency_key)
        .bind(d.created_at)
        .bind(d.sent_at)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        move_sequence(&mut self.tx, sync_sequence!("deliveries")).await
    }

    async fn delivery(&mut self, id: DeliveryId) -> StoreResult<Option<Delivery>> {
        let row: Option<DeliveryRow> = sqlx::query_as(concat!(
            "SELECT ",
            delivery_columns!(),
            " FROM deliveries WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)?;
        row.map(Delivery::try_from).transpose()
    }

    async fn claim_deliveries(
        &mut self,
        platform: Platform,
        now: DateTime<Utc>,
        claim_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>> {
        // The due rows are locked as they are picked; rows another
        // dispatcher holds (claiming them this very moment) are skipped, not
        // waited for. A row another claim committed since this statement's
        // snapshot is re-read once locked: it is `sending` with a future
        // next_attempt_at by then, fails the WHERE, and is left out.
        // MATERIALIZED: the locking pick runs once, never folded into the UPDATE.
        let rows: Vec<DeliveryRow> = sqlx::query_as(concat!(
            "WITH due AS MATERIALIZED (SELECT id FROM deliveries WHERE platform = $1 AND ",
            active!(),
            " AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $4 \
             FOR UPDATE SKIP LOCKED) \
             UPDATE deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = $3 \
             WHERE id IN (SELECT id FROM due) RETURNING ",
            delivery_columns!()
        ))
        .bind(platform.as_str())
        .bind(now)
        .bind(claim_until)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        let mut claimed = rows
            .into_iter()
            .map(Delivery::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        // RETURNING comes in no set order and gives the new values only:
        // every claimed row now has next_attempt_at = claim_until, so the
        // batch (the oldest `limit` due rows) is handed out by id, as SQLite does.
        claimed.sort_unstable_by_key(|d| d.id);
        Ok(claimed)
    }

    async fn mark_sent(&mut self, id: DeliveryId, at: DateTime<Utc>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE deliveries SET status = 'sent', sent_at = $2 WHERE id = $1")
            .bind(id.0)
            .bind(at)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("delivery {id}"))
    }

    async fn mark_retry(
        &mut self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE deliveries SET status = 'pending', next_attempt_at = $2, last_error = $3 \
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(next_attempt_at)
        .bind(error)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("delivery {id}"))?;
        // Idle dispatchers elsewhere set their timers for the new due time.
        self.signal_work().await
    }

    async fn mark_failed(&mut self, id: DeliveryId, error: &str) -> StoreResult<()> {
        let done =
            sqlx::query("UPDATE deliveries SET status = 'failed', last_error = $2 WHERE id = $1")
                .bind(id.0)
                .bind(error)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("delivery {id}"))
    }

    async fn deliveries(&mut self, announcement: AnnouncementId) -> StoreResult<Vec<Delivery>> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(concat!(
            "SELECT ",
            delivery_columns!(),
            " FROM deliveries WHERE announcement = $1 ORDER BY id"
        ))
        .bind(announcement.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        rows.into_iter().map(Delivery::try_from).collect()
    }

    async fn move_deliveries(&mut self, from: &RoomRef, to: &RoomRef) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE deliveries SET room_id = $1 \
             WHERE platform = $2 AND room_id = $3 AND NOT direct AND status IN ('pending', 'sending')",
        )
        .bind(&to.room_id)
        .bind(from.platform.as_str())
        .bind(&from.room_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn next_delivery_due(
        &mut self,
        platform: Option<Platform>,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        // Without a platform, the known platforms, as on SQLite: a row of any
        // other could never be claimed.
        let platforms: Vec<&str> = match platform {
            Some(platform) => vec![platform.as_str()],
            None => Platform::ALL.iter().map(|p| p.as_str()).collect(),
        };
        sqlx::query_scalar(concat!(
            "SELECT min(next_attempt_at) FROM deliveries WHERE platform = ANY($1) AND ",
            active!()
        ))
        .bind(platforms)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn outbox_counts(&mut self) -> StoreResult<Vec<(DeliveryStatus, u64)>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, count(*) FROM deliveries GROUP BY status")
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        let mut counts = rows
            .into_iter()
            .map(|(status, count)| {
                let count = u64::try_from(count).map_err(|_| {
                    StoreError::Inconsistent(format!("negative count of {status} deliveries"))
                })?;
                Ok((parse::<DeliveryStatus>(&status)?, count))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // The statuses present, in the order a delivery goes through them.
        counts.sort_by_key(|(status, _)| *status as u8);
        Ok(counts)
    }
}
