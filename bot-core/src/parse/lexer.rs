//! Words of a command line, grouped by the quotes people actually type.

/// Straight and curly double quotes close one another: autocorrect often curls
/// only one end of a pair, and German-style „…“ closes with an opening-looking mark.
fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '‟')
}

/// Single quotes (' ‘ ’) are never quotes: they are apostrophes in French.
fn opens_quote(c: char) -> bool {
    c == '«' || is_double_quote(c)
}

fn closes_quote(open: char, c: char) -> bool {
    if open == '«' {
        c == '»'
    } else {
        is_double_quote(c)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub(super) text: String,
    /// A quoted word is never read as a keyword, so `"at"` can be a title.
    pub(super) quoted: bool,
    /// Byte offset of the word in the line, for grammars that keep the rest as typed.
    pub(super) start: usize,
}

/// An opening quote without its partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Unclosed;

/// Reads words on demand rather than all at once, so that a command keeping
/// the rest of the line as typed (an announcement) never trips on a stray
/// quote inside its text.
#[derive(Debug, Clone)]
pub(super) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    /// The unread rest of the line, trimmed.
    pub(super) fn rest(&self) -> &'a str {
        self.src[self.pos..].trim()
    }

    /// The line from a word's start, trimmed.
    pub(super) fn from(&self, start: usize) -> &'a str {
        self.src.get(start..).unwrap_or_default().trim()
    }

    pub(super) fn skip_rest(&mut self) {
        self.pos = self.src.len();
    }

    /// A quote opens only at the start of a word, so `5"` or `l'“ami”` stay
    /// literal; after the closing quote the word runs on to the next space.
    pub(super) fn next_token(&mut self) -> Result<Option<Token>, Unclosed> {
        let rest = &self.src[self.pos..];
        let word = rest.trim_start();
        let start = self.src.len() - word.len();
        let Some(first) = word.chars().next() else {
            self.pos = self.src.len();
            return Ok(None);
        };
        let mut text = String::new();
        let mut tail_from = 0;
        let quoted = opens_quote(first);
        if quoted {
            let body = &word[first.len_utf8()..];
            let (close, closer) = body
                .char_indices()
                .find(|&(_, c)| closes_quote(first, c))
                .ok_or(Unclosed)?;
            // « x » is typed with (often non-breaking) spaces inside the guillemets.
            text.push_str(body[..close].trim());
            tail_from = first.len_utf8() + close + closer.len_utf8();
        }
        let tail = &word[tail_from..];
        let tail_len = tail.find(char::is_whitespace).unwrap_or(tail.len());
        text.push_str(&tail[..tail_len]);
        self.pos = start + tail_from + tail_len;
        Ok(Some(Token {
            text,
            quoted,
            start,
        }))
    }

    /// The next word without reading it.
    pub(super) fn peek(&self) -> Result<Option<Token>, Unclosed> {
        self.clone().next_token()
    }
}

/// Every word of `s`.
pub(super) fn tokens(s: &str) -> Result<Vec<Token>, Unclosed> {
    let mut lexer = Lexer::new(s);
    let mut out = Vec::new();
    while let Some(token) = lexer.next_token()? {
        out.push(token);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<(String, bool)> {
        tokens(s)
            .unwrap()
            .into_iter()
            .map(|t| (t.text, t.quoted))
            .collect()
    }

    fn w(text: &str, quoted: bool) -> (String, bool) {
        (text.to_string(), quoted)
    }

    #[test]
    fn quotes_group_words() {
        assert_eq!(
            words(r#"a "b c" d"#),
            [w("a", false), w("b c", true), w("d", false)]
        );
        assert_eq!(
            words("“Soirée jeux” demain"),
            [w("Soirée jeux", true), w("demain", false)]
        );
        assert_eq!(words("« Soirée jeux »"), [w("Soirée jeux", true)]);
        assert_eq!(
            words("«\u{a0}Soirée jeux\u{202f}»"),
            [w("Soirée jeux", true)]
        );
        assert_eq!(
            words("„Treffen“ morgen"),
            [w("Treffen", true), w("morgen", false)]
        );
        assert_eq!(words("”mixed\" x"), [w("mixed", true), w("x", false)]);
        assert_eq!(words(r#""""#), [w("", true)]);
    }

    #[test]
    fn apostrophes_and_inner_quotes_are_literal() {
        assert_eq!(
            words("l'ami aujourd’hui ‘x’"),
            [w("l'ami", false), w("aujourd’hui", false), w("‘x’", false)]
        );
        assert_eq!(
            words(r#"5" l'“ami”"#),
            [w(r#"5""#, false), w("l'“ami”", false)]
        );
        assert_eq!(
            words("a » b"),
            [w("a", false), w("»", false), w("b", false)]
        );
    }

    #[test]
    fn text_after_a_closing_quote_stays_in_the_word() {
        assert_eq!(
            words(r#""Bar",  next"#),
            [w("Bar,", true), w("next", false)]
        );
    }

    #[test]
    fn unclosed_quotes_are_errors() {
        assert_eq!(tokens(r#"a "b c"#), Err(Unclosed));
        assert_eq!(tokens("« b c"), Err(Unclosed));
        // A guillemet is closed only by its partner.
        assert_eq!(tokens("« b \" c"), Err(Unclosed));
    }

    #[test]
    fn starts_point_into_the_line() {
        let line = "  ab  “c d”  e";
        let starts: Vec<_> = tokens(line)
            .unwrap()
            .into_iter()
            .map(|t| &line[t.start..])
            .collect();
        assert_eq!(starts, ["ab  “c d”  e", "“c d”  e", "e"]);
    }
}
