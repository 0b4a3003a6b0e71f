//! What a Telegram update means to Muster: a command line, a button press,
//! or news about a room. Pure functions over teloxide's types (which
//! deserialize from the Bot API's JSON), so every rule is unit-tested.
//!
//! - In a group, only commands count: `/cmd` and `/cmd@ThisBot` (a command
//!   addressed to another bot is not ours), and a message that starts by
//!   mentioning the bot. With privacy mode on (Telegram's default) the bot
//!   receives nothing else anyway.
//! - In a private chat, any text is a command.
//! - Mentions become handles the engine resolves on Telegram: a text
//!   mention (a member without a username) carries its user id; an
//!   `@username` is the id of the member last seen under that name.
//! - A button press is a typed gesture, from its payload.
//! - The bot removed from a group unlinks it; a group upgraded to a
//!   supergroup moves its link; a member who blocks the bot is unreachable.

use muster_core::domain::{Identity, Platform, RoomRef};
use muster_core::gesture::Gesture;
use muster_core::inbound::{Inbound, Input};
use std::collections::HashMap;
use teloxide::types::{Chat, MessageEntityKind, Update, UpdateKind, User};

/// Who the bot is.
#[derive(Debug, Clone)]
pub struct Me {
    pub id: u64,
    /// Without the `@`.
    pub username: String,
}

/// What an update means.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// A command line (any text in a private chat).
    Line(Inbound),
    /// A button pressed on one of the bot's messages: answered with
    /// `answerCallbackQuery(query)`; `card` is the message pressed on.
    Press {
        inbound: Inbound,
        query: String,
        card: Option<(i64, i32)>,
    },
    /// A button whose payload is no gesture (forged, or from an older bot).
    StalePress {
        query: String,
    },
    /// The bot was removed from a group or a channel.
    RoomGone(RoomRef),
    /// A group became a supergroup with a new id.
    RoomMoved {
        old: RoomRef,
        new: RoomRef,
    },
    /// A member blocked the bot in their private chat.
    Blocked(Identity),
    Nothing,
}

/// `@username` → user id, learned from the senders the bot sees, so a
/// command naming `@ana` reaches the member Ana is. Bounded: past its size
/// it starts over (a name not known yet is reported as unknown).
#[derive(Debug, Default)]
pub struct Names(HashMap<String, u64>);

const NAMES_KEPT: usize = 50_000;

impl Names {
    pub fn learn(&mut self, user: &User) {
        if let Some(name) = &user.username {
            if self.0.len() >= NAMES_KEPT {
                self.0.clear();
            }
            self.0.insert(name.to_lowercase(), user.id.0);
        }
    }

    fn id_of(&self, username: &str) -> Option<u64> {
        self.0.get(&username.to_lowercase()).copied()
    }
}

pub fn room(chat: &Chat) -> RoomRef {
    RoomRef::new(Platform::Telegram, chat.id.0.to_string())
}

/// What `update` means to the bot `me`.
pub fn translate(update: &Update, me: &Me, names: &mut Names) -> Incoming {
    let message_id = update.id.0.to_string();
    match &update.kind {
        UpdateKind::Message(msg) => {
            if let Some(new) = msg.migrate_to_chat_id() {
                return Incoming::RoomMoved {
                    old: room(&msg.chat),
                    new: RoomRef::new(Platform::Telegram, new.0.to_string()),
                };
            }
            let Some(from) = msg.from.as_ref().filter(|u| !u.is_bot) else {
                return Incoming::Nothing;
            };
            names.learn(from);
            let Some(text) = command_line(msg, me, names) else {
                return Incoming::Nothing;
            };
            Incoming::Line(Inbound {
                room: room(&msg.chat),
                direct: msg.chat.is_private(),
                sender: from.id.0.to_string(),
                sender_name: from.full_name(),
                input: Input::Text(text),
                message_id: Some(message_id),
            })
        }
        UpdateKind::CallbackQuery(query) => {
            let Some(message) = &query.message else {
                // Inline-mode messages: Muster posts none.
                return Incoming::StalePress {
                    query: query.id.0.clone(),
                };
            };
            names.learn(&query.from);
            let gesture = query.data.as_deref().map(str::parse::<Gesture>);
            let Some(Ok(gesture)) = gesture else {
                return Incoming::StalePress {
                    query: query.id.0.clone(),
                };
            };
            let chat = message.chat();
            Incoming::Press {
                inbound: Inbound {
                    room: room(chat),
                    direct: chat.is_private(),
                    sender: query.from.id.0.to_string(),
                    sender_name: query.from.full_name(),
                    input: Input::Gesture(gesture),
                    message_id: Some(message_id),
                },
                query: query.id.0.clone(),
                card: Some((chat.id.0, message.id().0)),
            }
        }
        UpdateKind::MyChatMember(change) if change.new_chat_member.user.id.0 == me.id => {
            let gone = change.new_chat_member.is_left() || change.new_chat_member.is_banned();
            match (change.chat.is_private(), gone) {
                (true, true) => Incoming::Blocked(Identity {
                    platform: Platform::Telegram,
                    user_id: change.from.id.0.to_string(),
                }),
                (false, true) => Incoming::RoomGone(room(&change.chat)),
                _ => Incoming::Nothing,
            }
        }
        _ => Incoming::Nothing,
    }
}

