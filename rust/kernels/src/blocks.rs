//! The matching blocks of two sequences, equal to Python's `difflib.SequenceMatcher(None, a, b,
//! autojunk=False).get_matching_blocks()`: the reference of `dedup.verify.blocks.matching_blocks`, which
//! the passage search (`dedup.verify.passages._verbatim`) asks of every passage it checks for a word-for-word
//! copy.
//!
//! The algorithm is difflib's, step for step, so that ties go the same way: the longest match in a window is
//! the one starting earliest in `a`, then earliest in `b`; the windows left and right of it are searched in
//! difflib's order; the blocks are sorted and adjacent ones joined; a last `(len(a), len(b), 0)` closes the
//! list. With no junk and no "popular" elements (autojunk off), every element of `b` is indexed.

use std::collections::HashMap;
use std::hash::Hash;

/// `(i, j, size)` blocks with `a[i..i + size] == b[j..j + size]`, as difflib gives them (see the module).
pub fn matching_blocks<T: Eq + Hash>(a: &[T], b: &[T]) -> Vec<(usize, usize, usize)> {
    // b2j: where each element occurs in b, ascending.
    let mut b2j: HashMap<&T, Vec<usize>> = HashMap::new();
    for (j, x) in b.iter().enumerate() {
        b2j.entry(x).or_default().push(j);
    }
    // Each a[i] as the list of its positions in b (empty when b lacks it), looked up once.
    let empty: Vec<usize> = Vec::new();
    let where_in_b: Vec<&Vec<usize>> = a.iter().map(|x| b2j.get(x).unwrap_or(&empty)).collect();
    let mut finder = Longest { j2len: vec![0; b.len() + 1], new_j2len: vec![0; b.len() + 1], touched: Vec::new(),
                               new_touched: Vec::new() };
    let mut queue = vec![(0usize, a.len(), 0usize, b.len())];
    let mut blocks = Vec::new();
    while let Some((alo, ahi, blo, bhi)) = queue.pop() {
        let (i, j, k) = finder.find(a, b, &where_in_b, alo, ahi, blo, bhi);
        if k > 0 {
            blocks.push((i, j, k));
            if alo < i && blo < j {
                queue.push((alo, i, blo, j));
            }
            if i + k < ahi && j + k < bhi {
                queue.push((i + k, ahi, j + k, bhi));
            }
        }
    }
    blocks.sort_unstable();
    let mut joined = Vec::with_capacity(blocks.len() + 1);
    let (mut i1, mut j1, mut k1) = (0, 0, 0);
    for (i2, j2, k2) in blocks {
        if i1 + k1 == i2 && j1 + k1 == j2 {
            k1 += k2;
        } else {
            if k1 > 0 {
                joined.push((i1, j1, k1));
            }
            (i1, j1, k1) = (i2, j2, k2);
        }
    }
    if k1 > 0 {
        joined.push((i1, j1, k1));
    }
    joined.push((a.len(), b.len(), 0));
    joined
}

/// difflib's `find_longest_match` with its `j2len` dicts as arrays indexed by `j + 1` (0 stands for "no
/// entry"), cleared through the lists of the entries set.
struct Longest {
    j2len: Vec<usize>,
    new_j2len: Vec<usize>,
    touched: Vec<usize>,
    new_touched: Vec<usize>,
}

impl Longest {
    #[allow(clippy::too_many_arguments)]
    fn find<T: Eq>(&mut self, a: &[T], b: &[T], where_in_b: &[&Vec<usize>], alo: usize, ahi: usize, blo: usize,
                   bhi: usize) -> (usize, usize, usize) {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0usize);
        for (i, positions) in where_in_b.iter().enumerate().take(ahi).skip(alo) {
            for &j in positions.iter() {
                if j < blo {
                    continue;
                }
                if j >= bhi {
                    break;
                }
                // j2len[j - 1] in difflib: the run ending at (i - 1, j - 1), stored at index j.
                let k = self.j2len[j] + 1;
                self.new_j2len[j + 1] = k;
                self.new_touched.push(j + 1);
                if k > bestsize {
                    (besti, bestj, bestsize) = (i + 1 - k, j + 1 - k, k);
                }
            }
            for &t in &self.touched {
                self.j2len[t] = 0;
            }
            std::mem::swap(&mut self.j2len, &mut self.new_j2len);
            std::mem::swap(&mut self.touched, &mut self.new_touched);
            self.new_touched.clear();
        }
        for &t in &self.touched {
            self.j2len[t] = 0;
        }
        self.touched.clear();
        // No junk: difflib's extensions over non-junk neighbours (none are junk here); the DP above already
        // found them, but the loops are kept so the two stay the same algorithm.
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            (besti, bestj, bestsize) = (besti - 1, bestj - 1, bestsize + 1);
        }
        while besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize] {
            bestsize += 1;
        }
        (besti, bestj, bestsize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_difflib_blocks() {
        // difflib.SequenceMatcher(None, "abxcd", "abcd", autojunk=False).get_matching_blocks()
        let (a, b): (Vec<char>, Vec<char>) = ("abxcd".chars().collect(), "abcd".chars().collect());
        assert_eq!(matching_blocks(&a, &b), vec![(0, 0, 2), (3, 2, 2), (5, 4, 0)]);
        // ... of "qabxcd" and "abycdf": [Match(a=1, b=0, size=2), Match(a=4, b=3, size=2), Match(a=6, b=6, size=0)]
        let (a, b): (Vec<char>, Vec<char>) = ("qabxcd".chars().collect(), "abycdf".chars().collect());
        assert_eq!(matching_blocks(&a, &b), vec![(1, 0, 2), (4, 3, 2), (6, 6, 0)]);
        let none: Vec<u8> = vec![];
        assert_eq!(matching_blocks(&none, &[1u8, 2]), vec![(0, 2, 0)]);
        assert_eq!(matching_blocks(&[1u8], &none), vec![(1, 0, 0)]);
    }

    #[test]
    fn blocks_match_and_go_forward() {
        let mut next = crate::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..2000 {
            let alphabet = 1 + next() % 6;
            let a: Vec<u64> = (0..next() % 40).map(|_| next() % alphabet).collect();
            let b: Vec<u64> = (0..next() % 40).map(|_| next() % alphabet).collect();
            let blocks = matching_blocks(&a, &b);
            assert_eq!(*blocks.last().unwrap(), (a.len(), b.len(), 0));
            let (mut ai, mut bj) = (0, 0);
            for &(i, j, k) in &blocks[..blocks.len() - 1] {
                assert!(k > 0 && i >= ai && j >= bj, "{blocks:?}");
                assert_eq!(a[i..i + k], b[j..j + k]);
                (ai, bj) = (i + k, j + k);
            }
        }
    }
}
