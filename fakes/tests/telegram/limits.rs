//! Flood control: per chat, per group, overall, edits included.

use crate::client::{Api, TOKEN, started_user};
use muster_fakes::telegram::{FakeTelegram, Limit, Outcome, RateLimits};
use serde_json::json;
use std::time::Duration;

async fn limited(limits: RateLimits) -> (FakeTelegram, Api) {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_rate_limits(limits);
    let api = Api::new(&fake);
    (fake, api)
}

#[tokio::test]
async fn a_busy_chat_gets_429_while_other_chats_are_served() {
    let (fake, api) = limited(RateLimits::default()).await;
    let (ada, bob) = (started_user(&fake, "Ada"), started_user(&fake, "Bob"));
    for n in 0..3 {
        api.call(
            "SendMessage",
            json!({"chat_id": ada, "text": format!("burst {n}")}),
        )
        .await
        .result();
    }
    let refused = api
        .call(
            "SendMessage",
            json!({"chat_id": ada, "text": "one too many"}),
        )
        .await;
    assert_eq!(refused.error(429), "Too Many Requests: retry after 1");
    assert_eq!(refused.body["parameters"], json!({"retry_after": 1}));
    api.call("SendMessage", json!({"chat_id": bob, "text": "meanwhile"}))
        .await
        .result();
    tokio::time::sleep(Duration::from_secs(1)).await;
    api.call(
        "SendMessage",
        json!({"chat_id": ada, "text": "after waiting"}),
    )
    .await
    .result();
    assert_eq!(fake.too_many_requests_served(), 1);
    assert_eq!(fake.bot_messages(ada).len(), 4);

    // The log shows the order: refused, other chat served, then the retry a second later.
    let sends: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.is("sendMessage"))
        .collect();
    let refused_at = sends
        .iter()
        .find(|r| r.status() == Some(429))
        .map(|r| r.at)
        .expect("the 429");
    let bob_at = sends
        .iter()
        .find(|r| r.chat_id == Some(bob))
        .map(|r| r.at)
        .expect("bob's");
    let retry_at = sends.last().map(|r| r.at).expect("the retry");
    assert!(bob_at > refused_at && retry_at >= refused_at + Duration::from_secs(1));
    assert!(
        sends
            .iter()
            .all(|r| r.outcome == Outcome::Ok || r.status() == Some(429))
    );
}

#[tokio::test]
async fn groups_get_twenty_a_minute_and_edits_count() {
    let limits = RateLimits {
        per_chat: Limit::new(100, Duration::from_millis(1)),
        ..RateLimits::default()
    };
    let (fake, api) = limited(limits).await;
    let ada = fake.add_user("Ada");
    let group = fake.add_supergroup("Paris", &[ada]);
    let first = api
        .call("SendMessage", json!({"chat_id": group, "text": "0"}))
        .await;
    let id = first.result()["message_id"].clone();
    for n in 1..19 {
        api.call(
            "SendMessage",
            json!({"chat_id": group, "text": n.to_string()}),
        )
        .await
        .result();
    }
    api.call(
        "EditMessageText",
        json!({"chat_id": group, "message_id": id, "text": "edited"}),
    )
    .await
    .result();
    let refused = api
        .call("SendMessage", json!({"chat_id": group, "text": "21st"}))
        .await;
    assert_eq!(refused.error(429), "Too Many Requests: retry after 3");
    let edit = api
        .call(
            "EditMessageText",
            json!({"chat_id": group, "message_id": id, "text": "again"}),
        )
        .await;
    assert_eq!(edit.error(429), "Too Many Requests: retry after 3");
    assert_eq!(fake.too_many_requests_served(), 2);
}

#[tokio::test]
async fn the_bot_gets_thirty_a_second_overall() {
    let (fake, api) = limited(RateLimits::default()).await;
    let users: Vec<i64> = (0..31)
        .map(|n| started_user(&fake, &format!("User{n}")))
        .collect();
    for user in &users[..30] {
        api.call("SendMessage", json!({"chat_id": user, "text": "news"}))
            .await
            .result();
    }
    let refused = api
        .call("SendMessage", json!({"chat_id": users[30], "text": "news"}))
        .await;
    assert_eq!(refused.body["parameters"]["retry_after"], 1);
}

#[tokio::test]
async fn a_flood_wait_holds_one_chat_and_limits_can_be_turned_off() {
    let (fake, api) = limited(RateLimits::off()).await;
    let (ada, bob) = (started_user(&fake, "Ada"), started_user(&fake, "Bob"));
    for n in 0..40 {
        api.call(
            "SendMessage",
            json!({"chat_id": ada, "text": n.to_string()}),
        )
        .await
        .result();
    }
    fake.flood_wait(ada, Duration::from_millis(1500));
    let refused = api
        .call("SendMessage", json!({"chat_id": ada, "text": "x"}))
        .await;
    assert_eq!(refused.body["parameters"]["retry_after"], 2);
    api.call("SendMessage", json!({"chat_id": bob, "text": "x"}))
        .await
        .result();
}
