//! The file `muster init` writes.

/// A commented `muster.toml` with every key: the platform sections and
/// `[web]` are commented out, so as written it loads to `Config::default()`.
pub const TEMPLATE: &str = r#"# Muster configuration. `muster check-config` validates it and shows what
# would run.
#
# Every key can also be set in the environment as MUSTER_<SECTION>_<KEY>,
# such as MUSTER_TELEGRAM_TOKEN or MUSTER_STORAGE_URL; the environment wins
# over this file, and lists are comma-separated there.

[storage]
# sqlite://FILE (created when missing) or postgres://USER:PASSWORD@HOST/DATABASE
url = "sqlite://muster.db"

# A platform section that is present turns its bot on: uncomment one and fill
# it in. Where a secret can come from a file (token_file, password_file), such
# as a container secret, give either the secret or the file, not both; the
# file's final newline is ignored.

# [telegram]
# token = "123456:ABC-DEF"               # from @BotFather
# token_file = "/run/secrets/telegram"   # instead of token
# api_url = "https://api.telegram.org"   # or a local Bot API server
# mode = "polling"                       # or "webhook", which needs [web]
# webhook_secret = "long-random-string"  # sent back by Telegram with each update;
#                                        # letters, digits, _ and - only

# [matrix]
# homeserver = "https://matrix.example.org"
# user = "@muster:example.org"
# password = "..."
# access_token = "..."                   # instead of password
# password_file = "/run/secrets/matrix"  # instead of password
# store = "matrix-store"                 # session and encryption keys: keep it across restarts
# allowed_inviters = ["*:example.org"]   # whose room invitations the bot accepts
# messages_per_second = 10               # the most the bot sends a second, over all rooms

# [discord]
# token = "..."                          # the bot token from the developer portal
# token_file = "/run/secrets/discord"    # instead of token
# application_id = 123456789
# api_url = "https://discord.com/api"
# public_key = "..."                     # only for the HTTP interactions endpoint on [web]

# The web server: calendar feeds, map links, webhooks. Off while commented out.
# [web]
# listen = "127.0.0.1:8080"
# public_url = "https://muster.example.org"   # the address people reach it by, used in links

[defaults]
# For new sections; each section can change its own.
# timezone = "Europe/Paris"              # default: this machine's time zone
language = "en"                          # "en" or "fr"

[access]
# Root admins, as platform:user, such as "telegram:123456",
# "matrix:@ana:example.org", "discord:987654". With none, the first person to
# speak to an empty database becomes admin.
admins = []
"#;
