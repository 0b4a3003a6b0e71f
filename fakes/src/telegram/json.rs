//! The Bot API objects the fake returns, shaped like the real server's
//! (`telegram-bot-api`'s `JsonUser`, `JsonChat`, `JsonMessage`…): optional
//! fields are left out rather than null.

use super::entities::Entity;
use super::model::{BotStatus, ChatKind};
use super::state::{Chat, State, StoredMessage};
use serde_json::{Map, Value, json};

pub(crate) fn user(state: &State, id: i64) -> Value {
    let Some(user) = state.users.get(&id) else {
        return json!({ "id": id, "is_bot": false, "first_name": "" });
    };
    let mut object = Map::new();
    object.insert("id".into(), user.id.into());
    object.insert("is_bot".into(), user.is_bot.into());
    object.insert("first_name".into(), user.first_name.clone().into());
    insert_some(&mut object, "last_name", user.last_name.clone());
    insert_some(&mut object, "username", user.username.clone());
    insert_some(&mut object, "language_code", user.language_code.clone());
    Value::Object(object)
}

/// `getMe`: the bot with its capabilities.
pub(crate) fn me(state: &State) -> Value {
    let mut me = user(state, state.bot_id);
    let extra = json!({
        "can_join_groups": true,
        "can_read_all_group_messages": !state.privacy_mode,
        "supports_inline_queries": false,
        "supports_guest_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
        "has_topics_enabled": false,
        "allows_users_to_create_topics": false,
        "can_manage_bots": false,
    });
    if let (Some(me), Value::Object(extra)) = (me.as_object_mut(), extra) {
        me.extend(extra);
    }
    me
}

fn no_gifts() -> Value {
    json!({
        "unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false,
        "premium_subscription": false, "gifts_from_channels": false
    })
}

/// `Chat`, as it appears inside messages and updates.
pub(crate) fn chat(state: &State, chat: &Chat) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), chat.id.into());
    match chat.kind {
        ChatKind::Private => {
            let user = chat.user_id.and_then(|id| state.users.get(&id));
            let first_name = user.map(|user| user.first_name.clone()).unwrap_or_default();
            object.insert("first_name".into(), first_name.into());
            insert_some(
                &mut object,
                "last_name",
                user.and_then(|user| user.last_name.clone()),
            );
            insert_some(
                &mut object,
                "username",
                user.and_then(|user| user.username.clone()),
            );
        }
        ChatKind::Group => {
            object.insert("title".into(), chat.title.clone().into());
        }
        ChatKind::Supergroup => {
            object.insert("title".into(), chat.title.clone().into());
            insert_some(&mut object, "username", chat.username.clone());
        }
    }
    object.insert("type".into(), chat.kind.as_str().into());
    if chat.kind == ChatKind::Group {
        object.insert("all_members_are_administrators".into(), false.into());
        object.insert("accepted_gift_types".into(), no_gifts());
    }
    Value::Object(object)
}

/// `ChatFullInfo`, for `getChat`.
pub(crate) fn chat_full(state: &State, chat_info: &Chat) -> Value {
    let mut value = chat(state, chat_info);
    let permissions = json!({
        "can_send_messages": true, "can_send_audios": true, "can_send_documents": true,
        "can_send_photos": true, "can_send_videos": true, "can_send_video_notes": true,
        "can_send_voice_notes": true, "can_send_polls": true, "can_send_other_messages": true,
        "can_add_web_page_previews": true, "can_change_info": false, "can_invite_users": true,
        "can_pin_messages": false, "can_manage_topics": false
    });
    if let Some(object) = value.as_object_mut() {
        match chat_info.kind {
            ChatKind::Private => {
                object.insert("accepted_gift_types".into(), no_gifts());
            }
            ChatKind::Group | ChatKind::Supergroup => {
                object.insert("permissions".into(), permissions);
                object.insert("accepted_gift_types".into(), no_gifts());
            }
        }
        object.insert("max_reaction_count".into(), 11.into());
        object.insert(
            "accent_color_id".into(),
            (chat_info.id.rem_euclid(7)).into(),
        );
    }
    value
}

pub(crate) fn entity(state: &State, entity: &Entity) -> Value {
    let mut object = Map::new();
    object.insert("offset".into(), entity.offset.into());
    object.insert("length".into(), entity.length.into());
    object.insert("type".into(), entity.kind.into());
    insert_some(&mut object, "url", entity.url.clone());
    if let Some(id) = entity.user_id {
        object.insert("user".into(), user(state, id));
    }
    insert_some(&mut object, "language", entity.language.clone());
    insert_some(
        &mut object,
        "custom_emoji_id",
        entity.custom_emoji_id.clone(),
    );
    Value::Object(object)
}

/// `Message`; a reply carries the message it answers, one level deep.
pub(crate) fn message(state: &State, chat_info: &Chat, message: &StoredMessage) -> Value {
    let mut object = Map::new();
    object.insert("message_id".into(), message.id.into());
    object.insert("from".into(), user(state, message.from));
    object.insert("chat".into(), chat(state, chat_info));
    object.insert("date".into(), message.date.into());
    if let Some(edit_date) = message.edit_date {
        object.insert("edit_date".into(), edit_date.into());
    }
    if let Some(replied) = message.reply_to.and_then(|id| chat_info.messages.get(&id)) {
        let mut replied = replied.clone();
        replied.reply_to = None;
        object.insert(
            "reply_to_message".into(),
            self::message(state, chat_info, &replied),
        );
    }
    if let Some(Value::Object(service)) = &message.service {
        object.extend(service.clone());
    } else {
        object.insert("text".into(), message.text.clone().into());
        if !message.entities.is_empty() {
            let entities = message.entities.iter().map(|e| entity(state, e)).collect();
            object.insert("entities".into(), Value::Array(entities));
        }
    }
    if let Some(markup) = &message.reply_markup {
        object.insert("reply_markup".into(), markup.clone());
    }
    Value::Object(object)
}

/// `ChatMember` with the given status (`administrator` gets the usual
/// rights of a bot administrator).
pub(crate) fn chat_member(state: &State, kind: ChatKind, user_id: i64, status: BotStatus) -> Value {
    let mut object = Map::new();
    object.insert("user".into(), user(state, user_id));
    object.insert("status".into(), status.as_str().into());
    match status {
        BotStatus::Administrator => {
            let rights = json!({
                "can_be_edited": false, "can_manage_chat": true, "can_change_info": false,
                "can_delete_messages": true, "can_invite_users": true, "can_restrict_members": false,
                "can_pin_messages": true, "can_promote_members": false, "can_manage_video_chats": false,
                "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false,
                "can_manage_tags": false, "is_anonymous": false, "can_manage_voice_chats": false
            });
            if let Value::Object(rights) = rights {
                object.extend(rights);
            }
            if kind == ChatKind::Supergroup {
                object.insert("can_manage_topics".into(), false.into());
            }
        }
        BotStatus::Kicked => {
            object.insert("until_date".into(), 0.into());
        }
        BotStatus::Member | BotStatus::Left => {}
    }
    Value::Object(object)
}

fn insert_some(object: &mut Map<String, Value>, key: &str, value: Option<String>) {
    if let Some(value) = value {
        object.insert(key.into(), value.into());
    }
}
