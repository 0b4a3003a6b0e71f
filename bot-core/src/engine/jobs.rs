//! Scheduled work: event reminders, the confirm step, digests and
//! scheduled announcements. Commands schedule jobs in their transaction;
//! the scheduler runs due jobs, each in the transaction that writes its
//! deliveries to the outbox, so a job's effect and its `done` mark commit
//! together — a crash either leaves the job pending or fully done.

use super::catchup::{CatchUp, Skipped};
use super::format::{event_card, when};
use super::permissions::subtree;
use super::{Ctx, Engine, Failure};
use crate::cron_schedule::CronSchedule;
use crate::domain::*;
use crate::gesture::Gesture;
use crate::inbound::{Button, Outbound, OutboundKind, Target};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What a job does; stored as JSON in the job row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobPayload {
    Reminder {
        event: EventId,
        offset_minutes: i64,
    },
    Confirm {
        event: EventId,
    },
    Digest {
        schedule: ScheduleId,
    },
    Announcement {
        announcement: AnnouncementId,
    },
    /// Creates the next occurrence of a recurring event.
    Recur {
        event: EventId,
    },
}

/// How far ahead a digest lists events.
const DIGEST_HORIZON: Duration = Duration::days(7);

pub(crate) fn event_subject(id: EventId) -> String {
    format!("event:{id}")
}

pub(crate) fn schedule_subject(id: ScheduleId) -> String {
    format!("schedule:{id}")
}

pub(crate) fn announcement_subject(id: AnnouncementId) -> String {
    format!("announcement:{id}")
}

