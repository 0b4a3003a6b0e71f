//! Turns a chat line into a [`Command`]: the command language of COMMANDS.md, in English and French.
//!
//! Parsing has no side effects and never panics; the engine acts on the result. A line not
//! addressed to the bot gives `None`, so the bot stays quiet in ordinary conversation.
//!
//! The `argument` of [`ParseError::Missing`] and [`ParseError::Invalid`] is one of: `id`,
//! `member`, `role`, `slug`, `name`, `parent`, `title`, `when`, `place`, `duration`,
//! `capacity`, `initiative`, `recurrence`, `field`, `answer`, `guests`, `text`, `cron`,
//! `visibility`, `language`, `filter`, `range`, `setting`, `timezone`, `verification`,
//! `approval`, `reminders`, `confirm`, `waitlist`.

mod args;
mod clauses;
mod grammar;
mod lexer;
#[cfg(test)]
#[rustfmt::skip] // The tests are tables, one case a line.
mod tests;
mod words;

use crate::command::{Command, ParseError};

/// Telegram's own limit is 4096; anything longer is pasted text, not a command.
const MAX_CHARS: usize = 4000;

/// Suggestions below this similarity are noise ("important" is not "support").
const SUGGEST_THRESHOLD: f64 = 0.8;

/// `None` when the line is not addressed to the bot (no `/` or `!` prefix, or a Telegram `/cmd@OtherBot`).
/// `bot_names`: the bot's usernames for `/cmd@BotName` (compared case-insensitively, leading @ ignored).
pub fn parse(line: &str, bot_names: &[&str]) -> Option<Result<Command, ParseError>> {
    let body = line.trim_start().strip_prefix(['/', '!'])?;
    let (word, rest) = split_word(body);
    let word = addressed(word, bot_names)?;
    // Commands start with a letter; "!!!", "/10" or "/ " are chat, not commands.
    if !word.starts_with(char::is_alphabetic) {
        return None;
    }
    // Counting stops at the limit, so a huge paste costs no more than a long command.
    if line.chars().nth(MAX_CHARS).is_some() {
        return Some(Err(ParseError::TooLong));
    }
    if fold(word) == "muster" {
        // Matrix rooms host several bots, hence `!muster <command>`; alone it asks for help.
        let (word, rest) = split_word(rest.trim_start());
        if word.is_empty() {
            return Some(Ok(Command::Help { topic: None }));
        }
        return Some(grammar::command(word.trim_start_matches(['/', '!']), rest));
    }
    Some(grammar::command(word, rest))
}

/// Split arguments: words, with "double quotes" and typographic quotes (“ ” « » „ ‟) grouping
/// words; ‘ ’ and ' are apostrophes, never quotes. Err on an unclosed quote.
pub fn tokenize(s: &str) -> Result<Vec<String>, ParseError> {
    lexer::tokens(s)
        .map(|tokens| tokens.into_iter().map(|t| t.text).collect())
        .map_err(|_| ParseError::UnclosedQuote { command: None })
}

/// Closest command names to `word`, at most 3, best first, among English and French names.
/// A group word and a sub-command (`event nwe`) is matched against that group's sub-commands.
pub fn suggest(word: &str) -> Vec<String> {
    let typed: Vec<String> = word.split_whitespace().map(fold).collect();
    if let [group, sub] = typed.as_slice()
        && let Some(group) = words::group_of(group)
    {
        return suggest_sub(group, sub);
    }
    let count = typed.len().max(1);
    let typed = typed.join(" ");
    let mut candidates: Vec<(&'static str, String)> = Vec::new();
    for name in NAMES.iter().flat_map(|&(_, en, fr)| [en, fr]) {
        if name.split(' ').count() == count {
            candidates.push((name, fold_phrase(name)));
        }
        // A group word alone ("schedule") is worth suggesting: its help lists the rest.
        if let Some((first, _)) = name.split_once(' ')
            && count == 1
        {
            candidates.push((first, fold(first)));
        }
    }
    rank(&typed, candidates)
}

/// The time zone someone probably meant by `typed` (`paris`, `europe/pariss`,
/// `new york`): a zone whose city part is the word, else the closest name.
pub fn timezone_suggestion(typed: &str) -> Option<String> {
    let wanted = typed.trim().to_lowercase().replace(' ', "_");
    if wanted.is_empty() {
        return None;
    }
    let zones = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    let city = |name: &str| name.rsplit('/').next().unwrap_or(name).to_lowercase();
    if let Some(zone) = zones.clone().find(|name| city(name) == wanted) {
        return Some(zone.to_string());
    }
    zones
        .map(|name| (strsim::jaro_winkler(&wanted, &name.to_lowercase()), name))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.to_string())
}

/// The localized command names shown in help: (English name, French alias) per key of
/// `COMMAND_KEYS`, e.g. "event-new" -> ("event new", "evenement nouveau").
pub fn command_names(key: &str) -> Option<(&'static str, &'static str)> {
    NAMES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, en, fr)| (en, fr))
}

