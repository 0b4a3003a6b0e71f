//! `MUSTER_<SECTION>_<KEY>` variables, laid over the file's values.

use crate::error::{ConfigError, Origin, Place};
use crate::raw::{List, RawConfig, SECTIONS, Setting};
use crate::suggest::closest;
use muster_secret::Secret;
use std::collections::BTreeMap;
use std::path::PathBuf;

const PREFIX: &str = "MUSTER_";

/// The variable that sets `key` in `[section]`.
pub(crate) fn var_name(section: &str, key: &str) -> String {
    format!("{PREFIX}{}_{}", section.to_uppercase(), key.to_uppercase())
}

/// Variables that share the prefix but belong to someone else: the log
/// filter, and test harnesses' knobs.
fn is_foreign(var: &str) -> bool {
    var == "MUSTER_LOG" || var.starts_with("MUSTER_TEST_")
}

/// Lays the environment over `raw`. A variable for a platform section
/// creates the section if the file lacks it, so a container can be
/// configured with variables alone.
pub(crate) fn apply(
    raw: &mut RawConfig,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<(), ConfigError> {
    // Sorted, so that with several bad variables the same one is reported
    // every time whatever order the OS lists them in.
    let vars: BTreeMap<String, String> = env
        .into_iter()
        .filter(|(k, _)| k.starts_with(PREFIX) && !is_foreign(k))
        .collect();
    for (var, value) in vars {
        let Some((section, key)) = lookup(&var) else {
            let all: Vec<String> = SECTIONS
                .iter()
                .flat_map(|(s, keys)| keys.iter().map(|k| var_name(s, k)))
                .collect();
            let suggestion = closest(&var, all.iter().map(String::as_str)).map(str::to_string);
            return Err(ConfigError::UnknownEnv { var, suggestion });
        };
        // Compose files turn `TOKEN: ${TOKEN}` into an empty variable when
        // the host's is unset; that means "not set", not "set to nothing".
        if value.trim().is_empty() {
            continue;
        }
        set(raw, section, key, &var, value)?;
    }
    Ok(())
}

fn lookup(var: &str) -> Option<(&'static str, &'static str)> {
    SECTIONS
        .iter()
        .flat_map(|(section, keys)| keys.iter().map(move |key| (*section, *key)))
        .find(|(section, key)| var_name(section, key) == var)
}

/// The section's values, created (as coming from `var`) if absent.
fn section<'a, T: Default>(slot: &'a mut Option<Setting<T>>, var: &str) -> &'a mut T {
    &mut slot
        .get_or_insert_with(|| Setting::from_env(T::default(), var))
        .value
}

/// Drops a file value that the variable being applied replaces: a token in
/// the environment overrides a `token_file` in the file, not only `token`.
fn supersede<T>(slot: &mut Option<Setting<T>>) {
    if slot.as_ref().is_some_and(Setting::is_from_file) {
        *slot = None;
    }
}

fn list(value: &str, var: &str) -> List {
    let items = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Setting::from_env(s.to_string(), var))
        .collect();
    Setting::from_env(items, var)
}

fn set(
    raw: &mut RawConfig,
    section_name: &'static str,
    key: &'static str,
    var: &str,
    value: String,
) -> Result<(), ConfigError> {
    let text = || Some(Setting::from_env(value.clone(), var));
    let secret = || Some(Setting::from_env(Secret::new(value.clone()), var));
    let path = || Some(Setting::from_env(PathBuf::from(&value), var));
    match (section_name, key) {
        ("storage", "url") => section(&mut raw.storage, var).url = text(),

        ("telegram", "token") => {
            let t = section(&mut raw.telegram, var);
            supersede(&mut t.token_file);
            t.token = secret();
        }
        ("telegram", "token_file") => {
            let t = section(&mut raw.telegram, var);
            supersede(&mut t.token);
            t.token_file = path();
        }
        ("telegram", "api_url") => section(&mut raw.telegram, var).api_url = text(),
        ("telegram", "mode") => section(&mut raw.telegram, var).mode = text(),
        ("telegram", "webhook_secret") => section(&mut raw.telegram, var).webhook_secret = secret(),

        ("matrix", "homeserver") => section(&mut raw.matrix, var).homeserver = text(),
        ("matrix", "user") => section(&mut raw.matrix, var).user = text(),
        ("matrix", "password" | "access_token" | "password_file") => {
            let m = section(&mut raw.matrix, var);
            supersede(&mut m.password);
            supersede(&mut m.access_token);
            supersede(&mut m.password_file);
            match key {
                "password" => m.password = secret(),
                "access_token" => m.access_token = secret(),
                _ => m.password_file = path(),
            }
        }
        ("matrix", "store") => section(&mut raw.matrix, var).store = path(),
        ("matrix", "allowed_inviters") => {
            section(&mut raw.matrix, var).allowed_inviters = Some(list(&value, var))
        }
        ("matrix", "messages_per_second") => {
            let rate = value.trim().parse().map_err(|_| ConfigError::WrongType {
                at: Place {
                    origin: Origin::Env {
                        var: var.to_string(),
                    },
                    section: "matrix",
                    key: Some(key),
                },
                expected: "a whole number, such as 10".to_string(),
            })?;
            section(&mut raw.matrix, var).messages_per_second = Some(Setting::from_env(rate, var));
        }

        ("discord", "token") => {
            let d = section(&mut raw.discord, var);
            supersede(&mut d.token_file);
            d.token = secret();
        }
        ("discord", "token_file") => {
            let d = section(&mut raw.discord, var);
            supersede(&mut d.token);
            d.token_file = path();
        }
        ("discord", "application_id") => {
            let id = value.trim().parse().map_err(|_| ConfigError::WrongType {
                at: Place {
                    origin: Origin::Env {
                        var: var.to_string(),
                    },
                    section: "discord",
                    key: Some(key),
                },
                expected: "a whole number, such as 123456789".to_string(),
            })?;
            section(&mut raw.discord, var).application_id = Some(Setting::from_env(id, var));
        }
        ("discord", "api_url") => section(&mut raw.discord, var).api_url = text(),
        ("discord", "public_key") => section(&mut raw.discord, var).public_key = text(),

        ("web", "listen") => section(&mut raw.web, var).listen = text(),
        ("web", "public_url") => section(&mut raw.web, var).public_url = text(),

        ("defaults", "timezone") => section(&mut raw.defaults, var).timezone = text(),
        ("defaults", "language") => section(&mut raw.defaults, var).language = text(),

        ("access", "admins") => section(&mut raw.access, var).admins = Some(list(&value, var)),

        // Only reachable if SECTIONS gains a key this match lacks; the
        // `every_listed_key_has_a_variable` test catches that.
        _ => {
            return Err(ConfigError::UnknownEnv {
                var: var.to_string(),
                suggestion: None,
            });
        }
    }
    Ok(())
}
