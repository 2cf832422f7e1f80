"""Misinformation content model: evaluation on a labelled file, never on posts it learnt from."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from presswatch.classifiers.misinfo_features import normalize_text
from presswatch.classifiers.reintel import Post
from presswatch.errors import InputError


@dataclass(slots=True)
class Evaluation:
    """Ranking quality and the confusion counts at one threshold."""

    posts: int
    positives: int
    left_out: int  # posts left out because the model was trained on them
    roc_auc: float
    pr_auc: float
    threshold: float
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        """Share of posts at or above the threshold that are labelled unreliable."""
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        """Share of unreliable posts at or above the threshold."""
        return self.true_pos / self.positives if self.positives else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def text_key(text: str) -> str:
    """A short hash of a post's normalised text: which posts a model was trained on."""
    folded = " ".join(normalize_text(text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:12]


def unseen(posts: Sequence[Post], trained: set[str]) -> list[Post]:
    """The posts whose text the model was not trained on."""
    return [post for post in posts if text_key(post.text) not in trained]


def evaluate(scores: Sequence[float], labels: Sequence[int], threshold: float) -> Evaluation:
    """ROC-AUC, PR-AUC and precision/recall at ``threshold`` of scores against labels."""
    y, p = np.asarray(labels), np.asarray(scores)
    if len(set(y.tolist())) < 2:
        raise InputError("evaluation needs both labels (0 and 1) among the posts scored")
    hit = p >= threshold
    return Evaluation(
        posts=len(y), positives=int(y.sum()), left_out=0,
        roc_auc=float(roc_auc_score(y, p)), pr_auc=float(average_precision_score(y, p)),
        threshold=threshold, true_pos=int((hit & (y == 1)).sum()),
        false_pos=int((hit & (y == 0)).sum()), false_neg=int((~hit & (y == 1)).sum()),
    )  # fmt: skip


def best_f1_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The threshold (rounded to 0.05) with the highest F1 on out-of-fold scores."""
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    return float(max(grid, key=lambda t: evaluate(scores, labels, float(t)).f1))
