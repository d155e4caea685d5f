//! The module `dedup._core`: dedup-kernels for Python. This layer only converts arrays, releases the GIL
//! around each kernel and turns failures into Python exceptions; the loops live in `dedup-kernels`.
//!
//! A kernel's bad input is a `ValueError`. A panic (a bug: kernels check their input and return errors) is
//! caught before it reaches Python and raised as `KernelError`, which `dedup.kernels` turns into a one-line
//! `DedupError`; the default panic hook, which would print a Rust backtrace note to stderr, is silenced.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dedup_kernels::{anchors, features, lines, lsh, minhash, sets, spans, tokens};
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

create_exception!(_core, KernelError, PyRuntimeError, "A compiled kernel failed (a bug in dedup, not in the input).");

/// Runs `f` without the GIL; its error becomes a ValueError and a panic a KernelError naming `kernel`.
fn run<T: Send>(py: Python<'_>, kernel: &str, f: impl FnOnce() -> dedup_kernels::Result<T> + Send) -> PyResult<T> {
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(PyValueError::new_err(format!("{kernel}: {err}"))),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(KernelError::new_err(format!("{kernel} panicked: {message}")))
        }
    }
}

fn slice<'a, T: numpy::Element>(array: &'a PyReadonlyArray1<'_, T>, name: &str) -> PyResult<&'a [T]> {
    array.as_slice().map_err(|_| PyValueError::new_err(format!("{name} must be a contiguous array")))
}

/// The elements of a 2-D array, row after row, or a ValueError naming it when it is not C-contiguous.
fn slice2<'a, T: numpy::Element>(array: &'a PyReadonlyArray2<'_, T>, name: &str) -> PyResult<&'a [T]> {
    array.as_slice().map_err(|_| PyValueError::new_err(format!("{name} must be a C-contiguous array")))
}

/// MinHash signatures of the sets `values[offsets[i]:offsets[i+1]]`: a (sets, len(a)) uint32 array.
#[pyfunction]
fn minhash_signatures<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, u32>,
    offsets: PyReadonlyArray1<'py, i64>,
    a: PyReadonlyArray1<'py, u32>,
    b: PyReadonlyArray1<'py, u32>,
) -> PyResult<Bound<'py, PyArray2<u32>>> {
    let (values, offsets) = (slice(&values, "values")?, slice(&offsets, "offsets")?);
    let (a, b) = (slice(&a, "a")?, slice(&b, "b")?);
    let sets = offsets.len().saturating_sub(1);
    let out = run(py, "minhash_signatures", || {
        let mut out = vec![0u32; sets * a.len()];
        minhash::signatures(values, offsets, a, b, &mut out)?;
        Ok(out)
    })?;
    let out = Array2::from_shape_vec((sets, a.len()), out).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(out.into_pyarray(py))
}

/// The LSH keys of `bands` (each `rows` columns) of every signature: a (len(bands), n) uint64 array.
#[pyfunction]
fn band_keys<'py>(
    py: Python<'py>,
    sigs: PyReadonlyArray2<'py, u32>,
    bands: PyReadonlyArray1<'py, i64>,
    rows: usize,
) -> PyResult<Bound<'py, PyArray2<u64>>> {
    let (n, num_perm) = (sigs.shape()[0], sigs.shape()[1]);
    let sigs = slice2(&sigs, "sigs")?;
    let bands = slice(&bands, "bands")?;
    let out = run(py, "band_keys", || {
        let mut out = vec![0u64; bands.len() * n];
        lsh::band_keys(sigs, num_perm, bands, rows, &mut out)?;
        Ok(out)
    })?;
    let out = Array2::from_shape_vec((bands.len(), n), out).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(out.into_pyarray(py))
}

macro_rules! span_sums_of {
    ($name:ident, $t:ty) => {
        /// The sum of each span `values[starts[i]:ends[i]]` (see dedup.text.hashing.span_sums).
        #[pyfunction]
        fn $name<'py>(
            py: Python<'py>,
            values: PyReadonlyArray1<'py, $t>,
            starts: PyReadonlyArray1<'py, i64>,
            ends: PyReadonlyArray1<'py, i64>,
        ) -> PyResult<Bound<'py, PyArray1<u64>>> {
            let values = slice(&values, "values")?;
            let (starts, ends) = (slice(&starts, "starts")?, slice(&ends, "ends")?);
            let out = run(py, stringify!($name), || {
                let mut out = vec![0u64; starts.len()];
                spans::span_sums(values, starts, ends, &mut out)?;
                Ok(out)
            })?;
            Ok(PyArray1::from_vec(py, out))
        }
    };
}

