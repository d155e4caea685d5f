"""The phrase checks: whether one text reads as spun, with no source to compare it with.

``load_checker`` builds a ``PhraseChecker`` with the shipped data (``dedup.spin.data``) and the user's phrase
lists; ``check`` and ``check_many`` give each text a ``SpinResult``. How the checks work, step by step, is
told in ``dedup.spin.checker``; each step has its module here.

>>> load_checker().check("The minister said the talks would resume on Monday.").spun
False
"""

from dedup.spin.analysis import Candidate
from dedup.spin.checker import PhraseChecker, load_checker
from dedup.spin.data import PhraseData
from dedup.spin.language_model import LanguageModel
from dedup.spin.lexicon import load_phrase_list
from dedup.spin.statistic import document_statistic
from dedup.spin.word_model import FEATURES, Model

__all__ = [
    "FEATURES",
    "Candidate",
    "LanguageModel",
    "Model",
    "PhraseChecker",
    "PhraseData",
    "document_statistic",
    "load_checker",
    "load_phrase_list",
]
