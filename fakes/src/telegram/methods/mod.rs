//! The Bot API methods the fake implements, by lowercased name (the real
//! server matches method names case-insensitively too). Everything but the
//! long poll runs synchronously under the state lock.

mod chats;
mod markup;
mod messages;
mod text;
mod updates;

use super::Shared;
use super::error::ApiError;
use super::json;
use super::model::{BotCommand, CommandScope, Webhook};
use super::params::Params;
use super::state::State;
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;

pub(crate) async fn call(
    shared: &Arc<Shared>,
    method: &str,
    params: Params,
) -> Result<Value, ApiError> {
    if method == "getupdates" {
        return updates::get_updates(shared, &params).await;
    }
    let now = Instant::now();
    shared.write(|state| call_locked(state, method, &params, now))
}

fn call_locked(
    state: &mut State,
    method: &str,
    params: &Params,
    now: Instant,
) -> Result<Value, ApiError> {
    match method {
        "getme" => Ok(json::me(state)),
        // Nothing to log out of or close; the fake keeps serving.
        "logout" | "close" => Ok(Value::Bool(true)),
        "getwebhookinfo" => Ok(webhook_info(state)),
        "setwebhook" => set_webhook(state, params),
        "deletewebhook" => {
            state.webhook = None;
            drop_pending(state, params);
            Ok(Value::Bool(true))
        }
        "setmycommands" => set_my_commands(state, params),
        "getmycommands" => {
            let key = (command_scope(params)?, language_code(params));
            let commands = state.commands.get(&key).cloned().unwrap_or_default();
            let commands = commands
                .into_iter()
                .map(|c| serde_json::json!({ "command": c.command, "description": c.description }))
                .collect();
            Ok(Value::Array(commands))
        }
        "deletemycommands" => {
            let key = (command_scope(params)?, language_code(params));
            state.commands.remove(&key);
            Ok(Value::Bool(true))
        }
        "sendmessage" => messages::send_message(state, params, now),
        "editmessagetext" => messages::edit_message_text(state, params, now),
        "editmessagereplymarkup" => messages::edit_message_reply_markup(state, params, now),
        "deletemessage" => messages::delete_message(state, params),
        "answercallbackquery" => messages::answer_callback_query(state, params, now),
        "getchat" => chats::get_chat(state, params),
        "getchatmember" => chats::get_chat_member(state, params),
        "getchatadministrators" => chats::get_chat_administrators(state, params),
        "getchatmembercount" => chats::get_chat_member_count(state, params),
        "leavechat" => chats::leave_chat(state, params),
        "sendchataction" => chats::send_chat_action(state, params, now),
        _ => Err(ApiError::not_found()),
    }
}

fn drop_pending(state: &mut State, params: &Params) {
    if params.bool("drop_pending_updates") {
        state.updates.clear();
    }
}

fn webhook_info(state: &State) -> Value {
    let mut info = serde_json::json!({
        "url": state.webhook.as_ref().map(|hook| hook.url.clone()).unwrap_or_default(),
        "has_custom_certificate": false,
        "pending_update_count": state.updates.len(),
    });
    if state.webhook.is_some() {
        info["max_connections"] = 40.into();
        info["ip_address"] = "127.0.0.1".into();
    }
    if let Some(allowed) = &state.allowed_updates {
        info["allowed_updates"] = allowed.clone().into();
    }
    info
}

fn set_webhook(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let url = params.str("url").unwrap_or_default();
    if url.is_empty() {
        // An empty url is how old clients delete the webhook.
        state.webhook = None;
        drop_pending(state, params);
        return Ok(Value::Bool(true));
    }
    if !url.starts_with("https://") {
        return Err(ApiError::bad_request(
            "bad webhook: An HTTPS URL must be provided for webhook",
        ));
    }
    let secret_token = params.str("secret_token");
    if let Some(secret) = &secret_token
        && (secret.len() > 256
            || !secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    {
        return Err(ApiError::bad_request(
            "secret token contains unallowed characters",
        ));
    }
    if let Some(allowed) = params.json("allowed_updates", "allowed updates JSON object")? {
        state.allowed_updates = Some(updates::update_types(&allowed)?);
    }
    // A webhook ends long polling: the pending poll learns why.
    updates::terminate_poll(
        state,
        ApiError::conflict("terminated by setWebhook request"),
    );
    state.webhook = Some(Webhook { url, secret_token });
    drop_pending(state, params);
    Ok(Value::Bool(true))
}

fn language_code(params: &Params) -> String {
    params.str("language_code").unwrap_or_default()
}

fn command_scope(params: &Params) -> Result<CommandScope, ApiError> {
    let Some(scope) = params.json("scope", "BotCommandScope JSON object")? else {
        return Ok(CommandScope::Default);
    };
    let bad = |what: &str| ApiError::bad_request(format!("can't parse BotCommandScope: {what}"));
    let kind = scope
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("Field \"type\" must be of type String"))?;
    let chat_id = || {
        let value = scope.get("chat_id");
        value
            .and_then(Value::as_i64)
            .or_else(|| {
                value
                    .and_then(Value::as_str)
                    .and_then(|text| text.parse().ok())
            })
            .ok_or_else(|| bad("Empty chat_id specified"))
    };
    Ok(match kind {
        "default" => CommandScope::Default,
        "all_private_chats" => CommandScope::AllPrivateChats,
        "all_group_chats" => CommandScope::AllGroupChats,
        "all_chat_administrators" => CommandScope::AllChatAdministrators,
        "chat" => CommandScope::Chat(chat_id()?),
        "chat_administrators" => CommandScope::ChatAdministrators(chat_id()?),
        "chat_member" => CommandScope::ChatMember {
            chat_id: chat_id()?,
            user_id: scope
                .get("user_id")
                .and_then(Value::as_i64)
                .filter(|id| *id > 0)
                .ok_or_else(|| bad("Invalid user_id specified"))?,
        },
        _ => return Err(bad("Unsupported type specified")),
    })
}

fn set_my_commands(state: &mut State, params: &Params) -> Result<Value, ApiError> {
    let list = params
        .json("commands", "commands JSON object")?
        .unwrap_or(Value::Array(Vec::new()));
    let Value::Array(list) = list else {
        return Err(ApiError::bad_request("expected an Array of BotCommand"));
    };
    let mut commands = Vec::with_capacity(list.len());
    for item in &list {
        let field = |name: &str| {
            item.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "can't parse BotCommand: Field \"{name}\" must be of type String"
                    ))
                })
        };
        let command = field("command")?;
        let description = field("description")?;
        // Telegram's rules: 1-32 of a-z, 0-9 and _, a 1-256 character description.
        let name = command.strip_prefix('/').unwrap_or(&command);
        let valid_name = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid_name {
            return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
        }
        if !(1..=256).contains(&description.chars().count()) {
            return Err(ApiError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
        }
        commands.push(BotCommand {
            command: name.to_owned(),
            description,
        });
    }
    if commands.len() > 100 {
        return Err(ApiError::bad_request("BOT_COMMANDS_TOO_MUCH"));
    }
    let key = (command_scope(params)?, language_code(params));
    if commands.is_empty() {
        state.commands.remove(&key);
    } else {
        state.commands.insert(key, commands);
    }
    Ok(Value::Bool(true))
}