span_sums_of!(span_sums_u8, u8);
span_sums_of!(span_sums_u64, u64);

/// The word hash of each byte span `data[starts[i]:ends[i]]` (see dedup.text.hashing.hash_spans).
#[pyfunction]
fn hash_spans<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, u8>,
    starts: PyReadonlyArray1<'py, i64>,
    ends: PyReadonlyArray1<'py, i64>,
) -> PyResult<Bound<'py, PyArray1<u64>>> {
    let data = slice(&data, "data")?;
    let (starts, ends) = (slice(&starts, "starts")?, slice(&ends, "ends")?);
    let out = run(py, "hash_spans", || {
        let mut out = vec![0u64; starts.len()];
        spans::hash_spans(data, starts, ends, &mut out)?;
        Ok(out)
    })?;
    Ok(PyArray1::from_vec(py, out))
}

type TokenArrays<'py> = (
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<bool>>,
    Bound<'py, PyArray1<u32>>,
    Bound<'py, PyArray1<i64>>,
);

/// The tokens of a batch of ASCII texts (see dedup.text.batch.ascii_tokens): hashes, doc, is_mark, codes,
/// code_doc. `tables` is a (5, 256) array of flags: word, joiner, end, closing and space bytes.
#[pyfunction]
fn ascii_tokens<'py>(
    py: Python<'py>,
    raw: PyReadonlyArray1<'py, u8>,
    data: PyReadonlyArray1<'py, u8>,
    text_end: PyReadonlyArray1<'py, i64>,
    tables: PyReadonlyArray2<'py, u8>,
    mark_hash: u64,
) -> PyResult<TokenArrays<'py>> {
    let (raw, data, text_end) = (slice(&raw, "raw")?, slice(&data, "data")?, slice(&text_end, "text_end")?);
    let t = token_tables(&tables)?;
    let found = run(py, "ascii_tokens", || tokens::ascii_tokens(raw, data, text_end, &t, mark_hash))?;
    Ok((
        PyArray1::from_vec(py, found.hashes),
        PyArray1::from_vec(py, found.doc),
        PyArray1::from_vec(py, found.is_mark),
        PyArray1::from_vec(py, found.codes),
        PyArray1::from_vec(py, found.code_doc),
    ))
}

/// The settings of the features kernels, in the order Python passes them: n-gram, character n-gram,
/// character sample, shortest keyed sentence, passage key words, repeat window.
type FeatureSizes = (usize, usize, u64, usize, usize, usize);

fn feature_params(sizes: FeatureSizes, function_words: &PyReadonlyArray1<'_, u64>) -> PyResult<features::Params> {
    let (ngram, char_ngram, char_sample, sentence_min_words, passage_words, repeat_words) = sizes;
    Ok(features::Params {
        ngram,
        char_ngram,
        char_sample,
        sentence_min_words,
        passage_words,
        repeat_words,
        function_words: slice(function_words, "function_words")?.to_vec(),
    })
}

type RaggedArrays<'py> = (Bound<'py, PyArray1<u32>>, Bound<'py, PyArray1<i64>>);
type FeatureArrays<'py> = (
    RaggedArrays<'py>,
    RaggedArrays<'py>,
    RaggedArrays<'py>,
    RaggedArrays<'py>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<bool>>,
    Bound<'py, PyArray2<u32>>,
);

fn feature_arrays(py: Python<'_>, found: features::Features, num_perm: usize) -> PyResult<FeatureArrays<'_>> {
    let ragged = |r: features::Ragged| (PyArray1::from_vec(py, r.values), PyArray1::from_vec(py, r.offsets));
    let count = found.lengths.len();
    let sigs = Array2::from_shape_vec((if num_perm == 0 { 0 } else { count }, num_perm), found.signatures)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok((
        ragged(found.words),
        ragged(found.chars),
        ragged(found.sentences),
        ragged(found.passages),
        PyArray1::from_vec(py, found.lengths),
        PyArray1::from_vec(py, found.may_repeat),
        sigs.into_pyarray(py),
    ))
}

/// The token arrays of texts (hashes, doc, is_mark, codes, code_doc), as dedup.text.batch.TokenArrays.
type TokenInput<'py> = (
    PyReadonlyArray1<'py, u64>,
    PyReadonlyArray1<'py, i64>,
    PyReadonlyArray1<'py, bool>,
    PyReadonlyArray1<'py, u32>,
    PyReadonlyArray1<'py, i64>,
);

