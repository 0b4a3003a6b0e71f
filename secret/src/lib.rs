//! Credentials that must never reach a log line, an error message or a
//! banner, and the one function that takes them out of any text.
//!
//! - [`Secret`] holds a token or password; it prints as `***` and registers
//!   its value, so [`redact`] masks that value wherever it later appears
//!   (a platform library that puts the token in an error's URL, say).
//! - [`redact`] also masks what has the shape of a credential without
//!   being registered: the password of a `scheme://user:password@host`
//!   URL, `password=`/`token=`-like query parameters, and Telegram bot
//!   tokens (`123456:ABC…`, alone or in a `/bot<token>/` path).
//!
//! Every text Muster shows an operator goes through [`redact`]: the log
//! writer of the `muster` binary, its error messages and its banners.

mod secret;

pub use secret::Secret;

use std::sync::RwLock;

/// Values registered by [`Secret::new`] (and [`register`]): masked wherever
/// they appear.
static KNOWN: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// What a secret is replaced by.
pub const MASK: &str = "***";

/// Shorter values are not registered: masking every "abc" in a log would
/// hide more than it protects (and such a value protects nothing anyway).
const MIN_REGISTERED: usize = 6;

/// Query parameters whose value is a credential.
const SECRET_PARAMS: [&str; 7] = [
    "password",
    "passwd",
    "pass",
    "token",
    "access_token",
    "secret",
    "sslpassword",
];

/// Makes `value` masked by [`redact`] from now on.
pub fn register(value: &str) {
    if value.len() < MIN_REGISTERED {
        return;
    }
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    if !known.iter().any(|k| k == value) {
        known.push(value.to_string());
        // Longest first, so a secret containing another is masked whole.
        known.sort_by_key(|k| std::cmp::Reverse(k.len()));
    }
}

/// Makes the passwords of a database URL (`user:password@`, `?password=`)
/// masked wherever they appear, even without the URL around them (a
/// driver's message may quote the value alone).
pub fn register_url(url: &str) {
    let authority = url
        .split_once("://")
        .map(|(_, rest)| &rest[..authority_end(rest)]);
    if let Some((_, password)) = authority
        .and_then(|a| a.rsplit_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
    {
        register(password);
    }
    for (key, value) in url
        .split_once('?')
        .into_iter()
        .flat_map(|(_, query)| query.split('&'))
        .filter_map(|param| param.split_once('='))
    {
        if SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(key)) {
            register(value);
        }
    }
}

/// `text` with every credential in it replaced by `***`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    {
        let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
        for value in known.iter() {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), MASK);
            }
        }
    }
    let out = url_passwords(&out);
    let out = query_secrets(&out);
    telegram_tokens(&out)
}

/// Where a URL's authority (`user:password@host:port`) ends.
fn authority_end(s: &str) -> usize {
    s.find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace() || "\"'<>`".contains(c))
        .unwrap_or(s.len())
}

