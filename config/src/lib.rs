//! Muster's configuration: `muster.toml` overlaid with `MUSTER_*`
//! environment variables, validated up front so that a mistake stops the
//! start with a message naming the file, line and key (or the variable)
//! rather than surfacing later as a platform's cryptic refusal.
//!
//! Every key `k` of section `[s]` can also be set as `MUSTER_S_K`, such as
//! `MUSTER_TELEGRAM_TOKEN`; lists are comma-separated there. The environment
//! wins over the file, and setting a platform's variables enables that
//! platform even if the file lacks its section. Any other `MUSTER_*`
//! variable is an error, so that a misspelt one is not silently ignored,
//! except `MUSTER_LOG` and those starting with `MUSTER_TEST_`.
//!
//! Tokens and passwords are held as [`Secret`]s, and no error message or
//! `Debug` output contains one.

mod engine;
mod env;
mod error;
mod raw;
mod sections;
mod suggest;
mod template;
#[cfg(test)]
mod tests;

pub use error::{ConfigError, Origin, Place};
pub use muster_secret::Secret;
pub use sections::{
    Access, Backend, Defaults, Discord, Matrix, MatrixAuth, Storage, Telegram, TelegramMode, Web,
};
pub use template::TEMPLATE;

use std::path::Path;

/// Everything Muster needs to start. `Config::default()` is what an absent
/// file and an empty environment give: SQLite in `muster.db`, no bots, no
/// web server, UTC and English.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub storage: Storage,
    pub telegram: Option<Telegram>,
    pub matrix: Option<Matrix>,
    pub discord: Option<Discord>,
    pub web: Option<Web>,
    pub defaults: Defaults,
    pub access: Access,
}

impl Config {
    /// Loads the file at `path` if given (it must exist: the caller passes a
    /// path only when one was asked for or found), then `env` over it. Pass
    /// `std::env::vars()` in production.
    pub fn load(
        path: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let Some(path) = path else {
            return Config::from_toml("", "(no configuration file)", env);
        };
        let text = std::fs::read_to_string(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => ConfigError::NotFound {
                file: path.to_path_buf(),
            },
            _ => ConfigError::Unreadable {
                file: path.to_path_buf(),
                source,
            },
        })?;
        Config::from_toml(&text, &path.display().to_string(), env)
    }

    /// Parses `text`, naming it `origin` (normally its file name) in errors,
    /// then lays `env` over it.
    pub fn from_toml(
        text: &str,
        origin: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let ctx = raw::Ctx::new(origin, text);
        let mut raw = raw::parse(&ctx)?;
        env::apply(&mut raw, env)?;
        sections::build(raw, &ctx)
    }

    /// What would run, one line per component, for `muster check-config`.
    /// Passwords are masked.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let backend = match self.storage.backend() {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        };
        lines.push(format!(
            "storage: {backend} at {}",
            self.storage.redacted_url()
        ));
        if let Some(t) = &self.telegram {
            let how = match (t.mode, &self.web) {
                (TelegramMode::Webhook, Some(web)) => format!("webhook at {}", web.public_url),
                _ => "polling".to_string(),
            };
            lines.push(format!("telegram: bot via {}, {how}", t.api_url));
        }
        if let Some(m) = &self.matrix {
            let auth = match m.auth {
                MatrixAuth::Password(_) => "password",
                MatrixAuth::AccessToken(_) => "access token",
            };
            let inviters = match m.allowed_inviters.as_slice() {
                [] => "no one listed".to_string(),
                list => list.join(", "),
            };
            lines.push(format!(
                "matrix: {} on {} (logs in with a {auth}), store {}, accepts invitations from {inviters}",
                m.user,
                m.homeserver,
                m.store.display()
            ));
        }
        if let Some(d) = &self.discord {
            let endpoint = if d.public_key.is_some() {
                ", interactions endpoint on [web]"
            } else {
                ""
            };
            lines.push(format!(
                "discord: application {} via {}{endpoint}",
                d.application_id, d.api_url
            ));
        }
        if self.telegram.is_none() && self.matrix.is_none() && self.discord.is_none() {
            lines.push("bots: no chat platform configured".to_string());
        }
        match &self.web {
            Some(web) => lines.push(format!(
                "web: listening on {}, public address {}",
                web.listen, web.public_url
            )),
            None => lines.push("web: off".to_string()),
        }
        let zone = match self.defaults.timezone {
            Some(tz) => tz.to_string(),
            None => format!("{} (this machine's)", self.defaults.zone()),
        };
        lines.push(format!(
            "defaults: time zone {zone}, language {}",
            self.defaults.language
        ));
        lines.push(match self.access.admins.len() {
            0 => "access: no root admin; on an empty database the first person to speak becomes admin".to_string(),
            1 => "access: 1 root admin".to_string(),
            n => format!("access: {n} root admins"),
        });
        lines
    }
}
