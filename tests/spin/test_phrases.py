"""Tests of the phrase checks (dedup.spin.phrases): single-document spin detection with evidence."""

from __future__ import annotations

import bisect
import itertools
import json
import math
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.errors import InputError
from dedup.model import SpinResult
from dedup.spin import phrases
from dedup.spin.phrases import FEATURES, PhraseChecker, document_statistic, load_checker, load_phrase_list
from dedup.text.normalize import tokenize

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"

# Written for these tests: a plain news paragraph, and the same paragraph with about a third of its
# content words swapped for thesaurus synonyms the way a spinner does.
CLEAN = (
    "The city council voted on Tuesday to close two libraries and cut opening hours at the remaining "
    "branches, saying the move would save about two million dollars a year. The mayor said the decision "
    "was painful but necessary after the state reduced its funding. Residents who spoke at the meeting "
    "warned that children and older people would be hit hardest, and several asked the council to delay "
    "the vote until a public consultation had taken place. The council rejected that request by seven "
    "votes to four."
)
SPUN = (
    "The metropolis council voted on Tuesday to shut two libraries and slash opening hours at the staying "
    "branches, stating the motion would rescue about two million dollars a twelvemonth. The mayor said the "
    "determination was agonizing but requisite after the state decreased its financing. Occupants who "
    "spoke at the gathering cautioned that youngsters and older people would be struck hardest, and "
    "several requested the council to postpone the ballot until a public consultation had occurred. The "
    "council spurned that petition by seven votes to four."
)


@pytest.fixture(scope="module")
def checker() -> PhraseChecker:
    return load_checker()


def _words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------------------------
# Verdicts.


@pytest.mark.parametrize(("text", "spun"), [(CLEAN, False), (SPUN, True)])
def test_clean_and_spun_paragraphs(checker: PhraseChecker, text: str, spun: bool) -> None:
    result = checker.check(text)
    assert result.spun is spun
    assert (result.score >= 0.5) is spun


