//! The chat platforms `muster run` drives. One list, read by `run` (to
//! start each configured bot) and by `check-config` (to say what would run
//! and refuse what would not), so the two can never disagree.
//!
//! Each platform is one function that builds its adapter from its section
//! of muster.toml: the platform's paced messenger (its limits, shared by
//! replies and deliveries), the [`Outgoing`] path for replies, the outbox
//! [`Dispatcher`], and the bot itself, run under its lease.

use anyhow::{Result, bail};
use muster_config::Config;
use muster_core::domain::Platform;
use muster_core::engine::Engine;
use muster_core::outbox::{
    Dispatcher, MessengerSlot, Outgoing, Paced, RateLimits, RetryPolicy, Sleep,
};
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// What a started platform leaves running.
#[derive(Default)]
pub struct Started {
    /// Carry each platform's outbox deliveries (run by the background loop).
    pub dispatchers: Vec<Arc<Dispatcher>>,
    /// The bots; each ends with an error only when it cannot start at all.
    pub bots: JoinSet<Result<()>>,
}

/// What every platform's start needs.
pub struct Context {
    pub engine: Arc<Engine>,
    /// This process among those sharing the database (lease holder name).
    pub holder: String,
    /// Turns true when the process stops: bots give their leases up.
    pub stop: watch::Receiver<bool>,
}

type Start = fn(&Config, &Context, &mut Started);

/// How this build starts a platform's bot; `None`: it has no bot for it yet.
fn starter(platform: Platform) -> Option<Start> {
    match platform {
        Platform::Matrix => Some(matrix),
        Platform::Telegram | Platform::Discord | Platform::Console => None,
    }
}

/// The chat platforms muster.toml configures, in a fixed order.
pub fn configured(config: &Config) -> Vec<Platform> {
    [
        (Platform::Matrix, config.matrix.is_some()),
        (Platform::Telegram, config.telegram.is_some()),
        (Platform::Discord, config.discord.is_some()),
    ]
    .into_iter()
    .filter_map(|(platform, on)| on.then_some(platform))
    .collect()
}

/// The configured platforms, or the reason `run` would refuse them.
pub fn check(config: &Config) -> Result<Vec<Platform>> {
    let platforms = configured(config);
    let missing: Vec<String> = platforms
        .iter()
        .filter(|p| starter(**p).is_none())
        .map(|p| format!("[{p}]"))
        .collect();
    if !missing.is_empty() {
        let driven: Vec<String> = Platform::ALL
            .into_iter()
            .filter(|p| starter(*p).is_some())
            .map(|p| p.to_string())
            .collect();
        bail!(
            "{} is configured, but this version of Muster has no bot for it (it runs the console and {}); remove the section or run `muster console`",
            missing.join(", "),
            driven.join(", ")
        );
    }
    Ok(platforms)
}

/// Starts every configured platform's bot.
pub fn start(config: &Config, context: &Context) -> Result<Started> {
    let mut started = Started::default();
    for platform in check(config)? {
        if let Some(start) = starter(platform) {
            start(config, context, &mut started);
        }
    }
    Ok(started)
}

fn matrix(config: &Config, context: &Context, started: &mut Started) {
    let Some(matrix) = config.matrix.clone() else {
        return;
    };
    let engine = &context.engine;
    // Filled only while this process holds the bot's lease.
    let slot = Arc::new(MessengerSlot::new(Platform::Matrix));
    let paced = Arc::new(Paced::new(
        slot.clone(),
        engine.clock().clone(),
        &RateLimits::matrix(matrix.messages_per_second),
        tokio_sleep(),
    ));
    started.dispatchers.push(Arc::new(Dispatcher::new(
        engine.store().clone(),
        engine.clock().clone(),
        paced.clone(),
        platform_retry_policy(),
    )));
    let outgoing = Arc::new(Outgoing::new(engine.clone(), paced));
    started.bots.spawn(crate::leased::matrix(
        matrix,
        engine.clone(),
        slot,
        outgoing,
        context.holder.clone(),
        context.stop.clone(),
        tokio_sleep(),
    ));
}

/// The platform dispatchers' retry policy. Test knob:
/// `MUSTER_TEST_CLAIM_SECONDS=n` shortens the claim on a delivery (5 minutes
/// by default) to n seconds, so a test that kills the process mid-send sees
/// the next process re-send the claimed deliveries without waiting 5 minutes.
/// Not for production: a claim must outlast any send. Named `MUSTER_TEST_…`
/// so the configuration's environment overrides ignore it.
fn platform_retry_policy() -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    if let Some(claim) = test_knob_seconds("MUSTER_TEST_CLAIM_SECONDS")
        .and_then(|d| chrono::Duration::from_std(d).ok())
    {
        policy.claim = claim;
    }
    policy
}

/// A test-only duration from the environment: a positive whole number of
/// seconds in `name`, else `None`.
pub fn test_knob_seconds(name: &str) -> Option<std::time::Duration> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(std::time::Duration::from_secs)
}

pub fn tokio_sleep() -> Sleep {
    Arc::new(|d| Box::pin(tokio::time::sleep(d)))
}
