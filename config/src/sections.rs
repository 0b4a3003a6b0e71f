//! The validated sections, and the checks that turn the raw settings into
//! them.

use crate::Config;
use crate::env::var_name;
use crate::error::{ConfigError, Place};
use crate::raw::{
    Ctx, List, RawAccess, RawDefaults, RawDiscord, RawMatrix, RawStorage, RawTelegram, RawWeb,
    Setting, Source,
};
use crate::suggest::closest;
use chrono_tz::Tz;
use muster_secret::Secret;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

const DEFAULT_STORAGE_URL: &str = "sqlite://muster.db";
const DEFAULT_TELEGRAM_API_URL: &str = "https://api.telegram.org";
const DEFAULT_DISCORD_API_URL: &str = "https://discord.com/api";
const DEFAULT_MATRIX_STORE: &str = "matrix-store";
/// Sends a second over all rooms when `[matrix] messages_per_second` is unset.
const DEFAULT_MATRIX_RATE: u32 = 10;
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// `[storage]`: where the organisation's data lives.
#[derive(Clone, PartialEq, Eq)]
pub struct Storage {
    /// `sqlite:…` or `postgres://…`, as sqlx takes it. May hold a password:
    /// show [`Storage::redacted_url`] instead.
    pub url: String,
}

/// The database engine behind a [`Storage`] URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Storage {
    pub fn backend(&self) -> Backend {
        if self.url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The URL with any password replaced by `***`, for logs and messages.
    pub fn redacted_url(&self) -> String {
        muster_secret::redact(&self.url)
    }

    fn from_raw(raw: Option<Setting<RawStorage>>, ctx: &Ctx<'_>) -> Result<Storage, ConfigError> {
        let sec = Section {
            ctx,
            name: "storage",
        };
        let Some(url) = raw.and_then(|r| r.value.url) else {
            return Ok(Storage::default());
        };
        let valid = match url.value.strip_prefix("sqlite:") {
            Some(rest) => !rest.trim_start_matches('/').is_empty(),
            None => ["postgres://", "postgresql://"].iter().any(|scheme| {
                url.value
                    .strip_prefix(scheme)
                    .is_some_and(|rest| !rest.is_empty())
            }),
        };
        if !valid {
            return Err(ConfigError::InvalidStorageUrl {
                at: sec.at(&url, "url"),
                value: muster_secret::redact(&url.value),
            });
        }
        Ok(Storage { url: url.value })
    }
}

impl Default for Storage {
    fn default() -> Storage {
        Storage {
            url: DEFAULT_STORAGE_URL.to_string(),
        }
    }
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Storage")
            .field("url", &self.redacted_url())
            .finish()
    }
}

/// `[telegram]`: present when the Telegram bot runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Telegram {
    /// From `token`, or read from `token_file`.
    pub token: Secret,
    /// Without a trailing `/`.
    pub api_url: String,
    pub mode: TelegramMode,
    /// Sent back by Telegram as `X-Telegram-Bot-Api-Secret-Token`.
    pub webhook_secret: Option<Secret>,
}

/// How the Telegram bot receives updates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TelegramMode {
    /// Long polling: needs no public address.
    #[default]
    Polling,
    /// Telegram calls the `[web]` server.
    Webhook,
}

impl fmt::Display for TelegramMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TelegramMode::Polling => "polling",
            TelegramMode::Webhook => "webhook",
        })
    }
}

impl Telegram {
    fn from_raw(
        raw: Setting<RawTelegram>,
        ctx: &Ctx<'_>,
        web_enabled: bool,
    ) -> Result<Telegram, ConfigError> {
        let sec = Section {
            ctx,
            name: "telegram",
        };
        let r = raw.value;
        let token = sec
            .credential(r.token, "token", r.token_file, "token_file")?
            .ok_or_else(|| sec.missing(&raw.source, &["token", "token_file"]))?;
        let api_url = sec.web_url_or(r.api_url, "api_url", DEFAULT_TELEGRAM_API_URL)?;
        let mode = match r.mode {
            None => TelegramMode::Polling,
            Some(mode) => match mode.value.as_str() {
                "polling" => TelegramMode::Polling,
                "webhook" if web_enabled => TelegramMode::Webhook,
                "webhook" => {
                    return Err(ConfigError::WebhookWithoutWeb {
                        at: sec.at(&mode, "mode"),
                    });
                }
                _ => {
                    return Err(ConfigError::InvalidMode {
                        at: sec.at(&mode, "mode"),
                        value: mode.value,
                    });
                }
            },
        };
        let webhook_secret = match r.webhook_secret {
            None => None,
            Some(s) => {
                let at = sec.at(&s, "webhook_secret");
                let secret = sec.non_empty(s, "webhook_secret")?;
                let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
                if secret.expose().len() > 256 || !secret.expose().chars().all(allowed) {
                    return Err(ConfigError::Invalid {
                        at,
                        problem: "Telegram accepts only letters, digits, `_` and `-` here, at most 256 of them".into(),
                    });
                }
                Some(secret)
            }
        };
        Ok(Telegram {
            token,
            api_url,
            mode,
            webhook_secret,
        })
    }
}

