"""The phrase checker: does one document read as machine-spun, with no source at hand?

A thesaurus spinner swaps words for synonyms without reading the context, and leaves fingerprints: words
that fit their neighbours far worse than an ordinary synonym would ("forfeited" where "lost" belongs),
fixed expressions broken by a swap, and forms no writer uses. For every candidate word (or multi-word
thesaurus entry) of a document the checker **undoes the swap**: it tries each synonym the word may have
replaced, inflected like it, and asks a language model how much more likely the restored phrase is than
the observed one (a bigram model picks the best synonym; a trigram model then reads two words each side).
A few features of that comparison go into a per-word model (small boosted regression trees) whose
output is a likelihood ratio "swapped" against "written". The ratios of all the words are pooled into one
document statistic, a generalised likelihood-ratio test over the share of swapped words
(``document_statistic``; a wording that recurs hints at spin once, ``repeats_muted``), which the
calibration turns into ``score`` in [0, 1] (0.5 at the calibrated
threshold for the document's number of candidates, ``Model.threshold_for``);
``spun = score >= threshold``. Evidence spans are the words most likely swapped, each with the wording it
probably replaced. Text that is not English (most of its words unknown to the model) is not judged.

The steps live in the modules of ``dedup.spin``: ``data`` (the shipped tables), ``language_model``,
``lexicon`` (phrase lists), ``analysis`` (word slots and candidates), ``typos``, ``expressions`` (broken
fixed expressions), ``features`` (restoring each candidate), ``word_model`` (the trees and their
calibration), ``statistic`` and ``evidence``. This module runs them in order.

>>> checker = load_checker()
>>> checker.check("The minister said the talks would resume on Monday.").spun
False
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path

import numpy as np

from dedup.model import SpinResult
from dedup.spin.analysis import (
    EXPRESSION_REASON,
    RESTORE_REASON,
    Analysis,
    Candidate,
    Scan,
    Vocabulary,
    assemble,
    contains,
    read_slots,
)
from dedup.spin.data import MAX_UNIT_WORDS, PhraseData, multiword_keys, shipped
from dedup.spin.evidence import EVIDENCE_POSTERIOR, evidence_of_runs, neighbour_runs, restorable, restore_jointly
from dedup.spin.expressions import EXPRESSION_SHAPES, broken_expression, expression_shapes
from dedup.spin.features import score_units
from dedup.spin.lexicon import Lexicon, index_lexicon, lexicon_hit, load_phrase_list
from dedup.spin.statistic import document_statistic, document_statistics, repeats_muted
from dedup.spin.typos import NOISY_TEXT, Typos
from dedup.spin.word_model import COLUMN, N_FEATURES, Model
from dedup.text.normalize import Tokens, tokenize

__all__ = ["BATCH_CHARS", "PhraseChecker", "load_checker"]

# check_many scores texts together up to this many characters: at its peak a batch takes about 170 bytes per
# character of text (some 50 MB here), and past about 256 news texts of 1 KB larger batches are no faster.
BATCH_CHARS = 300_000


class PhraseChecker:
    """Scores documents for spin; build it with ``load_checker``, which loads the data once.

    ``threshold`` is the score at which a document counts as spun (0.5 is the calibrated threshold).

    >>> checker = load_checker()
    >>> 0.0 <= checker.check("Officials said the road would reopen.").score <= 1.0
    True
    """

    def __init__(
        self,
        data: PhraseData,
        model: Model | None,
        user_lexicon: Lexicon | None = None,
        threshold: float = 0.5,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), not {threshold}")
        self.data = data
        self.model = model
        self.user_lexicon = user_lexicon or {}
        self.threshold = threshold
        self._lexicon_first = frozenset(self.user_lexicon) | frozenset(data.lexicon)
        self._typos = Typos(data.lm)
        # The words met so far, with what the scan needs to know about each (it grows as texts are checked).
        self.vocabulary = Vocabulary(data, self._lexicon_first)

    # -- finding candidates -------------------------------------------------------------------------------

    def scan(self, texts: Sequence[str], tokens: Sequence[Tokens]) -> Scan:
        """Lay the texts end to end as word slots and list their candidate units, unknown forms and lexicon
        matches (no scoring).

        What depends on a word alone comes from the checker's vocabulary (worked out once per distinct
        word); what depends on its place (clause breaks, names, multi-word forms) from arrays over all the
        slots. Only the few slots that may start a multi-word form or a lexicon phrase, or hold an unknown
        form, are visited one by one.

        >>> text = "Rebels assailed the town."
        >>> load_checker().scan([text], [tokenize(text)]).forms
        ['rebels', 'assailed', 'the', 'town', '']
        """
        data = self.data
        lm = data.lm
        table = data.forms
        sizes = np.array([len(t) + 1 for t in tokens], dtype=np.int64)  # the words and the separator
        offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        total = int(offsets[-1])
        slots = np.arange(total)
        doc = np.repeat(np.arange(len(tokens)), sizes)
        separators = offsets[1:] - 1
        pairs = list(zip(texts, tokens, strict=True))
        words = list(chain.from_iterable((*t.words, "") for t in tokens))
        starts = np.fromiter(chain.from_iterable((*t.starts, len(text)) for text, t in pairs), np.int64, total)
        ends = np.fromiter(chain.from_iterable((*t.ends, len(text)) for text, t in pairs), np.int64, total)
        clause, sentence, upper, lower = read_slots(texts, starts, ends, offsets)
        run_array = np.cumsum(clause) - 1
        run = run_array.tolist()  # for the look-ups one slot at a time

        vocabulary = self.vocabulary
        numbers = vocabulary.number(words)  # first: it may grow the facts
        facts = vocabulary.facts[numbers]
        forms = words.copy()
        for k in np.flatnonzero(facts[:, vocabulary.POSSESSIVE]).tolist():
            forms[k] = words[k][:-2]  # looked up without its "'s" ("minister's" as "minister")
        word_ids = facts[:, vocabulary.WORD_ID].copy()
        word_ids[separators] = -1
        alpha = facts[:, vocabulary.ALPHA].astype(bool)
        has_alternatives = facts[:, vocabulary.HAS_ALTERNATIVES].astype(bool)
        multiword_length = facts[:, vocabulary.MULTIWORD_LENGTH]
        # A capitalised word inside a sentence is a name; spinners leave names alone, and so do we.
        candidate = facts[:, vocabulary.SWAPPABLE].astype(bool) & ~(upper & ~sentence)

        # Lexicon phrases are matched whatever their case ("Counterfeit Consciousness" in a title); their
        # words are not candidates.
        fixed: list[tuple[int, int, str | None, str]] = []
        lexicons = (self.user_lexicon, data.lexicon)  # the user's phrase lists first
        skip_until = 0
        for k in np.flatnonzero(facts[:, vocabulary.LEXICON]).tolist():
            hit = lexicon_hit(lexicons, words, k, int(separators[doc[k]])) if k >= skip_until else None
            if hit is not None:
                length, original, source = hit
                fixed.append((k, k + length, original or None, source))
                candidate[k : k + length] = False
                skip_until = k + length

        # Multi-word forms ("carry out"): a slot is looked up only where it and the next word share a clause
        # and the numbers of the next one or two words make a form's key, tested for all the slots at once.
        # A word with a space in it (rare, from Unicode compatibility forms) may hold several words of a
        # form: where one follows, the slot is always looked up.
        remaining = separators[doc] - slots  # words of the text from each slot on
        multi = np.flatnonzero(
            candidate
            & (multiword_length > 0)
            & (remaining >= 2)
            & (run_array == run_array[np.minimum(slots + 1, total - 1)])
        )
        number = facts[:, vocabulary.MULTIWORD_NUMBER]
        has_third = remaining[multi] >= 3
        third_slot = np.minimum(multi + 2, total - 1)
        first, second, third = number[multi], number[multi + 1], np.where(has_third, number[third_slot], -1)
        count = len(data.multiword_words)
        two = (first >= 0) & (second >= 0)
        pair = two & contains(data.multiword_keys, multiword_keys(first, second, np.full_like(first, -1), count))
        triple = two & (third >= 0) & contains(data.multiword_keys, multiword_keys(first, second, third, count))
        spaced = facts[:, vocabulary.SPACED].astype(bool)
        multi = multi[pair | triple | spaced[multi + 1] | (has_third & spaced[third_slot])]
        found = np.zeros(total, dtype=bool)
        multi_units: list[tuple[int, int, int, int]] = []
        for k, longest, left in zip(multi.tolist(), multiword_length[multi].tolist(), remaining[multi].tolist(),
                                    strict=True):
            for length in range(min(longest, MAX_UNIT_WORDS, left), 1, -1):
                j = k + length
                if run[j - 1] == run[k]:
                    span = table.get(" ".join(forms[k:j]))
                    if span is not None:
                        multi_units.append((k, j, *span))
                        found[k] = True
        single = np.flatnonzero(candidate & has_alternatives)
        multi_array = np.array(multi_units, dtype=np.int64).reshape(-1, 4)
        unit_start = np.concatenate([multi_array[:, 0], single])
        unit_end = np.concatenate([multi_array[:, 1], single + 1])
        order = np.lexsort((unit_start - unit_end, unit_start))  # by first slot, the longer unit first
        single_alternatives = facts[single][:, [vocabulary.ALT_FIRST, vocabulary.ALT_END]]
        unit_alternatives = np.concatenate([multi_array[:, 2:], single_alternatives])[order]

        # Lower-case words no word list knows; in OCR-level noise (many typos) none of them counts: they are
        # most likely misreadings too (two errors in one word), not a spinner's swaps.
        lower_word = alpha & lower
        lower_words = np.bincount(doc[lower_word], minlength=len(tokens)).tolist()
        known = np.bincount(doc[lower_word & lm.in_model[word_ids]], minlength=len(tokens)).tolist()
        long = facts[:, vocabulary.LONG].astype(bool)
        maybe_unknown = candidate & ~has_alternatives & ~found & (word_ids == lm.unknown) & long & lower
        typos = [0] * len(tokens)
        unknown_at: list[int] = []
        for k in np.flatnonzero(maybe_unknown).tolist():
            if self._typos.looks_like_typo(forms[k]):
                typos[doc[k]] += 1
            else:
                unknown_at.append(k)
        noisy = [n > 0 and t / n >= NOISY_TEXT for t, n in zip(typos, lower_words, strict=True)]
        return Scan(
            offsets=offsets,
            doc=doc,
            starts=starts,
            ends=ends,
            forms=forms,
            word_ids=word_ids,
            clause=clause,
            run=run_array,
            expression_number=facts[:, vocabulary.EXPRESSION_NUMBER],
            unit_start=unit_start[order],
            unit_end=unit_end[order],
            unit_alternatives=unit_alternatives,
            unknown_at=np.array([k for k in unknown_at if not noisy[doc[k]]], dtype=np.int64),
            fixed=fixed,
            known_share=[k / n if n else 1.0 for k, n in zip(known, lower_words, strict=True)],
            lower_words=lower_words,
        )

    def analyse_many(self, texts: Sequence[str], tokens: Sequence[Tokens] | None = None) -> list[Analysis]:
        """Scan the texts as one batch, then score the units of all of them in one vectorised pass.

        The texts are laid end to end, each followed by a clause break, so no bigram spans two texts;
        batching saves the fixed cost of the array operations, which dominates for short texts.
        ``check_many`` scores what this returns; ``tokens`` are those of ``check_many``.

        >>> [len(a.starts) > 0 for a in load_checker().analyse_many(["Rebels assailed the town.", ""])]
        [True, False]
        """
        if tokens is None:
            tokens = [tokenize(text) for text in texts]
        scan = self.scan(texts, tokens)
        features = np.zeros((0, N_FEATURES))
        chosen_start = np.zeros(0, dtype=np.int64)
        chosen_end = np.zeros(0, dtype=np.int64)
        originals: list[str | None] = []
        reasons: list[str] = []
        alternatives = np.zeros((0, 2), dtype=np.int64)
        if len(scan.unit_start):
            chosen, features, best_alt = score_units(self.data, scan)
            chosen_start, chosen_end = scan.unit_start[chosen], scan.unit_end[chosen]
            alternatives = scan.unit_alternatives[chosen]
            alt_text = self.data.alt_text
            originals = list(map(alt_text.__getitem__, best_alt.tolist()))
            reasons = [RESTORE_REASON] * len(chosen)
            single_and_better = np.flatnonzero((chosen_end - chosen_start == 1) & (features[:, COLUMN["gain"]] > 0))
            shapes = expression_shapes(self.data, scan, chosen_start[single_and_better])
            # Only the few units with an expression around them are looked at one by one.
            around = np.flatnonzero(shapes.any(axis=1))
            units = single_and_better[around]
            for k, at, found in zip(units.tolist(), chosen_start[units].tolist(), shapes[around].tolist(),
                                    strict=True):
                tried = [shape for shape, hit in zip(EXPRESSION_SHAPES, found, strict=True) if hit]
                expression = broken_expression(self.data, scan.forms, at, tried)
                if expression is not None:
                    features[k, COLUMN["broken_expression"]] = 1.0
                    originals[k], reasons[k] = expression, EXPRESSION_REASON
        return assemble(scan, features, chosen_start, chosen_end, originals, reasons, alternatives)

    def analyse(self, text: str) -> Analysis:
        """The candidates of one text, as ``check`` scores them: ``analyse_many`` of the text alone."""
        return self.analyse_many([text])[0]

    # -- scoring --------------------------------------------------------------------------------------------

    def _model(self) -> Model:
        if self.model is None:
            raise RuntimeError("no phrase model: run python scripts/refit_phrase_model.py")
        return self.model

    def _log_lrs(self, analysis: Analysis) -> np.ndarray:
        model = self._model()
        logits = model.log_odds(analysis.features)
        return np.where(np.isnan(analysis.fixed_log_lr), logits - model.prior_logit, analysis.fixed_log_lr)

    @staticmethod
    def _counted_once(text: str, analysis: Analysis, log_lrs: np.ndarray) -> np.ndarray:
        """The ratios the document test sums: the hints of spin of each wording of ``text`` counted once
        (``repeats_muted``)."""
        return repeats_muted(log_lrs, [text[s:e] for s, e in zip(analysis.starts.tolist(), analysis.ends.tolist(),
                                                                  strict=True)])

    def candidates(self, text: str) -> list[Candidate]:
        """Every unit of ``text`` the checks looked at, with its features (for calibration and tests).

        >>> [(c.text, c.original) for c in load_checker().candidates("Rebels assailed the town.")][1]
        ('assailed', 'attacked')
        """
        analysis = self.analyse(text)
        return [
            Candidate(
                int(start),
                int(end),
                text[start:end],
                analysis.originals[k],
                tuple(float(x) for x in analysis.features[k]),
                analysis.reasons[k],
                None if math.isnan(analysis.fixed_log_lr[k]) else float(analysis.fixed_log_lr[k]),
            )
            for k, (start, end) in enumerate(zip(analysis.starts, analysis.ends, strict=True))
        ]

    def statistic(self, text: str) -> tuple[float, float]:
        """The document statistic before calibration, and the share of swapped words that fits best.

        >>> statistic, rate = load_checker().statistic("A short clean sentence.")
        >>> 0.0 <= rate <= 0.5
        True
        """
        analysis = self.analyse(text)
        if not analysis.english:
            return 0.0, 0.0
        return document_statistic(self._counted_once(text, analysis, self._log_lrs(analysis)))

    def margins(self, texts: Sequence[str]) -> list[float]:
        """Each text's document statistic less the threshold of its number of candidates: the text is
        flagged at >= 0 (when it has evidence to show), and ranking texts by it is ranking them by ``score``
        without the score's rounding. ``-inf`` for a text that is not English.

        >>> load_checker().margins(["A short clean sentence."])[0] < 0
        True
        """
        model = self._model()
        out: list[float] = []
        for start in range(0, len(texts), 64):
            batch = texts[start : start + 64]
            for text, analysis in zip(batch, self.analyse_many(batch), strict=True):
                if not analysis.english:
                    out.append(-math.inf)
                    continue
                log_lrs = self._counted_once(text, analysis, self._log_lrs(analysis))
                out.append(document_statistic(log_lrs)[0] - model.threshold_for(len(log_lrs)))
        return out

    def check(self, text: str) -> SpinResult:
        """Score one document: ``score`` in [0, 1], ``spun`` at the calibrated threshold, and evidence.

        Evidence offsets index ``text`` as given.

        >>> result = load_checker().check("Rebels assailed the townspeople with a barrage of bombardments.")
        >>> all(0 <= e.start < e.end for e in result.evidence)
        True
        """
        return self._verdicts([text], [self.analyse(text)])[0]

    def check_many(
        self, texts: Iterable[str], batch_size: int = 256, *, tokens: Sequence[Tokens] | None = None
    ) -> list[SpinResult]:
        """``check`` every text; texts are scored together, up to ``batch_size`` of them and about 300,000
        characters at a time: much faster for short texts, and bounded memory for long ones.

        The results are exactly those of ``check`` on each text. ``tokens``, when the caller already has
        them (``dedup.text.normalize.tokenize`` of each text), saves tokenising again.

        >>> len(load_checker().check_many(["One text.", "Another text."]))
        2
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        texts = list(texts)
        if tokens is not None and len(tokens) != len(texts):
            raise ValueError(f"tokens must match texts: {len(tokens)} tokens for {len(texts)} texts")
        results: list[SpinResult] = []
        start = 0
        while start < len(texts):
            end, chars = start + 1, len(texts[start])
            while end < len(texts) and end - start < batch_size and chars + len(texts[end]) <= BATCH_CHARS:
                chars += len(texts[end])
                end += 1
            batch = texts[start:end]
            batch_tokens = tokens[start:end] if tokens is not None else None
            analyses = self.analyse_many(batch, batch_tokens)
            results += self._verdicts(batch, analyses)
            start = end
        return results

    def _verdicts(self, texts: Sequence[str], analyses: Sequence[Analysis]) -> list[SpinResult]:
        """The verdicts of ``check`` on texts analysed together.

        Element-wise arithmetic gives each element the same bits in whatever array it is done, so it runs
        over the candidates of all the texts at once (the per-word trees too, ``Model.log_odds``); each
        text's sums (whose rounding depends on the array's layout) are still done on its own, as for the
        text alone (``document_statistics``). The results are those of checking one text at a time.
        """
        model = self._model()
        judged = [k for k, analysis in enumerate(analyses) if analysis.english]
        sizes = [len(analyses[k].starts) for k in judged]
        bounds = np.zeros(len(judged) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        logits = model.log_odds(np.concatenate([np.zeros((0, N_FEATURES)), *(analyses[k].features for k in judged)]))
        fixed = np.concatenate([np.zeros(0), *(analyses[k].fixed_log_lr for k in judged)])
        log_lrs = np.where(np.isnan(fixed), logits - model.prior_logit, fixed)
        counted = np.concatenate([np.zeros(0), *(self._counted_once(texts[k], analyses[k], log_lrs[lo:hi])
                                                 for k, lo, hi in zip(judged, bounds[:-1], bounds[1:], strict=True))])
        statistics, rates = document_statistics(counted, bounds)
        # The score is 0.5 at the calibrated threshold of the document's size (``Model.threshold_for``).
        scores = [
            1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, (statistic - model.threshold_for(size)) / model.scale))))
            for statistic, size in zip(statistics, sizes, strict=True)
        ]
        # In a text judged spun, the prior of each word is the estimated share of swapped words, so the spans
        # show where the spin is. Otherwise only findings that stand on their own are kept: lexicon phrases,
        # and restorations whose likelihood ratio reaches ``strong_log_lr`` (set on clean text so that such a
        # span is rare there). Either way the posterior is the logistic of the ratio plus an offset.
        strong = model.strong_log_lr
        by_rate = [score >= self.threshold and rate > 0 for score, rate in zip(scores, rates, strict=True)]
        offsets = [math.log(rate / (1.0 - rate)) if use else -strong for use, rate in zip(by_rate, rates, strict=True)]
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs + np.repeat(offsets, sizes))))
        keep = np.where(np.repeat(by_rate, sizes), posterior >= EVIDENCE_POSTERIOR,
                        (log_lrs >= strong) | ~np.isnan(fixed))
        kept = np.flatnonzero(keep)
        cuts = np.searchsorted(kept, bounds).tolist()
        results = [SpinResult(score=0.0, spun=False, evidence=()) for _ in analyses]
        runs = [neighbour_runs(texts[k], analyses[k], kept[cuts[j] : cuts[j + 1]] - int(bounds[j]))
                for j, k in enumerate(judged)]
        # The original wordings of merged runs, chosen jointly for all the texts at once.
        joint = iter(restore_jointly([(texts[k], analyses[k], run) for k, text_runs in zip(judged, runs, strict=True)
                                      for run in text_runs if restorable(analyses[k], run)], self.data))
        for j, k in enumerate(judged):
            lo, hi = int(bounds[j]), int(bounds[j + 1])
            evidence = evidence_of_runs(texts[k], analyses[k], runs[j], posterior[lo:hi], joint)
            spun = scores[j] >= self.threshold
            # A verdict must be shown, not only computed: weak signals summed over a very long (or repeated)
            # text can pass the threshold with no phrase strong enough to point at; such a text is not flagged.
            results[k] = SpinResult(score=round(scores[j], 6), spun=spun and bool(evidence), evidence=evidence)
        return results


def load_checker(phrase_lists: Sequence[str] = (), threshold: float = 0.5) -> PhraseChecker:
    """The phrase checker with the shipped data (read once per process) and the user's phrase lists.

    ``phrase_lists`` are paths of CSV (``phrase,original``) or JSON files; a bad file raises ``InputError``
    naming the file and line. ``threshold`` is the score at which a document counts as spun.

    >>> load_checker().check("").spun
    False
    """
    data, model = shipped()
    user: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for path in phrase_lists:
        for first, entries in index_lexicon(load_phrase_list(path), f"phrase list {Path(path).name}").items():
            user.setdefault(first, []).extend(entries)
    return PhraseChecker(data, model, {k: tuple(v) for k, v in user.items()}, threshold)
