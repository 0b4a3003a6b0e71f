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
            "event-approve",
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
        fail!("error-help-topic", "topic" => topic);
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
