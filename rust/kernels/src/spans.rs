//! Sums and hashes of spans, equal to `dedup.text.hashing.span_sums` and `hash_spans`: the one way dedup
//! combines a sequence (the bytes of a word, the word hashes of an n-gram or a sentence) into 64 bits.
//!
//! The sum of a span is `sum of value_k * BASE**(k+1)` modulo 2**64, k counted from the span's start. numpy
//! gets it from one prefix sum and a table of inverse powers; here each span is summed directly, which gives
//! the same value (the prefix form is that sum multiplied back by an inverse) without the two tables.

use crate::{Error, Result};

pub const BASE: u64 = 0x9E37_79B9_7F4A_7C15;
pub const LENGTH_WEIGHT: u64 = 0xC2B2_AE3D_27D4_EB4F;

/// The splitmix64 finaliser, as `dedup.text.hashing.mix64`.
#[inline]
pub fn mix64(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// The sum of one sequence, as `span_sums` has it for the span holding exactly `values`.
#[inline]
pub fn sequence_sum<T: Copy + Into<u64>>(values: &[T]) -> u64 {
    let mut power = BASE;
    let mut sum = 0u64;
    for &v in values {
        sum = sum.wrapping_add(v.into().wrapping_mul(power));
        power = power.wrapping_mul(BASE);
    }
    sum
}

fn check_spans(len: usize, starts: &[i64], ends: &[i64], out: usize) -> Result<()> {
    if starts.len() != ends.len() || out != starts.len() {
        return Err(Error(format!("{} starts, {} ends, {out} outputs", starts.len(), ends.len())));
    }
    for (&s, &e) in starts.iter().zip(ends) {
        if s < 0 || e < s || e as u64 > len as u64 {
            return Err(Error(format!("span {s}..{e} is not inside {len} values")));
        }
    }
    Ok(())
}

/// `out[i]` = the sum of `values[starts[i]..ends[i]]`.
pub fn span_sums<T: Copy + Into<u64>>(values: &[T], starts: &[i64], ends: &[i64], out: &mut [u64]) -> Result<()> {
    check_spans(values.len(), starts, ends, out.len())?;
    for ((o, &s), &e) in out.iter_mut().zip(starts).zip(ends) {
        *o = sequence_sum(&values[s as usize..e as usize]);
    }
    Ok(())
}

/// `out[i]` = the word hash of the bytes `data[starts[i]..ends[i]]`: the span's sum plus its length times a
/// weight, mixed.
pub fn hash_spans(data: &[u8], starts: &[i64], ends: &[i64], out: &mut [u64]) -> Result<()> {
    check_spans(data.len(), starts, ends, out.len())?;
    for ((o, &s), &e) in out.iter_mut().zip(starts).zip(ends) {
        let sum = sequence_sum(&data[s as usize..e as usize]);
        *o = mix64(sum.wrapping_add(((e - s) as u64).wrapping_mul(LENGTH_WEIGHT)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numpy form: prefix sums of `value * BASE**(k+1)` over the whole array, shifted back by the inverse.
    fn prefix_form(values: &[u64], s: usize, e: usize) -> u64 {
        let inverse = {
            // Newton's iteration for the inverse of an odd number modulo 2**64.
            let mut x = BASE;
            for _ in 0..6 {
                x = x.wrapping_mul(2u64.wrapping_sub(BASE.wrapping_mul(x)));
            }
            x
        };
        let mut prefix = vec![0u64; values.len() + 1];
        let mut power = BASE;
        for (k, &v) in values.iter().enumerate() {
            prefix[k + 1] = prefix[k].wrapping_add(v.wrapping_mul(power));
            power = power.wrapping_mul(BASE);
        }
        let shift = (0..s).fold(1u64, |p, _| p.wrapping_mul(inverse));
        prefix[e].wrapping_sub(prefix[s]).wrapping_mul(shift)
    }

    #[test]
    fn equals_the_prefix_form_anywhere_in_the_array() {
        let values: Vec<u64> = (0..40u64).map(|k| k.wrapping_mul(0x1234_5678_9ABC_DEF1) ^ (k << 7)).collect();
        let spans = [(0usize, 0usize), (0, 5), (3, 9), (10, 40), (39, 40)];
        let starts: Vec<i64> = spans.iter().map(|s| s.0 as i64).collect();
        let ends: Vec<i64> = spans.iter().map(|s| s.1 as i64).collect();
        let mut out = vec![0u64; spans.len()];
        span_sums(&values, &starts, &ends, &mut out).unwrap();
        for (k, &(s, e)) in spans.iter().enumerate() {
            assert_eq!(out[k], prefix_form(&values, s, e), "span {s}..{e}");
        }
    }

    #[test]
    fn equal_words_hash_equally_wherever_they_stand() {
        let data = b"the cat the";
        let mut out = vec![0u64; 3];
        hash_spans(data, &[0, 4, 8], &[3, 7, 11], &mut out).unwrap();
        assert_eq!(out[0], out[2]);
        assert_ne!(out[0], out[1]);
    }

    #[test]
    fn the_empty_span() {
        let mut out = vec![1u64];
        span_sums::<u64>(&[], &[0], &[0], &mut out).unwrap();
        assert_eq!(out[0], 0);
        hash_spans(b"", &[0], &[0], &mut out).unwrap();
        assert_eq!(out[0], mix64(0));
    }

    #[test]
    fn spans_outside_are_errors() {
        let mut out = vec![0u64; 1];
        for (s, e) in [(-1i64, 2i64), (2, 1), (0, 4), (i64::MIN, 0), (0, i64::MAX)] {
            assert!(hash_spans(b"abc", &[s], &[e], &mut out).is_err(), "{s}..{e} accepted");
        }
        assert!(hash_spans(b"abc", &[0, 1], &[1], &mut out).is_err());
    }
}
