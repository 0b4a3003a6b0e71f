//! A minimal Bot API client: POST JSON to `<api_url>/bot<token>/<Method>`.

use muster_fakes::telegram::FakeTelegram;
use serde_json::Value;
use std::time::Duration;

pub const TOKEN: &str = "123456:TEST-token_abc";

pub struct Api {
    http: reqwest::Client,
    base: String,
}

/// An HTTP answer: its status and its parsed JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// The `result` of a successful call.
    pub fn result(&self) -> &Value {
        assert_eq!(
            (self.status, &self.body["ok"]),
            (200, &Value::Bool(true)),
            "{self:?}"
        );
        &self.body["result"]
    }

    /// The `description` of a failed call, after checking its code.
    pub fn error(&self, code: u16) -> &str {
        assert_eq!(self.status, code, "{self:?}");
        assert_eq!(self.body["ok"], false);
        assert_eq!(self.body["error_code"], code);
        self.body["description"].as_str().unwrap_or_default()
    }
}

impl Api {
    pub fn new(fake: &FakeTelegram) -> Self {
        Self::with_token(fake, TOKEN)
    }

    pub fn with_token(fake: &FakeTelegram, token: &str) -> Self {
        Api {
            http: reqwest::Client::new(),
            base: format!("{}/bot{token}/", fake.api_url()),
        }
    }

    pub async fn try_call(
        &self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Reply, reqwest::Error> {
        let response = self
            .http
            .post(format!("{}{method}", self.base))
            .header("content-type", "application/json")
            .body(params.to_string())
            .timeout(timeout)
            .send()
            .await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        Ok(Reply { status, body })
    }

    pub async fn call(&self, method: &str, params: Value) -> Reply {
        match self.try_call(method, params, Duration::from_secs(60)).await {
            Ok(reply) => reply,
            Err(error) => panic!("{method} failed: {error}"),
        }
    }

    /// Sends a form body instead of JSON, as some clients do.
    pub async fn call_form(&self, method: &str, form: &str) -> Reply {
        let response = self
            .http
            .post(format!("{}{method}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
            .await
            .expect("form request");
        let status = response.status().as_u16();
        let body = serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
        Reply { status, body }
    }
}

/// A fake with limits off, so tests about other things are not throttled.
pub async fn fake() -> (FakeTelegram, Api) {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_rate_limits(muster_fakes::telegram::RateLimits::off());
    let api = Api::new(&fake);
    (fake, api)
}

/// A user who has started the bot.
pub fn started_user(fake: &FakeTelegram, name: &str) -> i64 {
    let user = fake.add_user(name);
    fake.start_bot(user);
    user
}

/// Waits until `count` requests of `method` have arrived (answered or not).
pub async fn arrived(fake: &FakeTelegram, method: &str, count: usize) {
    let waited = fake
        .wait_until(Duration::from_secs(5), method, |fake| {
            (fake.request_count(method) >= count).then_some(())
        })
        .await;
    waited.expect("the request arrives");
}