fn new_job(
    key: String,
    subject: String,
    payload: &JobPayload,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> NewJob {
    NewJob {
        key,
        subject,
        payload: serde_json::to_string(payload).unwrap_or_default(),
        due_at,
        created_at: now,
    }
}

/// Schedules an event's reminders and confirm step at the section's offsets.
/// Keys carry the start time, so a moved event gets fresh occurrences while
/// the old ones are cancelled.
pub(crate) async fn schedule_event(
    tx: &mut dyn Tx,
    event: &Event,
    section: &Section,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if event.status != EventStatus::Scheduled {
        return Ok(());
    }
    let start = event.starts_at.timestamp();
    for offset in &section.settings.reminders {
        let due = event.starts_at - *offset;
        if due <= now {
            continue; // created too late for this reminder: nothing to catch up
        }
        let minutes = offset.num_minutes();
        let payload = JobPayload::Reminder {
            event: event.id,
            offset_minutes: minutes,
        };
        let key = format!("reminder:{}:{minutes}:{start}", event.id);
        tx.add_job(&new_job(key, event_subject(event.id), &payload, due, now))
            .await?;
    }
    if let Some(confirm) = section.settings.confirm {
        let due = event.starts_at - confirm;
        if due > now {
            let key = format!("confirm:{}:{start}", event.id);
            tx.add_job(&new_job(
                key,
                event_subject(event.id),
                &JobPayload::Confirm { event: event.id },
                due,
                now,
            ))
            .await?;
        }
    }
    if event.recurrence.is_some() && event.starts_at > now {
        // Its own subject, so cancelling one occurrence keeps the series.
        let key = format!("recur:{}:{start}", event.id);
        let payload = JobPayload::Recur { event: event.id };
        tx.add_job(&new_job(
            key,
            series_subject(event.id),
            &payload,
            event.starts_at,
            now,
        ))
        .await?;
    }
    Ok(())
}

pub(crate) fn series_subject(id: EventId) -> String {
    format!("series:{id}")
}

/// The next occurrence's start: the same local wall-clock time a week or a
/// month later in the section's time zone, so daylight saving never moves it.
pub(crate) fn next_occurrence(
    start: DateTime<Utc>,
    every: Recurrence,
    tz: chrono_tz::Tz,
) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    let local = start.with_timezone(&tz).naive_local();
    let next = match every {
        Recurrence::Weekly => local.checked_add_days(chrono::Days::new(7))?,
        Recurrence::Monthly => local.checked_add_months(chrono::Months::new(1))?,
    };
    // A time that falls in a spring-forward gap moves past it.
    tz.from_local_datetime(&next)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(next + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// Drops pending reminders and schedules them anew (a move, a settings change).
pub(crate) async fn reschedule_event(
    tx: &mut dyn Tx,
    event: &Event,
    section: &Section,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.cancel_jobs(&event_subject(event.id), now).await?;
    tx.cancel_jobs(&series_subject(event.id), now).await?;
    schedule_event(tx, event, section, now).await
}

/// The next digest occurrence of a schedule strictly after `after`.
pub(crate) async fn schedule_digest(
    tx: &mut dyn Tx,
    schedule: &Schedule,
    cron: &CronSchedule,
    tz: chrono_tz::Tz,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let Some(next) = cron.next_after(after, tz) else {
        return Ok(None);
    };
    let key = format!("digest:{}:{}", schedule.id, next.timestamp());
    let payload = JobPayload::Digest {
        schedule: schedule.id,
    };
    tx.add_job(&new_job(
        key,
        schedule_subject(schedule.id),
        &payload,
        next,
        now,
    ))
    .await?;
    Ok(Some(next))
}

pub(crate) async fn schedule_announcement(
    tx: &mut dyn Tx,
    a: &Announcement,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let key = format!("announce:{}", a.id);
    let payload = JobPayload::Announcement { announcement: a.id };
    tx.add_job(&new_job(
        key,
        announcement_subject(a.id),
        &payload,
        a.send_at,
        now,
    ))
    .await?;
    Ok(())
}

/// Schedules the organisation's pending work anew from its data: the
/// reminders and confirm steps of upcoming events, the next digest of each
/// schedule, the announcements still waiting to go out. An import brings no
/// job queue; this makes the imported organisation work as it did. Job keys
/// name their occurrences, so what is already scheduled is not doubled.
pub(crate) async fn schedule_all(tx: &mut dyn Tx, now: DateTime<Utc>) -> Result<(), StoreError> {
    let sections = tx.sections().await?;
    let section = |id: SectionId| sections.iter().find(|s| s.id == id);
    for event in tx.events().await? {
        if event.starts_at > now
            && let Some(section) = section(event.section)
        {
            schedule_event(tx, &event, section, now).await?;
        }
    }
    for schedule in tx.schedules().await? {
        let (Some(section), Ok(cron)) = (
            section(schedule.section),
            CronSchedule::parse(&schedule.cron),
        ) else {
            continue;
        };
        schedule_digest(tx, &schedule, &cron, section.settings.timezone, now, now).await?;
    }
    for announcement in tx.announcements().await? {
        if announcement.status == AnnouncementStatus::Pending {
            schedule_announcement(tx, &announcement, now).await?;
        }
    }
    Ok(())
}

impl Ctx<'_> {
    pub async fn schedule_event_jobs(
        &mut self,
        event: &Event,
        section: &Section,
    ) -> Result<(), Failure> {
        Ok(schedule_event(self.tx.as_mut(), event, section, self.now).await?)
    }
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Done,
    /// Too late to be useful; recorded, not silently dropped.
    Missed,
    /// Its subject is gone or cancelled.
    Cancelled,
}

/// Links from a room to its outbox rows: `prefix` makes keys unique per job.
async fn enqueue_to_rooms(
    tx: &mut dyn Tx,
    rooms: &[RoomRef],
    prefix: &str,
    announcement: Option<AnnouncementId>,
    now: DateTime<Utc>,
    render: impl Fn(&RoomRef) -> Outbound,
) -> Result<usize, StoreError> {
    for (n, room) in rooms.iter().enumerate() {
        let out = render(room);
        tx.enqueue(&crate::outbox::new_delivery(
            &out,
            format!("{prefix}-{n}"),
            announcement,
            now,
        ))
        .await?;
    }
    Ok(rooms.len())
}

async fn section_rooms(
    tx: &mut dyn Tx,
    sections: &[SectionId],
) -> Result<Vec<RoomRef>, StoreError> {
    Ok(tx
        .rooms()
        .await?
        .into_iter()
        .filter(|r| sections.contains(&r.section))
        .map(|r| r.room)
        .collect())
}

/// Where a member is told something privately: their first identity that
/// can be written to; `None` when none can.
pub(crate) async fn direct_target(
    tx: &mut dyn Tx,
    member: MemberId,
) -> Result<Option<Target>, StoreError> {
    let identities = tx.reachable_identities(member).await?;
    Ok(identities.first().map(|i| Target::Direct {
        platform: i.platform,
        user_id: i.user_id.clone(),
    }))
}

impl Engine {
    /// Runs one due job inside `tx`, writing its deliveries to the outbox.
    /// `catch_up` gathers what a late job skipped or held, for the
    /// organisers' summary (see `catchup`).
    pub(crate) async fn run_job(
        &self,
        tx: &mut dyn Tx,
        job: &Job,
        now: DateTime<Utc>,
        catch_up: &mut CatchUp,
    ) -> Result<JobOutcome, StoreError> {
        let payload: JobPayload = serde_json::from_str(&job.payload)
            .map_err(|e| StoreError::Inconsistent(format!("job {} payload: {e}", job.id)))?;
        let late = catch_up.late(job, now);
        let (outcome, section, skipped) = match payload {
            JobPayload::Reminder { event, .. } => {
                let (outcome, section) = self.run_reminder(tx, job, event, now).await?;
                (outcome, section, Some(Skipped::Reminder))
            }
            JobPayload::Confirm { event } => {
                let (outcome, section) = self.run_confirm(tx, job, event, now).await?;
                (outcome, section, Some(Skipped::Confirm))
            }
            JobPayload::Digest { schedule } => {
                let (outcome, section) = self.run_digest(tx, job, schedule, now).await?;
                (outcome, section, Some(Skipped::Digest))
            }
            JobPayload::Announcement { announcement } => {
                let (outcome, held) = self.run_announcement(tx, job, announcement, now).await?;
                if let Some((section, id)) = held {
                    catch_up.held(section, id);
                }
                (outcome, None, None)
            }
            JobPayload::Recur { event } => (self.run_recur(tx, event, now).await?, None, None),
        };
        if let (true, JobOutcome::Missed, Some(section), Some(what)) =
            (late, outcome, section, skipped)
        {
            catch_up.skipped(section, what);
        }
        Ok(outcome)
    }

    async fn run_recur(
        &self,
        tx: &mut dyn Tx,
        id: EventId,
        now: DateTime<Utc>,
    ) -> Result<JobOutcome, StoreError> {
        let Some(event) = tx.event(id).await? else {
            return Ok(JobOutcome::Cancelled);
        };
        let (Some(every), EventStatus::Scheduled | EventStatus::Cancelled) =
            (event.recurrence, event.status)
        else {
            return Ok(JobOutcome::Cancelled);
        };
        let Some(section) = tx.section(event.section).await? else {
            return Ok(JobOutcome::Cancelled);
        };
        let Some(starts_at) = next_occurrence(event.starts_at, every, section.settings.timezone)
        else {
            return Ok(JobOutcome::Cancelled);
        };
        let next = tx
            .create_event(crate::store::NewEvent {
                section: event.section,
                initiative: event.initiative,
                title: event.title.clone(),
                starts_at,
                ends_at: starts_at + (event.ends_at - event.starts_at),
                place: event.place.clone(),
                capacity: event.capacity,
                recurrence: event.recurrence,
                status: EventStatus::Scheduled,
                proposer: event.proposer,
                created_at: now,
            })
            .await?;
        tx.record(&AuditEntry {
            at: now,
            actor: None,
            platform: None,
            section: Some(section.id),
            action: "event.recur".into(),
            detail: format!("#{} after #{}", next.id, event.id),
        })
        .await?;
        schedule_event(tx, &next, &section, now).await?;
        Ok(JobOutcome::Done)
    }

    async fn live_event(
        &self,
        tx: &mut dyn Tx,
        id: EventId,
    ) -> Result<Option<(Event, Section)>, StoreError> {
        let Some(event) = tx.event(id).await? else {
            return Ok(None);
        };
        if event.status != EventStatus::Scheduled {
            return Ok(None);
        }
        let Some(section) = tx.section(event.section).await? else {
            return Ok(None);
        };
        Ok(Some((event, section)))
    }

    async fn run_reminder(
        &self,
        tx: &mut dyn Tx,
        job: &Job,
        id: EventId,
        now: DateTime<Utc>,
    ) -> Result<(JobOutcome, Option<SectionId>), StoreError> {
        let Some((event, section)) = self.live_event(tx, id).await? else {
            return Ok((JobOutcome::Cancelled, None));
        };
        let missed = Ok((JobOutcome::Missed, Some(section.id)));
        // Catch-up after downtime: a reminder is useful until the event starts…
        if now >= event.starts_at {
            return missed;
        }
        // …and of the event's reminders that came due meanwhile, only the
        // latest goes out: "starts in 24h" and "starts in 1h" at once would
        // be noise, and the first would be wrong.
        let superseded = tx
            .jobs(&[JobState::Pending], Some(&event_subject(id)), 100)
            .await?
            .iter()
            .any(|j| {
                j.id != job.id
                    && j.key.starts_with("reminder:")
                    && j.due_at > job.due_at
                    && j.due_at <= now
            });
        if superseded {
            return missed;
        }
        let rsvps = tx.rsvps(event.id).await?;
        let rooms = section_rooms(tx, &[section.id]).await?;
        let lang = section.settings.language;
        // The time left as it is now, not the offset's label: a reminder
        // that goes out late says so rightly.
        let left = Duration::minutes(((event.starts_at - now).num_seconds() + 30) / 60);
        let lead_in = |lang| crate::when::format_duration_in(left, lang);
        let lead = lead_in(lang);
        let head = self.i18n.text(
            lang,
            "reminder-head",
            Some(&crate::args!("lead" => lead.as_str())),
        );
        enqueue_to_rooms(tx, &rooms, &format!("r{}", job.id), None, now, |room| {
            let mut card = event_card(
                &self.i18n,
                lang,
                now,
                &event,
                &section,
                &rsvps,
                Target::Room(room.clone()),
            );
            card.kind = OutboundKind::Notice;
            card.text = format!("{head}\n{}", card.text);
            card
        })
        .await?;
        // Members who asked for private reminders get the card too.
        for r in rsvps
            .iter()
            .filter(|r| matches!(r.status, RsvpStatus::Going | RsvpStatus::Maybe))
        {
            let Some(member) = tx.member(r.member).await? else {
                continue;
            };
            if !member.direct_reminders {
                continue;
            }
            let Some(target) = direct_target(tx, member.id).await? else {
                continue;
            };
            let lang = member.language.unwrap_or(section.settings.language);
            let head = self.i18n.text(
                lang,
                "reminder-head",
                Some(&crate::args!("lead" => lead_in(lang))),
            );
            let mut card = event_card(&self.i18n, lang, now, &event, &section, &rsvps, target);
            card.kind = OutboundKind::Private;
            card.text = format!("{head}\n{}", card.text);
            let key = format!("r{}-m{}", job.id, member.id);
            tx.enqueue(&crate::outbox::new_delivery(&card, key, None, now))
                .await?;
        }
        Ok((JobOutcome::Done, Some(section.id)))
    }

    async fn run_confirm(
        &self,
        tx: &mut dyn Tx,
        job: &Job,
        id: EventId,
        now: DateTime<Utc>,
    ) -> Result<(JobOutcome, Option<SectionId>), StoreError> {
        let Some((event, section)) = self.live_event(tx, id).await? else {
            return Ok((JobOutcome::Cancelled, None));
        };
        // Asking to confirm is useful until the event starts.
        if now >= event.starts_at {
            return Ok((JobOutcome::Missed, Some(section.id)));
        }
        for r in tx.rsvps(event.id).await? {
            if r.status != RsvpStatus::Going {
                continue;
            }
            let (Some(target), Some(member)) = (
                direct_target(tx, r.member).await?,
                tx.member(r.member).await?,
            ) else {
                continue;
            };
            let lang = member.language.unwrap_or(section.settings.language);
            let text = self.i18n.text(
                lang,
                "confirm-ask",
                Some(&crate::args!("id" => event.id.0, "title" => event.title.as_str(), "when" => when(event.starts_at, section.settings.timezone, lang))),
            );
            let mut out = Outbound::new(target, OutboundKind::Private, text);
            out.buttons = vec![
                Button {
                    label: self.i18n.text(lang, "button-confirm", None),
                    gesture: Gesture::Confirm { event: event.id },
                },
                Button {
                    label: self.i18n.text(lang, "button-cancel", None),
                    gesture: Gesture::Withdraw { event: event.id },
                },
            ];
            let key = format!("c{}-{}", job.id, r.member);
            tx.enqueue(&crate::outbox::new_delivery(&out, key, None, now))
                .await?;
        }
        Ok((JobOutcome::Done, Some(section.id)))
    }

    async fn run_digest(
        &self,
        tx: &mut dyn Tx,
        job: &Job,
        id: ScheduleId,
        now: DateTime<Utc>,
    ) -> Result<(JobOutcome, Option<SectionId>), StoreError> {
        let Some(schedule) = tx.schedules().await?.into_iter().find(|s| s.id == id) else {
            return Ok((JobOutcome::Cancelled, None));
        };
        let Some(section) = tx.section(schedule.section).await? else {
            return Ok((JobOutcome::Cancelled, None));
        };
        let tz = section.settings.timezone;
        // The next occurrence comes after now: after downtime the series
        // goes on with one `missed` record, not a burst of late digests.
        let mut grace = super::catchup::digest_grace(Duration::days(1));
        if let Ok(cron) = CronSchedule::parse(&schedule.cron) {
            if let Some(following) = cron.next_after(job.due_at, tz) {
                grace = super::catchup::digest_grace(following - job.due_at);
            }
            schedule_digest(tx, &schedule, &cron, tz, job.due_at.max(now), now).await?;
        }
        if now - job.due_at > grace {
            return Ok((JobOutcome::Missed, Some(section.id)));
        }
        let sections = tx.sections().await?;
        let scope = subtree(&sections, section.id);
        let lang = section.settings.language;
        let mut lines = vec![self.i18n.text(
            lang,
            "digest-head",
            Some(&crate::args!("name" => section.name.as_str())),
        )];
        let events: Vec<Event> = tx
            .events()
            .await?
            .into_iter()
            .filter(|e| scope.contains(&e.section) && e.status == EventStatus::Scheduled)
            .filter(|e| e.starts_at > now && e.starts_at <= now + DIGEST_HORIZON)
            .collect();
        for e in &events {
            let seats = super::format::tally(&tx.rsvps(e.id).await?).seats;
            lines.push(self.i18n.text(
                lang,
                "digest-line",
                Some(&crate::args!("id" => e.id.0, "when" => when(e.starts_at, tz, lang), "title" => e.title.as_str(), "going" => seats)),
            ));
        }
        if events.is_empty() {
            lines.push(self.i18n.text(lang, "digest-empty", None));
        }
        let text = lines.join("\n");
        let rooms = section_rooms(tx, &[section.id]).await?;
        enqueue_to_rooms(tx, &rooms, &format!("d{}", job.id), None, now, |room| {
            Outbound::new(
                Target::Room(room.clone()),
                OutboundKind::Notice,
                text.clone(),
            )
        })
        .await?;
        Ok((JobOutcome::Done, Some(section.id)))
    }

    /// Sends a scheduled announcement; `Some((section, id))` when it is
    /// held for an organiser instead (too late to go out on its own).
    async fn run_announcement(
        &self,
        tx: &mut dyn Tx,
        job: &Job,
        id: AnnouncementId,
        now: DateTime<Utc>,
    ) -> Result<(JobOutcome, Option<(SectionId, AnnouncementId)>), StoreError> {
        let Some(a) = tx.announcement(id).await? else {
            return Ok((JobOutcome::Cancelled, None));
        };
        if a.status != AnnouncementStatus::Pending {
            return Ok((JobOutcome::Cancelled, None));
        }
        // An organiser asked for a time: a day-late "meeting tonight" would
        // mislead. Held, they decide; a little late, it goes with a note.
        let late = now - job.due_at;
        if late > super::catchup::ANNOUNCEMENT_GRACE {
            tx.set_announcement_status(a.id, AnnouncementStatus::Held)
                .await?;
            return Ok((JobOutcome::Missed, Some((a.section, a.id))));
        }
        let section_lang = match tx.section(a.section).await? {
            Some(s) => s.settings.language,
            None => Language::En,
        };
        let mut text = format!("📣 {}", a.text);
        if late > super::catchup::LATE {
            text.push('\n');
            text.push_str(&self.i18n.text(
                section_lang,
                "announce-late-note",
                Some(&crate::args!("minutes" => late.num_minutes())),
            ));
        }
        send_announcement(tx, &a, &text, now).await?;
        Ok((JobOutcome::Done, None))
    }
}

/// An announcement's deliveries to every room of its scope, and its status
/// sent.
pub(crate) async fn send_announcement(
    tx: &mut dyn Tx,
    a: &Announcement,
    text: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let scope = if a.subtree {
        subtree(&tx.sections().await?, a.section)
    } else {
        vec![a.section]
    };
    let rooms = section_rooms(tx, &scope).await?;
    let sent = enqueue_to_rooms(tx, &rooms, &format!("a{}", a.id), Some(a.id), now, |room| {
        Outbound::new(
            Target::Room(room.clone()),
            OutboundKind::Notice,
            text.to_string(),
        )
    })
    .await?;
    tx.set_announcement_status(a.id, AnnouncementStatus::Sent)
        .await?;
    Ok(sent)
}
