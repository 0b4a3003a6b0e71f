//! The chat platforms `muster run` drives. One list, read by `run` (to
//! start each configured bot) and by `check-config` (to say what would run
//! and refuse what would not), so the two can never disagree.
//!
//! Each platform is one function that builds its adapter from its section
//! of muster.toml: the platform's paced messenger (its limits, shared by
//! replies and deliveries), the [`Outgoing`] path for replies, the outbox
//! [`Dispatcher`], and the bot itself, run under its lease.

use crate::leased::{Leased, RunningBot};
use anyhow::{Context as _, Result, bail};
use muster_config::{Config, TelegramMode};
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
    /// Each bot's outgoing connection, ready while this process holds it
    /// (for `/healthz`).
    pub connections: Vec<(Platform, Arc<dyn muster_core::outbox::Messenger>)>,
    /// Addresses the platforms call on the web server (the Telegram webhook).
    pub routes: Vec<axum::Router>,
}

/// What every platform's start needs.
pub struct Context {
    pub engine: Arc<Engine>,
    /// This process among those sharing the database (lease holder name).
    pub holder: String,
    /// Turns true when the process stops: bots give their leases up.
    pub stop: watch::Receiver<bool>,
}

type Start = fn(&Config, &Context, &mut Started) -> Result<()>;

/// How this build starts a platform's bot; `None`: it has no bot for it yet.
fn starter(platform: Platform) -> Option<Start> {
    match platform {
        Platform::Matrix => Some(matrix),
        Platform::Telegram => Some(telegram),
        Platform::Discord | Platform::Console => None,
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
    if let Some(reason) = platforms.iter().find_map(|p| refusal(*p, config)) {
        bail!(reason);
    }
    Ok(platforms)
}

/// What a configured platform needs that the configuration's own checks
/// do not see.
fn refusal(platform: Platform, config: &Config) -> Option<String> {
    match platform {
        Platform::Telegram => {
            let telegram = config.telegram.as_ref()?;
            if muster_telegram::bot_id(telegram.token.expose()).is_none() {
                return Some(format!(
                    "[telegram] token: {}",
                    muster_telegram::TelegramError::Token
                ));
            }
            if telegram.mode == TelegramMode::Webhook && telegram.webhook_secret.is_none() {
                return Some(
                    "[telegram] mode = \"webhook\" needs webhook_secret: without it, anyone who finds the address could speak to Muster as any member".into(),
                );
            }
            None
        }
        _ => None,
    }
}

/// Starts every configured platform's bot.
pub fn start(config: &Config, context: &Context) -> Result<Started> {
    let mut started = Started::default();
    for platform in check(config)? {
        if let Some(start) = starter(platform) {
            start(config, context, &mut started)?;
        }
    }
    Ok(started)
}

/// The platform's paced messenger over a slot filled while this process
/// holds the bot's lease, its outbox dispatcher, and the outgoing path for
/// its replies.
fn outgoing_path(
    platform: Platform,
    limits: &RateLimits,
    context: &Context,
    started: &mut Started,
) -> (Arc<MessengerSlot>, Arc<Outgoing>) {
    let engine = &context.engine;
    let slot = Arc::new(MessengerSlot::new(platform));
    started.connections.push((platform, slot.clone()));
    let paced = Arc::new(Paced::new(
        slot.clone(),
        engine.clock().clone(),
        limits,
        tokio_sleep(),
    ));
    started.dispatchers.push(Arc::new(Dispatcher::new(
        engine.store().clone(),
        engine.clock().clone(),
        paced.clone(),
        platform_retry_policy(),
    )));
    (slot, Arc::new(Outgoing::new(engine.clone(), paced)))
}

fn leased(
    platform: &'static str,
    lease: String,
    slot: Arc<MessengerSlot>,
    context: &Context,
) -> Leased {
    Leased {
        platform,
        lease,
        engine: context.engine.clone(),
        slot,
        holder: context.holder.clone(),
        stop: context.stop.clone(),
        sleep: tokio_sleep(),
    }
}

fn matrix(config: &Config, context: &Context, started: &mut Started) -> Result<()> {
    let Some(matrix) = config.matrix.clone() else {
        return Ok(());
    };
    let limits = RateLimits::matrix(matrix.messages_per_second);
    let (slot, outgoing) = outgoing_path(Platform::Matrix, &limits, context, started);
    let engine = context.engine.clone();
    let run = leased("Matrix", format!("matrix:{}", matrix.user), slot, context);
    started.bots.spawn(run.run(move || {
        let (matrix, engine, outgoing) = (matrix.clone(), engine.clone(), outgoing.clone());
        Box::pin(async move {
            let bot = muster_matrix::start(&matrix, engine, outgoing)
                .await
                .context("[matrix]")?;
            Ok(Box::new(bot) as Box<dyn RunningBot>)
        })
    }));
    Ok(())
}

fn telegram(config: &Config, context: &Context, started: &mut Started) -> Result<()> {
    let Some(telegram) = config.telegram.clone() else {
        return Ok(());
    };
    let Some(id) = muster_telegram::bot_id(telegram.token.expose()) else {
        // Checked by `check`; kept for a caller that did not.
        bail!(
            "[telegram] token: {}",
            muster_telegram::TelegramError::Token
        );
    };
    let (slot, outgoing) = outgoing_path(
        Platform::Telegram,
        &RateLimits::telegram(),
        context,
        started,
    );
    // Webhook mode: the web server hands Telegram's calls to the bot while
    // this process holds it.
    let webhook = match (telegram.mode, &telegram.webhook_secret) {
        (TelegramMode::Webhook, Some(secret)) => {
            let hook = muster_telegram::Webhook::new(secret.clone());
            started.routes.push(hook.routes());
            Some(hook)
        }
        _ => None,
    };
    let public_url = config.web.as_ref().map(|w| w.public_url.clone());
    let engine = context.engine.clone();
    // One poller per token is Telegram's rule.
    let run = leased("Telegram", format!("telegram:{id}"), slot, context);
    started.bots.spawn(run.run(move || {
        let (telegram, engine, outgoing) = (telegram.clone(), engine.clone(), outgoing.clone());
        let (public_url, webhook) = (public_url.clone(), webhook.clone());
        Box::pin(async move {
            let bot = muster_telegram::start(&telegram, public_url.as_deref(), engine, outgoing)
                .await
                .context("[telegram]")?;
            if let Some(hook) = &webhook {
                hook.fill(bot.receiver());
            }
            Ok(Box::new(crate::leased::Telegram { bot, webhook }) as Box<dyn RunningBot>)
        })
    }));
    Ok(())
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
