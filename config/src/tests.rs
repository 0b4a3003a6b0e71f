//! Tests across modules: whole files and environments in, `Config` or a
//! message out.

use crate::env::var_name;
use crate::raw::{RawConfig, SECTIONS};
use crate::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Planted wherever a secret can go; must never come back out.
const SECRET: &str = "S3CRET";

fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
    vars.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn parse(text: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    Config::from_toml(text, "muster.toml", env(vars))
}

fn ok(text: &str, vars: &[(&str, &str)]) -> Config {
    parse(text, vars).unwrap_or_else(|e| panic!("{e}\n--- for ---\n{text}"))
}

/// The variant's name; exhaustive so that a new variant must get a test case.
fn kind(e: &ConfigError) -> &'static str {
    match e {
        ConfigError::NotFound { .. } => "NotFound",
        ConfigError::Unreadable { .. } => "Unreadable",
        ConfigError::Syntax { .. } => "Syntax",
        ConfigError::UnknownSection { .. } => "UnknownSection",
        ConfigError::UnknownKey { .. } => "UnknownKey",
        ConfigError::WrongType { .. } => "WrongType",
        ConfigError::UnknownEnv { .. } => "UnknownEnv",
        ConfigError::Missing { .. } => "Missing",
        ConfigError::Conflict { .. } => "Conflict",
        ConfigError::SecretFile { .. } => "SecretFile",
        ConfigError::EmptySecret { .. } => "EmptySecret",
        ConfigError::InvalidTimezone { .. } => "InvalidTimezone",
        ConfigError::InvalidLanguage { .. } => "InvalidLanguage",
        ConfigError::InvalidUrl { .. } => "InvalidUrl",
        ConfigError::InvalidStorageUrl { .. } => "InvalidStorageUrl",
        ConfigError::InvalidListen { .. } => "InvalidListen",
        ConfigError::InvalidMode { .. } => "InvalidMode",
        ConfigError::WebhookWithoutWeb { .. } => "WebhookWithoutWeb",
        ConfigError::InvalidAdmin { .. } => "InvalidAdmin",
        ConfigError::Invalid { .. } => "Invalid",
    }
}

const ALL_KINDS: &[&str] = &[
    "NotFound",
    "Unreadable",
    "Syntax",
    "UnknownSection",
    "UnknownKey",
    "WrongType",
    "UnknownEnv",
    "Missing",
    "Conflict",
    "SecretFile",
    "EmptySecret",
    "InvalidTimezone",
    "InvalidLanguage",
    "InvalidUrl",
    "InvalidStorageUrl",
    "InvalidListen",
    "InvalidMode",
    "WebhookWithoutWeb",
    "InvalidAdmin",
    "Invalid",
];

