//! The two commands whose options come as keyword clauses around free words: `event new`
//! (the when text) and `announce` (the message).

use super::args::{Args, positive_u32};
use super::fold;
use super::lexer::{Lexer, Token};
use crate::command::{AnnounceDraft, EventDraft, ParseError};
use crate::domain::{InitiativeId, Recurrence};
use crate::when::{WhenError, parse_duration, parse_when};
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy)]
enum Clause {
    Place,
    Duration,
    Capacity,
    Initiative,
    Every,
    Recurs(Recurrence),
}

/// Keywords of `event new` after the title.
///
/// `at`/`à`/`a`/`au`/`chez` start the place only when the next word was quoted, because `à` also
/// sits inside French times (`demain à 19h at "Bar"`: the first `à` is followed by `19h`, so it
/// stays in the when text). `place` needs the quotes too, since `place de la République` is a
/// French address; `lieu`/`where` always start the place. `tous`/`toutes` recur only before `les`.
fn clause(tok: &Token, next: Option<&Token>) -> Option<Clause> {
    if tok.quoted {
        return None;
    }
    let next_quoted = next.is_some_and(|n| n.quoted);
    let next_les = next.is_some_and(|n| !n.quoted && fold(&n.text) == "les");
    Some(match fold(&tok.text).as_str() {
        "at" | "a" | "au" | "chez" | "place" if next_quoted => Clause::Place,
        "lieu" | "where" => Clause::Place,
        "for" | "pour" | "pendant" | "duree" | "duration" => Clause::Duration,
        "cap" | "capacity" | "capacite" | "places" | "max" => Clause::Capacity,
        "initiative" => Clause::Initiative,
        "every" | "chaque" => Clause::Every,
        "tous" | "toutes" if next_les => Clause::Every,
        "weekly" | "hebdomadaire" | "hebdo" => Clause::Recurs(Recurrence::Weekly),
        "monthly" | "mensuel" | "mensuelle" => Clause::Recurs(Recurrence::Monthly),
        _ => return None,
    })
}

/// `event new "<title>" <when> [at "<place>"] [for <duration>] [cap <n>] [initiative <id>]
/// [every week|every month]`.
///
/// An unquoted title is one word. The when text is the one run of plain words outside the
/// clauses (normally right after the title), kept raw for the engine; a plain word after the
/// clauses that end that run is unexpected, as is a clause given twice.
pub(super) fn event_new(a: &mut Args) -> Result<EventDraft, ParseError> {
    let first = a.required("title")?;
    // `event new tomorrow 10:00`: the title was forgotten, not "tomorrow".
    if first.text.is_empty() || (!first.quoted && time_like(&fold(&first.text))) {
        return Err(a.missing("title"));
    }
    let title = first.text;
    let mut d = EventDraft {
        title,
        when: String::new(),
        place: None,
        duration: None,
        capacity: None,
        initiative: None,
        recurrence: None,
    };
    let mut when: Vec<String> = Vec::new();
    let mut when_done = false;
    while let Some(tok) = a.next()? {
        let Some(clause) = clause(&tok, a.peek().as_ref()) else {
            if when_done {
                return Err(a.unexpected_from(tok.start));
            }
            when.push(tok.text);
            continue;
        };
        when_done = !when.is_empty();
        let repeated = match clause {
            Clause::Place => d.place.replace(place(a)?).is_some(),
            Clause::Duration => d.duration.replace(duration(a)?).is_some(),
            Clause::Capacity => {
                let t = a.required("capacity")?;
                let cap = positive_u32(&t.text).ok_or_else(|| a.invalid("capacity", &t.text))?;
                d.capacity.replace(cap).is_some()
            }
            Clause::Initiative => {
                let id = InitiativeId(a.id("initiative")?);
                d.initiative.replace(id).is_some()
            }
            Clause::Every => d.recurrence.replace(recurrence(a)?).is_some(),
            Clause::Recurs(r) => d.recurrence.replace(r).is_some(),
        };
        if repeated {
            return Err(a.unexpected_from(tok.start));
        }
    }
    if when.is_empty() {
        return Err(a.missing("when"));
    }
    split_place(a, &mut when, &mut d)?;
    d.when = when.join(" ");
    Ok(d)
}

