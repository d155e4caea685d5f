//! The phrase checks' inner loops: the language model's n-gram look-ups (`dedup.spin.language_model`) and the
//! per-word regression trees (`dedup.spin.word_model.Model.log_odds`).
//!
//! Each is the twin of a numpy function, which stays as the reference; the results are bit for bit the same
//! (every sum is done in the reference's order, in f64, and the f32 tables are widened exactly as numpy does).
//! The tables come from the shipped data, the ids from untrusted text: every index is checked, and a bad one
//! is an `Error`, never a read out of bounds.

use crate::{Error, Result};

/// The two multipliers of `BigramTable` (0x9E3779B97F4A7C15 and 0xC2B2AE3D27D4EB4F as int64).
pub const MULTIPLIERS: [i64; 2] = [-0x61C8864680B583EB, -0x3D4D51C2D82B14B1];

/// A table's slots: keys packed with their positions (`key << position_bits | position`), or positions only
/// (keys too wide to pack, read back from `keys`); -1 is an empty slot either way.
#[derive(Clone, Copy)]
pub enum Slots<'a> {
    Packed(&'a [i64]),
    Positions(&'a [i32]),
}

/// A `BigramTable` (dedup/spin/language_model.py): where each of a sorted array of distinct keys is.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    slots: Slots<'a>,
    keys: &'a [i64],
    stash: &'a [i64],
    slot_bits: u32,
    position_bits: u32,
}

impl<'a> Table<'a> {
    /// Checks the shapes: `1 << slot_bits` slots, bit counts that fit an int64, a stash of positions in `keys`.
    pub fn new(slots: Slots<'a>, keys: &'a [i64], stash: &'a [i64], slot_bits: u32, position_bits: u32) -> Result<Self> {
        if !(1..=62).contains(&slot_bits) || position_bits > 63 {
            return Err(Error(format!("bad table bits: {slot_bits} slot bits, {position_bits} position bits")));
        }
        let len = match slots {
            Slots::Packed(s) => s.len(),
            Slots::Positions(s) => s.len(),
        };
        if len != 1usize << slot_bits {
            return Err(Error(format!("the table has {len} slots, not 1 << {slot_bits}")));
        }
        if let Some(&bad) = stash.iter().find(|&&p| p < 0 || p as usize >= keys.len()) {
            return Err(Error(format!("stash position {bad} is outside the {} keys", keys.len())));
        }
        Ok(Table { slots, keys, stash, slot_bits, position_bits })
    }

    fn home(&self, query: i64, multiplier: i64) -> usize {
        // The reference's int64 arithmetic: a wrapping product, an arithmetic shift, then the mask.
        ((query.wrapping_mul(multiplier) >> (64 - self.slot_bits)) & ((1i64 << self.slot_bits) - 1)) as usize
    }

    /// The position in `keys` of `query`, -1 if it is not there (`BigramTable.find` of one query).
    pub fn find(&self, query: i64) -> Result<i64> {
        let mut at = -1i64;
        for multiplier in MULTIPLIERS {
            let slot = self.home(query, multiplier); // < 1 << slot_bits == the slots' length
            match self.slots {
                Slots::Packed(slots) => {
                    let entry = slots[slot];
                    if entry >> self.position_bits == query {
                        at = entry & ((1i64 << self.position_bits) - 1);
                    }
                }
                Slots::Positions(slots) => {
                    let entry = slots[slot] as i64;
                    if entry >= 0 {
                        let key = *self
                            .keys
                            .get(entry as usize)
                            .ok_or_else(|| Error(format!("slot {slot} holds position {entry}, past the keys")))?;
                        if key == query {
                            at = entry;
                        }
                    }
                }
            }
        }
        if at < 0 && !self.stash.is_empty() {
            // searchsorted over the stashed keys (sorted like the keys), then the equality test.
            let keys = self.keys;
            let where_ = self.stash.partition_point(|&p| keys[p as usize] < query).min(self.stash.len() - 1);
            if keys[self.stash[where_] as usize] == query {
                at = self.stash[where_];
            }
        }
        Ok(at)
    }
}

