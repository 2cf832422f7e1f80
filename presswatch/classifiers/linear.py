"""Shipped models as plain arrays: TF-IDF weights and linear classifiers, without scikit-learn.

Training uses scikit-learn (presswatch/classifiers/training.py) and exports the fitted numbers
here, so that classifying needs only numpy and scipy and a model file does not depend on the
pickle format of one scikit-learn release.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from presswatch.classifiers.text import ngrams

FloatArray = npt.NDArray[np.float64]


@dataclass(slots=True)
class Vectorizer:
    """1- to n-grams as sublinear L2-normalised TF-IDF (sklearn's), or presence when ``binary``."""

    vocabulary: dict[str, int]
    idf: FloatArray
    n: int = 2
    binary: bool = False

    def transform(self, token_lists: list[list[str]]) -> sparse.csr_matrix:
        """One row per token list."""
        indptr, indices, values = [0], [], []
        for toks in token_lists:
            counts = Counter(g for g in ngrams(toks, self.n) if g in self.vocabulary)
            cols = np.fromiter(
                (self.vocabulary[g] for g in counts), dtype=np.int64, count=len(counts)
            )
            indices.extend(cols.tolist())
            values.extend(self._weights(cols, counts).tolist())
            indptr.append(len(indices))
        shape = (len(token_lists), len(self.idf))
        return sparse.csr_matrix((values, indices, indptr), shape=shape, dtype=np.float64)

    def _weights(self, cols: npt.NDArray[np.int64], counts: Counter[str]) -> FloatArray:
        if self.binary:
            return np.ones(len(cols))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        row: FloatArray = tf * self.idf[cols]
        norm = float(np.sqrt(np.dot(row, row)))
        return row / norm if norm else row

    def names(self) -> list[str]:
        """The n-gram of each column."""
        out = [""] * len(self.vocabulary)
        for gram, index in self.vocabulary.items():
            out[index] = gram
        return out


@dataclass(slots=True)
class LinearModel:
    """Linear classifiers over [TF-IDF | dense features]: one-vs-rest sigmoids or a softmax."""

    classes: list[str]
    coef: FloatArray  # (classes, features), or (1, features) for a binary model
    intercept: FloatArray
    softmax: bool = False
    dense_mean: FloatArray = field(default_factory=lambda: np.zeros(0))
    dense_scale: FloatArray = field(default_factory=lambda: np.ones(0))

    def inputs(self, tfidf: sparse.csr_matrix | None, dense: FloatArray | None) -> Any:
        """The feature matrix: TF-IDF columns then standardised dense columns."""
        parts: list[Any] = []
        if tfidf is not None:
            parts.append(tfidf)
        if dense is not None and dense.shape[1]:
            parts.append(sparse.csr_matrix((dense - self.dense_mean) / self.dense_scale))
        return sparse.hstack(parts, format="csr")

    def decision(self, x: Any) -> FloatArray:
        """Raw scores, one column per row of ``coef``."""
        out: FloatArray = np.asarray(x @ self.coef.T) + self.intercept
        return out

    def probabilities(self, x: Any) -> FloatArray:
        """Per-class probabilities: softmax over classes, or independent sigmoids."""
        z = self.decision(x)
        if self.softmax:
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            out: FloatArray = e / e.sum(axis=1, keepdims=True)
            return out
        if len(self.classes) == 2 and z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z))
            return np.hstack([1.0 - p, p])
        sig: FloatArray = 1.0 / (1.0 + np.exp(-z))
        return sig


@dataclass(slots=True)
class TextModel:
    """A vectorizer (optional), dense feature names and a linear model: one shipped classifier."""

    linear: LinearModel
    vectorizer: Vectorizer | None = None
    dense_names: list[str] = field(default_factory=list)

    def probabilities(self, token_lists: list[list[str]], dense: FloatArray) -> FloatArray:
        """Per-class probabilities for a batch (tokens per text, dense features per text)."""
        tfidf = self.vectorizer.transform(token_lists) if self.vectorizer else None
        if not self.dense_names:
            dense = dense[:, :0]
        return self.linear.probabilities(self.linear.inputs(tfidf, dense))

    def evidence(self, toks: list[str], class_index: int, k: int = 5) -> list[str]:
        """The n-grams of a text that push it most towards one class."""
        if self.vectorizer is None:
            return []
        row = self.vectorizer.transform([toks])
        weights = self.linear.coef[class_index, : row.shape[1]]
        contributions = row.multiply(weights).tocsr()
        order = np.argsort(contributions.data)[::-1][:k]
        names = self.vectorizer.names()
        cols = contributions.indices[order]
        return [names[c] for c, v in zip(cols, contributions.data[order], strict=True) if v > 0]

    def to_payload(self) -> dict[str, Any]:
        """Plain values and arrays for the model file."""
        lin = self.linear
        payload: dict[str, Any] = {
            "linear": {
                "classes": lin.classes,
                "coef": lin.coef,
                "intercept": lin.intercept,
                "softmax": lin.softmax,
                "dense_mean": lin.dense_mean,
                "dense_scale": lin.dense_scale,
            },
            "dense_names": self.dense_names,
        }
        if self.vectorizer is not None:
            vec = self.vectorizer
            payload["vectorizer"] = {
                "vocabulary": vec.vocabulary,
                "idf": vec.idf,
                "n": vec.n,
                "binary": vec.binary,
            }
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> TextModel:
        """The model from the values of a model file."""
        vec = payload.get("vectorizer")
        return cls(
            LinearModel(**payload["linear"]),
            Vectorizer(**vec) if vec else None,
            list(payload.get("dense_names", [])),
        )
