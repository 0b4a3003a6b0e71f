//! A test organisation: a fresh SQLite database in a temporary directory,
//! the engine on a mock clock, and members speaking in rooms.

use chrono::{TimeZone, Utc};
use muster_core::clock::{Clock, MockClock, RandomIds};
use muster_core::domain::{Platform, RoomRef};
use muster_core::engine::{Engine, EngineSettings};
use muster_core::gesture::Gesture;
use muster_core::inbound::{Inbound, Input, Outbound, Target};
use muster_core::outbox::{Dispatcher, Messenger, Paced};
use std::sync::Arc;

pub struct Org {
    pub engine: Arc<Engine>,
    pub clock: MockClock,
    pub url: String,
    _dir: tempfile::TempDir,
}

pub fn console() -> RoomRef {
    RoomRef::new(Platform::Console, "console")
}

impl Org {
    pub async fn new() -> Org {
        Org::with(EngineSettings {
            commands_per_minute: 10_000,
            ..EngineSettings::default()
        })
        .await
    }

    pub async fn with(settings: EngineSettings) -> Org {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("warn")
            .try_init();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("muster.db").display());
        let store = muster_storage::open(&url).await.unwrap();
        let clock = MockClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
        let engine = Arc::new(Engine::new(
            store,
            Arc::new(clock.clone()),
            Arc::new(RandomIds::seeded(7)),
            settings,
        ));
        Org {
            engine,
            clock,
            url,
            _dir: dir,
        }
    }

    /// An organisation on the database at `url`, on `clock` (another
    /// process's view of the same world, or a database moved elsewhere).
    pub async fn at(url: &str, clock: MockClock) -> Org {
        let dir = tempfile::tempdir().unwrap();
        let store = muster_storage::open(url).await.unwrap();
        let engine = Arc::new(Engine::new(
            store,
            Arc::new(clock.clone()),
            Arc::new(RandomIds::seeded(8)),
            EngineSettings {
                commands_per_minute: 10_000,
                ..EngineSettings::default()
            },
        ));
        Org {
            engine,
            clock,
            url: url.to_string(),
            _dir: dir,
        }
    }

    /// Loads this organisation's export into `target` (empty), as
    /// `muster export` then `muster import` do.
    pub async fn move_to(&self, target: &Org) {
        let doc: muster_core::export::Export =
            serde_json::from_value(self.export_with_time().await).unwrap();
        let mut tx = target.engine.store().begin().await.unwrap();
        muster_core::export::import(tx.as_mut(), &doc, self.clock.now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    async fn export_with_time(&self) -> serde_json::Value {
        let mut tx = self.engine.store().begin().await.unwrap();
        let doc = muster_core::export::export(tx.as_mut(), self.clock.now())
            .await
            .unwrap();
        serde_json::to_value(doc).unwrap()
    }

    /// `who` says `text` in `room`; returns everything the engine sends.
    pub async fn say_in(&self, room: &RoomRef, who: &str, text: &str) -> Vec<Outbound> {
        self.engine
            .handle(&Inbound::text(room.clone(), who, text))
            .await
    }

    /// `who` presses a button (makes a gesture) in the console room.
    pub async fn press(&self, who: &str, gesture: Gesture) -> Vec<Outbound> {
        let inbound = Inbound {
            input: Input::Gesture(gesture),
            ..Inbound::text(console(), who, "")
        };
        self.engine.handle(&inbound).await
    }

    /// A dispatcher sending this organisation's deliveries through
    /// `messenger`, with no limits.
    pub fn dispatcher(&self, messenger: Arc<dyn Messenger>) -> Dispatcher {
        Dispatcher::new(
            self.engine.store().clone(),
            self.engine.clock().clone(),
            Arc::new(Paced::unlimited(messenger, self.engine.clock().clone())),
            Default::default(),
        )
    }

    pub async fn say(&self, who: &str, text: &str) -> Vec<Outbound> {
        self.say_in(&console(), who, text).await
    }

    /// The text of the first reply, for assertions.
    pub async fn reply(&self, who: &str, text: &str) -> String {
        let out = self.say(who, text).await;
        assert!(!out.is_empty(), "no reply to {text:?}");
        out[0].text.clone()
    }

    /// A section `paris` linked to the console, created by admin `ana`.
    pub async fn with_section() -> Org {
        let org = Org::new().await;
        org.reply("ana", "/section new paris \"Paris\"").await;
        org.reply("ana", "/section link paris").await;
        org
    }

    pub async fn export(&self) -> serde_json::Value {
        let mut tx = self.engine.store().begin().await.unwrap();
        let doc = muster_core::export::export(tx.as_mut(), self.clock_now())
            .await
            .unwrap();
        let mut v = serde_json::to_value(doc).unwrap();
        v.as_object_mut().unwrap().remove("exported_at");
        v
    }

    fn clock_now(&self) -> chrono::DateTime<Utc> {
        self.engine.clock().now()
    }
}

/// Private messages sent to `user_id` among `out`.
pub fn privately<'a>(out: &'a [Outbound], user_id: &str) -> Vec<&'a Outbound> {
    out.iter()
        .filter(|o| matches!(&o.target, Target::Direct { user_id: u, .. } if u == user_id))
        .collect()
}

/// A platform that records what it is asked to send.
pub struct Recorder {
    platform: Platform,
    sent: std::sync::Mutex<Vec<Outbound>>,
}

impl Recorder {
    pub fn new(platform: Platform) -> Self {
        Recorder {
            platform,
            sent: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub fn sent(&self) -> Vec<Outbound> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl Messenger for Recorder {
    fn platform(&self) -> Platform {
        self.platform
    }

    async fn send(&self, message: &Outbound) -> Result<(), muster_core::outbox::SendError> {
        self.sent.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Org {
    /// Moves the mock clock to `target`, stopping at every job's due time to
    /// run the scheduler and deliver console messages, as a live process
    /// would. Returns what was delivered, with the time it went out.
    pub async fn run_until(
        &self,
        target: chrono::DateTime<Utc>,
    ) -> Vec<(chrono::DateTime<Utc>, Outbound)> {
        let scheduler = muster_core::scheduler::Scheduler::new(self.engine.clone());
        let recorder = Arc::new(Recorder::new(Platform::Console));
        let dispatcher = self.dispatcher(recorder.clone());
        let mut delivered = Vec::new();
        loop {
            match scheduler.next_due().await.unwrap() {
                Some(at) if at <= target => {
                    if at > self.clock.now() {
                        self.clock.set(at);
                    }
                    scheduler.run_due().await.unwrap();
                    dispatcher.dispatch_due().await.unwrap();
                    let now = self.clock.now();
                    for out in recorder.take() {
                        delivered.push((now, out));
                    }
                }
                _ => break,
            }
        }
        self.clock.set(target);
        dispatcher.dispatch_due().await.unwrap();
        for out in recorder.take() {
            delivered.push((target, out));
        }
        delivered
    }

    pub async fn jobs(
        &self,
        state: muster_core::domain::JobState,
    ) -> Vec<muster_core::domain::Job> {
        let mut tx = self.engine.store().begin().await.unwrap();
        tx.jobs(&[state], None, 10_000).await.unwrap()
    }
}

impl Recorder {
    pub fn take(&self) -> Vec<Outbound> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }
}

pub fn at(text: &str) -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}
