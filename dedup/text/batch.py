"""A whole batch of texts at once: numpy over the bytes of the ASCII ones instead of Python over each text.

``TextBatch`` is the entry point. It lays the batch's ASCII texts (and those that become ASCII once
``fold`` has plainified their quotes and dashes, as most news does) end to end as one buffer of bytes and
reads three things off it: tokens (``ascii_tokens``), each text's normalised form (``normalized_texts``,
for the exact-copy key) and each text's line keys (``line_keys``, for boilerplate). Other texts go through
the per-text code. Each fast path equals the per-text code (tested so).

Tokens: ``ascii_tokens`` finds exactly the tokens ``text_tokens`` gets from its regular expression: words
(runs of letters, digits and underscores, joined by inner apostrophes, and followed by the ``.5`` or
``,000`` parts of numbers) and a sentence mark where end punctuation is followed, after any closing quotes
or brackets, by white space, at each line break, and at the end of each text. The result is arrays, not
strings: each token's hash, its document, whether it is a mark, and each document's words joined by single
spaces as character codes (what character n-grams are taken from). Python runs only for the few apostrophes
and number separators between word characters, since whether one joins depends on what came before it.
Where the compiled kernels are built (``dedup.kernels``) one pass in Rust does all of it, from this module's
character tables; ``reference_ascii_tokens`` is the numpy form, which tests hold it equal to.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup import kernels
from dedup.text.hashing import WordHasher, hash_spans
from dedup.text.lines import line_keys as text_line_keys
from dedup.text.normalize import WORD, normalize, normalize_word
from dedup.text.sentences import CLOSING_MARKS, END_MARKS, SENTENCE_END, SENTENCE_MARK

__all__ = [
    "MARK",
    "MARK_HASH",
    "TOKEN_TABLES",
    "AsciiBatch",
    "TextBatch",
    "TokenArrays",
    "ascii_tokens",
    "fold",
    "reference_ascii_tokens",
    "Lines",
    "line_keys",
    "lines",
    "distinct_per_text",
    "merge",
    "normalized_texts",
    "text_tokens",
    "token_arrays",
]

MARK = "\x01"
"""The token that stands for a sentence end in token lists (``text_tokens``)."""

# The tokens of one ASCII text: one findall gives the words and, as tokens of their own, the sentence ends (end
# punctuation, after any closing quotes, followed by space; or a line break: ``sentences.SENTENCE_MARK``), which
# become the marker token. Batches of ASCII texts go through ascii_tokens instead, which is tested to equal this.
_ASCII_TOKEN = re.compile(r"[a-z0-9_]+(?:['`][a-z0-9_]+)*(?:[.,][0-9]+)*|" + SENTENCE_MARK)
_ENDS = frozenset(END_MARKS + "\n")


def text_tokens(text: str) -> list[str]:
    """The normalised words of one text with a ``MARK`` token wherever a sentence ends, and at the end.

    A text that ``fold`` makes ASCII (curly quotes, dashes, ligatures and the like) is read as its folded form.

    >>> text_tokens("It\u2019s 3.5.\u201d Yes")
    ["it's", '3.5', '\\x01', 'yes', '\\x01']
    """
    if not text.isascii():
        folded = fold(text)
        if folded.isascii():
            text = folded
    if text.isascii():
        lowered = text.lower()
        if "`" in lowered:  # the backquote is an apostrophe, as normalize() has it
            lowered = lowered.replace("`", "'")
        # A mark closes the text too, so no sentence runs on into the next document of a batch.
        return [MARK if t in _ENDS else t for t in _ASCII_TOKEN.findall(lowered)] + [MARK]
    tokens: list[str] = []
    for sentence in SENTENCE_END.split(text):
        tokens.extend(normalize_word(w) for w in WORD.findall(sentence))
        tokens.append(MARK)
    return tokens


def fold(text: str) -> str:
    """``text`` with the character mapping of ``normalize`` (Unicode NFKC, case folding, curly quotes and dashes
    made plain) but its white space kept: news text that is ASCII but for its quotes and dashes becomes ASCII,
    and is then read by the fast path. ``normalize(text) == normalize(fold(text))``.

    >>> fold("\u201cNo\u201d \u2014 Caf\u00e9")
    '"no" - café'
    """
    return normalize_word(text)


def _table(chars: str) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(chars.encode("ascii"))] = True
    return table


_WORD = _table("abcdefghijklmnopqrstuvwxyz0123456789_")
_JOINER = _table("'.,")
_END = _table(END_MARKS)
_CLOSING = _table(CLOSING_MARKS)
_SPACE = _table(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")  # what the regex's \s and str.split() take for space
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A") : ord("Z") + 1] += 32
_LOWER[ord("`")] = ord("'")  # the backquote is an apostrophe, as normalize() has it
_NEWLINE, _SPACE_CODE = ord("\n"), ord(" ")
_APOSTROPHES = frozenset(b"'`")
_DIGIT_BYTES = frozenset(b"0123456789")
_DIGITS = re.compile(rb"[0-9]*")


@dataclass(frozen=True, slots=True)
class TokenArrays:
    """The tokens of a batch of texts, in text order, and the texts' words joined by single spaces.

    ``codes`` holds, text after text, each text's words joined by spaces followed by a 0 (a code no word
    holds); ``code_doc`` gives the text of each code, the 0s included.
    """

    hashes: np.ndarray  # uint64, one per token (marks included)
    doc: np.ndarray  # int64, the text of each token
    is_mark: np.ndarray  # bool
    codes: np.ndarray  # uint32 character codes
    code_doc: np.ndarray  # int64


@dataclass(frozen=True, slots=True)
class AsciiBatch:
    """ASCII texts laid end to end, each closed by a 0 byte, as read (``raw``) and lower-cased (``data``).

    Which text a position is in comes from the positions of the closing bytes (``text_end``), so a NUL inside
    a text changes nothing.
    """

    raw: bytes
    data: np.ndarray  # uint8, lower-cased, the backquote made an apostrophe (as normalize() has it)
    text_end: np.ndarray  # int64, the position of each text's closing byte

    @classmethod
    def of(cls, texts: Sequence[str]) -> AsciiBatch:
        """The batch of ``texts``, which must all be ASCII (``str.isascii``)."""
        sizes = np.array([len(t) for t in texts], dtype=np.int64)
        raw = ("\x00".join(texts) + "\x00").encode("ascii")
        return cls(raw, _LOWER[np.frombuffer(raw, dtype=np.uint8)], np.cumsum(sizes + 1) - 1)


def ascii_tokens(batch: AsciiBatch) -> TokenArrays:
    """The tokens of the batch's texts, all found in one pass over their bytes.

    >>> t = ascii_tokens(AsciiBatch.of(["It's 3.5m. Yes", ""]))
    >>> t.is_mark.tolist(), t.doc.tolist()
    ([False, False, False, True, False, True, True], [0, 0, 0, 0, 0, 0, 1])
    >>> bytes(t.codes[t.code_doc == 0].astype(np.uint8)).decode()
    "it's 3.5 m yes\\x00"
    """
    if kernels.core is not None:
        raw = np.frombuffer(batch.raw, dtype=np.uint8)
        text_end = np.ascontiguousarray(batch.text_end, dtype=np.int64)
        found = kernels.call(kernels.core.ascii_tokens, raw, batch.data, text_end, TOKEN_TABLES, MARK_HASH)
        return TokenArrays(*found)
    return reference_ascii_tokens(batch)


def reference_ascii_tokens(batch: AsciiBatch) -> TokenArrays:
    """``ascii_tokens`` in array operations over the batch's bytes: the compiled kernel's reference."""
    raw, data, text_end = batch.raw, batch.data, batch.text_end
    size = len(data)

    word = _WORD[data]
    before = np.concatenate(([False], word[:-1]))
    after = np.concatenate((word[1:], [False]))
    run_starts = np.flatnonzero(word & ~before)
    run_ends = np.flatnonzero(word & ~after) + 1

    joined, splits = _joins(raw, data, before, after, run_starts, run_ends)
    in_token = word.copy()
    in_token[joined] = True
    in_before = np.concatenate(([False], in_token[:-1]))
    in_after = np.concatenate((in_token[1:], [False]))
    starts = np.flatnonzero(in_token & ~in_before)
    ends = np.flatnonzero(in_token & ~in_after) + 1
    if len(splits):  # "3.5m": one run of token characters, two tokens
        starts, ends = np.sort(np.concatenate((starts, splits))), np.sort(np.concatenate((ends, splits)))

    # Sentence ends: end punctuation whose next character other than closing quotes is white space. Closing
    # quotes are rare, so stepping over them a few times beats searching the whole buffer.
    # (The closing 0 of the last text is neither, so the steps never run off the end.)
    enders = np.flatnonzero(_END[data])
    following = enders + 1
    while True:
        closing = np.flatnonzero(_CLOSING[data[following]])
        if len(closing) == 0:
            break
        following[closing] += 1
    sentence_ends = enders[_SPACE[data[following]]]
    marks = np.concatenate((sentence_ends, np.flatnonzero(data == _NEWLINE), text_end))

    # Words and marks never start at the same position, so one flag array orders them.
    kind = np.zeros(size, dtype=np.int8)
    kind[starts] = 1
    kind[marks] = 2
    positions = np.flatnonzero(kind)
    is_mark = kind[positions] == 2
    doc = np.searchsorted(text_end, positions)
    hashes = np.full(len(positions), MARK_HASH, dtype=np.uint64)
    hashes[~is_mark] = hash_spans(data, starts, ends)
    codes, code_doc = _joined_codes(data, in_token, starts, ends, doc[~is_mark])
    return TokenArrays(hashes, doc, is_mark, codes, code_doc)


def _joins(
    raw: bytes,
    data: np.ndarray,
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
    right = np.searchsorted(run_starts, between + 1)
    joined: list[int] = []
    splits: list[int] = []
    in_number: set[int] = set()  # runs whose last character belongs to a token that took a number part
    for at, r, end in zip(between.tolist(), right.tolist(), run_ends[right].tolist(), strict=True):
        if raw[at] in _APOSTROPHES:
            if r - 1 not in in_number:
                joined.append(at)
        elif raw[at + 1] in _DIGIT_BYTES:
            joined.append(at)
            cut = _DIGITS.match(raw, at + 1).end()  # type: ignore[union-attr]  # [0-9]* always matches
            if cut < end:
                splits.append(cut)
            else:
                in_number.add(r)
    return np.array(joined, dtype=np.int64), np.array(splits, dtype=np.int64)


def _joined_codes(
    data: np.ndarray, in_token: np.ndarray, starts: np.ndarray, ends: np.ndarray, word_doc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each text's words joined by single spaces and closed by a 0, as codes, and the text of each code."""
    if len(word_doc) == 0:
        return np.empty(0, dtype=np.uint32), word_doc
    lengths = ends - starts
    last_of_text = np.concatenate((word_doc[1:] != word_doc[:-1], [True]))
    # The token bytes (the words, end to end) with a space after every word, then a 0 after each text's last.
    codes = _spaced(data[in_token], lengths, np.uint32)
    text_ends = np.cumsum(lengths + 1)[last_of_text]
    codes[text_ends - 1] = 0
    return codes, np.repeat(word_doc[last_of_text], np.diff(text_ends, prepend=0))