type Vars = Vec<(&'static str, String)>;

/// (file, environment, the exact message). Secrets are planted in most
/// cases so that `secrets_never_appear_in_errors` can check every message.
fn error_cases() -> Vec<(String, Vars, String)> {
    let s = SECRET;
    let cases: Vec<(String, Vars, &str)> = vec![
        // Unknown keys and sections.
        (
            format!("[telegram]\ntokn = \"123:{s}\"\n"),
            vec![],
            "muster.toml:2: unknown key `tokn` in [telegram]; did you mean `token`?",
        ),
        (
            "[web]\nport = 8080\n".into(),
            vec![],
            "muster.toml:2: unknown key `port` in [web], expected one of `listen`, `public_url`",
        ),
        (
            format!("[telegram]\ntoken = '{s}'\n\n[telegram.extra]\n"),
            vec![],
            "muster.toml:4: unknown key `extra` in [telegram], expected one of `token`, `token_file`, `api_url`, `mode`, `webhook_secret`",
        ),
        (
            "storage.uri = 'x'\n".into(),
            vec![],
            "muster.toml:1: unknown key `uri` in [storage]; did you mean `url`?",
        ),
        (
            "\n[telegramm]\n".into(),
            vec![],
            "muster.toml:2: unknown section [telegramm]; did you mean [telegram]?",
        ),
        (
            "[bots]\n".into(),
            vec![],
            "muster.toml:1: unknown section [bots], expected one of [storage], [telegram], [matrix], [discord], [web], [defaults], [access]",
        ),
        // Wrong TOML types, without echoing the value.
        (
            format!("[discord]\ntoken = '{s}'\napplication_id = '123'\n"),
            vec![],
            "muster.toml:3: [discord] application_id: must be a whole number, without quotes",
        ),
        (
            "[telegram]\ntoken = 4242424242\n".into(),
            vec![],
            "muster.toml:2: [telegram] token: must be a string in quotes",
        ),
        (
            "[access]\nadmins = 'telegram:1'\n".into(),
            vec![],
            "muster.toml:2: [access] admins: must be a list, such as [\"a\", \"b\"]",
        ),
        (
            "[access]\nadmins = ['telegram:1', 2]\n".into(),
            vec![],
            "muster.toml:2: [access] admins: must be a string in quotes",
        ),
        (
            "telegram = 5\n".into(),
            vec![],
            "muster.toml:1: [telegram]: must be a section, such as [telegram] followed by its keys",
        ),
        (
            "[matrix]\nstore = 5\n".into(),
            vec![],
            "muster.toml:2: [matrix] store: must be a file path in quotes",
        ),
        // TOML grammar.
        (
            "[storage]\n[telegram\n".into(),
            vec![],
            "muster.toml:2: invalid TOML: unclosed table, expected `]`",
        ),
        (
            format!("[telegram]\ntoken = 123:{s}\n"),
            vec![],
            "muster.toml:2: invalid TOML: invalid time, expected minute",
        ),
        (
            format!("[telegram]\ntoken = abc{s}\n"),
            vec![],
            "muster.toml:2: invalid TOML: string values must be quoted, expected literal string",
        ),
        (
            format!("[telegram]\ntoken = '{s}'\ntoken = '{s}'\n"),
            vec![],
            "muster.toml:3: invalid TOML: duplicate key",
        ),
        // Unknown or malformed variables.
        (
            String::new(),
            vec![("MUSTER_TELEGRAM_TOKN", s.into())],
            "unknown environment variable MUSTER_TELEGRAM_TOKN; did you mean MUSTER_TELEGRAM_TOKEN?",
        ),
        (
            String::new(),
            vec![("MUSTER_VERBOSITY", s.into())],
            "unknown environment variable MUSTER_VERBOSITY (Muster reads MUSTER_<SECTION>_<KEY> for each key of muster.toml, such as MUSTER_TELEGRAM_TOKEN, and MUSTER_LOG)",
        ),
        (
            String::new(),
            vec![("MUSTER_DISCORD_APPLICATION_ID", "my-app".into())],
            "MUSTER_DISCORD_APPLICATION_ID: must be a whole number, such as 123456789",
        ),
        // Enabled sections lacking what they need.
        (
            "\n[telegram]\nmode = 'polling'\n".into(),
            vec![],
            "muster.toml:2: [telegram]: needs `token` or `token_file` (in the environment MUSTER_TELEGRAM_TOKEN or MUSTER_TELEGRAM_TOKEN_FILE)",
        ),
        (
            String::new(),
            vec![("MUSTER_TELEGRAM_API_URL", "http://localhost:8081".into())],
            "[telegram] (enabled by MUSTER_TELEGRAM_API_URL): needs `token` or `token_file` (in the environment MUSTER_TELEGRAM_TOKEN or MUSTER_TELEGRAM_TOKEN_FILE)",
        ),
        (
            format!("[discord]\ntoken = '{s}'\n"),
            vec![],
            "muster.toml:1: [discord]: needs `application_id` (in the environment MUSTER_DISCORD_APPLICATION_ID)",
        ),
        (
            "[discord]\napplication_id = 1\n".into(),
            vec![],
            "muster.toml:1: [discord]: needs `token` or `token_file` (in the environment MUSTER_DISCORD_TOKEN or MUSTER_DISCORD_TOKEN_FILE)",
        ),
        (
            format!("[matrix]\nuser = '@m:x.org'\npassword = '{s}'\n"),
            vec![],
            "muster.toml:1: [matrix]: needs `homeserver` (in the environment MUSTER_MATRIX_HOMESERVER)",
        ),
        (
            format!("[matrix]\nhomeserver = 'https://x.org'\npassword = '{s}'\n"),
            vec![],
            "muster.toml:1: [matrix]: needs `user` (in the environment MUSTER_MATRIX_USER)",
        ),
        (
            "[matrix]\nhomeserver = 'https://x.org'\nuser = '@m:x.org'\n".into(),
            vec![],
            "muster.toml:1: [matrix]: needs `password`, `access_token` or `password_file` (in the environment MUSTER_MATRIX_PASSWORD, MUSTER_MATRIX_ACCESS_TOKEN or MUSTER_MATRIX_PASSWORD_FILE)",
        ),
        (
            "[web]\nlisten = '0.0.0.0:8080'\n".into(),
            vec![],
            "muster.toml:2: [web] listen: needs `public_url` (in the environment MUSTER_WEB_PUBLIC_URL) when listening on every interface: calendar and map links must use the address people reach Muster by",
        ),
        // Alternatives given together.
        (
            format!("[telegram]\ntoken = '{s}'\ntoken_file = '/run/secrets/tg'\n"),
            vec![],
            "muster.toml:3: [telegram] token_file: cannot be set together with `token`; keep one of them",
        ),
        (
            String::new(),
            vec![
                ("MUSTER_DISCORD_TOKEN", s.into()),
                ("MUSTER_DISCORD_TOKEN_FILE", "/run/secrets/dc".into()),
            ],
            "MUSTER_DISCORD_TOKEN_FILE: cannot be set together with MUSTER_DISCORD_TOKEN; keep one of them",
        ),
        (
            format!(
                "[matrix]\nhomeserver = 'https://x.org'\nuser = '@m:x.org'\npassword = '{s}'\naccess_token = '{s}'\n"
            ),
            vec![],
            "muster.toml:5: [matrix] access_token: cannot be set together with `password`; keep one of them",
        ),
        // Secrets that cannot be used.
        (
            "[telegram]\ntoken_file = '/nonexistent/muster-token'\n".into(),
            vec![],
            "muster.toml:2: [telegram] token_file: cannot read /nonexistent/muster-token: No such file or directory (os error 2)",
        ),
        (
            "[telegram]\ntoken = ''\n".into(),
            vec![],
            "muster.toml:2: [telegram] token: is empty",
        ),
        (
            format!("[telegram]\ntoken = '{s}'\nwebhook_secret = '{s} with spaces'\n"),
            vec![],
            "muster.toml:3: [telegram] webhook_secret: Telegram accepts only letters, digits, `_` and `-` here, at most 256 of them",
        ),
        // Values of the wrong shape.
        (
            "[defaults]\ntimezone = 'Europe/Pariss'\n".into(),
            vec![],
            "muster.toml:2: [defaults] timezone: `Europe/Pariss` is not a time zone name such as Europe/Paris or UTC; did you mean Europe/Paris?",
        ),
        (
            String::new(),
            vec![("MUSTER_DEFAULTS_TIMEZONE", "Mars/Olympus".into())],
            "MUSTER_DEFAULTS_TIMEZONE: `Mars/Olympus` is not a time zone name such as Europe/Paris or UTC",
        ),
        (
            "[defaults]\nlanguage = 'de'\n".into(),
            vec![],
            "muster.toml:2: [defaults] language: `de` is not a supported language; use `en` or `fr`",
        ),
        (
            format!("[telegram]\ntoken = '{s}'\napi_url = 'api.telegram.org'\n"),
            vec![],
            "muster.toml:3: [telegram] api_url: `api.telegram.org` is not a web address: it must start with http:// or https://",
        ),
        (
            format!("[matrix]\nhomeserver = 'https://'\nuser = '@m:x.org'\npassword = '{s}'\n"),
            vec![],
            "muster.toml:2: [matrix] homeserver: `https://` is not a web address: it has no host name",
        ),
        (
            format!(
                "[discord]\ntoken = '{s}'\napplication_id = 1\napi_url = 'https://bot:{s}@x.org:99999'\n"
            ),
            vec![],
            "muster.toml:4: [discord] api_url: `https://bot:***@x.org:99999` is not a web address: its port is not a number from 0 to 65535",
        ),
        (
            "[web]\npublic_url = 'muster.example.org'\n".into(),
            vec![],
            "muster.toml:2: [web] public_url: `muster.example.org` is not a web address: it must start with http:// or https://",
        ),
        (
            format!("[storage]\nurl = 'mysql://muster:{s}@db/muster'\n"),
            vec![],
            "muster.toml:2: [storage] url: `mysql://muster:***@db/muster` is not a database URL; use sqlite://FILE or postgres://USER:PASSWORD@HOST/DATABASE",
        ),
        (
            String::new(),
            vec![("MUSTER_STORAGE_URL", "muster.db".into())],
            "MUSTER_STORAGE_URL: `muster.db` is not a database URL; use sqlite://FILE or postgres://USER:PASSWORD@HOST/DATABASE",
        ),
        (
            "[web]\nlisten = 'localhost:8080'\n".into(),
            vec![],
            "muster.toml:2: [web] listen: `localhost:8080` is not an IP address and port such as 127.0.0.1:8080 or [::]:8080",
        ),
        (
            format!("[telegram]\ntoken = '{s}'\nmode = 'push'\n"),
            vec![],
            "muster.toml:3: [telegram] mode: `push` is not a mode; use `polling` or `webhook`",
        ),
        (
            format!("[telegram]\ntoken = '{s}'\nmode = 'webhook'\n"),
            vec![],
            "muster.toml:3: [telegram] mode: `webhook` needs the [web] section, whose server receives Telegram's updates; add [web] or use mode = \"polling\"",
        ),
        (
            "[access]\nadmins = [\n  'telegram:123456',\n  'ana',\n]\n".into(),
            vec![],
            "muster.toml:4: [access] admins: `ana` is not an admin of the form platform:user; it lacks the `:` of telegram:123456 or matrix:@ana:example.org",
        ),
        (
            String::new(),
            vec![("MUSTER_ACCESS_ADMINS", "telegram:1, slack:U123".into())],
            "MUSTER_ACCESS_ADMINS: `slack:U123` is not an admin of the form platform:user; the platform must be telegram, matrix, discord or console",
        ),
        (
            format!("[matrix]\nhomeserver = 'https://x.org'\nuser = 'muster'\npassword = '{s}'\n"),
            vec![],
            "muster.toml:3: [matrix] user: `muster` is not a Matrix user ID such as @muster:example.org",
        ),
        (
            format!(
                "[matrix]\nhomeserver = 'https://x.org'\nuser = '@m:x.org'\npassword = '{s}'\nallowed_inviters = ['example.org']\n"
            ),
            vec![],
            "muster.toml:5: [matrix] allowed_inviters: `example.org` is not a user ID pattern such as @ana:example.org or *:example.org",
        ),
        (
            format!("[discord]\ntoken = '{s}'\napplication_id = 0\n"),
            vec![],
            "muster.toml:3: [discord] application_id: must be the application's ID from the Discord developer portal, not 0",
        ),
        (
            format!("[discord]\ntoken = '{s}'\napplication_id = 1\npublic_key = 'abc'\n"),
            vec![],
            "muster.toml:4: [discord] public_key: must be the 64 hexadecimal characters shown as \"Public Key\" in the Discord developer portal",
        ),
    ];
    cases
        .into_iter()
        .map(|(text, vars, msg)| (text, vars, msg.to_string()))
        .collect()
}

#[test]
fn each_error_names_the_place_and_key() {
    for (text, vars, expected) in error_cases() {
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let error = parse(&text, &vars).expect_err(&expected);
        assert_eq!(error.to_string(), expected, "--- for ---\n{text}{vars:?}");
    }
}

/// Errors from `load` and from secret files, which need real files.
fn file_errors() -> Vec<ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let text = format!("[telegram]\ntoken_file = '{}'\n", empty.display());
    vec![
        Config::load(Some(&dir.path().join("absent.toml")), env(&[])).unwrap_err(),
        Config::load(Some(dir.path()), env(&[])).unwrap_err(),
        parse(&text, &[]).unwrap_err(),
        parse(
            "[telegram]\ntoken = '123:abc'\n",
            &[("MUSTER_TELEGRAM_TOKEN_FILE", dir.path().to_str().unwrap())],
        )
        .unwrap_err(),
    ]
}