def test_spun_paragraph_evidence_names_the_originals(checker: PhraseChecker) -> None:
    evidence = checker.check(SPUN).evidence
    restored = {(e.text.lower(), e.original) for e in evidence}
    # Swaps whose original the thesaurus and the language model can name without doubt.
    for pair in [("twelvemonth", "year"), ("youngsters", "children"), ("gathering", "meeting")]:
        assert pair in restored
    assert len(evidence) >= 10


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("00[0-3]_*.txt")))
def test_clean_sample_articles_are_not_flagged(checker: PhraseChecker, name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    result = checker.check(text)
    assert not result.spun
    assert len(result.evidence) <= _words(text) / 1000


def test_spun_sample_article_is_flagged_with_evidence(checker: PhraseChecker) -> None:
    # Sample 004 is a spun copy of a news story; it is used here only as a final check, never for tuning.
    (path,) = SEEDS.glob("004_*.txt")
    text = path.read_text(encoding="utf-8")
    result = checker.check(text)
    assert result.spun
    assert len(result.evidence) >= 20


@pytest.mark.parametrize("text", ["", "   \n\t", "...!?", "42 1999 3.5", "Kyiv Moscow Washington"])
def test_texts_without_words_to_judge(checker: PhraseChecker, text: str) -> None:
    assert checker.check(text) == SpinResult(score=checker.check(text).score, spun=False, evidence=())


@pytest.mark.parametrize(
    "text",
    [
        "Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les entreprises "
        "touchées par la crise, selon le ministre de l'économie.",
        "Die Regierung hat am Dienstag neue Maßnahmen angekündigt, um die von der Krise betroffenen "
        "Unternehmen zu unterstützen, sagte der Minister.",
    ],
)
def test_text_that_is_not_english_is_not_judged(checker: PhraseChecker, text: str) -> None:
    assert checker.check(text) == SpinResult(score=0.0, spun=False, evidence=())


# ---------------------------------------------------------------------------------------------------------
# Signals.


def test_broken_fixed_expression_is_restored(checker: PhraseChecker) -> None:
    text = "Officials said the delay was a blessing in camouflage for the project."
    (found,) = [c for c in checker.candidates(text) if c.text == "camouflage"]
    assert found.original == "a blessing in disguise"
    assert "fixed expression" in found.reason


def test_one_lexicon_phrase_alone_does_not_make_a_text_spun(checker: PhraseChecker) -> None:
    statistic, _ = phrases.document_statistic(np.array([phrases._LEXICON_LOG_LR]))
    assert checker.model is not None and statistic < checker.model.threshold


def test_lexicon_phrase_is_evidence_even_in_clean_text(checker: PhraseChecker) -> None:
    # A sentence of clean context around it: in nine words alone, one phrase and two weak hints can reach the
    # threshold (the design only guarantees that one lexicon phrase alone does not).
    text = ("Researchers used counterfeit consciousness to sort the images. The project took three years and "
            "cost about two million dollars, the university said.")
    result = checker.check(text)
    assert not result.spun
    (evidence,) = result.evidence
    assert (evidence.text, evidence.original) == ("counterfeit consciousness", "artificial intelligence")


def test_unknown_word_form_is_a_candidate(checker: PhraseChecker) -> None:
    found = {c.text: c for c in checker.candidates("The old mill was ruinated by the flood.")}
    assert found["ruinated"].original is None
    assert found["ruinated"].features[FEATURES.index("unknown_form")] == 1.0


@pytest.mark.parametrize("text", ["Rebels assailed the town.", "They said the talks would resume."])
def test_names_numbers_and_function_words_are_never_candidates(checker: PhraseChecker, text: str) -> None:
    texts = {c.text.lower() for c in checker.candidates(text + " Two officials met Putin in Moscow.")}
    assert not texts & {"the", "they", "would", "two", "putin", "moscow"}


# ---------------------------------------------------------------------------------------------------------
# Fast paths against slow, obvious implementations.


def _slow_follow(checker: PhraseChecker, previous: int, word: int) -> float:
    lm = checker.data.lm
    if previous < 0:
        return float(lm.unigram[word])
    key = (previous << lm.key_bits) | word
    at = bisect.bisect_left(lm.keys, key)
    if at < len(lm.keys) and lm.keys[at] == key:
        return float(lm.probs[at])
    return float(lm.backoff[previous] + lm.unigram[word])


def test_vectorised_bigram_lookup_matches_bisect(checker: PhraseChecker) -> None:
    lm = checker.data.lm
    rng = np.random.default_rng(7)
    listed = lm.keys[rng.integers(0, len(lm.keys), 150)]
    previous = np.concatenate([listed >> lm.key_bits, rng.integers(-1, lm.unknown + 1, 150)])
    word = np.concatenate([listed & ((1 << lm.key_bits) - 1), rng.integers(0, lm.unknown + 1, 150)])
    fast, found = lm.follow(previous, word)
    slow = [_slow_follow(checker, int(p), int(w)) for p, w in zip(previous, word, strict=True)]
    assert fast.tolist() == slow  # the same bits, not merely close
    assert found[:150].all()
    keys = set(lm.keys.tolist())
    listed = [p >= 0 and (p << lm.key_bits | w) in keys for p, w in zip(previous.tolist(), word.tolist(), strict=True)]
    assert found.tolist() == listed


def _slow_follow2(checker: PhraseChecker, before: int, previous: int, word: int) -> float:
    lm = checker.data.lm
    if before < 0 or previous < 0 or not lm.in_model[before]:
        return _slow_follow(checker, previous, word)
    bits = lm.key_bits
    key = (before << 2 * bits) | (previous << bits) | word
    at = bisect.bisect_left(lm.trigram_keys, key)
    if at < len(lm.trigram_keys) and lm.trigram_keys[at] == key:
        return float(lm.trigram_probs[at])
    history_key = (before << bits) | previous
    history = bisect.bisect_left(lm.keys, history_key)
    weight = lm.bigram_backoff[history] if history < len(lm.keys) and lm.keys[history] == history_key else 0.0
    return float(weight) + _slow_follow(checker, previous, word)


def test_vectorised_trigram_lookup_matches_bisect(checker: PhraseChecker) -> None:
    lm = checker.data.lm
    bits = lm.key_bits
    rng = np.random.default_rng(11)
    listed = lm.trigram_keys[rng.integers(0, len(lm.trigram_keys), 150)]
    mask = (1 << bits) - 1
    # Listed trigrams; random triples of words (mostly backed off), some with no word before.
    before = np.concatenate([listed >> 2 * bits, rng.integers(-1, lm.unknown + 1, 150)])
    previous = np.concatenate([(listed >> bits) & mask, rng.integers(0, lm.unknown + 1, 150)])
    word = np.concatenate([listed & mask, rng.integers(0, lm.unknown + 1, 150)])
    # Histories that are listed bigrams but with a word no trigram follows them with: back-off weights.
    history = lm.keys[rng.integers(0, len(lm.keys), 100)]
    before = np.concatenate([before, history >> bits])
    previous = np.concatenate([previous, history & mask])
    word = np.concatenate([word, rng.integers(0, lm.unknown + 1, 100)])
    fast, found = lm.follow2(before, previous, word)
    slow = [_slow_follow2(checker, *map(int, t)) for t in zip(before, previous, word, strict=True)]
    assert np.allclose(fast, slow, rtol=0, atol=1e-9)
    assert found[:150].all()
    assert not found[150:300].all()


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.one_of(st.integers(0, 300), st.integers(0, 2**40)), max_size=300),
    st.lists(st.one_of(st.integers(0, 300), st.integers(0, 2**40)), max_size=60),
    st.sampled_from([None, 3, 6]),
    st.sampled_from([0, 20]),
)
def test_bigram_table_finds_what_a_binary_search_finds(
    keys: set[int], others: list[int], slot_bits: int | None, widen: int
) -> None:
    # With 8 or 64 slots most key sets do not fit: the keys left over must be found in the stash. Keys
    # shifted by 20 bits are too wide to pack with their positions (as the trigrams' are), when there is one.
    keys = {k << widen for k in keys}
    others = [k << widen for k in others]
    ordered = np.array(sorted(keys), dtype=np.int64)
    table = phrases._BigramTable(ordered, slot_bits)
    queries = np.array([*sorted(keys), *others], dtype=np.int64)
    expected = [bisect.bisect_left(ordered.tolist(), q) if q in keys else -1 for q in queries.tolist()]
    assert table.find(queries).tolist() == expected
    # Every key is in the table or the stash, once.
    filled = table.slots[table.slots >= 0]
    placed = (filled & ((1 << table.position_bits) - 1) if table.packed else filled).tolist()
    assert table.packed or widen
    assert sorted([*placed, *table.stash.tolist()]) == list(range(len(keys)))


