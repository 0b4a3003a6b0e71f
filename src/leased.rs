//! Platform bots driven under a lease: of all the `muster` processes on one
//! database, only the holder of `matrix:<user>` syncs and sends as that
//! Matrix account. The others wait and take over within the lease's time to
//! live when the holder dies; a holder that loses the lease stops the bot at
//! once, and one that is stopped (SIGTERM) gives the lease up for the next.

use anyhow::{Context, Result};
use muster_core::engine::Engine;
use muster_core::lease::{DEFAULT_TTL, Lease, LeaseLost};
use muster_core::outbox::{MessengerSlot, Outgoing, Sleep};
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

/// Runs the Matrix bot whenever this process holds its lease, until `stop`
/// turns true. Returns an error only when the bot cannot start at all (bad
/// credentials, unreadable store): the operator must fix the configuration.
pub async fn matrix(
    config: muster_config::Matrix,
    engine: Arc<Engine>,
    slot: Arc<MessengerSlot>,
    outgoing: Arc<Outgoing>,
    holder: String,
    mut stop: watch::Receiver<bool>,
    sleep: Sleep,
) -> Result<()> {
    let lease = Lease::new(
        engine.store().clone(),
        engine.clock().clone(),
        format!("matrix:{}", config.user),
        holder,
        lease_ttl(),
    );
    loop {
        let until = tokio::select! {
            until = lease.acquire(&sleep) => until,
            _ = stop.wait_for(|s| *s) => return Ok(()),
        };
        let mut bot = match muster_matrix::start(&config, engine.clone(), outgoing.clone()).await {
            Ok(bot) => bot,
            Err(e) => {
                let _ = lease.release().await;
                return Err(e).context("[matrix]");
            }
        };
        crate::logging::say(&format!(
            "Matrix bot {} on {} (device {})",
            config.user,
            config.homeserver,
            bot.device_id().unwrap_or_default()
        ));
        tracing::info!(
            lease = lease.name(),
            holder = lease.holder(),
            "Matrix lease taken"
        );
        slot.fill(bot.messenger());
        engine.wake();
        let lost = tokio::select! {
            lost = lease.keep(until, &sleep) => Some(lost),
            _ = stop.wait_for(|s| *s) => None,
        };
        // Stop first, then let go: nobody may take over while we still sync.
        slot.empty();
        bot.shutdown();
        bot.join().await;
        drop(bot);
        match lost {
            Some(why) => {
                let why = match why {
                    LeaseLost::TakenOver => "another process took it over",
                    LeaseLost::Unconfirmed => "it could not be renewed in time",
                };
                tracing::warn!(
                    lease = lease.name(),
                    "Matrix lease lost ({why}); bot stopped"
                );
                crate::logging::say(&format!(
                    "Matrix bot {} stopped: the lease was lost ({why})",
                    config.user
                ));
            }
            None => {
                if let Err(e) = lease.release().await {
                    tracing::warn!(error = %e, "cannot release the Matrix lease; it expires by itself");
                }
                return Ok(());
            }
        }
    }
}
