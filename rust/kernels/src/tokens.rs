//! The tokens of a batch of ASCII texts, equal to `dedup.text.batch.reference_ascii_tokens` (and so to the
//! per-text regular expression of `text_tokens`, which tests hold that equal to).
//!
//! The texts are laid end to end, each closed by a 0 byte, as read (`raw`) and lower-cased (`data`, the
//! backquote made an apostrophe); `text_end` gives the position of each closing byte. The result: each
//! token's hash, its text, whether it is a sentence mark, and each text's words joined by single spaces and
//! closed by a 0, as codes, with the text of each code. Words are runs of word characters, joined by an inner
//! apostrophe unless the token before it has taken a number part, and followed by the `.5` or `,000` parts
//! of numbers (taking only the digits: `3.5m` is `3.5` and `m`). A mark stands where end punctuation is
//! followed, after any closing quotes or brackets, by white space, at each line break and at each text's end.
//!
//! The character classes come from the caller (`Tables`), so Python's module stays their one definition.
//! Inputs may be any bytes: offsets are checked, and nothing here indexes out of bounds or panics.

use crate::spans::hash_spans;
use crate::{Error, Result};

/// Which bytes are word characters, joiners (`'`, `.`, `,`), end punctuation, closing marks and white space.
#[derive(Clone)]
pub struct Tables {
    pub word: [bool; 256],
    pub joiner: [bool; 256],
    pub end: [bool; 256],
    pub closing: [bool; 256],
    pub space: [bool; 256],
}

fn table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    for &b in bytes {
        t[b as usize] = true;
    }
    t
}

impl Tables {
    /// The tables of the given byte sets.
    pub fn of(word: &[u8], joiner: &[u8], end: &[u8], closing: &[u8], space: &[u8]) -> Tables {
        Tables { word: table(word), joiner: table(joiner), end: table(end), closing: table(closing), space: table(space) }
    }

    /// dedup's own classes (as `dedup.text.batch` defines them), for tests and the fuzz target.
    pub fn dedup() -> Tables {
        Tables::of(
            b"abcdefghijklmnopqrstuvwxyz0123456789_",
            b"'.,",
            b".!?",
            b"\"')]",
            b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f",
        )
    }
}

/// The tokens of a batch, as `dedup.text.batch.TokenArrays` holds them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    pub hashes: Vec<u64>,
    pub doc: Vec<i64>,
    pub is_mark: Vec<bool>,
    pub codes: Vec<u32>,
    pub code_doc: Vec<i64>,
}

fn check(raw: &[u8], data: &[u8], text_end: &[i64]) -> Result<()> {
    if raw.len() != data.len() {
        return Err(Error(format!("raw holds {} bytes but data {}", raw.len(), data.len())));
    }
    if text_end.windows(2).any(|w| w[1] <= w[0]) {
        return Err(Error("text ends must increase".into()));
    }
    match text_end.last() {
        None if data.is_empty() => Ok(()),
        Some(&last) if last >= 0 && last as u64 + 1 == data.len() as u64 && text_end[0] >= 0 => Ok(()),
        _ => Err(Error(format!("the last text must end at the last of {} bytes", data.len()))),
    }
}

const WORD: u8 = 1;
const JOINER: u8 = 2;
const END: u8 = 4;
const CLOSING: u8 = 8;
const SPACE: u8 = 16;

/// One lookup per byte instead of five: the classes of each byte as bit flags.
fn classes(t: &Tables) -> [u8; 256] {
    std::array::from_fn(|b| {
        u8::from(t.word[b]) * WORD
            | u8::from(t.joiner[b]) * JOINER
            | u8::from(t.end[b]) * END
            | u8::from(t.closing[b]) * CLOSING
            | u8::from(t.space[b]) * SPACE
    })
}

/// Which bytes belong to a token (word characters and the joiners that join), and where a run of them is
/// two tokens (the positions after a number part that letters follow: "3.5m").
fn token_bytes(raw: &[u8], data: &[u8], class: &[u8; 256]) -> (Vec<bool>, Vec<usize>) {
    let size = data.len();
    let word = |i: usize| class[data[i] as usize] & WORD != 0;
    let mut in_token: Vec<bool> = (0..size).map(word).collect();
    let mut splits = Vec::new();
    // The end of the last run that a number part took whole: no apostrophe joins right after it ("3.5's").
    let mut number_run_end = usize::MAX;
    for at in 1..size.saturating_sub(1) {
        if class[data[at] as usize] & JOINER == 0 || !word(at - 1) || !word(at + 1) || word(at) {
            continue; // (a joiner that is a word character too: only in tables other than dedup's)
        }
        if raw[at] == b'\'' || raw[at] == b'`' {
            if number_run_end != at {
                in_token[at] = true;
            }
        } else if raw[at + 1].is_ascii_digit() {
            in_token[at] = true;
            let run_end = at + 1 + (at + 1..size).take_while(|&i| word(i)).count();
            let cut = at + 1 + raw[at + 1..run_end].iter().take_while(|b| b.is_ascii_digit()).count();
            if cut < run_end {
                splits.push(cut);
            } else {
                number_run_end = run_end;
            }
        }
    }
    (in_token, splits)
}