def _walk(raw: dict, row: np.ndarray) -> float:
    """The log-odds of one row, each tree walked node by node as ``phrase_model.json`` lists it."""
    total = raw["baseline"]
    for tree in raw["trees"]:
        node = 0
        while tree["feature"][node] >= 0:
            node = tree["left"][node] if row[tree["feature"][node]] <= tree["split"][node] else tree["right"][node]
        total += tree["value"][node]
    return total


def test_tree_model_matches_a_walk_of_its_trees(checker: PhraseChecker) -> None:
    raw = json.loads(resources.files("dedup.data").joinpath("phrase_model.json").read_text(encoding="utf-8"))
    model = phrases.Model.from_json(raw)
    rows = np.array([c.features for c in checker.candidates(SPUN + " " + CLEAN)])
    rng = np.random.default_rng(3)
    rows = np.vstack([rows, rows[rng.integers(0, len(rows), 200)] + rng.normal(0, 1, (200, rows.shape[1]))])
    assert model.log_odds(rows).tolist() == [_walk(raw, row) for row in rows]
    # Row by row or all together: the same bits.
    assert [model.log_odds(row[None, :])[0] for row in rows[:20]] == model.log_odds(rows[:20]).tolist()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_trees_of_any_shape_up_to_the_depth_walk_the_same(data: st.DataObject) -> None:
    # Random trees with leaves at every level (unbalanced), splits on two features.
    def grow(tree: dict, depth: int) -> int:
        node = len(tree["feature"])
        for key in tree:
            tree[key].append(0)
        if depth == 0 or data.draw(st.booleans()):
            tree["feature"][node], tree["value"][node] = -1, data.draw(st.floats(-3, 3))
        else:
            tree["feature"][node] = data.draw(st.integers(0, 1))
            tree["split"][node] = data.draw(st.floats(-1, 1))
            tree["left"][node] = grow(tree, depth - 1)
            tree["right"][node] = grow(tree, depth - 1)
        return node

    depth = data.draw(st.integers(1, 4))
    trees = []
    for _ in range(data.draw(st.integers(1, 4))):
        tree: dict[str, list] = {"feature": [], "split": [], "left": [], "right": [], "value": []}
        grow(tree, depth)
        trees.append(tree)
    raw = {"features": list(FEATURES), "baseline": 0.25, "depth": depth, "trees": trees, "prior_logit": 0.0,
           "threshold": 0.0, "scale": 1.0, "strong_log_lr": 0.0}
    rows = np.random.default_rng(0).uniform(-1.5, 1.5, (50, len(FEATURES)))
    assert phrases.Model.from_json(raw).log_odds(rows).tolist() == [_walk(raw, row) for row in rows]


