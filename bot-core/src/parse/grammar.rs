//! Which command a line names, and the arguments of each command. Keywords are compared
//! folded; values such as slugs, titles and handles are kept as typed.

use super::args::{Args, number, positive_u32};
use super::clauses::{announce, event_new};
use super::words::{
    ANSWERS, FILTERS, GROUPS, Group, LANGUAGES, NONE_WORDS, POLICIES, PRIVACY, RANGES, ROLES,
    SWITCH, WAITLIST, group_of, leaf, sub_of,
};
use super::{fold, suggest};
use crate::command::{Command, EventEdit, EventRange, InitiativeFilter, ParseError, SettingChange};
use crate::domain::{EventId, InitiativeId, ScheduleId};
use crate::when::{parse_duration, parse_offsets};

/// The command named by `word`, with its arguments read from `src`.
pub(super) fn command(word: &str, src: &str) -> Result<Command, ParseError> {
    let folded = fold(word);
    let mut a = Args::new(src);
    if let Some(key) = leaf(&folded) {
        return run(key, &mut a);
    }
    if let Some(group) = group_of(&folded) {
        return grouped(group, word, &mut a);
    }
    // Telegram's command menu allows neither spaces nor hyphens: `/event_new`.
    for &(group, words) in GROUPS {
        for sub in words.iter().filter_map(|w| folded.strip_prefix(w)) {
            if let Some(key) = sub_of(group, sub) {
                return run(key, &mut a);
            }
        }
    }
    Err(ParseError::UnknownCommand {
        word: word.to_string(),
        suggestions: suggest(word),
    })
}

fn grouped(group: Group, typed: &str, a: &mut Args) -> Result<Command, ParseError> {
    let next = a.peek();
    let sub = next
        .as_ref()
        .filter(|t| !t.quoted)
        .and_then(|t| sub_of(group, &fold(&t.text)));
    match (group, sub) {
        // "announce Cancelled: no meeting tonight" is an announcement, not
        // `announce cancel` (nor "announce Send us ideas" `announce send`).
        (Group::Announce, Some(_)) if !cancel_follows(a) => run(group.default_key(), a),
        (_, Some(key)) => {
            a.next()?;
            run(key, a)
        }
        // A slug may be any word, so `section nwe` is the section "nwe", not a typo.
        (Group::Section | Group::Announce, None) => run(group.default_key(), a),
        (_, None) => match next {
            Some(t) if !t.quoted && t.text.starts_with(char::is_alphabetic) => {
                let word = format!("{typed} {}", t.text);
                let suggestions = suggest(&word);
                Err(ParseError::UnknownCommand { word, suggestions })
            }
            _ => run(group.default_key(), a),
        },
    }
}

/// `cancel` is the sub-command when an id or nothing follows it.
fn cancel_follows(a: &Args) -> bool {
    let mut probe = a.lex.clone();
    let _ = probe.next_token();
    match probe.next_token() {
        Ok(None) => true,
        Ok(Some(t)) => !t.quoted && t.text.starts_with(|c: char| c == '#' || c.is_ascii_digit()),
        Err(_) => false,
    }
}

