//! Messages handled and stream cursors (see migrations/postgres/0005). The
//! statements are the same as SQLite's (src/sqlite/inbox.rs).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::Platform;
use muster_core::store::{InboxRepo, StoreResult};

use super::{PgTx, db_err};

#[async_trait]
impl InboxRepo for PgTx {
    async fn handled_replies(
        &mut self,
        platform: Platform,
        message_id: &str,
    ) -> StoreResult<Option<String>> {
        sqlx::query_scalar(
            "SELECT replies FROM handled_messages WHERE platform = $1 AND message_id = $2",
        )
        .bind(platform.as_str())
        .bind(message_id)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn record_handled(
        &mut self,
        platform: Platform,
        message_id: &str,
        replies: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO handled_messages (platform, message_id, replies, handled_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (platform, message_id) DO NOTHING",
        )
        .bind(platform.as_str())
        .bind(message_id)
        .bind(replies)
        .bind(now)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn prune_handled(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM handled_messages WHERE handled_at < $1")
            .bind(before)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn cursor(&mut self, name: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM cursors WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn set_cursor(&mut self, name: &str, value: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO cursors (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(value)
        .bind(now)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
