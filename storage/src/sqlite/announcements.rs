//! Announcements and recurring schedules. Their deliveries are in the outbox.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::{
    Announcement, AnnouncementId, AnnouncementStatus, MemberId, Schedule, ScheduleId, SectionId,
};
use muster_core::store::{AnnouncementRepo, NewAnnouncement, StoreError, StoreResult};

use super::{SqliteTx, db_err, expect_one, parse};

#[derive(sqlx::FromRow)]
struct AnnouncementRow {
    id: i64,
    section: i64,
    subtree: bool,
    text: String,
    author: Option<i64>,
    send_at: DateTime<Utc>,
    status: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<AnnouncementRow> for Announcement {
    type Error = StoreError;

    fn try_from(row: AnnouncementRow) -> StoreResult<Announcement> {
        Ok(Announcement {
            id: AnnouncementId(row.id),
            section: SectionId(row.section),
            subtree: row.subtree,
            text: row.text,
            author: row.author.map(MemberId),
            send_at: row.send_at,
            status: parse(&row.status)?,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ScheduleRow {
    id: i64,
    section: i64,
    cron: String,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
}

impl From<ScheduleRow> for Schedule {
    fn from(row: ScheduleRow) -> Schedule {
        Schedule {
            id: ScheduleId(row.id),
            section: SectionId(row.section),
            cron: row.cron,
            created_by: row.created_by.map(MemberId),
            created_at: row.created_at,
        }
    }
}

impl SqliteTx {
    /// Creation and import share one statement; a NULL id lets SQLite choose.
    async fn write_announcement(
        &mut self,
        id: Option<i64>,
        a: &Announcement,
    ) -> StoreResult<AnnouncementId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO announcements (id, section, subtree, text, author, send_at, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id)
        .bind(a.section.0)
        .bind(a.subtree)
        .bind(&a.text)
        .bind(a.author.map(|m| m.0))
        .bind(a.send_at)
        .bind(a.status.as_str())
        .bind(a.created_at)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(AnnouncementId(id))
    }

    async fn write_schedule(&mut self, id: Option<i64>, s: &Schedule) -> StoreResult<ScheduleId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO schedules (id, section, cron, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(s.section.0)
        .bind(&s.cron)
        .bind(s.created_by.map(|m| m.0))
        .bind(s.created_at)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(ScheduleId(id))
    }
}

#[async_trait]
impl AnnouncementRepo for SqliteTx {
    async fn create_announcement(&mut self, new: NewAnnouncement) -> StoreResult<Announcement> {
        let mut announcement = Announcement {
            id: AnnouncementId(0),
            section: new.section,
            subtree: new.subtree,
            text: new.text,
            author: new.author,
            send_at: new.send_at,
            status: new.status,
            created_at: new.created_at,
        };
        announcement.id = self.write_announcement(None, &announcement).await?;
        Ok(announcement)
    }

    async fn insert_announcement(&mut self, announcement: &Announcement) -> StoreResult<()> {
        self.write_announcement(Some(announcement.id.0), announcement)
            .await
            .map(drop)
    }

    async fn announcement(&mut self, id: AnnouncementId) -> StoreResult<Option<Announcement>> {
        let row: Option<AnnouncementRow> =
            sqlx::query_as("SELECT * FROM announcements WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        row.map(Announcement::try_from).transpose()
    }

    async fn announcements(&mut self) -> StoreResult<Vec<Announcement>> {
        let rows: Vec<AnnouncementRow> = sqlx::query_as("SELECT * FROM announcements ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Announcement::try_from).collect()
    }

    async fn set_announcement_status(
        &mut self,
        id: AnnouncementId,
        status: AnnouncementStatus,
    ) -> StoreResult<()> {
        let done = sqlx::query("UPDATE announcements SET status = $2 WHERE id = $1")
            .bind(id.0)
            .bind(status.as_str())
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("announcement {id}"))
    }

    async fn create_schedule(
        &mut self,
        section: SectionId,
        cron: &str,
        created_by: Option<MemberId>,
        at: DateTime<Utc>,
    ) -> StoreResult<Schedule> {
        let mut schedule = Schedule {
            id: ScheduleId(0),
            section,
            cron: cron.to_string(),
            created_by,
            created_at: at,
        };
        schedule.id = self.write_schedule(None, &schedule).await?;
        Ok(schedule)
    }

    async fn insert_schedule(&mut self, schedule: &Schedule) -> StoreResult<()> {
        self.write_schedule(Some(schedule.id.0), schedule)
            .await
            .map(drop)
    }

    async fn schedules(&mut self) -> StoreResult<Vec<Schedule>> {
        let rows: Vec<ScheduleRow> = sqlx::query_as("SELECT * FROM schedules ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(Schedule::from).collect())
    }

    async fn delete_schedule(&mut self, id: ScheduleId) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM schedules WHERE id = $1")
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }
}
