//! LSH band keys, equal to `dedup.index.lsh._row_keys`: one 64-bit key per document and band, combining the
//! band's rows of the signature FNV-style, so that documents sharing a band share a key.

use crate::{Error, Result};

const PRIME: u64 = 0x0000_0100_0000_01B3;

/// The key of one band's rows of a signature.
#[inline]
pub fn band_key(rows: &[u32]) -> u64 {
    rows.iter()
        .enumerate()
        .fold(0u64, |key, (k, &v)| (key ^ u64::from(v)).wrapping_mul(PRIME).wrapping_add(k as u64 + 1))
}

/// For each band of `bands` (band `j` reads columns `j*rows .. (j+1)*rows`), the key of every signature:
/// `out` is row-major, `bands.len()` rows of `n` keys. `sigs` is row-major, `n` signatures of `num_perm`.
pub fn band_keys(sigs: &[u32], num_perm: usize, bands: &[i64], rows: usize, out: &mut [u64]) -> Result<()> {
    if num_perm == 0 || sigs.len() % num_perm != 0 {
        return Err(Error(format!("{} signature values do not make rows of {num_perm}", sigs.len())));
    }
    let n = sigs.len() / num_perm;
    if out.len() != bands.len() * n {
        return Err(Error(format!("output holds {} keys, not {} x {n}", out.len(), bands.len())));
    }
    for &band in bands {
        let end = (band.max(0) as usize + 1).checked_mul(rows);
        if band < 0 || end.is_none_or(|e| e > num_perm) {
            return Err(Error(format!("band {band} of {rows} rows is beyond {num_perm} permutations")));
        }
    }
    for (keys, &band) in out.chunks_exact_mut(n.max(1)).zip(bands) {
        let first = band as usize * rows;
        for (key, sig) in keys.iter_mut().zip(sigs.chunks_exact(num_perm)) {
            *key = band_key(&sig[first..first + rows]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_rows_equal_keys_whatever_else_differs() {
        let sigs = [1u32, 2, 3, 4, 1, 2, 9, 9, 7, 7, 3, 4];
        let mut out = vec![0u64; 6];
        band_keys(&sigs, 4, &[0, 1], 2, &mut out).unwrap();
        assert_eq!(out[0], out[1]);
        assert_ne!(out[0], out[2]);
        assert_eq!(out[3], out[5]);
        assert_ne!(out[3], out[4]);
    }

    #[test]
    fn key_by_hand() {
        // ((0 ^ 5) * P + 1 ^ 6) * P + 2, wrapping.
        let first = 5u64.wrapping_mul(PRIME).wrapping_add(1);
        assert_eq!(band_key(&[5, 6]), (first ^ 6).wrapping_mul(PRIME).wrapping_add(2));
    }

    #[test]
    fn bad_shapes_are_errors() {
        let mut out = vec![0u64; 2];
        assert!(band_keys(&[1, 2, 3], 2, &[0], 1, &mut out).is_err());
        assert!(band_keys(&[1, 2, 3, 4], 2, &[1], 2, &mut out).is_err(), "band beyond the signature");
        assert!(band_keys(&[1, 2, 3, 4], 2, &[-1], 1, &mut out).is_err());
        assert!(band_keys(&[1, 2, 3, 4], 2, &[0], usize::MAX, &mut out).is_err(), "overflowing rows");
        assert!(band_keys(&[1, 2, 3, 4], 0, &[0], 1, &mut out).is_err());
    }

    #[test]
    fn no_signatures() {
        let mut out: Vec<u64> = vec![];
        band_keys(&[], 4, &[0, 1], 2, &mut out).unwrap();
    }
}