/// `[matrix]`: present when the Matrix bot runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Without a trailing `/`.
    pub homeserver: String,
    /// The bot's full user ID, such as `@muster:example.org`.
    pub user: String,
    pub auth: MatrixAuth,
    /// Directory for the session and encryption keys. Losing it means the
    /// bot can no longer read encrypted rooms, so it must persist.
    pub store: PathBuf,
    /// User ID patterns, `*` matching any run of characters, whose room
    /// invitations the bot accepts. Empty when unset.
    pub allowed_inviters: Vec<String>,
    /// The most messages the bot sends a second, over all rooms: homeservers
    /// publish no fixed limit, so the operator sets what theirs allows.
    pub messages_per_second: u32,
}

/// How the Matrix bot logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatrixAuth {
    /// From `password`, or read from `password_file`.
    Password(Secret),
    AccessToken(Secret),
}

impl Matrix {
    fn from_raw(raw: Setting<RawMatrix>, ctx: &Ctx<'_>) -> Result<Matrix, ConfigError> {
        let sec = Section {
            ctx,
            name: "matrix",
        };
        let r = raw.value;
        let homeserver = match r.homeserver {
            Some(h) => sec.web_url(h, "homeserver")?,
            None => return Err(sec.missing(&raw.source, &["homeserver"])),
        };
        let user = r.user.ok_or_else(|| sec.missing(&raw.source, &["user"]))?;
        if !is_matrix_id(&user.value) {
            return Err(ConfigError::Invalid {
                at: sec.at(&user, "user"),
                problem: format!(
                    "`{}` is not a Matrix user ID such as @muster:example.org",
                    user.value
                ),
            });
        }
        let password_place = r.password.as_ref().map(|p| sec.at(p, "password"));
        let password = sec.credential(r.password, "password", r.password_file, "password_file")?;
        let auth = match (r.access_token, password) {
            (Some(token), Some(_)) => {
                let other =
                    password_place.map_or_else(|| "`password_file`".to_string(), |p| p.name());
                return Err(ConfigError::Conflict {
                    at: sec.at(&token, "access_token"),
                    other,
                });
            }
            (Some(token), None) => MatrixAuth::AccessToken(sec.non_empty(token, "access_token")?),
            (None, Some(password)) => MatrixAuth::Password(password),
            (None, None) => {
                return Err(
                    sec.missing(&raw.source, &["password", "access_token", "password_file"])
                );
            }
        };
        let store = match r.store {
            None => PathBuf::from(DEFAULT_MATRIX_STORE),
            Some(s) if s.value.as_os_str().is_empty() => {
                return Err(ConfigError::Invalid {
                    at: sec.at(&s, "store"),
                    problem: "is empty".into(),
                });
            }
            Some(s) => s.value,
        };
        let allowed_inviters = sec.list(r.allowed_inviters, "allowed_inviters", |pattern| {
            (pattern == "*" || pattern.contains(':'))
                .then_some(())
                .ok_or_else(|| format!("`{pattern}` is not a user ID pattern such as @ana:example.org or *:example.org"))
        })?;
        let messages_per_second = match r.messages_per_second {
            None => DEFAULT_MATRIX_RATE,
            Some(rate) if rate.value == 0 || rate.value > 1000 => {
                return Err(ConfigError::Invalid {
                    at: sec.at(&rate, "messages_per_second"),
                    problem: "must be between 1 and 1000".into(),
                });
            }
            Some(rate) => rate.value,
        };
        Ok(Matrix {
            homeserver,
            user: user.value,
            auth,
            store,
            allowed_inviters,
            messages_per_second,
        })
    }
}

fn is_matrix_id(id: &str) -> bool {
    id.strip_prefix('@')
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(local, server)| {
            !local.is_empty() && !server.is_empty() && !id.contains(char::is_whitespace)
        })
}

