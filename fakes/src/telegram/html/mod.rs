//! The HTML parse mode, after TDLib's `parse_html`: the same tags, nesting
//! rules and error texts (which the API prefixes with "Bad Request: can't
//! parse entities: "). Offsets are UTF-16 code units.

mod lexer;

use super::entities::{Entity, utf16_len};
use lexer::{decode_entity, is_space, parse_attributes};

const TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// A start tag waiting for its end tag.
struct Open {
    tag: String,
    /// Where its text starts, in UTF-16 units and in bytes of the output.
    start: usize,
    text_start: usize,
    attributes: Vec<(String, String)>,
    /// Set by a `<code class="language-…">` directly inside a `<pre>`.
    language: Option<String>,
}

impl Open {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Parses `parse_mode=HTML` text into plain text and entities; the error is
/// the part after "Bad Request: can't parse entities: ".
pub(crate) fn parse(input: &str) -> Result<(String, Vec<Entity>), String> {
    let bytes = input.as_bytes();
    let len = bytes.len();
    let mut text = String::with_capacity(len);
    let mut utf16 = 0;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities = Vec::new();
    let mut i = 0;
    while i < len {
        if bytes[i] == b'&' {
            let (ch, next) = decode_entity(input, i).unwrap_or(('&', i + 1));
            text.push(ch);
            utf16 += ch.len_utf16();
            i = next;
            continue;
        }
        if bytes[i] != b'<' {
            let next = input[i..].find(['<', '&']).map_or(len, |at| i + at);
            text.push_str(&input[i..next]);
            utf16 += utf16_len(&input[i..next]);
            i = next;
            continue;
        }
        let begin = i;
        i += 1;
        if bytes.get(i) == Some(&b'/') {
            i += 1;
            let name_start = i;
            while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                i += 1;
            }
            let name = input[name_start..i].to_ascii_lowercase();
            while i < len && is_space(bytes[i]) {
                i += 1;
            }
            if i >= len || bytes[i] != b'>' {
                return Err(format!("Unclosed end tag at byte offset {begin}"));
            }
            i += 1;
            let Some(open) = stack.pop() else {
                return Err(format!("Unexpected end tag at byte offset {begin}"));
            };
            if !name.is_empty() && name != open.tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{name}>\"",
                    open.tag
                ));
            }
            close_tag(open, &text, utf16, stack.last_mut(), &mut entities);
            continue;
        }
        let name_start = i;
        while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
            i += 1;
        }
        if i >= len {
            return Err(format!("Unclosed start tag at byte offset {begin}"));
        }
        let tag = input[name_start..i].to_ascii_lowercase();
        if !TAGS.contains(&tag.as_str()) {
            return Err(format!(
                "Unsupported start tag \"{tag}\" at byte offset {begin}"
            ));
        }
        let (attributes, next) = parse_attributes(input, i, begin, &tag)?;
        i = next;
        let open = Open {
            tag,
            start: utf16,
            text_start: text.len(),
            attributes,
            language: None,
        };
        if open.tag == "span" && open.attribute("class") != Some("tg-spoiler") {
            return Err(format!(
                "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
            ));
        }
        stack.push(open);
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.tag
        ));
    }
    entities.sort_by_key(|entity: &Entity| (entity.offset, std::cmp::Reverse(entity.length)));
    Ok((text, entities))
}

/// Turns a closed tag into its entity (empty entities are dropped, as TDLib does).
fn close_tag(
    open: Open,
    text: &str,
    utf16: usize,
    parent: Option<&mut Open>,
    entities: &mut Vec<Entity>,
) {
    let length = utf16 - open.start;
    if open.tag == "code"
        && let Some(parent) = parent
        && parent.tag == "pre"
        && let Some(language) = open
            .attribute("class")
            .and_then(|class| class.strip_prefix("language-"))
    {
        parent.language = Some(language.to_owned());
        return;
    }
    if length == 0 {
        return;
    }
    let mut entity = Entity::new("bold", open.start, length);
    entity.kind = match open.tag.as_str() {
        "b" | "strong" => "bold",
        "i" | "em" => "italic",
        "u" | "ins" => "underline",
        "s" | "strike" | "del" => "strikethrough",
        "span" | "tg-spoiler" => "spoiler",
        "code" => "code",
        "pre" => {
            entity.language = open.language.clone();
            "pre"
        }
        "blockquote" if open.attribute("expandable").is_some() => "expandable_blockquote",
        "blockquote" => "blockquote",
        "tg-emoji" => {
            entity.custom_emoji_id = open.attribute("emoji-id").map(str::to_owned);
            "custom_emoji"
        }
        _ => {
            // `a`: a tg://user link mentions a user, anything else is a link.
            let href = open
                .attribute("href")
                .map_or_else(|| text[open.text_start..].to_owned(), str::to_owned);
            match href
                .strip_prefix("tg://user?id=")
                .and_then(|id| id.parse().ok())
            {
                Some(user_id) => {
                    entity.user_id = Some(user_id);
                    "text_mention"
                }
                None => {
                    entity.url = Some(href);
                    "text_link"
                }
            }
        }
    };
    entities.push(entity);
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
    fn html_nests_and_decodes() {
        let (text, entities) =
            parse("<b>Paris <i>&amp; Lyon</i></b> &lt;3 <a href=\"tg://user?id=7\">Ada</a>")
                .expect("valid html");
        assert_eq!(text, "Paris & Lyon <3 Ada");
        assert_eq!(
            kinds(&entities),
            [("bold", 0, 12), ("italic", 6, 6), ("text_mention", 16, 3)]
        );
        assert_eq!(entities[2].user_id, Some(7));
    }

    #[test]
    fn html_errors_read_like_telegrams() {
        let error = |html| parse(html).expect_err("invalid html");
        assert_eq!(
            error("<b>bold"),
            "Can't find end tag corresponding to start tag \"b\""
        );
        assert_eq!(
            error("<b>x</i>"),
            "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\""
        );
        assert_eq!(error("x</b>"), "Unexpected end tag at byte offset 1");
        assert_eq!(
            error("a <br> b"),
            "Unsupported start tag \"br\" at byte offset 2"
        );
        assert_eq!(
            error("1 < 2"),
            "Unsupported start tag \"\" at byte offset 2"
        );
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let (text, entities) = parse("🎉 <b>go</b>").expect("valid html");
        assert_eq!(text, "🎉 go");
        assert_eq!(kinds(&entities), [("bold", 3, 2)]);
    }
}
