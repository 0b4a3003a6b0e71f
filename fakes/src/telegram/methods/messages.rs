//! Sending, editing and deleting messages, and answering button presses,
//! with the real API's checks in its order: the text and markup first, then
//! the chat, then the message, then flood control.

use super::markup::{Markup, reply_markup};
use super::text::formatted_text;
use crate::telegram::entities::Entity;
use crate::telegram::error::ApiError;
use crate::telegram::json;
use crate::telegram::model::{CallbackAnswer, ChatKind, Revision};
use crate::telegram::params::Params;
use crate::telegram::state::{State, StoredMessage, unix_now};
use serde_json::Value;
use std::time::Instant;

/// `reply_parameters.message_id` or the older `reply_to_message_id`.
fn reply_to(state: &State, chat_id: i64, params: &Params) -> Result<Option<i64>, ApiError> {
    let parameters = params.json("reply_parameters", "reply parameters JSON object")?;
    let wanted = match parameters.as_ref().and_then(|p| p.get("message_id")) {
        Some(id) => id.as_i64(),
        None => params.int("reply_to_message_id")?,
    };
    let Some(wanted) = wanted else {
        return Ok(None);
    };
    let exists = state
        .chat(chat_id)?
        .messages
        .get(&wanted)
        .is_some_and(|message| !message.deleted);
    let lenient = params.bool("allow_sending_without_reply")
        || parameters
            .as_ref()
            .and_then(|p| p.get("allow_sending_without_reply"))
            == Some(&Value::Bool(true));
    match (exists, lenient) {
        (true, _) => Ok(Some(wanted)),
        (false, true) => Ok(None),
        (false, false) => Err(ApiError::bad_request("message to be replied not found")),
    }
}

pub(super) fn send_message(
    state: &mut State,
    params: &Params,
    now: Instant,
) -> Result<Value, ApiError> {
    let (text, entities, parse_mode) = formatted_text(params)?;
    let markup = reply_markup(params)?;
    let chat_id = state.resolve(&params.chat()?)?;
    state.check_write(chat_id)?;
    let reply_to = reply_to(state, chat_id, params)?;
    state.admit(chat_id, now)?;
    let message = StoredMessage {
        id: 0,
        from: state.bot_id,
        date: unix_now(),
        edit_date: None,
        text,
        entities,
        service: None,
        reply_markup: match markup {
            Markup::Inline(keyboard) => Some(keyboard),
            Markup::Absent | Markup::Other => None,
        },
        reply_to,
        parse_mode,
        history: Vec::new(),
        deleted: false,
        sent_at: now,
    };
    let message = state.post(chat_id, message)?;
    Ok(json::message(state, state.chat(chat_id)?, &message))
}