/// The tokens of the batch (see the module's description). `mark_hash` is the hash a mark token gets.
pub fn ascii_tokens(raw: &[u8], data: &[u8], text_end: &[i64], t: &Tables, mark_hash: u64) -> Result<Tokens> {
    check(raw, data, text_end)?;
    let size = data.len();
    let class = classes(t);
    let (in_token, splits) = token_bytes(raw, data, &class);

    // One pass in position order: word starts and ends, and marks, each with its text. (Measured on a 500 KB
    // batch: most of the kernel's 10-15 ms is the first touch of its output's fresh pages, some 3,000 page
    // faults, not the tokenising; reserving every vector's room up front changed nothing.)
    let mut starts: Vec<i64> = Vec::new();
    let mut ends: Vec<i64> = Vec::new();
    let mut out = Tokens::default();
    out.codes.reserve(size + text_end.len());
    out.code_doc.reserve(size + text_end.len());
    let mut word_doc: Vec<i64> = Vec::new();
    let mut next_split = splits.iter().peekable();
    let mut text = 0usize;
    for i in 0..size {
        while text < text_end.len() && (text_end[text] as usize) < i {
            text += 1;
        }
        let split = next_split.peek() == Some(&&i);
        if split {
            next_split.next();
            ends.push(i as i64);
        }
        let starts_word = split || (in_token[i] && (i == 0 || !in_token[i - 1]));
        let mark = data[i] == b'\n' || text_end.get(text) == Some(&(i as i64)) || ends_sentence(data, &class, i);
        if mark && starts_word {
            return Err(Error(format!("a mark stands where a word starts, at {i}")));
        }
        if mark || starts_word {
            out.is_mark.push(mark);
            out.doc.push(text as i64);
            out.hashes.push(mark_hash); // a word's hash is put in below
        }
        if starts_word {
            starts.push(i as i64);
            word_doc.push(text as i64);
        }
        if in_token[i] && (i + 1 == size || !in_token[i + 1]) {
            ends.push(i as i64 + 1);
        }
    }
    let mut word_hashes = vec![0u64; starts.len()];
    hash_spans(data, &starts, &ends, &mut word_hashes)?;
    let mut words = word_hashes.into_iter();
    for (hash, &is_mark) in out.hashes.iter_mut().zip(&out.is_mark) {
        if !is_mark {
            *hash = words.next().ok_or_else(|| Error("fewer words than word starts".into()))?;
        }
    }

    // Each text's words joined by single spaces, the last one followed by a 0 instead of a space.
    for (k, (&s, &e)) in starts.iter().zip(&ends).enumerate() {
        let doc = word_doc[k];
        out.codes.extend(data[s as usize..e as usize].iter().map(|&b| u32::from(b)));
        let last = k + 1 == word_doc.len() || word_doc[k + 1] != doc;
        out.codes.push(if last { 0 } else { u32::from(b' ') });
        out.code_doc.resize(out.codes.len(), doc);
    }
    Ok(out)
}

/// The tokens of one text, as `ascii_tokens` gives them for a batch of that text alone (its hashes, marks
/// and codes; every token is the text's own), written into `out` (cleared first, so that one `TextTokens`
/// serves text after text without allocating). `raw` and `data` end with the text's closing byte.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TextTokens {
    pub hashes: Vec<u64>,
    pub is_mark: Vec<bool>,
    pub codes: Vec<u32>,
}

/// The byte classes of `t`, for `text_tokens`.
/// Whether the byte at `i` ends a sentence: an end mark followed, after any closing quotes or brackets,
/// by a space (the same rule for the batch tokeniser and the one-pass one).
fn ends_sentence(data: &[u8], class: &[u8; 256], i: usize) -> bool {
    if class[data[i] as usize] & END == 0 {
        return false;
    }
    let mut following = i + 1;
    while following < data.len() && class[data[following] as usize] & CLOSING != 0 {
        following += 1;
    }
    following < data.len() && class[data[following] as usize] & SPACE != 0
}

pub fn byte_classes(t: &Tables) -> [u8; 256] {
    classes(t)
}