/// What the bigram and trigram look-ups read: `LanguageModel`'s arrays (per word id, then per listed n-gram).
#[derive(Clone, Copy)]
pub struct Model<'a> {
    pub unigram: &'a [f64],
    pub backoff: &'a [f64],
    pub in_model: &'a [bool],
    pub probs: &'a [f64],
    pub key_bits: u32,
    pub table: Table<'a>,
    pub bigram_backoff: &'a [f32],
    pub trigram_probs: &'a [f32],
    pub trigram_table: Table<'a>,
}

fn id_at<T: Copy>(values: &[T], id: i64, name: &str) -> Result<T> {
    // numpy's indexing: -1 (no word) reads the last entry, the unknown word's.
    let index = if id < 0 { id + values.len() as i64 } else { id };
    if index < 0 || index >= values.len() as i64 {
        return Err(Error(format!("word id {id} is outside the {} entries of {name}", values.len())));
    }
    Ok(values[index as usize])
}

fn listed_at<T: Copy>(values: &[T], at: i64, name: &str) -> Result<T> {
    values
        .get(at as usize)
        .copied()
        .ok_or_else(|| Error(format!("the table gave position {at}, outside the {} entries of {name}", values.len())))
}

impl<'a> Model<'a> {
    /// Checks that the per-id and per-n-gram arrays match and the keys fit in 63 bits.
    pub fn check(&self) -> Result<()> {
        let ids = self.unigram.len();
        if ids == 0 || self.backoff.len() != ids || self.in_model.len() != ids {
            return Err(Error("unigram, backoff and in_model must have one (same) length, at least 1".into()));
        }
        if self.probs.len() != self.table.keys.len() || self.bigram_backoff.len() != self.table.keys.len() {
            return Err(Error("probs and bigram_backoff must have one entry per bigram key".into()));
        }
        if self.trigram_probs.len() != self.trigram_table.keys.len() {
            return Err(Error("trigram_probs must have one entry per trigram key".into()));
        }
        if self.key_bits == 0 || 3 * self.key_bits > 63 {
            return Err(Error(format!("key_bits {} does not fit three ids in an int64", self.key_bits)));
        }
        Ok(())
    }

    fn known(&self, id: i64) -> Result<bool> {
        id_at(self.in_model, id, "in_model")
    }

    fn key_id(&self, id: i64) -> Result<i64> {
        // Ids inside the model are non-negative and below 1 << key_bits for the keys to be what numpy makes.
        if id < 0 || id >= 1i64 << self.key_bits {
            return Err(Error(format!("word id {id} does not fit {} key bits", self.key_bits)));
        }
        Ok(id)
    }

    /// `LanguageModel.follow` of one pair: log10 P(word | previous) and whether the bigram is listed.
    pub fn follow(&self, previous: i64, word: i64) -> Result<(f64, bool)> {
        let log_prob = id_at(self.backoff, previous, "backoff")? + id_at(self.unigram, word, "unigram")?;
        if self.known(previous)? && self.known(word)? {
            let at = self.table.find((self.key_id(previous)? << self.key_bits) | self.key_id(word)?)?;
            if at >= 0 {
                return Ok((listed_at(self.probs, at, "probs")?, true));
            }
        }
        Ok((log_prob, false))
    }

    /// `LanguageModel.follow2` of one triple: log10 P(word | before previous) and whether the trigram is listed.
    pub fn follow2(&self, before: i64, previous: i64, word: i64) -> Result<(f64, bool)> {
        let (mut log_prob, _) = self.follow(previous, word)?;
        if before >= 0 && self.known(before)? && self.known(previous)? {
            let (a, b, c) = (self.key_id(before)?, self.key_id(previous)?, word);
            let history = self.table.find((a << self.key_bits) | b)?;
            // The reference adds 0.0 for an unlisted history (which turns -0.0 into 0.0): so does this.
            log_prob += if history >= 0 { listed_at(self.bigram_backoff, history, "bigram_backoff")? as f64 } else { 0.0 };
            // The reference builds the trigram key from `word` as it is; a word outside the model (or -1)
            // makes a key that is never listed, or one numpy would build the same way.
            let at = self.trigram_table.find((a << (2 * self.key_bits)) | (b << self.key_bits) | c)?;
            if at >= 0 {
                return Ok((listed_at(self.trigram_probs, at, "trigram_probs")? as f64, true));
            }
        }
        Ok((log_prob, false))
    }
}