def _spaced(values: np.ndarray, lengths: np.ndarray, dtype: type) -> np.ndarray:
    """``values``, pieces of ``lengths`` laid end to end, with a space after every piece: each piece moves
    right by the number of pieces before it, in one scatter.

    >>> bytes(_spaced(np.frombuffer(b"abcd", dtype=np.uint8), np.array([1, 3]), np.uint8))
    b'a bcd '
    """
    out: np.ndarray = np.full(len(values) + len(lengths), _SPACE_CODE, dtype=dtype)
    out[np.arange(len(values)) + np.repeat(np.arange(len(lengths)), lengths)] = values
    return out


MARK_HASH = int(WordHasher().hash_words([MARK])[0])
"""The hash a sentence mark gets in ``TokenArrays``."""
TOKEN_TABLES = np.stack((_WORD, _JOINER, _END, _CLOSING, _SPACE)).astype(np.uint8)
"""The character classes as the compiled kernels take them, in their order."""


def token_arrays(tokens: Sequence[Sequence[str]], doc: Sequence[int]) -> TokenArrays:
    """The same arrays from token lists (``MARK`` for a sentence end), for texts the ASCII path does not take.

    >>> t = token_arrays([["it's", "3.5", MARK, "yes", MARK]], [4])
    >>> t.doc.tolist(), bytes(t.codes.astype(np.uint8)).decode()
    ([4, 4, 4, 4, 4], "it's 3.5 yes\\x00")
    """
    flat = [w for ts in tokens for w in ts]
    hashes = WordHasher().hash_words(flat)
    is_mark = np.array([w == MARK for w in flat], dtype=bool)
    hashes[is_mark] = MARK_HASH
    token_doc = np.repeat(np.asarray(doc, dtype=np.int64), [len(ts) for ts in tokens])
    pieces, piece_doc = [], []
    for ts, d in zip(tokens, doc, strict=True):
        words = [w for w in ts if w != MARK]
        if words:
            pieces.append(np.frombuffer((" ".join(words) + "\x00").encode("utf-32-le"), dtype=np.uint32))
            piece_doc.append(np.full(len(pieces[-1]), d, dtype=np.int64))
    codes = np.concatenate(pieces) if pieces else np.empty(0, dtype=np.uint32)
    code_doc = np.concatenate(piece_doc) if piece_doc else np.empty(0, dtype=np.int64)
    return TokenArrays(hashes, token_doc, is_mark, codes, code_doc)


