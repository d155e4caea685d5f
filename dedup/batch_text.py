"""Tokenising a whole batch of ASCII texts at once: numpy over their bytes instead of a regex per text.

For ASCII text this finds exactly the tokens ``features`` would get from its regular expression (tested so):
words (runs of letters, digits and underscores, joined by inner apostrophes, and followed by the ``.5`` or
``,000`` parts of numbers) and a sentence mark where end punctuation is followed, after any closing quotes or
brackets, by white space, at each line break, and at the end of each text. The result is arrays, not
strings: each token's hash, its document, whether it is a mark, and each document's words joined by single
spaces as character codes (what character n-grams are taken from). Python runs only for the few apostrophes
and number separators between word characters, since whether one joins depends on what came before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup.shingle import WordHasher, hash_spans

__all__ = ["MARK", "TokenArrays", "ascii_tokens", "merge", "token_arrays"]

MARK = "\x01"
"""The token that stands for a sentence end in token lists (``features``' per-text path)."""


def _table(chars: str) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(chars.encode("ascii"))] = True
    return table


_WORD = _table("abcdefghijklmnopqrstuvwxyz0123456789_")
_DIGIT = _table("0123456789")
_JOINER = _table("'.,")
_END = _table(".!?")
_CLOSING = _table("\"')]")
_SPACE = _table(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")  # what the regex's \s matches in ASCII text
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A") : ord("Z") + 1] += 32
_LOWER[ord("`")] = ord("'")  # the backquote is an apostrophe, as normalize() has it
_NEWLINE, _APOSTROPHE, _SPACE_CODE = ord("\n"), ord("'"), ord(" ")


@dataclass(frozen=True, slots=True)
class TokenArrays:
    """The tokens of a batch of texts, in text order, and the texts' words joined by single spaces.

    ``codes`` holds, text after text, each text's words joined by spaces followed by a 0 (a code no word
    holds); ``code_doc`` gives the text of each code, the 0s included.
    """

    hashes: np.ndarray  # uint64, one per token (marks included)
    doc: np.ndarray  # int64, the text of each token
    is_mark: np.ndarray  # bool
    codes: np.ndarray  # uint64 character codes
    code_doc: np.ndarray  # int64


def ascii_tokens(texts: Sequence[str]) -> TokenArrays:
    """The tokens of ASCII ``texts``, all found in one pass of array operations over their bytes.

    >>> t = ascii_tokens(["It's 3.5m. Yes", ""])
    >>> t.is_mark.tolist(), t.doc.tolist()
    ([False, False, False, True, False, True, True], [0, 0, 0, 0, 0, 0, 1])
    >>> bytes(t.codes[t.code_doc == 0].astype(np.uint8)).decode()
    "it's 3.5 m yes\\x00"
    """
    sizes = np.array([len(t) for t in texts], dtype=np.int64)
    # Texts laid end to end with one byte between them; which text a position is in comes from the positions
    # of those bytes, so a NUL inside a text changes nothing.
    data = _LOWER[np.frombuffer("\x00".join(texts).encode("ascii"), dtype=np.uint8)]
    size = len(data)
    text_end = np.cumsum(sizes + 1) - 1  # where each text's closing mark stands

    word = _WORD[data]
    before = np.concatenate(([False], word[:-1]))
    after = np.concatenate((word[1:], [False]))
    run_starts = np.flatnonzero(word & ~before)
    run_ends = np.flatnonzero(word & ~after) + 1

    joined, splits = _joins(data, word, before, after, run_starts, run_ends)
    in_token = word.copy()
    in_token[joined] = True
    in_before = np.concatenate(([False], in_token[:-1]))
    in_after = np.concatenate((in_token[1:], [False]))
    starts = np.sort(np.concatenate((np.flatnonzero(in_token & ~in_before), splits)))
    ends = np.sort(np.concatenate((np.flatnonzero(in_token & ~in_after) + 1, splits)))

    # Sentence ends: end punctuation whose next character other than closing quotes is white space.
    enders = np.flatnonzero(_END[data])
    others = np.append(np.flatnonzero(~_CLOSING[data]), size)  # ends with a stand-in for "no next character"
    next_char = others[np.searchsorted(others, enders + 1)]
    sentence_ends = enders[_SPACE[np.append(data, 0)[next_char]]]
    marks = np.concatenate((sentence_ends, np.flatnonzero(data == _NEWLINE), text_end))

    # Words and marks never start at the same position, so one flag array orders them.
    kind = np.zeros(size + 1, dtype=np.int8)
    kind[starts] = 1
    kind[marks] = 2
    positions = np.flatnonzero(kind)
    is_mark = kind[positions] == 2
    doc = np.searchsorted(text_end, positions)
    hashes = np.full(len(positions), _MARK_HASH, dtype=np.uint64)
    hashes[~is_mark] = hash_spans(data, starts, ends)
    codes, code_doc = _joined_codes(data, in_token, starts, ends, doc[~is_mark])
    return TokenArrays(hashes, doc, is_mark, codes, code_doc)


def _joins(
    data: np.ndarray,
    word: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
    run_starts: np.ndarray,
    run_ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Which apostrophes and number separators join the word runs either side, and where a run splits.

    An apostrophe joins unless the token before it has taken a number part (``3.5's`` is ``3.5`` and
    ``s``); a dot or comma joins when a digit follows, taking only the digits (``3.5m`` is ``3.5`` and
    ``m``): the rest of that run starts a new token, which is a split position.
    """
    between = np.flatnonzero(_JOINER[data] & before & after)
    if len(between) == 0:
        return between, between
    right = np.searchsorted(run_starts, between + 1)
    digit_first = _DIGIT[data[between + 1]]
    # Where the leading digits of each right-hand run end: at its first other character, or at its end.
    not_digit = np.append(np.flatnonzero(word & ~_DIGIT[data]), len(data))
    digits_end = np.minimum(not_digit[np.searchsorted(not_digit, between + 1)], run_ends[right])
    joined: list[int] = []
    splits: list[int] = []
    in_number: set[int] = set()  # runs whose last character belongs to a token that took a number part
    for at, r, digit, cut, end in zip(
        between.tolist(), right.tolist(), digit_first.tolist(), digits_end.tolist(), run_ends[right].tolist(),
        strict=True,
    ):
        if data[at] == _APOSTROPHE:
            if r - 1 not in in_number:
                joined.append(at)
        elif digit:
            joined.append(at)
            if cut < end:
                splits.append(cut)
            else:
                in_number.add(r)
    return np.array(joined, dtype=np.int64), np.array(splits, dtype=np.int64)


def _joined_codes(
    data: np.ndarray, in_token: np.ndarray, starts: np.ndarray, ends: np.ndarray, word_doc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each text's words joined by single spaces and closed by a 0, as codes, and the text of each code."""
    lengths = ends - starts
    last_of_text = np.concatenate((word_doc[1:] != word_doc[:-1], [True]))
    gaps = np.where(last_of_text, 0, _SPACE_CODE).astype(np.uint8)
    codes = np.insert(data[in_token], np.cumsum(lengths), gaps)
    return codes.astype(np.uint64), np.repeat(word_doc, lengths + 1)


_MARK_HASH = int(WordHasher().hash_words([MARK])[0])


def token_arrays(tokens: Sequence[Sequence[str]], doc: Sequence[int]) -> TokenArrays:
    """The same arrays from token lists (``MARK`` for a sentence end), for texts the ASCII path does not take.

    >>> t = token_arrays([["it's", "3.5", MARK, "yes", MARK]], [4])
    >>> t.doc.tolist(), bytes(t.codes.astype(np.uint8)).decode()
    ([4, 4, 4, 4, 4], "it's 3.5 yes\\x00")
    """
    flat = [w for ts in tokens for w in ts]
    hashes = WordHasher().hash_words(flat)
    is_mark = np.array([w == MARK for w in flat], dtype=bool)
    hashes[is_mark] = _MARK_HASH
    token_doc = np.repeat(np.asarray(doc, dtype=np.int64), [len(ts) for ts in tokens])
    pieces, piece_doc = [], []
    for ts, d in zip(tokens, doc, strict=True):
        words = [w for w in ts if w != MARK]
        if words:
            pieces.append(np.frombuffer((" ".join(words) + "\x00").encode("utf-32-le"), dtype=np.uint32))
            piece_doc.append(np.full(len(pieces[-1]), d, dtype=np.int64))
    codes = np.concatenate(pieces).astype(np.uint64) if pieces else np.empty(0, dtype=np.uint64)
    code_doc = np.concatenate(piece_doc) if piece_doc else np.empty(0, dtype=np.int64)
    return TokenArrays(hashes, token_doc, is_mark, codes, code_doc)


def merge(parts: Sequence[TokenArrays]) -> TokenArrays:
    """One set of arrays from parts over different texts, ordered by text (each text's own order kept)."""
    if len(parts) == 1:
        return parts[0]
    doc = np.concatenate([p.doc for p in parts])
    order = np.argsort(doc, kind="stable")
    code_doc = np.concatenate([p.code_doc for p in parts])
    code_order = np.argsort(code_doc, kind="stable")
    return TokenArrays(
        hashes=np.concatenate([p.hashes for p in parts])[order],
        doc=doc[order],
        is_mark=np.concatenate([p.is_mark for p in parts])[order],
        codes=np.concatenate([p.codes for p in parts])[code_order],
        code_doc=code_doc[code_order],
    )
