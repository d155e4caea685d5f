//! Any bytes, cut into texts at each 0 byte and laid out as dedup.text.batch.AsciiBatch lays a batch out:
//! the tokeniser must never panic, and what it returns must be consistent with its input.
#![no_main]

use dedup_kernels::tokens::{ascii_tokens, Tables};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let texts: Vec<&[u8]> = bytes.split(|&b| b == 0).collect();
    let mut raw = Vec::with_capacity(bytes.len() + 1);
    let mut text_end = Vec::with_capacity(texts.len());
    for t in &texts {
        raw.extend_from_slice(t);
        text_end.push(raw.len() as i64);
        raw.push(0);
    }
    let data: Vec<u8> = raw.iter().map(|&b| if b == b'`' { b'\'' } else { b.to_ascii_lowercase() }).collect();
    let got = ascii_tokens(&raw, &data, &text_end, &Tables::dedup(), 7).expect("a batch laid out as dedup lays it");
    assert_eq!(got.hashes.len(), got.doc.len());
    assert_eq!(got.is_mark.len(), got.doc.len());
    assert!(got.doc.windows(2).all(|w| w[0] <= w[1]), "tokens in text order");
    // Every text ends with a mark, so there are at least as many marks as texts.
    assert!(got.is_mark.iter().filter(|&&m| m).count() >= texts.len());
    assert_eq!(got.codes.len(), got.code_doc.len());
    assert!(got.codes.iter().all(|&c| c < 256), "codes are bytes of the batch");
    // Each text's words close with one 0, and no word holds a 0.
    let words_texts = got.code_doc.iter().zip(&got.codes).filter(|(_, &c)| c == 0).count();
    let distinct = got.code_doc.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!got.code_doc.is_empty());
    assert_eq!(words_texts, distinct);
});