def merge(first: TokenArrays, second: TokenArrays) -> TokenArrays:
    """One set of arrays from two over different texts, ordered by text (each text's own order kept).

    The second part's tokens and codes are inserted where their texts fall among the first's: one linear
    pass, no sort (the second part is the batch's few texts the ASCII path does not take).
    """
    at = np.searchsorted(first.doc, second.doc)
    code_at = np.searchsorted(first.code_doc, second.code_doc)
    return TokenArrays(
        hashes=np.insert(first.hashes, at, second.hashes),
        doc=np.insert(first.doc, at, second.doc),
        is_mark=np.insert(first.is_mark, at, second.is_mark),
        codes=np.insert(first.codes, code_at, second.codes),
        code_doc=np.insert(first.code_doc, code_at, second.code_doc),
    )


@dataclass(frozen=True, slots=True)
class Lines:
    """The non-blank lines of a batch's texts as ``normalize`` has each line, end to end.

    ``data`` holds the normalised lines' bytes; line k is ``data[starts[k]:ends[k]]`` and belongs to text
    ``text[k]``. Lines are in text order.
    """

    data: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    text: np.ndarray


def lines(batch: AsciiBatch) -> Lines:
    """Every line with each run of white space in it made one space and the white space at its ends dropped.

    >>> found = lines(AsciiBatch.of(["  One\\t two\\n\\n x ", "Y"]))
    >>> [found.data[s:e].tobytes() for s, e in zip(found.starts, found.ends)], found.text.tolist()
    ([b'one two', b'x', b'y'], [0, 0, 1])
    """
    data = batch.data
    breaks = data == _NEWLINE
    breaks[batch.text_end] = True
    space = _SPACE[data] & ~breaks
    content = ~space & ~breaks
    # A run of spaces is kept, as one space, when content stands right before it and right after it (a break
    # closes every line, so the byte after a run always exists).
    run_first = np.flatnonzero(space & ~np.concatenate(([False], space[:-1])))
    run_last = np.flatnonzero(space & ~np.concatenate((space[1:], [False])))
    inner = run_first[(run_first > 0) & content[run_first - 1] & content[run_last + 1]]
    keep = content.copy()
    keep[inner] = True
    squeezed = data.copy()
    squeezed[inner] = _SPACE_CODE
    line_of_byte = (np.cumsum(breaks) - breaks)[keep]  # a byte's line: the breaks before it
    line_break = np.flatnonzero(breaks)  # line k ends at the k-th break
    numbers = np.arange(len(line_break))
    starts = np.searchsorted(line_of_byte, numbers)
    ends = np.searchsorted(line_of_byte, numbers, side="right")
    nonblank = ends > starts
    text = np.searchsorted(batch.text_end, line_break[nonblank])
    return Lines(squeezed[keep], starts[nonblank], ends[nonblank], text)


