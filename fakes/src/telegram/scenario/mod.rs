//! The test's side of the world: users and chats, and what users do — write,
//! press buttons, add or remove the bot, block it, upgrade a group. Each
//! action queues the updates Telegram would send. Misuse (a user writing in a
//! chat they are not in, pressing a button that is not there) panics: the
//! real client could not do it either, so the test is wrong.

mod inject;

pub use inject::{Injected, Text};

use super::FakeTelegram;
use super::json;
use super::model::{BotStatus, ChatKind, User};
use super::state::{Chat, State, StoredMessage, unix_now};
use inject::post_from;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

pub(super) fn expect_chat(state: &State, chat_id: i64) -> &Chat {
    state
        .chats
        .get(&chat_id)
        .unwrap_or_else(|| panic!("the fake knows no chat {chat_id}"))
}

fn new_chat(id: i64, kind: ChatKind, title: &str, members: &[i64], bot_status: BotStatus) -> Chat {
    Chat {
        id,
        kind,
        title: title.to_owned(),
        username: None,
        user_id: None,
        members: members.iter().copied().collect(),
        admins: BTreeSet::new(),
        bot_status,
        migrated_to: None,
        migrated_from: None,
        messages: BTreeMap::new(),
        next_message_id: 1,
    }
}

/// Ids shaped like real ones: basic groups `-4…`, supergroups `-100…`.
fn group_id(state: &mut State, kind: ChatKind) -> i64 {
    let n = state.next_group;
    state.next_group += 1;
    match kind {
        ChatKind::Supergroup => -(1_000_000_000_000 + 2_000_000_000 + n),
        _ => -(4_000_000_000 + n),
    }
}

/// Changes the bot's membership and tells it: `my_chat_member`, then the
/// service message when it joins (a removed bot no longer sees the group).
fn set_bot_status(state: &mut State, chat_id: i64, by: i64, new: BotStatus) -> Option<i64> {
    let chat = expect_chat(state, chat_id);
    let (kind, old) = (chat.kind, chat.bot_status);
    let bot_id = state.bot_id;
    if let Some(chat) = state.chats.get_mut(&chat_id) {
        chat.bot_status = new;
    }
    let chat = expect_chat(state, chat_id);
    let update = json!({
        "chat": json::chat(state, chat),
        "from": json::user(state, by),
        "date": unix_now(),
        "old_chat_member": json::chat_member(state, kind, bot_id, old),
        "new_chat_member": json::chat_member(state, kind, bot_id, new),
    });
    let update_id = state.push_update("my_chat_member", update);
    if kind != ChatKind::Private && !old.is_present() && new.is_present() {
        let bot = json::user(state, bot_id);
        let service = json!({ "new_chat_participant": bot, "new_chat_member": bot, "new_chat_members": [bot] });
        post_from(state, chat_id, by, Text::new(), Some(service), None);
    } else if kind != ChatKind::Private && old.is_present() && !new.is_present() {
        let bot = json::user(state, bot_id);
        let service = json!({ "left_chat_participant": bot, "left_chat_member": bot });
        // Stored in the chat's history; not delivered to the departed bot.
        let message = StoredMessage {
            id: 0,
            from: by,
            date: unix_now(),
            edit_date: None,
            text: String::new(),
            entities: Vec::new(),
            service: Some(service),
            reply_markup: None,
            reply_to: None,
            parse_mode: None,
            history: Vec::new(),
            deleted: false,
            sent_at: Instant::now(),
        };
        let _ = state.post(chat_id, message);
    }
    update_id
}

impl FakeTelegram {
    /// A user (with a username made from the name) who has not started the bot.
    pub fn add_user(&self, first_name: &str) -> i64 {
        let username: String = first_name
            .chars()
            .filter(|ch| ch.is_alphanumeric())
            .collect();
        self.add_user_with(User {
            id: 0,
            is_bot: false,
            first_name: first_name.to_owned(),
            last_name: None,
            username: Some(username.to_lowercase()).filter(|name| name.len() >= 5),
            language_code: Some("en".to_owned()),
            started_bot: false,
            blocked_bot: false,
        })
    }

    /// A user as given; an `id` of 0 gets a fresh one. Their private chat
    /// with the bot exists at once (its id is the user's id).
    pub fn add_user_with(&self, mut user: User) -> i64 {
        self.shared.write(|state| {
            if user.id == 0 {
                user.id = state.next_user_id;
                state.next_user_id += 1;
            }
            let id = user.id;
            let mut chat = new_chat(id, ChatKind::Private, "", &[id], BotStatus::Member);
            chat.user_id = Some(id);
            state.chats.insert(id, chat);
            state.users.insert(id, user);
            id
        })
    }

    pub fn user(&self, user_id: i64) -> Option<User> {
        self.shared.read(|state| state.users.get(&user_id).cloned())
    }

