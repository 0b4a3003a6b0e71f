//! `help` and `help <command>`, in the reader's language.

use super::{Ctx, Outcome, fail};
use crate::command::COMMAND_KEYS;
use crate::parse::command_names;

/// Groups shown by `help`, in order, each a heading id and its commands.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "help-group-general",
        &[
            "help",
            "whoami",
            "link",
            "mydata",
            "forgetme",
            "privacy",
            "language",
            "reminders",
        ],
    ),
    (
        "help-group-sections",
        &[
            "join",
            "leave",
            "sections",
            "section",
            "section-new",
            "section-link",
            "section-unlink",
            "settings",
            "role",
            "verify",
            "unverify",
            "members",
        ],
    ),
    (
        "help-group-initiatives",
        &[
            "initiatives",
            "initiative",
            "initiative-new",
            "support",
            "unsupport",
            "initiative-approve",
            "initiative-reject",
            "initiative-close",
        ],
    ),
    (
        "help-group-events",
        &[
            "events",
            "event",
            "event-new",
            "rsvp",
            "attendees",
            "confirm",
            "event-edit",
            "event-cancel",
            "event-stop",
            "event-approve",
            "pending",
            "event-reject",
            "checkin",
            "nudge",
            "calendar",
        ],
    ),
    (
        "help-group-announcements",
        &[
            "announce",
            "announcements",
            "announce-cancel",
            "announce-send",
            "schedule",
            "schedules",
            "unschedule",
            "stats",
        ],
    ),
];

pub(super) fn help(ctx: &mut Ctx<'_>, topic: Option<&str>) -> Outcome {
    let Some(topic) = topic else {
        let mut text = vec![ctx.t("help-intro", crate::args!())];
        for (heading, keys) in GROUPS {
            text.push(String::new());
            text.push(ctx.t(heading, crate::args!()));
            for key in *keys {
                text.push(format!(
                    "  {}",
                    ctx.t(&format!("usage-{key}"), crate::args!())
                ));
            }
        }
        text.push(String::new());
        text.push(ctx.t("help-outro", crate::args!()));
        return Ok(vec![ctx.reply(text.join("\n"))]);
    };
    let Some(key) = resolve_topic(topic) else {
        let suggestions = crate::parse::suggest(topic.trim_start_matches(['/', '!']));
        if suggestions.is_empty() {
            fail!("error-help-topic", "topic" => topic);
        }
        let help = match ctx.lang {
            crate::domain::Language::En => "help",
            crate::domain::Language::Fr => "aide",
        };
        let shown: Vec<String> = suggestions
            .iter()
            .map(|s| format!("`/{help} {s}`"))
            .collect();
        fail!("error-help-topic-suggest", "topic" => topic, "suggestions" => shown.join(", "));
    };
    let (en, fr) = command_names(key).unwrap_or((key, key));
    let text = [
        ctx.t(&format!("usage-{key}"), crate::args!()),
        ctx.t(&format!("help-{key}"), crate::args!()),
        ctx.t("help-names", crate::args!("en" => en, "fr" => fr)),
    ]
    .join("\n");
    Ok(vec![ctx.reply(text)])
}

/// `help event new`, `help evenement nouveau`, `help /rsvp`, `help event-new`.
fn resolve_topic(topic: &str) -> Option<&'static str> {
    let wanted = normalise(topic.trim_start_matches(['/', '!']));
    COMMAND_KEYS.iter().copied().find(|key| {
        let (en, fr) = command_names(key).unwrap_or((key, key));
        normalise(key) == wanted || normalise(en) == wanted || normalise(fr) == wanted
    })
}

fn normalise(s: &str) -> String {
    s.to_lowercase()
        .replace('-', " ")
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'ô' => 'o',
            'î' | 'ï' => 'i',
            'û' | 'ù' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One-word commands a platform's command menu lists (Telegram's
/// `setMyCommands`): for private conversations, and for groups.
const MENU_PRIVATE: &[&str] = &[
    "help",
    "start",
    "whoami",
    "events",
    "event",
    "rsvp",
    "confirm",
    "calendar",
    "link",
    "mydata",
    "language",
    "reminders",
    "privacy",
    "forgetme",
];
const MENU_GROUP: &[&str] = &[
    "help",
    "join",
    "leave",
    "events",
    "event",
    "rsvp",
    "attendees",
    "initiatives",
    "initiative",
    "support",
    "sections",
    "section",
    "settings",
    "announce",
    "stats",
];

/// A command menu in `lang`: each command's name in that language and its
/// help as a one-line description of at most `max_description` characters.
pub fn command_menu(
    i18n: &crate::i18n::Localizer,
    lang: crate::domain::Language,
    private: bool,
    max_description: usize,
) -> Vec<(String, String)> {
    let keys = if private { MENU_PRIVATE } else { MENU_GROUP };
    keys.iter()
        .map(|key| {
            let (en, fr) = command_names(key).unwrap_or((key, key));
            let name = match lang {
                crate::domain::Language::En => en,
                crate::domain::Language::Fr => fr,
            };
            let help = i18n.text(lang, &format!("help-{key}"), None);
            // The first sentence, cut to the platform's limit.
            let first = help.split_inclusive(". ").next().unwrap_or(&help).trim();
            let mut description: String = first.chars().take(max_description).collect();
            if description.chars().count() < first.chars().count() {
                description.pop();
                description.push('…');
            }
            (name.to_string(), description)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    #[test]
    fn menus_name_commands_in_each_language_within_limits() {
        let i18n = crate::i18n::Localizer::new();
        for lang in [Language::En, Language::Fr] {
            for private in [true, false] {
                let menu = command_menu(&i18n, lang, private, 256);
                assert!(menu.len() >= 10);
                for (name, description) in &menu {
                    // Telegram: 1–32 of a–z, 0–9 and _.
                    assert!(
                        (1..=32).contains(&name.len())
                            && name
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                        "{name}"
                    );
                    assert!(
                        (1..=256).contains(&description.chars().count()),
                        "{description}"
                    );
                }
            }
        }
        let fr = command_menu(&i18n, Language::Fr, false, 256);
        assert!(fr.iter().any(|(n, _)| n == "rejoindre"));
    }
}