/// `[discord]`: present when the Discord bot runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discord {
    /// From `token`, or read from `token_file`.
    pub token: Secret,
    pub application_id: u64,
    /// Without a trailing `/`.
    pub api_url: String,
    /// Hex Ed25519 key, set only when Discord posts interactions to the
    /// `[web]` server rather than over the gateway.
    pub public_key: Option<String>,
}

impl Discord {
    fn from_raw(raw: Setting<RawDiscord>, ctx: &Ctx<'_>) -> Result<Discord, ConfigError> {
        let sec = Section {
            ctx,
            name: "discord",
        };
        let r = raw.value;
        let token = sec
            .credential(r.token, "token", r.token_file, "token_file")?
            .ok_or_else(|| sec.missing(&raw.source, &["token", "token_file"]))?;
        let id = r
            .application_id
            .ok_or_else(|| sec.missing(&raw.source, &["application_id"]))?;
        if id.value == 0 {
            return Err(ConfigError::Invalid {
                at: sec.at(&id, "application_id"),
                problem: "must be the application's ID from the Discord developer portal, not 0"
                    .into(),
            });
        }
        let api_url = sec.web_url_or(r.api_url, "api_url", DEFAULT_DISCORD_API_URL)?;
        let public_key = match r.public_key {
            None => None,
            Some(key)
                if key.value.len() == 64 && key.value.chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                Some(key.value)
            }
            Some(key) => {
                return Err(ConfigError::Invalid {
                    at: sec.at(&key, "public_key"),
                    problem: "must be the 64 hexadecimal characters shown as \"Public Key\" in the Discord developer portal"
                        .into(),
                });
            }
        };
        Ok(Discord {
            token,
            application_id: id.value,
            api_url,
            public_key,
        })
    }
}

/// `[web]`: present when the web server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Web {
    pub listen: SocketAddr,
    /// The address people reach Muster by, without a trailing `/`.
    pub public_url: String,
}

impl Web {
    fn from_raw(raw: Setting<RawWeb>, ctx: &Ctx<'_>) -> Result<Web, ConfigError> {
        let sec = Section { ctx, name: "web" };
        let r = raw.value;
        let listen = match &r.listen {
            None => DEFAULT_LISTEN
                .parse()
                .expect("the default listen address parses"),
            Some(l) => l
                .value
                .parse::<SocketAddr>()
                .map_err(|_| ConfigError::InvalidListen {
                    at: sec.at(l, "listen"),
                    value: l.value.clone(),
                })?,
        };
        let public_url = match r.public_url {
            Some(url) => sec.web_url(url, "public_url")?,
            // A wildcard address is not one anyone can open from a link.
            None if listen.ip().is_unspecified() => {
                return Err(ConfigError::Missing {
                    at: r
                        .listen
                        .map_or_else(|| sec.whole(&raw.source), |l| sec.at(&l, "listen")),
                    needs: format!(
                        "`public_url` (in the environment {}) when listening on every interface: calendar and map links must use the address people reach Muster by",
                        var_name("web", "public_url")
                    ),
                });
            }
            None => format!("http://{listen}"),
        };
        Ok(Web { listen, public_url })
    }
}

/// `[defaults]`: what a new section starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// `None` when not configured: the machine's own zone is used (see
    /// [`Defaults::zone`]).
    pub timezone: Option<Tz>,
    /// `"en"` or `"fr"`.
    pub language: String,
}

impl Default for Defaults {
    fn default() -> Defaults {
        Defaults {
            timezone: None,
            language: "en".to_string(),
        }
    }
}

impl Defaults {
    /// The zone new sections start in: the configured one, else this
    /// machine's (as its operator set it up), else UTC.
    pub fn zone(&self) -> Tz {
        self.timezone
            .or_else(|| {
                iana_time_zone::get_timezone()
                    .ok()
                    .and_then(|name| name.parse().ok())
            })
            .unwrap_or(Tz::UTC)
    }

    fn from_raw(raw: Option<Setting<RawDefaults>>, ctx: &Ctx<'_>) -> Result<Defaults, ConfigError> {
        let sec = Section {
            ctx,
            name: "defaults",
        };
        let r = raw.map(|r| r.value).unwrap_or_default();
        let mut defaults = Defaults::default();
        if let Some(tz) = r.timezone {
            defaults.timezone =
                Some(tz.value.parse().map_err(|_| ConfigError::InvalidTimezone {
                    at: sec.at(&tz, "timezone"),
                    suggestion: closest(
                        &tz.value,
                        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()),
                    ),
                    value: tz.value.clone(),
                })?);
        }
        if let Some(lang) = r.language {
            if !matches!(lang.value.as_str(), "en" | "fr") {
                return Err(ConfigError::InvalidLanguage {
                    at: sec.at(&lang, "language"),
                    value: lang.value,
                });
            }
            defaults.language = lang.value;
        }
        Ok(defaults)
    }
}

