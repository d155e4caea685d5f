"""Typos and OCR misreadings: unknown words that are near misses of common words, not a spinner's swaps.

A lower-case word no word list knows ("thrusted") is a sign of spin, typical of naive re-inflection; but
typos and OCR misreadings ("shoiild", "theinterim", "captan") are unknown words too. They are one keystroke
(or one missing space) away from a common word, where a spinner swaps in real words, so such words are not
counted, or every OCR-noised text would be flagged; and in a text with many of them (``NOISY_TEXT``) no
unknown word counts at all.
"""

from __future__ import annotations

from dedup.spin.language_model import LanguageModel

__all__ = ["NOISY_TEXT", "Typos", "longest_common_word", "near_common_word"]

# An unknown word one keystroke from a word at least this common (Zipf scale) is a typo, not a spinner's swap.
_TYPO_TARGET_ZIPF = 3.0
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Share of a text's lower-case words that are typos above which the text is OCR-noisy: spun articles by our
# spinner reach 0.077 at most (its odd inflections look like typos), OCR-noised ones 0.154 at the median.
NOISY_TEXT = 0.08
# Letter groups an OCR engine reads for one another (the common look-alikes of printed Latin type).
_LOOK_ALIKES = (("rn", "m"), ("m", "rn"), ("ii", "u"), ("u", "ii"), ("cl", "d"), ("d", "cl"), ("vv", "w"),
                ("li", "h"), ("nn", "m"), ("in", "m"))


class Typos:
    """Which unknown words look like typos of common words, remembered word by word (one per checker).

    >>> from dedup.spin.data import shipped
    >>> typo = Typos(shipped()[0].lm).looks_like_typo
    >>> typo("shoiild"), typo("theinterim"), typo("qzxv")
    (True, True, False)
    """

    # Beyond this many words remembered (OCR output has no end of them) the memory starts afresh.
    LIMIT = 200_000

    def __init__(self, lm: LanguageModel) -> None:
        self.lm = lm
        self.seen: dict[str, bool] = {}  # word -> whether it looks like a typo of a common word
        self.longest: int | None = None  # length of the longest common word, found on first need

    def looks_like_typo(self, word: str) -> bool:
        """Whether an unknown ``word`` is one keystroke (or one missing space) away from a common word."""
        cached = self.seen.get(word)
        if cached is not None:
            return cached
        if len(self.seen) > self.LIMIT:  # unbounded vocabularies (OCR output) must not grow it for ever
            self.seen.clear()
        if self.longest is None:
            self.longest = longest_common_word(self.lm)
        self.seen[word] = found = near_common_word(word, self.lm, self.longest)
        return found


def longest_common_word(lm: LanguageModel) -> int:
    """The length of the longest word of ``lm`` common enough to be the target of a typo.

    >>> from dedup.spin.data import shipped
    >>> longest_common_word(shipped()[0].lm) > 10
    True
    """
    return max((len(w) for w, k in lm.ids.items() if lm.zipf[k] >= _TYPO_TARGET_ZIPF), default=0)


def near_common_word(word: str, lm: LanguageModel, longest: int) -> bool:
    """Whether one edit makes ``word`` a common word of ``lm``: two letters read for one or one for two (OCR
    look-alikes), a letter too many, missing or misread, or a missing space between two common words.

    ``longest`` is the length of the longest common word (``longest_common_word``). Each edit builds a string
    of about ``len(word)`` letters for each of ``len(word)`` positions, so the work is quadratic in the word's
    length (one 100k-character "word" took minutes). Every edit but the missing space changes the length by
    at most one, and a missing space splits the word in two common words, so a word longer than twice the
    longest common word cannot be a near miss of one: it is answered at once, with the same answer the full
    search would give.

    >>> from dedup.spin.data import shipped
    >>> lm = shipped()[0].lm
    >>> near_common_word("captan", lm, longest_common_word(lm)), near_common_word("qzxv", lm, 10**9)
    (True, False)
    """
    ids, zipf = lm.ids, lm.zipf
    n = len(word)
    if n > 2 * longest:
        return False

    def common(w: str) -> bool:
        k = ids.get(w)
        return k is not None and zipf[k] >= _TYPO_TARGET_ZIPF

    for seen, meant in _LOOK_ALIKES:  # two letters read for one ("rn" for "m") or one for two
        at = word.find(seen)
        while at >= 0:
            if common(word[:at] + meant + word[at + len(seen) :]):
                return True
            at = word.find(seen, at + 1)
    if any(common(word[:k] + word[k + 1 :]) for k in range(n)):  # a letter too many
        return True
    if any(common(word[:k]) and common(word[k:]) for k in range(2, n - 1)):  # a missing space
        return True
    for k in range(n + 1):
        for letter in _LETTERS:
            if common(word[:k] + letter + word[k:]):  # a letter missing
                return True
            if k < n and letter != word[k] and common(word[:k] + letter + word[k + 1 :]):  # a letter misread
                return True
    return False
