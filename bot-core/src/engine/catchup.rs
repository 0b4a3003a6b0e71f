//! After downtime (a restart, a stalled process, a database out of reach),
//! the scheduler catches up with what is still useful and says what it
//! skipped; it never sends stale or misleading messages. The policy, per
//! kind of job (ARCHITECTURE.md has it too):
//!
//! - reminders: of an event's reminders that came due meanwhile, only the
//!   latest still before the start goes out, saying the real time left;
//! - the confirm step: useful until the event starts;
//! - digests: sent late once within a grace that fits their period (a
//!   daily digest an hour, a weekly one six), else skipped; never several
//!   in a row;
//! - scheduled announcements: sent late with a note of the delay within an
//!   hour, else held for an organiser to send or cancel;
//! - the section's organisers get one summary of what was skipped or held.

use super::Engine;
use super::approval::organisers_of;
use crate::domain::*;
use crate::inbound::{Outbound, OutboundKind};
use crate::store::StoreError;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// A job run this long after it was due ran late: Muster was not there.
pub const LATE: Duration = Duration::minutes(2);
/// How late a scheduled announcement may still go out on its own.
pub const ANNOUNCEMENT_GRACE: Duration = Duration::hours(1);

/// How long after its time a digest is still worth posting: a 24th of its
/// period, between 15 minutes and 6 hours.
pub fn digest_grace(period: Duration) -> Duration {
    (period / 24).clamp(Duration::minutes(15), Duration::hours(6))
}

/// What one section's catch-up skipped or held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Missed {
    pub reminders: u32,
    pub confirms: u32,
    pub digests: u32,
    pub held: Vec<AnnouncementId>,
}

impl Missed {
    fn is_empty(&self) -> bool {
        self.reminders + self.confirms + self.digests == 0 && self.held.is_empty()
    }
}

/// What a catch-up pass skipped or held, per section, for the summary.
#[derive(Debug, Default)]
pub struct CatchUp {
    /// The earliest due time of a job that ran late: Muster was offline
    /// from then at the latest.
    pub since: Option<DateTime<Utc>>,
    pub sections: BTreeMap<SectionId, Missed>,
}

/// Which kind of work was left out.
#[derive(Debug, Clone, Copy)]
pub enum Skipped {
    Reminder,
    Confirm,
    Digest,
}

impl CatchUp {
    /// Notes that `job` ran late, whatever became of it.
    pub fn late(&mut self, job: &Job, now: DateTime<Utc>) -> bool {
        let late = now - job.due_at > LATE;
        if late {
            self.since = Some(self.since.map_or(job.due_at, |s| s.min(job.due_at)));
        }
        late
    }

    pub fn skipped(&mut self, section: SectionId, what: Skipped) {
        let m = self.sections.entry(section).or_default();
        match what {
            Skipped::Reminder => m.reminders += 1,
            Skipped::Confirm => m.confirms += 1,
            Skipped::Digest => m.digests += 1,
        }
    }

    pub fn held(&mut self, section: SectionId, announcement: AnnouncementId) {
        self.sections
            .entry(section)
            .or_default()
            .held
            .push(announcement);
    }

    /// Adds another pass's notes to these.
    pub fn merge(&mut self, other: CatchUp) {
        if let Some(since) = other.since {
            self.since = Some(self.since.map_or(since, |s| s.min(since)));
        }
        for (section, m) in other.sections {
            let mine = self.sections.entry(section).or_default();
            mine.reminders += m.reminders;
            mine.confirms += m.confirms;
            mine.digests += m.digests;
            mine.held.extend(m.held);
        }
    }

    /// The sections with something to tell.
    pub fn to_tell(&self) -> impl Iterator<Item = (SectionId, &Missed)> {
        self.sections
            .iter()
            .filter(|(_, m)| !m.is_empty())
            .map(|(s, m)| (*s, m))
    }
}

impl Engine {
    /// One summary per section to its organisers (privately): what the
    /// catch-up after downtime skipped, and what waits for them.
    pub(crate) async fn tell_catch_up(
        &self,
        caught_up: &CatchUp,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let Some(since) = caught_up.since else {
            return Ok(());
        };
        let mut told = false;
        let mut tx = self.store.begin().await?;
        let sections = tx.sections().await?;
        for (id, missed) in caught_up.to_tell() {
            let Some(section) = sections.iter().find(|s| s.id == id) else {
                continue;
            };
            for member in organisers_of(tx.as_mut(), &sections, id, None).await? {
                let (Some(target), Some(member)) = (
                    super::jobs::direct_target(tx.as_mut(), member).await?,
                    tx.member(member).await?,
                ) else {
                    continue;
                };
                let lang = self.language_for(Some(&member), Some(section.settings.language));
                let tz = section.settings.timezone;
                let args = |count: u32| crate::args!("count" => count);
                let mut lines = vec![self.i18n.text(
                    lang,
                    "catchup-head",
                    Some(&crate::args!(
                        "name" => section.name.as_str(),
                        "from" => super::format::when(since, tz, lang),
                        "to" => super::format::when(now, tz, lang)
                    )),
                )];
                for (id, count) in [
                    ("catchup-reminders", missed.reminders),
                    ("catchup-confirms", missed.confirms),
                    ("catchup-digests", missed.digests),
                ] {
                    if count > 0 {
                        lines.push(self.i18n.text(lang, id, Some(&args(count))));
                    }
                }
                if let Some(first) = missed.held.first() {
                    let held: Vec<String> = missed.held.iter().map(|a| format!("#{a}")).collect();
                    lines.push(self.i18n.text(
                        lang,
                        "catchup-held",
                        Some(&crate::args!(
                            "count" => held.len(),
                            "first" => first.0,
                            "announcements" => held.join(", ")
                        )),
                    ));
                }
                let text = lines.join("\n");
                let out = Outbound::new(target, OutboundKind::Private, text);
                let key = format!("catchup-{id}-{}-{}", member.id, now.timestamp());
                tx.enqueue(&crate::outbox::new_delivery(&out, key, None, now))
                    .await?;
                told = true;
            }
        }
        tx.commit().await?;
        if told {
            self.wake();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_grace_fits_the_period() {
        assert_eq!(digest_grace(Duration::days(1)), Duration::hours(1));
        assert_eq!(digest_grace(Duration::weeks(1)), Duration::hours(6));
        assert_eq!(digest_grace(Duration::hours(1)), Duration::minutes(15));
    }
}
