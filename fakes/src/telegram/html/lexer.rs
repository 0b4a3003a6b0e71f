//! The lexical side of HTML parsing: whitespace, character references and
//! a start tag's attributes, with TDLib's error texts.

/// Reads `name=value` pairs up to and past the closing `>`.
pub(super) fn parse_attributes(
    input: &str,
    mut i: usize,
    begin: usize,
    tag: &str,
) -> Result<(Vec<(String, String)>, usize), String> {
    let bytes = input.as_bytes();
    let len = bytes.len();
    let unclosed = || format!("Unclosed start tag at byte offset {begin}");
    let mut attributes = Vec::new();
    loop {
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        if i >= len {
            return Err(unclosed());
        }
        if bytes[i] == b'>' {
            return Ok((attributes, i + 1));
        }
        let name_start = i;
        while i < len && !is_space(bytes[i]) && bytes[i] != b'=' && bytes[i] != b'>' {
            i += 1;
        }
        let name = input[name_start..i].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!(
                "Expected equal sign in declaration of an attribute of the tag \"{tag}\" at byte offset {begin}"
            ));
        }
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        if i >= len {
            return Err(unclosed());
        }
        if bytes[i] != b'=' {
            // A bare attribute such as `<blockquote expandable>`.
            attributes.push((name, String::new()));
            continue;
        }
        i += 1;
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        if i >= len {
            return Err(unclosed());
        }
        let mut value = String::new();
        if bytes[i] == b'"' || bytes[i] == b'\'' {
            let quote = bytes[i];
            i += 1;
            while i < len && bytes[i] != quote {
                if let Some((ch, next)) = decode_entity(input, i) {
                    value.push(ch);
                    i = next;
                } else if let Some(ch) = input[i..].chars().next() {
                    value.push(ch);
                    i += ch.len_utf8();
                }
            }
            if i >= len {
                return Err(unclosed());
            }
            i += 1;
        } else {
            let token_start = i;
            while i < len
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'-')
            {
                i += 1;
            }
            value = input[token_start..i].to_ascii_lowercase();
            if i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                return Err(format!(
                    "Unexpected end of name token at byte offset {token_start}"
                ));
            }
        }
        attributes.push((name, value));
    }
}

pub(super) fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

/// `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric references; anything else is
/// left as text, like TDLib does.
pub(super) fn decode_entity(input: &str, at: usize) -> Option<(char, usize)> {
    let rest = input.get(at + 1..)?;
    let (code, used) = if let Some(number) = rest.strip_prefix('#') {
        let (digits, radix, prefix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let count = digits
            .bytes()
            .take_while(|byte| (*byte as char).is_digit(radix))
            .count();
        let value = u32::from_str_radix(digits.get(..count)?, radix).ok()?;
        (
            char::from_u32(value).filter(|ch| *ch != '\0')?,
            prefix + count,
        )
    } else {
        let count = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let ch = match &rest[..count] {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            _ => return None,
        };
        (ch, count)
    };
    let mut next = at + 1 + used;
    if input.as_bytes().get(next) == Some(&b';') {
        next += 1;
    }
    Some((code, next))
}
