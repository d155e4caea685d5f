//! Any bytes as one text: the one-pass tokeniser must give what the batch tokeniser gives for that text
//! alone, and the features kernel must take any text without a panic, its sets sorted and distinct.
#![no_main]

use dedup_kernels::features::{batch_features, AsciiTexts, Params, TokenTexts};
use dedup_kernels::tokens::{ascii_tokens, byte_classes, text_tokens, Tables, TextTokens};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
    let mut raw = text.clone();
    let text_end = [raw.len() as i64];
    raw.push(0);
    let data: Vec<u8> = raw.iter().map(|&b| if b == b'`' { b'\'' } else { b.to_ascii_lowercase() }).collect();
    let tables = Tables::dedup();
    let want = ascii_tokens(&raw, &data, &text_end, &tables, 7).expect("a text laid out as dedup lays it");
    let mut got = TextTokens::default();
    text_tokens(&raw, &data, &byte_classes(&tables), 7, &mut got).expect("the same text");
    assert_eq!((got.hashes, got.is_mark, got.codes), (want.hashes, want.is_mark, want.codes));

    let params = Params {
        ngram: 3,
        char_ngram: 5,
        char_sample: 4,
        sentence_min_words: 6,
        passage_words: 3,
        repeat_words: 8,
        function_words: vec![],
    };
    let ascii = AsciiTexts { raw: &raw, data: &data, text_end: &text_end, at: &[0] };
    let found = batch_features(&ascii, &TokenTexts::default(), 1, &tables, 7, &params, &[1, 3], &[0, 5], 1)
        .expect("one text, at its place");
    for set in [&found.words, &found.chars, &found.sentences, &found.passages] {
        assert!(set.get(0).windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
    }
});
