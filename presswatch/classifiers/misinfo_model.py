"""Misinformation content model: P(unreliable) of a post from its text, style, engagement and time.

A stack trained on ReINTEL (VLSP 2020) posts:

    normalised text ─► word + char TF-IDF ─► logistic regression ─► text logit ─┐
    engagement, time, posting style (misinfo_features.META_FEATURES) ───────────┤
                   3 gradient-boosted tree ensembles (one per inner splitting) ◄┘
                   ─► mean ─► Platt scaling fitted on out-of-fold scores ─► P(unreliable)

The boosters learn from out-of-fold text logits, so they never see a text score made by a
model that was trained on the same post. Folds are grouped by poster (an opaque hash), so no
score is made by a model that has seen the poster; no feature describes who posted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from presswatch.classifiers.misinfo_eval import text_key
from presswatch.classifiers.misinfo_explain import explain_row
from presswatch.classifiers.misinfo_features import (
    META_NAMES,
    PostInput,
    PostLike,
    meta_matrix,
    normalize_text,
)
from presswatch.classifiers.misinfo_store import KIND, read_model, write_model
from presswatch.classifiers.misinfo_text import TextFeatures
from presswatch.classifiers.misinfo_trees import TreeEnsemble
from presswatch.classifiers.modelio import MODELS_DIR, fingerprint
from presswatch.classifiers.reintel import Post
from presswatch.errors import InputError

__all__ = ["MODEL_VERSION", "CVResult", "ContentModel", "PostInput", "cross_validate", "train"]

#: The model family: feature layout and training recipe. A file of another family is refused.
MODEL_VERSION = "misinfo-content-2026.11-1"
DEFAULT_PATH = MODELS_DIR / f"{KIND}.joblib"
#: Inner splittings, each with its own booster, averaged: evens out the luck of one split.
BAGS = 3
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(slots=True)
class CVResult:
    """Grouped cross-validation: per-fold ROC-AUC and PR-AUC, and out-of-fold probabilities."""

    roc_auc: list[float]
    pr_auc: list[float]
    oof: list[float]  # calibrated P(unreliable) of each post, by a model that never saw it
    labels: list[int]
    fold_sizes: list[tuple[int, int]] = field(default_factory=list)  # (posts, positives)

    @property
    def mean_roc_auc(self) -> float:
        """Mean ROC-AUC over the folds."""
        return float(np.mean(self.roc_auc))

    @property
    def mean_pr_auc(self) -> float:
        """Mean PR-AUC (average precision) over the folds."""
        return float(np.mean(self.pr_auc))

    @property
    def pooled_roc_auc(self) -> float:
        """ROC-AUC of all out-of-fold scores together (also tests calibration across folds)."""
        return float(roc_auc_score(self.labels, self.oof))


class ContentModel:
    """The trained stack; ``score`` gives calibrated P(unreliable), ``explain`` its evidence."""

    def __init__(self, parts: dict[str, Any], version: str, info: dict[str, Any]) -> None:
        self.text: TextFeatures = parts["text"]
        self.text_coef: FloatArray = parts["text_coef"]
        self.text_intercept: float = parts["text_intercept"]
        self.trees: list[TreeEnsemble] = parts["trees"]
        self.platt: tuple[float, float] = parts["platt"]
        self.reference: FloatArray = parts["reference"]
        self.version = version
        self.info = info

    @property
    def trained_texts(self) -> set[str]:
        """Hashes of the texts the model was trained on (misinfo_eval.text_key)."""
        return set(self.info.get("trained_texts", []))

    @classmethod
    def load(cls, path: Path | None = None) -> ContentModel:
        """The model in ``path`` (default: the one shipped in the package); ModelError if unfit."""
        meta, parts = read_model(path or DEFAULT_PATH, MODEL_VERSION)
        return cls(parts, str(meta["version"]), dict(meta.get("info", {})))

    def save(self, path: Path | None = None) -> Path:
        """Write the model (compressed) with its version and the library versions; return path."""
        target = path or DEFAULT_PATH
        parts = {"text": self.text, "text_coef": self.text_coef,
                 "text_intercept": self.text_intercept, "trees": self.trees,
                 "platt": self.platt, "reference": self.reference}  # fmt: skip
        write_model(target, parts, {"family": MODEL_VERSION, "version": self.version,
                                    "info": self.info})  # fmt: skip
        return target

    def score(self, posts: Sequence[PostLike]) -> list[float]:
        """Calibrated P(unreliable) of each post."""
        if not posts:
            return []
        rows = self._stacked(posts)
        raw = np.mean([trees.probability(rows) for trees in self.trees], axis=0)
        return [float(p) for p in self._calibrate(raw)]

    def margin(self, rows: FloatArray) -> FloatArray:
        """Mean log-odds of the boosters for stacked feature rows (before calibration)."""
        margins: FloatArray = np.mean([trees.margin(rows) for trees in self.trees], axis=0)
        return margins

    def explain(self, post: PostLike, k: int = 5) -> list[str]:
        """Up to k readable reasons (terms and posting-style traits) that raised the score."""
        row = self._stacked([post])[0]
        words = self.text.transform([normalize_text(post.text)])[:, : len(self.text.word_vocab)]
        return explain_row(self, row, words.tocsr(), k)

    def _stacked(self, posts: Sequence[PostLike]) -> FloatArray:
        texts = [normalize_text(post.text) for post in posts]
        logits = self.text.transform(texts) @ self.text_coef + self.text_intercept
        return np.column_stack([meta_matrix(posts), logits])

    def _calibrate(self, raw: FloatArray) -> FloatArray:
        slope, intercept = self.platt
        clipped = np.clip(raw, 1e-6, 1 - 1e-6)
        return 1.0 / (1.0 + np.exp(-(slope * np.log(clipped / (1 - clipped)) + intercept)))


def train(posts: Sequence[Post], *, seed: int = 13) -> ContentModel:
    """Train the stack on labelled posts; inner folds are grouped by ``post.group``."""
    labels, groups = _labels(posts), [post.group for post in posts]
    texts = [normalize_text(post.text) for post in posts]
    text = TextFeatures().fit(texts)
    matrix, meta = text.transform(texts), meta_matrix(posts)
    trees, stacks, raw_oof = [], [], np.zeros(len(posts))
    for bag in range(BAGS):
        splits = _splits(labels, groups, 5, seed + bag)
        stacked = _stack(meta, _text_oof(matrix, labels, splits))
        for fit, held in splits:
            booster = _booster(seed).fit(stacked[fit], labels[fit])
            raw_oof[held] += booster.predict_proba(stacked[held])[:, 1] / BAGS
        trees.append(TreeEnsemble.from_booster(_booster(seed).fit(stacked, labels), stacked))
        stacks.append(stacked)
    text_clf = _text_clf().fit(matrix, labels)
    parts = {
        "text": text,
        "text_coef": np.asarray(text_clf.coef_[0], dtype=np.float64),
        "text_intercept": float(text_clf.intercept_[0]),
        "trees": trees,
        "platt": _fit_platt(raw_oof, labels),
        "reference": np.nanmedian(np.vstack(stacks), axis=0),
    }
    data_id = fingerprint([(p.text, p.label) for p in posts], seed)
    info = {"posts": len(posts), "positives": int(labels.sum()), "seed": seed, "data": data_id,
            "features": [*META_NAMES, "text_logit"],
            "trained_texts": sorted({text_key(p.text) for p in posts})}  # fmt: skip
    return ContentModel(parts, f"{MODEL_VERSION}+{data_id[:8]}", info)


def _text_oof(matrix: Any, labels: Any, splits: list[tuple[Any, Any]]) -> FloatArray:
    """Out-of-fold text logits: each post scored by a model that did not see its poster."""
    oof = np.zeros(len(labels))
    for fit, held in splits:
        oof[held] = _text_clf().fit(matrix[fit], labels[fit]).decision_function(matrix[held])
    return oof


def _stack(meta: FloatArray, text_logits: FloatArray) -> FloatArray:
    stacked = np.column_stack([meta, text_logits])
    stacked[:, np.isnan(stacked).all(axis=0)] = 0.0  # never known (e.g. vfnd has no time)
    return stacked


def cross_validate(
    posts: Sequence[Post],
    folds: int = 5,
    seed: int = 13,
    on_fold: Callable[[int, float, float], None] | None = None,
) -> CVResult:
    """Grouped, stratified k-fold CV of the whole recipe; every score is out of fold.

    ``on_fold(fold, roc_auc, pr_auc)`` is called after each fold (for progress).
    """
    labels = _labels(posts)
    oof = np.zeros(len(posts))
    result = CVResult([], [], [], [int(v) for v in labels])
    for fit, held in _splits(labels, [post.group for post in posts], folds, seed):
        model = train([posts[i] for i in fit], seed=seed)
        oof[held] = model.score([posts[i] for i in held])
        result.roc_auc.append(float(roc_auc_score(labels[held], oof[held])))
        result.pr_auc.append(float(average_precision_score(labels[held], oof[held])))
        result.fold_sizes.append((len(held), int(labels[held].sum())))
        if on_fold is not None:
            on_fold(len(result.roc_auc), result.roc_auc[-1], result.pr_auc[-1])
    result.oof = [float(v) for v in oof]
    return result


def _labels(posts: Sequence[Post]) -> np.ndarray[Any, np.dtype[np.int64]]:
    if any(post.label not in (0, 1) for post in posts):
        raise InputError("every training post needs a label of 0 or 1")
    labels = np.array([post.label for post in posts], dtype=np.int64)
    if labels.sum() < 10 or (1 - labels).sum() < 10:
        raise InputError(f"too few posts of one class: {int(labels.sum())} of {len(labels)} are 1")
    return labels


def _splits(
    labels: np.ndarray[Any, np.dtype[np.int64]], groups: Sequence[str], folds: int, seed: int
) -> list[tuple[np.ndarray[Any, np.dtype[np.intp]], np.ndarray[Any, np.dtype[np.intp]]]]:
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels, groups))


def _text_clf() -> LogisticRegression:
    return LogisticRegression(C=16.0, solver="liblinear", class_weight="balanced")


def _booster(seed: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        learning_rate=0.05, max_iter=200, max_leaf_nodes=6, min_samples_leaf=20,
        l2_regularization=1.0, early_stopping=False, random_state=seed,
    )  # fmt: skip


def _fit_platt(raw: FloatArray, labels: np.ndarray[Any, np.dtype[np.int64]]) -> tuple[float, float]:
    """Platt scaling on the log-odds of out-of-fold scores: (slope, intercept)."""
    clipped = np.clip(raw, 1e-6, 1 - 1e-6)
    logit = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    fit = LogisticRegression(C=1e6).fit(logit, labels)
    slope, intercept = float(fit.coef_[0, 0]), float(fit.intercept_[0])
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        raise InputError("calibration failed: the scores do not separate the classes")
    return slope, intercept
