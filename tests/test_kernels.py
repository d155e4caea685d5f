"""Tests of dedup.kernels and the compiled kernels (dedup._core): each kernel equals its numpy reference, on
random values, random Unicode text and real text (empty input included); a failing kernel is a one-line
DedupError; dedup works, with the same report, without the kernels.

Every caller reads ``kernels.core`` at each call, so setting it to None runs the numpy references in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import kernels
from dedup.api import scan
from dedup.cli import main
from dedup.config import ScanConfig
from dedup.errors import DedupError, KernelError
from dedup.index.lsh import band_keys, reference_band_keys
from dedup.model import Document
from dedup.sketch.features import FeatureArrays, batch_features, feature_arrays, reference_batch_features
from dedup.sketch.minhash import Permutations, reference_signatures, signatures
from dedup.text.batch import (
    TOKEN_TABLES,
    AsciiBatch,
    TextBatch,
    TokenArrays,
    ascii_tokens,
    fold,
    reference_ascii_tokens,
)
from dedup.text.hashing import WordHasher, hash_spans, reference_hash_spans, reference_span_sums, span_sums
from dedup.verify.relations import shared_count

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]

needs_core = pytest.mark.skipif(
    kernels.core is None,
    reason="the compiled kernels are not built here (pip install -e . with a Rust toolchain builds them)",
)

U32 = st.integers(0, 2**32 - 1)
U64 = st.integers(0, 2**64 - 1)
# Text as news and as hostile input: any code point (surrogates aside, which str.encode cannot take).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
# ASCII with every character the batch tokeniser treats specially: joiners, end and closing marks, space, NUL.
ASCII = st.text(st.sampled_from("aZ09_ '`.,!?\")]\n\t\r\x00\x0b\x1f-x5"), max_size=60)
NEWSY = st.text(st.sampled_from("abcXYZ019 .,'\u2019`\n\u201c\u201d\u2014-\u00e9\u00df\ufb01!?\t"), max_size=120)


def _spans(draw: st.DrawFn, size: int) -> tuple[np.ndarray, np.ndarray]:
    count = draw(st.integers(0, 8))
    bounds = [sorted(draw(st.tuples(st.integers(0, size), st.integers(0, size)))) for _ in range(count)]
    return np.array([b[0] for b in bounds], dtype=np.int64), np.array([b[1] for b in bounds], dtype=np.int64)


# --- each kernel against its reference ----------------------------------------------------------------------


@needs_core
@given(st.lists(st.lists(U32, max_size=30), max_size=10), st.sampled_from([1, 16, 128, 97]), U32)
@settings(max_examples=80, deadline=None)
def test_signatures_equal_the_reference(raw: list[list[int]], num_perm: int, seed: int) -> None:
    sets = [np.array(s, dtype=np.uint64) for s in raw]  # repeats and any order: the kernel must not care
    perms = Permutations(num_perm, seed)
    np.testing.assert_array_equal(signatures(sets, perms), reference_signatures(sets, perms))


@needs_core
def test_signatures_of_real_text_equal_the_reference() -> None:
    feats = batch_features([*SEED_TEXTS, ""], ScanConfig())
    sets = [f.chars for f in feats] + [f.words for f in feats]
    perms = Permutations(128, 1)
    got = signatures(sets, perms)
    np.testing.assert_array_equal(got, reference_signatures(sets, perms))
    assert (got[len(SEED_TEXTS)] == 0xFFFFFFFF).all()  # the empty text's empty set


@needs_core
@given(st.integers(0, 12), st.sampled_from([(1, 1), (4, 2), (3, 5), (25, 5)]), U32)
@settings(max_examples=60, deadline=None)
def test_band_keys_equal_the_reference(n: int, bands_rows: tuple[int, int], seed: int) -> None:
    bands, rows = bands_rows
    rng = np.random.default_rng(seed)
    # Few distinct values, so that rows agree often, as copies' signatures do.
    sigs = rng.integers(0, 3, size=(n, bands * rows + 3)).astype(np.uint32) * np.uint32(0x7FFFFFFF)
    chosen = list(range(bands))[::-1]
    np.testing.assert_array_equal(band_keys(sigs, chosen, rows), reference_band_keys(sigs, chosen, rows))


@needs_core
@given(st.data(), st.lists(U64, max_size=60))
@settings(max_examples=80, deadline=None)
def test_span_sums_equal_the_reference(data: st.DataObject, raw: list[int]) -> None:
    values = np.array(raw, dtype=np.uint64)
    starts, ends = _spans(data.draw, len(values))
    np.testing.assert_array_equal(span_sums(values, starts, ends), reference_span_sums(values, starts, ends))
    small = (values & np.uint64(0xFF)).astype(np.uint8)
    np.testing.assert_array_equal(span_sums(small, starts, ends), reference_span_sums(small, starts, ends))
    np.testing.assert_array_equal(hash_spans(small, starts, ends), reference_hash_spans(small, starts, ends))


@needs_core
@given(st.lists(TEXT, max_size=8))
@settings(max_examples=80, deadline=None)
def test_word_hashes_of_unicode_words_equal_the_reference(words: list[str]) -> None:
    got = WordHasher().hash_words(words)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "core", None)
        np.testing.assert_array_equal(got, WordHasher().hash_words(words))


def _assert_same_tokens(got: TokenArrays, want: TokenArrays) -> None:
    for name in ("hashes", "doc", "is_mark", "codes", "code_doc"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)


@needs_core
@given(st.lists(ASCII, min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_ascii_tokens_equal_the_reference(texts: list[str]) -> None:
    batch = AsciiBatch.of(texts)
    _assert_same_tokens(ascii_tokens(batch), reference_ascii_tokens(batch))


@needs_core
def test_ascii_tokens_of_real_text_equal_the_reference() -> None:
    # The sample articles are ASCII once folded (their curly quotes and dashes), as TextBatch reads them.
    folded = [fold(t) for t in SEED_TEXTS]
    assert sum(t.isascii() for t in folded) >= 3
    batch = AsciiBatch.of([t for t in folded if t.isascii()] + ["", "3.5m's x'5.5 \"end.\" (a.) b"])
    _assert_same_tokens(ascii_tokens(batch), reference_ascii_tokens(batch))


def _features_as_lists(texts: list[str], config: ScanConfig) -> list[tuple[list[int], ...]]:
    return [
        (f.words.tolist(), f.chars.tolist(), f.sentences.tolist(), [f.length, int(f.may_repeat)])
        for f in batch_features(texts, config)
    ]


@needs_core
@given(st.lists(st.one_of(TEXT, NEWSY), max_size=6), st.sampled_from(["word", "char"]))
@settings(max_examples=60, deadline=None)
def test_batch_features_of_unicode_text_equal_the_reference(texts: list[str], shingle: str) -> None:
    # Offsets, normalisation, n-gram and sentence hashing end to end: every feature a scan compares.
    config = ScanConfig(shingle=shingle, ngram=3)
    got = _features_as_lists(texts, config)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "core", None)
        assert got == _features_as_lists(texts, config)


def _assert_same_arrays(got: FeatureArrays, want: FeatureArrays) -> None:
    for name in FeatureArrays.__slots__:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        np.testing.assert_array_equal(a, b, err_msg=name)


CONFIGS = st.builds(
    ScanConfig, ngram=st.integers(1, 6), char_ngram=st.integers(2, 8), char_sample=st.sampled_from([1, 2, 4, 7]),
    sentence_min_words=st.integers(1, 8),
)


@needs_core
@given(st.lists(st.one_of(ASCII, NEWSY, TEXT), max_size=8), CONFIGS, st.sampled_from([16, 128]))
@settings(max_examples=150, deadline=None)
def test_feature_arrays_equal_the_reference(texts: list[str], config: ScanConfig, num_perm: int) -> None:
    # One kernel call per batch: the bytes of all-ASCII batches, the token arrays of the others.
    perms = Permutations(num_perm, 1)
    _assert_same_arrays(feature_arrays(texts, config, perms),
                        FeatureArrays.of(reference_batch_features(texts, config), perms))


@needs_core
@pytest.mark.parametrize("extra", [[], ["caf\u00e9 na\u00efve. \u0416\u0443\u043a!"]])
def test_feature_arrays_of_real_text_equal_the_reference(extra: list[str]) -> None:
    texts = [*SEED_TEXTS, *(t[: len(t) // 3] for t in SEED_TEXTS), "", "a a a a a a a a a a b", *extra]
    config, perms = ScanConfig(), Permutations(128, 1)
    got = feature_arrays(texts, config, perms)
    _assert_same_arrays(got, FeatureArrays.of(reference_batch_features(texts, config), perms))
    assert [f.length for f in got.features()] == got.lengths.tolist()
    assert got.may_repeat[-1 - len(extra)], "the repeated run of words is flagged"


@needs_core
@given(st.lists(U32, max_size=60), st.lists(U32, max_size=300), st.booleans())
@settings(max_examples=200, deadline=None)
def test_shared_count_equals_the_reference(a: list[int], b: list[int], small_range: bool) -> None:
    def distinct(values: list[int]) -> np.ndarray:
        return np.unique(np.array([v % 97 if small_range else v for v in values], dtype=np.uint32))

    x, y = distinct(a), distinct(b)
    want = len(set(x.tolist()) & set(y.tolist()))
    assert shared_count(x, y) == shared_count(y, x) == want
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "core", None)
        assert shared_count(x, y) == want


def _lines_of(texts: list[str]) -> tuple[list[bytes], list[int], list[int]]:
    batch = TextBatch(texts)
    keys, at = batch.line_key_sets()
    return batch.normalized(), keys.tolist(), at


@needs_core
@given(st.lists(st.one_of(ASCII, NEWSY, TEXT), max_size=8))
@settings(max_examples=150, deadline=None)
def test_lines_equal_the_reference(texts: list[str]) -> None:
    # The exact-copy keys' normalised texts and the boilerplate statistics' line keys.
    got = _lines_of(texts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "core", None)
        assert got == _lines_of(texts)


@needs_core
def test_lines_of_real_text_equal_the_reference() -> None:
    texts = [*SEED_TEXTS, "Advertisement\n\n  advertisement \nStory", "", " \t\n", "caf\u00e9\nAd"]
    got = _lines_of(texts)
    assert len(got[1]) > len(texts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "core", None)
        assert got == _lines_of(texts)


# --- failures ------------------------------------------------------------------------------------------------


@needs_core
def test_a_panic_is_a_dedup_error_not_an_abort() -> None:
    assert kernels.core is not None
    with pytest.raises(KernelError, match="panicked: deliberate test panic.*DEDUP_PURE_PYTHON=1") as caught:
        kernels.call(kernels.core._panic_for_test)
    assert isinstance(caught.value, DedupError)


@needs_core
@pytest.mark.parametrize(
    ("offsets", "message"),
    [([0, 5], "offsets end at 5 but there are 3 values"), ([1, 3], "offsets must start at 0"),
     ([0, 2, 1, 3], "never decrease"), ([], "at least one value")],
)  # fmt: skip
def test_bad_offsets_are_a_dedup_error(offsets: list[int], message: str) -> None:
    assert kernels.core is not None
    a = b = np.ones(4, dtype=np.uint32)
    values = np.array([1, 2, 3], dtype=np.uint32)
    with pytest.raises(KernelError, match=message):
        kernels.call(kernels.core.minhash_signatures, values, np.array(offsets, dtype=np.int64), a, b)


@needs_core
def test_spans_outside_the_data_are_a_dedup_error() -> None:
    with pytest.raises(KernelError, match="span 2..9 is not inside 3 values"):
        hash_spans(np.zeros(3, dtype=np.uint8), np.array([2]), np.array([9]))


@needs_core
def test_token_arrays_of_a_text_without_its_closing_mark_are_a_dedup_error() -> None:
    assert kernels.core is not None
    one = np.ones(1, dtype=np.uint64)
    with pytest.raises(KernelError, match="tokens of document 0 do not end with a mark"):
        kernels.call(kernels.core.batch_features, np.empty(0, np.uint8), np.empty(0, np.uint8), np.empty(0, np.int64),
                     np.empty(0, np.int64), (one, np.zeros(1, np.int64), np.zeros(1, bool), np.empty(0, np.uint32),
                     np.empty(0, np.int64)), 1, TOKEN_TABLES, 0, (3, 5, 4, 6, 3, 8), np.empty(0, np.uint64),
                     np.empty(0, np.uint32), np.empty(0, np.uint32), 1)


@needs_core
def test_a_panicking_kernel_reaches_the_cli_as_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    core = kernels.core
    assert core is not None
    monkeypatch.setattr(core, "minhash_signatures", lambda *args: core._panic_for_test())
    result = CliRunner().invoke(main, ["scan", str(SEEDS), "--quiet", "--workers", "1"], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: the compiled kernel <lambda> failed (_panic_for_test panicked")


# --- without the kernels -------------------------------------------------------------------------------------


def _python(code: str, **env: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )  # fmt: skip
    return run.stdout.strip()


def test_the_variable_forces_the_python_path() -> None:
    assert _python("from dedup import kernels; print(kernels.compiled())", DEDUP_PURE_PYTHON="1") == "False"


def test_dedup_works_where_the_extension_is_missing() -> None:
    # None in sys.modules makes the import fail as a missing module would.
    code = (
        "import sys; sys.modules['dedup._core'] = None\n"
        "import dedup; from dedup import kernels\n"
        "print(kernels.compiled(), dedup.scan('examples/seeds').summary['documents'])"
    )
    assert _python(code) == "False 5"


def _corpus() -> list[Document]:
    """The sample articles, copies of them with a few words changed, curly quotes and accents, and empty text."""
    docs = [Document(f"seed{k}", t) for k, t in enumerate(SEED_TEXTS)]
    for k, text in enumerate(SEED_TEXTS):
        words = text.split()
        words[len(words) // 2] = "caf\u00e9"
        docs.append(Document(f"edit{k}", " ".join(words).replace("'", "\u2019")))
    docs.append(Document("half", SEED_TEXTS[0][: len(SEED_TEXTS[0]) // 2]))
    return [*docs, Document("empty", ""), Document("copy", SEED_TEXTS[1])]


@needs_core
@pytest.mark.parametrize("config", [ScanConfig(), ScanConfig(shingle="char", ngram=5, num_perm=64)])
def test_reports_are_the_same_with_and_without_the_kernels(config: ScanConfig) -> None:
    with_kernels = scan(_corpus(), config, workers=1).to_json()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "core", None)
        assert scan(_corpus(), config, workers=1).to_json() == with_kernels
    assert len(json.loads(with_kernels)["pairs"]) >= 5  # the copies were found, so pairs were compared
