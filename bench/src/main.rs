//! Benchmarks of Muster's scheduler and outbox, printed with their targets:
//! `cargo run --release -p muster-bench [-- --jobs N --rooms N --rate N]`.
//!
//! 1. Dispatch: N reminder jobs due within one minute on SQLite; jobs
//!    dispatched to the outbox per second, and lateness (dispatch time minus
//!    due time) p50/p99/max. Target: p99 under 1 s.
//! 2. Fan-out: one announcement to N rooms through a fake platform that
//!    allows R messages a second and answers 429 past that. Target: at least
//!    95% of R, with zero 429s.
//! 3. Reply latency (`--only reply`, `--replies N`): N commands on an idle
//!    bot, answered straight to a platform and through the outgoing path
//!    with Telegram's limits; the path must add no latency.
//! 4. Claim (`--only claim`, `--claim-jobs N`): N already-due jobs drained on
//!    PostgreSQL by `Scheduler::run_due`, beside graphile-worker (npm, pinned
//!    in `bench/graphile/`) running N no-op jobs on the same server, with the
//!    ratio. Runs by default when `MUSTER_TEST_POSTGRES_URL` is set and `npm`
//!    is on PATH.

mod reply;

use anyhow::Result;
use async_trait::async_trait;
use chrono::Duration;
use muster_core::clock::{Clock, RandomIds, SystemClock};
use muster_core::domain::*;
use muster_core::engine::{Engine, EngineSettings};
use muster_core::inbound::{Inbound, Outbound};
use muster_core::outbox::{
    Dispatcher, Messenger, Paced, RateLimits, RetryPolicy, SendError, Sleep,
};
use muster_core::scheduler::Scheduler;
use muster_core::store::{NewEvent, Store};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<()> {
    let jobs = arg("--jobs", 100_000);
    let rooms = arg("--rooms", 10_000);
    let rate = arg("--rate", 500);
    // `--only dispatch|backlog|fanout|rsvp|reply|claim` runs one part.
    let args: Vec<String> = std::env::args().collect();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let wants = |part: &str| only.as_deref().is_none_or(|o| o == part);
    if wants("dispatch") {
        dispatch(jobs).await?;
    }
    if wants("backlog") {
        backlog(jobs / 5).await?;
    }
    if wants("fanout") {
        fan_out(rooms, rate).await?;
    }
    if wants("rsvp") {
        rsvp_throughput(arg("--rsvps", 2_000)).await?;
    }
    if wants("reply") {
        reply::reply_latency(arg("--replies", 200)).await?;
    }
    if wants("claim") {
        claim(arg("--claim-jobs", 20_000)).await?;
    }
    Ok(())
}

