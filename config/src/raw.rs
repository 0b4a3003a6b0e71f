//! The configuration as written: every key optional, each value remembering
//! where it came from so that validation can point at it.

use crate::error::{ConfigError, Origin, Place};
use crate::suggest::closest;
use muster_secret::Secret;
use serde::{Deserialize, Deserializer};
use std::ops::Range;
use std::path::PathBuf;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Every section and its keys. The environment variables, the "did you
/// mean" hints and the template's completeness test all derive from this
/// list; a test checks it against the structs below.
pub(crate) const SECTIONS: &[(&str, &[&str])] = &[
    ("storage", &["url"]),
    (
        "telegram",
        &["token", "token_file", "api_url", "mode", "webhook_secret"],
    ),
    (
        "matrix",
        &[
            "homeserver",
            "user",
            "password",
            "access_token",
            "password_file",
            "store",
            "allowed_inviters",
            "messages_per_second",
        ],
    ),
    (
        "discord",
        &[
            "token",
            "token_file",
            "application_id",
            "api_url",
            "public_key",
        ],
    ),
    ("web", &["listen", "public_url"]),
    ("defaults", &["timezone", "language"]),
    ("access", &["admins"]),
];

/// The `&'static` spelling of a section or key the user wrote, if it is one.
fn known(section: &str, key: Option<&str>) -> Option<(&'static str, Option<&'static str>)> {
    let (name, keys) = SECTIONS.iter().find(|(name, _)| *name == section)?;
    match key {
        None => Some((name, None)),
        Some(key) => keys.iter().find(|k| **k == key).map(|k| (*name, Some(*k))),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// Byte range in the file.
    File(Range<usize>),
    /// Variable name.
    Env(String),
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Setting<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Setting<T> {
    pub fn from_env(value: T, var: &str) -> Setting<T> {
        Setting {
            value,
            source: Source::Env(var.to_string()),
        }
    }

    pub fn is_from_file(&self) -> bool {
        matches!(self.source, Source::File(_))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Setting<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(Setting {
            source: Source::File(spanned.span()),
            value: spanned.into_inner(),
        })
    }
}

type Opt<T> = Option<Setting<T>>;
/// A list whose items each know their line, so a bad admin is pointed at.
pub(crate) type List = Setting<Vec<Setting<String>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    pub storage: Opt<RawStorage>,
    pub telegram: Opt<RawTelegram>,
    pub matrix: Opt<RawMatrix>,
    pub discord: Opt<RawDiscord>,
    pub web: Opt<RawWeb>,
    pub defaults: Opt<RawDefaults>,
    pub access: Opt<RawAccess>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStorage {
    pub url: Opt<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTelegram {
    pub token: Opt<Secret>,
    pub token_file: Opt<PathBuf>,
    pub api_url: Opt<String>,
    pub mode: Opt<String>,
    pub webhook_secret: Opt<Secret>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatrix {
    pub homeserver: Opt<String>,
    pub user: Opt<String>,
    pub password: Opt<Secret>,
    pub access_token: Opt<Secret>,
    pub password_file: Opt<PathBuf>,
    pub store: Opt<PathBuf>,
    pub allowed_inviters: Option<List>,
    pub messages_per_second: Opt<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDiscord {
    pub token: Opt<Secret>,
    pub token_file: Opt<PathBuf>,
    pub application_id: Opt<u64>,
    pub api_url: Opt<String>,
    pub public_key: Opt<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWeb {
    pub listen: Opt<String>,
    pub public_url: Opt<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefaults {
    pub timezone: Opt<String>,
    pub language: Opt<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccess {
    pub admins: Option<List>,
}

/// Turns byte ranges into file lines for error messages.
pub(crate) struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Ctx<'a> {
        Ctx { file, text }
    }

    fn file_origin(&self, offset: Option<usize>) -> Origin {
        let line = offset.map(|o| self.text[..o.min(self.text.len())].matches('\n').count() + 1);
        Origin::File {
            file: self.file.to_string(),
            line,
        }
    }

    pub fn origin(&self, source: &Source) -> Origin {
        match source {
            Source::File(span) => self.file_origin(Some(span.start)),
            Source::Env(var) => Origin::Env { var: var.clone() },
        }
    }

    pub fn place(
        &self,
        source: &Source,
        section: &'static str,
        key: Option<&'static str>,
    ) -> Place {
        Place {
            origin: self.origin(source),
            section,
            key,
        }
    }
}

/// Parses the file, turning the TOML library's errors into ones that name
/// the section and key and never quote a value (it might be a token).
pub(crate) fn parse(ctx: &Ctx<'_>) -> Result<RawConfig, ConfigError> {
    toml::from_str(ctx.text).map_err(|e| translate(ctx, &e))
}

fn translate(ctx: &Ctx<'_>, error: &toml::de::Error) -> ConfigError {
    let span = error.span();
    let at = ctx.file_origin(span.as_ref().map(|s| s.start));
    let message = error.message();
    let path = match (DeTable::parse(ctx.text), &span) {
        (Ok(table), Some(span)) => locate(table.get_ref(), span),
        _ => Vec::new(),
    };

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or_default().to_string();
        return match path.first().and_then(|s| known(s, None)) {
            Some((section, _)) if path.len() >= 2 => {
                let keys = SECTIONS
                    .iter()
                    .find(|(name, _)| *name == section)
                    .map_or(&[][..], |(_, k)| k);
                let suggestion = closest(&unknown, keys.iter().copied());
                ConfigError::UnknownKey {
                    at,
                    section,
                    key: unknown,
                    suggestion,
                }
            }
            _ => {
                let suggestion = closest(&unknown, SECTIONS.iter().map(|(name, _)| *name));
                ConfigError::UnknownSection {
                    at,
                    name: unknown,
                    suggestion,
                }
            }
        };
    }

    // serde says "invalid type: string \"123:abc\", expected u64": only the
    // part after "expected" is safe to repeat.
    let is_type_error = ["invalid type", "invalid value", "invalid length"]
        .iter()
        .any(|p| message.starts_with(p));
    if let (true, Some((_, expected))) = (is_type_error, message.rsplit_once(", expected ")) {
        let located = match path.as_slice() {
            [section] => known(section, None),
            [section, key, ..] => known(section, Some(key)),
            [] => None,
        };
        if let Some((section, key)) = located {
            let place = Place {
                origin: at,
                section,
                key,
            };
            return ConfigError::WrongType {
                at: place,
                expected: describe(expected, key.is_none()),
            };
        }
        return ConfigError::Syntax {
            at,
            message: format!("must be {}", describe(expected, false)),
        };
    }

    // What remains comes from the TOML grammar itself ("unclosed table",
    // "duplicate key"), which describes the text without copying it.
    ConfigError::Syntax {
        at,
        message: format!("invalid TOML: {message}"),
    }
}

/// serde's name for an expected type, in an operator's words.
fn describe(expected: &str, is_section: bool) -> String {
    if is_section {
        return "a section, such as [telegram] followed by its keys".to_string();
    }
    match expected {
        "a string" => "a string in quotes".to_string(),
        "path string" => "a file path in quotes".to_string(),
        "u64" => "a whole number, without quotes".to_string(),
        "a sequence" => "a list, such as [\"a\", \"b\"]".to_string(),
        other => other.to_string(),
    }
}

/// The keys leading from the root to `span`. Table headers' spans cover only
/// the header, so every table is searched whatever its own span.
fn locate(table: &DeTable<'_>, span: &Range<usize>) -> Vec<String> {
    let within = |outer: Range<usize>| outer.start <= span.start && span.end <= outer.end;
    for (key, value) in table.iter() {
        if let DeValue::Table(inner) = value.get_ref() {
            let rest = locate(inner, span);
            if !rest.is_empty() {
                return std::iter::once(key.get_ref().to_string())
                    .chain(rest)
                    .collect();
            }
        }
        if within(key.span()) || within(value.span()) {
            return vec![key.get_ref().to_string()];
        }
    }
    Vec::new()
}