/// `[access]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// Root admins as `platform:user`, such as `telegram:123456` or
    /// `matrix:@ana:example.org`; all checked to have that form.
    pub admins: Vec<String>,
}

impl Access {
    fn from_raw(raw: Option<Setting<RawAccess>>, ctx: &Ctx<'_>) -> Result<Access, ConfigError> {
        let sec = Section {
            ctx,
            name: "access",
        };
        let Some(list) = raw.and_then(|r| r.value.admins) else {
            return Ok(Access::default());
        };
        for entry in &list.value {
            if let Err(reason) = check_admin(&entry.value) {
                return Err(ConfigError::InvalidAdmin {
                    at: sec.at(entry, "admins"),
                    value: entry.value.clone(),
                    reason,
                });
            }
        }
        Ok(Access {
            admins: list.value.into_iter().map(|e| e.value).collect(),
        })
    }
}

fn check_admin(entry: &str) -> Result<(), &'static str> {
    let Some((platform, user)) = entry.split_once(':') else {
        return Err("it lacks the `:` of telegram:123456 or matrix:@ana:example.org");
    };
    if user.is_empty() || entry.contains(char::is_whitespace) {
        return Err("the user part is empty or has spaces");
    }
    let numeric = user.chars().all(|c| c.is_ascii_digit());
    // Usernames can be changed and reused; only the numeric IDs are stable.
    match platform {
        "telegram" if numeric => Ok(()),
        "telegram" => Err("a Telegram user is a numeric ID, such as telegram:123456"),
        "discord" if numeric => Ok(()),
        "discord" => Err("a Discord user is a numeric ID, such as discord:987654"),
        "matrix" if is_matrix_id(user) => Ok(()),
        "matrix" => Err("a Matrix user is a full user ID, such as matrix:@ana:example.org"),
        "console" => Ok(()),
        _ => Err("the platform must be telegram, matrix, discord or console"),
    }
}

/// Validates every section, those that depend on others after them.
pub(crate) fn build(raw: crate::raw::RawConfig, ctx: &Ctx<'_>) -> Result<Config, ConfigError> {
    let storage = Storage::from_raw(raw.storage, ctx)?;
    let web = raw.web.map(|w| Web::from_raw(w, ctx)).transpose()?;
    let telegram = raw
        .telegram
        .map(|t| Telegram::from_raw(t, ctx, web.is_some()))
        .transpose()?;
    let matrix = raw.matrix.map(|m| Matrix::from_raw(m, ctx)).transpose()?;
    let discord = raw.discord.map(|d| Discord::from_raw(d, ctx)).transpose()?;
    let defaults = Defaults::from_raw(raw.defaults, ctx)?;
    let access = Access::from_raw(raw.access, ctx)?;
    Ok(Config {
        storage,
        telegram,
        matrix,
        discord,
        web,
        defaults,
        access,
    })
}

/// Checks shared by the sections, knowing which section they are in.
struct Section<'a> {
    ctx: &'a Ctx<'a>,
    name: &'static str,
}

