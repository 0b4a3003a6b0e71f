//! Five-field cron schedules for recurring digests, evaluated in a section's
//! time zone with the DST rules of Vixie/ISC cron.
//!
//! The `cron` crate does the field parsing and calendar arithmetic, but only
//! ever on naive wall-clock times (we hand it UTC, which has no gaps or folds).
//! Mapping those wall-clock times onto real instants is done here, because the
//! crate's own mapping through a `chrono-tz` zone differs from crontab:
//!
//! * it silently skips a wall-clock time that falls in a spring-forward gap
//!   (`30 2 * * *` in Paris has no run on 2026-03-29),
//! * it yields a time in a fall-back fold twice (02:30 CEST, then 02:30 CET),
//! * asked for the next run from inside a fold, it can return an instant
//!   *before* the one it was given (the first 02:30 when asked from the
//!   second 02:10).
//!
//! What this module does instead, following Vixie cron's `cron.c`, which
//! splits jobs into "wildcard" ones (minute or hour field starting with `*`)
//! and "fixed-time" ones:
//!
//! * ordinary wall-clock times fire at that local time, so `0 9 * * MON` stays
//!   at 09:00 local all year;
//! * a fixed-time job whose time falls in a gap fires once at the first instant
//!   after the gap (`30 2 * * *` → 03:00 CEST on 2026-03-29); several such
//!   times, or one of them and the time right after the gap, collapse into a
//!   single run. Vixie only catches up after a jump of at most three hours and
//!   treats a bigger one as a clock reset, so a day removed from the calendar
//!   (Samoa, 2011-12-30) is skipped here too;
//! * a fixed-time job in a fold fires once, at the first (summer-time) pass;
//! * a wildcard job (`0 * * * *`) keeps its own rhythm: it has no run for the
//!   hour that does not exist, and runs again during the repeated hour.
//!
//! Other choices:
//!
//! * Day of month and day of week follow the `cron` crate, which requires
//!   *both* to match (only `*`, `?` or a list naming every value counts as
//!   "any"). Vixie instead fires when *either* matches if both are restricted:
//!   `0 9 13 * FRI` here means Friday the 13th, not every 13th and every Friday.
//! * Numeric days of the week are read the crontab way (0 or 7 Sunday, 1
//!   Monday … 6 Saturday), not the crate's way (1 Sunday … 7 Saturday), since
//!   organisers copy schedules from crontab references; names (`MON`, `mon`,
//!   `Monday`) and months (`JAN`) are English, as in cron.
//! * The crate only knows the years 1970–2100; there is no occurrence outside.

use std::str::FromStr;

use chrono::offset::LocalResult;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use cron::{Schedule, TimeUnitSpec};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CronError {
    #[error("a schedule has five fields (minute hour day-of-month month day-of-week), got {0}")]
    FieldCount(usize),
    #[error("invalid schedule: {0}")]
    Invalid(String),
    #[error("this schedule never fires")]
    Never,
    #[error("this schedule fires more often than every {0} minutes")]
    TooFrequent(u32),
}

/// A validated five-field schedule.
#[derive(Debug, Clone)]
pub struct CronSchedule {
    text: String,
    /// The crate's form (seconds field added, weekday numbers translated),
    /// queried in UTC only, so that it yields plain wall-clock times.
    schedule: Schedule,
    /// Vixie's MIN_STAR|HR_STAR: decides how gaps and folds are treated.
    wildcard: bool,
}

/// A digest every minute would flood rooms.
const MIN_INTERVAL_MINUTES: u32 = 60;

const FIELD_NAMES: [&str; 5] = ["minute", "hour", "day-of-month", "month", "day-of-week"];

/// Crontab numbering: 0 and 7 are both Sunday.
const DAY_NAMES: [&str; 8] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

/// Vixie cron's threshold between "DST jump, catch up" and "clock reset".
const MAX_CATCH_UP_MINUTES: i64 = 3 * 60;

/// Zone offsets lie within UTC-12..UTC+14, so a wall-clock time more than this
/// away from a local time cannot map to an instant on the other side of it.
const LOOKAROUND_HOURS: i64 = 27;