/// One line per command, read as a table.
#[rustfmt::skip]
fn run(key: &'static str, a: &mut Args) -> Result<Command, ParseError> {
    use Command::*;
    a.key = key;
    let command = match key {
        "help" => return Ok(help(a)),
        // Telegram deep links send `/start <payload>`; the greeting ignores it.
        "start" => return Ok(Start),
        "join" => Join,
        "leave" => Leave,
        "whoami" => Whoami,
        "link" => Link { code: a.next()?.map(|t| t.text) },
        "mydata" => MyData,
        "forgetme" => ForgetMe { confirm: a.flag(&["confirm", "confirmer", "oui", "yes"]) },
        "privacy" => Privacy { public: a.choose("visibility", PRIVACY)? },
        "reminders" => Reminders { on: a.choose("switch", SWITCH)? },
        "language" => Command::Language { language: a.choose("language", LANGUAGES)? },
        "section-new" => section_new(a)?,
        "section-link" => SectionLink { slug: a.required("slug")?.text },
        "section-unlink" => SectionUnlink,
        "section" => SectionShow { slug: a.next()?.map(|t| t.text) },
        "sections" => Sections,
        "settings" => Settings { change: settings(a)? },
        "role" => SetRole { member: a.member()?, role: a.choose("role", ROLES)? },
        "verify" => Verify { member: a.member()? },
        "unverify" => Unverify { member: a.member()? },
        "members" => Members { slug: a.next()?.map(|t| t.text) },
        "initiative-new" => initiative_new(a)?,
        "initiatives" => Initiatives {
            filter: a.maybe_choose("filter", FILTERS)?.unwrap_or(InitiativeFilter::Active),
        },
        "initiative" => InitiativeShow { id: InitiativeId(a.id("id")?) },
        "support" => Support { id: InitiativeId(a.id("id")?) },
        "unsupport" => Unsupport { id: InitiativeId(a.id("id")?) },
        "initiative-approve" => InitiativeApprove { id: InitiativeId(a.id("id")?) },
        "initiative-reject" => InitiativeReject { id: InitiativeId(a.id("id")?), reason: a.text() },
        "initiative-close" => InitiativeClose { id: InitiativeId(a.id("id")?) },
        "event-new" => EventNew(event_new(a)?),
        "events" => Events {
            range: a.maybe_choose("range", RANGES)?.unwrap_or(EventRange::Upcoming),
        },
        "event" => EventShow { id: EventId(a.id("id")?) },
        "event-edit" => event_edit(a)?,
        "event-cancel" => {
            let id = EventId(a.id("id")?);
            match a.text() {
                // `event cancel 12 series` ends the series, as `event stop 12`.
                Some(r) if matches!(fold(&r).as_str(), "series" | "serie") => EventStop { id },
                reason => EventCancel { id, reason },
            }
        }
        "event-stop" => EventStop { id: EventId(a.id("id")?) },
        "rsvp" => rsvp(a)?,
        "attendees" => Attendees { id: EventId(a.id("id")?) },
        "nudge" => Nudge { id: EventId(a.id("id")?) },
        "event-approve" => EventApprove { id: EventId(a.id("id")?) },
        "event-reject" => EventReject { id: EventId(a.id("id")?), reason: a.text() },
        "checkin" => {
            let id = EventId(a.id("id")?);
            let mut members = vec![a.member()?];
            while a.peek().is_some() {
                members.push(a.member()?);
            }
            Checkin { id, members }
        }
        "calendar" => Calendar { me: a.flag(&["me", "moi", "mine", "perso"]) },
        "confirm" => Confirm { id: EventId(a.id("id")?) },
        "announce" => Announce(announce(a)?),
        "announcements" => Announcements,
        "announce-cancel" => AnnounceCancel { id: a.id("id")? },
        "announce-send" => AnnounceSend { id: a.id("id")? },
        "schedule" => ScheduleDigest { cron: cron(a)? },
        "schedules" => Schedules,
        "unschedule" => Unschedule { id: ScheduleId(a.id("id")?) },
        "pending" => Pending,
        "stats" => Stats { slug: a.next()?.map(|t| t.text) },
        // Only keys from the word tables reach here.
        _ => return Err(ParseError::UnknownCommand { word: key.to_string(), suggestions: Vec::new() }),
    };
    a.finish()?;
    Ok(command)
}

/// The words joined and lowercased; the engine resolves the topic. Lenient about quotes,
/// since asking for help should never fail.
fn help(a: &mut Args) -> Command {
    let raw = a.lex.rest();
    let topic = match a.joined() {
        Ok(words) => words.unwrap_or_default(),
        Err(_) => raw.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    let topic = topic.to_lowercase();
    Command::Help {
        topic: (!topic.is_empty()).then_some(topic),
    }
}

/// `section new <slug> "<name>" [in <parent>]`; an unquoted name runs up to `in`/`dans`.
fn section_new(a: &mut Args) -> Result<Command, ParseError> {
    const IN: &[&str] = &["in", "dans", "sous", "under"];
    let slug = a.required("slug")?.text;
    let first = a.required("name")?;
    if !first.quoted && IN.contains(&fold(&first.text).as_str()) {
        return Err(a.missing("name"));
    }
    let mut name = first.text;
    if !first.quoted {
        while let Some(next) = a.peek()
            && !a.keyword(IN)
        {
            // `section new bad slug "Name"`: a quoted name after loose
            // words means the words were meant otherwise; never guess.
            if next.quoted {
                return Err(a.unexpected_from(next.start));
            }
            if let Some(t) = a.next()? {
                name.push(' ');
                name.push_str(&t.text);
            }
        }
    }
    if name.is_empty() {
        return Err(a.missing("name"));
    }
    let parent = if a.flag(IN) {
        Some(a.required("parent")?.text)
    } else {
        None
    };
    Ok(Command::SectionNew { slug, name, parent })
}

fn settings(a: &mut Args) -> Result<Option<SettingChange>, ParseError> {
    let Some(key) = a.next()? else {
        return Ok(None);
    };
    let change = match fold(&key.text).as_str() {
        "timezone" | "tz" | "fuseau" | "fuseauhoraire" => {
            let t = a.required("timezone")?;
            let tz = timezone(&t.text).ok_or_else(|| a.invalid("timezone", &t.text))?;
            let keep_instants = match a.next()? {
                None => false,
                Some(w)
                    if matches!(
                        fold(&w.text).as_str(),
                        "instants" | "instant" | "instants-fixes"
                    ) =>
                {
                    true
                }
                Some(w) => return Err(a.unexpected(&w.text)),
            };
            SettingChange::Timezone { tz, keep_instants }
        }
        "language" | "langue" => SettingChange::Language(a.choose("language", LANGUAGES)?),
        "verification" => SettingChange::Verification(a.choose("verification", POLICIES)?),
        "approval" | "approbation" | "validation" => {
            SettingChange::Approval(a.choose("approval", POLICIES)?)
        }
        "reminders" | "reminder" | "rappels" | "rappel" => {
            // Joined, so "24h, 1h" typed with a space reads too.
            let value = a.joined()?.ok_or(a.missing("reminders"))?;
            let offsets = parse_offsets(&value).map_err(|_| a.invalid("reminders", &value))?;
            SettingChange::Reminders(offsets)
        }
        "confirm" | "confirmation" => {
            let value = a.joined()?.ok_or(a.missing("confirm"))?;
            if NONE_WORDS.contains(&fold(&value).as_str()) {
                SettingChange::Confirm(None)
            } else {
                let d = parse_duration(&value).map_err(|_| a.invalid("confirm", &value))?;
                SettingChange::Confirm(Some(d))
            }
        }
        "waitlist" | "attente" | "listeattente" => {
            SettingChange::Waitlist(a.choose("waitlist", WAITLIST)?)
        }
        _ => return Err(a.invalid("setting", &key.text)),
    };
    Ok(Some(change))
}

/// chrono-tz wants `Europe/Paris` exactly; people type `europe/paris`.
fn timezone(name: &str) -> Option<chrono_tz::Tz> {
    name.parse().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|tz| tz.name().eq_ignore_ascii_case(name))
    })
}

