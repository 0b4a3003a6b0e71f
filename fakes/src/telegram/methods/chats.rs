//! Chat methods: information about chats and members, leaving, chat actions.

use crate::telegram::error::ApiError;
use crate::telegram::json;
use crate::telegram::model::{BotStatus, ChatAction, ChatKind};
use crate::telegram::params::Params;
use crate::telegram::state::{State, unix_now};
use serde_json::{Value, json};
use std::time::Instant;

pub(super) fn get_chat(state: &State, params: &Params) -> Result<Value, ApiError> {
    let chat_id = state.resolve(&params.chat()?)?;
    Ok(json::chat_full(state, state.chat(chat_id)?))
}

/// A user's status in a chat, as the fake models it.
fn status_of(state: &State, chat_id: i64, user_id: i64) -> Result<BotStatus, ApiError> {
    let chat = state.chat(chat_id)?;
    if !state.users.contains_key(&user_id) {
        return Err(ApiError::bad_request("user not found"));
    }
    Ok(if user_id == state.bot_id {
        chat.bot_status
    } else if chat.kind == ChatKind::Private {
        if chat.user_id == Some(user_id) {
            BotStatus::Member
        } else {
            BotStatus::Left
        }
    } else if chat.admins.contains(&user_id) {
        BotStatus::Administrator
    } else if chat.members.contains(&user_id) {
        BotStatus::Member
    } else {
        BotStatus::Left
    })
}

pub(super) fn get_chat_member(state: &State, params: &Params) -> Result<Value, ApiError> {
    let chat_id = state.resolve(&params.chat()?)?;
    let user_id = params
        .int("user_id")?
        .ok_or_else(|| ApiError::bad_request("user not found"))?;
    let status = status_of(state, chat_id, user_id)?;
    Ok(json::chat_member(
        state,
        state.chat(chat_id)?.kind,
        user_id,
        status,
    ))
}

pub(super) fn get_chat_administrators(state: &State, params: &Params) -> Result<Value, ApiError> {
    let chat_id = state.resolve(&params.chat()?)?;
    let chat = state.check_edit(chat_id)?;
    if chat.kind == ChatKind::Private {
        return Err(ApiError::bad_request(
            "there are no administrators in the private chat",
        ));
    }
    let mut admins: Vec<Value> = chat
        .admins
        .iter()
        .map(|user| json::chat_member(state, chat.kind, *user, BotStatus::Administrator))
        .collect();
    if chat.bot_status == BotStatus::Administrator {
        admins.push(json::chat_member(
            state,
            chat.kind,
            state.bot_id,
            BotStatus::Administrator,
        ));
    }
    Ok(Value::Array(admins))
}

pub(super) fn get_chat_member_count(state: &State, params: &Params) -> Result<Value, ApiError> {
    let chat_id = state.resolve(&params.chat()?)?;
    let chat = state.check_edit(chat_id)?;
    let count = match chat.kind {
        ChatKind::Private => 2,
        _ => chat.members.len() + usize::from(chat.bot_status.is_present()),
    };
    Ok(count.into())
}

pub(super) fn leave_chat(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let chat_id = state.resolve(&params.chat()?)?;
    let chat = state.check_edit(chat_id)?;
    if chat.kind == ChatKind::Private {
        return Err(ApiError::bad_request(
            "chat member status can't be changed in private chats",
        ));
    }
    let kind = chat.kind;
    let old = chat.bot_status;
    state.chat_mut(chat_id)?.bot_status = BotStatus::Left;
    // The bot hears of its own departure, as it does from Telegram.
    let update = json!({
        "chat": json::chat(state, state.chat(chat_id)?),
        "from": json::user(state, state.bot_id),
        "date": unix_now(),
        "old_chat_member": json::chat_member(state, kind, state.bot_id, old),
        "new_chat_member": json::chat_member(state, kind, state.bot_id, BotStatus::Left),
    });
    state.push_update("my_chat_member", update);
    Ok(Value::Bool(true))
}

pub(super) fn send_chat_action(
    state: &mut State,
    params: &Params,
    now: Instant,
) -> Result<Value, ApiError> {
    let chat_id = state.resolve(&params.chat()?)?;
    let action = params
        .str("action")
        .ok_or_else(|| ApiError::bad_request("wrong parameter action in request"))?;
    const ACTIONS: &[&str] = &[
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ];
    if !ACTIONS.contains(&action.as_str()) {
        return Err(ApiError::bad_request("wrong parameter action in request"));
    }
    state.check_write(chat_id)?;
    state.chat_actions.push(ChatAction {
        chat_id,
        action,
        at: now,
    });
    Ok(Value::Bool(true))
}
