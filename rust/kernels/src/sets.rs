//! How many values two sorted distinct arrays share, equal to `dedup.verify.relations.shared_count`: the
//! figure every verified pair is judged on (word, character, sentence, anchor and passage sets).

use crate::{check_offsets, Error, Result};

/// The number of values in both `a` and `b`, each sorted and distinct. Two sets of similar size are merged
/// without branches on the data (a word set against a word set: the usual case); a short set against one
/// many times longer is looked up in it by galloping (each search starts where the last one ended), which
/// costs about the short one's length times a logarithm.
pub fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // Measured on the speed corpus's word and character sets (a few hundred values each): the merge takes
    // about a third of the galloping's time; past some 16 times the length, galloping wins.
    if large.len() <= 16 * small.len() {
        merge_count(small, large)
    } else {
        gallop_count(small, large)
    }
}

fn merge_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        count += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    count
}

fn gallop_count(small: &[u32], large: &[u32]) -> usize {
    let mut count = 0;
    let mut rest = large;
    for &v in small {
        // Gallop: the first place whose value is not below v, searched in doubling steps from the front.
        let mut step = 1;
        while step < rest.len() && rest[step - 1] < v {
            step *= 2;
        }
        let window = &rest[..step.min(rest.len())];
        let at = window.partition_point(|&x| x < v);
        rest = &rest[at..];
        if rest.first() == Some(&v) {
            count += 1;
            rest = &rest[1..];
        }
        if rest.is_empty() {
            break;
        }
    }
    count
}