impl Section<'_> {
    fn at<T>(&self, setting: &Setting<T>, key: &'static str) -> Place {
        self.ctx.place(&setting.source, self.name, Some(key))
    }

    fn whole(&self, source: &Source) -> Place {
        self.ctx.place(source, self.name, None)
    }

    fn missing(&self, source: &Source, keys: &[&str]) -> ConfigError {
        let quote = |names: Vec<String>| match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        let keys_text = quote(keys.iter().map(|k| format!("`{k}`")).collect());
        let vars_text = quote(keys.iter().map(|k| var_name(self.name, k)).collect());
        ConfigError::Missing {
            at: self.whole(source),
            needs: format!("{keys_text} (in the environment {vars_text})"),
        }
    }

    fn non_empty(&self, secret: Setting<Secret>, key: &'static str) -> Result<Secret, ConfigError> {
        if secret.value.is_empty() {
            return Err(ConfigError::EmptySecret {
                at: self.at(&secret, key),
            });
        }
        Ok(secret.value)
    }

    /// A secret given inline or as a file to read, but not both.
    fn credential(
        &self,
        inline: Option<Setting<Secret>>,
        inline_key: &'static str,
        file: Option<Setting<PathBuf>>,
        file_key: &'static str,
    ) -> Result<Option<Secret>, ConfigError> {
        match (inline, file) {
            (Some(inline), Some(file)) => Err(ConfigError::Conflict {
                at: self.at(&file, file_key),
                other: self.at(&inline, inline_key).name(),
            }),
            (Some(inline), None) => self.non_empty(inline, inline_key).map(Some),
            (None, Some(file)) => self.read_secret(&file, file_key).map(Some),
            (None, None) => Ok(None),
        }
    }

    fn read_secret(
        &self,
        file: &Setting<PathBuf>,
        key: &'static str,
    ) -> Result<Secret, ConfigError> {
        let path: &Path = &file.value;
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::SecretFile {
            at: self.at(file, key),
            file: path.to_path_buf(),
            source,
        })?;
        // `echo token > file` and editors leave a final newline that is no
        // part of the secret.
        let text = text
            .strip_suffix('\n')
            .map_or(text.as_str(), |t| t.strip_suffix('\r').unwrap_or(t));
        if text.is_empty() {
            return Err(ConfigError::Invalid {
                at: self.at(file, key),
                problem: format!("{} is empty", path.display()),
            });
        }
        Ok(Secret::new(text))
    }

    /// An http(s) URL with a host.
    fn web_url(&self, url: Setting<String>, key: &'static str) -> Result<String, ConfigError> {
        if let Err(reason) = check_web_url(&url.value) {
            return Err(ConfigError::InvalidUrl {
                at: self.at(&url, key),
                value: muster_secret::redact(&url.value),
                reason,
            });
        }
        // The adapters append paths such as `/bot<token>/getMe`.
        Ok(url.value.trim_end_matches('/').to_string())
    }

    fn web_url_or(
        &self,
        url: Option<Setting<String>>,
        key: &'static str,
        default: &str,
    ) -> Result<String, ConfigError> {
        url.map_or_else(|| Ok(default.to_string()), |url| self.web_url(url, key))
    }

    fn list(
        &self,
        list: Option<List>,
        key: &'static str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<Vec<String>, ConfigError> {
        let items = list.map(|l| l.value).unwrap_or_default();
        for item in &items {
            check(&item.value).map_err(|problem| ConfigError::Invalid {
                at: self.at(item, key),
                problem,
            })?;
        }
        Ok(items.into_iter().map(|i| i.value).collect())
    }
}

fn check_web_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with http:// or https://")?;
    if url.contains(char::is_whitespace) {
        return Err("it contains spaces");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6
                .split_once(']')
                .ok_or("its IPv6 address lacks the closing `]`")?;
            match after {
                "" => (host, None),
                _ => (
                    host,
                    Some(
                        after
                            .strip_prefix(':')
                            .ok_or("something other than a port follows the IPv6 address")?,
                    ),
                ),
            }
        }
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err("it has no host name");
    }
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return Err("its port is not a number from 0 to 65535");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls() {
        for url in [
            "https://api.telegram.org",
            "http://127.0.0.1:8081/",
            "https://[::1]:8448",
            "https://a@b.org/x",
        ] {
            assert_eq!(check_web_url(url), Ok(()), "{url}");
        }
        for (url, reason) in [
            ("api.telegram.org", "must start"),
            ("ftp://x.org", "must start"),
            ("https://", "no host"),
            ("https:///path", "no host"),
            ("https://x.org:http", "port"),
            ("https://x.org:99999", "port"),
            ("https://[::1", "closing"),
            ("https://x .org", "spaces"),
        ] {
            assert!(check_web_url(url).unwrap_err().contains(reason), "{url}");
        }
    }

    #[test]
    fn admin_entries() {
        for ok in [
            "telegram:123456",
            "matrix:@ana:example.org",
            "discord:987654",
            "console:ana",
        ] {
            assert_eq!(check_admin(ok), Ok(()), "{ok}");
        }
        for (bad, reason) in [
            ("ana", "`:`"),
            ("telegram:", "empty"),
            ("telegram:@ana", "numeric"),
            ("discord:ana#1234", "numeric"),
            ("matrix:ana", "full user ID"),
            ("irc:ana", "platform"),
            ("Telegram:123", "platform"),
        ] {
            assert!(check_admin(bad).unwrap_err().contains(reason), "{bad}");
        }
    }
}
