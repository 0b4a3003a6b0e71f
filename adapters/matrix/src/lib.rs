//! The Matrix bot of Muster, on matrix-sdk.
//!
//! [`start`] logs in (once: the session is saved as `session.json` in the
//! `[matrix] store` directory, beside matrix-sdk's SQLite store, and restored
//! on later starts so the bot keeps its device and encryption keys), then
//! syncs from where the bot stands. The sync position is the engine's
//! cursor `matrix:<user>`, moved only once every message of a sync response
//! has been handled; the very first start syncs once to skip the rooms'
//! history. A crash, or another process taking the bot over, re-reads the
//! messages after the last saved position, and the engine, which records
//! each handled event id with its replies, answers each of them once. It
//! listens:
//!
//! - invitations from `allowed_inviters` are accepted, others rejected;
//! - text messages addressed to the bot (`!cmd`, `/cmd`, `!muster cmd`, a
//!   leading mention or pill, any text in a direct room) become an
//!   [`Inbound`](muster_core::inbound::Inbound) for
//!   [`Engine::handle`](muster_core::engine::Engine::handle), one at a time
//!   in arrival order, and the effects go back through the platform's
//!   [`Outgoing`] path as `m.notice`;
//! - reactions ✅ ❔ ❌ on an event card (and their removal) are RSVP
//!   gestures.
//!
//! [`MatrixBot::messenger`] is the [`Messenger`] the outbox dispatcher sends
//! deliveries through: each send carries a transaction id derived from the
//! delivery's idempotency key, so a send retried after a crash is not posted
//! twice. The adapter never touches storage.

#![recursion_limit = "256"]

mod cards;
mod incoming;
mod messenger;
mod translate;

pub use messenger::MatrixMessenger;
pub use translate::{command_text, escape_html, inviter_allowed, render};

use incoming::Incoming;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::OwnedUserId;
use matrix_sdk::ruma::events::AnySyncTimelineEvent;
use matrix_sdk::ruma::events::room::member::StrippedRoomMemberEvent;
use matrix_sdk::store::StateStoreDataKey;
use matrix_sdk::{Client, Room, RoomState};
use muster_config::{Matrix, MatrixAuth};
use muster_core::engine::Engine;
use muster_core::outbox::{Messenger, Outgoing};
use muster_core::store::StoreError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The session file inside the store directory.
const SESSION_FILE: &str = "session.json";
/// How long one sync request waits for news on the server.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);

/// Why the Matrix bot could not start.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("cannot create the Matrix store directory {path}: {source}")]
    StoreDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the Matrix client for {homeserver}: {source}")]
    Client {
        homeserver: String,
        source: Box<matrix_sdk::ClientBuildError>,
    },
    #[error("`{value}` is not a Matrix user ID")]
    UserId { value: String },
    #[error("Matrix login as {user} failed: {source}")]
    Login {
        user: String,
        source: Box<matrix_sdk::Error>,
    },
    #[error("the saved Matrix session {path} cannot be read: {reason}")]
    Session { path: PathBuf, reason: String },
    #[error(
        "the saved Matrix session {path} is for {saved}, but [matrix] user is {configured}; use another store directory"
    )]
    OtherUser {
        path: PathBuf,
        saved: String,
        configured: String,
    },
    #[error("cannot save the Matrix session to {path}: {source}")]
    SaveSession {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the first Matrix sync failed: {0}")]
    Sync(Box<matrix_sdk::Error>),
    #[error("cannot read or save the Matrix sync position: {0}")]
    Cursor(String),
}

/// A running Matrix bot.
pub struct MatrixBot {
    client: Client,
    messenger: Arc<MatrixMessenger>,
    task: JoinHandle<()>,
}