#[test]
fn secrets_never_appear_in_errors() {
    let mut seen = BTreeSet::new();
    let table = error_cases().into_iter().map(|(text, vars, _)| {
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        parse(&text, &vars).unwrap_err()
    });
    for error in table.chain(file_errors()) {
        seen.insert(kind(&error));
        for shown in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
        ] {
            assert!(!shown.contains(SECRET), "{shown}");
        }
    }
    let missing: Vec<_> = ALL_KINDS.iter().filter(|k| !seen.contains(*k)).collect();
    assert!(missing.is_empty(), "no test case produces {missing:?}");
}

#[test]
fn secrets_never_appear_in_debug_or_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("matrix-password");
    std::fs::write(&file, format!("{SECRET}-from-file\n")).unwrap();
    let text = format!(
        r#"
        [storage]
        url = "postgres://muster:{SECRET}@db/muster?password={SECRET}"
        [telegram]
        token = "123:{SECRET}"
        mode = "webhook"
        webhook_secret = "{SECRET}"
        [matrix]
        homeserver = "https://matrix.example.org"
        user = "@muster:example.org"
        password_file = "{}"
        [web]
        listen = "127.0.0.1:8080"
        public_url = "https://muster.example.org"
        "#,
        file.display()
    );
    let config = ok(
        &text,
        &[
            ("MUSTER_DISCORD_TOKEN", SECRET),
            ("MUSTER_DISCORD_APPLICATION_ID", "42"),
        ],
    );
    assert_eq!(
        config.telegram.as_ref().unwrap().token.expose(),
        format!("123:{SECRET}")
    );
    assert_eq!(
        config.matrix.as_ref().unwrap().auth,
        MatrixAuth::Password(Secret::new(format!("{SECRET}-from-file")))
    );
    for shown in [
        format!("{config:?}"),
        format!("{config:#?}"),
        config.summary().join("\n"),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[test]
fn no_file_and_no_environment_give_the_defaults() {
    let config = Config::load(None, env(&[])).unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.storage.url, "sqlite://muster.db");
    assert_eq!(config.defaults.timezone, None, "the machine's zone");
    assert_eq!(config.defaults.language, "en");
    assert!(
        config.telegram.is_none()
            && config.matrix.is_none()
            && config.discord.is_none()
            && config.web.is_none()
    );
    assert!(config.access.admins.is_empty());
    assert_eq!(ok("", &[]), Config::default());
}

