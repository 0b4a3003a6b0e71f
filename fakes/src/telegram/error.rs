//! Errors as the Bot API reports them: an HTTP status equal to `error_code`
//! and the envelope `{"ok":false,"error_code":N,"description":"…"}`, with
//! `parameters` for flood control and group migration.

use serde_json::{Map, Value, json};
use std::fmt::Display;

/// One failed answer, ready to be put in the envelope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub description: String,
    /// `ResponseParameters`: `retry_after` or `migrate_to_chat_id`.
    pub parameters: Option<Value>,
}

impl ApiError {
    fn new(code: u16, description: String) -> Self {
        ApiError {
            code,
            description,
            parameters: None,
        }
    }

    /// 400 "Bad Request: …", the answer to anything malformed or refused.
    pub fn bad_request(what: impl Display) -> Self {
        Self::new(400, format!("Bad Request: {what}"))
    }

    pub fn forbidden(what: impl Display) -> Self {
        Self::new(403, format!("Forbidden: {what}"))
    }

    /// A token the server does not know.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized".to_owned())
    }

    /// A path or method the server does not know.
    pub fn not_found() -> Self {
        Self::new(404, "Not Found".to_owned())
    }

    pub fn conflict(what: impl Display) -> Self {
        Self::new(409, format!("Conflict: {what}"))
    }

    /// Flood control: the client must wait `retry_after` seconds.
    pub fn too_many_requests(retry_after: u32) -> Self {
        ApiError {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            parameters: Some(json!({ "retry_after": retry_after })),
        }
    }

    /// A write to a basic group that became a supergroup.
    pub fn migrated(to_chat_id: i64) -> Self {
        ApiError {
            code: 400,
            description: "Bad Request: group chat was upgraded to a supergroup chat".to_owned(),
            parameters: Some(json!({ "migrate_to_chat_id": to_chat_id })),
        }
    }

    /// A 5xx as the API itself words it (the JSON flavour of a server fault).
    pub fn server_error(status: u16) -> Self {
        Self::new(status, reason_phrase(status).to_owned())
    }

    pub fn retry_after(&self) -> Option<u32> {
        let seconds = self.parameters.as_ref()?.get("retry_after")?.as_u64()?;
        u32::try_from(seconds).ok()
    }

    pub fn envelope(&self) -> Value {
        let mut object = Map::new();
        object.insert("ok".into(), Value::Bool(false));
        object.insert("error_code".into(), self.code.into());
        object.insert("description".into(), self.description.clone().into());
        if let Some(parameters) = &self.parameters {
            object.insert("parameters".into(), parameters.clone());
        }
        Value::Object(object)
    }
}

/// The success envelope.
pub(crate) fn ok_envelope(result: Value) -> Value {
    json!({ "ok": true, "result": result })
}

pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Server Error",
    }
}
