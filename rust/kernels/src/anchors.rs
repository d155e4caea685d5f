//! The anchors of a batch of ASCII texts, equal to `dedup.stages.analyse._anchor_sets` on them (its Python
//! reference: `dedup.verify.anchors.anchor_features`, hashed by `WordHasher`, masked to 32 bits, distinct
//! and sorted).
//!
//! Per text: its words (the regular expression `dedup.text.normalize.WORD` on ASCII: a run of `[A-Za-z0-9_]`,
//! then inner apostrophes or backquotes each followed by such a run, then `.5` or `,000` parts taking only
//! digits; lower-cased, the backquote an apostrophe); its skeleton (skeleton words, figures and names kept,
//! every other run of words one `_`), where a name is a word capitalised somewhere no break mark stands in
//! the gap before it (nor is it the first word); the skeleton's 5-grams less those made only of generic
//! words, prefixed `s:`; the names and figures in order, a run of them one unit joined by `+`, and their
//! 3-grams, prefixed `n:`. (A sequence no longer than n gives itself as its one n-gram.) Each feature's bytes
//! are hashed as `spans::hash_spans` hashes a word.
//!
//! The word sets and break marks come from the caller, so the Python modules stay their one definition.
//! Inputs may be any bytes: offsets are checked, and nothing here indexes out of bounds or panics.

use std::collections::HashSet;

use crate::spans::{mix64, sequence_sum, LENGTH_WEIGHT};
use crate::words::ascii_word_spans as word_spans;
use crate::{check_offsets, parallel_map, Error, Result};

/// Skeleton n-gram length and name n-gram length (`SKELETON_NGRAM`, `NAME_NGRAM`).
pub const SKELETON_NGRAM: usize = 5;
pub const NAME_NGRAM: usize = 3;
const PLACEHOLDER: &[u8] = b"_";

/// What the anchors read besides the text: the skeleton words, the generic words (the placeholder, the
/// articles, "and") and the break marks before a capital that say it only opens a sentence.
pub struct AnchorWords {
    pub skeleton: FnvSet<Vec<u8>>,
    pub generic: FnvSet<Vec<u8>>,
    pub breaks: [bool; 256],
}

impl AnchorWords {
    /// The sets of the words in `skeleton` and `generic` (each word list joined by `\n`) and the marks `breaks`.
    pub fn of(skeleton: &[u8], generic: &[u8], breaks: &[u8]) -> AnchorWords {
        let words = |joined: &[u8]| joined.split(|&b| b == b'\n').filter(|w| !w.is_empty()).map(<[u8]>::to_vec).collect();
        let mut marks = [false; 256];
        for &b in breaks {
            marks[b as usize] = true;
        }
        AnchorWords { skeleton: words(skeleton), generic: words(generic), breaks: marks }
    }
}

#[inline]
fn word_hash(bytes: &[u8]) -> u64 {
    mix64(sequence_sum(bytes).wrapping_add((bytes.len() as u64).wrapping_mul(LENGTH_WEIGHT)))
}

/// The n-grams of `seq` (each `prefix`, then its items joined by spaces), hashed into `out`; `keep` says
/// which to keep. A sequence no longer than `n` gives itself, if not empty.
fn ngrams<T: AsRef<[u8]>>(seq: &[T], n: usize, prefix: &[u8], keep: impl Fn(&[T]) -> bool, buf: &mut Vec<u8>,
                          out: &mut Vec<u32>) {
    let mut emit = |gram: &[T], buf: &mut Vec<u8>| {
        if !keep(gram) {
            return;
        }
        buf.clear();
        buf.extend_from_slice(prefix);
        for (k, item) in gram.iter().enumerate() {
            if k > 0 {
                buf.push(b' ');
            }
            buf.extend_from_slice(item.as_ref());
        }
        out.push((word_hash(buf) & 0xFFFF_FFFF) as u32);
    };
    if seq.len() <= n {
        if !seq.is_empty() {
            emit(seq, buf);
        }
        return;
    }
    for gram in seq.windows(n) {
        emit(gram, buf);
    }
}

/// FNV-1a: the word sets hold short keys, for which the default SipHash costs more than the lookups.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvSet<T> = HashSet<T, std::hash::BuildHasherDefault<Fnv>>;