def _slow_statistic(log_lrs: np.ndarray) -> tuple[float, float]:
    """``document_statistic`` as first written: one text's arrays, nothing shared with other texts."""
    if len(log_lrs) == 0:
        return 0.0, 0.0
    ratios = np.exp(np.minimum(log_lrs, 30.0))
    totals = np.log1p(phrases._RATES[:, None] * (ratios[None, :] - 1.0)).sum(axis=1)
    best = int(np.argmax(totals))
    return float(totals[best]), float(phrases._RATES[best])


@pytest.mark.parametrize("seed", range(4))
def test_statistics_of_many_texts_are_those_of_each_alone(seed: int) -> None:
    # Sizes around the pairwise-summation block (128) and beyond, empty runs among them; the sums must
    # agree to the last bit, which random values would show if the terms were added in another order.
    rng = np.random.default_rng(seed)
    sizes = rng.choice([0, 1, 2, 7, 8, 9, 31, 127, 128, 129, 300, 1000], size=12)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    log_lrs = rng.normal(-1.0, 4.0, int(bounds[-1]))
    log_lrs[rng.random(len(log_lrs)) < 0.02] = 40.0  # past the cap of 30
    statistics, rates = phrases._statistics(log_lrs, bounds)
    expected = [_slow_statistic(log_lrs[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    assert list(zip(statistics, rates, strict=True)) == expected
    assert [document_statistic(log_lrs[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)] == expected


def _slow_verdict(checker: PhraseChecker, text: str) -> SpinResult:
    """``check`` as first written: one text, its likelihood ratios, statistic and evidence on their own."""
    model = checker.model
    assert model is not None
    analysis = checker._analyse(text)
    if not analysis.english:
        return SpinResult(score=0.0, spun=False, evidence=())
    log_lrs = checker._log_lrs(analysis)
    statistic, rate = _slow_statistic(log_lrs)
    score = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, (statistic - model.threshold) / model.scale))))
    spun = score >= checker.threshold
    if spun and rate > 0:
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs + math.log(rate / (1.0 - rate)))))
        keep = posterior >= phrases._EVIDENCE_POSTERIOR
    else:
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs - model.strong_log_lr)))
        keep = (log_lrs >= model.strong_log_lr) | ~np.isnan(analysis.fixed_log_lr)
    runs = phrases._runs(text, analysis, np.flatnonzero(keep))
    joint = phrases._restore_jointly([(text, analysis, run) for run in runs if phrases._restorable(analysis, run)],
                                     checker.data)
    evidence = phrases._evidence(text, analysis, runs, posterior, iter(joint))
    return SpinResult(score=round(score, 6), spun=spun and bool(evidence), evidence=evidence)