/// The when is the longest leading part of its words that reads as a time;
/// a place may follow it without quotes (`friday 10:00 at Bar du coin`).
/// Other words after it are pointed at, rather than read as part of a time
/// that then fails as a whole.
fn split_place(a: &Args, when: &mut Vec<String>, d: &mut EventDraft) -> Result<(), ParseError> {
    let reads = |n: usize| {
        !matches!(
            parse_when(&when[..n].join(" "), SHAPE_NOW, chrono_tz::UTC),
            Err(WhenError::Unrecognised)
        )
    };
    let Some(n) = (1..=when.len()).rev().find(|&n| reads(n)) else {
        return Ok(()); // no part reads: the engine says why, about the whole
    };
    if n == when.len() {
        return Ok(());
    }
    let rest = &when[n..];
    let opens_place = matches!(
        fold(&rest[0]).as_str(),
        "at" | "a" | "au" | "chez" | "lieu" | "where" | "place"
    );
    if opens_place && rest.len() > 1 && d.place.is_none() {
        // `place de la République` is an address: the word stays in it.
        let from = usize::from(fold(&rest[0]) != "place");
        d.place = Some(rest[from..].join(" "));
        when.truncate(n);
        return Ok(());
    }
    Err(a.unexpected(&rest.join(" ")))
}

/// A quoted word, or after `lieu` the plain words up to the next clause.
fn place(a: &mut Args) -> Result<String, ParseError> {
    let first = a.required("place")?;
    let mut place = first.text;
    if !first.quoted {
        while let Some(t) = a.peek()
            && clause(&t, a.peek_second().as_ref()).is_none()
        {
            a.next()?;
            place.push(' ');
            place.push_str(&t.text);
        }
    }
    if place.is_empty() {
        return Err(a.missing("place"));
    }
    Ok(place)
}

/// The longest run of up to three words that reads as a duration: `2h`, `2 h`, `1 h 30`.
fn duration(a: &mut Args) -> Result<Duration, ParseError> {
    let mut probe = a.lex.clone();
    let mut words: Vec<String> = Vec::new();
    let mut best = None;
    while words.len() < 3 {
        let Ok(Some(t)) = probe.next_token() else {
            break;
        };
        let next = probe.peek().ok().flatten();
        if !words.is_empty() && clause(&t, next.as_ref()).is_some() {
            break;
        }
        words.push(t.text);
        if let Ok(d) = parse_duration(&words.join(" ")) {
            best = Some((d, probe.clone()));
        }
    }
    match (best, words.first()) {
        (Some((d, after)), _) => {
            a.lex = after;
            Ok(d)
        }
        (None, Some(word)) => Err(a.invalid("duration", word)),
        (None, None) => Err(a.missing("duration")),
    }
}

/// `every week`, `chaque mois`, `toutes les semaines`.
fn recurrence(a: &mut Args) -> Result<Recurrence, ParseError> {
    let mut t = a.required("recurrence")?;
    if fold(&t.text) == "les" {
        t = a.required("recurrence")?;
    }
    match fold(&t.text).as_str() {
        "week" | "weeks" | "semaine" | "semaines" => Ok(Recurrence::Weekly),
        "month" | "months" | "mois" => Ok(Recurrence::Monthly),
        _ => Err(a.invalid("recurrence", &t.text)),
    }
}

/// Any `now` tells whether words read as a time: only their shape matters here.
const SHAPE_NOW: DateTime<Utc> = DateTime::UNIX_EPOCH;

/// A `<when>` is at most this many words; the cap bounds the prefixes tried.
const MAX_WHEN_WORDS: usize = 8;

/// `announce [at <when>] [to <slug>] [all] <text…>`.
///
/// The clauses come first, in any order, each once; the text is the rest of the line as typed.
/// - `at`/`à`/`a`/`le` start the time only when the next word looks like one (a digit first,
///   or a day word such as `demain`, `friday`): "Le local est fermé" is plain text.
/// - The when text runs until `to`/`vers`/`pour`/`all`/`tous`/`toutes` or a quoted word, and
///   within that run it is the longest leading part that reads as a date and time (asked of
///   `when::parse_when`), so `at friday 18:00 Meeting at the bar` has the text "Meeting at
///   the bar". A run no part of which reads as a time is an invalid when: it is safer to
///   refuse than to send a message meant for later at once.
/// - `to`/`vers`/`pour` take the next word as a slug if it looks like one (letters, digits,
///   hyphens): "To everyone: …" is text.
/// - `all`/`tous`/`toutes` are the flag unless an article follows ("Tous les membres…").
pub(super) fn announce(a: &mut Args) -> Result<AnnounceDraft, ParseError> {
    let mut d = AnnounceDraft {
        at: None,
        to: None,
        all: false,
        text: String::new(),
    };
    while let Some(tok) = a.peek()
        && !tok.quoted
    {
        let next = a.peek_second().filter(|n| !n.quoted);
        let next_word = next.as_ref().map(|n| fold(&n.text));
        let next_is = |f: fn(&str) -> bool| next_word.as_deref().is_some_and(f);
        match fold(&tok.text).as_str() {
            "at" | "a" | "le"
                if d.at.is_none() && (next_is(time_like) || meant_as_time(&tok, a)) =>
            {
                a.next()?;
                d.at = Some(announce_when(a)?);
            }
            "to" | "vers" | "pour" if d.to.is_none() && next.as_ref().is_some_and(slug_like) => {
                a.next()?;
                d.to = a.next()?.map(|t| t.text);
            }
            "all" | "tous" | "toutes" if !d.all && !next_is(|w| ARTICLES.contains(&w)) => {
                a.next()?;
                d.all = true;
            }
            _ => break,
        }
    }
    d.text = a.text().ok_or(a.missing("text"))?;
    Ok(d)
}

