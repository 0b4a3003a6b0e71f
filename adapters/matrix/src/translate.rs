//! Pure translation between Matrix messages and Muster's lines and messages:
//! which texts are commands, who may invite the bot, how a message renders.
//! No I/O here, so every rule is unit-tested.

use muster_core::inbound::Outbound;

/// The command a room message carries, or `None` when it is not addressed
/// to the bot.
///
/// - `!cmd`, `/cmd` and `!muster cmd` go to the parser as written.
/// - A message starting with a mention of the bot (`@muster:example.org: help`,
///   `muster: help`, or a pill, whose plain body starts with the pill's text)
///   becomes `/help`; a bare mention asks for help.
/// - In a direct room with the bot, any text is a command.
///
/// `formatted` is the HTML `formatted_body`, read for pills;
/// `display_name` is the bot's own display name, when it has one.
pub fn command_text(
    body: &str,
    formatted: Option<&str>,
    bot_user: &str,
    display_name: Option<&str>,
    direct: bool,
) -> Option<String> {
    let text = strip_reply_fallback(body).trim();
    if text.is_empty() {
        return None;
    }
    if text.starts_with(['!', '/']) {
        return Some(text.to_string());
    }
    let localpart = bot_user
        .strip_prefix('@')
        .and_then(|rest| rest.split_once(':'))
        .map(|(local, _)| local)
        .unwrap_or(bot_user);
    // Names that must be followed by `:` or `,` (a plain word is chat).
    let mut soft: Vec<String> = vec![localpart.to_string()];
    soft.extend(display_name.map(str::to_string));
    soft.extend(formatted.and_then(|html| pill_text(html, bot_user)));
    // Names that address the bot by themselves.
    let hard = [bot_user.to_string(), format!("@{localpart}")];
    let rest = hard
        .iter()
        .find_map(|name| strip_name(text, name, false))
        .or_else(|| soft.iter().find_map(|name| strip_name(text, name, true)));
    match rest {
        Some(rest) => Some(as_command(rest)),
        None if direct => Some(as_command(text)),
        None => None,
    }
}

fn as_command(rest: &str) -> String {
    let rest = rest.trim();
    if rest.is_empty() {
        "/help".to_string()
    } else if rest.starts_with(['!', '/']) {
        rest.to_string()
    } else {
        format!("/{rest}")
    }
}

/// `text` without a leading `name` (case-insensitive) and the `:`/`,` after it.
fn strip_name<'a>(text: &'a str, name: &str, needs_separator: bool) -> Option<&'a str> {
    if name.is_empty() {
        return None;
    }
    let head = text.get(..name.len())?;
    if !head.eq_ignore_ascii_case(name) && head.to_lowercase() != name.to_lowercase() {
        return None;
    }
    let rest = &text[name.len()..];
    match rest.chars().next() {
        Some(':' | ',') => Some(&rest[1..]),
        None if !needs_separator => Some(rest),
        Some(c) if c.is_whitespace() && !needs_separator => Some(rest),
        _ => None,
    }
}

/// The text of a pill (`<a href="https://matrix.to/#/@bot:server">Text</a>`)
/// that links to the bot.
fn pill_text(html: &str, bot_user: &str) -> Option<String> {
    let encoded = bot_user.replace('@', "%40").replace(':', "%3A");
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        rest = &rest[start..];
        let tag_end = rest.find('>')?;
        let tag = &rest[..tag_end];
        let close = rest.find("</a>")?;
        let inner = &rest[tag_end + 1..close.max(tag_end + 1)];
        if tag.contains("matrix.to/#/") && (tag.contains(bot_user) || tag.contains(&encoded)) {
            return Some(unescape_html(inner.trim()));
        }
        rest = &rest[close + 4..];
    }
    None
}

/// A reply's body starts with the quoted message (`> <@x> …` lines and a
/// blank line) in clients that still send the fallback.
fn strip_reply_fallback(body: &str) -> &str {
    if !body.starts_with("> ") {
        return body;
    }
    let mut rest = body;
    while rest.starts_with('>') {
        match rest.find('\n') {
            Some(i) => rest = &rest[i + 1..],
            None => return "",
        }
    }
    rest
}

