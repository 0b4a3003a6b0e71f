//! `reply_markup`, validated like the real server does. Only inline
//! keyboards show in a `Message`; they are normalized so that an edit with
//! the same buttons compares equal whatever optional fields a client sends.

use crate::telegram::error::ApiError;
use crate::telegram::params::Params;
use serde_json::{Map, Value, json};

const MAX_CALLBACK_DATA_BYTES: usize = 64;

/// `reply_markup`, validated like the real server does.
pub(super) enum Markup {
    Absent,
    /// Normalized: `{"inline_keyboard": [[{"text", <one action>}]]}`.
    Inline(Value),
    /// A reply keyboard, its removal or a force-reply: not shown in `Message`.
    Other,
}

pub(super) fn reply_markup(params: &Params) -> Result<Markup, ApiError> {
    let Some(value) = params.json("reply_markup", "reply keyboard markup JSON object")? else {
        return Ok(Markup::Absent);
    };
    let object = value
        .as_object()
        .ok_or_else(|| ApiError::bad_request("object expected as reply markup"))?;
    let Some(rows) = object.get("inline_keyboard") else {
        let other = [
            "keyboard",
            "remove_keyboard",
            "hide_keyboard",
            "force_reply",
        ];
        let is_other = other
            .iter()
            .any(|key| object.get(*key).is_some_and(|v| !v.is_null() && v != false));
        return Ok(if is_other {
            Markup::Other
        } else {
            Markup::Absent
        });
    };
    let array_of_arrays = || {
        ApiError::bad_request(
            "field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays",
        )
    };
    let mut normalized = Vec::new();
    for row in rows.as_array().ok_or_else(array_of_arrays)? {
        let mut buttons = Vec::new();
        for button in row.as_array().ok_or_else(array_of_arrays)? {
            buttons.push(inline_button(button)?);
        }
        normalized.push(Value::Array(buttons));
    }
    // No buttons at all is no keyboard, as on the real server.
    if normalized
        .iter()
        .all(|row| row.as_array().is_some_and(Vec::is_empty))
    {
        return Ok(Markup::Absent);
    }
    Ok(Markup::Inline(json!({ "inline_keyboard": normalized })))
}

fn inline_button(button: &Value) -> Result<Value, ApiError> {
    let invalid =
        |why: &str| ApiError::bad_request(format!("can't parse inline keyboard button: {why}"));
    let object = button
        .as_object()
        .ok_or_else(|| invalid("InlineKeyboardButton must be an Object"))?;
    let text = object
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("Field \"text\" must be of type String"))?;
    const ACTIONS: &[&str] = &[
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ];
    let action = ACTIONS.iter().find(|key| match object.get(**key) {
        None | Some(Value::Null) => false,
        Some(Value::String(text)) => !text.is_empty() || !matches!(**key, "url" | "callback_data"),
        Some(_) => true,
    });
    let Some(action) = action else {
        return Err(invalid("Text buttons are unallowed in the inline keyboard"));
    };
    if *action == "callback_data"
        && object
            .get("callback_data")
            .and_then(Value::as_str)
            .is_some_and(|d| d.len() > MAX_CALLBACK_DATA_BYTES)
    {
        return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
    }
    let mut normalized = Map::new();
    normalized.insert("text".into(), text.into());
    normalized.insert((*action).into(), object[*action].clone());
    Ok(Value::Object(normalized))
}
