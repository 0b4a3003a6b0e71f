//! No secret in anything `muster` prints: database passwords (in the
//! `user:password@` and `?password=` forms) and platform tokens, fed
//! through `migrate`, `export`, `run` and `check-config`, on their success
//! and their error paths, with the most talkative log level.

use muster_storage::testing::PgDb;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PASSWORD: &str = "hunter2-Sekret";
const TELEGRAM_TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const DISCORD_TOKEN: &str = "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.discord-secret-part-xyz";
const MATRIX_PASSWORD: &str = "matrix-Pa55word-secret";

fn muster(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(args)
        .current_dir(dir)
        .env_remove("MUSTER_STORAGE_URL")
        .env("MUSTER_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Everything the command printed; fails if a secret is in it.
fn assert_no_secret(what: &str, out: &Output) -> String {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let token_secret = TELEGRAM_TOKEN.split_once(':').unwrap().1;
    for secret in [PASSWORD, token_secret, DISCORD_TOKEN, MATRIX_PASSWORD] {
        assert!(
            !all.contains(secret),
            "{what} printed a secret ({secret}):\n{all}"
        );
    }
    all
}

/// `postgres://user@host/db` with the password in the `user:password@` form.
fn with_user_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    match rest.split_once('@') {
        Some((user, host)) => format!("{scheme}://{user}:{PASSWORD}@{host}"),
        None => format!("{scheme}://postgres:{PASSWORD}@{rest}"),
    }
}

fn with_query_password(url: &str) -> String {
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}password={PASSWORD}")
}

#[tokio::test]
async fn no_password_or_token_in_any_output() {
    let Some(db) = PgDb::new().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let unreachable = "postgres://muster@127.0.0.1:1/muster";
    for url in [with_user_password(&db.url), with_query_password(&db.url)] {
        // Trust authentication takes any password: these succeed.
        let out = muster(dir.path(), &["migrate", "--db", &url]);
        let all = assert_no_secret("migrate", &out);
        assert!(out.status.success(), "{all}");
        assert!(all.contains("***"), "the URL is shown, masked: {all}");
        let out = muster(dir.path(), &["export", "--db", &url]);
        let all = assert_no_secret("export", &out);
        assert!(out.status.success(), "{all}");
    }
    for url in [
        with_user_password(unreachable),
        with_query_password(unreachable),
    ] {
        for args in [
            vec!["migrate", "--db", &url],
            vec!["export", "--db", &url],
            vec!["console", "--db", &url],
        ] {
            let out = muster(dir.path(), &args);
            let all = assert_no_secret(args[0], &out);
            assert!(!out.status.success(), "{all}");
            assert!(
                all.contains("***"),
                "the error names the URL, masked: {all}"
            );
        }
    }

    // A configuration with every kind of secret.
    let config = format!(
        "[storage]\nurl = \"{}\"\n\n\
         [matrix]\nhomeserver = \"http://127.0.0.1:1\"\nuser = \"@muster:localhost\"\n\
         password = \"{MATRIX_PASSWORD}\"\nstore = \"store\"\n",
        with_user_password(unreachable)
    );
    std::fs::write(dir.path().join("muster.toml"), &config).unwrap();
    let out = muster(dir.path(), &["check-config"]);
    let all = assert_no_secret("check-config", &out);
    assert!(out.status.success(), "{all}");
    let out = muster(dir.path(), &["run"]);
    let all = assert_no_secret("run", &out);
    assert!(!out.status.success(), "the database is unreachable: {all}");

    // The same database reachable: the Matrix bot fails to log in.
    let config = config.replace(
        &with_user_password(unreachable),
        &with_query_password(&db.url),
    );
    std::fs::write(dir.path().join("muster.toml"), &config).unwrap();
    let out = muster(dir.path(), &["run"]);
    let all = assert_no_secret("run", &out);
    assert!(!out.status.success(), "no homeserver: {all}");

    // Tokens of the platforms, through the environment and a bad file.
    let tokens = format!(
        "[telegram]\ntoken = \"{TELEGRAM_TOKEN}\"\n\n[discord]\ntoken = \"{DISCORD_TOKEN}\"\napplication_id = 42\n\nbad key\n"
    );
    std::fs::write(dir.path().join("muster.toml"), &tokens).unwrap();
    let out = muster(dir.path(), &["check-config"]);
    assert_no_secret("check-config of a broken file", &out);
    assert_eq!(out.status.code(), Some(1));
    std::fs::write(
        dir.path().join("muster.toml"),
        tokens.replace("\nbad key\n", "\n"),
    )
    .unwrap();
    for args in [vec!["check-config"], vec!["run"]] {
        let out = muster(dir.path(), &args);
        assert_no_secret(args[0], &out);
    }
}

/// The Telegram bot talking to a Bot API (the fake) with every log on: the
/// token is in every request's URL, and in none of the output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_telegram_token_in_a_running_bots_trace() {
    let fake = muster_fakes::telegram::FakeTelegram::start(TELEGRAM_TOKEN).await;
    let ana = fake.add_user("Ana");
    let group = fake.add_supergroup("Paris", &[ana]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("muster.toml"),
        format!(
            "[telegram]\ntoken = \"{TELEGRAM_TOKEN}\"\napi_url = \"{}\"\n",
            fake.api_url()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
        .arg("run")
        .current_dir(dir.path())
        .env_remove("MUSTER_STORAGE_URL")
        .env("MUSTER_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    fake.send_text(group, ana, "/help");
    fake.wait_for_messages(group, 1, std::time::Duration::from_secs(30))
        .await
        .expect("the bot answered");
    // A refused send and an unreachable API, for their error paths.
    fake.inject_fault(muster_fakes::telegram::Fault::server_error(500).times(2));
    fake.send_text(group, ana, "/whoami");
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "muster ignored SIGTERM"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let out = child.wait_with_output().unwrap();
    let all = assert_no_secret("run with Telegram", &out);
    assert!(
        all.contains("GetUpdates") || all.contains("getUpdates") || all.contains("bot***"),
        "the trace shows the requests: {}",
        &all[..all.len().min(2000)]
    );
}
