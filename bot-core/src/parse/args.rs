//! Reading a command's arguments, with errors naming the command.

use super::fold;
use super::lexer::{Lexer, Token};
use crate::command::{MemberRef, ParseError};
use crate::domain::MemberId;

/// Values echoed in errors are cut, so a pasted page does not come back as a reply.
const SHOWN_CHARS: usize = 80;

fn shown(s: &str) -> String {
    match s.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// ASCII digits only: `str::parse` would also take `+5`.
pub(super) fn number(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub(super) fn positive_u32(s: &str) -> Option<u32> {
    number(s)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0)
}

/// The rest of the line, and the command errors are reported for.
pub(super) struct Args<'a> {
    pub(super) lex: Lexer<'a>,
    pub(super) key: &'static str,
}

impl<'a> Args<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Args {
            lex: Lexer::new(src),
            key: "help",
        }
    }

    pub(super) fn next(&mut self) -> Result<Option<Token>, ParseError> {
        self.lex.next_token().map_err(|_| self.unclosed())
    }

    pub(super) fn unclosed(&self) -> ParseError {
        ParseError::UnclosedQuote {
            command: Some(self.key),
        }
    }

    /// Lenient: an unclosed quote is reported when the word is actually read.
    pub(super) fn peek(&self) -> Option<Token> {
        self.lex.peek().ok().flatten()
    }

    pub(super) fn peek_second(&self) -> Option<Token> {
        let mut probe = self.lex.clone();
        probe.next_token().ok()?;
        probe.next_token().ok().flatten()
    }

    pub(super) fn missing(&self, argument: &'static str) -> ParseError {
        ParseError::Missing {
            command: self.key,
            argument,
        }
    }

    pub(super) fn invalid(&self, argument: &'static str, value: &str) -> ParseError {
        ParseError::Invalid {
            command: self.key,
            argument,
            value: shown(value),
        }
    }

    /// Everything from the word starting at `start` is unexpected.
    pub(super) fn unexpected(&self, extra: &str) -> ParseError {
        ParseError::Unexpected {
            command: self.key,
            extra: shown(extra),
        }
    }

    pub(super) fn unexpected_from(&self, start: usize) -> ParseError {
        ParseError::Unexpected {
            command: self.key,
            extra: shown(self.lex.from(start)),
        }
    }

    pub(super) fn finish(&self) -> Result<(), ParseError> {
        match self.lex.rest() {
            "" => Ok(()),
            extra => Err(ParseError::Unexpected {
                command: self.key,
                extra: shown(extra),
            }),
        }
    }

    pub(super) fn required(&mut self, argument: &'static str) -> Result<Token, ParseError> {
        self.next()?.ok_or(self.missing(argument))
    }

    /// Whether the next word is an unquoted keyword among `options`.
    pub(super) fn keyword(&self, options: &[&str]) -> bool {
        self.peek()
            .is_some_and(|t| !t.quoted && options.contains(&fold(&t.text).as_str()))
    }

    /// An optional keyword; anything else is left for `finish` to report.
    pub(super) fn flag(&mut self, options: &[&str]) -> bool {
        let found = self.keyword(options);
        if found {
            self.lex.next_token().ok();
        }
        found
    }

    pub(super) fn maybe_choose<T: Clone>(
        &mut self,
        argument: &'static str,
        options: &[(&str, T)],
    ) -> Result<Option<T>, ParseError> {
        let Some(t) = self.next()? else {
            return Ok(None);
        };
        let folded = fold(&t.text);
        match options.iter().find(|(word, _)| *word == folded) {
            Some((_, value)) => Ok(Some(value.clone())),
            None => Err(self.invalid(argument, &t.text)),
        }
    }

    pub(super) fn choose<T: Clone>(
        &mut self,
        argument: &'static str,
        options: &[(&str, T)],
    ) -> Result<T, ParseError> {
        self.maybe_choose(argument, options)?
            .ok_or(self.missing(argument))
    }

    /// `12` or `#12`, positive.
    pub(super) fn id(&mut self, argument: &'static str) -> Result<i64, ParseError> {
        let t = self.required(argument)?;
        let digits = t.text.strip_prefix('#').unwrap_or(&t.text);
        number(digits)
            .filter(|n| *n > 0)
            .ok_or_else(|| self.invalid(argument, &t.text))
    }

    /// A member number (`12`, `#12`) or any handle, which the engine resolves.
    pub(super) fn member(&mut self) -> Result<MemberRef, ParseError> {
        let t = self.required("member")?;
        let digits = t.text.strip_prefix('#').unwrap_or(&t.text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(MemberRef::Handle(t.text));
        }
        match number(digits).filter(|n| *n > 0) {
            Some(n) => Ok(MemberRef::Id(MemberId(n))),
            None => Err(self.invalid("member", &t.text)),
        }
    }

    /// Free text (a reason, a description, a message): the rest of the line as typed, so
    /// spacing, line breaks and stray quotes survive; wholly quoted, the quotes go.
    pub(super) fn text(&mut self) -> Option<String> {
        let rest = self.lex.rest();
        let mut probe = self.lex.clone();
        self.lex.skip_rest();
        if let Ok(Some(t)) = probe.next_token()
            && t.quoted
            && probe.rest().is_empty()
        {
            return (!t.text.is_empty()).then_some(t.text);
        }
        (!rest.is_empty()).then(|| rest.to_string())
    }

    /// The remaining words joined by single spaces.
    pub(super) fn joined(&mut self) -> Result<Option<String>, ParseError> {
        let mut words = Vec::new();
        while let Some(t) = self.next()? {
            words.push(t.text);
        }
        let joined = words.join(" ");
        Ok((!joined.trim().is_empty()).then_some(joined))
    }
}