def normalized_texts(batch: AsciiBatch, found: Lines | None = None) -> list[bytes]:
    """Each text as ``normalize`` has it (lower-cased, white space collapsed and trimmed), UTF-8 encoded:
    its non-blank ``lines`` joined by single spaces.

    >>> normalized_texts(AsciiBatch.of(["  One\\n\\n Two ", "A`s", ""]))
    [b'one two', b"a's", b'']
    """
    found = found if found is not None else lines(batch)
    count = len(batch.text_end)
    if len(found.starts) == 0:
        return [b""] * count
    # The lines with a space after each: between two lines of a text (the one after a text's last line is
    # never read).
    lengths = found.ends - found.starts
    joined = _spaced(found.data, lengths, np.uint8)
    line_start = found.starts + np.arange(len(lengths))
    # A text's normalised form runs from its first line's start to its last line's end.
    first = np.searchsorted(found.text, np.arange(count))
    last = np.searchsorted(found.text, np.arange(count), side="right") - 1
    has_lines = last >= first
    starts = line_start[first[has_lines]].tolist()
    ends = (line_start + lengths)[last[has_lines]].tolist()
    raw = joined.tobytes()
    out = [b""] * count
    for text, start, end in zip(np.flatnonzero(has_lines).tolist(), starts, ends, strict=True):
        out[text] = raw[start:end]
    return out