def _slow_joint_restoration(checker: PhraseChecker, text: str, analysis, group: list[int]) -> str | None:
    """``_restore_jointly`` by trying every reading of the run, each scored as one sequence with its context."""
    lm = checker.data.lm
    options = []
    for k in group:
        first, end = (int(x) for x in analysis.alternatives[k])
        options.append([text[int(analysis.starts[k]) : int(analysis.ends[k])], *checker.data.alt_text[first:end]])
    # The context words as the checker finds them (the same patterns, over the whole text before and after).
    before = phrases._WORD_BEFORE.search(text[: int(analysis.starts[group[0]])])
    after = phrases._WORD_AFTER.match(text[int(analysis.ends[group[-1]]) :])
    best, best_score = None, -math.inf
    for reading in itertools.product(*options):
        words = ([before.group(1)] if before else []) + " ".join(reading).split() + ([after.group(1)] if after else [])
        ids = [lm.ids.get(w.lower(), lm.unknown) for w in words]
        if not before:
            ids = [-1, *ids]
        score = float(lm.follow(np.array(ids[:-1]), np.array(ids[1:]))[0].sum())
        if score > best_score + 1e-9:
            best, best_score = reading, score
    assert best is not None
    return None if best == tuple(o[0] for o in options) else " ".join(best)


@pytest.mark.parametrize("text", [
    "The authorities forces near in on the town, officials stated on Monday.",
    "Rebels subsidized through Russian air power took the metropolis after a lengthy blockade.",
    SPUN,
])
def test_joint_restoration_of_a_run_is_the_best_reading(checker: PhraseChecker, text: str) -> None:
    analysis = checker._analyse(text)
    runs = [[k, k + 1] for k in range(len(analysis.starts) - 1)
            if 0 < analysis.starts[k + 1] - analysis.ends[k] <= 1 and text[analysis.ends[k]] == " "]
    runs = [run for run in runs if phrases._restorable(analysis, run)]
    assert runs
    # All the runs at once, as the checker does them, against each on its own the slow way.
    restored = phrases._restore_jointly([(text, analysis, run) for run in runs], checker.data)
    assert restored == [_slow_joint_restoration(checker, text, analysis, run) for run in runs]


def test_verdicts_of_a_batch_match_a_slow_verdict_of_each(checker: PhraseChecker) -> None:
    texts = [CLEAN, SPUN, "", "Le ministre a parlé mardi de la crise.", SPUN[:200], "counterfeit consciousness",
             CLEAN + " " + SPUN, "Rebels assailed the townspeople with a barrage of bombardments."]
    results = checker.check_many(texts)
    assert results == [_slow_verdict(checker, t) for t in texts]
    assert results[1].spun and results[1].evidence  # the spun text is judged by its rate, with evidence


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("They assailed the town at night.", "assailed"),
        ("The council spurned that petition on Friday.", "petition"),
        ("Residents cautioned that prices would rise.", "cautioned"),
    ],
)
def test_restoration_gain_matches_a_slow_computation(checker: PhraseChecker, text: str, word: str) -> None:
    lm = checker.data.lm
    words = text.rstrip(".").split()
    at = words.index(word)
    ids = [lm.ids.get(w.lower(), lm.unknown) for w in words]
    left, right = ids[at - 1], ids[at + 1]

    def phrase(middle: list[int]) -> float:
        total, previous = 0.0, left
        for w in middle:
            total += _slow_follow(checker, previous, w)
            previous = w
        return total + _slow_follow(checker, previous, right)

    first, end = checker.data.forms[word]
    options = checker.data.alt_text[first:end]
    best = max(phrase([lm.ids.get(w, lm.unknown) for w in o.split(" ")]) for o in options)
    expected = np.clip(best - phrase([ids[at]]), -3.0, 8.0)
    (candidate,) = [c for c in checker.candidates(text) if c.text == word]
    assert candidate.features[0] == pytest.approx(expected)


# ---------------------------------------------------------------------------------------------------------
# Properties.

_TOKENS = st.sampled_from(
    ["the", "council", "said", "voted", "metropolis", "twelvemonth", "Kyiv", "café", "naïve", "2024", "3.5",
     "don't", "minister's", "thrusted", "—", ",", ".", "\n\n", "“quoted”", "a", "blessing", "in", "camouflage"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TOKENS, max_size=60), st.sampled_from([" ", "  ", "\t", " - "]))
