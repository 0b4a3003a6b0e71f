//! What the Telegram end-to-end tests share: a bot token the fake serves, a
//! `muster.toml` pointing the bot at the fake, and waits on what the bot did.

use muster_fakes::telegram::{ChatMessage, FakeTelegram};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A token of the real form; its bot id (the leading number) names the
/// bot's lease and cursor.
pub const TOKEN: &str = "123456789:AAF-fake-telegram-token-for-muster-tests";

/// The line `muster run` prints once its Telegram bot polls.
pub const READY: &str = "Telegram bot @MusterBot";

pub const WAIT: Duration = Duration::from_secs(30);

/// A fake Bot API, with Telegram's limits.
pub async fn fake() -> FakeTelegram {
    FakeTelegram::start(TOKEN).await
}

/// `muster.toml` for the bot on `fake`, with `admin` (a Telegram user id) as
/// root admin, on `storage` (a fresh SQLite file by default).
pub fn write_config(dir: &Path, fake: &FakeTelegram, admin: i64, storage: Option<&str>) -> PathBuf {
    let storage = storage.map_or_else(
        || format!("sqlite://{}", dir.join("muster.db").display()),
        str::to_string,
    );
    let path = dir.join("muster.toml");
    std::fs::write(
        &path,
        format!(
            r#"[storage]
url = "{storage}"

[telegram]
token = "{TOKEN}"
api_url = "{api}"

[defaults]
language = "en"

[access]
admins = ["telegram:{admin}"]
"#,
            api = fake.api_url(),
        ),
    )
    .expect("write muster.toml");
    path
}

/// Every text the bot sent in `chat`, edits included (each version).
pub fn texts(fake: &FakeTelegram, chat: i64) -> Vec<String> {
    fake.bot_messages(chat)
        .into_iter()
        .flat_map(|m| {
            m.history
                .iter()
                .map(|r| r.text.clone())
                .chain(std::iter::once(m.text.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Waits for a message of the bot in `chat` whose current text has every
/// one of `needles`.
pub async fn wait_text(fake: &FakeTelegram, chat: i64, needles: &[&str]) -> ChatMessage {
    let what = format!("{needles:?} in chat {chat}");
    match fake
        .wait_until(WAIT, &what, |fake| {
            fake.bot_messages(chat)
                .into_iter()
                .rev()
                .find(|m| needles.iter().all(|n| m.text.contains(n)))
        })
        .await
    {
        Ok(found) => found,
        Err(e) => panic!("{e}; the bot said in {chat}: {:#?}", texts(fake, chat)),
    }
}

/// How many messages of the bot in `chat` contain `needle`.
pub fn count(fake: &FakeTelegram, chat: i64, needle: &str) -> usize {
    fake.bot_messages(chat)
        .iter()
        .filter(|m| m.text.contains(needle))
        .count()
}
