//! Platform bots driven under a lease: of all the `muster` processes on one
//! database, only the holder of a bot's lease (`matrix:<user>`,
//! `telegram:<bot id>`) reads and sends as that bot. The others wait and
//! take over within the lease's time to live when the holder dies; a holder
//! that loses the lease stops the bot at once, and one that is stopped
//! (SIGTERM) gives the lease up for the next.

use anyhow::Result;
use muster_core::engine::Engine;
use muster_core::lease::{DEFAULT_TTL, Lease, LeaseLost};
use muster_core::outbox::{Messenger, MessengerSlot, Sleep};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::watch;

/// The lease's time to live. Test knob: `MUSTER_TEST_LEASE_SECONDS=n`, so a
/// failover test does not wait 15 s. Named `MUSTER_TEST_…` so the
/// configuration's environment overrides ignore it.
pub fn lease_ttl() -> std::time::Duration {
    crate::platforms::test_knob_seconds("MUSTER_TEST_LEASE_SECONDS").unwrap_or(DEFAULT_TTL)
}

/// Who this process is among the holders: host, process id and a random
/// part, so a restarted process with a recycled pid is someone else.
pub fn holder_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    use muster_core::clock::IdSource;
    let random = muster_core::clock::RandomIds::from_entropy().reference();
    format!("{host}:{}:{random}", std::process::id())
}

/// A platform bot while it runs.
pub trait RunningBot: Send {
    /// What the platform's deliveries and replies are sent through.
    fn messenger(&self) -> Arc<dyn Messenger>;
    /// A line for the operator: which bot, where.
    fn banner(&self) -> String;
    /// Stops reading and answering, and waits until it has.
    fn stop(self: Box<Self>) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

type Starting = Pin<Box<dyn Future<Output = Result<Box<dyn RunningBot>>> + Send>>;

/// What runs one platform's bot under its lease.
pub struct Leased {
    /// `Matrix`, `Telegram`: for the operator's messages.
    pub platform: &'static str,
    pub lease: String,
    pub engine: Arc<Engine>,
    pub slot: Arc<MessengerSlot>,
    pub holder: String,
    pub stop: watch::Receiver<bool>,
    pub sleep: Sleep,
}

impl Leased {
    /// Runs the bot `start` makes whenever this process holds the lease,
    /// until `stop` turns true. Returns an error only when the bot cannot
    /// start at all (bad credentials, an unreadable store): the operator
    /// must fix the configuration.
    pub async fn run(mut self, start: impl Fn() -> Starting) -> Result<()> {
        let lease = Lease::new(
            self.engine.store().clone(),
            self.engine.clock().clone(),
            self.lease.clone(),
            self.holder.clone(),
            lease_ttl(),
        );
        let platform = self.platform;
        loop {
            let until = tokio::select! {
                until = lease.acquire(&self.sleep) => until,
                _ = self.stop.wait_for(|s| *s) => return Ok(()),
            };
            let bot = match start().await {
                Ok(bot) => bot,
                Err(e) => {
                    let _ = lease.release().await;
                    return Err(e);
                }
            };
            crate::logging::say(&bot.banner());
            tracing::info!(
                lease = lease.name(),
                holder = lease.holder(),
                "{platform} lease taken"
            );
            self.slot.fill(bot.messenger());
            self.engine.wake();
            let lost = tokio::select! {
                lost = lease.keep(until, &self.sleep) => Some(lost),
                _ = self.stop.wait_for(|s| *s) => None,
            };
            // Stop first, then let go: nobody may take over while we still read.
            self.slot.empty();
            bot.stop().await;
            match lost {
                Some(why) => {
                    let why = match why {
                        LeaseLost::TakenOver => "another process took it over",
                        LeaseLost::Unconfirmed => "it could not be renewed in time",
                    };
                    tracing::warn!(
                        lease = lease.name(),
                        "{platform} lease lost ({why}); bot stopped"
                    );
                    crate::logging::say(&format!(
                        "{platform} bot stopped: the lease {} was lost ({why})",
                        lease.name()
                    ));
                }
                None => {
                    if let Err(e) = lease.release().await {
                        tracing::warn!(error = %e, "cannot release the {platform} lease; it expires by itself");
                    }
                    return Ok(());
                }
            }
        }
    }
}

impl RunningBot for muster_matrix::MatrixBot {
    fn messenger(&self) -> Arc<dyn Messenger> {
        muster_matrix::MatrixBot::messenger(self)
    }

    fn banner(&self) -> String {
        format!(
            "Matrix bot {} (device {})",
            self.client()
                .user_id()
                .map(|u| u.to_string())
                .unwrap_or_default(),
            self.device_id().unwrap_or_default()
        )
    }

    fn stop(mut self: Box<Self>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(async move {
            self.shutdown();
            self.join().await;
        })
    }
}

/// The Telegram bot, and the webhook it answers while it runs.
pub struct Telegram {
    pub bot: muster_telegram::TelegramBot,
    pub webhook: Option<Arc<muster_telegram::Webhook>>,
}

impl RunningBot for Telegram {
    fn messenger(&self) -> Arc<dyn Messenger> {
        self.bot.messenger()
    }

    fn banner(&self) -> String {
        format!(
            "Telegram bot @{} ({})",
            self.bot.username(),
            self.bot.mode()
        )
    }

    fn stop(mut self: Box<Self>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(async move {
            if let Some(hook) = &self.webhook {
                hook.empty();
            }
            self.bot.shutdown();
            self.bot.join().await;
        })
    }
}
