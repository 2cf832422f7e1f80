"""Misinformation content model: the boosted trees as flat arrays, scored level by level.

scikit-learn's HistGradientBoostingClassifier predicts one tree at a time from Python, ~9 µs a
tree, whatever the batch size: 1–2 ms for one post. Here all trees advance one level per numpy
step, ~0.1 ms for one post. The arrays are plain numpy, and ``from_booster`` checks that they
give the booster's own margins before they are used.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from presswatch.errors import ModelError

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
_CHUNK = 2000


class TreeEnsemble:
    """Binary gradient-boosted trees: margin (log-odds) = baseline + sum of leaf values."""

    def __init__(self, arrays: dict[str, Any], baseline: float, depth: int) -> None:
        self.feature = arrays["feature"]
        self.threshold = arrays["threshold"]
        self.left = arrays["left"]
        self.right = arrays["right"]
        self.missing_left = arrays["missing_left"]
        self.leaf = arrays["leaf"]
        self.value = arrays["value"]
        self.baseline = baseline
        self.depth = depth

    @classmethod
    def from_booster(
        cls, booster: HistGradientBoostingClassifier, check: FloatArray
    ) -> TreeEnsemble:
        """Flatten a fitted binary booster; ModelError unless it reproduces it on ``check``."""
        trees = [iteration[0] for iteration in booster._predictors]  # one tree per iteration
        if any(tree.nodes["is_categorical"].any() for tree in trees):
            raise ModelError("categorical splits are not supported by the flat trees")
        width = max(len(tree.nodes) for tree in trees)
        arrays = {name: np.zeros((len(trees), width), dtype=dtype) for name, dtype in _FIELDS}
        arrays["leaf"][:] = True  # padding: leaves of value 0 that nothing reaches
        for row, tree in enumerate(trees):
            _copy(arrays, row, tree.nodes)
        depth = int(max(tree.nodes["depth"].max() for tree in trees))
        flat = cls(arrays, float(np.ravel(booster._baseline_prediction)[0]), depth)
        probe = np.vstack([check, np.full((1, check.shape[1]), np.nan)])  # + all unknown
        if not np.allclose(flat.margin(probe), booster.decision_function(probe), atol=1e-9):
            raise ModelError("flattened trees do not reproduce the booster: check scikit-learn")
        return flat

    def margin(self, rows: FloatArray) -> FloatArray:
        """Log-odds of each row."""
        rows = np.atleast_2d(np.asarray(rows, dtype=np.float64))
        if len(rows) > _CHUNK:  # the work arrays are trees × rows: keep them small
            return np.concatenate(
                [self.margin(rows[i : i + _CHUNK]) for i in range(0, len(rows), _CHUNK)]
            )
        return self._margin(rows)

    def _margin(self, rows: FloatArray) -> FloatArray:
        trees = np.arange(self.feature.shape[0])[:, None]
        columns = np.arange(rows.shape[0])[None, :]
        node = np.zeros((self.feature.shape[0], rows.shape[0]), dtype=np.intp)
        for _ in range(self.depth):
            value = rows[columns, self.feature[trees, node]]
            go_left = np.where(
                np.isnan(value),
                self.missing_left[trees, node],
                value <= self.threshold[trees, node],
            )
            step = np.where(go_left, self.left[trees, node], self.right[trees, node])
            node = np.where(self.leaf[trees, node], node, step)
        margins: FloatArray = self.baseline + self.value[trees, node].sum(axis=0)
        return margins

    def probability(self, rows: FloatArray) -> FloatArray:
        """P(class 1) of each row."""
        return 1.0 / (1.0 + np.exp(-self.margin(rows)))


_FIELDS = (
    ("feature", np.intp),
    ("threshold", np.float64),
    ("left", np.intp),
    ("right", np.intp),
    ("missing_left", np.bool_),
    ("leaf", np.bool_),
    ("value", np.float64),
)
_SOURCE = {
    "feature": "feature_idx",
    "threshold": "num_threshold",
    "left": "left",
    "right": "right",
    "missing_left": "missing_go_to_left",
    "leaf": "is_leaf",
    "value": "value",
}


def _copy(arrays: dict[str, Any], row: int, nodes: Any) -> None:
    for name, source in _SOURCE.items():
        arrays[name][row, : len(nodes)] = nodes[source]
