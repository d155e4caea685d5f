//! The words of one ASCII text and their spans, equal to `dedup.text.normalize.tokenize` on ASCII text, whose
//! regular expression (`WORD`: `\w++(?:['\u2019\u2018`]\w++)*+(?:[.,]\d++)*+`) stays the reference: a run of
//! word characters (letters, digits, `_`), then any number of apostrophes (`'` or a backquote) each followed
//! by such a run, then any number of `.` or `,` each followed by digits (all of them: `3.5m` is `3.5`, `m`).
//! The search goes on where a word ends, so each byte is read once.

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Half-open byte spans of the words of `text` (ASCII; any other byte is no word character).
pub fn ascii_word_spans(text: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::with_capacity(text.len() / 5);
    let n = text.len();
    let mut i = 0;
    while i < n {
        if !is_word(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && is_word(text[i]) {
            i += 1;
        }
        while i + 1 < n && (text[i] == b'\'' || text[i] == b'`') && is_word(text[i + 1]) {
            i += 1;
            while i < n && is_word(text[i]) {
                i += 1;
            }
        }
        while i + 1 < n && (text[i] == b'.' || text[i] == b',') && text[i + 1].is_ascii_digit() {
            i += 1;
            while i < n && text[i].is_ascii_digit() {
                i += 1;
            }
        }
        spans.push((start, i));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        ascii_word_spans(text.as_bytes()).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn words_as_the_regular_expression_reads_them() {
        assert_eq!(words("boots on the ground!"), ["boots", "on", "the", "ground"]);
        assert_eq!(words("don't 3.5m 1,000.50x a'b'c ab' 'x 1.5'b e.g. _x_"),
                   ["don't", "3.5m", "1,000.50", "x", "a'b'c", "ab", "x", "1.5", "b", "e", "g", "_x_"]
                       .iter().flat_map(|w| if *w == "3.5m" { vec!["3.5", "m"] } else { vec![*w] })
                       .collect::<Vec<_>>());
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words("rock`n`roll 5."), ["rock`n`roll", "5"]);
    }
}
