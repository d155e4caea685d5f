"""Tests of the phrase checker (dedup.spin.checker): verdicts on whole texts, batches and thresholds."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.model import SpinResult
from dedup.spin import PhraseChecker, load_checker
from tests.spin.references import slow_verdict
from tests.spin.samples import CLEAN, SEEDS, SPUN


def _words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------------------------
# Verdicts.


@pytest.mark.parametrize(("text", "spun"), [(CLEAN, False), (SPUN, True)])
def test_clean_and_spun_paragraphs(checker: PhraseChecker, text: str, spun: bool) -> None:
    result = checker.check(text)
    assert result.spun is spun
    assert (result.score >= 0.5) is spun


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


def test_verdicts_of_a_batch_match_a_slow_verdict_of_each(checker: PhraseChecker) -> None:
    texts = [CLEAN, SPUN, "", "Le ministre a parlé mardi de la crise.", SPUN[:200], "counterfeit consciousness",
             CLEAN + " " + SPUN, "Rebels assailed the townspeople with a barrage of bombardments."]
    # Words two spaces or a slash apart (not one phrase), and candidates that overlap ("carried out" and "out").
    texts += [SPUN.replace(" ", "  "), SPUN.replace(" ", "/"),
              SPUN + " The army carried out strikes on the town and set up camps."]
    results = checker.check_many(texts)
    assert results == [slow_verdict(checker, t) for t in texts]
    assert results[1].spun and results[1].evidence  # the spun text is judged by its rate, with evidence


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


@pytest.mark.parametrize("batch_size", [1, 2, 64])
def test_check_many_is_check_of_each(checker: PhraseChecker, batch_size: int) -> None:
    texts = [CLEAN, "", SPUN, "Le ministre a parlé mardi de la crise.", CLEAN[:120], "counterfeit consciousness"]
    assert checker.check_many(texts, batch_size=batch_size) == [checker.check(t) for t in texts]


def test_check_many_batches_by_characters_too(checker: PhraseChecker, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [CLEAN, "", SPUN, CLEAN[:120], "counterfeit consciousness", SPUN[:300]]
    expected = [checker.check(t) for t in texts]
    batches: list[list[str]] = []
    analyse_many = checker.analyse_many

    def spy(batch: list[str], tokens: None) -> list:
        batches.append(batch)
        return analyse_many(batch, tokens)

    monkeypatch.setattr(checker, "analyse_many", spy)
    monkeypatch.setattr("dedup.spin.checker.BATCH_CHARS", 500)
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
    # The opening of the spun text: its score is neither 0 nor 1, so a threshold just either side of it counts.
    opening = SPUN[:250]
    score = load_checker().check(opening).score
    assert 0.5 < score < 0.999
    assert load_checker(threshold=score - 1e-6).check(opening).spun  # the score shown is rounded
    assert not load_checker(threshold=score + 1e-6).check(opening).spun


def test_a_text_said_three_times_is_no_more_suspicious_than_once(checker: PhraseChecker) -> None:
    # A hint of spin that recurs is one hint (``repeats_muted``); what reads as written counts every time.
    for text in (CLEAN, SPUN):
        assert checker.statistic("\n\n".join([text] * 3))[0] <= checker.statistic(text)[0] + 1e-9


def test_a_long_repeated_clean_text_is_not_flagged_without_evidence() -> None:
    seed = SEEDS / "001_7accc43c01826d1b.txt"
    # Sixty copies of a clean article: weak signals add up, but no phrase stands out, so no flag.
    result = load_checker().check(" ".join(seed.read_text(encoding="utf-8").split() * 60))
    assert not result.spun


def test_score_is_one_half_at_the_threshold_of_the_texts_bin() -> None:
    # With one threshold per bin of candidate counts, a text's score is 0.5 where its statistic meets the
    # threshold of its own bin: the default threshold 0.5 keeps meaning "at the calibrated threshold".
    checker = load_checker()
    statistic, _ = checker.statistic(SPUN)
    count = len(checker.analyse(SPUN).starts)
    assert checker.model is not None
    checker.model = dataclasses.replace(checker.model, threshold=statistic - 100.0,
                                        thresholds=((count, statistic - 100.0), (count + 1, statistic)))
    assert checker.check(SPUN).score == 0.5
    checker.model = dataclasses.replace(checker.model, thresholds=((count + 1, statistic + 100.0),))
    assert not checker.check(SPUN).spun


def test_margins_order_texts_as_their_scores_and_cross_zero_at_the_threshold(checker: PhraseChecker) -> None:
    texts = [CLEAN, SPUN, CLEAN[:120], SPUN[:300], "Le ministre a parlé mardi de la crise et des élections."]
    margins = checker.margins(texts)
    results = checker.check_many(texts)
    assert margins[-1] == float("-inf")  # not English: not judged
    for margin, result in zip(margins[:-1], results[:-1], strict=True):
        assert (margin >= 0) == (result.score >= 0.5)
        statistic, _rate = checker.statistic(texts[margins.index(margin)])
        assert statistic - margin == pytest.approx(checker.model.threshold_for(len(checker.analyse(
            texts[margins.index(margin)]).starts)))
    assert margins[1] > margins[0]
