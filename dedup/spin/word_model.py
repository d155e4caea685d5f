"""The per-word model of the phrase checks: the features of a candidate word, and the trees that score them.

For each candidate the checks compute ``FEATURES`` (``dedup.spin.features``); the model, small boosted
regression trees, turns them into the log-odds that the word is a swap, and so into a likelihood ratio
"swapped" against "written".

Calibration (``python scripts/refit_phrase_model.py`` writes ``dedup/data/phrase_model.json``).
Clean text: the Lee corpus of ABC news (``benchmarks/devdata.py``, 339 articles after removing re-runs).
Spun text: the same articles run through ``benchmarks/spinner.py`` with each of its two thesauri (MyThes,
WordNet) and three synonym choices (uniform over the thesaurus' candidates, and weighted towards common
words, hard or half as hard, as readable commercial spinners choose), at rates drawn uniformly from 12-55 %.
Articles at even positions form the training split. The per-word model is fitted there: words overlapping a
swap are the positives, every candidate of the clean articles a negative. The threshold is the highest
99.5th percentile of the statistic over three sources of clean news of many lengths: the training articles
(each article, its first 80-600 characters, and runs of three and six articles joined), Brown's press
editorials and odd-numbered Reuters-21578 stories (chunks of 100, 300 and 600 words; they set the threshold
only, the per-word model never sees them), so about one clean text in 200 of the hottest of them is flagged.
On Lee alone the threshold was a third of that: the model, fitted there, reads Lee as cleaner than any other
news. Articles at odd positions are held out for the reported figures (``benchmarks/phrase_bench.py``). The
sample articles in ``examples/seeds`` play no part in calibration. A model may also hold one threshold per
bin of candidate counts (``Model.threshold_for``): ``refit_phrase_model.py --other-domains`` fits such a
model, with clean Brown and Reuters text as negatives and spun copies of it (``benchmarks/spinner.py`` and
the ``phrase`` and ``function`` families of ``benchmarks/real_spinners.py``) as positives too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dedup import kernels

__all__ = ["COLUMN", "FEATURES", "N_FEATURES", "Model"]

# The per-candidate features, in the order of the model's weights (``phrase_model.json``).
FEATURES = (
    "gain",  # log10 likelihood ratio of the best restored phrase over the observed one, clipped to [-3, 8]
    "zipf_observed",  # how common the observed word is (Zipf scale)
    "zipf_restored",  # how common the restoring synonym is
    "observed_pairs_known",  # sides (0-2) whose observed bigram the language model lists
    "observed_pairs_absent",  # sides whose observed bigram is unlisted though both words are in the model
    "restored_pairs_known",  # sides whose restored bigram the model lists
    "context_sides",  # sides (0-2) with a neighbour in the same clause
    "observed_multiword",  # the observed unit is a multi-word thesaurus entry
    "restored_multiword",  # the restoring synonym is a multi-word phrase
    "unknown_form",  # a lower-case word no word list knows
    "broken_expression",  # restoring completes a fixed expression
    "gain>0",
    "gain>1",
    "gain>2",
    "gain>3",
    "gain>4",
    "gain>5",
    "gain*zipf_observed",
    "gain*zipf_restored",
    "gain_left",  # the left side's share of the gain (0 with no left neighbour), clipped like the gain
    "gain_right",  # the right side's share
    "gain_weaker_side",  # the smaller gain of the sides there are: a swap fits worse on both sides
    "fit_left",  # log10 P(word | left) - log10 P(word): how well the observed unit fits its left neighbour
    "fit_right",  # log10 P(right | word) - log10 P(right): how well it fits its right neighbour
    "better_share",  # share of the unit's alternatives that read more likely than the observed wording
    "gain3",  # like "gain", under the trigram model: the words around the unit, two each side, clipped
    "gain3>0",
    "gain3>2",
    "gain3>4",
    "observed_trigrams_known",  # of the trigrams through the unit's edges (0-3), how many the model lists
    "restored_trigrams_known",
)
N_FEATURES = len(FEATURES)
# The column of each feature in a feature row: ``row[COLUMN["gain"]]``.
COLUMN = {name: index for index, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class Model:
    """The calibrated per-word model and document threshold (``phrase_model.json``).

    The per-word model is an ensemble of small regression trees over ``FEATURES`` (gradient boosting, fitted
    by ``benchmarks/phrase_bench.py``) whose summed leaves are the log-odds that a word is a swap. Each tree
    is held as a complete binary tree of ``depth`` levels: slot ``k`` sends a row left when ``row[feature[k]]
    <= split[k]``, its children are slots ``2k + 1`` and ``2k + 2``, and the ``2 ** depth`` leaves follow. A
    leaf of the fitted tree above the last level becomes a slot that sends every row left (split +inf) down to
    a leaf holding its value.
    """

    baseline: float  # log-odds before any tree
    feature: np.ndarray  # (trees, 2 ** depth - 1)
    split: np.ndarray  # (trees, 2 ** depth - 1)
    value: np.ndarray  # (trees, 2 ** depth)
    depth: int
    prior_logit: float
    threshold: float
    scale: float
    strong_log_lr: float
    provenance: dict[str, object] = field(default_factory=dict)
    # ``(fewer_than, threshold)`` per bin of candidate counts, in increasing order: a document with fewer
    # candidates than a bound takes the first such bin's threshold, one with more than all takes ``threshold``.
    thresholds: tuple[tuple[int, float], ...] = ()

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> Model:
        """Build from the parsed ``phrase_model.json``; refuses a model fitted for other features.

        The file lists each tree's nodes as fitted: ``feature`` (-1 at a leaf), ``split``, ``left``, ``right``
        (indices into the tree's nodes, root first) and ``value`` (at the leaves).
        """
        if tuple(raw["features"]) != FEATURES or "trees" not in raw:  # type: ignore[arg-type]
            raise ValueError(
                "phrase_model.json was fitted for other features; rerun python scripts/refit_phrase_model.py"
            )
        depth = int(raw["depth"])  # type: ignore[call-overload]
        trees: list[dict[str, list[float]]] = raw["trees"]  # type: ignore[assignment]
        inner = (1 << depth) - 1
        feature = np.zeros((len(trees), inner), dtype=np.int64)
        split = np.full((len(trees), inner), np.inf)
        value = np.zeros((len(trees), inner + 1))
        for t, tree in enumerate(trees):
            pending = [(0, 0)]  # (node of the fitted tree, slot of the complete tree)
            while pending:
                node, slot = pending.pop()
                if tree["feature"][node] < 0:
                    while slot < inner:  # down the left-most path to a leaf slot
                        slot = 2 * slot + 1
                    value[t, slot - inner] = tree["value"][node]
                    continue
                if slot >= inner:
                    raise ValueError(f"phrase_model.json: tree {t} is deeper than its stated depth {depth}")
                feature[t, slot] = int(tree["feature"][node])
                split[t, slot] = float(tree["split"][node])
                pending += [(int(tree["left"][node]), 2 * slot + 1), (int(tree["right"][node]), 2 * slot + 2)]
        return cls(
            baseline=float(raw["baseline"]),  # type: ignore[arg-type]
            feature=feature,
            split=split,
            value=value,
            depth=depth,
            prior_logit=float(raw["prior_logit"]),  # type: ignore[arg-type]
            threshold=float(raw["threshold"]),  # type: ignore[arg-type]
            scale=float(raw["scale"]),  # type: ignore[arg-type]
            strong_log_lr=float(raw["strong_log_lr"]),  # type: ignore[arg-type]
            provenance=dict(raw.get("provenance", {})),  # type: ignore[call-overload]
            thresholds=tuple((int(bound), float(t)) for bound, t in raw.get("thresholds", [])),  # type: ignore[attr-defined]
        )

    def threshold_for(self, candidates: int) -> float:
        """The calibrated statistic threshold of a document with this many candidate words.

        On clean text the statistic's upper tail grows with the number of candidates (more words, more
        chances for chance hints to add up), so each bin of counts has its own threshold, set at the same
        quantile of clean text of that size.

        >>> Model.from_json({"features": list(FEATURES), "trees": [], "baseline": 0.0, "depth": 1,
        ...     "prior_logit": 0.0, "threshold": 9.0, "scale": 1.0, "strong_log_lr": 0.0,
        ...     "thresholds": [[30, 4.0], [60, 6.0]]}).threshold_for(30)
        6.0
        """
        for bound, threshold in self.thresholds:
            if candidates < bound:
                return threshold
        return self.threshold

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """The log-odds that each row of ``features`` is a swap.

        Tree by tree and level by level, every slot of the level is tested on whole feature columns (no
        per-row look-up) and each row keeps the test of the slot it is at. Only element-wise work, the
        trees added one after another: a row gets the same bits in any batch. The compiled twin
        (``dedup._core.tree_log_odds``) walks each row down each tree and adds the leaves in the same order.
        """
        if kernels.core is not None:
            return kernels.call(kernels.core.tree_log_odds, np.ascontiguousarray(features, dtype=np.float64),
                                self.feature, self.split, self.value, self.depth, self.baseline)
        return self.log_odds_reference(features)

    def log_odds_reference(self, features: np.ndarray) -> np.ndarray:
        """``log_odds`` in numpy, level by level over whole columns: the reference of the compiled twin."""
        out = np.full(len(features), self.baseline)
        columns = np.ascontiguousarray(features.T)
        # Trees share many tests (the booster splits at the edges of a few hundred bins): each is done once.
        done: dict[tuple[int, float], np.ndarray] = {}

        def test(feature: int, split: float) -> np.ndarray:
            found = done.get((feature, split))
            if found is None:
                found = done[feature, split] = columns[feature] <= split
            return found

        for tree in range(len(self.feature)):
            feature, split = self.feature[tree].tolist(), self.split[tree].tolist()
            went_left: list[np.ndarray] = []  # per level above, whether each row went left there
            for level in range(self.depth):
                first = (1 << level) - 1
                # The tests of the level's slots in path order (left first); each row's is picked by undoing
                # the path from its last turn up.
                tests = [test(feature[slot], split[slot]) for slot in range(first, 2 * first + 1)]
                for turn in reversed(went_left):
                    tests = [tests[k] if tests[k] is tests[k + 1] else np.where(turn, tests[k], tests[k + 1])
                             for k in range(0, len(tests), 2)]
                went_left.append(tests[0])
            leaf = np.zeros(len(features), dtype=np.uint8)
            for turn in went_left:
                leaf <<= 1
                leaf |= ~turn
            out += self.value[tree][leaf]
        return out
