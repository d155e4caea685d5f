"""Tests of benchmarks.spin_fit: it spins with the fit spinners only, and names the rule that kept a pair from
being ``spun``."""

from __future__ import annotations

from benchmarks.spin_fit import FIT_SPINNERS, why_not_spun
from dedup.config import ScanConfig

ORIGINAL = ("Police pursued the stolen car along the Stuart Highway. Senior Sergeant Potts says the man was caught "
            "after the short chase through the bush and is being questioned by detectives.")


def test_the_held_out_families_are_never_fitted_on() -> None:
    assert {"mixed", "idiom"}.isdisjoint(FIT_SPINNERS)


def test_the_reason_names_the_gate_that_stopped_the_pair() -> None:
    other = ("Markets in Tokyo rose sharply on Friday as investors bought shares of exporters, and the yen "
             "weakened against the dollar for a third week.")
    assert why_not_spun(ORIGINAL, other, None, ScanConfig())[0] == "character gate"
    assert why_not_spun(ORIGINAL, ORIGINAL.replace("short", "brief"), "near_duplicate",
                        ScanConfig())[0] == "labelled near_duplicate"
    # A pair the verdict would call spun but no channel proposed.
    spun = ORIGINAL.replace("says the man was caught after the short chase through",
                            "puts forward the adult male was paid off following the fading pursuit direct")
    assert why_not_spun(ORIGINAL, spun, None, ScanConfig())[0] == "not proposed"