def test_result_is_well_formed_and_deterministic(checker: PhraseChecker, tokens: list[str], gap: str) -> None:
    text = gap.join(tokens)
    result = checker.check(text)
    assert 0.0 <= result.score <= 1.0
    assert result.spun == (result.score >= checker.threshold)
    previous_end = -1
    for evidence in result.evidence:
        assert 0 <= evidence.start < evidence.end <= len(text)
        assert text[evidence.start : evidence.end] == evidence.text
        assert evidence.start > previous_end  # in order, never overlapping
        assert 0.0 <= evidence.weight <= 1.0
        previous_end = evidence.end
    assert checker.check(text) == result


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-20, 20), max_size=40), st.floats(0.01, 20))
def test_statistic_grows_with_a_more_suspicious_word(log_lrs: list[float], extra: float) -> None:
    before, _ = document_statistic(np.array(log_lrs))
    after, rate = document_statistic(np.array([*log_lrs, extra]))
    assert after >= before
    assert document_statistic(np.array(log_lrs[::-1]))[0] == pytest.approx(before)
    assert 0.0 < rate <= 0.5


@pytest.mark.parametrize("batch_size", [1, 2, 64])
def test_check_many_is_check_of_each(checker: PhraseChecker, batch_size: int) -> None:
    texts = [CLEAN, "", SPUN, "Le ministre a parlé mardi de la crise.", CLEAN[:120], "counterfeit consciousness"]
    assert checker.check_many(texts, batch_size=batch_size) == [checker.check(t) for t in texts]


