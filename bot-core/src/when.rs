//! Reads the dates, times and durations members type in chat (English and French), in a section's time zone.
//!
//! There is no regex engine here on purpose: a tiny tokenizer turns the input into numbers, words and
//! symbols, and a backtracking cursor tries the few shapes we accept. Anything else is refused with
//! [`WhenError::Unrecognised`] rather than guessed, because a wrong guess schedules an event for the
//! wrong day and nobody notices until it is too late.

use chrono::{
    DateTime, Datelike, Days, Duration as ChronoDuration, LocalResult, Months, NaiveDate,
    NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error("unrecognised time")]
    Unrecognised,
    #[error("in the past")]
    InPast { local: String },
    #[error("ambiguous")]
    Ambiguous { local: String },
    #[error("does not exist")]
    Nonexistent { local: String },
    #[error("invalid date")]
    InvalidDate,
    #[error("too far")]
    TooFar,
    /// A day with no time of day (`friday`): an event needs both.
    #[error("no time of day")]
    NeedsTime,
}

/// Chat arguments are short; the cap bounds the work spent on pasted junk.
const MAX_INPUT_BYTES: usize = 256;
const MAX_DURATION_MINUTES: u64 = 366 * 24 * 60;
const MINUTES_PER_DAY: i64 = 24 * 60;
const HORIZON_MONTHS: u32 = 10 * 12;
const LOCAL_FORMAT: &str = "%Y-%m-%d %H:%M";

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Num(String),
    Word(String),
    Sym(char),
}

/// `spaced` remembers whether whitespace preceded the token: "1.12. 19:30" must not read "19" as a year.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tok {
    kind: Kind,
    spaced: bool,
}

/// Members often type French without accents, so both spellings must compare equal.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' => 'i',
        'ô' | 'ö' | 'ó' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        _ => c,
    }
}

fn tokenize(input: &str) -> Result<Vec<Tok>, WhenError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(WhenError::Unrecognised);
    }
    let chars: Vec<char> = input
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .collect();
    let is_letter = |i: usize| chars.get(i).is_some_and(|c| c.is_alphabetic());
    let mut toks = Vec::new();
    let mut spaced = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let kind = if c.is_ascii_digit() {
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            Kind::Num(chars[start..i].iter().collect())
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while i < chars.len() {
                if chars[i].is_alphabetic() {
                    word.push(chars[i]);
                } else if !(matches!(chars[i], '\'' | '’') && is_letter(i + 1)) {
                    // An apostrophe inside a word ("aujourd'hui") is dropped, anything else ends it.
                    break;
                }
                i += 1;
            }
            Kind::Word(word)
        } else {
            i += 1;
            // A hyphen between letters ("après-demain") only separates words; between digits it is a date.
            let joins_words = c == '-' && start > 0 && is_letter(start - 1) && is_letter(i);
            if c.is_whitespace() || joins_words {
                spaced = true;
                continue;
            }
            Kind::Sym(c)
        };
        toks.push(Tok { kind, spaced });
        spaced = false;
    }
    Ok(toks)
}

