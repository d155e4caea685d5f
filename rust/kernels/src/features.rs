//! The verification features of a batch of documents, one document at a time, equal to
//! `dedup.sketch.features.reference_feature_arrays` (the numpy form over the whole batch).
//!
//! Per document, from its tokens (word hashes and sentence marks) and its words joined by single spaces (as
//! character codes): the sorted distinct 32-bit hashes of its word n-grams, of the fixed sample of its
//! character n-grams, of its sentences of at least `sentence_min_words` words and of its passage keys (runs of
//! content words, summed in any order); its length in words; whether a run of `repeat_words` words comes
//! twice (an unmixed window sum seen twice: a chance collision only sends the text to the exact pass); and
//! the MinHash signature of its character set. numpy forms every n-gram of the batch and sorts them all
//! together; here each document's few hundred values are formed, sorted and made distinct while they sit in
//! cache, the documents shared out between threads, and the results come back as one flat array per kind.
//!
//! `ascii_features` reads the documents' bytes itself (the tokens of `tokens::ascii_tokens`, document by
//! document), so no batch-wide token array is ever built; `token_features` takes the token arrays of any
//! batch (`dedup.text.batch.TokenArrays`, the path of texts that are not ASCII).

use crate::minhash;
use crate::spans::{mix64, sequence_sum, BASE};
use crate::tokens::{byte_classes, text_tokens, Tables, TextTokens};
use crate::{check_offsets, parallel_map, Error, Result};

const MASK32: u64 = 0xFFFF_FFFF;
/// As `dedup.sketch.shingle.in_sample`: a sum is in the sample when its product with this falls low enough.
const SAMPLE_MULTIPLIER: u64 = 0xD6E8_FEB8_6659_FD93;
/// Documents given to a thread at a time: enough to outweigh handing them out.
const DOCS_PER_TASK: usize = 16;

/// The settings of the features (`dedup.config.ScanConfig` and `dedup.sketch.features`'s constants).
#[derive(Clone, Debug)]
pub struct Params {
    pub ngram: usize,
    pub char_ngram: usize,
    pub char_sample: u64,
    pub sentence_min_words: usize,
    pub passage_words: usize,
    pub repeat_words: usize,
    /// The hashes of the function words (no passage key holds them), sorted.
    pub function_words: Vec<u64>,
}

impl Params {
    fn check(&self) -> Result<()> {
        if self.ngram == 0 || self.char_ngram == 0 || self.passage_words == 0 || self.repeat_words == 0 {
            return Err(Error(format!("n-gram lengths must be at least 1: {self:?}")));
        }
        if self.char_sample == 0 {
            return Err(Error("the character sample must be at least 1".into()));
        }
        if self.function_words.windows(2).any(|w| w[1] < w[0]) {
            return Err(Error("the function word hashes must be sorted".into()));
        }
        Ok(())
    }
}

/// A set of word hashes looked up in O(1): open addressing over a power-of-two table (word hashes are mixed,
/// so their low bits are as good as any), 0 standing for an empty slot and the hash 0 kept apart.
pub struct WordSet {
    slots: Vec<u64>,
    has_zero: bool,
}

impl WordSet {
    pub fn of(hashes: &[u64]) -> WordSet {
        let size = (hashes.len() * 4).next_power_of_two().max(16);
        let mut set = WordSet { slots: vec![0; size], has_zero: false };
        for &h in hashes {
            if h == 0 {
                set.has_zero = true;
                continue;
            }
            let mut at = h as usize & (size - 1);
            while set.slots[at] != 0 && set.slots[at] != h {
                at = (at + 1) & (size - 1);
            }
            set.slots[at] = h;
        }
        set
    }

