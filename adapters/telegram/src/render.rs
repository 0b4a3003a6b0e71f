//! How a Muster message reads on Telegram: HTML parse mode with every user
//! string escaped, `code` spans for the commands the engine quotes, buttons
//! as an inline keyboard whose payload is the gesture, and messages over
//! Telegram's 4,096 characters split at line boundaries. No I/O here.

use muster_core::inbound::{Button, Outbound};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Telegram's limit on a message's text, in characters (after entities
/// are parsed; escaping only lengthens the HTML, so counting the escaped
/// text is on the safe side).
pub const MAX_CHARS: usize = 4096;

/// The message as HTML parts to send in order; the keyboard goes under the
/// last part.
pub fn html_parts(out: &Outbound) -> Vec<String> {
    split(&html(&out.text), MAX_CHARS)
}

/// The engine's plain text as Telegram HTML: `<`, `>` and `&` escaped, and
/// text between backticks shown as code (the engine quotes commands so).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_code = false;
    // A lone backtick (no closing one on its line) stays a backtick.
    for line in text.split_inclusive('\n') {
        let ticks = line.matches('`').count();
        let mut usable = ticks - ticks % 2;
        for c in line.chars() {
            match c {
                '`' if usable > 0 => {
                    usable -= 1;
                    out.push_str(if in_code { "</code>" } else { "<code>" });
                    in_code = !in_code;
                }
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
    }
    out
}

/// `text` in parts of at most `max` characters, cut after a line where
/// possible, never inside a tag or an entity, and with no `<code>` span
/// left open across a cut.
pub fn split(text: &str, max: usize) -> Vec<String> {
    if text.chars().count() <= max {
        return vec![text.to_string()];
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        let len = line.chars().count();
        if count + len > max && !current.is_empty() {
            parts.push(std::mem::take(&mut current));
            count = 0;
        }
        if len <= max {
            current.push_str(line);
            count += len;
            continue;
        }
        // One line longer than a message: cut it where no tag or entity is open.
        let mut piece = String::new();
        let mut piece_len = 0;
        let mut open = false;
        for c in line.chars() {
            if piece_len >= max - 8 && !open {
                parts.push(std::mem::take(&mut piece));
                piece_len = 0;
            }
            open = match c {
                '<' | '&' => true,
                '>' | ';' => false,
                _ => open,
            };
            piece.push(c);
            piece_len += 1;
        }
        current = piece;
        count = piece_len;
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts.into_iter().map(balance_code).collect()
}

/// Closes a `<code>` left open at the end of a part, and reopens one closed
/// at its start, so each part is valid HTML on its own.
fn balance_code(part: String) -> String {
    let opens = part.matches("<code>").count();
    let closes = part.matches("</code>").count();
    let first_open = part.find("<code>");
    let first_close = part.find("</code>");
    let mut part = part;
    if first_close.is_some() && first_close < first_open.or(Some(usize::MAX)) {
        part.insert_str(0, "<code>");
        if opens + 1 > closes {
            part.push_str("</code>");
        }
    } else if opens > closes {
        part.push_str("</code>");
    }
    part
}

/// The inline keyboard of the buttons, one row: each button's payload is
/// its gesture's text form (at most 64 bytes, Telegram's limit).
pub fn keyboard(buttons: &[Button]) -> Option<InlineKeyboardMarkup> {
    if buttons.is_empty() {
        return None;
    }
    let row = buttons
        .iter()
        .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.gesture.to_string()))
        .collect::<Vec<_>>();
    Some(InlineKeyboardMarkup::new(vec![row]))
}

/// Telegram shows at most 200 characters in a callback query's answer.
pub fn callback_text(text: &str) -> String {
    const MAX: usize = 200;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use muster_core::domain::{EventId, RsvpAnswer};
    use muster_core::gesture::Gesture;

    #[test]
    fn user_text_is_escaped_and_commands_are_code() {
        assert_eq!(
            html("Tom & Jerry <b>bold</b>: type `/rsvp 1 yes` now"),
            "Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;: type <code>/rsvp 1 yes</code> now"
        );
        assert_eq!(html("a lone ` stays"), "a lone ` stays");
        assert_eq!(html("`a`\n` b"), "<code>a</code>\n` b");
    }

    #[test]
    fn long_messages_split_at_lines_within_the_limit() {
        let line = "x".repeat(100);
        let text = vec![line.as_str(); 100].join("\n");
        let parts = split(&text, MAX_CHARS);
        assert!(parts.len() >= 3);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_CHARS));
        assert_eq!(parts.concat(), text, "nothing lost");
        assert!(parts[..parts.len() - 1].iter().all(|p| p.ends_with('\n')));
    }

    #[test]
    fn a_huge_line_is_cut_outside_entities_and_code_stays_balanced() {
        let text = format!("<code>{}</code>", "&amp;".repeat(2000));
        let parts = split(&text, MAX_CHARS);
        assert!(parts.len() >= 3);
        for part in &parts {
            assert!(part.chars().count() <= MAX_CHARS + 13);
            assert_eq!(
                part.matches("<code>").count(),
                part.matches("</code>").count(),
                "{part}"
            );
            assert!(!part.ends_with("&am"), "no entity cut");
        }
    }

    #[test]
    fn buttons_carry_their_gesture() {
        let b = Button {
            label: "✅ Going".into(),
            gesture: Gesture::Rsvp {
                event: EventId(12),
                answer: RsvpAnswer::Yes,
            },
        };
        let json = serde_json::to_value(keyboard(&[b]).unwrap()).unwrap();
        assert_eq!(
            json["inline_keyboard"][0][0]["callback_data"],
            "rsvp 12 yes"
        );
        assert_eq!(json["inline_keyboard"][0][0]["text"], "✅ Going");
        assert!(keyboard(&[]).is_none());
    }

    #[test]
    fn callback_answers_fit_in_200_characters() {
        assert_eq!(callback_text("short"), "short");
        let long = "é".repeat(300);
        assert_eq!(callback_text(&long).chars().count(), 200);
    }
}