const ARTICLES: &[&str] = &["les", "des", "the", "of"];

/// Whether `at`/`à`/`le` opens a time the member meant, though its first
/// word is not one the parser knows (`at tomorow 09:00`): such a line must
/// be scheduled or refused, never broadcast at once with the time in it.
/// English `at` always opens a time (text starting with "at" is quoted);
/// `à` and `le` do when a number follows within three words (`à demian
/// 19h`), since "À mon avis…" and "Le local…" are ordinary sentences.
fn meant_as_time(keyword: &Token, a: &Args) -> bool {
    let mut probe = a.lex.clone();
    let _ = probe.next_token(); // the keyword itself
    let mut next = Vec::new();
    while next.len() < 3 {
        match probe.next_token() {
            Ok(Some(t)) if !t.quoted => next.push(t.text),
            _ => break,
        }
    }
    if next.is_empty() {
        return false;
    }
    keyword.text.eq_ignore_ascii_case("at")
        || next
            .iter()
            .any(|w| w.starts_with(|c: char| c.is_ascii_digit()))
}

/// Folded words that can start a `<when>` (see `when.rs`); abbreviations such as `mon` are left
/// out since they are also ordinary words ("à mon avis").
#[rustfmt::skip]
fn time_like(word: &str) -> bool {
    const DAY_WORDS: &[&str] = &[
        "today", "tomorrow", "aujourdhui", "aujourd'hui", "aujourd’hui", "demain", "apresdemain",
        "apres", "next", "prochain", "prochaine", "in", "dans", "noon", "midi",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    word.starts_with(|c: char| c.is_ascii_digit()) || DAY_WORDS.contains(&word)
}

fn slug_like(token: &Token) -> bool {
    let word = token.text.as_str();
    !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !matches!(fold(word).as_str(), "all" | "tous" | "toutes")
}

fn announce_when(a: &mut Args) -> Result<String, ParseError> {
    const ENDS: &[&str] = &["to", "vers", "pour", "all", "tous", "toutes"];
    let mut probe = a.lex.clone();
    let mut words: Vec<String> = Vec::new();
    let mut after: Vec<Lexer> = Vec::new();
    while words.len() < MAX_WHEN_WORDS {
        match probe.next_token() {
            Ok(Some(t)) if !t.quoted && !ENDS.contains(&fold(&t.text).as_str()) => {
                words.push(t.text);
                after.push(probe.clone());
            }
            _ => break,
        }
    }
    let reads_as_time = |text: &str| {
        let shape = parse_when(text, SHAPE_NOW, chrono_tz::UTC);
        !matches!(shape, Err(WhenError::Unrecognised))
    };
    let best = (1..=words.len())
        .rev()
        .find(|&n| reads_as_time(&words[..n].join(" ")));
    match (best, words.is_empty()) {
        (_, true) => Err(a.missing("when")),
        (Some(n), _) => {
            // Two readings of where the time ends, at two different times
            // (`at 9 10 volunteers`): the member says which with quotes.
            let times: Vec<_> = (1..=n)
                .filter_map(|m| parse_when(&words[..m].join(" "), SHAPE_NOW, chrono_tz::UTC).ok())
                .collect();
            if times.windows(2).any(|w| w[0] != w[1]) {
                return Err(a.invalid("when-split", &words.join(" ")));
            }
            a.lex = after[n - 1].clone();
            Ok(words[..n].join(" "))
        }
        (None, _) => Err(a.invalid("when", &words.join(" "))),
    }
}