/// Whether an invitation from `user` may be accepted: `*` matches any run of
/// characters, so `*:example.org` is everyone on that server and `*` anyone.
pub fn inviter_allowed(patterns: &[String], user: &str) -> bool {
    patterns.iter().any(|p| glob(p, user))
}

fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern.eq_ignore_ascii_case(text);
    }
    let text = text.to_lowercase();
    let parts: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
    let (first, last) = (&parts[0], &parts[parts.len() - 1]);
    if !text.starts_with(first.as_str()) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut pos = first.len();
    let end = text.len() - last.len();
    if !text[end..].eq(last.as_str()) {
        return false;
    }
    for middle in &parts[1..parts.len() - 1] {
        match text[pos..end].find(middle.as_str()) {
            Some(i) => pos += i + middle.len(),
            None => return false,
        }
    }
    pos <= end
}

/// A message as `m.notice`: the plain `body` and the HTML `formatted_body`.
/// Buttons become a line of the commands that do the same.
pub fn render(out: &Outbound) -> (String, String) {
    let mut plain = out.text.clone();
    let mut html = pills(&escape_html(&out.text)).replace('\n', "<br>\n");
    if !out.buttons.is_empty() {
        let line: Vec<String> = out
            .buttons
            .iter()
            .map(|b| format!("{} {}", b.label, b.gesture.command_line()))
            .collect();
        plain.push_str("\n\n");
        plain.push_str(&line.join("  ·  "));
        let cells: Vec<String> = out
            .buttons
            .iter()
            .map(|b| {
                format!(
                    "{} <code>{}</code>",
                    escape_html(&b.label),
                    escape_html(&b.gesture.command_line())
                )
            })
            .collect();
        html.push_str("<br>\n<br>\n");
        html.push_str(&cells.join(" · "));
    }
    (plain, html)
}