/// Backtracking reader over tokens: every `attempt` rewinds on failure.
struct Cursor<'a> {
    toks: &'a [Tok],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(toks: &'a [Tok]) -> Self {
        Cursor { toks, pos: 0 }
    }

    fn done(&self) -> bool {
        self.pos >= self.toks.len()
    }

    fn rest(&self) -> &'a [Tok] {
        &self.toks[self.pos.min(self.toks.len())..]
    }

    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.pos;
        let out = f(self);
        if out.is_none() {
            self.pos = start;
        }
        out
    }

    fn take<T>(&mut self, f: impl FnOnce(&'a Tok) -> Option<T>) -> Option<T> {
        let out = f(self.toks.get(self.pos)?)?;
        self.pos += 1;
        Some(out)
    }

    fn any_word(&mut self) -> Option<&'a str> {
        self.take(|t| match &t.kind {
            Kind::Word(w) => Some(w.as_str()),
            _ => None,
        })
    }

    fn word_map<T>(&mut self, f: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        self.attempt(|c| c.any_word().and_then(f))
    }

    fn word(&mut self, options: &[&'static str]) -> Option<&'static str> {
        self.word_map(|w| options.iter().copied().find(|o| *o == w))
    }

    fn sym(&mut self, options: &[char]) -> Option<char> {
        self.take(|t| match t.kind {
            Kind::Sym(c) if options.contains(&c) => Some(c),
            _ => None,
        })
    }

    fn digits(&mut self) -> Option<&'a str> {
        self.take(|t| match &t.kind {
            Kind::Num(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// A small number written with an allowed count of digits ("1" or "01" for a day, "2026" for a year).
    fn num(&mut self, lens: std::ops::RangeInclusive<usize>) -> Option<u32> {
        self.attempt(|c| {
            let s = c.digits()?;
            s.parse().ok().filter(|_| lens.contains(&s.len()))
        })
    }

    fn glued(&self) -> bool {
        self.toks.get(self.pos).is_some_and(|t| !t.spaced)
    }
}

// ---------------------------------------------------------------------------------------------
// Grammar of `<when>`
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    /// Only a time was given.
    Implicit,
    /// Days after today: today, tomorrow, after tomorrow.
    Offset(u64),
    Weekday {
        wd: Weekday,
        next: bool,
    },
    Date {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
}

/// Values as typed; range checks happen later so "25:00" is `InvalidDate`, not `Unrecognised`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RawTime {
    hour: u32,
    minute: u32,
    pm: Option<bool>,
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" | "mon" | "lundi" | "lun" => Weekday::Mon,
        "tuesday" | "tue" | "tues" | "mardi" | "mar" => Weekday::Tue,
        "wednesday" | "wed" | "mercredi" | "mer" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" | "jeudi" | "jeu" => Weekday::Thu,
        "friday" | "fri" | "vendredi" | "ven" => Weekday::Fri,
        "saturday" | "sat" | "samedi" | "sam" => Weekday::Sat,
        "sunday" | "sun" | "dimanche" | "dim" => Weekday::Sun,
        _ => return None,
    })
}

fn month_of(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" | "janvier" | "janv" => 1,
        "february" | "feb" | "fevrier" | "fev" | "fevr" => 2,
        "march" | "mar" | "mars" => 3,
        "april" | "apr" | "avril" | "avr" => 4,
        "may" | "mai" => 5,
        "june" | "jun" | "juin" => 6,
        "july" | "jul" | "juillet" | "juil" => 7,
        "august" | "aug" | "aout" => 8,
        "september" | "sep" | "sept" | "septembre" => 9,
        "october" | "oct" | "octobre" => 10,
        "november" | "nov" | "novembre" => 11,
        "december" | "dec" | "decembre" => 12,
        _ => return None,
    })
}

/// A month by name, with its abbreviation's dot (`déc.`).
fn month_name(c: &mut Cursor) -> Option<u32> {
    let month = c.word_map(month_of)?;
    c.sym(&['.']);
    Some(month)
}

/// A day of the month with its ordinal suffix, if any (`1er`, `3rd`, `15th`).
fn day_number(c: &mut Cursor) -> Option<u32> {
    let day = c.num(1..=2)?;
    if c.glued() {
        c.word(&["er", "st", "nd", "rd", "th"]);
    }
    Some(day)
}

/// Dates with the month's name, as people write them: `15 décembre`,
/// `le 3 mars`, `December 15`, `dec 15, 2026`, `vendredi 15 décembre`.
fn named_date(c: &mut Cursor) -> Option<Day> {
    // A weekday before the date only says it again.
    c.attempt(|c| {
        c.word_map(weekday_of)?;
        c.sym(&['.', ',']);
        Some(())
    });
    let (day, month) = c
        .attempt(|c| {
            let day = day_number(c)?;
            c.word(&["of"]);
            Some((day, month_name(c)?))
        })
        .or_else(|| {
            c.attempt(|c| {
                let month = month_name(c)?;
                Some((day_number(c)?, month))
            })
        })?;
    let year = c.attempt(|c| {
        c.sym(&[',']);
        c.num(4..=4).map(|y| y as i32)
    });
    Some(Day::Date { year, month, day })
}

fn iso_date(c: &mut Cursor) -> Option<Day> {
    let year = c.num(4..=4)? as i32;
    let sep = c.sym(&['-', '/'])?;
    let month = c.num(1..=2)?;
    c.sym(&[sep])?;
    let day = c.num(1..=2)?;
    c.word(&["t"]); // 2026-12-01T19:30
    Some(Day::Date {
        year: Some(year),
        month,
        day,
    })
}

/// Day first, as written in France (and most of the world): 01/12 is the 1st of December.
fn day_month(c: &mut Cursor) -> Option<Day> {
    let day = c.num(1..=2)?;
    let sep = c.sym(&['/', '.', '-'])?;
    let month = c.num(1..=2)?;
    let year = c.attempt(|c| {
        c.sym(&[sep])?;
        if !c.glued() {
            return None;
        }
        let s = c.digits()?;
        match s.len() {
            2 => Some(2000 + s.parse::<i32>().ok()?),
            4 => s.parse().ok(),
            _ => None,
        }
    });
    if year.is_none() && sep == '.' {
        c.sym(&['.']); // "1.12. 19:30"
    }
    Some(Day::Date { year, month, day })
}

