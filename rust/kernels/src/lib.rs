//! dedup's hot loops in plain Rust, over whole batches: flat arrays in, flat arrays out.
//!
//! Each kernel is the twin of a numpy function of the Python package, which stays as the reference (property
//! tests in `tests/` hold the two equal). Nothing here knows about Python: the `dedup-core` crate converts
//! arrays and releases the GIL. Inputs may come from untrusted text, so every kernel checks the shapes and
//! offsets it is given and returns an `Error` instead of indexing out of bounds.

pub mod features;
pub mod lines;
pub mod lsh;
pub mod minhash;
pub mod sets;
pub mod spans;
pub mod tokens;

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
