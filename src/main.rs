//! The `muster` binary: runs the bots, the console room, and the operator's
//! commands (init, check-config, migrate, export, import).

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use muster_config::Config;
use muster_core::clock::{Clock, MockClock, RandomIds, SystemClock};
use muster_core::domain::Language;
use muster_core::engine::{Engine, EngineSettings, parse_identity};
use std::path::{Path, PathBuf};

mod leased;
mod runtime;
use std::sync::Arc;

const DEFAULT_CONFIG: &str = "muster.toml";

#[derive(Parser)]
#[command(
    name = "muster",
    version,
    about = "An organising engine for groups, with bots on Matrix, Telegram and Discord"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Every configured bot (the console when none is), on the configured database.
    Run {
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// The terminal room: `name> text` speaks as `name`.
    Console {
        /// Database URL (default: the configuration's, else sqlite://muster.db).
        #[arg(long)]
        db: Option<String>,
        /// Language of a new database's first section defaults and replies.
        #[arg(long)]
        lang: Option<String>,
        /// Run on a simulated clock starting at TIME (`2026-12-01 09:00`, UTC, or RFC 3339); `~ +24h` advances it.
        #[arg(long, value_name = "TIME")]
        simulate_from: Option<String>,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Write a commented muster.toml.
    Init {
        #[arg(long, default_value = DEFAULT_CONFIG)]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Validate the configuration and print what would run; exit 1 on error.
    CheckConfig {
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Apply database migrations.
    Migrate {
        #[arg(long)]
        db: Option<String>,
    },
    /// The whole organisation as JSON.
    Export {
        #[arg(long)]
        db: Option<String>,
        /// Output file (standard output by default).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Load an export into an empty database.
    Import {
        #[arg(long)]
        db: Option<String>,
        file: PathBuf,
    },
}

fn main() -> std::process::ExitCode {
    init_logging();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli.command.unwrap_or(Cmd::Run { config: None }))) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MUSTER_LOG")
        // matrix-sdk logs every refused request at ERROR, including the
        // expected ones (absent account data); Muster logs the failures
        // that matter itself.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,matrix_sdk::http_client=off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

async fn dispatch(cmd: Cmd) -> Result<()> {
    match cmd {
        Cmd::Run { config } => run(config.as_deref()).await,
        Cmd::Console {
            db,
            lang,
            simulate_from,
            config,
        } => console(config.as_deref(), db, lang, simulate_from).await,
        Cmd::Init { path, force } => init(&path, force),
        Cmd::CheckConfig { config } => check_config(config.as_deref()),
        Cmd::Migrate { db } => {
            let url = db_url(db, None)?;
            muster_storage::migrate(&url).await?;
            println!("migrations applied to {}", redact(&url));
            Ok(())
        }
        Cmd::Export { db, output } => export(db, output.as_deref()).await,
        Cmd::Import { db, file } => import(db, &file).await,
    }
}

/// The configuration file: the one named, else ./muster.toml if present.
fn load_config(path: Option<&Path>) -> Result<Config> {
    let default = Path::new(DEFAULT_CONFIG);
    let path = path.or_else(|| default.exists().then_some(default));
    Ok(Config::load(path, std::env::vars())?)
}

fn db_url(explicit: Option<String>, config: Option<&Config>) -> Result<String> {
    if let Some(url) = explicit {
        return Ok(url);
    }
    match config {
        Some(c) => Ok(c.storage.url.clone()),
        None => Ok(load_config(None)?.storage.url.clone()),
    }
}

/// Database URLs may carry a password: never print it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn engine_settings(config: &Config, lang_override: Option<Language>) -> Result<EngineSettings> {
    let mut root_admins = Vec::new();
    for entry in &config.access.admins {
        let identity = parse_identity(entry).with_context(|| {
            format!("[access] admins: `{entry}` is not of the form platform:user")
        })?;
        root_admins.push(identity);
    }
    let language = match lang_override {
        Some(l) => l,
        None => config.defaults.language.parse().unwrap_or_default(),
    };
    Ok(EngineSettings {
        root_admins,
        default_timezone: config.defaults.timezone,
        default_language: language,
        public_url: config.web.as_ref().map(|w| w.public_url.clone()),
        ..EngineSettings::default()
    })
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

async fn run(config_path: Option<&Path>) -> Result<()> {
    let config = load_config(config_path)?;
    let settings = engine_settings(&config, None)?;
    let unsupported: Vec<&str> = [
        config.telegram.as_ref().map(|_| "telegram"),
        config.discord.as_ref().map(|_| "discord"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !unsupported.is_empty() {
        bail!(
            "[{}] is configured, but this version of Muster has only the console and Matrix bots; remove the section or run `muster console`",
            unsupported.join("], [")
        );
    }
    let engine = build_engine(&config.storage.url, settings, Arc::new(SystemClock)).await?;
    let mut platforms = Vec::new();
    let mut bots = tokio::task::JoinSet::new();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let holder = leased::holder_name();
    if let Some(matrix) = &config.matrix {
        let slot = Arc::new(muster_core::outbox::MessengerSlot::new(
            muster_core::domain::Platform::Matrix,
        ));
        platforms.push(Arc::new(
            muster_core::outbox::Dispatcher::new(
                engine.store().clone(),
                engine.clock().clone(),
                slot.clone(),
                platform_retry_policy(),
            )
            .with_limits(
                &muster_core::outbox::RateLimits::matrix(matrix.messages_per_second),
                tokio_sleep(),
            ),
        ));
        bots.spawn(leased::matrix(
            matrix.clone(),
            engine.clone(),
            slot,
            holder.clone(),
            stopped.clone(),
            tokio_sleep(),
        ));
    }
    if bots.is_empty() {
        eprintln!(
            "Muster on {} with the console bot. To add a platform, write a muster.toml (`muster init`) and fill in [telegram], [matrix] or [discord].",
            redact(&config.storage.url)
        );
    } else {
        eprintln!(
            "Muster on {} with the console bot and {} platform bot(s) (process {holder}); Ctrl-C stops.",
            redact(&config.storage.url),
            bots.len()
        );
    }
    let greet = std::io::IsTerminal::is_terminal(&std::io::stdin());
    let keep_running = !bots.is_empty();
    let console = run_console(engine, None, greet, platforms, keep_running);
    // A bot that cannot start at all (bad credentials) ends the process
    // with its error; otherwise the console (and the signals) decide.
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
    let result = tokio::select! {
        result = console => result,
        e = failed => Err(e),
    };
    // Stop the bots and give their leases up, so another process takes
    // over at once; a bot that hangs does not keep the process alive.
    let _ = stop.send(true);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while bots.join_next().await.is_some() {}
    })
    .await;
    result
}

/// The platform dispatchers' retry policy. Test knob:
/// `MUSTER_TEST_CLAIM_SECONDS=n` shortens the claim on a delivery (5 minutes
/// by default) to n seconds, so a test that kills the process mid-send sees
/// the next process re-send the claimed deliveries without waiting 5 minutes.
/// Not for production: a claim must outlast any send. Named `MUSTER_TEST_…`
/// so the configuration's environment overrides ignore it.
fn platform_retry_policy() -> muster_core::outbox::RetryPolicy {
    let mut policy = muster_core::outbox::RetryPolicy::default();
    if let Some(claim) = test_knob_seconds("MUSTER_TEST_CLAIM_SECONDS")
        .and_then(|d| chrono::Duration::from_std(d).ok())
    {
        policy.claim = claim;
    }
    policy
}

/// A test-only duration from the environment: a positive whole number of
/// seconds in `name`, else `None`.
fn test_knob_seconds(name: &str) -> Option<std::time::Duration> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(std::time::Duration::from_secs)
}

fn tokio_sleep() -> muster_core::outbox::Sleep {
    Arc::new(|d| Box::pin(tokio::time::sleep(d)))
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

async fn console(
    config_path: Option<&Path>,
    db: Option<String>,
    lang: Option<String>,
    simulate_from: Option<String>,
) -> Result<()> {
    let config = load_config(config_path)?;
    let lang = match lang {
        Some(l) => Some(
            l.parse::<Language>()
                .map_err(|_| anyhow::anyhow!("--lang: `{l}` is not fr or en"))?,
        ),
        None => None,
    };
    let settings = engine_settings(&config, lang)?;
    let url = db_url(db, Some(&config))?;
    let (clock, simulated): (Arc<dyn Clock>, Option<MockClock>) = match simulate_from {
        Some(text) => {
            let start = parse_start(&text)?;
            let mock = MockClock::new(start);
            (Arc::new(mock.clone()), Some(mock))
        }
        None => (Arc::new(SystemClock), None),
    };
    let engine = build_engine(&url, settings, clock).await?;
    let greet = std::io::IsTerminal::is_terminal(&std::io::stdin());
    run_console(engine, simulated, greet, Vec::new(), false).await
}

fn parse_start(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Ok(t.and_utc());
        }
    }
    bail!(
        "--simulate-from: cannot read `{text}`; write e.g. `2026-12-01 09:00` (UTC) or `2026-12-01T09:00:00+01:00`"
    )
}

/// The console room, with the scheduler and every dispatcher running in the
/// background on the real clock. `platforms` are the platform bots'
/// dispatchers; with `keep_running`, the end of standard input does not end
/// the process (the platform bots go on until Ctrl-C or SIGTERM).
async fn run_console(
    engine: Arc<Engine>,
    simulated: Option<MockClock>,
    greet: bool,
    platforms: Vec<Arc<muster_core::outbox::Dispatcher>>,
    keep_running: bool,
) -> Result<()> {
    let messenger = Arc::new(muster_console::ConsoleMessenger::stdout());
    let dispatcher = Arc::new(muster_core::outbox::Dispatcher::new(
        engine.store().clone(),
        engine.clock().clone(),
        messenger.clone(),
        muster_core::outbox::RetryPolicy::default(),
    ));
    let scheduler = Arc::new(muster_core::scheduler::Scheduler::new(engine.clone()));
    // On the real clock, reminders and digests go out while the terminal is
    // idle; a simulated clock only moves with `~`.
    let background = if simulated.is_none() {
        let wake = Arc::new(tokio::sync::Notify::new());
        let notify = wake.clone();
        engine.set_waker(Box::new(move || notify.notify_one()));
        Some(tokio::spawn(
            runtime::Background {
                store: engine.store().clone(),
                clock: engine.clock().clone(),
                scheduler: scheduler.clone(),
                dispatchers: std::iter::once(dispatcher.clone())
                    .chain(platforms)
                    .collect(),
                wake,
            }
            .run(),
        ))
    } else {
        None
    };
    let session = muster_console::Session {
        engine,
        messenger,
        dispatcher,
        scheduler,
        simulated,
        greet,
    };
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    if keep_running {
        let console = async {
            session.run(stdin).await?;
            // Standard input is closed (a service, `< /dev/null`): the
            // platform bots go on.
            shutdown_signal().await;
            Ok::<(), std::io::Error>(())
        };
        tokio::select! {
            result = console => result?,
            () = shutdown_signal() => {}
        }
    } else {
        session.run(stdin).await?;
    }
    if let Some(task) = background {
        task.abort();
    }
    Ok(())
}

fn init(path: &Path, force: bool) -> Result<()> {
    if path.exists() && !force {
        bail!(
            "{} already exists; use --force to overwrite it",
            path.display()
        );
    }
    std::fs::write(path, muster_config::TEMPLATE)
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "wrote {}; edit it, then check it with `muster check-config`",
        path.display()
    );
    Ok(())
}

