//! A fake of the Telegram Bot API, served over real HTTP on 127.0.0.1 for a
//! real client (teloxide with `Bot::set_api_url`) to talk to.
//!
//! It answers like `api.telegram.org` does where Muster depends on it: the
//! envelopes and error texts, long polling with offsets and the 409 for a
//! second poller, flood control with `retry_after`, group-to-supergroup
//! migration, users who block the bot, "message is not modified". The test
//! drives the other side through [`FakeTelegram`]: it makes users and chats,
//! injects what users do (messages, button presses, adding the bot to a
//! group), scripts faults, and reads back what the bot did.
//!
//! ```no_run
//! # async fn demo() {
//! use muster_fakes::telegram::FakeTelegram;
//! let fake = FakeTelegram::start("123456:TEST-TOKEN").await;
//! let ada = fake.add_user("Ada");
//! let group = fake.add_group("Paris", &[ada]);
//! fake.send_text(group, ada, "/section@MusterBot link paris");
//! // … run the bot against fake.api_url() …
//! let replies = fake.wait_for_messages(group, 1, std::time::Duration::from_secs(5)).await;
//! # }
//! ```

mod entities;
mod error;
mod faults;
mod html;
mod inspect;
mod json;
mod methods;
mod model;
mod params;
mod queue;
mod ratelimit;
mod scenario;
mod server;
mod state;

pub use faults::{Fault, FaultKind};
pub use inspect::WaitTimeout;
pub use model::{
    BotCommand, BotStatus, CallbackAnswer, ChatAction, ChatKind, ChatMessage, CommandScope,
    Outcome, RequestRecord, Revision, User, Webhook,
};
pub use ratelimit::{Limit, RateLimits};
pub use scenario::{Injected, Text};

use state::State;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::watch;

/// State shared by the server and the test's handles.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Bumped after every change, for long polls and `wait_for_*`.
    changed: watch::Sender<u64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock has failed already;
        // the state is still good for reporting.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn read<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        read(&self.lock())
    }

    pub(crate) fn write<R>(&self, write: impl FnOnce(&mut State) -> R) -> R {
        let result = write(&mut self.lock());
        self.changed
            .send_modify(|version| *version = version.wrapping_add(1));
        result
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

/// A running fake Bot API and the test's handle on it. Clones share the
/// server; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
    _server: Arc<server::ServerGuard>,
}

impl FakeTelegram {
    /// Starts a fake for `token` whose bot is `@MusterBot`.
    ///
    /// # Panics
    /// If no port can be bound on 127.0.0.1.
    pub async fn start(token: &str) -> FakeTelegram {
        Self::start_as(token, "MusterBot").await
    }

    /// Starts a fake whose bot has this username. The bot's id is the
    /// token's leading number, as with real tokens.
    ///
    /// # Panics
    /// If no port can be bound on 127.0.0.1.
    pub async fn start_as(token: &str, bot_username: &str) -> FakeTelegram {
        let (changed, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new(token, bot_username)),
            changed,
        });
        let (addr, guard) = match server::bind(shared.clone()).await {
            Ok(bound) => bound,
            Err(error) => panic!("the fake Telegram API cannot listen on 127.0.0.1: {error}"),
        };
        FakeTelegram {
            shared,
            addr,
            _server: Arc::new(guard),
        }
    }

    /// The base URL for `Bot::set_api_url` (`http://127.0.0.1:<port>`).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn token(&self) -> String {
        self.shared.read(|state| state.token.clone())
    }

    pub fn bot_id(&self) -> i64 {
        self.shared.read(|state| state.bot_id)
    }

    pub fn bot_username(&self) -> String {
        self.shared.read(State::bot_username)
    }
}