fn same_lengths(lengths: &[usize]) -> Result<usize> {
    let first = lengths[0];
    if lengths.iter().any(|&n| n != first) {
        return Err(Error(format!("the id arrays must have one length, not {lengths:?}")));
    }
    Ok(first)
}

/// Asks the CPU to fetch `values[index]` into the cache (nothing if `index` is out of range or not on x86-64).
#[inline(always)]
fn prefetch<T>(values: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(value) = values.get(index) {
        // SAFETY: a prefetch only hints the cache; the address is that of an element of the slice.
        #[allow(unused_unsafe)]
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(value as *const T as *const i8)
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (values, index);
}

impl Table<'_> {
    /// Fetches the two slots of `query` into the cache.
    fn prefetch_slots(&self, query: i64) {
        for multiplier in MULTIPLIERS {
            let slot = self.home(query, multiplier);
            match self.slots {
                Slots::Packed(slots) => prefetch(slots, slot),
                Slots::Positions(slots) => prefetch(slots, slot),
            }
        }
    }

    /// Fetches the keys the two slots of `query` point to (a table of positions only reads them back).
    fn prefetch_keys(&self, query: i64) {
        if let Slots::Positions(slots) = self.slots {
            for multiplier in MULTIPLIERS {
                let entry = slots[self.home(query, multiplier)];
                if entry >= 0 {
                    prefetch(self.keys, entry as usize);
                }
            }
        }
    }
}

// The look-ups go through the ids a block at a time, in stages: the keys of the whole block and a prefetch of
// their slots, then the finds, then the probabilities. The tables (32 MB of slots) miss the cache at almost
// every look-up, and one query after another a look-up waits for each miss in turn (measured: slower than
// numpy's gathers, which keep many misses in flight); a block's prefetches put them in flight together.
const BLOCK: usize = 64;

