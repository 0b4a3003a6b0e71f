//! Webhook mode through the real binary: Muster registers its address and
//! secret with Telegram, takes Telegram's calls on its web server (a call
//! without the secret is 401, a malformed one 400), answers each update
//! once however often it comes, and serves `/healthz`.

use crate::common::{TOKEN, fake, wait_text};
use crate::muster_bin::{Muster, READY_WAIT};
use serde_json::json;

const SECRET: &str = "hook_secret-123";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_calls_the_webhook_with_its_secret_and_each_update_is_answered_once() {
    let _serial = crate::serial::one_at_a_time();
    let fake = fake().await;
    let ana = fake.add_user("Ana");
    let group = fake.add_supergroup("Paris", &[ana]);
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("muster.toml");
    std::fs::write(
        &config,
        format!(
            r#"[storage]
url = "sqlite://{db}"

[telegram]
token = "{TOKEN}"
api_url = "{api}"
mode = "webhook"
webhook_secret = "{SECRET}"

[web]
listen = "127.0.0.1:{port}"
public_url = "https://muster.example.org"

[access]
admins = ["telegram:{ana}"]
"#,
            db = dir.path().join("muster.db").display(),
            api = fake.api_url(),
        ),
    )
    .unwrap();
    let mut muster = Muster::spawn(&config, &dir.path().join("muster.log"), &[]);
    muster.wait_for("Telegram bot @MusterBot (webhook)", READY_WAIT);
    let hook = fake.webhook().expect("the webhook is registered");
    assert_eq!(hook.url, "https://muster.example.org/telegram/webhook");
    assert_eq!(hook.secret_token.as_deref(), Some(SECRET));

    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let update = |id: i64, text: &str| {
        json!({"update_id": id, "message": {
            "message_id": id, "date": 1_700_000_000,
            "chat": {"id": group, "type": "supergroup", "title": "Paris"},
            "from": {"id": ana, "is_bot": false, "first_name": "Ana"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": text.find(' ').unwrap_or(text.len())}],
        }})
        .to_string()
    };
    let call = |body: String, secret: Option<&'static str>| {
        let mut request = http
            .post(format!("{base}/telegram/webhook"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        request.send()
    };

    // Without the secret, or with a wrong one: 401, and nothing happens.
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(call(update(1, "/help"), None).await.unwrap()), 401);
    assert_eq!(
        status(
            call(update(1, "/help"), Some("hook_secret-124"))
                .await
                .unwrap()
        ),
        401
    );
    assert_eq!(
        status(call("{not json".into(), Some(SECRET)).await.unwrap()),
        400
    );

    assert_eq!(
        status(
            call(update(2, "/section new paris \"Paris\""), Some(SECRET))
                .await
                .unwrap()
        ),
        200
    );
    wait_text(&fake, group, &["Section Paris created"]).await;
    assert_eq!(
        status(
            call(update(3, "/section link paris"), Some(SECRET))
                .await
                .unwrap()
        ),
        200
    );
    // The same update twice (Telegram repeats a call it thinks failed):
    // the command runs once.
    for _ in 0..2 {
        let body = update(4, "/initiative new \"Webhook idea\"");
        assert_eq!(status(call(body, Some(SECRET)).await.unwrap()), 200);
    }
    wait_text(&fake, group, &["Initiative #1", "Webhook idea"]).await;
    assert!(
        !fake
            .bot_messages(group)
            .iter()
            .any(|m| m.text.contains("Initiative #2")),
        "the update ran twice"
    );
    assert!(
        fake.bot_messages(group)
            .iter()
            .all(|m| !m.text.contains("Muster commands")),
        "the unauthorised /help ran"
    );

    // The rest of the web server.
    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let health: serde_json::Value = serde_json::from_str(&health.text().await.unwrap()).unwrap();
    assert_eq!(health["storage"], "ok");
    assert_eq!(health["bots"]["telegram"], "connected");
    assert_eq!(
        status(
            http.get(format!("{base}/telegram/webhook"))
                .send()
                .await
                .unwrap()
        ),
        405
    );
    assert_eq!(
        status(
            http.get(format!("{base}/nothing/here"))
                .send()
                .await
                .unwrap()
        ),
        404
    );

    muster.stop();
}