def test_check_many_batches_by_characters_too(checker: PhraseChecker, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [CLEAN, "", SPUN, CLEAN[:120], "counterfeit consciousness", SPUN[:300]]
    expected = [checker.check(t) for t in texts]
    batches: list[list[str]] = []
    analyse_many = checker._analyse_many

    def spy(batch: list[str], tokens: None) -> list:
        batches.append(batch)
        return analyse_many(batch, tokens)

    monkeypatch.setattr(checker, "_analyse_many", spy)
    monkeypatch.setattr(phrases, "_BATCH_CHARS", 500)
    assert checker.check_many(texts) == expected
    # Never past 500 characters, unless one text is longer: it goes alone.
    assert [len(b) for b in batches] == [1, 1, 1, 3]
    assert all(len(b) == 1 or sum(map(len, b)) <= 500 for b in batches)


def test_check_many_checks_batch_size(checker: PhraseChecker) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        checker.check_many([CLEAN], batch_size=0)


def test_threshold_is_checked_and_used() -> None:
    with pytest.raises(ValueError, match="threshold"):
        load_checker(threshold=1.0)
    # The opening of the spun text, whose score is short of 1 (the whole text's rounds to 1).
    opening = SPUN[:150]
    score = load_checker().check(opening).score
    assert 0.5 < score < 0.999
    assert load_checker(threshold=score - 1e-6).check(opening).spun  # the score shown is rounded
    assert not load_checker(threshold=score + 1e-6).check(opening).spun


def test_data_is_loaded_once() -> None:
    assert load_checker().data is load_checker().data


# ---------------------------------------------------------------------------------------------------------
# User phrase lists.


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("list.csv", "phrase,original\nprofound neural nets,deep neural networks\n"),
        ("list.txt", "# tortured phrases\nprofound neural nets,deep neural networks\n"),
        ("list.json", json.dumps({"profound neural nets": "deep neural networks"})),
        ("list.json", json.dumps([{"phrase": "profound neural nets", "original": "deep neural networks"}])),
        ("list.json", json.dumps([["profound neural nets", "deep neural networks"]])),
    ],
)
def test_user_phrase_lists_are_matched(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_phrase_list(str(path)) == [("profound neural nets", "deep neural networks")]
    text = "The team trained Profound Neural Nets on the archive."
    (evidence,) = load_checker([str(path)]).check(text).evidence
    assert (evidence.text, evidence.original) == ("Profound Neural Nets", "deep neural networks")
    assert name in evidence.reason


@pytest.mark.parametrize(
    ("name", "content", "where", "fix"),
    [
        ("bad.csv", "phrase,original\nonly one column\n", "bad.csv:2", "phrase,original"),
        ("bad.csv", "phrase,original\n ,nothing\n", "bad.csv:2", "Give the phrase"),
        ("bad.json", '{"a": "b",\n "c": }', "bad.json:2", "quotes and commas"),
        ("bad.json", '[\n {"phrase": "fine", "original": "ok"},\n {"original": "no phrase"}\n]', "bad.json:3", "Use"),
        ("bad.json", '"just a string"', "bad.json:1", "Use"),
    ],
)
def test_bad_phrase_lists_name_file_line_and_fix(tmp_path: Path, name: str, content: str, where: str,
                                                 fix: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_checker([str(path)])
    message = str(caught.value)
    assert message.startswith(str(tmp_path / where))
    assert fix in message


@pytest.mark.parametrize(
    ("name", "data"), [("missing.csv", None), ("latin1.csv", "caf\xe9,coffee\n".encode("latin-1"))]
)
def test_unreadable_phrase_lists(tmp_path: Path, name: str, data: bytes | None) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputError, match=name):
        load_phrase_list(str(path))


# ---------------------------------------------------------------------------------------------------------
# Shipped data.


def test_every_data_file_says_where_it_came_from() -> None:
    folder = resources.files("dedup.data")
    names = {entry.name for entry in folder.iterdir() if entry.is_file()}
    data_files = {n for n in names if not n.endswith((".LICENSE", ".md", ".py", ".pyc"))}
    assert {"phrase_lm.npz", "phrase_alternatives.npz", "phrase_model.json"} <= data_files
    for name in data_files:
        assert f"{name}.LICENSE" in names, name


def test_a_long_repeated_clean_text_is_not_flagged_without_evidence() -> None:
    from pathlib import Path

    from dedup.spin.phrases import load_checker

    seed = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "001_7accc43c01826d1b.txt"
    # Sixty copies of a clean article: weak signals add up, but no phrase stands out, so no flag.
    result = load_checker().check(" ".join(seed.read_text(encoding="utf-8").split() * 60))
    assert not result.spun


@pytest.mark.parametrize("rate", [0.02, 0.04])
def test_ocr_noise_is_not_spinning(rate: float) -> None:
    import random
    from pathlib import Path

    from dedup.spin.phrases import load_checker

    seeds = Path(__file__).resolve().parents[2] / "examples" / "seeds"
    rng = random.Random(11)
    look_alikes = {"m": "rn", "l": "1", "e": "c", "o": "0", "u": "ii", "h": "li"}
    for name in ("000_c5747d1115790d1d.txt", "001_7accc43c01826d1b.txt", "002_142733eb08f806b7.txt"):
        text = (seeds / name).read_text(encoding="utf-8")
        noised = []
        for char in text:
            draw = rng.random()
            if char.isalpha() and draw < rate / 3:
                noised.append(look_alikes.get(char, char + char))  # a misread or doubled letter
            elif char.isalpha() and draw < rate / 2:
                continue  # a dropped letter
            else:
                noised.append(char)
        result = load_checker().check("".join(noised))
        assert not result.spun, (name, rate, result.score, [e.text for e in result.evidence][:5])


# ---------------------------------------------------------------------------------------------------------
# The batch scan against the obvious reading of each text.

_GAPPY = st.lists(
    st.sampled_from(["the", "Council", "said", "minister's", "café", "Ünited", "2024", "a", "blessing", "in",
                     "camouflage", "carried", "out", "\u00c9t\u00e9", "\u0130stanbul"]),
    max_size=12,
)
_GAPS = st.sampled_from([" ", "  ", ", ", ". ", "; ", " (", ") ", '" ', "\n", " \u2014 ", "\u201c", " - ", "/", "'"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_GAPPY, _GAPS), max_size=4))
def test_breaks_and_case_of_each_word_match_a_slow_reading(checker: PhraseChecker, docs: list) -> None:
    texts = [gap.join(words) for words, gap in docs]
    scan = checker._scan(texts, [tokenize(t) for t in texts])
    clause, sentence, upper, lower = [], [], [], []
    for text in texts:
        tokens = tokenize(text)
        for i, start in enumerate(tokens.starts):
            gap = text[tokens.ends[i - 1] : start] if i else "\n"  # a text's first word opens a sentence
            clause.append(any(c in ".,;:!?()[]{}\"\u201c\u201d/|\n\u2014\u2013-'" for c in gap))
            sentence.append(any(c in '.!?:;"\u201c\u201d\n' for c in gap))
            upper.append(text[start].isupper())
            lower.append(text[start].islower())
        # The separator after each text: a break, and no letter.
        clause.append(True)
        sentence.append(True)
        upper.append(False)
        lower.append(False)
    fast = phrases._read_slots(texts, scan.starts, scan.ends, scan.offsets)
    assert [flags.tolist() for flags in fast] == [clause, sentence, upper, lower]
    assert scan.run.tolist() == [sum(clause[1 : k + 1]) for k in range(len(clause))]