/// The features of a batch of texts (see dedup.sketch.features.feature_arrays): its ASCII texts laid out as
/// for `ascii_tokens`, each at its place `ascii_at` in the batch, and the token arrays (dedup.text.batch.
/// TokenArrays) of the others, numbered by place; `count` texts in all. Returns (values, offsets) of the word,
/// character, sentence and passage sets, the lengths, the repeat flags and the character sets' signatures
/// under permutations `a`, `b` (none when they are empty). The texts are shared out between `threads` threads.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn batch_features<'py>(
    py: Python<'py>,
    raw: PyReadonlyArray1<'py, u8>,
    data: PyReadonlyArray1<'py, u8>,
    text_end: PyReadonlyArray1<'py, i64>,
    ascii_at: PyReadonlyArray1<'py, i64>,
    others: TokenInput<'py>,
    count: usize,
    tables: PyReadonlyArray2<'py, u8>,
    mark_hash: u64,
    sizes: FeatureSizes,
    function_words: PyReadonlyArray1<'py, u64>,
    a: PyReadonlyArray1<'py, u32>,
    b: PyReadonlyArray1<'py, u32>,
    threads: usize,
) -> PyResult<FeatureArrays<'py>> {
    let ascii = features::AsciiTexts {
        raw: slice(&raw, "raw")?,
        data: slice(&data, "data")?,
        text_end: slice(&text_end, "text_end")?,
        at: slice(&ascii_at, "ascii_at")?,
    };
    let (hashes, doc, is_mark, codes, code_doc) = &others;
    let tokens = features::TokenTexts {
        hashes: slice(hashes, "hashes")?,
        doc: slice(doc, "doc")?,
        is_mark: slice(is_mark, "is_mark")?,
        codes: slice(codes, "codes")?,
        code_doc: slice(code_doc, "code_doc")?,
    };
    let t = token_tables(&tables)?;
    let params = feature_params(sizes, &function_words)?;
    let (a, b) = (slice(&a, "a")?, slice(&b, "b")?);
    let found = run(py, "batch_features", || {
        features::batch_features(&ascii, &tokens, count, &t, mark_hash, &params, a, b, threads)
    })?;
    feature_arrays(py, found, a.len())
}

type LineArrays<'py> =
    (Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<i64>>);

/// The lines of a batch of ASCII texts (see dedup.text.batch.TextBatch.line_key_sets): each text's normalised
/// form and its distinct line keys, as (bytes, offsets, keys, offsets). `tables` as for `ascii_tokens`.
#[pyfunction]
fn ascii_lines<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, u8>,
    text_end: PyReadonlyArray1<'py, i64>,
    tables: PyReadonlyArray2<'py, u8>,
    threads: usize,
) -> PyResult<LineArrays<'py>> {
    let (data, text_end) = (slice(&data, "data")?, slice(&text_end, "text_end")?);
    let t = token_tables(&tables)?;
    let found = run(py, "ascii_lines", || lines::ascii_lines(data, text_end, &t.space, threads))?;
    Ok((
        PyArray1::from_vec(py, found.normalized),
        PyArray1::from_vec(py, found.normalized_offsets),
        PyArray1::from_vec(py, found.keys),
        PyArray1::from_vec(py, found.key_offsets),
    ))
}

fn token_tables(tables: &PyReadonlyArray2<'_, u8>) -> PyResult<tokens::Tables> {
    if tables.shape() != [5, 256] {
        return Err(PyValueError::new_err("tables must be a (5, 256) array"));
    }
    let flags = slice2(tables, "tables")?;
    let row = |k: usize| -> [bool; 256] { std::array::from_fn(|b| flags[k * 256 + b] != 0) };
    Ok(tokens::Tables { word: row(0), joiner: row(1), end: row(2), closing: row(3), space: row(4) })
}