#[test]
fn the_template_loads_to_the_defaults() {
    assert_eq!(ok(TEMPLATE, &[]), Config::default());
}

#[test]
fn the_template_shows_every_section_and_key() {
    for (section, keys) in SECTIONS {
        let header = format!("[{section}]");
        assert!(
            TEMPLATE
                .lines()
                .any(|l| l.trim_start_matches("# ") == header),
            "{header}"
        );
        for key in *keys {
            let line = format!("{key} = ");
            assert!(
                TEMPLATE
                    .lines()
                    .any(|l| l.trim_start_matches("# ").starts_with(&line)),
                "[{section}] {key}"
            );
        }
    }
}

/// `SECTIONS` drives variables, hints and the template; serde's list of
/// fields, read from its own error, must match it.
#[test]
fn the_key_list_matches_the_structs() {
    let expected_of = |text: &str| -> Vec<String> {
        let message = toml::from_str::<RawConfig>(text)
            .unwrap_err()
            .message()
            .to_string();
        let list = message.split_once("expected ").unwrap().1;
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let sections: Vec<&str> = SECTIONS.iter().map(|(s, _)| *s).collect();
    assert_eq!(expected_of("nope = 1"), sections);
    for (section, keys) in SECTIONS {
        assert_eq!(
            expected_of(&format!("[{section}]\nnope = 1")),
            *keys,
            "[{section}]"
        );
    }
}

#[test]
fn every_listed_key_has_a_variable() {
    for (section, keys) in SECTIONS {
        for key in *keys {
            let var = var_name(section, key);
            let value = if matches!(*key, "application_id" | "messages_per_second") {
                "1"
            } else {
                "x"
            };
            let mut raw = RawConfig::default();
            crate::env::apply(&mut raw, env(&[(&var, value)]))
                .unwrap_or_else(|e| panic!("{var}: {e}"));
        }
    }
}

#[test]
fn a_complete_file() {
    let text = r#"
[storage]
url = "postgres://muster@db/muster"

[telegram]
token = "123:abc"
api_url = "http://localhost:8081/"
mode = "webhook"
webhook_secret = "s_3-cret"

[matrix]
homeserver = "https://matrix.example.org"
user = "@muster:example.org"
access_token = "syt_abc"
store = "/var/lib/muster/matrix"
allowed_inviters = ["*:example.org", "@bob:other.org"]
messages_per_second = 4

[discord]
token = "dc"
application_id = 123456789
api_url = "http://127.0.0.1:9000/api"
public_key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF"

[web]
listen = "[::]:8080"
public_url = "https://muster.example.org/"

[defaults]
timezone = "Europe/Paris"
language = "fr"

[access]
admins = ["telegram:123456", "matrix:@ana:example.org", "discord:987654", "console:ana"]
"#;
    let c = ok(text, &[]);
    assert_eq!(c.storage.backend(), Backend::Postgres);
    let t = c.telegram.as_ref().unwrap();
    assert_eq!(
        (t.token.expose(), t.api_url.as_str(), t.mode),
        ("123:abc", "http://localhost:8081", TelegramMode::Webhook)
    );
    assert_eq!(
        t.webhook_secret.as_ref().map(Secret::expose),
        Some("s_3-cret")
    );
    let m = c.matrix.as_ref().unwrap();
    assert_eq!(m.auth, MatrixAuth::AccessToken(Secret::new("syt_abc")));
    assert_eq!(m.store, PathBuf::from("/var/lib/muster/matrix"));
    assert_eq!(m.allowed_inviters, ["*:example.org", "@bob:other.org"]);
    assert_eq!(m.messages_per_second, 4);
    let d = c.discord.as_ref().unwrap();
    assert_eq!(
        (d.application_id, d.api_url.as_str()),
        (123456789, "http://127.0.0.1:9000/api")
    );
    let w = c.web.as_ref().unwrap();
    assert_eq!(w.listen, "[::]:8080".parse::<SocketAddr>().unwrap());
    assert_eq!(w.public_url, "https://muster.example.org");
    assert_eq!(
        (c.defaults.timezone, c.defaults.language.as_str()),
        (Some(chrono_tz::Europe::Paris), "fr")
    );
    assert_eq!(c.access.admins.len(), 4);

    let summary = c.summary();
    assert_eq!(
        summary,
        [
            "storage: PostgreSQL at postgres://muster@db/muster",
            "telegram: bot via http://localhost:8081, webhook at https://muster.example.org",
            "matrix: @muster:example.org on https://matrix.example.org (logs in with a access token), store /var/lib/muster/matrix, accepts invitations from *:example.org, @bob:other.org",
            "discord: application 123456789 via http://127.0.0.1:9000/api, interactions endpoint on [web]",
            "web: listening on [::]:8080, public address https://muster.example.org",
            "defaults: time zone Europe/Paris, language fr",
            "access: 4 root admins",
        ]
    );
}

#[test]
fn platform_defaults() {
    let c = ok(
        "[telegram]\ntoken = 't'\n[matrix]\nhomeserver = 'https://m.org'\nuser = '@b:m.org'\npassword = 'p'\n[discord]\ntoken = 'd'\napplication_id = 7\n[web]\n",
        &[],
    );
    let t = c.telegram.unwrap();
    assert_eq!(
        (t.api_url.as_str(), t.mode, t.webhook_secret),
        ("https://api.telegram.org", TelegramMode::Polling, None)
    );
    let m = c.matrix.unwrap();
    assert_eq!(
        (m.store, m.allowed_inviters),
        (PathBuf::from("matrix-store"), Vec::<String>::new())
    );
    let d = c.discord.unwrap();
    assert_eq!(
        (d.api_url.as_str(), d.public_key),
        ("https://discord.com/api", None)
    );
    let w = c.web.unwrap();
    assert_eq!(
        (w.listen.to_string(), w.public_url.as_str()),
        ("127.0.0.1:8080".to_string(), "http://127.0.0.1:8080")
    );
}

#[test]
fn the_environment_wins_over_the_file() {
    let text = "[storage]\nurl = 'sqlite://file.db'\n[defaults]\ntimezone = 'Europe/Paris'\nlanguage = 'fr'\n[access]\nadmins = ['telegram:1']\n";
    for (vars, check) in [
        (
            vec![("MUSTER_STORAGE_URL", "postgres://u:p@db/m")],
            Box::new(|c: &Config| assert_eq!(c.storage.url, "postgres://u:p@db/m"))
                as Box<dyn Fn(&Config)>,
        ),
        (
            vec![("MUSTER_DEFAULTS_TIMEZONE", "America/Montreal")],
            Box::new(|c| assert_eq!(c.defaults.timezone, Some(chrono_tz::America::Montreal))),
        ),
        (
            vec![("MUSTER_DEFAULTS_LANGUAGE", "en")],
            Box::new(|c| assert_eq!(c.defaults.language, "en")),
        ),
        (
            vec![(
                "MUSTER_ACCESS_ADMINS",
                " telegram:2 ,matrix:@a:b.org,, discord:3",
            )],
            Box::new(|c| {
                assert_eq!(
                    c.access.admins,
                    ["telegram:2", "matrix:@a:b.org", "discord:3"]
                )
            }),
        ),
        // Empty means unset: compose files produce them for unset host variables.
        (
            vec![("MUSTER_STORAGE_URL", "")],
            Box::new(|c| assert_eq!(c.storage.url, "sqlite://file.db")),
        ),
        // Not ours.
        (
            vec![
                ("MUSTER_LOG", "debug"),
                ("MUSTER_TEST_FAKE", "1"),
                ("PATH", "/bin"),
                ("muster_storage_url", "x"),
            ],
            Box::new(|c| assert_eq!(c.storage.url, "sqlite://file.db")),
        ),
    ] {
        check(&ok(text, &vars));
    }
}

#[test]
fn a_platform_can_be_enabled_by_the_environment_alone() {
    let c = ok(
        "",
        &[
            ("MUSTER_TELEGRAM_TOKEN", "123:abc"),
            ("MUSTER_TELEGRAM_API_URL", "http://fake:8081"),
        ],
    );
    let t = c.telegram.unwrap();
    assert_eq!(
        (t.token.expose(), t.api_url.as_str()),
        ("123:abc", "http://fake:8081")
    );

    let c = ok(
        "",
        &[
            ("MUSTER_MATRIX_HOMESERVER", "https://m.org"),
            ("MUSTER_MATRIX_USER", "@b:m.org"),
            ("MUSTER_MATRIX_PASSWORD", "pw"),
            ("MUSTER_MATRIX_ALLOWED_INVITERS", "*:m.org,@x:y.org"),
        ],
    );
    assert_eq!(c.matrix.unwrap().allowed_inviters, ["*:m.org", "@x:y.org"]);

    let c = ok(
        "",
        &[
            ("MUSTER_DISCORD_TOKEN", "d"),
            ("MUSTER_DISCORD_APPLICATION_ID", " 99 "),
        ],
    );
    assert_eq!(c.discord.unwrap().application_id, 99);

    let c = ok("", &[("MUSTER_WEB_LISTEN", "127.0.0.1:9999")]);
    assert_eq!(c.web.unwrap().public_url, "http://127.0.0.1:9999");
}

#[test]
fn a_credential_in_the_environment_replaces_the_files_alternative() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "from-file").unwrap();
    let text = format!("[telegram]\ntoken_file = '{}'\n", token.display());
    assert_eq!(ok(&text, &[]).telegram.unwrap().token.expose(), "from-file");
    assert_eq!(
        ok(&text, &[("MUSTER_TELEGRAM_TOKEN", "from-env")])
            .telegram
            .unwrap()
            .token
            .expose(),
        "from-env"
    );

    let text = "[matrix]\nhomeserver = 'https://m.org'\nuser = '@b:m.org'\npassword = 'pw'\n";
    let c = ok(text, &[("MUSTER_MATRIX_ACCESS_TOKEN", "tok")]);
    assert_eq!(
        c.matrix.unwrap().auth,
        MatrixAuth::AccessToken(Secret::new("tok"))
    );
}

