//! Initiatives and the members supporting them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::{Initiative, InitiativeId, MemberId, SectionId};
use muster_core::store::{InitiativeRepo, NewInitiative, StoreError, StoreResult};

use super::{PgTx, db_err, expect_one, move_sequence, parse, sync_sequence};

#[derive(sqlx::FromRow)]
struct InitiativeRow {
    id: i64,
    section: i64,
    title: String,
    description: String,
    status: String,
    proposer: Option<i64>,
    reason: Option<String>,
    created_at: DateTime<Utc>,
}

impl TryFrom<InitiativeRow> for Initiative {
    type Error = StoreError;

    fn try_from(row: InitiativeRow) -> StoreResult<Initiative> {
        Ok(Initiative {
            id: InitiativeId(row.id),
            section: SectionId(row.section),
            title: row.title,
            description: row.description,
            status: parse(&row.status)?,
            proposer: row.proposer.map(MemberId),
            reason: row.reason,
            created_at: row.created_at,
        })
    }
}

macro_rules! initiative_insert {
    () => {
        "INSERT INTO initiatives (section, title, description, status, proposer, reason, created_at"
    };
}

impl PgTx {
    /// Creation and import share one statement but for the id.
    async fn write_initiative(
        &mut self,
        id: Option<i64>,
        i: &Initiative,
    ) -> StoreResult<InitiativeId> {
        let query = sqlx::query_scalar(if id.is_some() {
            concat!(
                initiative_insert!(),
                ", id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
            )
        } else {
            concat!(
                initiative_insert!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
            )
        })
        .bind(i.section.0)
        .bind(&i.title)
        .bind(&i.description)
        .bind(i.status.as_str())
        .bind(i.proposer.map(|m| m.0))
        .bind(&i.reason)
        .bind(i.created_at);
        match id {
            Some(id) => query.bind(id),
            None => query,
        }
        .fetch_one(&mut *self.tx)
        .await
        .map(InitiativeId)
        .map_err(db_err)
    }
}

#[async_trait]
impl InitiativeRepo for PgTx {
    async fn create_initiative(&mut self, new: NewInitiative) -> StoreResult<Initiative> {
        let mut initiative = Initiative {
            id: InitiativeId(0),
            section: new.section,
            title: new.title,
            description: new.description,
            status: new.status,
            proposer: new.proposer,
            reason: None,
            created_at: new.created_at,
        };
        initiative.id = self.write_initiative(None, &initiative).await?;
        Ok(initiative)
    }

    async fn insert_initiative(&mut self, initiative: &Initiative) -> StoreResult<()> {
        self.write_initiative(Some(initiative.id.0), initiative)
            .await?;
        move_sequence(&mut self.tx, sync_sequence!("initiatives")).await
    }

    async fn initiative(&mut self, id: InitiativeId) -> StoreResult<Option<Initiative>> {
        let row: Option<InitiativeRow> = sqlx::query_as("SELECT * FROM initiatives WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        row.map(Initiative::try_from).transpose()
    }

    async fn initiatives(&mut self) -> StoreResult<Vec<Initiative>> {
        let rows: Vec<InitiativeRow> = sqlx::query_as("SELECT * FROM initiatives ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Initiative::try_from).collect()
    }

    async fn update_initiative(&mut self, i: &Initiative) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE initiatives SET section = $2, title = $3, description = $4, status = $5, \
             proposer = $6, reason = $7 WHERE id = $1",
        )
        .bind(i.id.0)
        .bind(i.section.0)
        .bind(&i.title)
        .bind(&i.description)
        .bind(i.status.as_str())
        .bind(i.proposer.map(|m| m.0))
        .bind(&i.reason)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("initiative {}", i.id))
    }

    async fn add_support(
        &mut self,
        id: InitiativeId,
        member: MemberId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        // DO NOTHING also covers a concurrent support by the same member:
        // the second insert waits for the first and then does nothing.
        let done = sqlx::query(
            "INSERT INTO supports (initiative, member, at) VALUES ($1, $2, $3) \
             ON CONFLICT (initiative, member) DO NOTHING",
        )
        .bind(id.0)
        .bind(member.0)
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn remove_support(&mut self, id: InitiativeId, member: MemberId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM supports WHERE initiative = $1 AND member = $2")
            .bind(id.0)
            .bind(member.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn supporters(&mut self, id: InitiativeId) -> StoreResult<Vec<MemberId>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT member FROM supports WHERE initiative = $1 ORDER BY member")
                .bind(id.0)
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        Ok(ids.into_iter().map(MemberId).collect())
    }
}