/// Schedules fire at least hourly-spaced, so a next occurrence is found within
/// about a hundred wall-clock candidates; this only guarantees termination.
const MAX_CANDIDATES: usize = 512;

/// A schedule silent for longer than this, from any starting day, is refused
/// as `Never` (five years, up to two of them leap years).
const MAX_SILENCE_DAYS: i64 = 5 * 365 + 2;

impl CronSchedule {
    /// Validates `five_fields` (minute hour day-of-month month day-of-week).
    ///
    /// Refuses schedules that could fire twice within an hour, and schedules
    /// with a five-year stretch without any occurrence. That last check does
    /// not depend on the current date, so a schedule that was accepted once
    /// always parses again when reloaded from storage.
    pub fn parse(five_fields: &str) -> Result<CronSchedule, CronError> {
        let fields: Vec<&str> = five_fields.split_whitespace().collect();
        let [minute, hour, day_of_month, month, day_of_week] = fields[..] else {
            return Err(CronError::FieldCount(fields.len()));
        };
        let day_of_week = crontab_weekdays(day_of_week)?;
        let crate_fields = [minute, hour, day_of_month, month, day_of_week.as_str()];

        // Parsing each field on its own lets the error name the culprit; the
        // crate's own message points at a column of the seven-field text the
        // organiser never typed.
        for (i, field) in crate_fields.iter().enumerate() {
            let mut probe = ["*"; 5];
            probe[i] = field;
            if let Err(e) = crate_schedule(&probe) {
                return Err(CronError::Invalid(format!(
                    "{} field '{}': {}",
                    FIELD_NAMES[i],
                    fields[i],
                    clean_message(&e)
                )));
            }
        }
        let schedule =
            crate_schedule(&crate_fields).map_err(|e| CronError::Invalid(clean_message(&e)))?;

        // With a single minute value, any two wall-clock occurrences are a
        // whole number of hours apart; with two, some hour has both.
        if schedule.minutes().count() > 1 {
            return Err(CronError::TooFrequent(MIN_INTERVAL_MINUTES));
        }
        if !never_silent_for_years(&schedule) {
            return Err(CronError::Never);
        }
        Ok(CronSchedule {
            text: fields.join(" "),
            schedule,
            wildcard: minute.starts_with('*') || hour.starts_with('*'),
        })
    }

    /// The schedule as typed, fields separated by single spaces.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first occurrence strictly after `after`, in `tz`, as UTC.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        // Outside the crate's years there is nothing to find, and clamping
        // keeps the local-time arithmetic below far from chrono's limits.
        let after = after.max(Utc.with_ymd_and_hms(1969, 12, 30, 0, 0, 0).single()?);
        if after > Utc.with_ymd_and_hms(2101, 1, 2, 0, 0, 0).single()? {
            return None;
        }
        let lookaround = Duration::hours(LOOKAROUND_HOURS);
        let local_after = after.with_timezone(&tz).naive_local();
        // Wall-clock order is not instant order around folds (the second
        // 02:10 comes after the first 02:40), so candidates are scanned over a
        // window and the earliest resulting instant wins. That also merges
        // candidates that land on the same instant (several gap times).
        let scan_from = Utc.from_utc_datetime(&(local_after - lookaround));
        let mut best: Option<DateTime<Utc>> = None;
        for wall in self
            .schedule
            .after(&scan_from)
            .take(MAX_CANDIDATES)
            .map(|c| c.naive_utc())
        {
            if best.is_some_and(|b| wall - lookaround > b.naive_utc()) {
                break;
            }
            for instant in self.instants(wall, tz).into_iter().flatten() {
                if instant > after && best.is_none_or(|b| instant < b) {
                    best = Some(instant);
                }
            }
        }
        best
    }

    /// The instants at which the wall-clock time `wall` fires in `tz`.
    fn instants(&self, wall: NaiveDateTime, tz: Tz) -> [Option<DateTime<Utc>>; 2] {
        match tz.from_local_datetime(&wall) {
            LocalResult::Single(t) => [Some(t.to_utc()), None],
            LocalResult::Ambiguous(a, b) => {
                let (first, second) = if a <= b { (a, b) } else { (b, a) };
                [Some(first.to_utc()), self.wildcard.then(|| second.to_utc())]
            }
            LocalResult::None if self.wildcard => [None, None],
            LocalResult::None => [end_of_gap(wall, tz), None],
        }
    }
}