/// `follow` (no `before`) or `follow2` of every element, a block at a time; see `Model::follow2`.
fn score_all(
    model: &Model<'_>,
    before: Option<&[i64]>,
    previous: &[i64],
    word: &[i64],
    log_prob: &mut [f64],
    listed: &mut [bool],
) -> Result<()> {
    model.check()?;
    let n = same_lengths(&[previous.len(), word.len(), log_prob.len(), listed.len()])?;
    if let Some(before) = before {
        same_lengths(&[before.len(), n])?;
    }
    // Per element of the block: the bigram, history and trigram keys (-1: not looked up), then where they are.
    let (mut bigram, mut history, mut trigram) = ([-1i64; BLOCK], [-1i64; BLOCK], [-1i64; BLOCK]);
    let (mut at_bigram, mut at_history, mut at_trigram) = ([-1i64; BLOCK], [-1i64; BLOCK], [-1i64; BLOCK]);
    for start in (0..n).step_by(BLOCK) {
        let end = (start + BLOCK).min(n);
        for i in start..end {
            let (j, p, w) = (i - start, previous[i], word[i]);
            log_prob[i] = id_at(model.backoff, p, "backoff")? + id_at(model.unigram, w, "unigram")?;
            listed[i] = false;
            let known_previous = model.known(p)?;
            bigram[j] = -1;
            if known_previous && model.known(w)? {
                bigram[j] = (model.key_id(p)? << model.key_bits) | model.key_id(w)?;
                model.table.prefetch_slots(bigram[j]);
            }
            (history[j], trigram[j]) = (-1, -1);
            if let Some(before) = before {
                let b = before[i];
                if b >= 0 && model.known(b)? && known_previous {
                    let (a, b) = (model.key_id(b)?, model.key_id(p)?);
                    history[j] = (a << model.key_bits) | b;
                    model.table.prefetch_slots(history[j]);
                    // Built from `word` as it is, as the reference does: a negative word makes a negative key,
                    // which is never listed (the keys are not negative), so it is not looked up.
                    trigram[j] = (a << (2 * model.key_bits)) | (b << model.key_bits) | w;
                    if trigram[j] >= 0 {
                        model.trigram_table.prefetch_slots(trigram[j]);
                    }
                }
            }
        }
        let len = end - start;
        for j in 0..len {
            if trigram[j] >= 0 {
                model.trigram_table.prefetch_keys(trigram[j]);
            }
            if bigram[j] >= 0 {
                model.table.prefetch_keys(bigram[j]);
            }
        }
        for j in 0..len {
            at_bigram[j] = if bigram[j] >= 0 { model.table.find(bigram[j])? } else { -1 };
            if at_bigram[j] >= 0 {
                prefetch(model.probs, at_bigram[j] as usize);
            }
            at_history[j] = if history[j] >= 0 { model.table.find(history[j])? } else { -1 };
            if at_history[j] >= 0 {
                prefetch(model.bigram_backoff, at_history[j] as usize);
            }
            at_trigram[j] = if trigram[j] >= 0 { model.trigram_table.find(trigram[j])? } else { -1 };
            if at_trigram[j] >= 0 {
                prefetch(model.trigram_probs, at_trigram[j] as usize);
            }
        }
        for j in 0..len {
            let i = start + j;
            if at_bigram[j] >= 0 {
                log_prob[i] = listed_at(model.probs, at_bigram[j], "probs")?;
                listed[i] = before.is_none();
            }
            if history[j] >= 0 {
                // The reference adds 0.0 for an unlisted history (which turns -0.0 into 0.0): so does this.
                log_prob[i] += if at_history[j] >= 0 {
                    listed_at(model.bigram_backoff, at_history[j], "bigram_backoff")? as f64
                } else {
                    0.0
                };
                if at_trigram[j] >= 0 {
                    log_prob[i] = listed_at(model.trigram_probs, at_trigram[j], "trigram_probs")? as f64;
                    listed[i] = true;
                }
            }
        }
    }
    Ok(())
}

/// `follow` of every pair `(previous[i], word[i])` into `log_prob` and `listed`.
pub fn follow_all(model: &Model<'_>, previous: &[i64], word: &[i64], log_prob: &mut [f64], listed: &mut [bool]) -> Result<()> {
    score_all(model, None, previous, word, log_prob, listed)
}

/// `follow2` of every triple `(before[i], previous[i], word[i])` into `log_prob` and `listed`.
pub fn follow2_all(
    model: &Model<'_>,
    before: &[i64],
    previous: &[i64],
    word: &[i64],
    log_prob: &mut [f64],
    listed: &mut [bool],
) -> Result<()> {
    score_all(model, Some(before), previous, word, log_prob, listed)
}

/// The position of each query in the table, -1 for those not there (`BigramTable.find`).
pub fn find_all(table: &Table<'_>, queries: &[i64], out: &mut [i64]) -> Result<()> {
    same_lengths(&[queries.len(), out.len()])?;
    for (queries, out) in queries.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
        queries.iter().for_each(|&q| table.prefetch_slots(q));
        queries.iter().for_each(|&q| table.prefetch_keys(q));
        for (o, &q) in out.iter_mut().zip(queries) {
            *o = table.find(q)?;
        }
    }
    Ok(())
}

