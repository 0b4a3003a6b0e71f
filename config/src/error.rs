//! What can be wrong with a configuration, said so that an operator can find
//! the offending line or variable without reading Muster's source.
//!
//! No message carries a secret: values are quoted only for keys that never
//! hold one, and URLs are quoted with their password masked.

use crate::raw::SECTIONS;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The configuration file; `line` is 1-based, and absent only when the
    /// TOML parser could not say.
    File { file: String, line: Option<usize> },
    /// An environment variable, such as `MUSTER_TELEGRAM_TOKEN`.
    Env { var: String },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File {
                file,
                line: Some(line),
            } => write!(f, "{file}:{line}"),
            Origin::File { file, line: None } => f.write_str(file),
            Origin::Env { var } => f.write_str(var),
        }
    }
}

/// A setting (or, with no key, a whole section) and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub origin: Origin,
    pub section: &'static str,
    pub key: Option<&'static str>,
}

impl Place {
    /// How to refer to this setting inside a sentence about another one.
    pub(crate) fn name(&self) -> String {
        match (&self.origin, self.key) {
            (Origin::Env { var }, _) => var.clone(),
            (Origin::File { .. }, Some(key)) => format!("`{key}`"),
            (Origin::File { .. }, None) => format!("[{}]", self.section),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let section = self.section;
        match (&self.origin, self.key) {
            (origin @ Origin::File { .. }, Some(key)) => write!(f, "{origin}: [{section}] {key}"),
            (origin @ Origin::File { .. }, None) => write!(f, "{origin}: [{section}]"),
            // The variable's name already spells out section and key.
            (Origin::Env { var }, Some(_)) => f.write_str(var),
            (Origin::Env { var }, None) => write!(f, "[{section}] (enabled by {var})"),
        }
    }
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("configuration file {} not found", .file.display())]
    NotFound { file: PathBuf },

    #[error("cannot read configuration file {}: {source}", .file.display())]
    Unreadable { file: PathBuf, source: io::Error },

    /// The file is not valid TOML, or has a duplicate key.
    #[error("{at}: {message}")]
    Syntax { at: Origin, message: String },

    #[error("{at}: unknown section [{name}]{}", section_hint(*.suggestion))]
    UnknownSection {
        at: Origin,
        name: String,
        suggestion: Option<&'static str>,
    },

    #[error("{at}: unknown key `{key}` in [{section}]{}", key_hint(.section, *.suggestion))]
    UnknownKey {
        at: Origin,
        section: &'static str,
        key: String,
        suggestion: Option<&'static str>,
    },

    /// A value of the wrong TOML type, such as a quoted number.
    #[error("{at}: must be {expected}")]
    WrongType { at: Place, expected: String },

    #[error("unknown environment variable {var}{}", env_hint(.suggestion.as_deref()))]
    UnknownEnv {
        var: String,
        suggestion: Option<String>,
    },

    /// An enabled section lacks a required key.
    #[error("{at}: needs {needs}")]
    Missing { at: Place, needs: String },

    /// Two keys that are alternatives, such as `token` and `token_file`.
    #[error("{at}: cannot be set together with {other}; keep one of them")]
    Conflict { at: Place, other: String },

    #[error("{at}: cannot read {}: {source}", .file.display())]
    SecretFile {
        at: Place,
        file: PathBuf,
        source: io::Error,
    },

    #[error("{at}: is empty")]
    EmptySecret { at: Place },

    #[error("{at}: `{value}` is not a time zone name such as Europe/Paris or UTC{}", did_you_mean(*.suggestion))]
    InvalidTimezone {
        at: Place,
        value: String,
        suggestion: Option<&'static str>,
    },

    #[error("{at}: `{value}` is not a supported language; use `en` or `fr`")]
    InvalidLanguage { at: Place, value: String },

    /// `value` has any password masked.
    #[error("{at}: `{value}` is not a web address: {reason}")]
    InvalidUrl {
        at: Place,
        value: String,
        reason: &'static str,
    },

    /// `value` has any password masked.
    #[error(
        "{at}: `{value}` is not a database URL; use sqlite://FILE or postgres://USER:PASSWORD@HOST/DATABASE"
    )]
    InvalidStorageUrl { at: Place, value: String },

    #[error("{at}: `{value}` is not an IP address and port such as 127.0.0.1:8080 or [::]:8080")]
    InvalidListen { at: Place, value: String },

    #[error("{at}: `{value}` is not a mode; use `polling` or `webhook`")]
    InvalidMode { at: Place, value: String },

    #[error(
        "{at}: `webhook` needs the [web] section, whose server receives Telegram's updates; add [web] or use mode = \"polling\""
    )]
    WebhookWithoutWeb { at: Place },

    #[error("{at}: `{value}` is not an admin of the form platform:user; {reason}")]
    InvalidAdmin {
        at: Place,
        value: String,
        reason: &'static str,
    },

    /// Any other value Muster cannot use; `problem` says why.
    #[error("{at}: {problem}")]
    Invalid { at: Place, problem: String },
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|s| format!("; did you mean {s}?"))
        .unwrap_or_default()
}

fn section_hint(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("; did you mean [{s}]?"),
        None => {
            let names: Vec<String> = SECTIONS
                .iter()
                .map(|(name, _)| format!("[{name}]"))
                .collect();
            format!(", expected one of {}", names.join(", "))
        }
    }
}

fn key_hint(section: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("; did you mean `{s}`?"),
        None => {
            let keys = SECTIONS
                .iter()
                .find(|(name, _)| *name == section)
                .map_or(&[][..], |(_, keys)| keys);
            let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            format!(", expected one of {}", keys.join(", "))
        }
    }
}

fn env_hint(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("; did you mean {s}?"),
        None => " (Muster reads MUSTER_<SECTION>_<KEY> for each key of muster.toml, such as MUSTER_TELEGRAM_TOKEN, and MUSTER_LOG)"
            .to_string(),
    }
}