/// How many values two sorted distinct uint32 arrays share (see dedup.verify.relations.shared_count). Small
/// enough that the GIL is kept: releasing it would cost more than the count.
#[pyfunction]
fn shared_count(a: &Bound<'_, PyArray1<u32>>, b: &Bound<'_, PyArray1<u32>>) -> PyResult<usize> {
    // SAFETY: the GIL is held throughout and nothing here writes to either array, nor can another thread
    // while it is held; `as_slice` checks that each is contiguous. (numpy's borrow tracking, which a
    // PyReadonlyArray would register, costs more than the count itself, and verification counts twice a pair.)
    let (a, b) = unsafe { (a.as_slice(), b.as_slice()) };
    let contiguous = || PyValueError::new_err("shared_count takes contiguous arrays");
    Ok(sets::shared_count(a.map_err(|_| contiguous())?, b.map_err(|_| contiguous())?))
}

/// `shared_count` of the sets `left[p]` and `right[p]` for every pair `p`, the sets lying in `parts` of
/// `per_part` sets each, part `q` being `values[q]` cut at `offsets[q]` (see
/// dedup.verify.screen.pair_shared_counts): a uint64 array.
#[pyfunction]
fn pair_shared_counts<'py>(
    py: Python<'py>,
    values: Vec<PyReadonlyArray1<'py, u32>>,
    offsets: Vec<PyReadonlyArray1<'py, i64>>,
    per_part: usize,
    left: PyReadonlyArray1<'py, i64>,
    right: PyReadonlyArray1<'py, i64>,
) -> PyResult<Bound<'py, PyArray1<u64>>> {
    if values.len() != offsets.len() {
        return Err(PyValueError::new_err(format!(
            "pair_shared_counts: {} value arrays but {} offset arrays",
            values.len(),
            offsets.len()
        )));
    }
    let parts = values
        .iter()
        .zip(&offsets)
        .map(|(v, o)| Ok((slice(v, "values")?, slice(o, "offsets")?)))
        .collect::<PyResult<Vec<_>>>()?;
    let (left, right) = (slice(&left, "left")?, slice(&right, "right")?);
    let out = run(py, "pair_shared_counts", || {
        let mut out = vec![0u64; left.len()];
        sets::pair_shared_counts(&parts, per_part, left, right, &mut out)?;
        Ok(out)
    })?;
    Ok(PyArray1::from_vec(py, out))
}

// --- The anchors of ASCII texts (dedup.stages.analyse._anchor_sets; rust/kernels/src/anchors.rs). ---

/// The anchors of a batch of ASCII texts laid end to end in `data` (text `i` ends at `text_end[i]`), as
/// (values, offsets): each text's sorted distinct 32-bit anchor hashes. `skeleton` and `generic` are the
/// skeleton and generic words joined by newlines, `breaks` the marks before a capital that open a sentence.
#[pyfunction]
fn ascii_anchors<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, u8>,
    text_end: PyReadonlyArray1<'py, i64>,
    skeleton: &[u8],
    generic: &[u8],
    breaks: &[u8],
    threads: usize,
) -> PyResult<(Bound<'py, PyArray1<u32>>, Bound<'py, PyArray1<i64>>)> {
    let (data, text_end) = (slice(&data, "data")?, slice(&text_end, "text_end")?);
    let words = anchors::AnchorWords::of(skeleton, generic, breaks);
    let (values, offsets) = run(py, "ascii_anchors", || anchors::batch_anchors(data, text_end, &words, threads))?;
    Ok((PyArray1::from_vec(py, values), PyArray1::from_vec(py, offsets)))
}

// --- End of the anchors. ---