/// The command a message carries, ready for the parser, or `None` when it
/// is not addressed to this bot.
fn command_line(msg: &teloxide::types::Message, me: &Me, names: &Names) -> Option<String> {
    let text = msg.text()?;
    let entities = msg.parse_entities().unwrap_or_default();
    // Mentions become handles, from the end so the byte ranges hold.
    let mut line = text.to_string();
    let mut spans: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for entity in &entities {
        let replacement = match entity.kind() {
            MessageEntityKind::TextMention { user } => Some(format!("<@{}>", user.id.0)),
            MessageEntityKind::Mention => {
                let name = entity.text().trim_start_matches('@');
                if name.eq_ignore_ascii_case(&me.username) {
                    None
                } else {
                    names.id_of(name).map(|id| format!("<@{id}>"))
                }
            }
            _ => None,
        };
        if let Some(r) = replacement {
            spans.push((entity.range(), r));
        }
    }
    spans.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (range, replacement) in spans {
        line.replace_range(range, &replacement);
    }
    let line = line.trim();
    if let Some(rest) = line.strip_prefix('/') {
        // `/cmd@Bot args`: ours only when addressed to us or to nobody.
        let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let word = match word.split_once('@') {
            Some((word, bot)) if bot.eq_ignore_ascii_case(&me.username) => word,
            Some(_) => return None,
            None => word,
        };
        if word.is_empty() {
            return None;
        }
        return Some(format!("/{word} {args}").trim_end().to_string());
    }
    // `@ThisBot help`, in a group as in private.
    let mention = format!("@{}", me.username);
    if line.len() >= mention.len() && line[..mention.len()].eq_ignore_ascii_case(&mention) {
        let rest = line[mention.len()..].trim_start_matches([':', ',']).trim();
        return Some(if rest.is_empty() {
            "/help".to_string()
        } else if rest.starts_with('/') {
            rest.to_string()
        } else {
            format!("/{rest}")
        });
    }
    msg.chat.is_private().then(|| format!("/{line}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use muster_core::domain::{EventId, RsvpAnswer};
    use serde_json::{Value, json};

    fn me() -> Me {
        Me {
            id: 42,
            username: "MusterBot".into(),
        }
    }

    fn update(kind: Value) -> Update {
        let mut u = json!({"update_id": 1000});
        u.as_object_mut()
            .unwrap()
            .extend(kind.as_object().unwrap().clone());
        // From text, as teloxide reads Telegram's answers: its update
        // parser needs keys it can borrow.
        serde_json::from_str(&u.to_string()).unwrap()
    }

    fn group() -> Value {
        json!({"id": -1001, "type": "supergroup", "title": "Paris"})
    }

    fn ana() -> Value {
        json!({"id": 7, "is_bot": false, "first_name": "Ana", "last_name": "B", "username": "ana_b"})
    }

    /// A message whose entities are computed the way Telegram does for
    /// commands (offset 0) and mentions (`@name`).
    fn message(chat: Value, text: &str, extra: Vec<Value>) -> Update {
        let mut entities = extra;
        if text.starts_with('/') {
            let len = text.find(' ').unwrap_or(text.len());
            entities
                .push(json!({"type": "bot_command", "offset": 0, "length": utf16(&text[..len])}));
        }
        let mut at = 0;
        while let Some(i) = text[at..].find('@') {
            let start = at + i;
            let end = text[start + 1..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(text.len(), |j| start + 1 + j);
            if start == 0 || text.as_bytes()[start - 1] == b' ' {
                entities.push(json!({"type": "mention", "offset": utf16(&text[..start]), "length": utf16(&text[start..end])}));
            }
            at = end;
        }
        update(json!({"message": {
            "message_id": 5, "date": 1_700_000_000, "chat": chat, "from": ana(),
            "text": text, "entities": entities,
        }}))
    }

    fn utf16(s: &str) -> usize {
        s.encode_utf16().count()
    }

    fn line(u: &Update, names: &mut Names) -> Option<(String, bool)> {
        match translate(u, &me(), names) {
            Incoming::Line(inbound) => match inbound.input {
                Input::Text(t) => Some((t, inbound.direct)),
                Input::Gesture(_) => None,
            },
            _ => None,
        }
    }

    #[test]
    fn group_commands_addressed_to_us_or_nobody() {
        let mut names = Names::default();
        for (text, expected) in [
            ("/help", Some("/help")),
            ("/rsvp@MusterBot 3 yes", Some("/rsvp 3 yes")),
            ("/rsvp@musterbot 3 yes", Some("/rsvp 3 yes")),
            ("/rsvp@OtherBot 3 yes", None),
            ("hello everyone", None),
            ("@MusterBot help", Some("/help")),
            ("@MusterBot", Some("/help")),
            ("/", None),
        ] {
            assert_eq!(
                line(&message(group(), text, vec![]), &mut names).map(|(t, _)| t),
                expected.map(str::to_string),
                "{text}"
            );
        }
    }

    #[test]
    fn private_text_is_a_command() {
        let private = json!({"id": 7, "type": "private", "first_name": "Ana"});
        let mut names = Names::default();
        assert_eq!(
            line(&message(private.clone(), "whoami", vec![]), &mut names),
            Some(("/whoami".into(), true))
        );
        assert_eq!(
            line(&message(private, "/start", vec![]), &mut names),
            Some(("/start".into(), true))
        );
    }

    #[test]
    fn mentions_become_handles() {
        let mut names = Names::default();
        // Bob is known from a message of his; Zoé has no username.
        names.learn(
            &serde_json::from_value(
                json!({"id": 99, "is_bot": false, "first_name": "Bob", "username": "Bob_R"}),
            )
            .unwrap(),
        );
        let text = "/verify @bob_r";
        assert_eq!(
            line(&message(group(), text, vec![]), &mut names).unwrap().0,
            "/verify <@99>"
        );
        let text = "/verify Zoé ✨ now";
        let mention = json!({"type": "text_mention", "offset": 8, "length": 5,
            "user": {"id": 123, "is_bot": false, "first_name": "Zoé ✨"}});
        assert_eq!(
            line(&message(group(), text, vec![mention]), &mut names)
                .unwrap()
                .0,
            "/verify <@123> now"
        );
        // Unknown names stay as typed: the engine says it knows no @carl.
        assert_eq!(
            line(&message(group(), "/verify @carl", vec![]), &mut names)
                .unwrap()
                .0,
            "/verify @carl"
        );
    }

    #[test]
    fn button_presses_are_gestures() {
        let press = |data: &str| {
            update(json!({"callback_query": {
                "id": "q1", "from": ana(), "chat_instance": "ci", "data": data,
                "message": {"message_id": 77, "date": 1_700_000_000, "chat": group(),
                    "from": {"id": 42, "is_bot": true, "first_name": "Muster"}, "text": "card"},
            }}))
        };
        let mut names = Names::default();
        match translate(&press("rsvp 3 maybe"), &me(), &mut names) {
            Incoming::Press {
                inbound,
                query,
                card,
            } => {
                assert_eq!(query, "q1");
                assert_eq!(card, Some((-1001, 77)));
                assert_eq!(inbound.sender, "7");
                assert_eq!(inbound.message_id.as_deref(), Some("1000"));
                assert_eq!(
                    inbound.input,
                    Input::Gesture(Gesture::Rsvp {
                        event: EventId(3),
                        answer: RsvpAnswer::Maybe
                    })
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            translate(&press("announce all hi"), &me(), &mut names),
            Incoming::StalePress { query: "q1".into() }
        );
    }

    #[test]
    fn rooms_go_and_move_and_members_block() {
        let mut names = Names::default();
        let migrated = update(json!({"message": {
            "message_id": 9, "date": 1_700_000_000, "from": ana(),
            "chat": {"id": -4001, "type": "group", "title": "Paris"},
            "migrate_to_chat_id": -1009,
        }}));
        assert_eq!(
            translate(&migrated, &me(), &mut names),
            Incoming::RoomMoved {
                old: RoomRef::new(Platform::Telegram, "-4001"),
                new: RoomRef::new(Platform::Telegram, "-1009"),
            }
        );
        let member = |chat: Value, status: &str| {
            update(json!({"my_chat_member": {
                "chat": chat, "from": ana(), "date": 1_700_000_000,
                "old_chat_member": {"user": {"id": 42, "is_bot": true, "first_name": "Muster"}, "status": "member"},
                "new_chat_member": {"user": {"id": 42, "is_bot": true, "first_name": "Muster"}, "status": status, "until_date": 0},
            }}))
        };
        assert_eq!(
            translate(&member(group(), "left"), &me(), &mut names),
            Incoming::RoomGone(RoomRef::new(Platform::Telegram, "-1001"))
        );
        assert_eq!(
            translate(&member(group(), "kicked"), &me(), &mut names),
            Incoming::RoomGone(RoomRef::new(Platform::Telegram, "-1001"))
        );
        let private = json!({"id": 7, "type": "private", "first_name": "Ana"});
        assert_eq!(
            translate(&member(private, "kicked"), &me(), &mut names),
            Incoming::Blocked(Identity {
                platform: Platform::Telegram,
                user_id: "7".into()
            })
        );
        assert_eq!(
            translate(&member(group(), "member"), &me(), &mut names),
            Incoming::Nothing
        );
    }
}
