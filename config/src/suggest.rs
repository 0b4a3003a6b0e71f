//! "Did you mean …?" for misspelt keys, sections, variables and time zones.

/// The candidate closest to `word`, if it is close enough to be a likely typo
/// rather than a different word altogether.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    // Short words have few letters to get wrong: allowing 2 edits on a
    // 3-letter key would "correct" it to almost anything.
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (distance(&word, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, counting a swap of two neighbours as one edit since
/// that is the commonest typo.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_misses() {
        let keys = ["token", "token_file", "api_url", "mode", "webhook_secret"];
        for (word, expected) in [
            ("tokn", Some("token")),
            ("TOKEN", Some("token")),
            ("tokne", Some("token")),
            ("token_fil", Some("token_file")),
            ("api-url", Some("api_url")),
            ("mod", Some("mode")),
            ("password", None),
            ("x", None),
        ] {
            assert_eq!(closest(word, keys), expected, "{word}");
        }
    }
}
