//! Scripted faults, seen through a real HTTP client.

use crate::client::{fake, started_user};
use muster_fakes::telegram::{Fault, Outcome};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn server_errors_hit_the_chosen_requests_only() {
    let (fake, api) = fake().await;
    let (ada, bob) = (started_user(&fake, "Ada"), started_user(&fake, "Bob"));
    fake.inject_fault(
        Fault::server_error(502)
            .method("sendMessage")
            .chat(ada)
            .times(2),
    );
    api.call("SendMessage", json!({"chat_id": bob, "text": "fine"}))
        .await
        .result();
    for _ in 0..2 {
        let failed = api
            .call("SendMessage", json!({"chat_id": ada, "text": "x"}))
            .await;
        assert_eq!(failed.error(502), "Bad Gateway");
    }
    api.call("SendMessage", json!({"chat_id": ada, "text": "x"}))
        .await
        .result();
    assert_eq!(fake.bot_messages(ada).len(), 1, "failed sends did nothing");

    fake.inject_fault(Fault::server_error_html(502));
    let page = api.call("GetMe", json!({})).await;
    assert_eq!(page.status, 502);
    assert!(
        page.body
            .as_str()
            .is_some_and(|html| html.contains("<title>502 Bad Gateway</title>"))
    );

    fake.inject_fault(Fault::too_many_requests(7).chat(bob));
    let throttled = api
        .call("SendMessage", json!({"chat_id": bob, "text": "x"}))
        .await;
    assert_eq!(throttled.body["parameters"]["retry_after"], 7);
    assert_eq!(fake.too_many_requests_served(), 1);
}

#[tokio::test]
async fn a_hung_request_ends_with_the_clients_timeout() {
    let (fake, api) = fake().await;
    fake.inject_fault(Fault::hang().method("GetUpdates"));
    let error = api
        .try_call("GetUpdates", json!({}), Duration::from_millis(300))
        .await
        .expect_err("no answer comes");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(fake.requests()[0].outcome, Outcome::Hung);
    api.call("GetUpdates", json!({})).await.result();
}

#[tokio::test]
async fn a_dropped_connection_is_a_network_error_for_the_client() {
    let (fake, api) = fake().await;
    let ada = started_user(&fake, "Ada");
    fake.inject_fault(Fault::drop_connection().method("SendMessage"));
    let error = api
        .try_call(
            "SendMessage",
            json!({"chat_id": ada, "text": "x"}),
            Duration::from_secs(5),
        )
        .await
        .expect_err("the connection is closed");
    assert!(!error.is_timeout() && error.status().is_none(), "{error:?}");
    assert!(
        error.is_request(),
        "a transport error, not an HTTP one: {error:?}"
    );
    assert!(fake.bot_messages(ada).is_empty());
    // The next request, on a new connection, goes through.
    api.call("SendMessage", json!({"chat_id": ada, "text": "x"}))
        .await
        .result();

    // After processing: delivered, yet the client only sees the failure.
    fake.inject_fault(Fault::drop_connection().after_processing());
    let error = api
        .try_call(
            "SendMessage",
            json!({"chat_id": ada, "text": "y"}),
            Duration::from_secs(5),
        )
        .await;
    assert!(error.is_err());
    assert_eq!(fake.bot_messages(ada).len(), 2);
}