/// The anchors of one ASCII text: sorted distinct 32-bit hashes.
pub fn text_anchors(text: &[u8], words: &AnchorWords) -> Vec<u32> {
    let spans = word_spans(text);
    // The words are slices of the lowered text (the backquote an apostrophe), at their places.
    let lowered: Vec<u8> = text.iter().map(|&b| if b == b'`' { b'\'' } else { b.to_ascii_lowercase() }).collect();
    let word = |k: usize| &lowered[spans[k].0..spans[k].1];
    let capital = |k: usize| text[spans[k].0].is_ascii_uppercase();
    // A capital is a name where nothing in the gap before it opens a sentence (and it is not the first word).
    let mut names: FnvSet<&[u8]> = FnvSet::default();
    for k in 1..spans.len() {
        if capital(k) && !text[spans[k - 1].1..spans[k].0].iter().any(|&b| words.breaks[b as usize]) {
            names.insert(word(k));
        }
    }
    let mut skeleton: Vec<&[u8]> = Vec::new();
    let mut is_skeleton_word: Vec<bool> = Vec::new(); // per skeleton token: a skeleton word (or the placeholder)
    for k in 0..spans.len() {
        let w = word(k);
        let listed = words.skeleton.contains(w);
        if listed || (capital(k) && names.contains(w)) || w.iter().any(u8::is_ascii_digit) {
            skeleton.push(w);
            is_skeleton_word.push(listed);
        } else if skeleton.last() != Some(&PLACEHOLDER) {
            skeleton.push(PLACEHOLDER);
            is_skeleton_word.push(true);
        }
    }
    let mut units: Vec<Vec<u8>> = Vec::new();
    let mut joined = false;
    for (w, &listed) in skeleton.iter().zip(&is_skeleton_word) {
        if listed {
            joined = false;
        } else if let (true, Some(last)) = (joined, units.last_mut()) {
            last.push(b'+');
            last.extend_from_slice(w);
        } else {
            units.push(w.to_vec());
            joined = true;
        }
    }
    let mut out = Vec::with_capacity(skeleton.len() + units.len());
    let mut buf = Vec::new();
    ngrams(&skeleton, SKELETON_NGRAM, b"s:", |gram| !gram.iter().all(|w| words.generic.contains(*w)), &mut buf,
           &mut out);
    ngrams(&units, NAME_NGRAM, b"n:", |_| true, &mut buf, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// The anchors of a batch of ASCII texts laid end to end in `data`, text `i` ending at `text_end[i]`: the
/// values of all and the offsets of each (one more than texts), on `threads` threads.
pub fn batch_anchors(data: &[u8], text_end: &[i64], words: &AnchorWords, threads: usize) -> Result<(Vec<u32>, Vec<i64>)> {
    let mut bounds = Vec::with_capacity(text_end.len() + 1);
    bounds.push(0i64);
    bounds.extend_from_slice(text_end);
    check_offsets(&bounds, data.len())?;
    if !data.is_ascii() {
        return Err(Error("batch_anchors takes ASCII texts only".into()));
    }
    let texts: Vec<&[u8]> = bounds.windows(2).map(|w| &data[w[0] as usize..w[1] as usize]).collect();
    let found = parallel_map(&texts, threads, 64, || (), |_, text| text_anchors(text, words));
    let mut offsets = Vec::with_capacity(found.len() + 1);
    offsets.push(0i64);
    let mut values = Vec::with_capacity(found.iter().map(Vec::len).sum());
    for set in found {
        values.extend_from_slice(&set);
        offsets.push(values.len() as i64);
    }
    Ok((values, offsets))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> AnchorWords {
        AnchorWords::of(b"the\na\nan\nand\nwas\nit\nin\nit's", b"_\nthe\na\nan\nand", b"\n!\".:;?")
    }

    #[test]
    fn word_spans_follow_the_pattern() {
        let text = b"It's 3.5m, U.S. a'b.5'c x` 1,000.5 __ end.";
        let got: Vec<&[u8]> = word_spans(text).iter().map(|&(s, e)| &text[s..e]).collect();
        let want: Vec<&[u8]> = vec![b"It's", b"3.5", b"m", b"U", b"S", b"a'b.5", b"c", b"x", b"1,000.5", b"__", b"end"];
        assert_eq!(got, want);
    }

    #[test]
    fn names_need_a_capital_inside_a_sentence() {
        let w = words();
        // "Kabul" opens a sentence once and is inside one once: a name both times; "Rebels" only opens one.
        let a = text_anchors(b"Rebels took Kabul in 2001. Kabul fell.", &w);
        let b = text_anchors(b"Rebels took kabul in 2001. Kabul fell.", &w);
        assert_ne!(a, b);
        assert!(a.windows(2).all(|p| p[0] < p[1]));
    }

    #[test]
    fn empty_and_generic_texts() {
        let w = words();
        assert!(text_anchors(b"", &w).is_empty());
        assert!(text_anchors(b"... !!", &w).is_empty());
        // Only generic skeleton words and placeholders: no skeleton n-gram, no names.
        assert!(text_anchors(b"the cat and a dog", &w).is_empty());
        assert_eq!(text_anchors(b"the cat was a dog", &w).len(), 1);
    }

    #[test]
    fn batches_check_their_offsets_and_bytes() {
        let w = words();
        assert!(batch_anchors(b"abc", &[2], &w, 1).is_err());
        assert!(batch_anchors(b"abc", &[2, 1], &w, 1).is_err());
        assert!(batch_anchors("é".as_bytes(), &[2], &w, 1).is_err());
        let (values, offsets) = batch_anchors(b"Kabul 2001 Taliban fled.the end", &[24, 31], &w, 2).unwrap();
        assert_eq!(offsets.len(), 3);
        assert_eq!(values[offsets[0] as usize..offsets[1] as usize], text_anchors(b"Kabul 2001 Taliban fled.", &w)[..]);
    }

    #[test]
    fn random_bytes_never_panic() {
        let w = words();
        let mut next = crate::xorshift(7);
        let alphabet = b"aB1_'`.,!? \n\"Zx9:;";
        for _ in 0..2000 {
            let len = (next() % 40) as usize;
            let text: Vec<u8> = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            let found = text_anchors(&text, &w);
            assert!(found.windows(2).all(|p| p[0] < p[1]));
        }
    }
}