impl MatrixBot {
    /// What the outbox dispatcher sends Matrix deliveries through.
    pub fn messenger(&self) -> Arc<dyn Messenger> {
        self.messenger.clone()
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The bot's device, kept across restarts.
    pub fn device_id(&self) -> Option<String> {
        self.client.device_id().map(|d| d.to_string())
    }

    /// Ends when the sync loop ends (it only does when stopped).
    pub async fn join(&mut self) {
        let _ = (&mut self.task).await;
    }

    /// Stops syncing and answering.
    pub fn shutdown(&self) {
        self.task.abort();
    }
}

impl Drop for MatrixBot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Logs in (or restores the saved session), syncs once, and starts
/// answering in the background.
pub async fn start(
    config: &Matrix,
    engine: Arc<Engine>,
    outgoing: Arc<Outgoing>,
) -> Result<MatrixBot, MatrixError> {
    let store = config.store.as_path();
    std::fs::create_dir_all(store).map_err(|source| MatrixError::StoreDir {
        path: store.to_path_buf(),
        source,
    })?;
    let user: OwnedUserId = config
        .user
        .as_str()
        .try_into()
        .map_err(|_| MatrixError::UserId {
            value: config.user.clone(),
        })?;
    let client = Client::builder()
        .homeserver_url(&config.homeserver)
        .sqlite_store(store, None)
        .build()
        .await
        .map_err(|e| MatrixError::Client {
            homeserver: config.homeserver.clone(),
            source: Box::new(e),
        })?;
    log_in(&client, config, &user, store).await?;
    tracing::info!(user = %user, device = ?client.device_id(), "Matrix session ready");

    let cursor_name = format!("matrix:{user}");
    let stored = engine
        .cursor(&cursor_name)
        .await
        .map_err(|e| MatrixError::Cursor(e.to_string()))?;
    let mut cursor = match stored {
        Some(cursor) => cursor,
        None => {
            // The first start: everything before this sync is history,
            // never answered.
            let response = client
                .sync_once(SyncSettings::default())
                .await
                .map_err(|e| MatrixError::Sync(Box::new(e)))?;
            engine
                .save_cursor(&cursor_name, &response.next_batch)
                .await
                .map_err(|e| MatrixError::Cursor(e.to_string()))?;
            response.next_batch
        }
    };

    let messenger = Arc::new(MatrixMessenger::new(client.clone()));
    // Every timeline event, decrypted when it was encrypted; those the bot
    // may answer are queued for the sync loop.
    let (queue, mut queued) = mpsc::unbounded_channel::<(Incoming, Room)>();
    client.add_event_handler(move |ev: AnySyncTimelineEvent, room: Room| {
        let queue = queue.clone();
        async move {
            if let Some(incoming) = Incoming::of(ev) {
                let _ = queue.send((incoming, room));
            }
        }
    });
    let inviters = Arc::new(config.allowed_inviters.clone());
    {
        let inviters = inviters.clone();
        client.add_event_handler(
            move |ev: StrippedRoomMemberEvent, room: Room, client: Client| {
                let inviters = inviters.clone();
                async move {
                    if client.user_id() != Some(ev.state_key.as_ref()) {
                        return;
                    }
                    // Joining waits for the room to come down a sync: never
                    // inside the handler, which runs within the sync.
                    tokio::spawn(answer_invite(room, ev.sender.to_string(), inviters));
                }
            },
        );
    }
    // Invitations that arrived while the bot was away.
    for room in client.invited_rooms() {
        let inviter = match room.invite_details().await {
            Ok(details) => details.inviter.map(|m| m.user_id().to_string()),
            Err(_) => None,
        };
        match inviter {
            Some(inviter) => {
                tokio::spawn(answer_invite(room, inviter, inviters.clone()));
            }
            None => {
                tracing::warn!(room = %room.room_id(), "invitation without inviter left pending")
            }
        }
    }

    let sync = {
        let client = client.clone();
        async move {
            let mut failures = 0u32;
            loop {
                match sync_pass(&client, &engine, &outgoing, &mut queued, &cursor).await {
                    Ok(next_batch) => {
                        if let Err(e) = engine.save_cursor(&cursor_name, &next_batch).await {
                            // Kept in memory: a restart re-reads a little more.
                            tracing::warn!(error = %e, "cannot save the Matrix sync position");
                        }
                        cursor = next_batch;
                        failures = 0;
                    }
                    Err(e) => {
                        // Not moving: the same events come again, and the
                        // ones already answered are not answered twice.
                        while queued.try_recv().is_ok() {}
                        failures += 1;
                        let wait = Duration::from_secs(2u64.pow(failures.min(5)));
                        tracing::warn!(error = %e, ?wait, "Matrix sync pass failed; retrying");
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        }
    };
    let task = tokio::spawn(sync);
    Ok(MatrixBot {
        client,
        messenger,
        task,
    })
}

/// Why a sync pass did not get through its events.
#[derive(Debug, thiserror::Error)]
enum PassError {
    #[error("sync failed: {0}")]
    Sync(#[from] matrix_sdk::Error),
    /// The database cannot say whether an event was handled already.
    #[error("cannot handle the events: {0}")]
    Store(#[from] StoreError),
}

/// The sync position the SDK saved with its store, if it has one.
async fn sdk_sync_token(client: &Client) -> Option<String> {
    match client
        .state_store()
        .get_kv_data(StateStoreDataKey::SyncToken)
        .await
    {
        Ok(value) => value.and_then(|v| v.into_sync_token()),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the SDK's sync position");
            None
        }
    }
}

/// One sync from `since`, and every event it brought answered; returns the
/// position after them.
async fn sync_pass(
    client: &Client,
    engine: &Engine,
    outgoing: &Arc<Outgoing>,
    queued: &mut mpsc::UnboundedReceiver<(Incoming, Room)>,
    since: &str,
) -> Result<String, PassError> {
    // A loop of sync_once answers in 0.2–0.5 s; `Client::sync` pauses ~1 s
    // between quick syncs.
    let settings = SyncSettings::default()
        .timeout(SYNC_TIMEOUT)
        .token(since.to_owned());
    let taken_in = sdk_sync_token(client).await;
    let response = client.sync_once(settings).await?;
    tracing::debug!(since, next = %response.next_batch, "synced");
    if response.next_batch != since && taken_in.as_deref() == Some(response.next_batch.as_str()) {
        // The SDK saved this response before, and Muster did not get
        // through its events: a process stopped in between, or a pass
        // failed. The SDK then hands nothing to the handlers ("the same
        // sync response twice"), so the rooms are read from `since`.
        while queued.try_recv().is_ok() {}
        for (ev, room) in incoming::range(client, since, &response.next_batch).await? {
            incoming::answer(client, engine, outgoing, ev, room).await?;
        }
        return Ok(response.next_batch);
    }
    // A room with more news than a sync carries comes "limited": the rest
    // is fetched before anything moves. The handlers ran within the sync,
    // so the queue holds this response's events; each room's gap is older
    // than its queued events, so it goes first.
    for (ev, room) in incoming::gaps(client, &response, since).await? {
        incoming::answer(client, engine, outgoing, ev, room).await?;
    }
    while let Ok((ev, room)) = queued.try_recv() {
        incoming::answer(client, engine, outgoing, ev, room).await?;
    }
    Ok(response.next_batch)
}

async fn log_in(
    client: &Client,
    config: &Matrix,
    user: &OwnedUserId,
    store: &Path,
) -> Result<(), MatrixError> {
    let path = store.join(SESSION_FILE);
    let login_error = |e: matrix_sdk::Error| MatrixError::Login {
        user: config.user.clone(),
        source: Box::new(e),
    };
    if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(|e| MatrixError::Session {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let session: MatrixSession =
            serde_json::from_str(&text).map_err(|e| MatrixError::Session {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        if session.meta.user_id != *user {
            return Err(MatrixError::OtherUser {
                path,
                saved: session.meta.user_id.to_string(),
                configured: config.user.clone(),
            });
        }
        return client.restore_session(session).await.map_err(login_error);
    }
    let session = match &config.auth {
        MatrixAuth::Password(password) => {
            client
                .matrix_auth()
                .login_username(user, password.expose())
                .initial_device_display_name("Muster")
                .send()
                .await
                .map_err(login_error)?;
            client
                .matrix_auth()
                .session()
                .ok_or_else(|| MatrixError::Session {
                    path: path.clone(),
                    reason: "the login gave no session".into(),
                })?
        }
        MatrixAuth::AccessToken(token) => {
            // The token's device is asked with a throwaway in-memory client,
            // so the persistent crypto store is opened for the right device.
            let probe = Client::builder()
                .homeserver_url(&config.homeserver)
                .build()
                .await
                .map_err(|e| MatrixError::Client {
                    homeserver: config.homeserver.clone(),
                    source: Box::new(e),
                })?;
            let tokens = matrix_sdk::SessionTokens {
                access_token: token.expose().to_string(),
                refresh_token: None,
            };
            probe
                .restore_session(MatrixSession {
                    meta: matrix_sdk::SessionMeta {
                        user_id: user.clone(),
                        device_id: "MUSTERPROBE".into(),
                    },
                    tokens: tokens.clone(),
                })
                .await
                .map_err(login_error)?;
            let whoami = probe
                .whoami()
                .await
                .map_err(|e| login_error(matrix_sdk::Error::Http(Box::new(e))))?;
            let device_id = whoami.device_id.ok_or_else(|| MatrixError::Session {
                path: path.clone(),
                reason: "the access token has no device".into(),
            })?;
            let session = MatrixSession {
                meta: matrix_sdk::SessionMeta {
                    user_id: whoami.user_id,
                    device_id,
                },
                tokens,
            };
            client
                .restore_session(session.clone())
                .await
                .map_err(login_error)?;
            session
        }
    };
    save_session(&path, &session)
}

fn save_session(path: &Path, session: &MatrixSession) -> Result<(), MatrixError> {
    let json = serde_json::to_string_pretty(session).map_err(|e| MatrixError::Session {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let save_error = |source| MatrixError::SaveSession {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("json.partial");
    write_private(&tmp, json.as_bytes()).map_err(save_error)?;
    std::fs::rename(&tmp, path).map_err(save_error)
}

/// The session holds the access token: readable by the owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

async fn answer_invite(room: Room, inviter: String, allowed: Arc<Vec<String>>) {
    if room.state() != RoomState::Invited {
        return;
    }
    if !inviter_allowed(&allowed, &inviter) {
        tracing::info!(room = %room.room_id(), %inviter, "invitation rejected");
        if let Err(e) = room.leave().await {
            tracing::warn!(room = %room.room_id(), error = %e, "cannot reject invitation");
        }
        return;
    }
    // The server may not know the room yet right after the invite (federation):
    // retry a few times.
    let mut wait = Duration::from_secs(1);
    for attempt in 1..=5 {
        match room.join().await {
            Ok(()) => {
                tracing::info!(room = %room.room_id(), %inviter, "joined");
                return;
            }
            Err(e) if attempt < 5 => {
                tracing::warn!(room = %room.room_id(), error = %e, "join failed; retrying");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            Err(e) => tracing::error!(room = %room.room_id(), error = %e, "cannot join"),
        }
    }
}
