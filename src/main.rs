//! The `muster` binary: wiring only. It reads the command line and the
//! configuration, then hands over to the crates that do the work: the
//! platforms' bots ([`platforms`]), the console, the scheduler and
//! dispatchers ([`runtime`]), and the operator's database commands
//! ([`database`]). Everything it prints goes through one redaction.

mod database;
mod leased;
mod logging;
mod platforms;
mod run;
mod runtime;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use muster_config::Config;
use muster_core::clock::MockClock;
use muster_core::domain::Language;
use std::path::{Path, PathBuf};

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
    /// A consistent copy of the database while it runs (SQLite; PostgreSQL: pg_dump).
    Backup {
        #[arg(long)]
        db: Option<String>,
        /// The copy's file (default: muster-backup-<date>-<time>.db); must not exist.
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
    logging::init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            logging::say(&format!("error: cannot start the runtime: {e}"));
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli.command.unwrap_or(Cmd::Run { config: None }))) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            logging::say(&format!("error: {e:#}"));
            std::process::ExitCode::FAILURE
        }
    }
}

async fn dispatch(cmd: Cmd) -> Result<()> {
    match cmd {
        Cmd::Run { config } => run::run(load_config(config.as_deref())?).await,
        Cmd::Console {
            db,
            lang,
            simulate_from,
            config,
        } => {
            let config = load_config(config.as_deref())?;
            let lang = lang
                .map(|l| {
                    l.parse::<Language>()
                        .map_err(|_| anyhow::anyhow!("--lang: `{l}` is not fr or en"))
                })
                .transpose()?;
            let simulated = simulate_from
                .map(|text| parse_start(&text).map(MockClock::new))
                .transpose()?;
            let url = db.unwrap_or_else(|| config.storage.url.clone());
            run::console(&url, config.engine_settings(lang), simulated).await
        }
        Cmd::Init { path, force } => init(&path, force),
        Cmd::CheckConfig { config } => check_config(config.as_deref()),
        Cmd::Migrate { db } => database::migrate(&db_url(db)?).await,
        Cmd::Export { db, output } => database::export(&db_url(db)?, output.as_deref()).await,
        Cmd::Import { db, file } => database::import(&db_url(db)?, &file).await,
        Cmd::Backup { db, output } => database::backup(&db_url(db)?, output.as_deref()).await,
    }
}

/// The configuration file: the one named, else ./muster.toml if present.
fn load_config(path: Option<&Path>) -> Result<Config> {
    let default = Path::new(DEFAULT_CONFIG);
    let path = path.or_else(|| default.exists().then_some(default));
    Ok(Config::load(path, std::env::vars())?)
}

/// `--db`, else the configuration's database.
fn db_url(explicit: Option<String>) -> Result<String> {
    match explicit {
        Some(url) => Ok(url),
        None => Ok(load_config(None)?.storage.url),
    }
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

/// What `run` would do with this configuration, or why it would refuse.
fn check_config(path: Option<&Path>) -> Result<()> {
    let config = load_config(path)?;
    platforms::check(&config)?;
    for line in config.summary() {
        println!("{}", muster_secret::redact(&line));
    }
    println!("configuration is valid");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