/// Finds the bot's message to edit, with the real API's refusals.
fn editable(state: &State, params: &Params) -> Result<(i64, i64), ApiError> {
    let chat = params.chat_ref();
    let message_id = params.int("message_id")?;
    let (Some(chat), Some(message_id)) = (chat, message_id) else {
        if params.str("inline_message_id").is_some() {
            return Err(ApiError::bad_request(
                "inline messages are not supported by the fake",
            ));
        }
        return Err(ApiError::bad_request("message to edit not found"));
    };
    let chat_id = state.resolve(&chat)?;
    let chat = state.check_edit(chat_id)?;
    let message = chat
        .messages
        .get(&message_id)
        .filter(|message| !message.deleted)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if message.from != state.bot_id {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    if message.service.is_some() {
        return Err(ApiError::bad_request(
            "there is no text in the message to edit",
        ));
    }
    Ok((chat_id, message_id))
}

/// Applies an edit: refuses one that changes nothing, counts it against
/// flood control, and keeps the replaced version.
fn apply_edit(
    state: &mut State,
    (chat_id, message_id): (i64, i64),
    content: Option<(String, Vec<Entity>, Option<String>)>,
    keyboard: Option<Value>,
    now: Instant,
) -> Result<Value, ApiError> {
    let current = state
        .chat(chat_id)?
        .messages
        .get(&message_id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    let same_text = content
        .as_ref()
        .is_none_or(|(text, found, _)| *text == current.text && *found == current.entities);
    if same_text && keyboard == current.reply_markup {
        return Err(ApiError::bad_request(
            "message is not modified: specified new message content and reply markup are exactly the same as a \
             current content and reply markup of the message",
        ));
    }
    state.admit(chat_id, now)?;
    let chat = state.chat_mut(chat_id)?;
    let Some(message) = chat.messages.get_mut(&message_id) else {
        return Err(ApiError::bad_request("message to edit not found"));
    };
    message.history.push(Revision {
        text: message.text.clone(),
        reply_markup: message.reply_markup.clone(),
        replaced_at: now,
    });
    if let Some((text, found, parse_mode)) = content {
        message.text = text;
        message.entities = found;
        message.parse_mode = parse_mode;
    }
    message.reply_markup = keyboard;
    message.edit_date = Some(unix_now());
    let message = message.clone();
    Ok(json::message(state, state.chat(chat_id)?, &message))
}

/// An inline keyboard for an edit: none given means none kept.
fn edit_keyboard(params: &Params) -> Result<Option<Value>, ApiError> {
    match reply_markup(params)? {
        Markup::Inline(keyboard) => Ok(Some(keyboard)),
        Markup::Absent => Ok(None),
        Markup::Other => Err(ApiError::bad_request("inline keyboard expected")),
    }
}

pub(super) fn edit_message_text(
    state: &mut State,
    params: &Params,
    now: Instant,
) -> Result<Value, ApiError> {
    let content = formatted_text(params)?;
    let keyboard = edit_keyboard(params)?;
    let target = editable(state, params)?;
    apply_edit(state, target, Some(content), keyboard, now)
}

pub(super) fn edit_message_reply_markup(
    state: &mut State,
    params: &Params,
    now: Instant,
) -> Result<Value, ApiError> {
    let keyboard = edit_keyboard(params)?;
    let target = editable(state, params)?;
    apply_edit(state, target, None, keyboard, now)
}

pub(super) fn delete_message(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let chat_id = state.resolve(&params.chat()?)?;
    let message_id = params.int("message_id")?.unwrap_or(0);
    let bot_id = state.bot_id;
    let chat = state.check_edit(chat_id)?;
    let bot_is_admin = chat.bot_status == crate::telegram::model::BotStatus::Administrator;
    let may_delete_others = chat.kind == ChatKind::Private || bot_is_admin;
    let message = chat
        .messages
        .get(&message_id)
        .filter(|message| !message.deleted)
        .ok_or_else(|| ApiError::bad_request("message to delete not found"))?;
    if message.from != bot_id && !may_delete_others {
        return Err(ApiError::bad_request("message can't be deleted"));
    }
    if let Some(message) = state.chat_mut(chat_id)?.messages.get_mut(&message_id) {
        message.deleted = true;
    }
    Ok(Value::Bool(true))
}

pub(super) fn answer_callback_query(
    state: &mut State,
    params: &Params,
    now: Instant,
) -> Result<Value, ApiError> {
    let too_old = || {
        ApiError::bad_request(
            "query is too old and response timeout expired or query ID is invalid",
        )
    };
    let id = params.str("callback_query_id").ok_or_else(too_old)?;
    let ttl = state.callback_ttl;
    let query = state.callback_queries.get_mut(&id).ok_or_else(too_old)?;
    let expired = ttl.is_some_and(|ttl| now.duration_since(query.issued_at) > ttl);
    if query.answer.is_some() || expired {
        return Err(too_old());
    }
    if params
        .str("text")
        .is_some_and(|text| text.chars().count() > 200)
    {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    query.answer = Some(CallbackAnswer {
        query_id: id,
        text: params.str("text"),
        show_alert: params.bool("show_alert"),
        url: params.str("url"),
        at: now,
    });
    Ok(Value::Bool(true))
}