fn check_config(path: Option<&Path>) -> Result<()> {
    let config = load_config(path)?;
    engine_settings(&config, None)?;
    for line in config.summary() {
        println!("{line}");
    }
    println!("configuration is valid");
    Ok(())
}

async fn export(db: Option<String>, output: Option<&Path>) -> Result<()> {
    let url = db_url(db, None)?;
    let store = muster_storage::open(&url)
        .await
        .with_context(|| format!("cannot open {}", redact(&url)))?;
    let mut tx = store.begin().await?;
    let doc = muster_core::export::export(tx.as_mut(), SystemClock.now()).await?;
    drop(tx);
    let json = serde_json::to_string_pretty(&doc)?;
    match output {
        Some(path) => {
            // Write beside the target and rename, so a failure never leaves half a file.
            let tmp = path.with_extension("json.partial");
            std::fs::write(&tmp, json + "\n")
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => println!("{json}"),
    }
    Ok(())
}

async fn import(db: Option<String>, file: &Path) -> Result<()> {
    let url = db_url(db, None)?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let doc: muster_core::export::Export = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a Muster export", file.display()))?;
    let store = muster_storage::open(&url)
        .await
        .with_context(|| format!("cannot open {}", redact(&url)))?;
    let mut tx = store.begin().await?;
    muster_core::export::import(tx.as_mut(), &doc).await?;
    tx.commit().await?;
    println!(
        "imported {} sections, {} members, {} initiatives, {} events into {}",
        doc.sections.len(),
        doc.members.len(),
        doc.initiatives.len(),
        doc.events.len(),
        redact(&url)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(
            redact("postgres://ana:secret@db/muster"),
            "postgres://ana:***@db/muster"
        );
        assert_eq!(
            redact("postgres://ana@db/muster"),
            "postgres://ana@db/muster"
        );
        assert_eq!(redact("sqlite://muster.db"), "sqlite://muster.db");
    }

    #[test]
    fn simulated_start_accepts_plain_and_rfc3339() {
        assert_eq!(
            parse_start("2026-12-01 09:00").unwrap().to_rfc3339(),
            "2026-12-01T09:00:00+00:00"
        );
        assert_eq!(
            parse_start("2026-12-01T09:00:00+01:00")
                .unwrap()
                .to_rfc3339(),
            "2026-12-01T08:00:00+00:00"
        );
        assert!(parse_start("next week").is_err());
    }
}
