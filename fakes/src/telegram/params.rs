//! A request's arguments. Like the real server, arguments may come from the
//! query string, a urlencoded form or a JSON object, and every later reader
//! sees them the same way: scalars may be strings ("42", "true") and nested
//! objects may be JSON text (`reply_markup` in a form).

use super::error::ApiError;
use serde_json::{Map, Value};

/// Where a method is aimed: a numeric id or a public `@username`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ChatRef {
    Id(i64),
    Username(String),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Params(Map<String, Value>);

impl Params {
    /// Reads the query string, then the body (which wins on a clash).
    pub fn parse(
        content_type: Option<&str>,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<Self, ApiError> {
        let mut map = Map::new();
        if let Some(query) = query {
            for (key, value) in form_urlencoded::parse(query.as_bytes()) {
                map.insert(key.into_owned(), Value::String(value.into_owned()));
            }
        }
        let mime = content_type
            .and_then(|value| value.split(';').next())
            .map(|value| value.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let body_is_blank = body.iter().all(u8::is_ascii_whitespace);
        if body_is_blank {
            return Ok(Params(map));
        }
        match mime.as_str() {
            "application/x-www-form-urlencoded" => {
                for (key, value) in form_urlencoded::parse(body) {
                    map.insert(key.into_owned(), Value::String(value.into_owned()));
                }
            }
            "multipart/form-data" => {
                // Only file uploads need multipart, and the fake keeps no files.
                return Err(ApiError::bad_request(
                    "multipart/form-data requests are not supported by the fake",
                ));
            }
            // teloxide and most clients send JSON; accept it without a header too.
            _ => match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(object)) => map.extend(object),
                _ => return Err(ApiError::bad_request("can't parse JSON object")),
            },
        }
        Ok(Params(map))
    }

    /// A text argument; an empty one counts as absent, as on the real server.
    pub fn str(&self, key: &str) -> Option<String> {
        let text = match self.0.get(key)? {
            Value::String(text) => text.clone(),
            Value::Null => return None,
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            other => other.to_string(),
        };
        (!text.is_empty()).then_some(text)
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(number)) => {
                number.as_i64().map(Some).ok_or_else(|| not_an_integer(key))
            }
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| not_an_integer(key)),
            Some(_) => Err(not_an_integer(key)),
        }
    }

    pub fn bool(&self, key: &str) -> bool {
        match self.0.get(key) {
            Some(Value::Bool(flag)) => *flag,
            Some(Value::String(text)) => matches!(text.as_str(), "true" | "True" | "1"),
            Some(Value::Number(number)) => number.as_i64().is_some_and(|n| n != 0),
            _ => false,
        }
    }

    /// A structured argument: a JSON value, or JSON text from a form.
    /// `what` names it in the error, e.g. "reply keyboard markup JSON object".
    pub fn json(&self, key: &str, what: &str) -> Result<Option<Value>, ApiError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if text.is_empty() => Ok(None),
            Some(Value::String(text)) => serde_json::from_str(text)
                .map(Some)
                .map_err(|_| ApiError::bad_request(format!("can't parse {what}"))),
            Some(value) => Ok(Some(value.clone())),
        }
    }

    /// `chat_id`, which every chat method needs.
    pub fn chat(&self) -> Result<ChatRef, ApiError> {
        self.chat_ref()
            .ok_or_else(|| ApiError::bad_request("chat_id is empty"))
    }

    /// `chat_id` if present; garbage reads as id 0, which no chat has (the
    /// real server parses it the same way and answers "chat not found").
    pub fn chat_ref(&self) -> Option<ChatRef> {
        let text = self.str("chat_id")?;
        let text = text.trim();
        if let Some(name) = text.strip_prefix('@') {
            return Some(ChatRef::Username(name.to_owned()));
        }
        Some(ChatRef::Id(text.parse().unwrap_or(0)))
    }
}

fn not_an_integer(key: &str) -> ApiError {
    ApiError::bad_request(format!("field \"{key}\" must be a valid Integer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form_and_query_read_alike() {
        let json = Params::parse(
            Some("application/json"),
            None,
            br#"{"chat_id":-100,"limit":"5","flag":true}"#,
        )
        .expect("json");
        let form = Params::parse(
            Some("application/x-www-form-urlencoded"),
            None,
            b"chat_id=-100&limit=5&flag=true",
        )
        .expect("form");
        let query =
            Params::parse(None, Some("chat_id=-100&limit=5&flag=true"), b"").expect("query");
        for params in [json, form, query] {
            assert_eq!(params.chat().expect("chat"), ChatRef::Id(-100));
            assert_eq!(params.int("limit").expect("int"), Some(5));
            assert!(params.bool("flag"));
        }
    }

    #[test]
    fn malformed_input_is_a_bad_request() {
        let error = Params::parse(Some("application/json"), None, b"[1,2").expect_err("bad json");
        assert_eq!(error.code, 400);
        let params = Params::parse(None, Some("limit=ten&reply_markup=%7Bx"), b"").expect("query");
        assert_eq!(params.int("limit").expect_err("not a number").code, 400);
        assert_eq!(
            params.json("reply_markup", "x").expect_err("bad json").code,
            400
        );
        assert_eq!(
            Params::default().chat().expect_err("no chat").description,
            "Bad Request: chat_id is empty"
        );
    }

    #[test]
    fn usernames_are_chat_refs() {
        let params = Params::parse(None, Some("chat_id=%40muster_room"), b"").expect("query");
        assert_eq!(
            params.chat_ref(),
            Some(ChatRef::Username("muster_room".into()))
        );
    }
}