def line_keys(batch: AsciiBatch, found: Lines | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The key of every non-blank line of the batch's texts, and the text of each, in order.

    A line's key is the word hash (``shingle.hash_spans``) of the line as ``normalize`` has it, as
    ``dedup.text.lines.line_keys`` gives for a text on its own, as int64.

    >>> keys, text = line_keys(AsciiBatch.of(["Ad\\n\\n  ad ", "Story"]))
    >>> bool(keys[0] == keys[1]), text.tolist()
    (True, [0, 0, 1])
    """
    found = found if found is not None else lines(batch)
    return hash_spans(found.data, found.starts, found.ends).view(np.int64), found.text


class TextBatch:
    """Texts read together: the ASCII ones through ``AsciiBatch`` at once, any others one by one.

    >>> batch = TextBatch(["Ad\\nOne", "caf\\u00e9 Ad"])
    >>> batch.normalized()
    [b'ad one', b'caf\\xc3\\xa9 ad']
    >>> batch.line_keys()[1].tolist()
    [0, 0, 1]
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        # Texts that are ASCII once folded take the fast path as their folded form (same tokens, same keys).
        readable = [t if t.isascii() else fold(t) for t in self.texts]
        self.ascii_at = [i for i, t in enumerate(readable) if t.isascii()]
        self.others = [i for i, t in enumerate(readable) if not t.isascii()]
        self.ascii = AsciiBatch.of([readable[i] for i in self.ascii_at]) if self.ascii_at else None
        self._lines: Lines | None = None
        self._kernel_lines: tuple[list[bytes], np.ndarray, list[int]] | None = None

    def _compiled_lines(self) -> tuple[list[bytes], np.ndarray, list[int]]:
        """The ASCII texts' normalised forms and distinct line keys (with their offsets), from one kernel call."""
        if self._kernel_lines is None:
            assert self.ascii is not None and kernels.core is not None
            text_end = np.ascontiguousarray(self.ascii.text_end, dtype=np.int64)
            data, cuts, keys, key_cuts = kernels.call(
                kernels.core.ascii_lines, self.ascii.data, text_end, TOKEN_TABLES, kernels.threads()
            )
            raw, at = data.tobytes(), cuts.tolist()
            self._kernel_lines = ([raw[at[k] : at[k + 1]] for k in range(len(at) - 1)], keys, key_cuts.tolist())
        return self._kernel_lines

    def _ascii_lines(self) -> Lines:
        # Read once for both the normalised texts and the line keys.
        if self._lines is None:
            assert self.ascii is not None
            self._lines = lines(self.ascii)
        return self._lines

    def other_tokens(self) -> TokenArrays:
        """The tokens of the texts the ASCII path does not take, texts numbered in batch order."""
        return token_arrays([text_tokens(self.texts[i]) for i in self.others], self.others)

    def tokens(self) -> TokenArrays:
        """The tokens of every text, texts numbered in batch order."""
        others = self.other_tokens() if self.others else None
        if self.ascii is None:
            if others is None:
                return token_arrays([], [])
            return others
        part = ascii_tokens(self.ascii)
        if others is None:
            return part
        where = np.array(self.ascii_at, dtype=np.int64)  # number the texts as in the whole batch
        return merge(TokenArrays(part.hashes, where[part.doc], part.is_mark, part.codes, where[part.code_doc]), others)

    def normalized(self) -> list[bytes]:
        """Every text as ``normalize`` has it, UTF-8 encoded."""
        out: list[bytes] = [b""] * len(self.texts)
        if self.ascii is not None:
            found = self._compiled_lines()[0] if kernels.core is not None else None
            for i, norm in zip(self.ascii_at, found or normalized_texts(self.ascii, self._ascii_lines()), strict=True):
                out[i] = norm
        for i in self.others:
            out[i] = normalize(self.texts[i]).encode("utf-8", "surrogatepass")
        return out

    def line_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """The key of every non-blank line, and the text of each, in batch order."""
        keys, texts = [], []
        if self.ascii is not None:
            ascii_keys, ascii_text = line_keys(self.ascii, self._ascii_lines())
            keys.append(ascii_keys)
            texts.append(np.array(self.ascii_at, dtype=np.int64)[ascii_text])
        for i in self.others:
            found = [k for _, _, k in text_line_keys(self.texts[i]) if k is not None]
            keys.append(np.array(found, dtype=np.int64))
            texts.append(np.full(len(found), i, dtype=np.int64))
        if not keys:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        all_keys, all_texts = np.concatenate(keys), np.concatenate(texts)
        order = np.argsort(all_texts, kind="stable")
        return all_keys[order], all_texts[order]

    def line_key_sets(self) -> tuple[np.ndarray, list[int]]:
        """The distinct keys of each text's non-blank lines (sorted, int64), text after text, and where each
        text's keys start (one more offset than texts): how the analyse stage keeps them.

        >>> keys, at = TextBatch(["Ad\\nad\\nB", "", "caf\\u00e9"]).line_key_sets()
        >>> at
        [0, 2, 2, 3]
        """
        if kernels.core is None or self.ascii is None:
            return distinct_per_text(*self.line_keys(), len(self.texts))
        _, keys, key_cuts = self._compiled_lines()
        if not self.others:
            return keys, key_cuts
        parts = [keys[:0]] * len(self.texts)
        for k, i in enumerate(self.ascii_at):
            parts[i] = keys[key_cuts[k] : key_cuts[k + 1]]
        for i in self.others:
            found = [key for _, _, key in text_line_keys(self.texts[i]) if key is not None]
            parts[i] = np.unique(np.array(found, dtype=np.int64))
        return np.concatenate(parts), list(itertools.accumulate(map(len, parts), initial=0))


def distinct_per_text(keys: np.ndarray, text: np.ndarray, count: int) -> tuple[np.ndarray, list[int]]:
    """Keys tagged with their text (in text order) made distinct and sorted within each of ``count`` texts:
    the values end to end and where each text's start.

    >>> distinct_per_text(np.array([5, 2, 5, 1]), np.array([0, 0, 0, 2]), 3)
    (array([2, 5, 1]), [0, 2, 2, 3])
    """
    order = np.lexsort((keys, text))
    keys, text = keys[order], text[order]
    first = np.concatenate(([True], (text[1:] != text[:-1]) | (keys[1:] != keys[:-1])))[: len(keys)]
    return keys[first], np.searchsorted(text[first], np.arange(count + 1)).tolist()