#[test]
fn secret_files_lose_one_final_newline_only() {
    let dir = tempfile::tempdir().unwrap();
    for (content, expected) in [
        ("abc", "abc"),
        ("abc\n", "abc"),
        ("abc\r\n", "abc"),
        ("abc\n\n", "abc\n"),
        (" a b ", " a b "),
    ] {
        let path = dir.path().join("secret");
        std::fs::File::create(&path)
            .unwrap()
            .write_all(content.as_bytes())
            .unwrap();
        let text = format!(
            "[discord]\ntoken_file = '{}'\napplication_id = 1\n",
            path.display()
        );
        assert_eq!(
            ok(&text, &[]).discord.unwrap().token.expose(),
            expected,
            "{content:?}"
        );
    }
}

#[test]
fn file_errors_name_the_file() {
    let errors = file_errors();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].starts_with("configuration file ") && shown[0].ends_with("absent.toml not found"),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].starts_with("cannot read configuration file "),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].starts_with("muster.toml:2: [telegram] token_file: ")
            && shown[2].ends_with("empty is empty"),
        "{}",
        shown[2]
    );
    assert!(
        shown[3].starts_with("MUSTER_TELEGRAM_TOKEN_FILE: cannot read "),
        "{}",
        shown[3]
    );
}

#[test]
fn load_reads_the_file_and_names_it_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[defaults]\nlanguage = 'fr'\n").unwrap();
    assert_eq!(
        Config::load(Some(&path), env(&[]))
            .unwrap()
            .defaults
            .language,
        "fr"
    );
    std::fs::write(&path, "[telegram]\ntokn = \"123:secret\"\n").unwrap();
    let message = Config::load(Some(&path), env(&[])).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "{}:2: unknown key `tokn` in [telegram]; did you mean `token`?",
            path.display()
        )
    );
}

#[test]
fn summary_of_the_defaults() {
    let machine = Config::default().defaults.zone();
    assert_eq!(
        Config::default().summary(),
        [
            "storage: SQLite at sqlite://muster.db".to_string(),
            "bots: no chat platform configured".to_string(),
            "web: off".to_string(),
            format!("defaults: time zone {machine} (this machine's), language en"),
            "access: no root admin; on an empty database the first person to speak becomes admin"
                .to_string(),
        ]
    );
}

#[test]
fn the_matrix_rate_defaults_and_is_checked() {
    let base = "[matrix]\nhomeserver = 'https://m.org'\nuser = '@m:m.org'\npassword = 'p'\n";
    assert_eq!(ok(base, &[]).matrix.unwrap().messages_per_second, 10);
    let env = [("MUSTER_MATRIX_MESSAGES_PER_SECOND", "3")];
    assert_eq!(ok(base, &env).matrix.unwrap().messages_per_second, 3);
    let err = Config::from_toml(
        &format!("{base}messages_per_second = 0\n"),
        "muster.toml",
        Vec::new(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("messages_per_second")
            && err.to_string().contains("between 1 and 1000"),
        "{err}"
    );
}
