//! Reply latency on an idle bot: the time from a command arriving to its
//! replies reaching the platform, sent straight to the messenger (what the
//! adapters did before the outgoing path) and through `Outgoing` with
//! Telegram's limits (what they do now). The outgoing path must add no
//! latency while the budget allows.

use crate::{org_at, percentile};
use anyhow::Result;
use async_trait::async_trait;
use muster_core::clock::SystemClock;
use muster_core::domain::{Platform, RoomRef};
use muster_core::inbound::{Inbound, Outbound};
use muster_core::outbox::{Messenger, Outgoing, Paced, RateLimits, SendError, Sleep};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A platform that takes everything at once.
struct Instant0;

#[async_trait]
impl Messenger for Instant0 {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn send(&self, _: &Outbound) -> Result<(), SendError> {
        Ok(())
    }
}

pub async fn reply_latency(commands: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("reply.db").display());
    let (engine, _) = org_at(&url).await?;
    let sleep: Sleep = Arc::new(|d| Box::pin(tokio::time::sleep(d)));
    let paced = Arc::new(Paced::new(
        Arc::new(Instant0),
        Arc::new(SystemClock),
        &RateLimits::telegram(),
        sleep,
    ));
    let outgoing = Outgoing::new(engine.clone(), paced);
    let direct = Instant0;
    // An idle bot: ten commands a second, each from its own group, as
    // members of many sections would send them.
    let gap = Duration::from_millis(100);
    let mut straight = Vec::new();
    let mut through = Vec::new();
    let mut queued = 0;
    for i in 0..commands {
        for via_outgoing in [false, true] {
            let room = RoomRef::new(
                Platform::Telegram,
                format!("-{}{i}", u8::from(via_outgoing)),
            );
            let inbound = Inbound::text(room, format!("m{i}"), "/whoami");
            let started = Instant::now();
            let replies = engine.handle(&inbound).await;
            if via_outgoing {
                let report = outgoing.send_all(replies).await;
                queued += report.queued;
                through.push(started.elapsed().as_secs_f64() * 1000.0);
            } else {
                for out in &replies {
                    direct.send(out).await?;
                }
                straight.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            tokio::time::sleep(gap / 2).await;
        }
    }
    straight.sort_by(f64::total_cmp);
    through.sort_by(f64::total_cmp);
    let (s50, s99) = (percentile(&straight, 0.5), percentile(&straight, 0.99));
    let (t50, t99) = (percentile(&through, 0.5), percentile(&through, 0.99));
    println!(
        "reply latency on an idle bot ({commands} commands at 10/s, SQLite, Telegram limits): \
         straight to the platform p50 {s50:.2} ms / p99 {s99:.2} ms; through the outgoing path \
         p50 {t50:.2} ms / p99 {t99:.2} ms (p50 ratio {:.2}); {queued} replies queued \
         (target: none, and the ratios near 1)",
        t50 / s50.max(0.001)
    );
    Ok(())
}
