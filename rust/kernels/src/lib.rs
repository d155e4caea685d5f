//! dedup's hot loops in plain Rust, over whole batches: flat arrays in, flat arrays out.
//!
//! Each kernel is the twin of a numpy function of the Python package, which stays as the reference (property
//! tests in `tests/` hold the two equal). Nothing here knows about Python: the `dedup-core` crate converts
//! arrays and releases the GIL. Inputs may come from untrusted text, so every kernel checks the shapes and
//! offsets it is given and returns an `Error` instead of indexing out of bounds.

pub mod anchors;
pub mod blocks;
pub mod features;
pub mod lines;
pub mod lsh;
pub mod minhash;
pub mod phrases;
pub mod seeds;
pub mod sets;
pub mod spans;
pub mod tokens;
pub mod words;

use std::fmt;

/// A kernel's inputs did not fit together (lengths, offsets); the message says which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// `f` of each item, in order, on `threads` threads (in this thread alone when `threads` is 1 or there are
/// few items). Each thread keeps one `init()` of scratch space for all the items it takes.
///
/// The threads are a pool of this call's own, not rayon's global one: dedup's local engine forks worker
/// processes, and a process forked after the global pool started would wait forever on threads it does not
/// have. Building the pool costs far less than the batch of documents it works through.
pub fn parallel_map<T, S, R>(
    items: &[T],
    threads: usize,
    per_task: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, &T) -> R + Sync + Send,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    use rayon::prelude::*;
    let sequential = || {
        let mut scratch = init();
        items.iter().map(|x| f(&mut scratch, x)).collect()
    };
    if threads <= 1 || items.len() < 2 * per_task {
        return sequential();
    }
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(|| items.par_iter().with_min_len(per_task).map_init(&init, |s, x| f(s, x)).collect()),
        Err(_) => sequential(), // no threads to be had: the work is the same in one
    }
}

/// Checks that `offsets` cut `len` values into consecutive runs: starts at 0, never decreases, ends at `len`.
pub fn check_offsets(offsets: &[i64], len: usize) -> Result<()> {
    if offsets.is_empty() {
        return Err(Error("offsets must hold at least one value (0)".into()));
    }
    if offsets[0] != 0 {
        return Err(Error(format!("offsets must start at 0, not {}", offsets[0])));
    }
    if offsets.windows(2).any(|w| w[1] < w[0]) {
        return Err(Error("offsets must never decrease".into()));
    }
    let last = offsets[offsets.len() - 1];
    if last != len as i64 {
        return Err(Error(format!("offsets end at {last} but there are {len} values")));
    }
    Ok(())
}

/// A small seeded generator (xorshift64) for the kernels' randomised tests.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_the_order_whatever_the_threads() {
        let items: Vec<u64> = (0..1000).collect();
        let want: Vec<u64> = items.iter().map(|x| x * x).collect();
        for threads in [0, 1, 2, 5] {
            let got = parallel_map(&items, threads, 7, Vec::<u64>::new, |seen, &x| {
                seen.push(x); // scratch of its own per thread
                x * x
            });
            assert_eq!(got, want, "{threads} threads");
        }
    }
}