/// One pass over the text: whether each byte is in a token is decided as it is reached (a joiner's fate
/// depends only on the joiners before it), each word's hash and codes are written when it ends, and the
/// marks go in between, in position order.
pub fn text_tokens(raw: &[u8], data: &[u8], class: &[u8; 256], mark_hash: u64, out: &mut TextTokens) -> Result<()> {
    let size = data.len();
    if raw.len() != size || size == 0 {
        return Err(Error(format!("a text of {} and {} bytes, without its closing byte", raw.len(), size)));
    }
    out.hashes.clear();
    out.is_mark.clear();
    out.codes.clear();
    let word = |i: usize| class[data[i] as usize] & WORD != 0;
    let close = |out: &mut TextTokens, start: usize, end: usize, slot: usize| {
        let mut hash = [0u64];
        // Inside the text, so never an error.
        let _ = hash_spans(data, &[start as i64], &[end as i64], &mut hash);
        out.hashes[slot] = hash[0];
        out.codes.extend(data[start..end].iter().map(|&b| u32::from(b)));
        out.codes.push(u32::from(b' '));
    };
    let mut open: Option<(usize, usize)> = None; // the word being read: its start and its token's slot
    let mut number_run_end = usize::MAX;
    let mut cut = usize::MAX;
    let mut before = false; // whether the byte before is in a token
    for i in 0..size {
        let c = class[data[i] as usize];
        let mut in_token = c & WORD != 0;
        if !in_token && c & JOINER != 0 && i >= 1 && i + 1 < size && word(i - 1) && word(i + 1) {
            if raw[i] == b'\'' || raw[i] == b'`' {
                in_token = number_run_end != i;
            } else if raw[i + 1].is_ascii_digit() {
                in_token = true;
                let run_end = i + 1 + (i + 1..size).take_while(|&k| word(k)).count();
                let digits_end = i + 1 + raw[i + 1..run_end].iter().take_while(|b| b.is_ascii_digit()).count();
                if digits_end < run_end {
                    cut = digits_end;
                } else {
                    number_run_end = run_end;
                }
            }
        }
        let split = i == cut;
        if split || !in_token {
            if let Some((start, slot)) = open.take() {
                close(out, start, i, slot);
            }
        }
        let starts_word = split || (in_token && !before);
        let mark = data[i] == b'\n' || i + 1 == size || ends_sentence(data, class, i);
        if mark && starts_word {
            return Err(Error(format!("a mark stands where a word starts, at {i}")));
        }
        if mark || starts_word {
            out.is_mark.push(mark);
            out.hashes.push(mark_hash);
        }
        if starts_word {
            open = Some((i, out.hashes.len() - 1));
        }
        before = in_token;
    }
    if let Some((start, slot)) = open {
        close(out, start, size, slot);
    }
    if let Some(last) = out.codes.last_mut() {
        *last = 0;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The batch of `texts` as `AsciiBatch.of` lays it out.
    fn batch(texts: &[&[u8]]) -> (Vec<u8>, Vec<u8>, Vec<i64>) {
        let mut raw = Vec::new();
        let mut text_end = Vec::new();
        for t in texts {
            raw.extend_from_slice(t);
            text_end.push(raw.len() as i64);
            raw.push(0);
        }
        let data = raw.iter().map(|&b| if b == b'`' { b'\'' } else { b.to_ascii_lowercase() }).collect();
        (raw, data, text_end)
    }

    fn words(texts: &[&[u8]]) -> Vec<String> {
        let (raw, data, text_end) = batch(texts);
        let got = ascii_tokens(&raw, &data, &text_end, &Tables::dedup(), 7).unwrap();
        let joined: Vec<u8> = got.codes.iter().map(|&c| if c == 0 { b'|' } else { c as u8 }).collect();
        String::from_utf8(joined).unwrap().split(['|', ' ']).filter(|w| !w.is_empty()).map(String::from).collect()
    }

    #[test]
    fn numbers_apostrophes_and_splits() {
        assert_eq!(words(&[b"It's 3.5m. Yes"]), ["it's", "3.5", "m", "yes"]);
        assert_eq!(words(&[b"3.5's x'5.5 1,000,000 a,b"]), ["3.5", "s", "x'5.5", "1,000,000", "a", "b"]);
        assert_eq!(words(&[b"Don`t 5.5'x"]), ["don't", "5.5", "x"]);
    }

    #[test]
    fn marks_docs_and_codes() {
        let (raw, data, text_end) = batch(&[b"It's 3.5m. Yes", b""]);
        let got = ascii_tokens(&raw, &data, &text_end, &Tables::dedup(), 7).unwrap();
        assert_eq!(got.is_mark, [false, false, false, true, false, true, true]);
        assert_eq!(got.doc, [0, 0, 0, 0, 0, 0, 1]);
        let text: Vec<u8> = got.codes.iter().map(|&c| c as u8).collect();
        assert_eq!(text, b"it's 3.5 m yes\0");
        assert!(got.code_doc.iter().all(|&d| d == 0));
    }

    #[test]
    fn sentence_ends_after_closing_quotes() {
        let (raw, data, text_end) = batch(&[b"He said \"no.\" Then\nmore"]);
        let got = ascii_tokens(&raw, &data, &text_end, &Tables::dedup(), 7).unwrap();
        assert_eq!(got.is_mark, [false, false, false, true, false, true, false, true]);
    }

    #[test]
    fn empty_batch() {
        assert_eq!(ascii_tokens(&[], &[], &[], &Tables::dedup(), 7).unwrap(), Tokens::default());
    }

    #[test]
    fn bad_layouts_are_errors() {
        let t = Tables::dedup();
        assert!(ascii_tokens(b"ab\0", b"ab", &[2], &t, 7).is_err(), "raw and data differ in length");
        assert!(ascii_tokens(b"ab\0", b"ab\0", &[1], &t, 7).is_err(), "the last text must end at the end");
        assert!(ascii_tokens(b"ab\0", b"ab\0", &[2, 2], &t, 7).is_err());
        assert!(ascii_tokens(b"ab\0", b"ab\0", &[-1, 2], &t, 7).is_err());
        assert!(ascii_tokens(b"ab\0", b"ab\0", &[], &t, 7).is_err());
    }

    /// One text at a time, as `ascii_tokens` reads a batch of it alone: random bytes from the alphabet of
    /// the special characters, with dedup's tables and hostile ones.
    #[test]
    fn text_tokens_equal_ascii_tokens_of_the_text_alone() {
        let mut next = crate::xorshift(0x9E37_79B9_7F4A_7C15u64);
        let alphabet = b"aZ9_5 '`.,!?\")]\n\t\x7f-x";
        let mut out = TextTokens::default();
        for round in 0..5000 {
            let len = (next() % 40) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| if round % 5 == 4 { next() as u8 } else { alphabet[(next() % alphabet.len() as u64) as usize] })
                .collect();
            let tables = if round % 7 == 6 {
                let all: Vec<u8> = (0..=255).collect();
                Tables::of(&all, b"'.,", &all, b"\"", b" ")
            } else {
                Tables::dedup()
            };
            let (raw, data, text_end) = batch(&[&text]);
            let want = ascii_tokens(&raw, &data, &text_end, &tables, 7);
            let got = text_tokens(&raw, &data, &byte_classes(&tables), 7, &mut out);
            match want {
                Ok(want) => {
                    got.unwrap();
                    assert_eq!((&out.hashes, &out.is_mark, &out.codes), (&want.hashes, &want.is_mark, &want.codes), "{:?}", String::from_utf8_lossy(&text));
                }
                Err(_) => assert!(got.is_err(), "{:?}", String::from_utf8_lossy(&text)),
            }
        }
        assert!(text_tokens(b"", b"", &byte_classes(&Tables::dedup()), 7, &mut out).is_err());
    }

    /// Any bytes and any tables: no panic, and the tokens are inside the batch, in order. (The fuzz target in
    /// fuzz/ does the same with coverage guidance; this runs everywhere `cargo test` does.)
    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut next = crate::xorshift(0x2545_F491_4F6C_DD1Du64);
        let alphabet = b"aZ9_ '`.,!?\")]\n\t\0\x7f\xff-";
        for round in 0..3000 {
            let len = (next() % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| if round % 2 == 0 { alphabet[(next() % alphabet.len() as u64) as usize] } else { next() as u8 })
                .collect();
            let texts: Vec<&[u8]> = bytes.split(|&b| b == b'\0').collect();
            let (raw, data, text_end) = batch(&texts);
            let tables = if round % 3 == 0 {
                // Hostile tables: every byte a word character, a joiner and an end mark at once.
                let all: Vec<u8> = (0..=255).collect();
                Tables::of(&all, &all, &all, b"\"", b" ")
            } else {
                Tables::dedup()
            };
            if let Ok(got) = ascii_tokens(&raw, &data, &text_end, &tables, 7) {
                assert!(got.doc.windows(2).all(|w| w[0] <= w[1]));
                assert!(got.doc.iter().all(|&d| (d as usize) < texts.len()));
                assert_eq!(got.codes.len(), got.code_doc.len());
            }
        }
    }
}