/// Job claim rate on PostgreSQL: Muster's scheduler draining N already-due
/// reminders, then graphile-worker draining N no-op jobs, each on a fresh
/// database of the same server, in one run.
async fn claim(n: u64) -> Result<()> {
    let url_set =
        std::env::var(muster_storage::testing::URL_VAR).is_ok_and(|u| !u.trim().is_empty());
    if !url_set {
        println!(
            "claim: skipped: set {} (e.g. postgres://postgres@127.0.0.1:5432/postgres)",
            muster_storage::testing::URL_VAR
        );
        return Ok(());
    }
    let tools = tokio::task::spawn_blocking(|| {
        ["npm", "node"].into_iter().find(|tool| {
            !std::process::Command::new(tool)
                .arg("--version")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
    })
    .await?;
    if let Some(missing) = tools {
        println!(
            "claim: skipped: `{missing}` is not on PATH (graphile-worker needs Node.js and npm)"
        );
        return Ok(());
    }

    // Muster.
    let Some(db) = muster_storage::testing::PgDb::new().await else {
        println!("claim: skipped: no PostgreSQL server");
        return Ok(());
    };
    let (engine, store) = org_at(&db.url).await?;
    add_due_reminders(&store, n).await?;
    let scheduler = Scheduler::new(engine);
    let batch = scheduler.batch;
    let started = std::time::Instant::now();
    let report = scheduler.run_due().await?;
    let muster_seconds = started.elapsed().as_secs_f64();
    let mut tx = store.begin().await?;
    let outbox_rows: u64 = tx.outbox_counts().await?.iter().map(|(_, c)| c).sum();
    drop(tx);
    drop(scheduler);
    drop(store);
    drop(db);
    let muster_rate = n as f64 / muster_seconds;

    // graphile-worker.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graphile");
    let Some(db) = muster_storage::testing::PgDb::new().await else {
        println!("claim: skipped: no PostgreSQL server");
        return Ok(());
    };
    let url = db.url.clone();
    let output = tokio::task::spawn_blocking(move || -> Result<std::process::Output> {
        if !dir.join("node_modules").is_dir() {
            let status = std::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir)
                .stdout(std::process::Stdio::null())
                .status()?;
            anyhow::ensure!(status.success(), "npm ci --prefix {} failed", dir.display());
        }
        Ok(std::process::Command::new("node")
            .arg(dir.join("claim.mjs"))
            .arg(&url)
            .arg(n.to_string())
            .arg("10")
            .stderr(std::process::Stdio::inherit())
            .output()?)
    })
    .await??;
    drop(db);
    anyhow::ensure!(
        output.status.success(),
        "node bench/graphile/claim.mjs failed: {}",
        output.status
    );
    let line = String::from_utf8_lossy(&output.stdout);
    let line = line.lines().last().unwrap_or_default();
    let field = |name: &str| json_field(line, name);
    let graphile_seconds: f64 = field("seconds")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("unexpected output from claim.mjs: {line}"))?;
    let graphile_jobs = field("jobs").unwrap_or_default();
    let version = field("version").unwrap_or_default();
    let graphile_rate = n as f64 / graphile_seconds;

    println!("claim: {n} already-due jobs drained on PostgreSQL, same server, one run");
    println!(
        "  Muster Scheduler::run_due (1 claimer, batches of {batch}): {muster_rate:.0} jobs/s \
         ({n} in {muster_seconds:.2} s; {} done, {} missed; {outbox_rows} outbox rows)",
        report.done, report.missed
    );
    println!(
        "    Muster's jobs do more: each reads its event, section, RSVPs and rooms, \
         renders a reminder card and writes an outbox row, in the claim's transaction"
    );
    println!(
        "  graphile-worker {version} (1 worker, concurrency 10, pollInterval 100 ms, no-op task): \
         {graphile_rate:.0} jobs/s ({graphile_jobs} in {graphile_seconds:.2} s)"
    );
    println!(
        "  Muster / graphile-worker: {:.2}",
        muster_rate / graphile_rate
    );
    Ok(())
}

/// The raw text of a top-level number or string field of a flat JSON object
/// (the one line claim.mjs prints).
fn json_field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("\"{name}\":");
    let rest = &line[line.find(&key)? + key.len()..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    Some(rest[..end].trim().trim_matches('"'))
}

/// RSVP commands through the engine, 16 at a time, to one event: SQLite
/// (one writer at a time) against PostgreSQL (row lock on the event), when
/// `MUSTER_TEST_POSTGRES_URL` names a server.
async fn rsvp_throughput(n: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("rsvp.db").display());
    let sqlite_rate = rsvps_per_second(&sqlite, n).await?;
    println!(
        "rsvp: {n} RSVP commands, 16 concurrent, one event of capacity {}",
        n / 4
    );
    println!("  SQLite: {sqlite_rate:.0} commands/s");
    match muster_storage::testing::PgDb::new().await {
        Some(db) => {
            let pg_rate = rsvps_per_second(&db.url, n).await?;
            println!(
                "  PostgreSQL: {pg_rate:.0} commands/s ({:.2} x SQLite)",
                pg_rate / sqlite_rate
            );
        }
        None => println!("  PostgreSQL: not measured (set MUSTER_TEST_POSTGRES_URL)"),
    }
    Ok(())
}