/// Panics inside the guard, so tests can see what a panic turns into.
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    run(py, "_panic_for_test", || -> dedup_kernels::Result<()> { panic!("deliberate test panic") })
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Panics are caught and raised as KernelError with their message; the hook's stderr note is noise then.
    std::panic::set_hook(Box::new(|_| {}));
    m.add("KernelError", m.py().get_type::<KernelError>())?;
    m.add_function(wrap_pyfunction!(minhash_signatures, m)?)?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(span_sums_u8, m)?)?;
    m.add_function(wrap_pyfunction!(span_sums_u64, m)?)?;
    m.add_function(wrap_pyfunction!(hash_spans, m)?)?;
    m.add_function(wrap_pyfunction!(ascii_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(batch_features, m)?)?;
    m.add_function(wrap_pyfunction!(ascii_lines, m)?)?;
    m.add_function(wrap_pyfunction!(shared_count, m)?)?;
    m.add_function(wrap_pyfunction!(pair_shared_counts, m)?)?;
    m.add_function(wrap_pyfunction!(ascii_anchors, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    register_phrase_kernels(m)?;
    register_passage_kernels(m)?;
    Ok(())
}

// -- The passage search's kernels (dedup.verify.blocks) --------------------------------------------------------

/// difflib's matching blocks of two lists of words (`SequenceMatcher(None, a, b, autojunk=False)`), as
/// `(i, j, size)` tuples closed by `(len(a), len(b), 0)`.
#[pyfunction]
fn matching_blocks(py: Python<'_>, a: Vec<String>, b: Vec<String>) -> PyResult<Vec<(usize, usize, usize)>> {
    run(py, "matching_blocks", || Ok(dedup_kernels::blocks::matching_blocks(&a, &b)))
}

/// One text's entries for `passage_seeds`: (word ids, units, counts, number of units, df per word id).
type EntryArgs<'py> = (PyReadonlyArray1<'py, i64>, PyReadonlyArray1<'py, i64>, PyReadonlyArray1<'py, f64>, usize,
                       PyReadonlyArray1<'py, i64>);

/// The passage search's seed unit pairs `(i, j)` (`dedup.verify.passages._seeds`); `thresholds` are
/// (SEED_COSINE, SEED_DICE, SEED_SHARED, SEED_CONTAINED, SEED_CONTAINED_COSINE, MAX_UNITS_OF_WORD).
#[pyfunction]
fn passage_seeds<'py>(
    py: Python<'py>,
    a: EntryArgs<'py>,
    b: EntryArgs<'py>,
    isf: PyReadonlyArray1<'py, f64>,
    thresholds: (f64, f64, i64, f64, f64, i64),
) -> PyResult<(Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<i64>>)> {
    let (wa, ia, ca, dfa) = (slice(&a.0, "a")?, slice(&a.1, "a")?, slice(&a.2, "a")?, slice(&a.4, "a")?);
    let (wb, ib, cb, dfb) = (slice(&b.0, "b")?, slice(&b.1, "b")?, slice(&b.2, "b")?, slice(&b.4, "b")?);
    let isf = slice(&isf, "isf")?;
    let (cosine, dice, shared, contained, contained_cosine, max_units_of_word) = thresholds;
    let (i, j) = run(py, "passage_seeds", || {
        use dedup_kernels::seeds::{seeds, Entries, Thresholds};
        let ea = Entries { word: wa, unit: ia, count: ca, units: a.3, df: dfa };
        let eb = Entries { word: wb, unit: ib, count: cb, units: b.3, df: dfb };
        seeds(&ea, &eb, isf, &Thresholds { cosine, dice, shared, contained, contained_cosine, max_units_of_word })
    })?;
    Ok((PyArray1::from_vec(py, i), PyArray1::from_vec(py, j)))
}

/// The words of an ASCII text already lower-cased, the backquote made an apostrophe, and their spans:
/// `dedup.text.normalize.tokenize`'s three tuples (words, starts, ends).
#[pyfunction]
fn ascii_words<'py>(
    py: Python<'py>,
    lowered: &str,
) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyTuple>, Bound<'py, PyTuple>)> {
    if !lowered.is_ascii() {
        return Err(PyValueError::new_err("ascii_words: the text must be ASCII"));
    }
    let bytes = lowered.as_bytes();
    let spans = run(py, "ascii_words", || Ok(dedup_kernels::words::ascii_word_spans(bytes)))?;
    let words = PyTuple::new(py, spans.iter().map(|&(s, e)| {
        let word = &lowered[s..e];
        if word.contains('`') { PyString::new(py, &word.replace('`', "'")) } else { PyString::new(py, word) }
    }))?;
    let starts = PyTuple::new(py, spans.iter().map(|&(s, _)| s))?;
    let ends = PyTuple::new(py, spans.iter().map(|&(_, e)| e))?;
    Ok((words, starts, ends))
}

