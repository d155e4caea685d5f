"""Texts shared by the tests of ``dedup.spin``."""

from __future__ import annotations

from pathlib import Path

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

