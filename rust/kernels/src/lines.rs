//! The lines of a batch of ASCII texts as `normalize` has each line, equal to `dedup.text.batch.lines`,
//! `normalized_texts` and `line_keys` (with each text's keys made distinct, as the analyse stage keeps them).
//!
//! A line is what lies between line breaks (and a text's ends); each run of white space in it becomes one
//! space and the white space at its ends goes. Per text: its normalised form (its non-blank lines joined by
//! single spaces, what the exact-copy key is a digest of) and the sorted distinct keys of its non-blank lines
//! (the word hash of each line, as a signed 64-bit number, which is how boilerplate statistics count them).

use crate::spans::{mix64, sequence_sum, LENGTH_WEIGHT};
use crate::{parallel_map, Error, Result};

/// Texts per thread task.
const TEXTS_PER_TASK: usize = 32;

/// Per text, end to end: its normalised form (`normalized`, cut by `normalized_offsets`) and its distinct
/// line keys (`keys`, cut by `key_offsets`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lines {
    pub normalized: Vec<u8>,
    pub normalized_offsets: Vec<i64>,
    pub keys: Vec<i64>,
    pub key_offsets: Vec<i64>,
}

/// The word hash of a line's bytes (as `spans::hash_spans`).
fn line_key(line: &[u8]) -> i64 {
    mix64(sequence_sum(line).wrapping_add((line.len() as u64).wrapping_mul(LENGTH_WEIGHT))) as i64
}

/// One text's normalised form and distinct line keys.
fn text_lines(text: &[u8], space: &[bool; 256]) -> (Vec<u8>, Vec<i64>) {
    let mut normalized = Vec::with_capacity(text.len());
    let mut keys = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let start = normalized.len() + usize::from(!normalized.is_empty());
        let mut pending_space = false;
        let mut any = false;
        for &b in line {
            if space[b as usize] {
                pending_space = any;
                continue;
            }
            if !any && !normalized.is_empty() {
                normalized.push(b' '); // between two lines of the text
            } else if pending_space {
                normalized.push(b' ');
            }
            pending_space = false;
            any = true;
            normalized.push(b);
        }
        if any {
            keys.push(line_key(&normalized[start..]));
        }
    }
    keys.sort_unstable();
    keys.dedup();
    (normalized, keys)
}

/// The lines of the texts of `data` (lower-cased, each text closed by a byte at its `text_end`); `space`
/// says which bytes are white space (a line break never is: it ends the line). On `threads` threads.
pub fn ascii_lines(data: &[u8], text_end: &[i64], space: &[bool; 256], threads: usize) -> Result<Lines> {
    let mut bounds = Vec::with_capacity(text_end.len());
    let mut next = 0i64;
    for &end in text_end {
        if end < next || end as u64 >= data.len() as u64 {
            return Err(Error(format!("text end {end} is out of order or beyond {} bytes", data.len())));
        }
        bounds.push((next as usize, end as usize));
        next = end + 1;
    }
    if next as usize != data.len() {
        return Err(Error(format!("the last text must end at the last of {} bytes", data.len())));
    }
    let mut space = *space;
    space[b'\n' as usize] = false;
    let found = parallel_map(&bounds, threads, TEXTS_PER_TASK, || (), |_, &(s, e)| text_lines(&data[s..e], &space));
    let mut out = Lines {
        normalized: Vec::with_capacity(data.len()),
        normalized_offsets: vec![0],
        keys: Vec::new(),
        key_offsets: vec![0],
    };
    for (normalized, keys) in found {
        out.normalized.extend_from_slice(&normalized);
        out.normalized_offsets.push(out.normalized.len() as i64);
        out.keys.extend_from_slice(&keys);
        out.key_offsets.push(out.keys.len() as i64);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::Tables;

    fn of(texts: &[&[u8]]) -> Lines {
        let (mut data, mut text_end) = (Vec::new(), Vec::new());
        for t in texts {
            data.extend(t.iter().map(|b| b.to_ascii_lowercase()));
            text_end.push(data.len() as i64);
            data.push(0);
        }
        ascii_lines(&data, &text_end, &Tables::dedup().space, 2).unwrap()
    }

    #[test]
    fn white_space_collapsed_and_trimmed_per_line() {
        let got = of(&[b"  One\t two\n\n x ", b"Y", b"", b" \n\t"]);
        assert_eq!(got.normalized, b"one two xy");
        assert_eq!(got.normalized_offsets, [0, 9, 10, 10, 10]);
        assert_eq!(got.key_offsets, [0, 2, 3, 3, 3]);
        assert_eq!(got.keys[..2].iter().filter(|&&k| k == line_key(b"one two")).count(), 1);
        assert!(got.keys[..2].contains(&line_key(b"x")));
    }

    #[test]
    fn repeated_lines_count_once_and_keys_are_sorted() {
        let got = of(&[b"Ad\n\n  ad \nStory\nad"]);
        assert_eq!(got.normalized, b"ad ad story ad");
        assert_eq!(got.keys.len(), 2);
        assert!(got.keys[0] < got.keys[1]);
    }

    #[test]
    fn bad_layouts_are_errors() {
        let space = Tables::dedup().space;
        assert!(ascii_lines(b"ab\0", &[1], &space, 1).is_err());
        assert!(ascii_lines(b"ab\0", &[5], &space, 1).is_err());
        assert!(ascii_lines(b"ab\0c\0", &[4, 2], &space, 1).is_err());
        assert_eq!(ascii_lines(b"", &[], &space, 1).unwrap().normalized_offsets, [0]);
    }
}
