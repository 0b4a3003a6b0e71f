//! Authentication, method names and long polling.

use crate::client::{Api, arrived, fake, started_user};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn method_names_are_case_insensitive_and_get_me_is_complete() {
    let (fake, api) = fake().await;
    for method in ["GetMe", "getMe", "getme", "GETME"] {
        let me = api.call(method, json!({})).await;
        let me = me.result();
        assert_eq!(me["id"], 123456);
        assert_eq!(me["is_bot"], true);
        assert_eq!(me["username"], fake.bot_username());
        for field in [
            "first_name",
            "can_join_groups",
            "can_read_all_group_messages",
            "supports_inline_queries",
            "has_main_web_app",
            "can_connect_to_business",
        ] {
            assert!(me.get(field).is_some(), "getMe lacks {field}");
        }
    }
    assert_eq!(fake.request_count("getMe"), 4);
    assert_eq!(fake.requests_per_method().get("getme"), Some(&4));
    assert_eq!(
        api.call("NoSuchMethod", json!({})).await.error(404),
        "Not Found"
    );
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let (fake, _) = fake().await;
    let intruder = Api::with_token(&fake, "123456:WRONG");
    assert_eq!(
        intruder.call("GetMe", json!({})).await.error(401),
        "Unauthorized"
    );
}

#[tokio::test]
async fn startup_calls_answer_like_telegram() {
    let (fake, api) = fake().await;
    let info = api.call("GetWebhookInfo", json!({})).await;
    assert_eq!(info.result()["url"], "");
    assert_eq!(
        api.call("DeleteWebhook", json!({"drop_pending_updates": false}))
            .await
            .result(),
        &Value::Bool(true)
    );
    let set = api
        .call(
            "SetWebhook",
            json!({"url": "https://example.org/hook", "secret_token": "s3cret"}),
        )
        .await;
    assert_eq!(set.result(), &Value::Bool(true));
    assert_eq!(
        fake.webhook().map(|hook| hook.secret_token),
        Some(Some("s3cret".into()))
    );
    let refused = api.call("GetUpdates", json!({})).await;
    assert!(refused.error(409).contains("webhook is active"));
    api.call("DeleteWebhook", json!({})).await.result();
    assert_eq!(api.call("GetUpdates", json!({})).await.result(), &json!([]));
    assert_eq!(
        api.call("LogOut", json!({})).await.result(),
        &Value::Bool(true)
    );
}

#[tokio::test]
async fn a_long_poll_returns_at_once_when_an_update_arrives() {
    let (fake, api) = fake().await;
    let user = fake.add_user("Ada");
    let poll = tokio::spawn(async move {
        let started = Instant::now();
        let reply = api
            .call("GetUpdates", json!({"offset": 0, "timeout": 20}))
            .await;
        (started.elapsed(), reply)
    });
    arrived(&fake, "GetUpdates", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    fake.send_text(user, user, "hello");
    let (elapsed, reply) = poll.await.expect("poll task");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let updates = reply.result().as_array().expect("array").clone();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["message"]["text"], "hello");
    assert_eq!(updates[0]["message"]["chat"]["type"], "private");
}

#[tokio::test]
async fn a_long_poll_with_nothing_to_say_waits_out_its_timeout() {
    let (_fake, api) = fake().await;
    let started = Instant::now();
    let reply = api.call("GetUpdates", json!({"timeout": 1})).await;
    assert_eq!(reply.result(), &json!([]));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "returned after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_offset_confirms_updates_for_good() {
    let (fake, api) = fake().await;
    let ada = started_user(&fake, "Ada");
    fake.send_text(ada, ada, "two");
    let first = api
        .call("GetUpdates", json!({"allowed_updates": ["message"]}))
        .await;
    let first = first.result().as_array().expect("array").clone();
    assert_eq!(first.len(), 2, "/start and two");
    let last = first[1]["update_id"].as_i64().expect("update_id");
    // Unconfirmed updates are served again.
    assert_eq!(
        api.call("GetUpdates", json!({}))
            .await
            .result()
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(
        api.call("GetUpdates", json!({"offset": last + 1}))
            .await
            .result(),
        &json!([])
    );
    assert_eq!(fake.pending_updates(), 0);
    // Confirmed ones are gone even for a lower offset.
    assert_eq!(
        api.call("GetUpdates", json!({"offset": last - 1}))
            .await
            .result(),
        &json!([])
    );
    assert_eq!(fake.allowed_updates(), Some(vec!["message".to_owned()]));
    // Callback queries are now filtered when they happen.
    fake.set_rate_limits(Default::default());
    let sent = api
        .call("SendMessage", json!({"chat_id": ada, "text": "Pick", "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}}))
        .await;
    let message_id = sent.result()["message_id"].as_i64().expect("id");
    fake.press_button(ada, message_id, ada, "a");
    assert_eq!(fake.pending_updates(), 0);
}

#[tokio::test]
async fn a_second_poller_terminates_the_first_with_409() {
    let (fake, api) = fake().await;
    let user = fake.add_user("Ada");
    let first = tokio::spawn({
        let api = Api::new(&fake);
        async move { api.call("GetUpdates", json!({"timeout": 20})).await }
    });
    arrived(&fake, "GetUpdates", 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = tokio::spawn(async move { api.call("GetUpdates", json!({"timeout": 20})).await });
    let first = tokio::time::timeout(Duration::from_secs(5), first)
        .await
        .expect("first ends")
        .expect("task");
    assert_eq!(
        first.error(409),
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    );
    // The newer poll is the one still waiting, and it gets the next update.
    fake.send_text(user, user, "hi");
    let second = tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("second ends")
        .expect("task");
    assert_eq!(second.result().as_array().map(Vec::len), Some(1));
}
