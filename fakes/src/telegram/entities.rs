//! Message entities, and the ones Telegram finds by itself in any text — bot
//! commands, mentions, hashtags and links. Offsets and lengths are in UTF-16
//! code units, as in the Bot API.

/// One `MessageEntity`; `kind` is the Bot API's `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entity {
    pub kind: &'static str,
    pub offset: usize,
    pub length: usize,
    pub url: Option<String>,
    pub user_id: Option<i64>,
    pub language: Option<String>,
    pub custom_emoji_id: Option<String>,
}

impl Entity {
    pub fn new(kind: &'static str, offset: usize, length: usize) -> Self {
        Entity {
            kind,
            offset,
            length,
            url: None,
            user_id: None,
            language: None,
            custom_emoji_id: None,
        }
    }

    fn end(&self) -> usize {
        self.offset + self.length
    }
}

pub(crate) fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Strips leading and trailing whitespace as Telegram does with message text,
/// moving the entities along.
pub(crate) fn trim(text: &str, entities: Vec<Entity>) -> (String, Vec<Entity>) {
    let trimmed = text.trim();
    let lead = utf16_len(&text[..text.len() - text.trim_start().len()]);
    let kept = utf16_len(trimmed);
    let entities = entities
        .into_iter()
        .filter_map(|mut entity| {
            let start = entity.offset.clamp(lead, lead + kept);
            let end = entity.end().clamp(lead, lead + kept);
            entity.offset = start - lead;
            entity.length = end - start;
            (entity.length > 0).then_some(entity)
        })
        .collect();
    (trimmed.to_owned(), entities)
}

fn is_word(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// The entities Telegram finds in any message: `/command[@bot]`, `@username`,
/// `#hashtag` and `http(s)://` links, each starting a word. Ranges already
/// covered by `explicit` code, pre or links are left alone.
pub(crate) fn detect(text: &str, explicit: &[Entity]) -> Vec<Entity> {
    let chars: Vec<char> = text.chars().collect();
    let mut offsets = Vec::with_capacity(chars.len() + 1);
    let mut offset = 0;
    for ch in &chars {
        offsets.push(offset);
        offset += ch.len_utf16();
    }
    offsets.push(offset);
    let run = |from: usize| from + chars[from..].iter().take_while(|ch| is_word(**ch)).count();
    let mut found = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let starts_word =
            k == 0 || !(is_word(chars[k - 1]) || matches!(chars[k - 1], '/' | '@' | '#' | '.'));
        let (kind, end) = match chars[k] {
            '/' if starts_word => {
                let mut end = run(k + 1);
                if chars.get(end) == Some(&'@') {
                    let bot_end = run(end + 1);
                    if (3..=32).contains(&(bot_end - end - 1)) {
                        end = bot_end;
                    }
                }
                let ok =
                    (1..=64).contains(&(end - k - 1)) && chars.get(end).is_none_or(|ch| *ch != '/');
                (ok.then_some("bot_command"), end)
            }
            '@' if starts_word => {
                let end = run(k + 1);
                ((3..=32).contains(&(end - k - 1)).then_some("mention"), end)
            }
            '#' if starts_word => {
                let end = run(k + 1);
                let tag = &chars[k + 1..end];
                (
                    (!tag.is_empty() && !tag.iter().all(char::is_ascii_digit)).then_some("hashtag"),
                    end,
                )
            }
            'h' if starts_word => {
                let rest: String = chars[k..chars.len().min(k + 8)].iter().collect();
                if rest.starts_with("http://") || rest.starts_with("https://") {
                    let mut end = k + chars[k..]
                        .iter()
                        .take_while(|ch| !ch.is_whitespace())
                        .count();
                    while end > k
                        && matches!(
                            chars[end - 1],
                            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '\'' | '"'
                        )
                    {
                        end -= 1;
                    }
                    (Some("url"), end)
                } else {
                    (None, k + 1)
                }
            }
            _ => (None, k + 1),
        };
        if let Some(kind) = kind {
            let entity = Entity::new(kind, offsets[k], offsets[end] - offsets[k]);
            let covered = explicit.iter().any(|other| {
                matches!(other.kind, "code" | "pre" | "text_link" | "text_mention")
                    && other.offset < entity.end()
                    && entity.offset < other.end()
            });
            if !covered {
                found.push(entity);
            }
        }
        k = end.max(k + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(entities: &[Entity]) -> Vec<(&'static str, usize, usize)> {
        entities
            .iter()
            .map(|entity| (entity.kind, entity.offset, entity.length))
            .collect()
    }

    #[test]
    fn detects_commands_mentions_and_links() {
        let text = "/section@MusterBot link paris, ask @ada_l or see https://example.org/x. #rally";
        assert_eq!(
            kinds(&detect(text, &[])),
            [
                ("bot_command", 0, 18),
                ("mention", 35, 6),
                ("url", 49, 21),
                ("hashtag", 72, 6)
            ]
        );
        assert!(detect("a/b and/or x", &[]).is_empty());
    }

    #[test]
    fn trimming_moves_entities() {
        let (text, entities) = trim(
            "  hi there \n",
            vec![Entity::new("bold", 2, 2), Entity::new("italic", 10, 2)],
        );
        assert_eq!(text, "hi there");
        assert_eq!(kinds(&entities), [("bold", 0, 2)]);
    }
}
