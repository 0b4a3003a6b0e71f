//! The organisation's data: sections, rooms, members, initiatives, events,
//! RSVPs, announcements. Plain values; storage persists them, the engine
//! decides how they change.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(SectionId);
id_type!(MemberId);
id_type!(InitiativeId);
id_type!(EventId);
id_type!(AnnouncementId);
id_type!(DeliveryId);
id_type!(ScheduleId);
id_type!(JobId);

/// Where a member or a room lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Console,
    Matrix,
    Telegram,
    Discord,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::Console,
        Platform::Matrix,
        Platform::Telegram,
        Platform::Discord,
    ];
}

/// A value read back from storage or an export that is not one we know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! string_enum {
    ($name:ident, $kind:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s { $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue { kind: $kind, value: s.to_string() }) }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

string_enum!(Platform, "platform", {
    Console => "console", Matrix => "matrix", Telegram => "telegram", Discord => "discord"
});

/// Interface language. Replies use the member's language if set, else the section's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
}
string_enum!(Language, "language", { En => "en", Fr => "fr" });

/// Roles are ordered: an admin can do what an organiser can, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Organiser,
    Admin,
}
string_enum!(Role, "role", { Member => "member", Organiser => "organiser", Admin => "admin" });

/// `open`: anyone may; `required`: a verification or approval is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    Open,
    Required,
}
string_enum!(Policy, "policy", { Open => "open", Required => "required" });

/// What happens to the waitlist when a place frees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WaitlistMode {
    Auto,
    Notify,
}
string_enum!(WaitlistMode, "waitlist mode", { Auto => "auto", Notify => "notify" });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSettings {
    pub timezone: Tz,
    pub language: Language,
    pub verification: Policy,
    pub approval: Policy,
    /// Offsets before an event's start, largest first.
    pub reminders: Vec<Duration>,
    pub confirm: Option<Duration>,
    pub waitlist: WaitlistMode,
}