/// `scheme://user:password@host` → `scheme://user:***@host`, for every URL
/// in the text. The last `@` of the authority ends the password, which may
/// itself hold `@`.
fn url_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = authority_end(tail);
        let authority = &tail[..end];
        match authority
            .rfind('@')
            .and_then(|at| authority[..at].split_once(':').map(|(user, _)| (user, at)))
        {
            Some((user, at)) => {
                out.push_str(user);
                out.push(':');
                out.push_str(MASK);
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// `?password=x&token=y` → `?password=***&token=***` (names compared
/// without case), wherever such a parameter follows `?` or `&`.
fn query_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['?', '&']) {
        let (head, tail) = rest.split_at(i + 1);
        out.push_str(head);
        let name_end = tail.find('=').filter(|&e| {
            let name = &tail[..e];
            SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name))
        });
        match name_end {
            Some(e) => {
                out.push_str(&tail[..=e]);
                let value = &tail[e + 1..];
                let value_end = value
                    .find(|c: char| {
                        c == '&' || c == '#' || c.is_whitespace() || "\"'<>`".contains(c)
                    })
                    .unwrap_or(value.len());
                out.push_str(MASK);
                rest = &value[value_end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// Telegram bot tokens, `<bot id>:<35 characters>`: masked whole, alone or
/// in an API path (`/bot123:AA…/getMe` → `/bot***/getMe`).
fn telegram_tokens(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_token_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // A run of digits (the bot id) not glued to a preceding word character…
        let starts = bytes[i].is_ascii_digit()
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() || bytes[..i].ends_with(b"bot"));
        if !starts {
            i += 1;
            continue;
        }
        let digits_end = i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        // …then `:` and a long secret part.
        if digits_end - i >= 3 && bytes.get(digits_end) == Some(&b':') {
            let secret_end = digits_end
                + 1
                + bytes[digits_end + 1..]
                    .iter()
                    .take_while(|b| is_token_char(**b))
                    .count();
            if secret_end - digits_end > 30 {
                out.push_str(&text[copied..i]);
                out.push_str(MASK);
                copied = secret_end;
                i = secret_end;
                continue;
            }
        }
        i = digits_end;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_masked_and_the_rest_kept() {
        for (text, expected) in [
            ("sqlite://muster.db", "sqlite://muster.db"),
            ("sqlite::memory:", "sqlite::memory:"),
            ("postgres://ana@db/muster", "postgres://ana@db/muster"),
            (
                "postgres://ana:pw@db/muster",
                "postgres://ana:***@db/muster",
            ),
            (
                "postgresql://ana:p@ss@db:5432/muster",
                "postgresql://ana:***@db:5432/muster",
            ),
            (
                "cannot open postgres://u:hunter2@h/db: refused; retry postgres://v:x2@h2",
                "cannot open postgres://u:***@h/db: refused; retry postgres://v:***@h2",
            ),
            (
                "postgres://db/muster?user=ana&password=pw&x=1",
                "postgres://db/muster?user=ana&password=***&x=1",
            ),
            (
                "postgres://u@h/db?password=secret",
                "postgres://u@h/db?password=***",
            ),
            (
                "https://h/x?access_token=abc.def&Token=zz#frag",
                "https://h/x?access_token=***&Token=***#frag",
            ),
            ("a password is needed", "a password is needed"),
            ("sqlite://data/@x.db", "sqlite://data/@x.db"),
        ] {
            assert_eq!(redact(text), expected, "{text}");
        }
    }

    #[test]
    fn telegram_tokens_are_masked_alone_and_in_paths() {
        let token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
        assert_eq!(redact(token), "***");
        assert_eq!(
            redact(&format!(
                "error sending request for url (https://api.telegram.org/bot{token}/GetMe)"
            )),
            "error sending request for url (https://api.telegram.org/bot***/GetMe)"
        );
        // Times and ratios are no tokens.
        assert_eq!(
            redact("at 12:30, 2026-12-01 19:30:00"),
            "at 12:30, 2026-12-01 19:30:00"
        );
    }

    #[test]
    fn a_urls_passwords_are_masked_alone_too() {
        register_url("postgres://bot:hunter2-pw@db/muster");
        assert_eq!(redact("auth failed: hunter2-pw"), "auth failed: ***");
        register_url("postgres://db/muster?user=bot&password=s3cret-pw");
        assert_eq!(redact("no: s3cret-pw"), "no: ***");
        // No password, nothing registered.
        register_url("postgres://bot@db/muster");
        register_url("postgres://bot:@db/muster");
        assert_eq!(redact("refused"), "refused");
    }

    #[test]
    fn registered_values_are_masked_anywhere() {
        let secret = Secret::new("s3cr3t-discord-token-value");
        assert_eq!(
            redact("Authorization: Bot s3cr3t-discord-token-value failed"),
            "Authorization: Bot *** failed"
        );
        assert_eq!(secret.expose(), "s3cr3t-discord-token-value");
        // Too short to register: masking it everywhere would mangle logs.
        register("abc");
        assert_eq!(redact("abc"), "abc");
    }
}