    /// The user blocks the bot (`my_chat_member`: member → kicked).
    pub fn block_bot(&self, user_id: i64) -> Option<i64> {
        self.shared.write(|state| {
            let user = state
                .users
                .get_mut(&user_id)
                .unwrap_or_else(|| panic!("no user {user_id}"));
            user.blocked_bot = true;
            set_bot_status(state, user_id, user_id, BotStatus::Kicked)
        })
    }

    /// The user unblocks the bot (`my_chat_member`: kicked → member).
    pub fn unblock_bot(&self, user_id: i64) -> Option<i64> {
        self.shared.write(|state| {
            let user = state
                .users
                .get_mut(&user_id)
                .unwrap_or_else(|| panic!("no user {user_id}"));
            user.blocked_bot = false;
            user.started_bot = true;
            set_bot_status(state, user_id, user_id, BotStatus::Member)
        })
    }

    /// A group or supergroup with these members, the bot in it with
    /// `bot_status`, as if arranged before the test (no updates).
    pub fn add_chat(
        &self,
        kind: ChatKind,
        title: &str,
        members: &[i64],
        bot_status: BotStatus,
    ) -> i64 {
        assert_ne!(kind, ChatKind::Private, "private chats come with add_user");
        self.shared.write(|state| {
            let id = group_id(state, kind);
            state
                .chats
                .insert(id, new_chat(id, kind, title, members, bot_status));
            id
        })
    }

    /// A basic group with the bot as a member.
    pub fn add_group(&self, title: &str, members: &[i64]) -> i64 {
        self.add_chat(ChatKind::Group, title, members, BotStatus::Member)
    }

    /// A supergroup with the bot as a member.
    pub fn add_supergroup(&self, title: &str, members: &[i64]) -> i64 {
        self.add_chat(ChatKind::Supergroup, title, members, BotStatus::Member)
    }

    /// Makes a supergroup public under `@username`.
    pub fn set_chat_username(&self, chat_id: i64, username: &str) {
        self.shared.write(|state| {
            if let Some(chat) = state.chats.get_mut(&chat_id) {
                chat.username = Some(username.trim_start_matches('@').to_owned());
            }
        });
    }

    pub fn add_member(&self, chat_id: i64, user_id: i64) {
        self.shared.write(|state| {
            if let Some(chat) = state.chats.get_mut(&chat_id) {
                chat.members.insert(user_id);
            }
        });
    }

    pub fn make_admin(&self, chat_id: i64, user_id: i64) {
        self.shared.write(|state| {
            if let Some(chat) = state.chats.get_mut(&chat_id) {
                chat.members.insert(user_id);
                chat.admins.insert(user_id);
            }
        });
    }

    /// `by` adds the bot to the group.
    pub fn add_bot_to_chat(&self, chat_id: i64, by: i64) -> Option<i64> {
        self.shared
            .write(|state| set_bot_status(state, chat_id, by, BotStatus::Member))
    }

    /// `by` makes the bot an administrator.
    pub fn promote_bot(&self, chat_id: i64, by: i64) -> Option<i64> {
        self.shared
            .write(|state| set_bot_status(state, chat_id, by, BotStatus::Administrator))
    }

    /// `by` removes the bot; it may be added back.
    pub fn remove_bot_from_chat(&self, chat_id: i64, by: i64) -> Option<i64> {
        self.shared
            .write(|state| set_bot_status(state, chat_id, by, BotStatus::Left))
    }

    /// `by` bans the bot from the group.
    pub fn kick_bot(&self, chat_id: i64, by: i64) -> Option<i64> {
        self.shared
            .write(|state| set_bot_status(state, chat_id, by, BotStatus::Kicked))
    }

    /// `by` upgrades a basic group: a supergroup with a new id takes its
    /// place, the old group gets `migrate_to_chat_id` and the new one
    /// `migrate_from_chat_id`. Returns the supergroup's id.
    pub fn migrate_to_supergroup(&self, group_id_: i64, by: i64) -> i64 {
        self.shared.write(|state| {
            let old = expect_chat(state, group_id_);
            assert!(
                old.kind == ChatKind::Group && old.migrated_to.is_none(),
                "{group_id_} is not a basic group"
            );
            let mut supergroup = new_chat(0, ChatKind::Supergroup, &old.title, &[], old.bot_status);
            supergroup.members = old.members.clone();
            supergroup.admins = old.admins.clone();
            supergroup.migrated_from = Some(group_id_);
            let new_id = group_id(state, ChatKind::Supergroup);
            supergroup.id = new_id;
            state.chats.insert(new_id, supergroup);
            post_from(
                state,
                group_id_,
                by,
                Text::new(),
                Some(json!({ "migrate_to_chat_id": new_id })),
                None,
            );
            if let Some(old) = state.chats.get_mut(&group_id_) {
                old.migrated_to = Some(new_id);
            }
            post_from(
                state,
                new_id,
                by,
                Text::new(),
                Some(json!({ "migrate_from_chat_id": group_id_ })),
                None,
            );
            new_id
        })
    }
}
