//! Repository traits, one per aggregate, implemented by the `storage` crate
//! for SQLite and PostgreSQL. Every command runs in one [`Tx`], so a change,
//! its audit entry and its deliveries are written together or not at all.
//!
//! Lookups return `Option` so "not found" is not an error.

use crate::domain::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The driver failed (connection, I/O, SQL).
    #[error("database error: {0}")]
    Database(String),
    /// A uniqueness rule was broken (e.g. a slug already taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A row could not be read back into the domain (unknown enum text, bad time zone...).
    #[error("inconsistent data: {0}")]
    Inconsistent(String),
    /// The database does not do this; the message says what does.
    #[error("{0}")]
    Unsupported(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A database: hands out write transactions.
#[async_trait]
pub trait Store: Send + Sync {
    /// A transaction that may write. SQLite takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so concurrent writers queue instead of failing
    /// with SQLITE_BUSY; PostgreSQL locks the rows that decide (the event
    /// row for RSVPs) through [`EventRepo::lock_event`].
    async fn begin(&self) -> StoreResult<Box<dyn Tx>>;
    /// Which backend, for logs and `check-config`.
    fn backend(&self) -> &'static str;
    /// A stream of "new work may be due" signals from other processes (a
    /// job added, a delivery enqueued or put back for retry), so an idle
    /// scheduler or dispatcher looks at once instead of at its next timer.
    /// `None` when the backend has no such thing: SQLite serves one process,
    /// whose in-process waker already does it. Each call opens a listener of
    /// its own (on PostgreSQL, one connection held for its lifetime).
    async fn work_signals(&self) -> StoreResult<Option<Box<dyn WorkSignals>>>;
    /// Waits for the transactions under way, then closes every connection.
    /// SQLite first moves its write-ahead log into the database file, so
    /// after a clean stop the file alone holds everything.
    async fn close(&self);
    /// Writes a consistent copy of the whole database to `path` (which must
    /// not exist), while it is in use. `Unsupported` where the database has
    /// tools of its own for this (PostgreSQL's `pg_dump`).
    async fn backup(&self, path: &std::path::Path) -> StoreResult<()>;
}

/// Wake-ups from writes committed by any process on the same database
/// (this one's included). A signal says only "look again": it names no job,
/// and several may arrive as one. The signals are a shortcut, never the
/// only path: callers still keep their timer, since a signal sent while the
/// listener was reconnecting is lost.
#[async_trait]
pub trait WorkSignals: Send {
    /// Waits for the next signal (several may be coalesced). A listener that
    /// lost its connection and got it back returns a signal too, since
    /// whatever was sent meanwhile is gone. Cancel-safe, so it can race a
    /// timer in `select!`. Errors mean the listener is gone (the server is
    /// unreachable, or the store was closed); callers fall back to their timer.
    async fn next(&mut self) -> StoreResult<()>;
}

/// One unit of work across every aggregate; dropping it rolls back.
#[async_trait]
pub trait Tx:
    SectionRepo
    + MemberRepo
    + InitiativeRepo
    + EventRepo
    + AnnouncementRepo
    + OutboxRepo
    + JobRepo
    + AuditRepo
    + LeaseRepo
    + InboxRepo
    + Send
{
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

#[derive(Debug, Clone)]
pub struct NewSection {
    pub slug: String,
    pub name: String,
    pub parent: Option<SectionId>,
    pub settings: SectionSettings,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait SectionRepo {
    /// `Conflict` if the slug is taken.
    async fn create_section(&mut self, new: NewSection) -> StoreResult<Section>;
    /// Import: insert with the given id.
    async fn insert_section(&mut self, section: &Section) -> StoreResult<()>;
    async fn section(&mut self, id: SectionId) -> StoreResult<Option<Section>>;
    async fn section_by_slug(&mut self, slug: &str) -> StoreResult<Option<Section>>;
    /// Every section, ordered by id (parents are always created before children).
    async fn sections(&mut self) -> StoreResult<Vec<Section>>;
    async fn update_settings(
        &mut self,
        id: SectionId,
        settings: &SectionSettings,
    ) -> StoreResult<()>;

    async fn room_section(&mut self, room: &RoomRef) -> StoreResult<Option<SectionId>>;
    /// Links the room, replacing any previous link.
    async fn link_room(&mut self, room: &RoomRef, section: SectionId) -> StoreResult<()>;
    /// `false` if the room was not linked.
    async fn unlink_room(&mut self, room: &RoomRef) -> StoreResult<bool>;
    /// Every linked room, ordered by section then platform then room id.
    async fn rooms(&mut self) -> StoreResult<Vec<Room>>;
}

#[async_trait]
pub trait MemberRepo {
    async fn create_member(
        &mut self,
        name: &str,
        identity: &Identity,
        admin: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Member>;
    /// Import: insert with the given id and identities.
    async fn insert_member(&mut self, member: &Member, identities: &[Identity]) -> StoreResult<()>;
    async fn member(&mut self, id: MemberId) -> StoreResult<Option<Member>>;
    async fn member_by_identity(&mut self, identity: &Identity) -> StoreResult<Option<Member>>;
    /// Every member, ordered by id.
    async fn members(&mut self) -> StoreResult<Vec<Member>>;
    /// Whether any member is a root admin or an admin of some section.
    async fn has_admin(&mut self) -> StoreResult<bool>;
    /// Holds off other first contacts until this transaction ends, so "the
    /// first speaker of an empty database is admin" holds across processes
    /// (PostgreSQL: a transaction-scoped advisory lock; SQLite's write lock
    /// already does it).
    async fn lock_first_contact(&mut self) -> StoreResult<()>;
    /// Name, language, admin flag and name visibility.
    async fn update_member(&mut self, member: &Member) -> StoreResult<()>;
    async fn identities(&mut self, member: MemberId) -> StoreResult<Vec<Identity>>;
    /// The identities a direct message may be tried on (not marked
    /// unreachable), in the order of [`identities`](Self::identities).
    async fn reachable_identities(&mut self, member: MemberId) -> StoreResult<Vec<Identity>>;

    async fn membership(
        &mut self,
        member: MemberId,
        section: SectionId,
    ) -> StoreResult<Option<Membership>>;
    async fn memberships_of(&mut self, member: MemberId) -> StoreResult<Vec<Membership>>;
    /// Ordered by member id.
    async fn memberships_in(&mut self, section: SectionId) -> StoreResult<Vec<Membership>>;
    async fn put_membership(&mut self, membership: &Membership) -> StoreResult<()>;
    async fn delete_membership(
        &mut self,
        member: MemberId,
        section: SectionId,
    ) -> StoreResult<bool>;

    async fn put_link_code(&mut self, code: &LinkCode) -> StoreResult<()>;
    /// Removes and returns the code (a code works once).
    async fn take_link_code(&mut self, code: &str) -> StoreResult<Option<LinkCode>>;

    /// Moves `from`'s identities, memberships (keeping the higher role and
    /// either verification), supports and RSVPs (keeping `into`'s where both
    /// answered) to `into`, then deletes `from`.
    async fn merge_members(&mut self, from: MemberId, into: MemberId) -> StoreResult<()>;
    /// Marks an identity unreachable since a time (`Some`), or reachable
    /// again (`None`). `true` if that changed something: newly marked, or
    /// a mark removed.
    async fn set_unreachable(
        &mut self,
        identity: &Identity,
        since: Option<DateTime<Utc>>,
    ) -> StoreResult<bool>;
    /// Since when an identity has been unreachable, if it is.
    async fn unreachable_since(
        &mut self,
        identity: &Identity,
    ) -> StoreResult<Option<DateTime<Utc>>>;
    /// Erases personal data: the name, identities, memberships and link codes,
    /// and the admin rights that went with the person.
    /// The member row stays, nameless, so RSVPs and supports still count.
    async fn forget_member(&mut self, id: MemberId) -> StoreResult<()>;
}

#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub section: SectionId,
    pub title: String,
    pub description: String,
    pub status: InitiativeStatus,
    pub proposer: Option<MemberId>,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait InitiativeRepo {
    async fn create_initiative(&mut self, new: NewInitiative) -> StoreResult<Initiative>;
    async fn insert_initiative(&mut self, initiative: &Initiative) -> StoreResult<()>;
    async fn initiative(&mut self, id: InitiativeId) -> StoreResult<Option<Initiative>>;
    /// Ordered by id.
    async fn initiatives(&mut self) -> StoreResult<Vec<Initiative>>;
    async fn update_initiative(&mut self, initiative: &Initiative) -> StoreResult<()>;
    /// `true` if the support is new.
    async fn add_support(
        &mut self,
        id: InitiativeId,
        member: MemberId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// `true` if there was a support to remove.
    async fn remove_support(&mut self, id: InitiativeId, member: MemberId) -> StoreResult<bool>;
    /// Ordered by member id.
    async fn supporters(&mut self, id: InitiativeId) -> StoreResult<Vec<MemberId>>;
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub section: SectionId,
    pub initiative: Option<InitiativeId>,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub capacity: Option<u32>,
    pub recurrence: Option<Recurrence>,
    pub status: EventStatus,
    pub proposer: Option<MemberId>,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait EventRepo {
    async fn create_event(&mut self, new: NewEvent) -> StoreResult<Event>;
    async fn insert_event(&mut self, event: &Event) -> StoreResult<()>;
    async fn event(&mut self, id: EventId) -> StoreResult<Option<Event>>;
    /// Reads the event and holds it against concurrent RSVPs until commit
    /// (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's write lock already does).
    async fn lock_event(&mut self, id: EventId) -> StoreResult<Option<Event>>;
    /// Ordered by start time then id.
    async fn events(&mut self) -> StoreResult<Vec<Event>>;
    async fn update_event(&mut self, event: &Event) -> StoreResult<()>;

    /// Ordered by `updated_at` then member id.
    async fn rsvps(&mut self, event: EventId) -> StoreResult<Vec<Rsvp>>;
    async fn rsvp(&mut self, event: EventId, member: MemberId) -> StoreResult<Option<Rsvp>>;
    /// Insert or replace the member's answer.
    async fn put_rsvp(&mut self, rsvp: &Rsvp) -> StoreResult<()>;
    /// Every answer of a member, ordered by event id.
    async fn rsvps_of(&mut self, member: MemberId) -> StoreResult<Vec<Rsvp>>;
}

#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub section: SectionId,
    pub subtree: bool,
    pub text: String,
    pub author: Option<MemberId>,
    pub send_at: DateTime<Utc>,
    pub status: AnnouncementStatus,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait AnnouncementRepo {
    async fn create_announcement(&mut self, new: NewAnnouncement) -> StoreResult<Announcement>;
    async fn insert_announcement(&mut self, announcement: &Announcement) -> StoreResult<()>;
    async fn announcement(&mut self, id: AnnouncementId) -> StoreResult<Option<Announcement>>;
    /// Ordered by id.
    async fn announcements(&mut self) -> StoreResult<Vec<Announcement>>;
    async fn set_announcement_status(
        &mut self,
        id: AnnouncementId,
        status: AnnouncementStatus,
    ) -> StoreResult<()>;

    async fn create_schedule(
        &mut self,
        section: SectionId,
        cron: &str,
        created_by: Option<MemberId>,
        at: DateTime<Utc>,
    ) -> StoreResult<Schedule>;
    async fn insert_schedule(&mut self, schedule: &Schedule) -> StoreResult<()>;
    /// Ordered by id.
    async fn schedules(&mut self) -> StoreResult<Vec<Schedule>>;
    async fn delete_schedule(&mut self, id: ScheduleId) -> StoreResult<bool>;
}

#[async_trait]
pub trait AuditRepo {
    async fn record(&mut self, entry: &AuditEntry) -> StoreResult<()>;
    /// The newest `limit` entries, newest first.
    async fn audit(&mut self, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// When `actor` last did `action`, if ever.
    async fn last_action(
        &mut self,
        actor: MemberId,
        action: &str,
    ) -> StoreResult<Option<DateTime<Utc>>>;
}

/// The outbox: every message Muster sends on its own (announcements,
/// reminders, notices) is a row here before any platform sees it.
#[async_trait]
pub trait OutboxRepo {
    /// Adds a pending delivery due at `created_at`. `None` if a delivery with
    /// the same idempotency key exists (the insert is `ON CONFLICT DO NOTHING`).
    async fn enqueue(&mut self, new: &NewDelivery) -> StoreResult<Option<Delivery>>;
    /// Import: insert with the given id and state.
    async fn insert_delivery(&mut self, delivery: &Delivery) -> StoreResult<()>;
    async fn delivery(&mut self, id: DeliveryId) -> StoreResult<Option<Delivery>>;
    /// Takes up to `limit` deliveries for `platform` that are due: pending
    /// with `next_attempt_at <= now`, or `sending` whose claim lapsed
    /// (`next_attempt_at <= now`: the dispatcher that held it died). They
    /// become `sending` with `next_attempt_at = claim_until` and one more
    /// attempt. Oldest first (by next_attempt_at, then id). PostgreSQL skips
    /// rows other processes hold (`FOR UPDATE SKIP LOCKED`).
    async fn claim_deliveries(
        &mut self,
        platform: Platform,
        now: DateTime<Utc>,
        claim_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>>;
    /// `sent`, with `sent_at`.
    async fn mark_sent(&mut self, id: DeliveryId, at: DateTime<Utc>) -> StoreResult<()>;
    /// Back to `pending`, to be tried at `next_attempt_at`.
    async fn mark_retry(
        &mut self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<()>;
    /// `failed` for good.
    async fn mark_failed(&mut self, id: DeliveryId, error: &str) -> StoreResult<()>;
    /// An announcement's deliveries, ordered by id.
    async fn deliveries(&mut self, announcement: AnnouncementId) -> StoreResult<Vec<Delivery>>;
    /// Points the pending and sending deliveries to room `from` (not direct
    /// ones) at room `to`, keeping their keys and order; returns how many.
    async fn move_deliveries(&mut self, from: &RoomRef, to: &RoomRef) -> StoreResult<u64>;
    /// The earliest `next_attempt_at` of a pending or sending delivery for
    /// `platform` (`None`: any platform).
    async fn next_delivery_due(
        &mut self,
        platform: Option<Platform>,
    ) -> StoreResult<Option<DateTime<Utc>>>;
    /// How many deliveries are in each status.
    async fn outbox_counts(&mut self) -> StoreResult<Vec<(DeliveryStatus, u64)>>;
}

/// The durable job queue of scheduled work.
#[async_trait]
pub trait JobRepo {
    /// `false` if a job with the same key exists (`ON CONFLICT (key)`): an
    /// occurrence is scheduled once, and one that ran (done, missed, dead)
    /// never runs again. One that was cancelled is scheduled again, anew
    /// (`true`): an event moved back to its time, or reminders set again.
    async fn add_job(&mut self, new: &NewJob) -> StoreResult<bool>;
    /// Up to `limit` pending jobs with `due_at <= now`, earliest first (then id).
    /// PostgreSQL locks them `FOR UPDATE SKIP LOCKED`, so two processes never
    /// take the same job; SQLite's write transaction already serialises.
    async fn due_jobs(&mut self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Job>>;
    /// Ends a job: done, missed, dead or cancelled, with `finished_at = at`.
    async fn finish_job(
        &mut self,
        id: JobId,
        state: JobState,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> StoreResult<()>;
    /// Keeps the job pending, due again at `due_at`, with one more attempt recorded.
    async fn retry_job(&mut self, id: JobId, due_at: DateTime<Utc>, error: &str)
    -> StoreResult<()>;
    /// Cancels every pending job about `subject`; returns how many.
    async fn cancel_jobs(&mut self, subject: &str, at: DateTime<Utc>) -> StoreResult<u64>;
    /// The earliest `due_at` of a pending job.
    async fn next_job_due(&mut self) -> StoreResult<Option<DateTime<Utc>>>;
    /// Jobs in one of `states` (all if empty) about `subject` (any if `None`),
    /// ordered by due_at then id, at most `limit`.
    async fn jobs(
        &mut self,
        states: &[JobState],
        subject: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Job>>;
}

/// Leases: work only one process may do at a time (the sync loop of one
/// Matrix account, Telegram's getUpdates, a Discord gateway shard), named
/// by the caller (`matrix-sync:@bot:example.org`). A lease is held until
/// `expires_at`; its holder renews it well before then, and one that stops
/// renewing (crashed, cut off) loses it once it expires.
///
/// Times are the caller's clock: processes sharing a database must keep
/// their clocks closer together than the margin between a renewal and the
/// expiry. A lease counts once the transaction that took it commits; on
/// PostgreSQL a second taker waits for the first's transaction, so take
/// leases in short transactions of their own.
#[async_trait]
pub trait LeaseRepo {
    /// Takes the lease `name` for `holder` until `until` if it is free,
    /// expired (`expires_at <= now`), or already ours (then it is renewed).
    /// Returns whether `holder` holds it now. One statement (an upsert whose
    /// update only applies to our own or an expired lease), so concurrent
    /// takers get exactly one winner.
    async fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Extends our lease to `until` (`now` is recorded as the last renewal).
    /// `false` if we lost it: someone else holds it, or it expired and was
    /// taken, or it was released; the caller must stop that work at once.
    /// A lease of ours that expired but that nobody took yet is still ours
    /// and is renewed, as [`acquire_lease`](Self::acquire_lease) would.
    async fn renew_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Gives the lease up, if `holder` holds it (otherwise does nothing), so
    /// another process may take it at once rather than after it expires.
    async fn release_lease(&mut self, name: &str, holder: &str) -> StoreResult<()>;
    /// Who holds the lease at `now`; `None` if it is free or expired.
    async fn lease_holder(&mut self, name: &str, now: DateTime<Utc>)
    -> StoreResult<Option<String>>;
}

/// What platform bots have already taken in: messages handled (with the
/// replies they got) and where each bot's stream of updates stands. Written
/// so that a process taking a bot over, or the same process after a crash,
/// answers every message exactly once.
#[async_trait]
pub trait InboxRepo {
    /// The replies stored for a message already handled, as written by
    /// [`record_handled`](Self::record_handled); `None` if it is new.
    async fn handled_replies(
        &mut self,
        platform: Platform,
        message_id: &str,
    ) -> StoreResult<Option<String>>;
    /// Records a message as handled with its replies. `false` (and nothing
    /// written) if it was already recorded: another handler got there first.
    async fn record_handled(
        &mut self,
        platform: Platform,
        message_id: &str,
        replies: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Forgets messages handled before `before` (a platform never re-sends
    /// that old a message); returns how many.
    async fn prune_handled(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Where the stream `name` stands (`matrix:@bot:example.org`).
    async fn cursor(&mut self, name: &str) -> StoreResult<Option<String>>;
    async fn set_cursor(&mut self, name: &str, value: &str, now: DateTime<Utc>) -> StoreResult<()>;
}
