//! The export format of OPERATIONS.md: the whole organisation as JSON. Other
//! tools read it, so the contract's field names never change; fields beyond
//! the contract make the export lossless, so `export | import | export`
//! gives the same document on SQLite and PostgreSQL alike.

use crate::domain::*;
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub sections: Vec<SectionOut>,
    pub members: Vec<MemberOut>,
    pub initiatives: Vec<InitiativeOut>,
    pub events: Vec<EventOut>,
    pub announcements: Vec<AnnouncementOut>,
    pub schedules: Vec<ScheduleOut>,
    #[serde(default)]
    pub audit: Vec<AuditOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionOut {
    pub id: SectionId,
    pub slug: String,
    pub name: String,
    pub parent: Option<String>,
    pub timezone: String,
    pub language: Language,
    pub verification: Policy,
    pub approval: Policy,
    /// Minutes before the start.
    pub reminders: Vec<i64>,
    pub confirm: Option<i64>,
    pub waitlist: WaitlistMode,
    pub created_at: DateTime<Utc>,
    pub rooms: Vec<RoomOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomOut {
    pub platform: Platform,
    pub room_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberOut {
    pub id: MemberId,
    /// `null` once the member asked to be forgotten.
    pub name: Option<String>,
    pub language: Option<Language>,
    pub admin: bool,
    pub public_name: bool,
    #[serde(default)]
    pub direct_reminders: bool,
    pub created_at: DateTime<Utc>,
    pub identities: Vec<IdentityOut>,
    pub memberships: Vec<MembershipOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityOut {
    pub platform: Platform,
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipOut {
    pub section: String,
    pub role: Role,
    pub verified: bool,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeOut {
    pub id: InitiativeId,
    pub section: String,
    pub title: String,
    pub description: String,
    pub status: InitiativeStatus,
    pub proposer: Option<MemberId>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub supporters: Vec<MemberId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventOut {
    pub id: EventId,
    pub section: String,
    pub initiative: Option<InitiativeId>,
    pub title: String,
    /// In the section's time zone, with its offset.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub place: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub capacity: Option<u32>,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub recurrence: Option<Recurrence>,
    pub status: EventStatus,
    pub proposer: Option<MemberId>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub rsvps: Vec<RsvpOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RsvpOut {
    pub member: MemberId,
    pub status: RsvpStatus,
    pub guests: u32,
    pub position: Option<i64>,
    pub checked_in: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnouncementOut {
    pub id: AnnouncementId,
    pub section: String,
    pub subtree: bool,
    pub text: String,
    pub author: Option<MemberId>,
    pub send_at: DateTime<Utc>,
    pub status: AnnouncementStatus,
    pub created_at: DateTime<Utc>,
    pub deliveries: Vec<DeliveryOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryOut {
    pub id: DeliveryId,
    pub platform: Platform,
    pub room_id: String,
    pub status: DeliveryStatus,
    pub idempotency_key: String,
    #[serde(default)]
    pub direct: bool,
    pub message: String,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleOut {
    pub id: ScheduleId,
    pub section: String,
    pub cron: String,
    pub created_by: Option<MemberId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditOut {
    pub at: DateTime<Utc>,
    pub actor: Option<MemberId>,
    pub platform: Option<Platform>,
    pub section: Option<String>,
    pub action: String,
    pub detail: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the target database is not empty; import needs an empty database")]
    NotEmpty,
    #[error(
        "export format version {0} is not supported (this Muster reads version {FORMAT_VERSION})"
    )]
    Version(u32),
    #[error("invalid export: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn minutes(d: &Duration) -> i64 {
    d.num_minutes()
}

/// Reads the whole organisation inside one transaction (a consistent snapshot).
pub async fn export(tx: &mut dyn Tx, now: DateTime<Utc>) -> Result<Export, StoreError> {
    let sections = tx.sections().await?;
    let slug = |id: SectionId| {
        sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.slug.clone())
            .unwrap_or_default()
    };
    let tz_of = |id: SectionId| {
        sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.settings.timezone)
            .unwrap_or(chrono_tz::UTC)
    };
    let rooms = tx.rooms().await?;

    let mut out = Export {
        version: FORMAT_VERSION,
        exported_at: now,
        sections: Vec::new(),
        members: Vec::new(),
        initiatives: Vec::new(),
        events: Vec::new(),
        announcements: Vec::new(),
        schedules: Vec::new(),
        audit: Vec::new(),
    };
    for s in &sections {
        out.sections.push(SectionOut {
            id: s.id,
            slug: s.slug.clone(),
            name: s.name.clone(),
            parent: s.parent.map(slug),
            timezone: s.settings.timezone.name().to_string(),
            language: s.settings.language,
            verification: s.settings.verification,
            approval: s.settings.approval,
            reminders: s.settings.reminders.iter().map(minutes).collect(),
            confirm: s.settings.confirm.as_ref().map(minutes),
            waitlist: s.settings.waitlist,
            created_at: s.created_at,
            rooms: rooms
                .iter()
                .filter(|r| r.section == s.id)
                .map(|r| RoomOut {
                    platform: r.room.platform,
                    room_id: r.room.room_id.clone(),
                })
                .collect(),
        });
    }
    for m in tx.members().await? {
        let identities = tx.identities(m.id).await?;
        let memberships = tx.memberships_of(m.id).await?;
        out.members.push(MemberOut {
            id: m.id,
            name: m.name,
            language: m.language,
            admin: m.admin,
            public_name: m.public_name,
            direct_reminders: m.direct_reminders,
            created_at: m.created_at,
            identities: identities
                .into_iter()
                .map(|i| IdentityOut {
                    platform: i.platform,
                    user_id: i.user_id,
                })
                .collect(),
            memberships: memberships
                .into_iter()
                .map(|ms| MembershipOut {
                    section: slug(ms.section),
                    role: ms.role,
                    verified: ms.verified,
                    joined_at: ms.joined_at,
                })
                .collect(),
        });
    }
    for i in tx.initiatives().await? {
        let supporters = tx.supporters(i.id).await?;
        out.initiatives.push(InitiativeOut {
            id: i.id,
            section: slug(i.section),
            title: i.title,
            description: i.description,
            status: i.status,
            proposer: i.proposer,
            reason: i.reason,
            created_at: i.created_at,
            supporters,
        });
    }
    let mut events = tx.events().await?;
    events.sort_by_key(|e| e.id);
    for e in events {
        let tz = tz_of(e.section);
        let rsvps = tx.rsvps(e.id).await?;
        let mut rsvps: Vec<RsvpOut> = rsvps
            .into_iter()
            .map(|r| RsvpOut {
                member: r.member,
                status: r.status,
                guests: r.guests,
                position: r.position,
                checked_in: r.checked_in,
                updated_at: r.updated_at,
            })
            .collect();
        rsvps.sort_by_key(|r| r.member);
        out.events.push(EventOut {
            id: e.id,
            section: slug(e.section),
            initiative: e.initiative,
            title: e.title,
            starts_at: e.starts_at.with_timezone(&tz).fixed_offset(),
            ends_at: e.ends_at.with_timezone(&tz).fixed_offset(),
            place: e.place,
            latitude: e.coordinates.map(|c| c.0),
            longitude: e.coordinates.map(|c| c.1),
            capacity: e.capacity,
            rsvp_deadline: e.rsvp_deadline,
            recurrence: e.recurrence,
            status: e.status,
            proposer: e.proposer,
            reason: e.reason,
            created_at: e.created_at,
            rsvps,
        });
    }
    for a in tx.announcements().await? {
        let deliveries = tx.deliveries(a.id).await?;
        out.announcements.push(AnnouncementOut {
            id: a.id,
            section: slug(a.section),
            subtree: a.subtree,
            text: a.text,
            author: a.author,
            send_at: a.send_at,
            status: a.status,
            created_at: a.created_at,
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryOut {
                    id: d.id,
                    platform: d.room.platform,
                    room_id: d.room.room_id,
                    status: d.status,
                    idempotency_key: d.idempotency_key,
                    direct: d.direct,
                    message: d.message,
                    attempts: d.attempts,
                    next_attempt_at: d.next_attempt_at,
                    last_error: d.last_error,
                    created_at: d.created_at,
                    sent_at: d.sent_at,
                })
                .collect(),
        });
    }
    for s in tx.schedules().await? {
        out.schedules.push(ScheduleOut {
            id: s.id,
            section: slug(s.section),
            cron: s.cron,
            created_by: s.created_by,
            created_at: s.created_at,
        });
    }
    let mut audit = tx.audit(u32::MAX).await?;
    audit.reverse();
    for a in audit {
        out.audit.push(AuditOut {
            at: a.at,
            actor: a.actor,
            platform: a.platform,
            section: a.section.map(slug),
            action: a.action,
            detail: a.detail,
        });
    }
    Ok(out)
}

/// Loads an export into an empty database, keeping every id.
/// Loads `doc` into an empty database, then schedules its pending work
/// (reminders, digests, announcements) as of `now`.
pub async fn import(tx: &mut dyn Tx, doc: &Export, now: DateTime<Utc>) -> Result<(), ImportError> {
    if doc.version != FORMAT_VERSION {
        return Err(ImportError::Version(doc.version));
    }
    if !tx.sections().await?.is_empty() || !tx.members().await?.is_empty() {
        return Err(ImportError::NotEmpty);
    }
    let section_id = |slug: &str| {
        doc.sections
            .iter()
            .find(|s| s.slug == slug)
            .map(|s| s.id)
            .ok_or_else(|| ImportError::Invalid(format!("unknown section `{slug}`")))
    };
    for s in &doc.sections {
        let timezone: chrono_tz::Tz = s.timezone.parse().map_err(|_| {
            ImportError::Invalid(format!(
                "section `{}`: unknown time zone `{}`",
                s.slug, s.timezone
            ))
        })?;
        let parent = s.parent.as_deref().map(section_id).transpose()?;
        let section = Section {
            id: s.id,
            slug: s.slug.clone(),
            name: s.name.clone(),
            parent,
            settings: SectionSettings {
                timezone,
                language: s.language,
                verification: s.verification,
                approval: s.approval,
                reminders: s.reminders.iter().map(|m| Duration::minutes(*m)).collect(),
                confirm: s.confirm.map(Duration::minutes),
                waitlist: s.waitlist,
            },
            created_at: s.created_at,
        };
        tx.insert_section(&section).await?;
    }
    for s in &doc.sections {
        for r in &s.rooms {
            tx.link_room(&RoomRef::new(r.platform, r.room_id.clone()), s.id)
                .await?;
        }
    }
    for m in &doc.members {
        let member = Member {
            id: m.id,
            name: m.name.clone(),
            language: m.language,
            admin: m.admin,
            public_name: m.public_name,
            direct_reminders: m.direct_reminders,
            created_at: m.created_at,
        };
        let identities: Vec<Identity> = m
            .identities
            .iter()
            .map(|i| Identity {
                platform: i.platform,
                user_id: i.user_id.clone(),
            })
            .collect();
        tx.insert_member(&member, &identities).await?;
        for ms in &m.memberships {
            let membership = Membership {
                member: m.id,
                section: section_id(&ms.section)?,
                role: ms.role,
                verified: ms.verified,
                joined_at: ms.joined_at,
            };
            tx.put_membership(&membership).await?;
        }
    }
    for i in &doc.initiatives {
        let initiative = Initiative {
            id: i.id,
            section: section_id(&i.section)?,
            title: i.title.clone(),
            description: i.description.clone(),
            status: i.status,
            proposer: i.proposer,
            reason: i.reason.clone(),
            created_at: i.created_at,
        };
        tx.insert_initiative(&initiative).await?;
        for member in &i.supporters {
            tx.add_support(i.id, *member, i.created_at).await?;
        }
    }
    for e in &doc.events {
        let event = Event {
            id: e.id,
            section: section_id(&e.section)?,
            initiative: e.initiative,
            title: e.title.clone(),
            starts_at: e.starts_at.with_timezone(&Utc),
            ends_at: e.ends_at.with_timezone(&Utc),
            place: e.place.clone(),
            coordinates: e.latitude.zip(e.longitude),
            capacity: e.capacity,
            rsvp_deadline: e.rsvp_deadline,
            recurrence: e.recurrence,
            status: e.status,
            proposer: e.proposer,
            reason: e.reason.clone(),
            created_at: e.created_at,
        };
        tx.insert_event(&event).await?;
        for r in &e.rsvps {
            let rsvp = Rsvp {
                event: e.id,
                member: r.member,
                status: r.status,
                guests: r.guests,
                position: r.position,
                checked_in: r.checked_in,
                updated_at: r.updated_at,
            };
            tx.put_rsvp(&rsvp).await?;
        }
    }
    for a in &doc.announcements {
        let announcement = Announcement {
            id: a.id,
            section: section_id(&a.section)?,
            subtree: a.subtree,
            text: a.text.clone(),
            author: a.author,
            send_at: a.send_at,
            status: a.status,
            created_at: a.created_at,
        };
        tx.insert_announcement(&announcement).await?;
        for d in &a.deliveries {
            let delivery = Delivery {
                id: d.id,
                announcement: Some(a.id),
                room: RoomRef::new(d.platform, d.room_id.clone()),
                direct: d.direct,
                message: d.message.clone(),
                status: d.status,
                attempts: d.attempts,
                next_attempt_at: d.next_attempt_at,
                last_error: d.last_error.clone(),
                idempotency_key: d.idempotency_key.clone(),
                created_at: d.created_at,
                sent_at: d.sent_at,
            };
            tx.insert_delivery(&delivery).await?;
        }
    }
    for s in &doc.schedules {
        let schedule = Schedule {
            id: s.id,
            section: section_id(&s.section)?,
            cron: s.cron.clone(),
            created_by: s.created_by,
            created_at: s.created_at,
        };
        tx.insert_schedule(&schedule).await?;
    }
    for a in &doc.audit {
        let section = a.section.as_deref().map(section_id).transpose()?;
        let entry = AuditEntry {
            at: a.at,
            actor: a.actor,
            platform: a.platform,
            section,
            action: a.action.clone(),
            detail: a.detail.clone(),
        };
        tx.record(&entry).await?;
    }
    crate::engine::jobs::schedule_all(tx, now).await?;
    Ok(())
}
