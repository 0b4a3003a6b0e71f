//! Sections, their settings, and the rooms linked to them.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use muster_core::domain::{Room, RoomRef, Section, SectionId, SectionSettings};
use muster_core::store::{NewSection, SectionRepo, StoreError, StoreResult};
use sqlx::postgres::PgConnection;

use super::{PgTx, db_err, expect_one, move_sequence, parse, settle, sync_sequence};

#[derive(sqlx::FromRow)]
struct SectionRow {
    id: i64,
    slug: String,
    name: String,
    parent: Option<i64>,
    timezone: String,
    language: String,
    verification: String,
    approval: String,
    reminders: String,
    confirm_minutes: Option<i64>,
    waitlist: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<SectionRow> for Section {
    type Error = StoreError;

    fn try_from(row: SectionRow) -> StoreResult<Section> {
        let timezone: Tz = row.timezone.parse().map_err(|_| {
            StoreError::Inconsistent(format!("unknown time zone `{}`", row.timezone))
        })?;
        Ok(Section {
            id: SectionId(row.id),
            slug: row.slug,
            name: row.name,
            parent: row.parent.map(SectionId),
            settings: SectionSettings {
                timezone,
                language: parse(&row.language)?,
                verification: parse(&row.verification)?,
                approval: parse(&row.approval)?,
                reminders: decode_reminders(&row.reminders)?,
                confirm: row.confirm_minutes.map(Duration::minutes),
                waitlist: parse(&row.waitlist)?,
            },
            created_at: row.created_at,
        })
    }
}

/// Minutes, comma-separated, in the settings' order: "1440,60" (the SQLite
/// backend's text, so a database moved between the two reads the same).
fn encode_reminders(reminders: &[Duration]) -> String {
    reminders
        .iter()
        .map(|d| d.num_minutes().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn decode_reminders(text: &str) -> StoreResult<Vec<Duration>> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|m| {
            m.trim()
                .parse::<i64>()
                .map(Duration::minutes)
                .map_err(|_| StoreError::Inconsistent(format!("bad reminder list `{text}`")))
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct RoomRow {
    platform: String,
    room_id: String,
    section: i64,
}

impl TryFrom<RoomRow> for Room {
    type Error = StoreError;

    fn try_from(row: RoomRow) -> StoreResult<Room> {
        Ok(Room {
            room: RoomRef::new(parse(&row.platform)?, row.room_id),
            section: SectionId(row.section),
        })
    }
}

/// The columns both inserts write; the import's adds the id as `$12`
/// (an explicit NULL would not let PostgreSQL choose, as SQLite does).
macro_rules! section_insert {
    () => {
        "INSERT INTO sections (slug, name, parent, timezone, language, verification, approval, \
         reminders, confirm_minutes, waitlist, created_at"
    };
}
const CREATE_SECTION: &str = concat!(
    section_insert!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *"
);
const IMPORT_SECTION: &str = concat!(
    section_insert!(),
    ", id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *"
);

/// Creation and import share one statement but for the id.
async fn write_section(
    conn: &mut PgConnection,
    id: Option<i64>,
    section: &NewSection,
) -> Result<SectionRow, sqlx::Error> {
    let s = &section.settings;
    let query = sqlx::query_as(if id.is_some() {
        IMPORT_SECTION
    } else {
        CREATE_SECTION
    })
    .bind(&section.slug)
    .bind(&section.name)
    .bind(section.parent.map(|p| p.0))
    .bind(s.timezone.name())
    .bind(s.language.as_str())
    .bind(s.verification.as_str())
    .bind(s.approval.as_str())
    .bind(encode_reminders(&s.reminders))
    .bind(s.confirm.map(|d| d.num_minutes()))
    .bind(s.waitlist.as_str())
    .bind(section.created_at);
    match id {
        Some(id) => query.bind(id),
        None => query,
    }
    .fetch_one(conn)
    .await
}

#[async_trait]
impl SectionRepo for PgTx {
    async fn create_section(&mut self, new: NewSection) -> StoreResult<Section> {
        // A taken slug is an answer to the user, not the end of the command.
        let mut savepoint = self.savepoint().await?;
        let written = write_section(&mut savepoint, None, &new).await;
        settle(savepoint, written).await?.try_into()
    }

    async fn insert_section(&mut self, section: &Section) -> StoreResult<()> {
        let new = NewSection {
            slug: section.slug.clone(),
            name: section.name.clone(),
            parent: section.parent,
            settings: section.settings.clone(),
            created_at: section.created_at,
        };
        write_section(&mut self.tx, Some(section.id.0), &new)
            .await
            .map_err(db_err)?;
        move_sequence(&mut self.tx, sync_sequence!("sections")).await
    }

    async fn section(&mut self, id: SectionId) -> StoreResult<Option<Section>> {
        let row: Option<SectionRow> = sqlx::query_as("SELECT * FROM sections WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        row.map(Section::try_from).transpose()
    }

    async fn section_by_slug(&mut self, slug: &str) -> StoreResult<Option<Section>> {
        let row: Option<SectionRow> = sqlx::query_as("SELECT * FROM sections WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        row.map(Section::try_from).transpose()
    }

    async fn sections(&mut self) -> StoreResult<Vec<Section>> {
        let rows: Vec<SectionRow> = sqlx::query_as("SELECT * FROM sections ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Section::try_from).collect()
    }

    async fn update_settings(
        &mut self,
        id: SectionId,
        settings: &SectionSettings,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE sections SET timezone = $2, language = $3, verification = $4, approval = $5, \
             reminders = $6, confirm_minutes = $7, waitlist = $8 WHERE id = $1",
        )
        .bind(id.0)
        .bind(settings.timezone.name())
        .bind(settings.language.as_str())
        .bind(settings.verification.as_str())
        .bind(settings.approval.as_str())
        .bind(encode_reminders(&settings.reminders))
        .bind(settings.confirm.map(|d| d.num_minutes()))
        .bind(settings.waitlist.as_str())
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("section {id}"))
    }

    async fn room_section(&mut self, room: &RoomRef) -> StoreResult<Option<SectionId>> {
        let section: Option<i64> =
            sqlx::query_scalar("SELECT section FROM rooms WHERE platform = $1 AND room_id = $2")
                .bind(room.platform.as_str())
                .bind(&room.room_id)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        Ok(section.map(SectionId))
    }

    async fn link_room(&mut self, room: &RoomRef, section: SectionId) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO rooms (platform, room_id, section) VALUES ($1, $2, $3) \
             ON CONFLICT (platform, room_id) DO UPDATE SET section = excluded.section",
        )
        .bind(room.platform.as_str())
        .bind(&room.room_id)
        .bind(section.0)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn unlink_room(&mut self, room: &RoomRef) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM rooms WHERE platform = $1 AND room_id = $2")
            .bind(room.platform.as_str())
            .bind(&room.room_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn rooms(&mut self) -> StoreResult<Vec<Room>> {
        // platform and room_id are COLLATE "C": byte order, as on SQLite.
        let rows: Vec<RoomRow> =
            sqlx::query_as("SELECT * FROM rooms ORDER BY section, platform, room_id")
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        rows.into_iter().map(Room::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_round_trip() {
        let reminders = vec![Duration::hours(24), Duration::minutes(15)];
        assert_eq!(encode_reminders(&reminders), "1440,15");
        assert_eq!(decode_reminders("1440,15").unwrap(), reminders);
        assert!(decode_reminders("").unwrap().is_empty());
        assert!(matches!(
            decode_reminders("soon"),
            Err(StoreError::Inconsistent(_))
        ));
    }
}
