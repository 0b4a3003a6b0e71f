//! `muster run` and `muster console`: the engine on the configured
//! database, the console room, and (for `run`) every configured platform's
//! bot, with the scheduler and the dispatchers in the background.

use crate::logging::say;
use crate::platforms::{self, Context, Started};
use crate::runtime::Background;
use anyhow::{Context as _, Result};
use muster_config::Config;
use muster_console::{Console, ConsoleMessenger};
use muster_core::clock::{Clock, MockClock, RandomIds, SystemClock};
use muster_core::engine::{Engine, EngineSettings};
use muster_secret::redact;
use std::sync::Arc;

/// Every configured bot, the console, the scheduler and dispatchers.
pub async fn run(config: Config) -> Result<()> {
    // Refused before anything opens, with the same reason check-config gives.
    platforms::check(&config)?;
    let engine = build_engine(
        &config.storage.url,
        config.engine_settings(None),
        Arc::new(SystemClock),
    )
    .await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let holder = crate::leased::holder_name();
    let context = Context {
        engine: engine.clone(),
        holder: holder.clone(),
        stop: stopped,
    };
    let Started {
        dispatchers,
        mut bots,
        connections,
        routes,
    } = platforms::start(&config, &context)?;
    let mut web = match &config.web {
        Some(web) => {
            let health = muster_web::Health {
                engine: engine.clone(),
                bots: connections,
            };
            let app = muster_web::router(health, routes);
            let mut stopping = stop.subscribe();
            let shutdown = async move {
                let _ = stopping.wait_for(|s| *s).await;
            };
            let addr = web.listen;
            // Bound before the bots answer anything: a taken port is the
            // operator's to fix, at once.
            Some(tokio::spawn(muster_web::serve(addr, app, shutdown)))
        }
        None => None,
    };
    if bots.is_empty() {
        say(&format!(
            "Muster on {} with the console bot. To add a platform, write a muster.toml (`muster init`) and fill in [telegram], [matrix] or [discord].",
            config.storage.url
        ));
    } else {
        say(&format!(
            "Muster on {} with the console bot and {} platform bot(s) (process {holder}); Ctrl-C stops.",
            config.storage.url,
            bots.len()
        ));
    }
    let greet = std::io::IsTerminal::is_terminal(&std::io::stdin());
    let console = Console::new(
        engine.clone(),
        Arc::new(ConsoleMessenger::stdout()),
        None,
        greet,
    );
    let background = background(&engine, &console, dispatchers);
    let keep_running = !bots.is_empty();
    let room = async {
        console.run(stdin()).await?;
        if keep_running {
            // Standard input is closed (a service, `< /dev/null`): the
            // platform bots go on until a signal.
            shutdown_signal().await;
        }
        Ok::<(), anyhow::Error>(())
    };
    // A bot that cannot start at all (bad credentials) ends the process
    // with its error; otherwise the console and the signals decide.
    let failed = async {
        while let Some(done) = bots.join_next().await {
            match done {
                Ok(Err(e)) => return e,
                Ok(Ok(())) => {}
                Err(e) => return anyhow::anyhow!("a platform bot crashed: {e}"),
            }
        }
        std::future::pending().await
    };
    let web_failed = async {
        match web.as_mut() {
            Some(task) => match task.await {
                Ok(Err(e)) => e.into(),
                Ok(Ok(())) => std::future::pending().await,
                Err(e) => anyhow::anyhow!("the web server crashed: {e}"),
            },
            None => std::future::pending().await,
        }
    };
    let result = tokio::select! {
        result = room => result,
        () = shutdown_signal() => Ok(()),
        e = failed => Err(e),
        e = web_failed => Err(e),
    };
    // Stop the bots and give their leases up, so another process takes
    // over at once; a bot that hangs does not keep the process alive.
    let _ = stop.send(true);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while bots.join_next().await.is_some() {}
        // The web server finishes the requests under way.
        if let Some(task) = web.as_mut()
            && !task.is_finished()
        {
            let _ = task.await;
        }
    })
    .await;
    background.abort();
    // The database closed properly: SQLite's log is folded into the file.
    engine.store().close().await;
    result
}

/// The terminal room alone, on the real clock or a simulated one.
pub async fn console(
    url: &str,
    settings: EngineSettings,
    simulated: Option<MockClock>,
) -> Result<()> {
    let clock: Arc<dyn Clock> = match &simulated {
        Some(mock) => Arc::new(mock.clone()),
        None => Arc::new(SystemClock),
    };
    let engine = build_engine(url, settings, clock).await?;
    let greet = std::io::IsTerminal::is_terminal(&std::io::stdin());
    let on_real_clock = simulated.is_none();
    let console = Console::new(
        engine.clone(),
        Arc::new(ConsoleMessenger::stdout()),
        simulated,
        greet,
    );
    // On the real clock, reminders and digests go out while the terminal
    // is idle; a simulated clock only moves with `~`.
    let background = on_real_clock.then(|| background(&engine, &console, Vec::new()));
    let result = console.run(stdin()).await;
    if let Some(task) = background {
        task.abort();
    }
    engine.store().close().await;
    Ok(result?)
}

fn stdin() -> tokio::io::BufReader<tokio::io::Stdin> {
    tokio::io::BufReader::new(tokio::io::stdin())
}

/// The scheduler and every dispatcher (the console's first), woken by
/// commits.
fn background(
    engine: &Arc<Engine>,
    console: &Console,
    platforms: Vec<Arc<muster_core::outbox::Dispatcher>>,
) -> tokio::task::JoinHandle<()> {
    let wake = Arc::new(tokio::sync::Notify::new());
    let notify = wake.clone();
    engine.set_waker(Box::new(move || notify.notify_one()));
    tokio::spawn(
        Background {
            store: engine.store().clone(),
            clock: engine.clock().clone(),
            scheduler: console.scheduler(),
            dispatchers: std::iter::once(console.dispatcher())
                .chain(platforms)
                .collect(),
            wake,
        }
        .run(),
    )
}

async fn build_engine(
    url: &str,
    settings: EngineSettings,
    clock: Arc<dyn Clock>,
) -> Result<Arc<Engine>> {
    let store = muster_storage::open(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))?;
    Ok(Arc::new(Engine::new(
        store,
        clock,
        Arc::new(RandomIds::from_entropy()),
        settings,
    )))
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