    #[inline]
    pub fn contains(&self, h: u64) -> bool {
        if h == 0 {
            return self.has_zero;
        }
        let mask = self.slots.len() - 1;
        let mut at = h as usize & mask;
        loop {
            match self.slots[at] {
                0 => return false,
                s if s == h => return true,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

/// Values of many documents end to end, and where each document's start (one more offset than documents).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ragged {
    pub values: Vec<u32>,
    pub offsets: Vec<i64>,
}

impl Ragged {
    fn of(parts: &[&[u32]]) -> Ragged {
        let mut values = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut offsets = Vec::with_capacity(parts.len() + 1);
        offsets.push(0);
        for p in parts {
            values.extend_from_slice(p);
            offsets.push(values.len() as i64);
        }
        Ragged { values, offsets }
    }

    /// Document `i`'s values.
    pub fn get(&self, i: usize) -> &[u32] {
        &self.values[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// The features of a batch, in document order. `signatures` is row-major, one row of the permutations'
/// count per document (empty when no permutations were given).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Features {
    pub words: Ragged,
    pub chars: Ragged,
    pub sentences: Ragged,
    pub passages: Ragged,
    pub lengths: Vec<i64>,
    pub may_repeat: Vec<bool>,
    pub signatures: Vec<u32>,
}

/// One document's features.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DocFeatures {
    pub words: Vec<u32>,
    pub chars: Vec<u32>,
    pub sentences: Vec<u32>,
    pub passages: Vec<u32>,
    pub length: usize,
    pub may_repeat: bool,
}

fn sorted_distinct(mut values: Vec<u32>) -> Vec<u32> {
    sort_hashes(&mut values);
    values.dedup();
    values
}

/// Sorts hash values (spread evenly over the 32 bits) in linear time: one counting pass on their top bits
/// into about one bucket per value, then an insertion sort that moves each value only within its bucket. A
/// comparison sort costs several times more on the few hundred values of a document; uneven values (a
/// bucket past `BUCKET_LIMIT`) are given to it instead, so no input costs more than it.
fn sort_hashes(values: &mut Vec<u32>) {
    const BUCKET_LIMIT: u32 = 16;
    let n = values.len();
    if n < 64 {
        values.sort_unstable();
        return;
    }
    let bits = n.next_power_of_two().trailing_zeros().min(16);
    let shift = 32 - bits;
    let mut starts = vec![0u32; (1 << bits) + 1];
    for &v in values.iter() {
        starts[(v >> shift) as usize + 1] += 1;
    }
    if starts.iter().any(|&c| c > BUCKET_LIMIT) {
        values.sort_unstable();
        return;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut out = vec![0u32; n];
    for &v in values.iter() {
        let slot = &mut starts[(v >> shift) as usize];
        out[*slot as usize] = v;
        *slot += 1;
    }
    for i in 1..n {
        let v = out[i];
        let mut j = i;
        while j > 0 && out[j - 1] > v {
            out[j] = out[j - 1];
            j -= 1;
        }
        out[j] = v;
    }
    *values = out;
}

/// The bound of `in_sample` for one in `sample`: numpy compares with (2**64) // sample, which fits in 64 bits
/// for a sample of 2 or more; a sample of 1 keeps everything.
fn sample_bound(sample: u64) -> Option<u64> {
    (sample > 1).then(|| ((1u128 << 64) / u128::from(sample)) as u64)
}

#[inline]
fn in_sample(sum: u64, bound: Option<u64>) -> bool {
    bound.is_none_or(|b| sum.wrapping_mul(SAMPLE_MULTIPLIER) < b)
}

/// The sums of every window of `n` values (`sequence_sum` of each), updated in O(1) per step: the sum of the
/// next window is the last one less its first value's term, shifted back one power, plus the new value.
fn window_sums<T: Copy + Into<u64>>(values: &[T], n: usize, mut each: impl FnMut(usize, u64)) {
    if n == 0 || values.len() < n {
        return;
    }
    // base**n, and the inverse of the base (odd, so invertible modulo 2**64).
    let top = (0..n).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut inverse = BASE;
    for _ in 0..6 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(BASE.wrapping_mul(inverse)));
    }
    let mut sum = sequence_sum(&values[..n]);
    each(0, sum);
    for start in 1..=values.len() - n {
        // Drop values[start-1] (weight base**1), shift every weight down one power, add the new value at base**n.
        let first: u64 = values[start - 1].into();
        sum = sum.wrapping_sub(first.wrapping_mul(BASE)).wrapping_mul(inverse);
        sum = sum.wrapping_add(values[start + n - 1].into().wrapping_mul(top));
        each(start, sum);
    }
}

/// The features of one document from its tokens (`hashes`, `is_mark`) and its joined words' `codes` (each
/// word followed by a space, the last by a 0, as `TokenArrays` holds them).
pub fn doc_features(hashes: &[u64], is_mark: &[bool], codes: &[u32], p: &Params, function_words: &WordSet) -> DocFeatures {
    let words: Vec<u64> = hashes.iter().zip(is_mark).filter(|(_, &m)| !m).map(|(&h, _)| h).collect();
    let length = words.len();
    let mut out = DocFeatures { length, ..DocFeatures::default() };

    // Word n-grams; a text shorter than n words has one shingle of all its words.
    let mut grams = Vec::with_capacity(length);
    window_sums(&words, p.ngram.min(length), |_, s| grams.push((mix64(s) & MASK32) as u32));
    out.words = sorted_distinct(grams);

    // Character n-grams of the joined words (in the sample). A window holding the closing 0 belongs to no
    // text; a text shorter than n characters has one of all its characters.
    let values: Vec<u64> = codes.iter().map(|&c| u64::from(c).wrapping_mul(BASE).wrapping_add(1)).collect();
    let size = codes.len().saturating_sub(usize::from(length > 0));
    let bound = sample_bound(p.char_sample);
    if size > 0 && size < p.char_ngram {
        let sum = sequence_sum(&values[..size]);
        if in_sample(sum, bound) {
            out.chars.push((mix64(sum) & MASK32) as u32);
        }
    } else {
        // One in `char_sample` windows is kept, at random: each sum is written always and counted only when
        // kept, which spares the processor a branch it would mispredict at every other kept window; only the
        // kept ones are mixed.
        let n = p.char_ngram;
        let mut sums = vec![0u64; codes.len()];
        let mut kept = 0usize;
        window_sums(&values, n, |start, s| {
            let keep = codes[start] != 0 && codes[start + n - 1] != 0 && in_sample(s, bound);
            sums[kept] = s;
            kept += usize::from(keep);
        });
        out.chars = sorted_distinct(sums[..kept].iter().map(|&s| (mix64(s) & MASK32) as u32).collect());
    }

    // Sentences: the runs of words between marks, keyed when long enough.
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut word = 0;
    for &mark in is_mark {
        if mark {
            if word > start && word - start >= p.sentence_min_words {
                sentences.push((mix64(sequence_sum(&words[start..word])) & MASK32) as u32);
            }
            start = word;
        } else {
            word += 1;
        }
    }
    out.sentences = sorted_distinct(sentences);

    // Passage keys: runs of content words, their mixed hashes summed.
    let content: Vec<u64> = words.iter().filter(|&&h| !function_words.contains(h)).map(|&h| mix64(h)).collect();
    let n = p.passage_words;
    let passages: Vec<u32> = content
        .windows(n)
        .map(|w| (mix64(w.iter().fold(0u64, |s, &h| s.wrapping_add(h))) & MASK32) as u32)
        .collect();
    out.passages = sorted_distinct(passages);

    // A repeated run of words: two equal window sums.
    let mut windows = Vec::with_capacity(length);
    window_sums(&words, p.repeat_words, |_, s| windows.push((s & MASK32) as u32));
    sort_hashes(&mut windows);
    out.may_repeat = windows.windows(2).any(|w| w[0] == w[1]);
    out
}

/// The batch's features from its documents' features, and the signatures of their character sets.
fn gather(docs: Vec<DocFeatures>, a: &[u32], b: &[u32]) -> Result<Features> {
    let ragged = |f: fn(&DocFeatures) -> &Vec<u32>| Ragged::of(&docs.iter().map(|d| f(d).as_slice()).collect::<Vec<_>>());
    let chars = ragged(|d| &d.chars);
    let mut signatures = vec![0u32; (chars.offsets.len() - 1) * a.len()];
    if !a.is_empty() {
        minhash::signatures(&chars.values, &chars.offsets, a, b, &mut signatures)?;
    }
    Ok(Features {
        words: ragged(|d| &d.words),
        sentences: ragged(|d| &d.sentences),
        passages: ragged(|d| &d.passages),
        chars,
        lengths: docs.iter().map(|d| d.length as i64).collect(),
        may_repeat: docs.iter().map(|d| d.may_repeat).collect(),
        signatures,
    })
}

fn check_permutations(a: &[u32], b: &[u32]) -> Result<()> {
    if a.len() != b.len() {
        return Err(Error(format!("{} multipliers but {} offsets", a.len(), b.len())));
    }
    Ok(())
}

/// A batch's ASCII texts laid out as `tokens::ascii_tokens` takes them (each closed by a 0 byte, as read and
/// lower-cased; `text_end` the position of each closing byte), and the place of each in the batch (`at`).
#[derive(Clone, Copy, Default)]
pub struct AsciiTexts<'a> {
    pub raw: &'a [u8],
    pub data: &'a [u8],
    pub text_end: &'a [i64],
    pub at: &'a [i64],
}

/// The token arrays of a batch's other texts (`dedup.text.batch.TokenArrays`), numbered by their place in
/// the batch: tokens and codes in text order, each text's tokens closed by a mark.
#[derive(Clone, Copy, Default)]
pub struct TokenTexts<'a> {
    pub hashes: &'a [u64],
    pub doc: &'a [i64],
    pub is_mark: &'a [bool],
    pub codes: &'a [u32],
    pub code_doc: &'a [i64],
}

/// Where one text of the batch is read from.
#[derive(Clone, Copy)]
enum Source {
    Bytes(usize, usize),         // raw[s..e], its closing byte included
    Tokens(usize, usize, usize, usize), // tokens s..e, codes s..e
}

/// The features of the `count` texts of a batch, each either among `ascii` (tokenised here, text by text)
/// or among `tokens`; every place in the batch must be taken by exactly one of them. The texts are shared
/// out between `threads` threads.
#[allow(clippy::too_many_arguments)]
pub fn batch_features(
    ascii: &AsciiTexts,
    tokens: &TokenTexts,
    count: usize,
    t: &Tables,
    mark_hash: u64,
    p: &Params,
    a: &[u32],
    b: &[u32],
    threads: usize,
) -> Result<Features> {
    p.check()?;
    check_permutations(a, b)?;
    let mut sources: Vec<Option<Source>> = vec![None; count];
    let mut place = |at: i64, source: Source| -> Result<()> {
        match sources.get_mut(usize::try_from(at).unwrap_or(usize::MAX)) {
            Some(slot @ None) => {
                *slot = Some(source);
                Ok(())
            }
            Some(Some(_)) => Err(Error(format!("text {at} is given twice"))),
            None => Err(Error(format!("text {at} is beyond the {count} of the batch"))),
        }
    };

    let (raw, data, text_end) = (ascii.raw, ascii.data, ascii.text_end);
    if raw.len() != data.len() || text_end.len() != ascii.at.len() {
        return Err(Error(format!(
            "raw holds {} bytes, data {}; {} text ends for {} places",
            raw.len(), data.len(), text_end.len(), ascii.at.len()
        )));
    }
    let mut next = 0i64;
    for (&end, &at) in text_end.iter().zip(ascii.at) {
        if end < next || end as u64 >= data.len() as u64 {
            return Err(Error(format!("text end {end} is out of order or beyond {} bytes", data.len())));
        }
        place(at, Source::Bytes(next as usize, end as usize + 1))?;
        next = end + 1;
    }
    if next as usize != data.len() {
        return Err(Error(format!("the last text must end at the last of {} bytes", data.len())));
    }

    let tk = tokens;
    if tk.hashes.len() != tk.doc.len() || tk.hashes.len() != tk.is_mark.len() || tk.codes.len() != tk.code_doc.len() {
        return Err(Error("token arrays (or code arrays) of different lengths".into()));
    }
    let token_cuts = cuts(tk.doc, count, "token")?;
    let code_cuts = cuts(tk.code_doc, count, "code")?;
    for i in 0..count {
        let (s, e) = (token_cuts[i] as usize, token_cuts[i + 1] as usize);
        let (cs, ce) = (code_cuts[i] as usize, code_cuts[i + 1] as usize);
        if e > s {
            if !tk.is_mark[e - 1] {
                return Err(Error(format!("the tokens of document {i} do not end with a mark")));
            }
            place(i as i64, Source::Tokens(s, e, cs, ce))?;
        } else if ce > cs {
            return Err(Error(format!("document {i} has codes but no tokens")));
        }
    }
    let sources: Vec<Source> = sources
        .into_iter()
        .enumerate()
        .map(|(i, s)| s.ok_or_else(|| Error(format!("text {i} of the batch is in neither part"))))
        .collect::<Result<_>>()?;

    let function_words = WordSet::of(&p.function_words);
    let class = byte_classes(t);
    let docs: Result<Vec<DocFeatures>> = parallel_map(&sources, threads, DOCS_PER_TASK, TextTokens::default, |found, &source| {
        match source {
            Source::Bytes(s, e) => {
                text_tokens(&raw[s..e], &data[s..e], &class, mark_hash, found)?;
                Ok(doc_features(&found.hashes, &found.is_mark, &found.codes, p, &function_words))
            }
            Source::Tokens(s, e, cs, ce) => {
                Ok(doc_features(&tk.hashes[s..e], &tk.is_mark[s..e], &tk.codes[cs..ce], p, &function_words))
            }
        }
    })
    .into_iter()
    .collect();
    gather(docs?, a, b)
}

/// Where each document's run starts in `doc` (sorted document numbers below `count`), as offsets.
fn cuts(doc: &[i64], count: usize, what: &str) -> Result<Vec<i64>> {
    if doc.windows(2).any(|w| w[1] < w[0]) || doc.first().is_some_and(|&d| d < 0) {
        return Err(Error(format!("the {what} documents must be in order")));
    }
    if doc.last().is_some_and(|&d| d as u64 >= count as u64) {
        return Err(Error(format!("a {what} belongs to a document beyond the {count} given")));
    }
    let mut offsets = vec![0i64; count + 1];
    let mut at = 0usize;
    for (i, slot) in offsets.iter_mut().enumerate().skip(1) {
        while at < doc.len() && (doc[at] as usize) < i {
            at += 1;
        }
        *slot = at as i64;
    }
    check_offsets(&offsets, doc.len())?;
    Ok(offsets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spans::hash_spans;
    use crate::tokens::ascii_tokens;

    fn params() -> Params {
        Params {
            ngram: 3,
            char_ngram: 5,
            char_sample: 4,
            sentence_min_words: 2,
            passage_words: 3,
            repeat_words: 2,
            function_words: vec![],
        }
    }

    fn hash(word: &str) -> u64 {
        let mut out = [0u64];
        hash_spans(word.as_bytes(), &[0], &[word.len() as i64], &mut out).unwrap();
        out[0]
    }

    #[test]
    fn hashes_sort_as_any_sort_does() {
        let mut next = crate::xorshift(0x2545_F491_4F6C_DD1Du64);
        for n in [0usize, 1, 63, 64, 65, 200, 1000, 5000] {
            for kind in 0..3 {
                let mut values: Vec<u32> = (0..n)
                    .map(|k| match kind {
                        0 => next() as u32,
                        1 => (next() % 7) as u32 * 0x1000_0000, // a few values, many repeats: uneven
                        _ => k as u32,                          // all in the lowest buckets
                    })
                    .collect();
                let mut want = values.clone();
                want.sort_unstable();
                sort_hashes(&mut values);
                assert_eq!(values, want, "n {n} kind {kind}");
            }
        }
    }

    #[test]
    fn word_sets_hold_exactly_their_words() {
        let words: Vec<u64> = (0..300u64).map(|k| mix64(k * 7 + 1)).chain([0, u64::MAX]).collect();
        let set = WordSet::of(&words);
        assert!(words.iter().all(|&h| set.contains(h)));
        assert!((0..300u64).map(|k| mix64(k * 7 + 2)).all(|h| !set.contains(h)));
        assert!(!WordSet::of(&[5]).contains(0) && WordSet::of(&[0]).contains(0) && !WordSet::of(&[]).contains(9));
    }

    #[test]
    fn rolling_window_sums_equal_direct_sums() {
        let values: Vec<u64> = (0..50u64).map(|k| k.wrapping_mul(0x1234_5678_9ABC_DEF1) ^ (k << 9)).collect();
        for n in [1usize, 2, 5, 49, 50, 51] {
            let mut got = vec![];
            window_sums(&values, n, |start, s| got.push((start, s)));
            let want: Vec<(usize, u64)> =
                (0..(values.len() + 1).saturating_sub(n)).map(|s| (s, sequence_sum(&values[s..s + n]))).collect();
            assert_eq!(got, want, "n = {n}");
        }
    }

    #[test]
    fn the_sample_threshold_is_numpys() {
        // numpy compares the product with (2**64) // sample, as a uint64.
        for sample in [2u64, 3, 4, 7, 64] {
            let threshold = ((1u128 << 64) / sample as u128) as u64;
            for sum in [0u64, 1, threshold, threshold - 1, u64::MAX, 0x1234_5678] {
                assert!(in_sample(sum, sample_bound(1)));
                let want = sum.wrapping_mul(SAMPLE_MULTIPLIER) < threshold;
                assert_eq!(in_sample(sum, sample_bound(sample)), want, "sum {sum} sample {sample}");
            }
        }
    }

    #[test]
    fn words_sentences_and_repeats_of_one_document() {
        let text = ["a", "b", "c", "\x01", "a", "b", "\x01"];
        let hashes: Vec<u64> = text.iter().map(|w| hash(w)).collect();
        let is_mark: Vec<bool> = text.iter().map(|w| *w == "\x01").collect();
        let codes: Vec<u32> = "a b c a b\0".chars().map(|c| c as u32).collect();
        let f = doc_features(&hashes, &is_mark, &codes, &params(), &WordSet::of(&[]));
        assert_eq!(f.length, 5);
        assert_eq!(f.words.len(), 3, "a b c, b c a, c a b");
        assert_eq!(f.sentences.len(), 2);
        assert!(f.may_repeat, "'a b' comes twice");
        assert!(f.words.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_short_text_has_one_shingle_of_everything() {
        let hashes = vec![hash("hi"), 7];
        let codes: Vec<u32> = "hi\0".chars().map(|c| c as u32).collect();
        let mut p = params();
        p.char_sample = 1;
        let f = doc_features(&hashes, &[false, true], &codes, &p, &WordSet::of(&[]));
        assert_eq!(f.words, vec![(mix64(sequence_sum(&[hash("hi")])) & MASK32) as u32]);
        assert_eq!(f.chars.len(), 1);
        assert!(f.sentences.is_empty() && f.passages.is_empty() && !f.may_repeat);
    }

    /// The batch of `texts` as `AsciiBatch.of` lays it out: raw, lower-cased, text ends.
    fn laid_out(texts: &[&[u8]]) -> (Vec<u8>, Vec<u8>, Vec<i64>) {
        let (mut raw, mut text_end) = (Vec::new(), Vec::new());
        for t in texts {
            raw.extend_from_slice(t);
            text_end.push(raw.len() as i64);
            raw.push(0);
        }
        let data = raw.iter().map(|b| b.to_ascii_lowercase()).collect();
        (raw, data, text_end)
    }

    #[test]
    fn ascii_and_token_paths_agree() {
        let texts: [&[u8]; 4] = [b"It's 3.5m. Yes, it is so. It is so!", b"", b"one two three four five six", b"x"];
        let (raw, data, text_end) = laid_out(&texts);
        let tables = Tables::dedup();
        let (a, b) = (vec![3u32, 5, 7], vec![1u32, 2, 3]);
        let tk = ascii_tokens(&raw, &data, &text_end, &tables, 7).unwrap();
        let as_tokens = TokenTexts { hashes: &tk.hashes, doc: &tk.doc, is_mark: &tk.is_mark, codes: &tk.codes, code_doc: &tk.code_doc };
        let by_tokens = batch_features(&AsciiTexts::default(), &as_tokens, 4, &tables, 7, &params(), &a, &b, 2).unwrap();
        let at = [0i64, 1, 2, 3];
        let as_bytes = AsciiTexts { raw: &raw, data: &data, text_end: &text_end, at: &at };
        let by_bytes = batch_features(&as_bytes, &TokenTexts::default(), 4, &tables, 7, &params(), &a, &b, 2).unwrap();
        assert_eq!(by_tokens, by_bytes);
        assert_eq!(by_bytes.lengths, [10, 0, 6, 1]);
        assert!(by_bytes.may_repeat[0] && !by_bytes.may_repeat[2]);
        assert_eq!(by_bytes.signatures.len(), 4 * 3);
        assert!(by_bytes.words.get(1).is_empty());

        // Texts 1 and 3 as bytes, 0 and 2 as tokens: the same features, in batch order.
        let (raw2, data2, end2) = laid_out(&[texts[1], texts[3]]);
        let part = ascii_tokens(&raw, &data, &text_end, &tables, 7).unwrap();
        let keep: Vec<usize> = (0..part.doc.len()).filter(|&k| part.doc[k] % 2 == 0).collect();
        let keep_codes: Vec<usize> = (0..part.code_doc.len()).filter(|&k| part.code_doc[k] % 2 == 0).collect();
        let hashes: Vec<u64> = keep.iter().map(|&k| part.hashes[k]).collect();
        let doc: Vec<i64> = keep.iter().map(|&k| part.doc[k]).collect();
        let is_mark: Vec<bool> = keep.iter().map(|&k| part.is_mark[k]).collect();
        let codes: Vec<u32> = keep_codes.iter().map(|&k| part.codes[k]).collect();
        let code_doc: Vec<i64> = keep_codes.iter().map(|&k| part.code_doc[k]).collect();
        let mixed = batch_features(
            &AsciiTexts { raw: &raw2, data: &data2, text_end: &end2, at: &[1, 3] },
            &TokenTexts { hashes: &hashes, doc: &doc, is_mark: &is_mark, codes: &codes, code_doc: &code_doc },
            4, &tables, 7, &params(), &a, &b, 2,
        )
        .unwrap();
        assert_eq!(mixed, by_bytes);
    }

    #[test]
    fn threads_change_nothing() {
        let texts: Vec<Vec<u8>> = (0..300u64)
            .map(|k| format!("Text {k} says {} things. Then {} more!\nEnd of {k}", k * 7 % 13, k % 5).into_bytes())
            .collect();
        let refs: Vec<&[u8]> = texts.iter().map(|t| t.as_slice()).collect();
        let (raw, data, text_end) = laid_out(&refs);
        let at: Vec<i64> = (0..texts.len() as i64).collect();
        let ascii = AsciiTexts { raw: &raw, data: &data, text_end: &text_end, at: &at };
        let (a, b) = (vec![3u32, 5], vec![1u32, 2]);
        let run = |threads| {
            batch_features(&ascii, &TokenTexts::default(), texts.len(), &Tables::dedup(), 7, &params(), &a, &b, threads)
                .unwrap()
        };
        assert_eq!(run(1), run(3));
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let p = params();
        let t = Tables::dedup();
        let none = AsciiTexts::default();
        let tokens = |hashes: &'static [u64], doc: &'static [i64], is_mark: &'static [bool]| TokenTexts {
            hashes, doc, is_mark, codes: &[], code_doc: &[],
        };
        let run = |ascii: &AsciiTexts, tk: &TokenTexts, count: usize, a: &[u32]| {
            batch_features(ascii, tk, count, &t, 7, &p, a, &[], 1).err().map(|e| e.0)
        };
        assert!(run(&none, &tokens(&[1], &[0], &[false]), 1, &[]).unwrap().contains("do not end with a mark"));
        assert!(run(&none, &tokens(&[1], &[1], &[true]), 1, &[]).unwrap().contains("beyond"));
        assert!(run(&none, &tokens(&[1, 1], &[1, 0], &[true, true]), 2, &[]).unwrap().contains("in order"));
        assert!(run(&none, &tokens(&[1], &[0], &[true]), 1, &[1]).unwrap().contains("multipliers"));
        assert!(run(&none, &tokens(&[1], &[0], &[true]), 2, &[]).unwrap().contains("neither part"));
        let bytes = |raw: &'static [u8], data: &'static [u8], text_end: &'static [i64], at: &'static [i64]| {
            AsciiTexts { raw, data, text_end, at }
        };
        let empty = TokenTexts::default();
        for (ascii, count) in [
            (bytes(b"ab\0", b"ab\0", &[1], &[0]), 1),
            (bytes(b"ab\0", b"ab", &[2], &[0]), 1),
            (bytes(b"ab\0", b"ab\0", &[5], &[0]), 1),
            (bytes(b"ab\0c\0", b"ab\0c\0", &[4, 2], &[0, 1]), 2),
            (bytes(b"ab\0", b"ab\0", &[2], &[]), 1),
            (bytes(b"ab\0c\0", b"ab\0c\0", &[2, 4], &[0, 0]), 2),
            (bytes(b"ab\0", b"ab\0", &[2], &[-1]), 1),
            (bytes(b"ab\0", b"ab\0", &[2], &[3]), 1),
        ] {
            assert!(run(&ascii, &empty, count, &[]).is_some());
        }
        assert!(run(&bytes(b"ab\0", b"ab\0", &[2], &[0]), &tokens(&[1], &[0], &[true]), 1, &[]).unwrap().contains("twice"));
        let mut zero = params();
        zero.ngram = 0;
        assert!(batch_features(&none, &empty, 0, &t, 7, &zero, &[], &[], 1).is_err());
        assert_eq!(batch_features(&none, &empty, 0, &t, 7, &p, &[], &[], 1).unwrap().lengths, Vec::<i64>::new());
    }
}