/// The first instant after the gap holding `wall`, if the clocks jumped by no
/// more than Vixie's catch-up limit.
fn end_of_gap(wall: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    let first_existing = (1..=MAX_CATCH_UP_MINUTES).find_map(|m| {
        tz.from_local_datetime(&(wall + Duration::minutes(m)))
            .earliest()
    })?;
    let offset_after = first_existing.offset().fix();
    // Old local-mean-time offsets had seconds, so the transition need not be
    // on a whole minute: walk back to it.
    let mut start = first_existing.to_utc();
    for _ in 0..60 {
        let earlier = start - Duration::seconds(1);
        if tz.offset_from_utc_datetime(&earlier.naive_utc()).fix() != offset_after {
            break;
        }
        start = earlier;
    }
    let offset_before = tz
        .offset_from_utc_datetime(&(start - Duration::seconds(1)).naive_utc())
        .fix();
    let jump = i64::from(offset_after.local_minus_utc() - offset_before.local_minus_utc());
    (jump <= MAX_CATCH_UP_MINUTES * 60).then_some(start)
}

/// Rewrites numeric day-of-week items into names, leaving `*`, `?`, `*/n` and
/// names to the crate. `*/n` needs no rewrite: crontab steps over 0..=7 and the
/// crate over 1..=7, and both land on the same weekdays.
/// A day name in English or French as the crate's `MON`…`SUN`; anything
/// else as typed, for the crate to judge.
fn english_day(name: &str) -> String {
    let folded: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' => 'e',
            c => c,
        })
        .collect();
    let day = match folded.as_str() {
        "mon" | "monday" | "lun" | "lundi" => "MON",
        "tue" | "tuesday" | "mar" | "mardi" => "TUE",
        "wed" | "wednesday" | "mer" | "mercredi" => "WED",
        "thu" | "thursday" | "jeu" | "jeudi" => "THU",
        "fri" | "friday" | "ven" | "vendredi" => "FRI",
        "sat" | "saturday" | "sam" | "samedi" => "SAT",
        "sun" | "sunday" | "dim" | "dimanche" => "SUN",
        _ => return name.to_string(),
    };
    day.to_string()
}

fn crontab_weekdays(field: &str) -> Result<String, CronError> {
    let invalid = |why: &str| CronError::Invalid(format!("day-of-week field '{field}': {why}"));
    let mut items = Vec::new();
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (base, Some(step)),
            None => (item, None),
        };
        let bounds: Vec<&str> = base.split('-').collect();
        let numeric = bounds.len() <= 2
            && bounds
                .iter()
                .all(|b| !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()));
        if !numeric {
            // Day names in English or French (`LUN-VEN`, `dimanche`), as
            // the crate's three English letters.
            let named: Vec<String> = base.split('-').map(english_day).collect();
            let named = named.join("-");
            items.push(match step {
                Some(step) => format!("{named}/{step}"),
                None => named,
            });
            continue;
        }
        let day = |text: &str| {
            text.parse::<usize>()
                .ok()
                .filter(|d| *d < DAY_NAMES.len())
                .ok_or_else(|| {
                    invalid(&format!(
                        "'{text}' is not a day; use 0-7 (0 and 7 are Sunday) or names like MON"
                    ))
                })
        };
        let first = day(bounds[0])?;
        let last = match (bounds.get(1), step) {
            (Some(last), _) => day(last)?,
            // `n/step` runs to the end of the week, as in cronie and the crate.
            (None, Some(_)) => DAY_NAMES.len() - 1,
            (None, None) => first,
        };
        if first > last {
            return Err(invalid(&format!("the range {base} runs backwards")));
        }
        let step = match step {
            None => 1,
            Some(step) => step
                .parse::<usize>()
                .ok()
                .filter(|s| (1..DAY_NAMES.len()).contains(s))
                .ok_or_else(|| {
                    invalid(&format!("the step '{step}' must be a number from 1 to 7"))
                })?,
        };
        let names: Vec<&str> = (first..=last).step_by(step).map(|d| DAY_NAMES[d]).collect();
        items.push(names.join(","));
    }
    Ok(items.join(","))
}