/// `Model.log_odds`: the baseline plus, tree after tree, the leaf each row of `features` (`columns` wide,
/// row-major) reaches. A tree is a complete binary tree of `depth` levels: slot `k` sends a row left when
/// `row[feature[k]] <= split[k]` (not for NaN), its children are `2k + 1` and `2k + 2`, and the `1 << depth`
/// leaves follow. The sum runs over the trees in order, as the reference adds them, so the bits are the same.
#[allow(clippy::too_many_arguments)]
pub fn tree_log_odds(
    features: &[f64],
    columns: usize,
    feature: &[i64],
    split: &[f64],
    value: &[f64],
    depth: u32,
    baseline: f64,
    out: &mut [f64],
) -> Result<()> {
    if depth > 20 {
        return Err(Error(format!("tree depth {depth} is too deep")));
    }
    let inner = (1usize << depth) - 1;
    let trees = if inner == 0 { value.len() } else { feature.len() / inner };
    if feature.len() != trees * inner || split.len() != trees * inner || value.len() != trees * (inner + 1) {
        return Err(Error(format!(
            "{} features, {} splits and {} values do not make trees of depth {depth}",
            feature.len(),
            split.len(),
            value.len()
        )));
    }
    if let Some(&bad) = feature.iter().find(|&&f| f < 0 || f as usize >= columns) {
        return Err(Error(format!("a tree tests feature {bad}, outside the {columns} columns")));
    }
    let rows = out.len();
    if features.len() != rows * columns {
        return Err(Error(format!("{} feature values are not {rows} rows of {columns}", features.len())));
    }
    // A few rows walk each tree side by side: a row's path is a chain of dependent loads and tests, and the
    // chains of different rows overlap in the CPU (measured: one row at a time was barely faster than numpy).
    const ROWS: usize = 8;
    for (block, out) in out.chunks_mut(ROWS).enumerate() {
        let first = block * ROWS;
        let mut totals = [baseline; ROWS];
        for t in 0..trees {
            let (feature, split) = (&feature[t * inner..(t + 1) * inner], &split[t * inner..(t + 1) * inner]);
            let leaves = &value[t * (inner + 1)..(t + 1) * (inner + 1)];
            for (k, total) in totals.iter_mut().enumerate().take(out.len()) {
                let row = &features[(first + k) * columns..(first + k + 1) * columns];
                let mut slot = 0;
                for _ in 0..depth {
                    // Left (2k + 1) when the test holds, right (2k + 2) otherwise, NaN included.
                    slot = 2 * slot + 2 - usize::from(row[feature[slot] as usize] <= split[slot]);
                }
                *total += leaves[slot - inner];
            }
        }
        out.copy_from_slice(&totals[..out.len()]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xorshift;

    /// A table built the simple way: each key at the first of its two homes that is free, else the stash.
    fn build(keys: &[i64], slot_bits: u32, packed: bool) -> (Vec<i64>, Vec<i32>, Vec<i64>, u32) {
        let position_bits = 64 - ((keys.len().max(2) - 1) as u64).leading_zeros();
        let mut positions = vec![-1i32; 1 << slot_bits];
        let mut stash = Vec::new();
        let mask = (1i64 << slot_bits) - 1;
        for (p, &k) in keys.iter().enumerate() {
            let homes = MULTIPLIERS.map(|m| ((k.wrapping_mul(m) >> (64 - slot_bits)) & mask) as usize);
            match homes.iter().find(|&&h| positions[h] < 0) {
                Some(&h) => positions[h] = p as i32,
                None => stash.push(p as i64),
            }
        }
        let packed_slots = if packed {
            positions.iter().map(|&p| if p < 0 { -1 } else { (keys[p as usize] << position_bits) | p as i64 }).collect()
        } else {
            Vec::new()
        };
        (packed_slots, positions, stash, position_bits)
    }

    #[test]
    fn find_answers_every_key_and_only_them() {
        let mut next = xorshift(7);
        for (n, slot_bits, packed) in [(0usize, 1u32, true), (50, 3, true), (300, 9, false), (1000, 11, true)] {
            let mut keys: Vec<i64> = (0..n).map(|_| (next() >> 30) as i64).collect();
            keys.sort_unstable();
            keys.dedup();
            let (packed_slots, positions, stash, position_bits) = build(&keys, slot_bits, packed);
            let slots = if packed { Slots::Packed(&packed_slots) } else { Slots::Positions(&positions) };
            let table = Table::new(slots, &keys, &stash, slot_bits, position_bits).unwrap();
            for (p, &k) in keys.iter().enumerate() {
                assert_eq!(table.find(k).unwrap(), p as i64, "key {k} of {n}");
            }
            for _ in 0..200 {
                let q = (next() >> 30) as i64;
                let want = keys.binary_search(&q).map(|p| p as i64).unwrap_or(-1);
                assert_eq!(table.find(q).unwrap(), want);
            }
        }
    }

    #[test]
    fn bad_tables_and_ids_are_errors() {
        let keys = [1i64, 5];
        assert!(Table::new(Slots::Packed(&[-1; 3]), &keys, &[], 2, 1).is_err()); // not 1 << 2 slots
        assert!(Table::new(Slots::Packed(&[-1; 4]), &keys, &[2], 2, 1).is_err()); // stash past the keys
        let positions = [7i32, 7, 7, 7];
        let table = Table::new(Slots::Positions(&positions), &keys, &[], 2, 1).unwrap();
        assert!(table.find(3).is_err()); // a slot pointing past the keys
        let empty = Table::new(Slots::Packed(&[-1; 4]), &[], &[], 2, 1).unwrap();
        let model = Model {
            unigram: &[-1.0, -2.0],
            backoff: &[-0.5, 0.0],
            in_model: &[true, false],
            probs: &[],
            key_bits: 4,
            table: empty,
            bigram_backoff: &[],
            trigram_probs: &[],
            trigram_table: empty,
        };
        assert_eq!(model.follow(-1, 0).unwrap(), (-1.0, false)); // -1 reads the unknown word's entry
        assert!(model.follow(2, 0).is_err());
        assert!(model.follow(0, -3).is_err());
        let (mut lp, mut listed) = (vec![0.0; 1], vec![false; 2]);
        assert!(follow_all(&model, &[0], &[0], &mut lp, &mut listed).is_err());
    }

    #[test]
    fn block_look_ups_equal_the_one_at_a_time_ones() {
        // A small model whose bigrams and trigrams are random pairs of its ids (the last id is the unknown
        // word's): the block kernels must give what `follow` and `follow2` give for each element alone.
        let mut next = xorshift(3);
        let (ids, key_bits) = (40usize, 6u32);
        let unigram: Vec<f64> = (0..ids).map(|_| -((next() % 1000) as f64) / 137.0).collect();
        let backoff: Vec<f64> = (0..ids).map(|i| if i == ids - 1 { 0.0 } else { -((next() % 100) as f64) / 31.0 }).collect();
        let in_model: Vec<bool> = (0..ids).map(|i| i != ids - 1 && next() % 5 != 0).collect();
        let mut keys: Vec<i64> = (0..300).map(|_| ((next() % 39) << key_bits | (next() % 39)) as i64).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut trigram_keys: Vec<i64> = (0..400)
            .map(|_| ((next() % 39) << (2 * key_bits) | (next() % 39) << key_bits | (next() % 39)) as i64)
            .collect();
        trigram_keys.sort_unstable();
        trigram_keys.dedup();
        let probs: Vec<f64> = keys.iter().map(|_| -((next() % 500) as f64) / 77.0).collect();
        let bigram_backoff: Vec<f32> = keys.iter().map(|_| -((next() % 500) as f32) / 71.0).collect();
        let trigram_probs: Vec<f32> = trigram_keys.iter().map(|_| -((next() % 500) as f32) / 73.0).collect();
        // Few slots, so that some keys land in the stash.
        let (packed_slots, _, stash, position_bits) = build(&keys, 9, true);
        let (_, positions, trigram_stash, trigram_position_bits) = build(&trigram_keys, 9, false);
        assert!(!stash.is_empty() && !trigram_stash.is_empty());
        let model = Model {
            unigram: &unigram,
            backoff: &backoff,
            in_model: &in_model,
            probs: &probs,
            key_bits,
            table: Table::new(Slots::Packed(&packed_slots), &keys, &stash, 9, position_bits).unwrap(),
            bigram_backoff: &bigram_backoff,
            trigram_probs: &trigram_probs,
            trigram_table: Table::new(Slots::Positions(&positions), &trigram_keys, &trigram_stash, 9, trigram_position_bits)
                .unwrap(),
        };
        let n = 3 * BLOCK + 5;
        let mut id = || (next() % (ids as u64 + 1)) as i64 - 1; // -1 (no word) to the unknown word's id
        let (before, previous, word): (Vec<i64>, Vec<i64>, Vec<i64>) = (
            (0..n).map(|_| id()).collect(),
            (0..n).map(|_| id()).collect(),
            (0..n).map(|_| id()).collect(),
        );
        let (mut log_prob, mut listed) = (vec![0.0; n], vec![false; n]);
        follow_all(&model, &previous, &word, &mut log_prob, &mut listed).unwrap();
        let mut hits = 0;
        for i in 0..n {
            let (want, want_listed) = model.follow(previous[i], word[i]).unwrap();
            assert_eq!((log_prob[i].to_bits(), listed[i]), (want.to_bits(), want_listed), "bigram {i}");
            hits += usize::from(listed[i]);
        }
        follow2_all(&model, &before, &previous, &word, &mut log_prob, &mut listed).unwrap();
        let mut trigram_hits = 0;
        for i in 0..n {
            let (want, want_listed) = model.follow2(before[i], previous[i], word[i]).unwrap();
            assert_eq!((log_prob[i].to_bits(), listed[i]), (want.to_bits(), want_listed), "trigram {i}");
            trigram_hits += usize::from(listed[i]);
        }
        assert!(hits > 10 && trigram_hits > 0, "{hits} bigrams and {trigram_hits} trigrams listed");
        let mut at = vec![0i64; keys.len()];
        find_all(&model.table, &keys, &mut at).unwrap();
        assert_eq!(at, (0..keys.len() as i64).collect::<Vec<_>>());
    }

    #[test]
    fn trees_walk_like_the_level_by_level_reference() {
        let mut next = xorshift(11);
        let (columns, depth, trees, rows) = (5usize, 3u32, 7usize, 40usize);
        let inner = (1usize << depth) - 1;
        let feature: Vec<i64> = (0..trees * inner).map(|_| (next() % columns as u64) as i64).collect();
        let split: Vec<f64> = (0..trees * inner).map(|_| (next() % 7) as f64 - 3.0).collect();
        let value: Vec<f64> = (0..trees * (inner + 1)).map(|_| (next() % 1000) as f64 / 97.0 - 5.0).collect();
        let mut features: Vec<f64> = (0..rows * columns).map(|_| (next() % 9) as f64 - 4.0).collect();
        features[3] = f64::NAN; // NaN is never <= a split: it goes right
        let mut out = vec![0.0; rows];
        tree_log_odds(&features, columns, &feature, &split, &value, depth, 0.25, &mut out).unwrap();
        for r in 0..rows {
            let mut want = 0.25;
            for t in 0..trees {
                // The reference's leaf: the turns as bits, right = 1, the first turn the highest bit.
                let (mut slot, mut leaf) = (0usize, 0usize);
                for _ in 0..depth {
                    let left = features[r * columns + feature[t * inner + slot] as usize] <= split[t * inner + slot];
                    leaf = (leaf << 1) | usize::from(!left);
                    slot = 2 * slot + 1 + usize::from(!left);
                }
                want += value[t * (inner + 1) + leaf];
            }
            assert_eq!(out[r].to_bits(), want.to_bits(), "row {r}");
        }
        assert!(tree_log_odds(&features, columns, &[9; 7], &[0.0; 7], &[0.0; 8], depth, 0.0, &mut out).is_err());
        assert!(tree_log_odds(&features[1..], columns, &feature, &split, &value, depth, 0.0, &mut out).is_err());
        let mut none = vec![];
        tree_log_odds(&[], columns, &feature, &split, &value, depth, 0.0, &mut none).unwrap();
    }
}