def _slow_broken_expression(checker: PhraseChecker, forms: list[str], run: list[int], i: int) -> str | None:
    # Every window of three to five words around word i in one clause, looked up as it is.
    data = checker.data
    span = data.forms.get(forms[i])
    if span is None:
        return None
    options = set(data.alt_text[span[0] : span[1]])
    for size in (3, 4, 5):
        for slot in range(size):
            start, end = i - slot, i - slot + size
            if start < 0 or end > len(forms) or run[start] != run[end - 1]:
                continue
            others = (*forms[start:i], *forms[i + 1 : end])
            for filler in data.expressions.get((slot, others), ()):
                if filler in options:
                    return " ".join((*forms[start:i], filler, *forms[i + 1 : end]))
    return None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "blessing", "in", "camouflage", "disguise", "the", "kicked", "bucket", "pail",
                                 "spilled", "beans", "legumes", ",", "."]), max_size=14))
def test_broken_expressions_match_a_slow_search(checker: PhraseChecker, words: list[str]) -> None:
    text = " ".join(words)
    scan = checker._scan([text], [tokenize(text)])
    slots = np.arange(len(scan.forms))
    shapes = checker._expression_shapes(scan, slots)
    for k in slots.tolist():
        tried = [shape for shape, hit in zip(phrases._EXPRESSION_SHAPES, shapes[k], strict=True) if hit]
        expected = _slow_broken_expression(checker, scan.forms, scan.run.tolist(), k)
        assert checker._broken_expression(scan.forms, k, tried) == expected


def test_vocabulary_starts_afresh_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [CLEAN, SPUN, "counterfeit consciousness", "The old mill was ruinated by the flood."]
    expected = load_checker().check_many(texts)
    monkeypatch.setattr(phrases._Vocabulary, "LIMIT", 20)
    checker = load_checker()
    assert checker.check_many(texts, batch_size=1) == expected
    assert len(checker._vocabulary.numbers) <= 20  # it did start afresh (the four texts hold many more words)


# ---------------------------------------------------------------------------------------------------------
# Bounded cost.


@pytest.mark.parametrize("word", [
    "disproportionatelydisproportionately",  # two of the longest common words run together: a missing space
    "disproportionatelydisproportionatelyx",  # one letter past the bound
    "disproportionatelx",
    "x" * 60,
])
def test_typo_bound_answers_as_the_full_search(checker: PhraseChecker, word: str) -> None:
    """A word longer than twice the longest common word is answered at once, as the full search answers."""
    unbounded = PhraseChecker(checker.data, checker.model)
    unbounded._longest_common = 10**9  # no word is too long: every edit is tried
    assert checker._near_common_word(word) == unbounded._near_common_word(word)


def test_one_long_word_is_checked_in_linear_time(checker: PhraseChecker) -> None:
    """A 30k-character "word" took 12 s when every edit of it was built and looked up."""
    word = "".join("abcdefghij"[(k * 7) % 10] for k in range(30_000))
    started = time.perf_counter()
    result = checker.check(f"The army said on Monday that {word} was seen near the border.")
    assert time.perf_counter() - started < 3.0
    assert not result.spun