impl SectionSettings {
    /// The defaults of COMMANDS.md for a section with no parent.
    pub fn root_defaults(timezone: Tz, language: Language) -> Self {
        SectionSettings {
            timezone,
            language,
            verification: Policy::Open,
            approval: Policy::Required,
            reminders: vec![Duration::hours(24), Duration::hours(1)],
            confirm: None,
            waitlist: WaitlistMode::Auto,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: SectionId,
    pub slug: String,
    pub name: String,
    pub parent: Option<SectionId>,
    pub settings: SectionSettings,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoomRef {
    pub platform: Platform,
    pub room_id: String,
}

impl RoomRef {
    pub fn new(platform: Platform, room_id: impl Into<String>) -> Self {
        RoomRef {
            platform,
            room_id: room_id.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub room: RoomRef,
    pub section: SectionId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    /// `None` once the member asked to be forgotten.
    pub name: Option<String>,
    pub language: Option<Language>,
    /// Root admin: admin of every section.
    pub admin: bool,
    /// Whether other members may see this member's name in attendee lists.
    pub public_name: bool,
    /// Event reminders also come privately, for events the member answered
    /// going or maybe.
    pub direct_reminders: bool,
    pub created_at: DateTime<Utc>,
}

impl Member {
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!("#{}", self.id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    pub platform: Platform,
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub member: MemberId,
    pub section: SectionId,
    pub role: Role,
    pub verified: bool,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InitiativeStatus {
    Proposed,
    Open,
    Closed,
    Rejected,
}
string_enum!(InitiativeStatus, "initiative status", {
    Proposed => "proposed", Open => "open", Closed => "closed", Rejected => "rejected"
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initiative {
    pub id: InitiativeId,
    pub section: SectionId,
    pub title: String,
    pub description: String,
    pub status: InitiativeStatus,
    pub proposer: Option<MemberId>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Scheduled,
    Cancelled,
    Proposed,
    Rejected,
}
string_enum!(EventStatus, "event status", {
    Scheduled => "scheduled", Cancelled => "cancelled", Proposed => "proposed", Rejected => "rejected"
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recurrence {
    Weekly,
    Monthly,
}
string_enum!(Recurrence, "recurrence", { Weekly => "weekly", Monthly => "monthly" });

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub section: SectionId,
    pub initiative: Option<InitiativeId>,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    /// Latitude and longitude, when the place is on the map.
    pub coordinates: Option<(f64, f64)>,
    /// Places, guests included. `None` is unlimited.
    pub capacity: Option<u32>,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub recurrence: Option<Recurrence>,
    pub status: EventStatus,
    pub proposer: Option<MemberId>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RsvpStatus {
    Going,
    Maybe,
    Declined,
    Waitlisted,
}
string_enum!(RsvpStatus, "RSVP status", {
    Going => "going", Maybe => "maybe", Declined => "declined", Waitlisted => "waitlisted"
});

/// What a member asks for; waitlisting is the engine's answer, never a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RsvpAnswer {
    Yes,
    Maybe,
    No,
}
string_enum!(RsvpAnswer, "answer", { Yes => "yes", Maybe => "maybe", No => "no" });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rsvp {
    pub event: EventId,
    pub member: MemberId,
    pub status: RsvpStatus,
    pub guests: u32,
    /// Order of arrival on the waitlist (smaller is earlier); set only while waitlisted.
    pub position: Option<i64>,
    pub checked_in: bool,
    pub updated_at: DateTime<Utc>,
}

impl Rsvp {
    /// Places this answer takes from the capacity.
    pub fn seats(&self) -> u32 {
        if self.status == RsvpStatus::Going {
            1 + self.guests
        } else {
            0
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnouncementStatus {
    Pending,
    Sent,
    Cancelled,
    /// Its time passed while Muster was offline, too long ago to send it
    /// unasked: an organiser sends or cancels it.
    Held,
}
string_enum!(AnnouncementStatus, "announcement status", {
    Pending => "pending", Sent => "sent", Cancelled => "cancelled", Held => "held"
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub id: AnnouncementId,
    pub section: SectionId,
    pub subtree: bool,
    pub text: String,
    pub author: Option<MemberId>,
    pub send_at: DateTime<Utc>,
    pub status: AnnouncementStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Sending,
    Sent,
    Failed,
}
string_enum!(DeliveryStatus, "delivery status", {
    Pending => "pending", Sending => "sending", Sent => "sent", Failed => "failed"
});

/// One message to one room or member, in the outbox. Written in the same
/// transaction as the change that caused it; an adapter claims it, sends it,
/// and reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub announcement: Option<AnnouncementId>,
    /// The room, or with `direct` the member's user id on that platform.
    pub room: RoomRef,
    pub direct: bool,
    /// The rendered message as JSON (text, kind, buttons); storage does not read it.
    pub message: String,
    pub status: DeliveryStatus,
    /// Send attempts so far.
    pub attempts: u32,
    /// When a pending delivery may be tried; while `sending`, when the
    /// claim lapses and another dispatcher may take it over.
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// Passed to the platform where it deduplicates (Matrix txn id, Discord nonce).
    pub idempotency_key: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A delivery to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub announcement: Option<AnnouncementId>,
    pub room: RoomRef,
    pub direct: bool,
    pub message: String,
    pub idempotency_key: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Pending,
    Done,
    /// Came due while Muster was down and was no longer useful (e.g. a
    /// reminder after the event started): recorded, never silently dropped.
    Missed,
    /// Failed past the retry cap; organisers can see it.
    Dead,
    Cancelled,
}
string_enum!(JobState, "job state", {
    Pending => "pending", Done => "done", Missed => "missed", Dead => "dead", Cancelled => "cancelled"
});

/// A durable piece of scheduled work (a reminder, a digest, a scheduled
/// announcement). `key` names the occurrence: it is unique, so the same
/// occurrence can never be scheduled, or run, twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    pub key: String,
    /// What the job is about, for cancelling: `event:12`, `schedule:3`.
    pub subject: String,
    /// What to do, as JSON; storage does not read it.
    pub payload: String,
    pub due_at: DateTime<Utc>,
    pub state: JobState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub key: String,
    pub subject: String,
    pub payload: String,
    pub due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub id: ScheduleId,
    pub section: SectionId,
    /// The five-field cron the organiser typed, in the section's time zone.
    pub cron: String,
    pub created_by: Option<MemberId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: Option<MemberId>,
    pub platform: Option<Platform>,
    pub section: Option<SectionId>,
    pub action: String,
    pub detail: String,
}

/// A one-time code that merges identities across platforms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCode {
    pub code: String,
    pub member: MemberId,
    pub expires_at: DateTime<Utc>,
}