async fn rsvps_per_second(url: &str, n: u64) -> Result<f64> {
    let store = muster_storage::open(url).await?;
    let settings = EngineSettings {
        commands_per_minute: 1_000_000,
        ..EngineSettings::default()
    };
    let engine = Arc::new(Engine::new(
        store,
        Arc::new(SystemClock),
        Arc::new(RandomIds::seeded(1)),
        settings,
    ));
    for line in ["/section new bench \"Bench\"", "/section link bench"] {
        say(&engine, line).await;
    }
    say(
        &engine,
        &format!("/event new \"Assembly\" 2030-01-10 19:00 cap {}", n / 4),
    )
    .await;
    let started = std::time::Instant::now();
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (engine, next) = (engine.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let inbound = Inbound::text(
                    RoomRef::new(Platform::Console, "console"),
                    format!("m{i}"),
                    "/rsvp 1 yes",
                );
                engine.handle(&inbound).await;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

async fn org(dir: &tempfile::TempDir) -> Result<(Arc<Engine>, Arc<dyn Store>)> {
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    org_at(&url).await
}

/// An engine on the store at `url`, with one section linked to the console.
async fn org_at(url: &str) -> Result<(Arc<Engine>, Arc<dyn Store>)> {
    let store = muster_storage::open(url).await?;
    let settings = EngineSettings {
        commands_per_minute: 1_000_000,
        ..EngineSettings::default()
    };
    let engine = Arc::new(Engine::new(
        store.clone(),
        Arc::new(SystemClock),
        Arc::new(RandomIds::seeded(1)),
        settings,
    ));
    for line in ["/section new bench \"Bench\"", "/section link bench"] {
        say(&engine, line).await;
    }
    Ok((engine, store))
}

async fn say(engine: &Engine, text: &str) -> Vec<Outbound> {
    let inbound = Inbound::text(RoomRef::new(Platform::Console, "console"), "admin", text);
    engine.handle(&inbound).await
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn dispatch(n: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (engine, store) = org(&dir).await?;
    let now = SystemClock.now();
    // Due times spread evenly over one minute, starting a few seconds from
    // now (after the set-up is written).
    let setup_margin = Duration::seconds(5 + (n / 20_000) as i64);
    let first_due = now + setup_margin;
    let mut tx = store.begin().await?;
    let section = tx.section_by_slug("bench").await?.expect("section").id;
    for i in 0..n {
        let due = first_due + Duration::microseconds((60_000_000 * i / n) as i64);
        let starts_at = due + Duration::hours(1);
        let event = tx
            .create_event(NewEvent {
                section,
                initiative: None,
                title: format!("Event {i}"),
                starts_at,
                ends_at: starts_at + Duration::hours(2),
                place: None,
                capacity: None,
                recurrence: None,
                status: EventStatus::Scheduled,
                proposer: None,
                created_at: now,
            })
            .await?;
        tx.add_job(&NewJob {
            key: format!("reminder:{}:60:{}", event.id, starts_at.timestamp()),
            subject: format!("event:{}", event.id),
            payload: format!(
                "{{\"type\":\"reminder\",\"event\":{},\"offset_minutes\":60}}",
                event.id
            ),
            due_at: due,
            created_at: now,
        })
        .await?;
    }
    tx.commit().await?;
    let ready = SystemClock.now();
    if ready > first_due {
        println!(
            "warning: set-up took longer than its margin; lateness includes {:?}",
            (ready - first_due).to_std()?
        );
    }

    let scheduler = Scheduler::new(engine.clone());
    let started = std::time::Instant::now();
    let mut done = 0u64;
    while done < n {
        let report = scheduler.run_due().await?;
        done += u64::from(report.done + report.missed);
        if let Some(next) = scheduler.next_due().await? {
            let wait = (next - SystemClock.now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
        }
    }
    let elapsed = started.elapsed();
    let mut tx = store.begin().await?;
    let finished = tx.jobs(&[JobState::Done], None, u32::MAX).await?;
    let mut lateness: Vec<f64> = finished
        .iter()
        .filter_map(|j| {
            j.finished_at
                .map(|f| (f - j.due_at).num_microseconds().unwrap_or(0) as f64 / 1e6)
        })
        .collect();
    lateness.sort_by(f64::total_cmp);
    let deliveries: u64 = tx.outbox_counts().await?.iter().map(|(_, c)| c).sum();
    let busy = active_rate(&finished);
    let p99 = percentile(&lateness, 0.99);
    println!("dispatch: {n} reminders due within one minute (SQLite, 1 linked room)");
    println!(
        "  jobs dispatched: {} ({} outbox rows) in {:.1} s of wall time",
        finished.len(),
        deliveries,
        elapsed.as_secs_f64()
    );
    println!("  peak rate: {busy:.0} jobs/s (largest number finished in one second)");
    println!(
        "  lateness: p50 {:.3} s, p99 {:.3} s, max {:.3} s",
        percentile(&lateness, 0.5),
        p99,
        lateness.last().copied().unwrap_or(0.0)
    );
    println!(
        "  target p99 < 1 s: {} (p99 / target = {:.2})",
        if p99 < 1.0 { "met" } else { "MISSED" },
        p99 / 1.0
    );
    Ok(())
}

/// Jobs finished in the busiest second.
fn active_rate(jobs: &[Job]) -> f64 {
    let mut per_second = std::collections::HashMap::new();
    for j in jobs {
        if let Some(f) = j.finished_at {
            *per_second.entry(f.timestamp()).or_insert(0u64) += 1;
        }
    }
    per_second.values().copied().max().unwrap_or(0) as f64
}

/// A platform allowing `rate` messages a second, refusing with 429 past it.
struct FakePlatform {
    rate: f64,
    bucket: Mutex<(f64, std::time::Instant)>,
    sent: AtomicU64,
    refused: AtomicU64,
    times: Mutex<Vec<std::time::Instant>>,
}

#[async_trait]
impl Messenger for FakePlatform {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    async fn send(&self, _message: &Outbound) -> Result<(), SendError> {
        let now = std::time::Instant::now();
        {
            let mut bucket = self.bucket.lock().unwrap();
            let refill = now.duration_since(bucket.1).as_secs_f64() * self.rate;
            bucket.0 = (bucket.0 + refill).min(self.rate);
            bucket.1 = now;
            if bucket.0 < 1.0 {
                self.refused.fetch_add(1, Ordering::Relaxed);
                let wait = (1.0 - bucket.0) / self.rate;
                return Err(SendError::RetryAfter(std::time::Duration::from_secs_f64(
                    wait,
                )));
            }
            bucket.0 -= 1.0;
        }
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.times.lock().unwrap().push(now);
        Ok(())
    }
}

async fn fan_out(rooms: u64, rate: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (engine, store) = org(&dir).await?;
    let mut tx = store.begin().await?;
    let section = tx.section_by_slug("bench").await?.expect("section").id;
    tx.unlink_room(&RoomRef::new(Platform::Console, "console"))
        .await?;
    for i in 0..rooms {
        tx.link_room(
            &RoomRef::new(Platform::Telegram, format!("-100{i}")),
            section,
        )
        .await?;
    }
    // Keep the console linked so the organiser can announce from it.
    tx.link_room(&RoomRef::new(Platform::Console, "console"), section)
        .await?;
    tx.commit().await?;
    let reply = say(&engine, "/announce to bench Assembly on Friday at 19:30").await;
    println!(
        "fan-out: {}",
        reply.first().map(|o| o.text.as_str()).unwrap_or("?")
    );

    // The platform starts with an empty bucket so the measured rate is the
    // sustained one, not the initial burst.
    let platform = Arc::new(FakePlatform {
        rate: rate as f64,
        bucket: Mutex::new((0.0, std::time::Instant::now())),
        sent: AtomicU64::new(0),
        refused: AtomicU64::new(0),
        times: Mutex::new(Vec::new()),
    });
    let sleep: Sleep = Arc::new(|d| Box::pin(tokio::time::sleep(d)));
    let limits = RateLimits {
        overall: Some((rate as u32, std::time::Duration::from_secs(1))),
        per_room: vec![],
    };
    let paced = Arc::new(Paced::new(
        platform.clone(),
        Arc::new(SystemClock),
        &limits,
        sleep,
    ));
    let dispatcher = Dispatcher::new(
        store.clone(),
        Arc::new(SystemClock),
        paced,
        RetryPolicy::default(),
    );
    // Drain the limiter's own initial burst too, so both start level.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let started = std::time::Instant::now();
    while platform.sent.load(Ordering::Relaxed) < rooms {
        let report = dispatcher.dispatch_due().await?;
        if report.sent == 0 && report.retried == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let sent = platform.sent.load(Ordering::Relaxed);
    let refused = platform.refused.load(Ordering::Relaxed);
    // Both buckets start full, so the first `rate` messages go at once; the
    // sustained rate is measured after that burst.
    let times = platform.times.lock().unwrap().clone();
    let burst = (rate as usize).min(times.len().saturating_sub(2));
    let window = times
        .last()
        .unwrap()
        .duration_since(times[burst])
        .as_secs_f64();
    let achieved = (times.len() - 1 - burst) as f64 / window;
    let ratio = achieved / rate as f64;
    println!(
        "  {sent} messages to {rooms} rooms in {elapsed:.1} s ({:.0}/s counting the initial burst); platform allows {rate}/s",
        sent as f64 / elapsed
    );
    println!(
        "  sustained {achieved:.0}/s = {:.1}% of the allowed rate; 429 responses: {refused}",
        ratio * 100.0
    );
    println!(
        "  target >= 95% with zero 429s: {}",
        if ratio >= 0.95 && refused == 0 {
            "met"
        } else {
            "MISSED"
        }
    );
    Ok(())
}

/// Raw throughput: jobs already due (a restart after downtime) drained as
/// fast as the scheduler goes.
async fn backlog(n: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (engine, store) = org(&dir).await?;
    add_due_reminders(&store, n).await?;
    let scheduler = Scheduler::new(engine);
    let started = std::time::Instant::now();
    let report = scheduler.run_due().await?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "backlog: {n} reminders already due, drained in {elapsed:.2} s = {:.0} jobs/s ({} done)",
        n as f64 / elapsed,
        report.done
    );
    Ok(())
}

/// N reminder jobs, due five minutes ago, for N events of section `bench`.
async fn add_due_reminders(store: &Arc<dyn Store>, n: u64) -> Result<()> {
    let now = SystemClock.now();
    let mut tx = store.begin().await?;
    let section = tx.section_by_slug("bench").await?.expect("section").id;
    for i in 0..n {
        let starts_at = now + Duration::hours(2) + Duration::seconds(i as i64);
        let event = tx
            .create_event(NewEvent {
                section,
                initiative: None,
                title: format!("Event {i}"),
                starts_at,
                ends_at: starts_at + Duration::hours(2),
                place: None,
                capacity: None,
                recurrence: None,
                status: EventStatus::Scheduled,
                proposer: None,
                created_at: now,
            })
            .await?;
        tx.add_job(&NewJob {
            key: format!("reminder:{}:60:{}", event.id, starts_at.timestamp()),
            subject: format!("event:{}", event.id),
            payload: format!(
                "{{\"type\":\"reminder\",\"event\":{},\"offset_minutes\":60}}",
                event.id
            ),
            due_at: now - Duration::minutes(5),
            created_at: now,
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