fn register_passage_kernels(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(ascii_words, m)?)?;
    m.add_function(wrap_pyfunction!(matching_blocks, m)?)?;
    m.add_function(wrap_pyfunction!(passage_seeds, m)?)?;
    Ok(())
}

// -- The phrase checks' kernels (dedup.spin.language_model, dedup.spin.word_model) ----------------------------

use dedup_kernels::phrases;

/// A `BigramTable`'s arrays as `dedup.spin.language_model.BigramTable.kernel_args` gives them: (slots,
/// keys, stash, slot_bits, position_bits); int64 slots hold packed keys, int32 ones positions only.
type TableArgs<'py> = (Bound<'py, PyAny>, PyReadonlyArray1<'py, i64>, PyReadonlyArray1<'py, i64>, u32, u32);

enum SlotArray<'py> {
    Packed(PyReadonlyArray1<'py, i64>),
    Positions(PyReadonlyArray1<'py, i32>),
}

struct TableArrays<'py> {
    slots: SlotArray<'py>,
    keys: PyReadonlyArray1<'py, i64>,
    stash: PyReadonlyArray1<'py, i64>,
    slot_bits: u32,
    position_bits: u32,
}

impl<'py> TableArrays<'py> {
    fn new(args: TableArgs<'py>) -> PyResult<Self> {
        let (slots, keys, stash, slot_bits, position_bits) = args;
        let slots = match slots.extract::<PyReadonlyArray1<'py, i64>>() {
            Ok(packed) => SlotArray::Packed(packed),
            Err(_) => SlotArray::Positions(
                slots.extract().map_err(|_| PyValueError::new_err("table slots must be an int64 or int32 array"))?,
            ),
        };
        Ok(TableArrays { slots, keys, stash, slot_bits, position_bits })
    }

    fn table(&self) -> PyResult<phrases::Table<'_>> {
        let slots = match &self.slots {
            SlotArray::Packed(a) => phrases::Slots::Packed(slice(a, "slots")?),
            SlotArray::Positions(a) => phrases::Slots::Positions(slice(a, "slots")?),
        };
        phrases::Table::new(slots, slice(&self.keys, "keys")?, slice(&self.stash, "stash")?, self.slot_bits, self.position_bits)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

/// `LanguageModel.kernel_args`: (unigram, backoff, in_model, probs, key_bits, table, bigram_backoff,
/// trigram_probs, trigram_table).
type ModelArgs<'py> = (
    PyReadonlyArray1<'py, f64>,
    PyReadonlyArray1<'py, f64>,
    PyReadonlyArray1<'py, bool>,
    PyReadonlyArray1<'py, f64>,
    u32,
    TableArgs<'py>,
    PyReadonlyArray1<'py, f32>,
    PyReadonlyArray1<'py, f32>,
    TableArgs<'py>,
);

struct ModelArrays<'py> {
    unigram: PyReadonlyArray1<'py, f64>,
    backoff: PyReadonlyArray1<'py, f64>,
    in_model: PyReadonlyArray1<'py, bool>,
    probs: PyReadonlyArray1<'py, f64>,
    key_bits: u32,
    table: TableArrays<'py>,
    bigram_backoff: PyReadonlyArray1<'py, f32>,
    trigram_probs: PyReadonlyArray1<'py, f32>,
    trigram_table: TableArrays<'py>,
}

impl<'py> ModelArrays<'py> {
    fn new(args: ModelArgs<'py>) -> PyResult<Self> {
        let (unigram, backoff, in_model, probs, key_bits, table, bigram_backoff, trigram_probs, trigram_table) = args;
        Ok(ModelArrays {
            unigram,
            backoff,
            in_model,
            probs,
            key_bits,
            table: TableArrays::new(table)?,
            bigram_backoff,
            trigram_probs,
            trigram_table: TableArrays::new(trigram_table)?,
        })
    }

    fn model(&self) -> PyResult<phrases::Model<'_>> {
        Ok(phrases::Model {
            unigram: slice(&self.unigram, "unigram")?,
            backoff: slice(&self.backoff, "backoff")?,
            in_model: slice(&self.in_model, "in_model")?,
            probs: slice(&self.probs, "probs")?,
            key_bits: self.key_bits,
            table: self.table.table()?,
            bigram_backoff: slice(&self.bigram_backoff, "bigram_backoff")?,
            trigram_probs: slice(&self.trigram_probs, "trigram_probs")?,
            trigram_table: self.trigram_table.table()?,
        })
    }
}