/// `shared_count` of many pairs of sets: `out[p]` for the sets `left[p]` and `right[p]`. The sets lie in
/// parts of `per_part` sets each (the last may hold fewer): set `k` is `values[offsets[k % per_part]..
/// offsets[k % per_part + 1]]` of part `k / per_part`, where `(values, offsets)` is that part (each set
/// sorted and distinct). That is how the analyse stage's batches hold their documents' shingle sets, so the
/// verify stage screens a chunk of candidate pairs in one call, reading the batches where they are.
pub fn pair_shared_counts(
    parts: &[(&[u32], &[i64])],
    per_part: usize,
    left: &[i64],
    right: &[i64],
    out: &mut [u64],
) -> Result<()> {
    if per_part == 0 {
        return Err(Error("per_part must be at least 1".into()));
    }
    for (values, offsets) in parts {
        check_offsets(offsets, values.len())?;
    }
    if left.len() != right.len() || out.len() != left.len() {
        return Err(Error(format!(
            "left, right and out must have one length, not {}, {} and {}",
            left.len(),
            right.len(),
            out.len()
        )));
    }
    let set = |k: i64| -> Result<&[u32]> {
        let bad = || Error(format!("set {k} is not in the {} parts of {per_part}", parts.len()));
        let k = usize::try_from(k).map_err(|_| bad())?;
        let (values, offsets) = parts.get(k / per_part).ok_or_else(bad)?;
        let local = k % per_part;
        if local + 1 >= offsets.len() {
            return Err(bad());
        }
        Ok(&values[offsets[local] as usize..offsets[local + 1] as usize])
    };
    for ((o, &a), &b) in out.iter_mut().zip(left).zip(right) {
        *o = shared_count(set(a)?, set(b)?) as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_common_values() {
        assert_eq!(shared_count(&[1, 2, 3, 4], &[3, 4, 9]), 2);
        assert_eq!(shared_count(&[], &[1]), 0);
        assert_eq!(shared_count(&[5], &[]), 0);
        assert_eq!(shared_count(&[0, u32::MAX], &[0, 7, u32::MAX]), 2);
    }

    #[test]
    fn equals_a_set_intersection() {
        let mut next = crate::xorshift(0x2545_F491_4F6C_DD1Du64);
        for round in 0..2000 {
            let range = 1 + (next() % 200);
            let mut set = |len: u64| {
                let mut v: Vec<u32> = (0..next() % len).map(|_| (next() % range) as u32).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let (a, b) = (set(40), set(if round % 3 == 0 { 400 } else { 40 }));
            let want = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            assert_eq!(shared_count(&a, &b), want, "{a:?} {b:?}");
            assert_eq!(shared_count(&b, &a), want);
        }
    }

    #[test]
    fn merge_and_gallop_agree() {
        let mut next = crate::xorshift(0x1234_5678_9ABC_DEF1u64);
        for _ in 0..2000 {
            let range = 1 + (next() % 500);
            let mut set = |len: u64| {
                let mut v: Vec<u32> = (0..next() % len).map(|_| (next() % range) as u32).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let (a, b) = (set(50), set(300));
            let want = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            assert_eq!(merge_count(&a, &b), want);
            assert_eq!(merge_count(&b, &a), want);
            if a.len() <= b.len() {
                assert_eq!(gallop_count(&a, &b), want);
            }
        }
    }

    fn parts_of(sets: &[Vec<u32>], per_part: usize) -> Vec<(Vec<u32>, Vec<i64>)> {
        sets.chunks(per_part)
            .map(|chunk| {
                let values: Vec<u32> = chunk.iter().flatten().copied().collect();
                let mut offsets = vec![0i64];
                for s in chunk {
                    offsets.push(offsets.last().unwrap() + s.len() as i64);
                }
                (values, offsets)
            })
            .collect()
    }

    #[test]
    fn pair_counts_equal_one_count_per_pair() {
        let mut next = crate::xorshift(0x9E37_79B9_7F4A_7C15u64);
        let sets: Vec<Vec<u32>> = (0..30)
            .map(|_| {
                let mut v: Vec<u32> = (0..next() % 60).map(|_| (next() % 90) as u32).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        for per_part in [1, 7, 30, 50] {
            let owned = parts_of(&sets, per_part);
            let parts: Vec<(&[u32], &[i64])> = owned.iter().map(|(v, o)| (&v[..], &o[..])).collect();
            let left: Vec<i64> = (0..500).map(|_| (next() % 30) as i64).collect();
            let right: Vec<i64> = (0..500).map(|_| (next() % 30) as i64).collect();
            let mut out = vec![0u64; 500];
            pair_shared_counts(&parts, per_part, &left, &right, &mut out).unwrap();
            for p in 0..500 {
                let want = shared_count(&sets[left[p] as usize], &sets[right[p] as usize]) as u64;
                assert_eq!(out[p], want, "{per_part} per part");
            }
        }
        let mut none: Vec<u64> = vec![];
        assert!(pair_shared_counts(&[], 5, &[], &[], &mut none).is_ok());
    }

    #[test]
    fn pair_counts_refuse_bad_input() {
        let (values, offsets) = ([1u32, 2, 3], [0i64, 2, 3]);
        let parts: [(&[u32], &[i64]); 1] = [(&values, &offsets)];
        let mut out = [0u64; 1];
        assert!(pair_shared_counts(&parts, 2, &[2], &[0], &mut out).is_err()); // no set 2
        assert!(pair_shared_counts(&parts, 3, &[2], &[0], &mut out).is_err()); // the part holds 2 sets
        assert!(pair_shared_counts(&parts, 2, &[-1], &[0], &mut out).is_err());
        assert!(pair_shared_counts(&parts, 0, &[0], &[0], &mut out).is_err());
        assert!(pair_shared_counts(&parts, 2, &[0, 1], &[0], &mut out).is_err()); // lengths
        let past: [(&[u32], &[i64]); 1] = [(&values, &[0, 4])];
        assert!(pair_shared_counts(&past, 2, &[0], &[0], &mut out).is_err()); // offsets past the values
        pair_shared_counts(&parts, 2, &[0], &[1], &mut out).unwrap();
        assert_eq!(out, [0]);
    }
}
