//! A message's text as Telegram stores it: parsed per `parse_mode`, trimmed,
//! checked for length, with the entities Telegram finds added.

use crate::telegram::entities::{self, Entity};
use crate::telegram::error::ApiError;
use crate::telegram::html;
use crate::telegram::params::Params;
use serde_json::Value;

/// The most characters a message may have, after its markup is parsed.
const MAX_TEXT_CHARS: usize = 4096;

/// `text` + `parse_mode` (or `entities`) → the text Telegram stores.
pub(super) fn formatted_text(
    params: &Params,
) -> Result<(String, Vec<Entity>, Option<String>), ApiError> {
    let raw = params
        .str("text")
        .ok_or_else(|| ApiError::bad_request("message text is empty"))?;
    if raw.len() > 1 << 15 {
        return Err(ApiError::bad_request("text is too long"));
    }
    let parse_mode = params.str("parse_mode");
    let (text, explicit) = match parse_mode
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("none") => (raw, explicit_entities(params)?),
        Some("html") => html::parse(&raw)
            .map_err(|error| ApiError::bad_request(format!("can't parse entities: {error}")))?,
        // Not parsed by the fake: the text is kept as sent (see the crate docs).
        Some("markdown" | "markdownv2") => (raw, Vec::new()),
        Some(_) => return Err(ApiError::bad_request("unsupported parse_mode")),
    };
    let (text, mut found) = entities::trim(&text, explicit);
    if text.is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request("message is too long"));
    }
    let detected = entities::detect(&text, &found);
    found.extend(detected);
    found.sort_by_key(|entity| (entity.offset, std::cmp::Reverse(entity.length)));
    Ok((text, found, parse_mode))
}

/// The `entities` argument of a message without a parse mode.
fn explicit_entities(params: &Params) -> Result<Vec<Entity>, ApiError> {
    const KINDS: &[&str] = &[
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ];
    let Some(list) = params.json("entities", "message entities JSON object")? else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| ApiError::bad_request("expected an Array of MessageEntity"))?;
    let mut found = Vec::new();
    for item in list {
        let number = |key: &str| {
            item.get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let kind = item.get("type").and_then(Value::as_str).unwrap_or_default();
        let (Some(offset), Some(length), Some(kind)) = (
            number("offset"),
            number("length"),
            KINDS.iter().find(|known| **known == kind),
        ) else {
            // Mentions, links and the like are found by Telegram itself.
            continue;
        };
        let mut entity = Entity::new(kind, offset, length);
        entity.url = item.get("url").and_then(Value::as_str).map(str::to_owned);
        entity.user_id = item.pointer("/user/id").and_then(Value::as_i64);
        entity.language = item
            .get("language")
            .and_then(Value::as_str)
            .map(str::to_owned);
        found.push(entity);
    }
    Ok(found)
}