/// `initiative new "<title>" [description…]`. Unquoted, the whole line is the title: nothing
/// follows a title that could tell where it ends, and a title is what people type first.
fn initiative_new(a: &mut Args) -> Result<Command, ParseError> {
    let first = a.lex.peek().map_err(|_| a.unclosed())?;
    let (title, description) = match first {
        Some(t) if t.quoted => {
            a.next()?;
            (t.text, a.text().unwrap_or_default())
        }
        _ => (a.text().unwrap_or_default(), String::new()),
    };
    if title.is_empty() {
        return Err(a.missing("title"));
    }
    Ok(Command::InitiativeNew { title, description })
}

/// `event edit <id> <field> <value…>`: the value is the rest of the words, joined.
fn event_edit(a: &mut Args) -> Result<Command, ParseError> {
    let id = EventId(a.id("id")?);
    let field = a.required("field")?;
    let argument = match fold(&field.text).as_str() {
        "title" | "titre" | "name" | "nom" => "title",
        "when" | "date" | "quand" | "time" | "heure" => "when",
        "place" | "lieu" | "where" | "adresse" => "place",
        "cap" | "capacity" | "capacite" | "places" | "max" => "capacity",
        "for" | "duration" | "duree" | "pour" => "duration",
        _ => return Err(a.invalid("field", &field.text)),
    };
    let value = a.joined()?.ok_or(a.missing(argument))?;
    let edit = match argument {
        "title" => EventEdit::Title(value),
        "when" => EventEdit::When(value),
        "place" => EventEdit::Place(value),
        "capacity" if NONE_WORDS.contains(&fold(&value).as_str()) => EventEdit::Capacity(None),
        "capacity" => {
            let cap = positive_u32(&value).ok_or_else(|| a.invalid(argument, &value))?;
            EventEdit::Capacity(Some(cap))
        }
        _ => {
            let d = parse_duration(&value).map_err(|_| a.invalid(argument, &value))?;
            EventEdit::Duration(d)
        }
    };
    Ok(Command::EventEdit { id, edit })
}

/// Guests are capped so a typo cannot fill an event.
const MAX_GUESTS: u32 = 20;

/// `rsvp <id> yes|maybe|no [+<n>]`; `peut être` may come as two words.
fn rsvp(a: &mut Args) -> Result<Command, ParseError> {
    let id = EventId(a.id("id")?);
    let t = a.required("answer")?;
    let mut folded = fold(&t.text);
    if folded == "peut" && a.flag(&["etre"]) {
        folded = "peutetre".to_string();
    }
    let answer = ANSWERS
        .iter()
        .find(|(word, _)| *word == folded)
        .map(|&(_, answer)| answer)
        .ok_or_else(|| a.invalid("answer", &t.text))?;
    // Typed without `+<n>`: the member alone, as typed.
    let guests = match a.next()? {
        None => Some(0),
        Some(g) => {
            let digits = g.text.strip_prefix('+').unwrap_or(&g.text);
            Some(
                number(digits)
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n <= MAX_GUESTS)
                    .ok_or_else(|| a.invalid("guests", &g.text))?,
            )
        }
    };
    Ok(Command::Rsvp { id, answer, guests })
}

/// `schedule digest "<cron>"`: five fields, quoted or not; the engine checks their values.
fn cron(a: &mut Args) -> Result<String, ParseError> {
    let cron = a.joined()?.ok_or(a.missing("cron"))?;
    let fields: Vec<&str> = cron.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(a.invalid("cron", &cron));
    }
    Ok(fields.join(" "))
}