/// (key, English name, French name). French names are written without accents, as in
/// COMMANDS.md; the parser accepts both spellings and more synonyms (see `words`).
const NAMES: &[(&str, &str, &str)] = &[
    ("help", "help", "aide"),
    ("start", "start", "start"),
    ("join", "join", "rejoindre"),
    ("leave", "leave", "quitter"),
    ("whoami", "whoami", "moi"),
    ("link", "link", "lier"),
    ("mydata", "mydata", "mesdonnees"),
    ("forgetme", "forgetme", "oubliemoi"),
    ("privacy", "privacy", "confidentialite"),
    ("language", "language", "langue"),
    ("reminders", "reminders", "rappels"),
    ("section-new", "section new", "section nouvelle"),
    ("section-link", "section link", "section lier"),
    ("section-unlink", "section unlink", "section delier"),
    ("section", "section", "section"),
    ("sections", "sections", "sections"),
    ("settings", "settings", "reglages"),
    ("role", "role", "role"),
    ("verify", "verify", "verifier"),
    ("unverify", "unverify", "deverifier"),
    ("members", "members", "membres"),
    ("initiative-new", "initiative new", "initiative nouvelle"),
    ("initiatives", "initiatives", "initiatives"),
    ("initiative", "initiative", "initiative"),
    ("support", "support", "soutenir"),
    ("unsupport", "unsupport", "retirer"),
    (
        "initiative-approve",
        "initiative approve",
        "initiative approuver",
    ),
    (
        "initiative-reject",
        "initiative reject",
        "initiative rejeter",
    ),
    ("initiative-close", "initiative close", "initiative fermer"),
    ("event-new", "event new", "evenement nouveau"),
    ("events", "events", "evenements"),
    ("event", "event", "evenement"),
    ("event-edit", "event edit", "evenement modifier"),
    ("event-cancel", "event cancel", "evenement annuler"),
    ("event-stop", "event stop", "evenement arreter"),
    ("rsvp", "rsvp", "rsvp"),
    ("attendees", "attendees", "participants"),
    ("nudge", "nudge", "relancer"),
    ("event-approve", "event approve", "evenement approuver"),
    ("event-reject", "event reject", "evenement rejeter"),
    ("checkin", "checkin", "pointer"),
    ("calendar", "calendar", "calendrier"),
    ("confirm", "confirm", "confirmer"),
    ("announce", "announce", "annoncer"),
    ("announcements", "announcements", "annonces"),
    ("announce-cancel", "announce cancel", "annonce annuler"),
    ("announce-send", "announce send", "annonce envoyer"),
    ("schedule", "schedule digest", "programmer resume"),
    ("schedules", "schedules", "programmes"),
    ("unschedule", "unschedule", "deprogrammer"),
    ("stats", "stats", "stats"),
    ("pending", "pending", "enattente"),
];

/// Compares the typed sub-command with the group's sub-command words only: the shared group
/// word would otherwise make every `event …` look alike.
fn suggest_sub(group: words::Group, sub: &str) -> Vec<String> {
    let candidates = words::sub_keys(group)
        .filter_map(command_names)
        .flat_map(|(en, fr)| [en, fr])
        .map(|name| (name, fold(name.split(' ').nth(1).unwrap_or(name))))
        .collect();
    rank(sub, candidates)
}

/// `candidates` are (shown name, folded form); the result is deduplicated, best first.
fn rank(typed: &str, candidates: Vec<(&'static str, String)>) -> Vec<String> {
    // One edit away is close whatever the score: "nwe" is clearly "new" but scores low, being short.
    let close = |folded: &str| {
        typed.chars().count() >= 3 && strsim::damerau_levenshtein(typed, folded) == 1
    };
    let mut scored: Vec<(f64, &'static str)> = candidates
        .into_iter()
        .map(|(name, folded)| (similarity(typed, &folded), name, close(&folded)))
        .filter(|&(score, _, close)| close || score >= SUGGEST_THRESHOLD)
        .map(|(score, name, _)| (score, name))
        .collect();
    // Stable: ties keep the table's order, English before French.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = Vec::new();
    for (_, name) in scored {
        if out.len() == 3 {
            break;
        }
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// Jaro-Winkler favours shared prefixes (typos at the end), Damerau-Levenshtein swapped letters
/// anywhere (`hlep`); the better of the two judges.
fn similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b).max(strsim::normalized_damerau_levenshtein(a, b))
}

/// Lowercase, without accents, hyphens or underscores: members type `événement`, `evenement`,
/// `peut-être` and `peutetre` alike, and Telegram menus only allow `event_new`.
fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'î' | 'ï' | 'í' => Some('i'),
            'ô' | 'ö' | 'ó' => Some('o'),
            'ù' | 'û' | 'ü' | 'ú' => Some('u'),
            'ç' => Some('c'),
            'ÿ' => Some('y'),
            // Combining accents, from phones that send decomposed text.
            '-' | '_' | '\u{300}'..='\u{36f}' => None,
            c => Some(c),
        })
        .collect()
}

fn fold_phrase(s: &str) -> String {
    s.split_whitespace().map(fold).collect::<Vec<_>>().join(" ")
}

fn split_word(s: &str) -> (&str, &str) {
    s.split_at(s.find(char::is_whitespace).unwrap_or(s.len()))
}

/// Strips Telegram's `@BotName` when it names this bot; another bot's command is not ours.
fn addressed<'a>(word: &'a str, bot_names: &[&str]) -> Option<&'a str> {
    let Some((command, bot)) = word.split_once('@') else {
        return Some(word);
    };
    let bot = bot.to_lowercase();
    let ours = bot.is_empty()
        || bot_names
            .iter()
            .any(|name| name.trim_start_matches('@').to_lowercase() == bot);
    ours.then_some(command)
}