/// Matrix user ids in (escaped) HTML become pills: links clients show as
/// the person's name, and that mention them.
fn pills(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let candidate = &rest[at..];
        let len = candidate
            .char_indices()
            .skip(1)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || "._=-/+:".contains(*c)))
            .map_or(candidate.len(), |(i, _)| i);
        let id = candidate[..len].trim_end_matches(['.', ':']);
        let is_user = id
            .split_once(':')
            .is_some_and(|(local, server)| local.len() > 1 && !server.is_empty());
        let starts_word = out.chars().last().is_none_or(|c| !c.is_alphanumeric());
        if is_user && starts_word {
            out.push_str(&format!("<a href=\"https://matrix.to/#/{id}\">{id}</a>"));
            rest = &candidate[id.len()..];
        } else {
            out.push('@');
            rest = &candidate[1..];
        }
    }
    out.push_str(rest);
    out
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use muster_core::domain::{Platform, RoomRef};
    use muster_core::inbound::{Button, OutboundKind, Target};

    const BOT: &str = "@muster:example.org";

    fn cmd(body: &str) -> Option<String> {
        command_text(body, None, BOT, Some("Muster Bot"), false)
    }

    #[test]
    fn prefixed_commands_pass_as_written() {
        assert_eq!(cmd("!help").as_deref(), Some("!help"));
        assert_eq!(cmd("  /rsvp 3 yes ").as_deref(), Some("/rsvp 3 yes"));
        assert_eq!(
            cmd("!muster section link paris").as_deref(),
            Some("!muster section link paris")
        );
    }

    #[test]
    fn chat_is_not_a_command() {
        assert_eq!(cmd("hello everyone"), None);
        assert_eq!(cmd("muster is great"), None);
        assert_eq!(cmd("musterings: soon"), None);
        assert_eq!(cmd("   "), None);
        assert_eq!(cmd("@musterbot: help"), None);
    }

    #[test]
    fn mentions_become_commands() {
        assert_eq!(cmd("@muster:example.org: help").as_deref(), Some("/help"));
        assert_eq!(cmd("@muster:example.org help").as_deref(), Some("/help"));
        assert_eq!(cmd("@muster rsvp 3 yes").as_deref(), Some("/rsvp 3 yes"));
        assert_eq!(cmd("muster: events").as_deref(), Some("/events"));
        assert_eq!(cmd("Muster Bot, whoami").as_deref(), Some("/whoami"));
        assert_eq!(cmd("@muster:example.org: !help").as_deref(), Some("!help"));
        assert_eq!(cmd("@muster:example.org").as_deref(), Some("/help"));
    }

    #[test]
    fn user_ids_in_replies_become_pills() {
        assert_eq!(
            pills("Ask @bob:example.org, or mail ana@example.org."),
            "Ask <a href=\"https://matrix.to/#/@bob:example.org\">@bob:example.org</a>, or mail ana@example.org."
        );
        assert_eq!(
            pills("@ana:localhost: done"),
            "<a href=\"https://matrix.to/#/@ana:localhost\">@ana:localhost</a>: done"
        );
        assert_eq!(pills("at @ noon, @everyone"), "at @ noon, @everyone");
    }

    #[test]
    fn pills_are_recognised_by_their_text() {
        let html = r#"<a href="https://matrix.to/#/@muster:example.org">Organiser</a>: help"#;
        assert_eq!(
            command_text("Organiser: help", Some(html), BOT, None, false).as_deref(),
            Some("/help")
        );
        let other = r#"<a href="https://matrix.to/#/@ana:example.org">Organiser</a>: help"#;
        assert_eq!(
            command_text("Organiser: help", Some(other), BOT, None, false),
            None
        );
        let encoded = r#"<a href="https://matrix.to/#/%40muster%3Aexample.org">M</a> events"#;
        assert_eq!(pill_text(encoded, BOT).as_deref(), Some("M"));
    }

    #[test]
    fn direct_rooms_take_bare_commands() {
        assert_eq!(
            command_text("help", None, BOT, None, true).as_deref(),
            Some("/help")
        );
        assert_eq!(
            command_text("!whoami", None, BOT, None, true).as_deref(),
            Some("!whoami")
        );
    }

    #[test]
    fn reply_fallbacks_are_ignored() {
        assert_eq!(
            cmd("> <@ana:example.org> Assembly on Friday\n\n!rsvp 3 yes").as_deref(),
            Some("!rsvp 3 yes")
        );
        assert_eq!(cmd("> <@ana:example.org> !help\n\nnice"), None);
    }

    #[test]
    fn inviters_match_patterns() {
        let patterns = vec!["*:example.org".to_string(), "@ana:other.net".to_string()];
        assert!(inviter_allowed(&patterns, "@bob:example.org"));
        assert!(inviter_allowed(&patterns, "@ana:other.net"));
        assert!(!inviter_allowed(&patterns, "@bob:other.net"));
        assert!(!inviter_allowed(&patterns, "@bob:example.org.evil"));
        assert!(!inviter_allowed(&[], "@ana:other.net"));
        assert!(inviter_allowed(&["*".to_string()], "@x:y"));
        assert!(inviter_allowed(&["@a*a:*".to_string()], "@ana:x"));
        assert!(!inviter_allowed(&["@a*a:*".to_string()], "@a:x"));
    }

    #[test]
    fn messages_render_with_escaped_html_and_button_commands() {
        let mut out = Outbound::new(
            Target::Room(RoomRef::new(Platform::Matrix, "!r:example.org")),
            OutboundKind::EventCard(muster_core::domain::EventId(3)),
            "Assembly <b>\nTom & Jerry",
        );
        out.buttons.push(Button {
            label: "✅".into(),
            gesture: "rsvp 3 yes".parse().unwrap(),
        });
        out.buttons.push(Button {
            label: "❌".into(),
            gesture: "rsvp 3 no".parse().unwrap(),
        });
        let (plain, html) = render(&out);
        assert_eq!(
            plain,
            "Assembly <b>\nTom & Jerry\n\n✅ /rsvp 3 yes  ·  ❌ /rsvp 3 no"
        );
        assert_eq!(
            html,
            "Assembly &lt;b&gt;<br>\nTom &amp; Jerry<br>\n<br>\n✅ <code>/rsvp 3 yes</code> · ❌ <code>/rsvp 3 no</code>"
        );
    }
}