fn crate_schedule(fields: &[&str; 5]) -> Result<Schedule, cron::error::Error> {
    let [minute, hour, day_of_month, month, day_of_week] = fields;
    Schedule::from_str(&format!(
        "0 {minute} {hour} {day_of_month} {month} {day_of_week}"
    ))
}

/// The crate's message echoes its seven-field input with a caret line, and
/// words inclusive upper bounds as "less than".
fn clean_message(e: &cron::error::Error) -> String {
    let raw = e.to_string();
    let message = raw.rsplit('\n').next().unwrap_or_default().trim();
    if message.is_empty() {
        return "not understood".to_owned();
    }
    message
        .replace(" must be less than ", " must be at most ")
        .replace(" must be greater than or equal to ", " must be at least ")
        .replace(". ('", " ('")
        .replace("' specified.)", "' given)")
        .replace("' specified.", "' given")
}

/// Checks day by day that no five-year stretch lacks a matching day. Dates and
/// weekdays repeat every 28 years between 1901 and 2099, so one cycle plus the
/// stretch length sees every silence there is. Hours and minutes always have
/// a value, so only the date fields matter.
fn never_silent_for_years(schedule: &Schedule) -> bool {
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(2001, 1, 1),
        NaiveDate::from_ymd_opt(2034, 1, 1),
    ) else {
        return false;
    };
    let longest = Duration::days(MAX_SILENCE_DAYS);
    let mut last = start;
    for day in start.iter_days().take_while(|d| *d < end) {
        let matches = schedule.months().includes(day.month())
            && schedule.days_of_month().includes(day.day())
            && schedule
                .days_of_week()
                .includes(day.weekday().number_from_sunday());
        if matches {
            if day - last > longest {
                return false;
            }
            last = day;
        }
    }
    end - last <= longest
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, Timelike};
    use chrono_tz::America::New_York;
    use chrono_tz::Australia::Lord_Howe;
    use chrono_tz::Europe::Paris;
    use chrono_tz::Pacific::Apia;
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn schedule(text: &str) -> CronSchedule {
        CronSchedule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// Successive occurrences after `from`, as RFC 3339 UTC strings.
    fn run(text: &str, tz: Tz, from: &str, count: usize) -> Vec<String> {
        let s = schedule(text);
        let mut at = utc(from);
        let mut out = Vec::new();
        for _ in 0..count {
            let Some(next) = s.next_after(at, tz) else {
                break;
            };
            out.push(next.format("%Y-%m-%dT%H:%MZ").to_string());
            at = next;
        }
        out
    }

    fn check(cases: &[(&str, Tz, &str, &[&str])]) {
        for (text, tz, from, want) in cases {
            assert_eq!(
                run(text, *tz, from, want.len()),
                *want,
                "{text} in {tz} from {from}"
            );
        }
    }

    #[test]
    fn paris_spring_forward() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00Z).
        check(&[
            // In the gap: fires once, at 03:00 local, not skipped.
            (
                "30 2 * * *",
                Paris,
                "2026-03-27T12:00:00Z",
                &[
                    "2026-03-28T01:30Z",
                    "2026-03-29T01:00Z",
                    "2026-03-30T00:30Z",
                ],
            ),
            // Asked from just before the jump, or from its very instant.
            (
                "30 2 * * *",
                Paris,
                "2026-03-29T00:59:00Z",
                &["2026-03-29T01:00Z"],
            ),
            (
                "30 2 * * *",
                Paris,
                "2026-03-29T01:00:00Z",
                &["2026-03-30T00:30Z"],
            ),
            // Gap time and the time right after the gap collapse into one run.
            (
                "0 2,3 * * *",
                Paris,
                "2026-03-28T12:00:00Z",
                &["2026-03-29T01:00Z", "2026-03-30T00:00Z"],
            ),
            // Normal times keep their wall-clock time on both sides.
            (
                "0 9 * * *",
                Paris,
                "2026-03-27T12:00:00Z",
                &[
                    "2026-03-28T08:00Z",
                    "2026-03-29T07:00Z",
                    "2026-03-30T07:00Z",
                ],
            ),
            // Wildcard jobs have no run for the missing hour and no extra one.
            (
                "0 * * * *",
                Paris,
                "2026-03-28T23:30:00Z",
                &[
                    "2026-03-29T00:00Z",
                    "2026-03-29T01:00Z",
                    "2026-03-29T02:00Z",
                ],
            ),
            (
                "30 * * * *",
                Paris,
                "2026-03-28T23:45:00Z",
                &[
                    "2026-03-29T00:30Z",
                    "2026-03-29T01:30Z",
                    "2026-03-29T02:30Z",
                ],
            ),
        ]);
    }

    #[test]
    fn paris_fall_back() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00Z); 02:00-03:00 twice.
        check(&[
            // In the fold: once, at the summer-time pass.
            (
                "30 2 * * *",
                Paris,
                "2026-10-23T12:00:00Z",
                &[
                    "2026-10-24T00:30Z",
                    "2026-10-25T00:30Z",
                    "2026-10-26T01:30Z",
                ],
            ),
            // Asked from inside the second pass: the first pass is past, no rerun.
            (
                "30 2 * * *",
                Paris,
                "2026-10-25T01:10:00Z",
                &["2026-10-26T01:30Z"],
            ),
            (
                "30 2 * * *",
                Paris,
                "2026-10-25T00:40:00Z",
                &["2026-10-26T01:30Z"],
            ),
            (
                "0 9 * * *",
                Paris,
                "2026-10-23T12:00:00Z",
                &[
                    "2026-10-24T07:00Z",
                    "2026-10-25T08:00Z",
                    "2026-10-26T08:00Z",
                ],
            ),
            // Wildcard jobs run in both passes of the repeated hour.
            (
                "0 * * * *",
                Paris,
                "2026-10-24T22:30:00Z",
                &[
                    "2026-10-24T23:00Z",
                    "2026-10-25T00:00Z",
                    "2026-10-25T01:00Z",
                    "2026-10-25T02:00Z",
                ],
            ),
            // From inside the first pass, the second pass's earlier wall time still comes next.
            (
                "20 * * * *",
                Paris,
                "2026-10-25T00:40:00Z",
                &["2026-10-25T01:20Z", "2026-10-25T02:20Z"],
            ),
        ]);
    }

    #[test]
    fn new_york_dst() {
        // 2026-03-08 and 2026-11-01 are New York's changes.
        check(&[
            (
                "0 9 * * MON",
                New_York,
                "2026-02-25T00:00:00Z",
                &[
                    "2026-03-02T14:00Z",
                    "2026-03-09T13:00Z",
                    "2026-03-16T13:00Z",
                ],
            ),
            (
                "0 9 * * MON",
                New_York,
                "2026-10-20T00:00:00Z",
                &["2026-10-26T13:00Z", "2026-11-02T14:00Z"],
            ),
            // 02:30 does not exist on 2026-03-08: fires at 03:00 EDT.
            (
                "30 2 * * *",
                New_York,
                "2026-03-07T12:00:00Z",
                &["2026-03-08T07:00Z", "2026-03-09T06:30Z"],
            ),
        ]);
    }

    #[test]
    fn odd_transitions() {
        check(&[
            // Lord Howe moves by half an hour, 02:00 to 02:30, on 2026-10-04.
            (
                "15 2 * * *",
                Lord_Howe,
                "2026-10-02T12:00:00Z",
                &[
                    "2026-10-02T15:45Z",
                    "2026-10-03T15:30Z",
                    "2026-10-04T15:15Z",
                ],
            ),
            // Samoa skipped 2011-12-30 entirely: a clock reset, not a DST gap.
            (
                "0 9 * * *",
                Apia,
                "2011-12-28T00:00:00Z",
                &[
                    "2011-12-28T19:00Z",
                    "2011-12-29T19:00Z",
                    "2011-12-30T19:00Z",
                ],
            ),
            // Also when the wall time is within minutes of the gap's end.
            (
                "30 23 * * *",
                Apia,
                "2011-12-29T00:00:00Z",
                &[
                    "2011-12-29T09:30Z",
                    "2011-12-30T09:30Z",
                    "2011-12-31T09:30Z",
                ],
            ),
        ]);
    }

    #[test]
    fn calendar_cases() {
        check(&[
            // Weekly, across New Year 2026 -> 2027 (Mondays 21, 28 Dec; 4, 11 Jan).
            (
                "0 9 * * MON",
                Paris,
                "2026-12-15T00:00:00Z",
                &[
                    "2026-12-21T08:00Z",
                    "2026-12-28T08:00Z",
                    "2027-01-04T08:00Z",
                    "2027-01-11T08:00Z",
                ],
            ),
            // Yearly: midnight on New Year's Day, Paris time.
            (
                "0 0 1 1 *",
                Paris,
                "2026-06-01T00:00:00Z",
                &[
                    "2026-12-31T23:00Z",
                    "2027-12-31T23:00Z",
                    "2028-12-31T23:00Z",
                ],
            ),
            // Day of month AND day of week: Friday the 13th only.
            (
                "0 9 13 * FRI",
                Paris,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-02-13T08:00Z",
                    "2026-03-13T08:00Z",
                    "2026-11-13T08:00Z",
                ],
            ),
            // Crontab day numbers: 1 is Monday, 0 and 7 are Sunday.
            (
                "0 9 * * 1",
                Paris,
                "2026-06-01T12:00:00Z",
                &["2026-06-08T07:00Z"],
            ),
            (
                "0 9 * * 0",
                Paris,
                "2026-06-01T12:00:00Z",
                &["2026-06-07T07:00Z"],
            ),
            (
                "0 9 * * 7",
                Paris,
                "2026-06-01T12:00:00Z",
                &["2026-06-07T07:00Z"],
            ),
            (
                "0 9 * * 5-7",
                Paris,
                "2026-06-01T12:00:00Z",
                &[
                    "2026-06-05T07:00Z",
                    "2026-06-06T07:00Z",
                    "2026-06-07T07:00Z",
                ],
            ),
            (
                "0 9 * * 1-5/2",
                Paris,
                "2026-06-01T12:00:00Z",
                &[
                    "2026-06-03T07:00Z",
                    "2026-06-05T07:00Z",
                    "2026-06-08T07:00Z",
                ],
            ),
            (
                "0 9 * * */2",
                Paris,
                "2026-06-01T12:00:00Z",
                &[
                    "2026-06-02T07:00Z",
                    "2026-06-04T07:00Z",
                    "2026-06-06T07:00Z",
                ],
            ),
            (
                "0 9 * * mon-fri",
                Paris,
                "2026-06-05T12:00:00Z",
                &["2026-06-08T07:00Z"],
            ),
            (
                "0 9 1 JAN,jul ?",
                Paris,
                "2026-02-01T00:00:00Z",
                &["2026-07-01T07:00Z", "2027-01-01T08:00Z"],
            ),
            // Leap day, every four years.
            (
                "0 12 29 2 *",
                Tz::UTC,
                "2025-01-01T00:00:00Z",
                &["2028-02-29T12:00Z", "2032-02-29T12:00Z"],
            ),
            // Strictly after: an occurrence exactly at `after` is not returned.
            (
                "0 9 * * *",
                Tz::UTC,
                "2026-06-01T09:00:00Z",
                &["2026-06-02T09:00Z"],
            ),
            (
                "0 9 * * *",
                Tz::UTC,
                "2026-06-01T08:59:59.5Z",
                &["2026-06-01T09:00Z"],
            ),
            // The crate's calendar ends with 2100.
            (
                "0 0 31 12 *",
                Tz::UTC,
                "2099-06-01T00:00:00Z",
                &["2099-12-31T00:00Z", "2100-12-31T00:00Z"],
            ),
        ]);
        assert_eq!(
            schedule("0 0 31 12 *").next_after(utc("2100-12-31T00:00:00Z"), Paris),
            None
        );
        assert_eq!(
            schedule("0 0 1 1 *").next_after(utc("1900-05-05T00:00:00Z"), Paris),
            Some(utc("1969-12-31T23:00:00Z"))
        );
    }

    #[test]
    fn parse_cases() {
        let cases: &[(&str, Result<&str, CronError>)] = &[
            ("0 9 * * MON", Ok("0 9 * * MON")),
            ("  0\t9  * *   mon \n", Ok("0 9 * * mon")),
            ("0 */2 * * *", Ok("0 */2 * * *")),
            ("0 * * * *", Ok("0 * * * *")),
            ("0 9,21 1-15 JAN-MAR,DEC Mon,Wed", Ok("0 9,21 1-15 JAN-MAR,DEC Mon,Wed")),
            ("0 9 29 2 *", Ok("0 9 29 2 *")),
            ("", Err(CronError::FieldCount(0))),
            ("0 9 * *", Err(CronError::FieldCount(4))),
            ("0 0 9 * * MON", Err(CronError::FieldCount(6))),
            ("0 0 9 * * MON *", Err(CronError::FieldCount(7))),
            ("@daily", Err(CronError::FieldCount(1))),
            ("*/15 * * * *", Err(CronError::TooFrequent(60))),
            ("* 9 * * *", Err(CronError::TooFrequent(60))),
            ("0,30 9 * * *", Err(CronError::TooFrequent(60))),
            ("0 0 30 2 *", Err(CronError::Never)),
            ("0 0 31 4,6,9,11 *", Err(CronError::Never)),
            // Feb 29 falls on a Monday once in 28 years.
            ("0 0 29 2 MON", Err(CronError::Never)),
            ("61 * * * *", Err(CronError::Invalid("minute field '61': Minutes must be at most 59 ('61' given)".into()))),
            ("0 24 * * *", Err(CronError::Invalid("hour field '24': Hours must be at most 23 ('24' given)".into()))),
            ("0 9 0 * *", Err(CronError::Invalid("day-of-month field '0': Days of Month must be at least 1 ('0' given)".into()))),
            ("0 9 * 13 *", Err(CronError::Invalid("month field '13': Months must be at most 12 ('13' given)".into()))),
            ("0 9 * FOO *", Err(CronError::Invalid("month field 'FOO': 'FOO' is not a valid month name.".into()))),
            // French day names too, as French organisers write them.
            ("0 9 * * LUN", Ok("0 9 * * LUN")),
            ("0 9 * * lun-ven", Ok("0 9 * * lun-ven")),
            ("0 18 * * mercredi,DIM", Ok("0 18 * * mercredi,DIM")),
            ("0 9 * * LUNE", Err(CronError::Invalid("day-of-week field 'LUNE': 'LUNE' is not a valid day of the week.".into()))),
            (
                "0 9 * * 8",
                Err(CronError::Invalid(
                    "day-of-week field '8': '8' is not a day; use 0-7 (0 and 7 are Sunday) or names like MON".into(),
                )),
            ),
            ("0 9 * * 5-1", Err(CronError::Invalid("day-of-week field '5-1': the range 5-1 runs backwards".into()))),
            ("0 9 * * 1-5/0", Err(CronError::Invalid("day-of-week field '1-5/0': the step '0' must be a number from 1 to 7".into()))),
            ("0 9 * * MON-", Err(CronError::Invalid("day-of-week field 'MON-': not understood".into()))),
            ("0 9 * * L", Err(CronError::Invalid("day-of-week field 'L': 'L' is not a valid day of the week.".into()))),
            ("0 x * * *", Err(CronError::Invalid("hour field 'x': The 'Hours' field does not support using names. 'x' given".into()))),
            ("0 */0 * * *", Err(CronError::Invalid("hour field '*/0': range step cannot be zero".into()))),
            ("0 9 1,,2 * *", Err(CronError::Invalid("day-of-month field '1,,2': not understood".into()))),
        ];
        for (input, want) in cases {
            let got = CronSchedule::parse(input);
            assert_eq!(
                got.as_ref().map(CronSchedule::text).map_err(Clone::clone),
                want.clone(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn error_messages_read_well() {
        assert_eq!(
            CronError::TooFrequent(60).to_string(),
            "this schedule fires more often than every 60 minutes"
        );
        assert_eq!(
            CronError::FieldCount(4).to_string(),
            "a schedule has five fields (minute hour day-of-month month day-of-week), got 4"
        );
    }

    #[test]
    fn a_year_of_daily_digests() {
        let s = schedule("0 9 * * *");
        let end = utc("2027-01-01T00:00:00Z");
        let mut at = utc("2026-01-01T00:00:00Z");
        let mut days = Vec::new();
        while let Some(next) = s.next_after(at, Paris) {
            if next >= end {
                break;
            }
            let local = next.with_timezone(&Paris);
            assert_eq!(
                local.time(),
                NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                "{next}"
            );
            days.push(local.date_naive());
            at = next;
        }
        assert_eq!(days.len(), 365);
        assert_eq!(days.first(), NaiveDate::from_ymd_opt(2026, 1, 1).as_ref());
        assert!(days.windows(2).all(|w| w[1] == w[0].succ_opt().unwrap()));
    }

    /// The module's rules restated minute by minute: does instant `u` fire?
    fn fires_at(s: &CronSchedule, u: DateTime<Utc>, tz: Tz) -> bool {
        let wall = |t: DateTime<Utc>| t.with_timezone(&tz).naive_local();
        let matches = |n: NaiveDateTime| s.schedule.includes(Utc.from_utc_datetime(&n));
        if matches(wall(u))
            && (s.wildcard
                || tz
                    .from_local_datetime(&wall(u))
                    .earliest()
                    .map(|t| t.to_utc())
                    == Some(u))
        {
            return true;
        }
        let before = u - Duration::seconds(1);
        let jump = wall(u) - wall(before) - Duration::seconds(1);
        if s.wildcard || jump <= Duration::zero() || jump > Duration::hours(3) {
            return false;
        }
        let mut n = wall(before) + Duration::seconds(1);
        while n < wall(u) {
            if n.second() == 0 && matches(n) {
                return true;
            }
            n += Duration::seconds(if n.second() == 0 { 60 } else { 1 });
        }
        false
    }

    /// Each fires at least once a week, which the brute force relies on.
    const WEEKLY_OR_MORE: &[&str] = &[
        "0 9 * * MON",
        "30 2 * * *",
        "0 * * * *",
        "45 */3 * * *",
        "15 1-3 * * *",
        "0 2,3 * * SUN",
    ];
    const RARE: &[&str] = &["0 0 1 1 *", "0 9 13 * FRI", "0 12 29 2 *"];

    proptest! {
        #[test]
        fn parse_never_panics(text in ".*") {
            let _ = CronSchedule::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_cron_like_text(
            fields in prop::collection::vec("[0-9*/,?LW#A-Za-z-]{0,12}", 0..7)
        ) {
            let _ = CronSchedule::parse(&fields.join(" "));
        }

        #[test]
        fn next_after_never_panics(
            text in prop::sample::select([WEEKLY_OR_MORE, RARE].concat()),
            zone in prop::sample::select(chrono_tz::TZ_VARIANTS.to_vec()),
            secs in prop_oneof![
                DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
                // 1965..2105, where the crate's calendar starts and ends.
                -157_766_400i64..4_260_211_200,
            ],
        ) {
            let after = DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default();
            if let Some(next) = schedule(text).next_after(after, zone) {
                prop_assert!(next > after);
            }
        }

        #[test]
        fn next_after_matches_the_minute_by_minute_rules(
            text in prop::sample::select(WEEKLY_OR_MORE),
            zone in prop::sample::select(vec![Paris, New_York, Lord_Howe, Tz::UTC]),
            // Around the 2026 transitions of those zones, and an ordinary day.
            day in prop::sample::select(vec![
                "2026-03-07", "2026-03-28", "2026-04-04", "2026-06-10",
                "2026-10-03", "2026-10-24", "2026-10-31",
            ]),
            seconds in 0i64..(3 * 24 * 3600),
        ) {
            let s = schedule(text);
            let after = utc(&format!("{day}T00:00:00Z")) + Duration::seconds(seconds);
            let mut u = after + Duration::seconds(60 - i64::from(after.second()));
            while !fires_at(&s, u, zone) {
                prop_assert!(u < after + Duration::days(8), "{} never fires", text);
                u += Duration::minutes(1);
            }
            prop_assert_eq!(s.next_after(after, zone), Some(u), "{} in {} after {}", text, zone, after);
        }
    }
}
