//! The audit log: who changed what, append-only.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::{AuditEntry, MemberId, SectionId};
use muster_core::store::{AuditRepo, StoreError, StoreResult};

use super::{PgTx, db_err, parse};

#[derive(sqlx::FromRow)]
struct AuditRow {
    at: DateTime<Utc>,
    actor: Option<i64>,
    platform: Option<String>,
    section: Option<i64>,
    action: String,
    detail: String,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(row: AuditRow) -> StoreResult<AuditEntry> {
        Ok(AuditEntry {
            at: row.at,
            actor: row.actor.map(MemberId),
            platform: row.platform.as_deref().map(parse).transpose()?,
            section: row.section.map(SectionId),
            action: row.action,
            detail: row.detail,
        })
    }
}

#[async_trait]
impl AuditRepo for PgTx {
    async fn record(&mut self, entry: &AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, platform, section, action, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(entry.at)
        .bind(entry.actor.map(|m| m.0))
        .bind(entry.platform.map(|p| p.as_str()))
        .bind(entry.section.map(|s| s.0))
        .bind(&entry.action)
        .bind(&entry.detail)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn last_action(
        &mut self,
        actor: MemberId,
        action: &str,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        sqlx::query_scalar(
            "SELECT at FROM audit_log WHERE actor = $1 AND action = $2 ORDER BY at DESC, id DESC LIMIT 1",
        )
        .bind(actor.0)
        .bind(action)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn audit(&mut self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        // Entries of the same instant come out in reverse order of recording.
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT at, actor, platform, section, action, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        rows.into_iter().map(AuditEntry::try_from).collect()
    }
}
