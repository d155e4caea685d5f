"""Tests of the evidence of the phrase checks (dedup.spin.evidence): spans and their original wording."""

from __future__ import annotations

import pytest

from dedup.spin import PhraseChecker
from dedup.spin.evidence import restorable, restore_jointly
from tests.spin.references import slow_joint_restoration
from tests.spin.samples import SPUN


def test_spun_paragraph_evidence_names_the_originals(checker: PhraseChecker) -> None:
    evidence = checker.check(SPUN).evidence
    restored = {(e.text.lower(), e.original) for e in evidence}
    # Swaps whose original the thesaurus and the language model can name without doubt.
    for pair in [("twelvemonth", "year"), ("youngsters", "children"), ("gathering", "meeting")]:
        assert pair in restored
    assert len(evidence) >= 10


@pytest.mark.parametrize("text", [
    "The authorities forces near in on the town, officials stated on Monday.",
    "Rebels subsidized through Russian air power took the metropolis after a lengthy blockade.",
    SPUN,
])
def test_joint_restoration_of_a_run_is_the_best_reading(checker: PhraseChecker, text: str) -> None:
    analysis = checker.analyse(text)
    runs = [[k, k + 1] for k in range(len(analysis.starts) - 1)
            if 0 < analysis.starts[k + 1] - analysis.ends[k] <= 1 and text[analysis.ends[k]] == " "]
    runs = [run for run in runs if restorable(analysis, run)]
    assert runs
    # All the runs at once, as the checker does them, against each on its own the slow way.
    restored = restore_jointly([(text, analysis, run) for run in runs], checker.data)
    assert restored == [slow_joint_restoration(checker, text, analysis, run) for run in runs]