type Scored<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<bool>>);

/// The position of each query in a `BigramTable`, -1 for those not there (BigramTable.find).
#[pyfunction]
fn lm_find<'py>(py: Python<'py>, table: TableArgs<'py>, queries: PyReadonlyArray1<'py, i64>) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let arrays = TableArrays::new(table)?;
    let table = arrays.table()?;
    let queries = slice(&queries, "queries")?;
    let out = run(py, "lm_find", || {
        let mut out = vec![0i64; queries.len()];
        phrases::find_all(&table, queries, &mut out)?;
        Ok(out)
    })?;
    Ok(PyArray1::from_vec(py, out))
}

/// log10 P(word | previous) of each pair and whether the bigram is listed (LanguageModel.follow).
#[pyfunction]
fn lm_follow<'py>(
    py: Python<'py>,
    model: ModelArgs<'py>,
    previous: PyReadonlyArray1<'py, i64>,
    word: PyReadonlyArray1<'py, i64>,
) -> PyResult<Scored<'py>> {
    let arrays = ModelArrays::new(model)?;
    let model = arrays.model()?;
    let (previous, word) = (slice(&previous, "previous")?, slice(&word, "word")?);
    scored(py, "lm_follow", word.len(), |log_prob, listed| phrases::follow_all(&model, previous, word, log_prob, listed))
}

/// Runs a look-up that fills `n` log-probabilities and listed flags, and hands both to Python.
fn scored<'py>(
    py: Python<'py>,
    kernel: &str,
    n: usize,
    f: impl FnOnce(&mut [f64], &mut [bool]) -> dedup_kernels::Result<()> + Send,
) -> PyResult<Scored<'py>> {
    let (log_prob, listed) = run(py, kernel, || {
        let (mut log_prob, mut listed) = (vec![0.0; n], vec![false; n]);
        f(&mut log_prob, &mut listed)?;
        Ok((log_prob, listed))
    })?;
    Ok((PyArray1::from_vec(py, log_prob), PyArray1::from_vec(py, listed)))
}

/// log10 P(word | before previous) of each triple and whether the trigram is listed (LanguageModel.follow2).
#[pyfunction]
fn lm_follow2<'py>(
    py: Python<'py>,
    model: ModelArgs<'py>,
    before: PyReadonlyArray1<'py, i64>,
    previous: PyReadonlyArray1<'py, i64>,
    word: PyReadonlyArray1<'py, i64>,
) -> PyResult<Scored<'py>> {
    let arrays = ModelArrays::new(model)?;
    let model = arrays.model()?;
    let (before, previous, word) = (slice(&before, "before")?, slice(&previous, "previous")?, slice(&word, "word")?);
    scored(py, "lm_follow2", word.len(), |log_prob, listed| {
        phrases::follow2_all(&model, before, previous, word, log_prob, listed)
    })
}

/// The log-odds of each row of `features` under the regression trees (Model.log_odds).
#[pyfunction]
fn tree_log_odds<'py>(
    py: Python<'py>,
    features: PyReadonlyArray2<'py, f64>,
    feature: PyReadonlyArray2<'py, i64>,
    split: PyReadonlyArray2<'py, f64>,
    value: PyReadonlyArray2<'py, f64>,
    depth: u32,
    baseline: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (rows, columns) = (features.shape()[0], features.shape()[1]);
    let (features, feature) = (slice2(&features, "features")?, slice2(&feature, "feature")?);
    let (split, value) = (slice2(&split, "split")?, slice2(&value, "value")?);
    let out = run(py, "tree_log_odds", || {
        let mut out = vec![0.0; rows];
        phrases::tree_log_odds(features, columns, feature, split, value, depth, baseline, &mut out)?;
        Ok(out)
    })?;
    Ok(PyArray1::from_vec(py, out))
}

fn register_phrase_kernels(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(lm_find, m)?)?;
    m.add_function(wrap_pyfunction!(lm_follow, m)?)?;
    m.add_function(wrap_pyfunction!(lm_follow2, m)?)?;
    m.add_function(wrap_pyfunction!(tree_log_odds, m)?)?;
    Ok(())
}
