"""Tests of the per-word model (dedup.spin.word_model): the tree ensemble against a walk of each tree."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.spin import FEATURES, Model, PhraseChecker
from tests.spin.references import shipped_model_json, walk
from tests.spin.samples import CLEAN, SPUN


def test_tree_model_matches_a_walk_of_its_trees(checker: PhraseChecker) -> None:
    raw = shipped_model_json()
    model = Model.from_json(raw)
    rows = np.array([c.features for c in checker.candidates(SPUN + " " + CLEAN)])
    rng = np.random.default_rng(3)
    rows = np.vstack([rows, rows[rng.integers(0, len(rows), 200)] + rng.normal(0, 1, (200, rows.shape[1]))])
    assert model.log_odds(rows).tolist() == [walk(raw, row) for row in rows]
    # Row by row or all together: the same bits.
    assert [model.log_odds(row[None, :])[0] for row in rows[:20]] == model.log_odds(rows[:20]).tolist()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_trees_of_any_shape_up_to_the_depth_walk_the_same(data: st.DataObject) -> None:
    # Random trees with leaves at every level (unbalanced), splits on two features.
    def grow(tree: dict, depth: int) -> int:
        node = len(tree["feature"])
        for key in tree:
            tree[key].append(0)
        if depth == 0 or data.draw(st.booleans()):
            tree["feature"][node], tree["value"][node] = -1, data.draw(st.floats(-3, 3))
        else:
            tree["feature"][node] = data.draw(st.integers(0, 1))
            tree["split"][node] = data.draw(st.floats(-1, 1))
            tree["left"][node] = grow(tree, depth - 1)
            tree["right"][node] = grow(tree, depth - 1)
        return node

    depth = data.draw(st.integers(1, 4))
    trees = []
    for _ in range(data.draw(st.integers(1, 4))):
        tree: dict[str, list] = {"feature": [], "split": [], "left": [], "right": [], "value": []}
        grow(tree, depth)
        trees.append(tree)
    raw = {"features": list(FEATURES), "baseline": 0.25, "depth": depth, "trees": trees, "prior_logit": 0.0,
           "threshold": 0.0, "scale": 1.0, "strong_log_lr": 0.0}
    rows = np.random.default_rng(0).uniform(-1.5, 1.5, (50, len(FEATURES)))
    assert Model.from_json(raw).log_odds(rows).tolist() == [walk(raw, row) for row in rows]


def test_threshold_for_picks_the_bin_of_the_candidate_count() -> None:
    raw = shipped_model_json() | {"threshold": 9.0, "thresholds": [[30, 4.0], [60, 6.0]]}
    model = Model.from_json(raw)
    assert [model.threshold_for(n) for n in (0, 29, 30, 59, 60, 500)] == [4.0, 4.0, 6.0, 6.0, 9.0, 9.0]
    # A model without bins (the shipped one) has one threshold for every length.
    shipped = Model.from_json(shipped_model_json())
    assert {shipped.threshold_for(n) for n in (1, 100, 1000)} == {shipped.threshold}
