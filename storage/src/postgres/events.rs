//! Events and the members' answers to them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::{Event, EventId, InitiativeId, MemberId, Rsvp, SectionId};
use muster_core::store::{EventRepo, NewEvent, StoreError, StoreResult};

use super::{PgTx, db_err, expect_one, move_sequence, parse, sync_sequence, to_u32};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    section: i64,
    initiative: Option<i64>,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    capacity: Option<i64>,
    rsvp_deadline: Option<DateTime<Utc>>,
    recurrence: Option<String>,
    status: String,
    proposer: Option<i64>,
    reason: Option<String>,
    created_at: DateTime<Utc>,
}

impl TryFrom<EventRow> for Event {
    type Error = StoreError;

    fn try_from(row: EventRow) -> StoreResult<Event> {
        let coordinates = match (row.lat, row.lon) {
            (Some(lat), Some(lon)) => Some((lat, lon)),
            (None, None) => None,
            _ => {
                return Err(StoreError::Inconsistent(format!(
                    "event {} has half a coordinate",
                    row.id
                )));
            }
        };
        Ok(Event {
            id: EventId(row.id),
            section: SectionId(row.section),
            initiative: row.initiative.map(InitiativeId),
            title: row.title,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            place: row.place,
            coordinates,
            capacity: row.capacity.map(|c| to_u32(c, "capacity")).transpose()?,
            rsvp_deadline: row.rsvp_deadline,
            recurrence: row.recurrence.as_deref().map(parse).transpose()?,
            status: parse(&row.status)?,
            proposer: row.proposer.map(MemberId),
            reason: row.reason,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RsvpRow {
    event: i64,
    member: i64,
    status: String,
    guests: i64,
    position: Option<i64>,
    checked_in: bool,
    updated_at: DateTime<Utc>,
}

impl TryFrom<RsvpRow> for Rsvp {
    type Error = StoreError;

    fn try_from(row: RsvpRow) -> StoreResult<Rsvp> {
        Ok(Rsvp {
            event: EventId(row.event),
            member: MemberId(row.member),
            status: parse(&row.status)?,
            guests: to_u32(row.guests, "guests")?,
            position: row.position,
            checked_in: row.checked_in,
            updated_at: row.updated_at,
        })
    }
}

macro_rules! event_insert {
    () => {
        "INSERT INTO events (section, initiative, title, starts_at, ends_at, place, lat, lon, \
         capacity, rsvp_deadline, recurrence, status, proposer, reason, created_at"
    };
}

impl PgTx {
    /// Creation and import share one statement but for the id.
    async fn write_event(&mut self, id: Option<i64>, e: &Event) -> StoreResult<EventId> {
        let query = sqlx::query_scalar(if id.is_some() {
            concat!(
                event_insert!(),
                ", id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
                 RETURNING id"
            )
        } else {
            concat!(
                event_insert!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
                 RETURNING id"
            )
        })
        .bind(e.section.0)
        .bind(e.initiative.map(|i| i.0))
        .bind(&e.title)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(&e.place)
        .bind(e.coordinates.map(|c| c.0))
        .bind(e.coordinates.map(|c| c.1))
        .bind(e.capacity.map(i64::from))
        .bind(e.rsvp_deadline)
        .bind(e.recurrence.map(|r| r.as_str()))
        .bind(e.status.as_str())
        .bind(e.proposer.map(|m| m.0))
        .bind(&e.reason)
        .bind(e.created_at);
        match id {
            Some(id) => query.bind(id),
            None => query,
        }
        .fetch_one(&mut *self.tx)
        .await
        .map(EventId)
        .map_err(db_err)
    }
}

#[async_trait]
impl EventRepo for PgTx {
    async fn create_event(&mut self, new: NewEvent) -> StoreResult<Event> {
        let mut event = Event {
            id: EventId(0),
            section: new.section,
            initiative: new.initiative,
            title: new.title,
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            place: new.place,
            coordinates: None,
            capacity: new.capacity,
            rsvp_deadline: None,
            recurrence: new.recurrence,
            status: new.status,
            proposer: new.proposer,
            reason: None,
            created_at: new.created_at,
        };
        event.id = self.write_event(None, &event).await?;
        Ok(event)
    }

    async fn insert_event(&mut self, event: &Event) -> StoreResult<()> {
        self.write_event(Some(event.id.0), event).await?;
        move_sequence(&mut self.tx, sync_sequence!("events")).await
    }

    async fn event(&mut self, id: EventId) -> StoreResult<Option<Event>> {
        let row: Option<EventRow> = sqlx::query_as("SELECT * FROM events WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        row.map(Event::try_from).transpose()
    }

    async fn lock_event(&mut self, id: EventId) -> StoreResult<Option<Event>> {
        // Another transaction's lock_event on the same event waits here until
        // this one ends; its next statement then sees what this one wrote
        // (READ COMMITTED takes a snapshot per statement).
        let row: Option<EventRow> = sqlx::query_as("SELECT * FROM events WHERE id = $1 FOR UPDATE")
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        row.map(Event::try_from).transpose()
    }

    async fn events(&mut self) -> StoreResult<Vec<Event>> {
        let rows: Vec<EventRow> = sqlx::query_as("SELECT * FROM events ORDER BY starts_at, id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Event::try_from).collect()
    }

    async fn update_event(&mut self, e: &Event) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE events SET section = $2, initiative = $3, title = $4, starts_at = $5, ends_at = $6, \
             place = $7, lat = $8, lon = $9, capacity = $10, rsvp_deadline = $11, recurrence = $12, \
             status = $13, proposer = $14, reason = $15 WHERE id = $1",
        )
        .bind(e.id.0)
        .bind(e.section.0)
        .bind(e.initiative.map(|i| i.0))
        .bind(&e.title)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(&e.place)
        .bind(e.coordinates.map(|c| c.0))
        .bind(e.coordinates.map(|c| c.1))
        .bind(e.capacity.map(i64::from))
        .bind(e.rsvp_deadline)
        .bind(e.recurrence.map(|r| r.as_str()))
        .bind(e.status.as_str())
        .bind(e.proposer.map(|m| m.0))
        .bind(&e.reason)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("event {}", e.id))
    }

    async fn rsvps(&mut self, event: EventId) -> StoreResult<Vec<Rsvp>> {
        let rows: Vec<RsvpRow> =
            sqlx::query_as("SELECT * FROM rsvps WHERE event = $1 ORDER BY updated_at, member")
                .bind(event.0)
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        rows.into_iter().map(Rsvp::try_from).collect()
    }

    async fn rsvp(&mut self, event: EventId, member: MemberId) -> StoreResult<Option<Rsvp>> {
        let row: Option<RsvpRow> =
            sqlx::query_as("SELECT * FROM rsvps WHERE event = $1 AND member = $2")
                .bind(event.0)
                .bind(member.0)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        row.map(Rsvp::try_from).transpose()
    }

    async fn put_rsvp(&mut self, r: &Rsvp) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO rsvps (event, member, status, guests, position, checked_in, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (event, member) DO UPDATE SET status = excluded.status, guests = excluded.guests, \
             position = excluded.position, checked_in = excluded.checked_in, updated_at = excluded.updated_at",
        )
        .bind(r.event.0)
        .bind(r.member.0)
        .bind(r.status.as_str())
        .bind(i64::from(r.guests))
        .bind(r.position)
        .bind(r.checked_in)
        .bind(r.updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn rsvps_of(&mut self, member: MemberId) -> StoreResult<Vec<Rsvp>> {
        let rows: Vec<RsvpRow> =
            sqlx::query_as("SELECT * FROM rsvps WHERE member = $1 ORDER BY event")
                .bind(member.0)
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        rows.into_iter().map(Rsvp::try_from).collect()
    }
}
