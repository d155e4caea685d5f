//! The seeds of the passage search: the pairs of sentence units, one from each text, that share enough of
//! their weighted words. The twin of the numpy body of `dedup.verify.passages._seeds`, which stays the
//! reference; every sum is taken in the order numpy takes it (entry by entry, `np.bincount` order) and every
//! product associates as the numpy expression does, so the cosines, and the seeds, are the same bits.

use std::collections::HashMap;

use crate::{Error, Result};

/// One text's entries: per distinct word of each unit, the word's id, its unit and its count.
pub struct Entries<'a> {
    pub word: &'a [i64],
    pub unit: &'a [i64],
    pub count: &'a [f64],
    pub units: usize,
    /// How many units of this text hold each word id.
    pub df: &'a [i64],
}

/// The seed thresholds (`dedup.verify.passages`: SEED_COSINE, SEED_DICE, SEED_SHARED, SEED_CONTAINED,
/// SEED_CONTAINED_COSINE, MAX_UNITS_OF_WORD).
pub struct Thresholds {
    pub cosine: f64,
    pub dice: f64,
    pub shared: i64,
    pub contained: f64,
    pub contained_cosine: f64,
    pub max_units_of_word: i64,
}

impl Entries<'_> {
    fn check(&self, name: &str, vocabulary: usize) -> Result<()> {
        if self.unit.len() != self.word.len() || self.count.len() != self.word.len() {
            return Err(Error(format!("{name}: words, units and counts must be of one length")));
        }
        if self.df.len() != vocabulary {
            return Err(Error(format!("{name}: df must hold one count per word of the vocabulary")));
        }
        if self.word.iter().any(|&w| w < 0 || w as usize >= vocabulary) {
            return Err(Error(format!("{name}: a word id is outside the vocabulary")));
        }
        if self.unit.iter().any(|&u| u < 0 || u as usize >= self.units) {
            return Err(Error(format!("{name}: a unit is outside 0..units")));
        }
        Ok(())
    }

    /// Per unit: the norm of its tf-isf vector and its number of distinct words.
    fn norms(&self, isf: &[f64]) -> (Vec<f64>, Vec<i64>) {
        let mut squares = vec![0.0f64; self.units];
        let mut sizes = vec![0i64; self.units];
        for k in 0..self.word.len() {
            let weighted = self.count[k] * isf[self.word[k] as usize];
            squares[self.unit[k] as usize] += weighted * weighted;
            sizes[self.unit[k] as usize] += 1;
        }
        (squares.into_iter().map(f64::sqrt).collect(), sizes)
    }
}

/// The seeds `(i, j)` (unit of a, unit of b), in order of `i * b.units + j`, each the closest match of its
/// unit in a or of its unit in b (`_best_seeds`).
pub fn seeds(a: &Entries<'_>, b: &Entries<'_>, isf: &[f64], t: &Thresholds) -> Result<(Vec<i64>, Vec<i64>)> {
    a.check("a", isf.len())?;
    b.check("b", isf.len())?;
    if a.word.is_empty() || b.word.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let (norm_a, size_a) = a.norms(isf);
    let (norm_b, size_b) = b.norms(isf);
    let usable = |w: i64| a.df[w as usize] <= t.max_units_of_word && b.df[w as usize] <= t.max_units_of_word;
    // b's usable entries by word, each word's in entry order (numpy's stable argsort).
    let mut by_word: HashMap<i64, Vec<usize>> = HashMap::new();
    for k in 0..b.word.len() {
        if usable(b.word[k]) {
            by_word.entry(b.word[k]).or_default().push(k);
        }
    }
    // Per unit pair: the dot product, summed in numpy's order (a's entries in order, then b's), and the
    // words shared. Pairs numbered as they are first met, then put in code order.
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut found: Vec<(i64, f64, i64)> = Vec::new(); // (code, dot, shared)
    let units_b = b.units as i64;
    for k in 0..a.word.len() {
        let w = a.word[k];
        if !usable(w) {
            continue;
        }
        let Some(matches) = by_word.get(&w) else { continue };
        let weight = isf[w as usize] * isf[w as usize];
        for &m in matches {
            let code = a.unit[k] * units_b + b.unit[m];
            let dot = a.count[k] * b.count[m] * weight;
            let at = *index.entry(code).or_insert_with(|| {
                found.push((code, 0.0, 0));
                found.len() - 1
            });
            found[at].1 += dot;
            found[at].2 += 1;
        }
    }
    found.sort_unstable_by_key(|f| f.0);
    let mut kept: Vec<(i64, i64, f64)> = Vec::new();
    for (code, dot, shared) in found {
        let (i, j) = ((code / units_b) as usize, (code % units_b) as usize);
        let cosine = dot / (norm_a[i] * norm_b[j]).max(1e-12);
        let dice = (2 * shared) as f64 / ((size_a[i] + size_b[j]).max(1)) as f64;
        let contained = shared as f64 / (size_a[i].min(size_b[j]).max(1)) as f64;
        let ok = (cosine >= t.cosine && dice >= t.dice)
            || (shared >= t.shared && contained >= t.contained && cosine >= t.contained_cosine);
        if ok {
            kept.push((i as i64, j as i64, cosine));
        }
    }
    let mut best_a = vec![0.0f64; a.units];
    let mut best_b = vec![0.0f64; b.units];
    for &(i, j, cosine) in &kept {
        best_a[i as usize] = best_a[i as usize].max(cosine);
        best_b[j as usize] = best_b[j as usize].max(cosine);
    }
    Ok(kept
        .into_iter()
        .filter(|&(i, j, cosine)| cosine >= best_a[i as usize] || cosine >= best_b[j as usize])
        .map(|(i, j, _)| (i, j))
        .unzip())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds {
        cosine: 0.33, dice: 0.33, shared: 4, contained: 0.6, contained_cosine: 0.25, max_units_of_word: 60,
    };

    #[test]
    fn a_shared_unit_is_a_seed() {
        // a: unit 0 = {0, 1, 2}, unit 1 = {3}; b: unit 0 = {4}, unit 1 = {0, 1, 2}.
        let isf = vec![1.0; 5];
        let a = Entries { word: &[0, 1, 2, 3], unit: &[0, 0, 0, 1], count: &[1.0; 4], units: 2, df: &[1, 1, 1, 1, 0] };
        let b = Entries { word: &[4, 0, 1, 2], unit: &[0, 1, 1, 1], count: &[1.0; 4], units: 2, df: &[1, 1, 1, 0, 1] };
        assert_eq!(seeds(&a, &b, &isf, &T).unwrap(), (vec![0], vec![1]));
    }

    #[test]
    fn refuses_ids_outside_the_vocabulary() {
        let isf = vec![1.0; 2];
        let a = Entries { word: &[5], unit: &[0], count: &[1.0], units: 1, df: &[0, 0] };
        let b = Entries { word: &[0], unit: &[0], count: &[1.0], units: 1, df: &[1, 0] };
        assert!(seeds(&a, &b, &isf, &T).is_err());
    }
}
