//! The storage conformance suite: what every backend must do, written once
//! against the traits of `muster_core::store` so SQLite and PostgreSQL
//! cannot drift. A backend's test file provides a [`TestDb`] (a fresh, empty,
//! migrated database per test) and expands [`conformance_tests!`] with it.
//!
//! Times are whole seconds: PostgreSQL keeps microseconds, SQLite text keeps
//! nanoseconds, and the suite must not depend on the difference.

#![allow(dead_code)] // each backend's test crate uses all of it, but rustc checks per crate

mod announcements;
mod events;
mod inbox;
mod jobs;
mod leases;
mod members;
mod outbox;
mod sections;
mod transactions;

pub use announcements::*;
pub use events::*;
pub use inbox::*;
pub use jobs::*;
pub use leases::*;
pub use members::*;
pub use outbox::*;
pub use sections::*;
pub use transactions::*;

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use muster_core::domain::*;
use muster_core::store::*;

/// One empty, migrated database, alive as long as the value.
pub trait TestDb: Send + Sync {
    /// A new store on this database; a second call is a restart.
    fn open(&self) -> impl Future<Output = Arc<dyn Store>> + Send;
}

/// One `#[tokio::test]` per body of the suite. `$db` is evaluated in each
/// test (inside an async fn, so it may `.await`) and must give a [`TestDb`].
macro_rules! conformance_tests {
    ($db:expr) => {
        conformance_tests!(@each $db;
            sections_create_read_update,
            section_slug_conflict,
            rooms_link_relink_unlink,
            members_and_identities,
            identity_conflict,
            has_admin_counts_root_and_section_admins,
            memberships_put_and_delete,
            link_code_is_taken_once,
            merge_members_moves_everything,
            forget_member_keeps_counts,
            initiatives_and_supports,
            events_create_read_update,
            rsvp_upsert_and_order,
            announcements_and_status,
            schedules_create_list_delete,
            outbox_enqueue_once_per_key,
            outbox_claims_due_rows_of_one_platform,
            outbox_lapsed_claims_are_taken_over,
            outbox_sent_retry_failed,
            outbox_next_due_and_counts,
            outbox_deliveries_follow_a_moved_room,
            unreachable_identities_are_marked_and_cleared,
            jobs_add_once_per_key,
            jobs_due_in_order_with_limit,
            jobs_finish_states,
            jobs_retry_moves_due_time,
            jobs_cancel_pending_of_subject,
            jobs_next_due,
            jobs_listing_filters,
            audit_newest_first,
            leases_acquire_refuse_and_take_over,
            leases_renew_only_by_the_holder,
            leases_release_frees_at_once,
            handled_messages_recorded_once,
            cursors_set_and_move,
            updates_of_missing_rows_fail,
            import_keeps_ids,
            dropped_tx_rolls_back,
        );

        #[tokio::test]
        async fn commit_persists_across_reopen() {
            let db = $db;
            $crate::conformance::commit_persists_across_reopen(&db).await;
        }

        // Several worker threads, so the transactions really run at once.
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn concurrent_rsvps_serialize() {
            let db = $db;
            $crate::conformance::concurrent_rsvps_serialize($crate::conformance::TestDb::open(&db).await).await;
        }

        // Two processes of eight tasks each take one lease at once.
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn concurrent_acquire_has_one_winner() {
            let db = $db;
            $crate::conformance::concurrent_acquire_has_one_winner(&db).await;
        }

        // Schedulers in parallel must never hand out the same job twice.
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn concurrent_schedulers_take_each_job_once() {
            let db = $db;
            $crate::conformance::concurrent_schedulers_take_each_job_once($crate::conformance::TestDb::open(&db).await).await;
        }
    };
    (@each $db:expr; $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let db = $db;
                $crate::conformance::$name($crate::conformance::TestDb::open(&db).await).await;
            }
        )+
    };
}

/// A fixed instant plus `hours`, so tests never read the clock.
pub fn at(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::hours(hours)
}

pub fn paris() -> SectionSettings {
    SectionSettings::root_defaults(chrono_tz::Europe::Paris, Language::Fr)
}

pub fn new_section(slug: &str, parent: Option<SectionId>) -> NewSection {
    NewSection {
        slug: slug.into(),
        name: format!("Section {slug}"),
        parent,
        settings: paris(),
        created_at: at(0),
    }
}

pub fn identity(platform: Platform, user_id: &str) -> Identity {
    Identity {
        platform,
        user_id: user_id.into(),
    }
}

pub fn new_event(section: SectionId, title: &str, starts_at: DateTime<Utc>) -> NewEvent {
    NewEvent {
        section,
        initiative: None,
        title: title.into(),
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        place: None,
        capacity: None,
        recurrence: None,
        status: EventStatus::Scheduled,
        proposer: None,
        created_at: at(0),
    }
}

pub fn new_initiative(section: SectionId, title: &str) -> NewInitiative {
    NewInitiative {
        section,
        title: title.into(),
        description: format!("About {title}"),
        status: InitiativeStatus::Open,
        proposer: None,
        created_at: at(0),
    }
}

pub fn answer(
    event: EventId,
    member: MemberId,
    status: RsvpStatus,
    updated_at: DateTime<Utc>,
) -> Rsvp {
    Rsvp {
        event,
        member,
        status,
        guests: 0,
        position: None,
        checked_in: false,
        updated_at,
    }
}

/// A member with a console identity named after them.
pub async fn member(tx: &mut Box<dyn Tx>, name: &str) -> Member {
    tx.create_member(name, &identity(Platform::Console, name), false, at(0))
        .await
        .unwrap()
}

pub async fn section(tx: &mut Box<dyn Tx>, slug: &str) -> Section {
    tx.create_section(new_section(slug, None)).await.unwrap()
}

pub fn is_conflict<T: std::fmt::Debug>(result: StoreResult<T>) -> bool {
    matches!(result, Err(StoreError::Conflict(_)))
}