fn relative_day(c: &mut Cursor) -> Option<Day> {
    let then =
        |c: &mut Cursor, words: &[&'static str]| words.iter().all(|w| c.word(&[w]).is_some());
    let offset = match c.any_word()? {
        "today" | "aujourdhui" => 0,
        "tomorrow" | "demain" => 1,
        "apresdemain" => 2,
        "apres" if then(c, &["demain"]) => 2,
        "after" if then(c, &["tomorrow"]) => 2,
        "day" if then(c, &["after", "tomorrow"]) => 2,
        "the" if then(c, &["day", "after", "tomorrow"]) => 2,
        _ => return None,
    };
    Some(Day::Offset(offset))
}

fn weekday(c: &mut Cursor) -> Option<Day> {
    let next_before = c.word(&["next", "prochain", "prochaine"]).is_some();
    let wd = c.word_map(weekday_of)?;
    c.sym(&['.']); // "ven. 18h"
    let next_after = c.word(&["prochain", "prochaine"]).is_some();
    Some(Day::Weekday {
        wd,
        next: next_before || next_after,
    })
}

fn day(c: &mut Cursor) -> Option<Day> {
    c.attempt(iso_date)
        .or_else(|| c.attempt(day_month))
        .or_else(|| c.attempt(named_date))
        .or_else(|| c.attempt(relative_day))
        .or_else(|| c.attempt(weekday))
}

/// A bare number ("19") is never a time: in chat it is as likely a count as an hour.
fn time(c: &mut Cursor) -> Option<RawTime> {
    if c.word(&["noon", "midi"]).is_some() {
        return Some(RawTime {
            hour: 12,
            minute: 0,
            pm: None,
        });
    }
    let hour = c.num(1..=2)?;
    let (minute, colon) = if c.word(&["h"]).is_some() {
        (c.num(2..=2).unwrap_or(0), true)
    } else {
        match c.sym(&[':', '.']) {
            Some(sep) => (c.num(2..=2)?, sep == ':'),
            None => (0, false),
        }
    };
    // Whole seconds, as machines write them (`19:30:00`).
    if colon {
        c.attempt(|c| {
            c.sym(&[':'])?;
            c.num(2..=2).filter(|s| *s == 0)
        });
    }
    // "7.30" alone reads like a date or a decimal, so a dot needs am/pm to be a time.
    let pm = c.word(&["am", "pm"]).map(|w| w == "pm");
    (colon || pm.is_some()).then_some(RawTime { hour, minute, pm })
}

/// Words allowed between the date and the time ("demain à 19h", "tomorrow at 7pm").
fn filler(c: &mut Cursor) {
    if c.word(&["at", "a"]).is_none() {
        c.sym(&[',', '@']);
    }
}

fn moment(toks: &[Tok]) -> Option<(Day, RawTime)> {
    let mut c = Cursor::new(toks);
    c.word(&["on", "le", "at", "a"]);
    let ends = |c: &Cursor| c.done().then_some(());
    c.attempt(|c| {
        let d = day(c)?;
        filler(c);
        let t = time(c)?;
        ends(c).map(|_| (d, t))
    })
    .or_else(|| {
        c.attempt(|c| {
            let t = time(c)?;
            filler(c);
            let d = day(c)?;
            ends(c).map(|_| (d, t))
        })
    })
    .or_else(|| c.attempt(|c| time(c).and_then(|t| ends(c).map(|_| (Day::Implicit, t)))))
}

// ---------------------------------------------------------------------------------------------
// Meaning
// ---------------------------------------------------------------------------------------------

fn to_time(t: RawTime) -> Result<NaiveTime, WhenError> {
    let hour = match t.pm {
        None => t.hour,
        Some(_) if !(1..=12).contains(&t.hour) => return Err(WhenError::InvalidDate),
        Some(pm) => t.hour % 12 + if pm { 12 } else { 0 },
    };
    NaiveTime::from_hms_opt(hour, t.minute, 0).ok_or(WhenError::InvalidDate)
}

fn add_days(date: NaiveDate, n: u64) -> Result<NaiveDate, WhenError> {
    date.checked_add_days(Days::new(n)).ok_or(WhenError::TooFar)
}

/// Turns the parsed pieces into a wall-clock time in the section's zone, as seen from `now_local`.
fn resolve(day: Day, time: RawTime, now_local: NaiveDateTime) -> Result<NaiveDateTime, WhenError> {
    let time = to_time(time)?;
    let today = now_local.date();
    let ahead_today = today.and_time(time) > now_local;
    let date = match day {
        Day::Implicit => add_days(today, u64::from(!ahead_today))?,
        Day::Offset(n) => add_days(today, n)?,
        Day::Weekday { wd, next } => {
            let diff = (7 + wd.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            // Same weekday as today: today while the time is ahead, unless they said "next".
            let diff = if diff == 0 && (next || !ahead_today) {
                7
            } else {
                diff
            };
            add_days(today, u64::from(diff))?
        }
        Day::Date {
            year: Some(y),
            month,
            day,
        } => NaiveDate::from_ymd_opt(y, month, day).ok_or(WhenError::InvalidDate)?,
        Day::Date {
            year: None,
            month,
            day,
        } => {
            // Next year too, so that 29/02 typed in a year without one finds the next leap year.
            [today.year(), today.year() + 1]
                .into_iter()
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                .find(|d| *d >= today)
                .ok_or(WhenError::InvalidDate)?
        }
    };
    Ok(date.and_time(time))
}

fn check_range(at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    if at <= now {
        let local = at.with_timezone(&tz).format(LOCAL_FORMAT).to_string();
        return Err(WhenError::InPast { local });
    }
    if let Some(limit) = now.checked_add_months(Months::new(HORIZON_MONTHS))
        && at > limit
    {
        return Err(WhenError::TooFar);
    }
    Ok(at)
}

/// Whether the words are a day without a time of day (`friday`, `15 décembre`).
fn day_alone(toks: &[Tok]) -> bool {
    let mut c = Cursor::new(toks);
    c.word(&["on", "le"]);
    let plausible = match day(&mut c) {
        // `7.30` is a time or a decimal someone typed, not the 30th month.
        Some(Day::Date { month, day, .. }) => (1..=12).contains(&month) && (1..=31).contains(&day),
        Some(_) => true,
        None => false,
    };
    plausible && c.done()
}

/// Parse `<when>` relative to `now`, in the section's time zone `tz`. Refuses past times.
pub fn parse_when(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    // A full timestamp with its offset (`2026-12-15T19:30:00+01:00`) is
    // one instant, whatever the section's zone.
    if let Ok(at) = DateTime::parse_from_rfc3339(input.trim()) {
        return check_range(at.with_timezone(&Utc), now, tz);
    }
    let toks = tokenize(input)?;
    let mut c = Cursor::new(&toks);
    if c.word(&["in", "dans"]).is_some() {
        // An exact instant: no wall clock involved, so DST cannot make it ambiguous.
        let d = duration_from(c.rest())?;
        let at = now.checked_add_signed(d).ok_or(WhenError::TooFar)?;
        return check_range(at, now, tz);
    }
    let Some((day, time)) = moment(&toks) else {
        return Err(if day_alone(&toks) {
            WhenError::NeedsTime
        } else {
            WhenError::Unrecognised
        });
    };
    let local = resolve(day, time, now.with_timezone(&tz).naive_local())?;
    let shown = || local.format(LOCAL_FORMAT).to_string();
    let at = match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        // Picking one of the two instants silently would be a coin toss; the organiser must choose.
        LocalResult::Ambiguous(..) => return Err(WhenError::Ambiguous { local: shown() }),
        LocalResult::None => return Err(WhenError::Nonexistent { local: shown() }),
    };
    check_range(at, now, tz)
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

fn unit_minutes(w: &str) -> Option<u64> {
    Some(match w {
        "m" | "mn" | "min" | "mins" | "minute" | "minutes" => 1,
        "h" | "hr" | "hrs" | "hour" | "hours" | "heure" | "heures" => 60,
        "d" | "day" | "days" | "j" | "jour" | "jours" => 1440,
        "w" | "wk" | "wks" | "week" | "weeks" | "sem" | "semaine" | "semaines" => 7 * 1440,
        _ => return None,
    })
}

/// A run of `<number><unit>` parts with strictly shrinking units ("1d 2h", "1h30").
fn duration_from(toks: &[Tok]) -> Result<ChronoDuration, WhenError> {
    let mut c = Cursor::new(toks);
    let mut total: Option<u64> = Some(0);
    let mut last_unit = u64::MAX;
    if c.done() {
        return Err(WhenError::Unrecognised);
    }
    while !c.done() {
        if last_unit != u64::MAX {
            c.word(&["and", "et"]);
        }
        let (digits, typed) = match c.digits() {
            Some(s) => (s, true),
            None => (
                c.word(&["a", "an", "un", "une"])
                    .map(|_| "1")
                    .ok_or(WhenError::Unrecognised)?,
                false,
            ),
        };
        let unit = match c.word_map(unit_minutes) {
            Some(u) => u,
            // "1h30": a bare number right after hours, at the end, is minutes.
            None if typed && last_unit == 60 && c.done() => {
                if digits.len() > 2 || digits.parse::<u64>().is_ok_and(|m| m >= 60) {
                    return Err(WhenError::Unrecognised);
                }
                1
            }
            None => return Err(WhenError::Unrecognised),
        };
        if unit >= last_unit {
            return Err(WhenError::Unrecognised);
        }
        last_unit = unit;
        // Overflow is remembered, not returned, so junk after a huge number still reads as junk.
        total = total.and_then(|t| t.checked_add(digits.parse::<u64>().ok()?.checked_mul(unit)?));
    }
    match total {
        Some(0) => Err(WhenError::Unrecognised),
        Some(m) if m <= MAX_DURATION_MINUTES => Ok(ChronoDuration::minutes(m as i64)),
        _ => Err(WhenError::TooFar),
    }
}

/// "2h", "90m", "90min", "1h30", "1h30m", "2d", "3j" (jours), "1w"/"1sem", "45 min", "2 h". Must be > 0 and at most 366 days.
pub fn parse_duration(input: &str) -> Result<ChronoDuration, WhenError> {
    duration_from(&tokenize(input)?)
}

/// Comma-separated list of durations: "24h,1h" -> [24h, 1h], sorted descending, deduplicated; "off"/"none"/"aucun" -> empty vec.
pub fn parse_offsets(input: &str) -> Result<Vec<ChronoDuration>, WhenError> {
    let trimmed = input.trim();
    if ["off", "none", "aucun", "aucune"]
        .iter()
        .any(|w| trimmed.eq_ignore_ascii_case(w))
    {
        return Ok(Vec::new());
    }
    if input.len() > MAX_INPUT_BYTES {
        return Err(WhenError::Unrecognised);
    }
    let mut out = trimmed
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty()) // a stray trailing comma is harmless
        .map(parse_duration)
        .collect::<Result<Vec<_>, _>>()?;
    if out.is_empty() {
        return Err(WhenError::Unrecognised);
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    Ok(out)
}

/// Compact form used in replies and settings: 24h -> "24h", 90min -> "1h30", 2 days -> "2d", 45min -> "45m", 1d2h -> "26h".
/// Whole days only from two days up, because "24h" reads more naturally than "1d" for reminders.
/// [`format_duration`] as read in `lang`: French writes days `j` and
/// minutes `min` (both read back by [`parse_duration`]).
pub fn format_duration_in(d: ChronoDuration, lang: crate::domain::Language) -> String {
    let text = format_duration(d);
    match lang {
        crate::domain::Language::En => text,
        crate::domain::Language::Fr => match text.strip_suffix('d') {
            Some(days) => format!("{days}j"),
            None => match text.strip_suffix('m') {
                Some(minutes) if !minutes.contains('h') => format!("{minutes}min"),
                _ => text,
            },
        },
    }
}

pub fn format_duration(d: ChronoDuration) -> String {
    let minutes = d.num_minutes();
    if minutes < 0 {
        return format!("-{}", format_duration(-d));
    }
    if minutes % MINUTES_PER_DAY == 0 && minutes >= 2 * MINUTES_PER_DAY {
        return format!("{}d", minutes / MINUTES_PER_DAY);
    }
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;
    use proptest::prelude::*;

    /// Wednesday 2026-06-10, 14:00 in Paris (UTC+2).
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 10, 12, 0, 0).unwrap()
    }

    fn local(r: Result<DateTime<Utc>, WhenError>) -> Result<String, WhenError> {
        r.map(|t| t.with_timezone(&Paris).format(LOCAL_FORMAT).to_string())
    }

    fn check(cases: &[(&str, &str)], now: DateTime<Utc>) {
        for (input, want) in cases {
            assert_eq!(
                local(parse_when(input, now, Paris)),
                Ok(want.to_string()),
                "input {input:?}"
            );
        }
    }

    fn check_err(cases: &[(&str, WhenError)], now: DateTime<Utc>) {
        for (input, want) in cases {
            assert_eq!(
                parse_when(input, now, Paris),
                Err(want.clone()),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn dates_with_month_names_and_timestamps() {
        check(
            &[
                ("15 décembre 19h30", "2026-12-15 19:30"),
                ("15 decembre 19h30", "2026-12-15 19:30"),
                ("December 15 19:30", "2026-12-15 19:30"),
                ("dec 15 7pm", "2026-12-15 19:00"),
                ("déc. 15, 2027 7pm", "2027-12-15 19:00"),
                ("le 3 mars à 18h", "2027-03-03 18:00"),
                ("le 1er juillet à 18h", "2026-07-01 18:00"),
                ("vendredi 15 janvier 2027 18h", "2027-01-15 18:00"),
                ("March 3rd at 6pm", "2027-03-03 18:00"),
                ("3rd of March 6pm", "2027-03-03 18:00"),
                ("2026-12-15T19:30:00+01:00", "2026-12-15 19:30"),
                ("2026-12-15T18:30:00Z", "2026-12-15 19:30"),
                ("2026-12-15T19:30:00", "2026-12-15 19:30"),
            ],
            now(),
        );
    }

    #[test]
    fn absolute_dates() {
        check(
            &[
                ("2026-12-01 19:30", "2026-12-01 19:30"),
                ("2026-12-01T19:30", "2026-12-01 19:30"),
                ("  2026-12-01 19h30  ", "2026-12-01 19:30"),
                ("2026/12/01 à 19h30", "2026-12-01 19:30"),
                ("01/12 19h30", "2026-12-01 19:30"),
                ("1/12 19:30", "2026-12-01 19:30"),
                ("01/12/2026 19:30", "2026-12-01 19:30"),
                ("01/12/26 19:30", "2026-12-01 19:30"),
                ("1.12. 19:30", "2026-12-01 19:30"),
                ("1.12 19:30", "2026-12-01 19:30"),
                ("1.12.2026 19:30", "2026-12-01 19:30"),
                ("le 01/12 à 19h", "2026-12-01 19:00"),
                ("on 1/12 at 7pm", "2026-12-01 19:00"),
                ("19:30 01/12", "2026-12-01 19:30"),
                // Earlier this year already gone: next year's.
                ("01/03 10:00", "2027-03-01 10:00"),
            ],
            now(),
        );
    }

    #[test]
    fn times_alone() {
        check(
            &[
                ("19:30", "2026-06-10 19:30"),
                ("19h30", "2026-06-10 19:30"),
                ("19h", "2026-06-10 19:00"),
                ("19H", "2026-06-10 19:00"),
                ("7pm", "2026-06-10 19:00"),
                ("7 PM", "2026-06-10 19:00"),
                ("7:30pm", "2026-06-10 19:30"),
                ("7.30pm", "2026-06-10 19:30"),
                ("at 7pm", "2026-06-10 19:00"),
                ("à 19h", "2026-06-10 19:00"),
                // Already past today: tomorrow.
                ("13:00", "2026-06-11 13:00"),
                ("9am", "2026-06-11 09:00"),
                ("12am", "2026-06-11 00:00"),
                ("12pm", "2026-06-11 12:00"),
                ("midi", "2026-06-11 12:00"),
                ("00:00", "2026-06-11 00:00"),
            ],
            now(),
        );
    }

    #[test]
    fn relative_days() {
        check(
            &[
                ("today 19:00", "2026-06-10 19:00"),
                ("aujourd'hui 19h", "2026-06-10 19:00"),
                ("Aujourd’hui à 19h", "2026-06-10 19:00"),
                ("aujourdhui 19h", "2026-06-10 19:00"),
                ("tomorrow 19:00", "2026-06-11 19:00"),
                ("Tomorrow at 7pm", "2026-06-11 19:00"),
                ("demain 19h", "2026-06-11 19:00"),
                ("demain à 19h", "2026-06-11 19:00"),
                ("DEMAIN A 19H", "2026-06-11 19:00"),
                ("demain a 9h", "2026-06-11 09:00"),
                ("7pm tomorrow", "2026-06-11 19:00"),
                ("after tomorrow 10:00", "2026-06-12 10:00"),
                ("the day after tomorrow 10:00", "2026-06-12 10:00"),
                ("après-demain 10h", "2026-06-12 10:00"),
                ("apres-demain 10h", "2026-06-12 10:00"),
                ("apres demain à 10h", "2026-06-12 10:00"),
            ],
            now(),
        );
    }

    #[test]
    fn weekdays() {
        // now is a Wednesday.
        check(
            &[
                ("friday 18:30", "2026-06-12 18:30"),
                ("Friday at 6:30pm", "2026-06-12 18:30"),
                ("fri 18:30", "2026-06-12 18:30"),
                ("vendredi 18h30", "2026-06-12 18:30"),
                ("ven 18h30", "2026-06-12 18:30"),
                ("ven. 18h30", "2026-06-12 18:30"),
                ("next friday 18:30", "2026-06-12 18:30"),
                ("vendredi prochain 18h30", "2026-06-12 18:30"),
                ("vendredi prochain à 18h30", "2026-06-12 18:30"),
                ("monday 9am", "2026-06-15 09:00"),
                ("lundi 9h", "2026-06-15 09:00"),
                ("tuesday 9:00", "2026-06-16 09:00"),
                ("mardi 9h", "2026-06-16 09:00"),
                ("thursday 9:00", "2026-06-11 09:00"),
                ("jeudi 9h", "2026-06-11 09:00"),
                ("sunday 10:00", "2026-06-14 10:00"),
                ("dimanche 10h", "2026-06-14 10:00"),
                ("samedi 10h", "2026-06-13 10:00"),
                // Same weekday as today.
                ("wednesday 18:00", "2026-06-10 18:00"),
                ("mercredi 10h", "2026-06-17 10:00"),
                ("next wednesday 18:00", "2026-06-17 18:00"),
                ("mercredi prochain 18h", "2026-06-17 18:00"),
            ],
            now(),
        );
    }

    #[test]
    fn relative_instants() {
        check(
            &[
                ("in 2h", "2026-06-10 16:00"),
                ("in 30 min", "2026-06-10 14:30"),
                ("in 2 days", "2026-06-12 14:00"),
                ("in 1h30", "2026-06-10 15:30"),
                ("in an hour", "2026-06-10 15:00"),
                ("dans 2h", "2026-06-10 16:00"),
                ("dans 3 jours", "2026-06-13 14:00"),
                ("dans une semaine", "2026-06-17 14:00"),
            ],
            now(),
        );
    }

    #[test]
    fn refusals() {
        use WhenError::*;
        check_err(
            &[
                ("", Unrecognised),
                ("banana", Unrecognised),
                ("2026-12-01", NeedsTime),
                ("01/12", NeedsTime),
                ("19", Unrecognised),
                ("demain 19", Unrecognised),
                ("tomorrow", NeedsTime),
                ("friday", NeedsTime),
                ("15 décembre", NeedsTime),
                ("le 3 mars", NeedsTime),
                ("15 decembruary 19h", Unrecognised),
                ("in", Unrecognised),
                ("in banana", Unrecognised),
                ("dans 0h", Unrecognised),
                ("tomorrow 19:00 please", Unrecognised),
                ("7.30", Unrecognised),
                ("tonight 8pm", Unrecognised),
                ("31/02 10:00", InvalidDate),
                ("2026-02-30 10:00", InvalidDate),
                ("00/12 10:00", InvalidDate),
                ("01/13 10:00", InvalidDate),
                ("25:00", InvalidDate),
                ("24:00", InvalidDate),
                ("12:60", InvalidDate),
                ("13pm", InvalidDate),
                ("0am", InvalidDate),
                (
                    "today 10:00",
                    InPast {
                        local: "2026-06-10 10:00".into(),
                    },
                ),
                (
                    "aujourd'hui 14h",
                    InPast {
                        local: "2026-06-10 14:00".into(),
                    },
                ),
                (
                    "01/01/2026 10:00",
                    InPast {
                        local: "2026-01-01 10:00".into(),
                    },
                ),
                ("2040-01-01 10:00", TooFar),
                ("9999-01-01 10:00", TooFar),
                ("in 400 days", TooFar),
                ("in 99999999999999999999h", TooFar),
                ("dans 99999999999999999999999999 jours", TooFar),
            ],
            now(),
        );
    }

    #[test]
    fn daylight_saving() {
        let march = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let gap = || WhenError::Nonexistent {
            local: "2026-03-29 02:30".into(),
        };
        let fold = || WhenError::Ambiguous {
            local: "2026-10-25 02:30".into(),
        };
        check_err(
            &[
                ("2026-03-29 02:30", gap()),
                ("29/03 2h30", gap()),
                ("2026-10-25 02:30", fold()),
                ("25/10 à 2h30", fold()),
            ],
            march,
        );
        // Either side of the jumps is fine, and "in" never cares.
        check(
            &[
                ("2026-03-29 03:30", "2026-03-29 03:30"),
                ("2026-10-25 03:30", "2026-10-25 03:30"),
            ],
            march,
        );
        let before_gap = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap(); // 01:30 CET
        check(&[("in 1h", "2026-03-29 03:30")], before_gap);
        check_err(&[("02:30", gap())], before_gap);
    }

    #[test]
    fn year_rollover() {
        let december = Utc.with_ymd_and_hms(2026, 12, 20, 10, 0, 0).unwrap(); // 11:00 in Paris
        check(
            &[
                ("05/01 10:00", "2027-01-05 10:00"),
                ("31/12 23h", "2026-12-31 23:00"),
            ],
            december,
        );
        // The date is today, so the year stays and the past time is refused rather than moved a year.
        check_err(
            &[(
                "20/12 10:00",
                WhenError::InPast {
                    local: "2026-12-20 10:00".into(),
                },
            )],
            december,
        );
        // 29/02 only exists in 2028.
        let spring_2027 = Utc.with_ymd_and_hms(2027, 3, 10, 10, 0, 0).unwrap();
        check(&[("29/02 10:00", "2028-02-29 10:00")], spring_2027);
        check_err(&[("29/02 10:00", WhenError::InvalidDate)], now());
    }

    #[test]
    fn other_time_zone() {
        let r = parse_when("tomorrow 9am", now(), chrono_tz::America::New_York).unwrap();
        assert_eq!(r, Utc.with_ymd_and_hms(2026, 6, 11, 13, 0, 0).unwrap());
    }

    #[test]
    fn durations() {
        let ok = [
            ("2h", 120),
            ("90m", 90),
            ("90min", 90),
            ("1h30", 90),
            ("1h30m", 90),
            ("1h05", 65),
            ("2d", 2880),
            ("3j", 4320),
            ("3 jours", 4320),
            ("1w", 10080),
            ("1sem", 10080),
            ("45 min", 45),
            ("2 h", 120),
            ("2 heures", 120),
            ("1 hour and 30 minutes", 90),
            ("1d2h", 1560),
            ("366d", 366 * 1440),
            (" 24H ", 1440),
        ];
        for (input, minutes) in ok {
            assert_eq!(
                parse_duration(input),
                Ok(ChronoDuration::minutes(minutes)),
                "{input:?}"
            );
        }
        use WhenError::*;
        let bad = [
            ("", Unrecognised),
            ("h", Unrecognised),
            ("2", Unrecognised),
            ("0h", Unrecognised),
            ("0m", Unrecognised),
            ("1h90", Unrecognised),
            ("30m 1h", Unrecognised),
            ("1h 2h", Unrecognised),
            ("1.5h", Unrecognised),
            ("-2h", Unrecognised),
            ("2 bananas", Unrecognised),
            ("367d", TooFar),
            ("53w", TooFar),
            ("99999999999999999999h", TooFar),
        ];
        for (input, err) in bad {
            assert_eq!(parse_duration(input), Err(err), "{input:?}");
        }
    }

    #[test]
    fn offsets() {
        let h = ChronoDuration::hours;
        assert_eq!(parse_offsets("24h,1h"), Ok(vec![h(24), h(1)]));
        assert_eq!(
            parse_offsets("1h, 24h, 60m, 2d"),
            Ok(vec![h(48), h(24), h(1)])
        );
        assert_eq!(
            parse_offsets("15 min,"),
            Ok(vec![ChronoDuration::minutes(15)])
        );
        for off in ["off", "None", " aucun ", "AUCUNE"] {
            assert_eq!(parse_offsets(off), Ok(vec![]), "{off:?}");
        }
        assert_eq!(parse_offsets(""), Err(WhenError::Unrecognised));
        assert_eq!(parse_offsets(","), Err(WhenError::Unrecognised));
        assert_eq!(parse_offsets("24h,banana"), Err(WhenError::Unrecognised));
        assert_eq!(parse_offsets("24h,400d"), Err(WhenError::TooFar));
    }

    #[test]
    fn format_examples() {
        let m = ChronoDuration::minutes;
        let cases = [
            (m(1440), "24h"),
            (m(90), "1h30"),
            (m(2880), "2d"),
            (m(45), "45m"),
            (m(26 * 60), "26h"),
            (m(65), "1h05"),
            (m(60), "1h"),
            (m(7 * 1440), "7d"),
            (m(366 * 1440), "366d"),
        ];
        for (d, want) in cases {
            assert_eq!(format_duration(d), want);
        }
    }

    #[test]
    fn format_round_trips_every_small_duration() {
        for minutes in (1..=4 * 1440).chain((2..=366).map(|d| d * 1440)) {
            let d = ChronoDuration::minutes(minutes);
            assert_eq!(parse_duration(&format_duration(d)), Ok(d), "{minutes} min");
            let french = format_duration_in(d, crate::domain::Language::Fr);
            assert_eq!(parse_duration(&french), Ok(d), "{french}");
        }
    }

    const VOCAB: &[&str] = &[
        "in",
        "dans",
        "at",
        "à",
        "a",
        "le",
        "on",
        "tomorrow",
        "demain",
        "après",
        "apres-demain",
        "after",
        "today",
        "aujourd'hui",
        "next",
        "prochain",
        "friday",
        "ven",
        "h",
        "pm",
        "am",
        "t",
        "min",
        "jours",
        "and",
        ":",
        "/",
        ".",
        "-",
        ",",
        "0",
        "1",
        "7",
        "12",
        "19",
        "30",
        "2026",
        "99999999999999999999",
        "29",
        "02",
    ];

    proptest! {
        #[test]
        fn never_panics_on_any_string(s in any::<String>()) {
            let _ = parse_when(&s, now(), Paris);
            let _ = parse_duration(&s);
            let _ = parse_offsets(&s);
        }

        #[test]
        fn never_panics_on_plausible_tokens(
            words in prop::collection::vec(prop::sample::select(VOCAB), 0..8),
            sep in prop::sample::select(&["", " "][..]),
        ) {
            let s = words.join(sep);
            let _ = parse_when(&s, now(), Paris);
            let _ = parse_duration(&s);
            let _ = parse_offsets(&s);
        }

        #[test]
        fn huge_numbers_are_errors(n in "[0-9]{1,40}", unit in "(h|m|d|j|w|sem|min|jours)") {
            let s = format!("in {n}{unit}");
            let _ = parse_when(&s, now(), Paris);
            let _ = parse_when(&format!("{n}/{n} {n}:{n}"), now(), Paris);
            let _ = parse_when(&format!("{n}-{n}-{n} {n}h{n}"), now(), Paris);
            let _ = parse_offsets(&format!("{n}{unit},{n}{unit}"));
            if n.len() > 12 && n.trim_start_matches('0').len() > 12 {
                prop_assert!(parse_when(&s, now(), Paris).is_err());
                prop_assert_eq!(parse_duration(&format!("{n}{unit}")), Err(WhenError::TooFar));
            }
        }

        #[test]
        fn valid_durations_round_trip(minutes in 1i64..=366 * 1440) {
            let d = ChronoDuration::minutes(minutes);
            prop_assert_eq!(parse_duration(&format_duration(d)), Ok(d));
        }

        #[test]
        fn accepted_times_are_in_the_future(s in "(in |dans )?[0-9]{1,3}(h|:)[0-9]{0,2}") {
            if let Ok(t) = parse_when(&s, now(), Paris) {
                prop_assert!(t > now());
            }
        }
    }
}
