# Types of the compiled kernels (rust/python/src/lib.rs); dedup.kernels says when they are used.
from typing import Any

import numpy as np
import numpy.typing as npt

class KernelError(RuntimeError): ...

def minhash_signatures(
    values: npt.NDArray[np.uint32], offsets: npt.NDArray[np.int64], a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32]
) -> npt.NDArray[np.uint32]: ...
def band_keys(sigs: npt.NDArray[np.uint32], bands: npt.NDArray[np.int64], rows: int) -> npt.NDArray[np.uint64]: ...
def span_sums_u8(
    values: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint64]: ...
def span_sums_u64(
    values: npt.NDArray[np.uint64], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint64]: ...
def hash_spans(
    data: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint64]: ...
def ascii_tokens(
    raw: npt.NDArray[np.uint8], data: npt.NDArray[np.uint8], text_end: npt.NDArray[np.int64],
    tables: npt.NDArray[np.uint8], mark_hash: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.uint32],
           npt.NDArray[np.int64]]: ...

_Ragged = tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]
# (word, character, sentence and passage sets as values and offsets; lengths; repeat flags; signatures)
_FeatureArrays = tuple[_Ragged, _Ragged, _Ragged, _Ragged, npt.NDArray[np.int64], npt.NDArray[np.bool_],
                       npt.NDArray[np.uint32]]
# ngram, char_ngram, char_sample, sentence_min_words, passage words, repeat words
_Sizes = tuple[int, int, int, int, int, int]

def batch_features(
    raw: npt.NDArray[np.uint8], data: npt.NDArray[np.uint8], text_end: npt.NDArray[np.int64],
    ascii_at: npt.NDArray[np.int64],
    others: tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.uint32],
                  npt.NDArray[np.int64]],
    count: int, tables: npt.NDArray[np.uint8], mark_hash: int, sizes: _Sizes, function_words: npt.NDArray[np.uint64],
    a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32], threads: int
) -> _FeatureArrays: ...
def ascii_lines(
    data: npt.NDArray[np.uint8], text_end: npt.NDArray[np.int64], tables: npt.NDArray[np.uint8], threads: int
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
def shared_count(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> int: ...
def pair_shared_counts(
    values: list[npt.NDArray[np.uint32]], offsets: list[npt.NDArray[np.int64]], per_part: int,
    left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint64]: ...
# --- The anchors of ASCII texts (rust/kernels/src/anchors.rs). ---
def ascii_anchors(
    data: npt.NDArray[np.uint8], text_end: npt.NDArray[np.int64], skeleton: bytes, generic: bytes, breaks: bytes,
    threads: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]: ...
# --- End of the anchors. ---
# --- The phrase checks' look-ups and trees (rust/kernels/src/phrases.rs). ---
# A BigramTable's kernel_args: (slots, stash keys, stash positions, position bits, slot bits).
_Table = tuple[Any, npt.NDArray[np.int64], npt.NDArray[np.int64], int, int]
def lm_find(table: _Table, queries: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]: ...
def lm_follow(
    model: tuple[Any, ...], previous: npt.NDArray[np.int64], word: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]: ...
def lm_follow2(
    model: tuple[Any, ...], before: npt.NDArray[np.int64], previous: npt.NDArray[np.int64],
    word: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]: ...
def tree_log_odds(
    features: npt.NDArray[np.float64], feature: npt.NDArray[np.int64], split: npt.NDArray[np.float64],
    value: npt.NDArray[np.float64], depth: int, baseline: float
) -> npt.NDArray[np.float64]: ...
# --- End of the phrase checks. ---
def _panic_for_test() -> None: ...
def matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]: ...
_Entries = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], int, npt.NDArray[np.int64]]
def passage_seeds(
    a: _Entries, b: _Entries, isf: npt.NDArray[np.float64], thresholds: tuple[float, float, int, float, float, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
def ascii_words(lowered: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]: ...
