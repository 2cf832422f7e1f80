"""Misinformation content model: why a post scored high, in words an analyst can check.

Each feature of the boosting stage is set, one at a time, to its typical (median) value; the
drop in the score is that feature's share. The text's share is shown as the terms whose
weights raised the text score most; other features as a short Vietnamese description.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from presswatch.classifiers.misinfo_features import META_FEATURES

if TYPE_CHECKING:
    from presswatch.classifiers.misinfo_model import ContentModel

_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_SHARES = ("caps_letters", "caps_words", "no_diacritics")
_COUNTS = ("log_likes", "log_comments", "log_shares", "log_length")
_MIN_EFFECT = 0.02  # log-odds: smaller shares are noise, not evidence


def explain_row(model: ContentModel, row: Any, words: sp.csr_matrix, k: int) -> list[str]:
    """Up to k reasons that raised the score of one stacked feature row, strongest first."""
    effects = _effects(model, row)
    reasons: list[str] = []
    for index in np.argsort(-effects):
        if len(reasons) >= k or effects[index] < _MIN_EFFECT:
            break
        if index == len(META_FEATURES):
            reasons.extend(top_terms(model, words, k - len(reasons)) or ["nội dung văn bản"])
        else:
            reasons.append(describe(META_FEATURES[index][0], float(row[index])))
    return reasons[:k]


def top_terms(model: ContentModel, words: sp.csr_matrix, k: int) -> list[str]:
    """The k word n-grams of a post whose weights raised its text score most, quoted."""
    coef = model.text_clf.coef_[0][: words.shape[1]]
    effect = words.data * coef[words.indices]
    order = [i for i in np.argsort(-effect)[:k] if effect[i] > 0]
    names = model.text.word_terms
    return [f"cụm từ “{names[words.indices[i]]}”" for i in order]


def describe(name: str, value: float) -> str:
    """A short Vietnamese description of one meta feature's value."""
    label = dict(META_FEATURES)[name]
    if name in _COUNTS:
        unit = " ký tự" if name == "log_length" else ""
        return f"{label} ({round(math.expm1(value))}{unit})"
    if name in _SHARES:
        return f"{label} ({value:.0%})"
    if name == "hour":
        return f"đăng lúc {int(value)} giờ"
    if name == "weekday":
        return f"đăng vào {_WEEKDAYS[int(value) % 7]}"
    if name == "year":
        return f"đăng năm {int(value)}"
    if name in ("comments_per_like", "shares_per_like", "no_engagement"):
        return label
    return f"{label} ({value:g})"


def _effects(model: ContentModel, row: Any) -> Any:
    """How much the log-odds fall when each feature is set to its median (0 when unknown)."""
    size = len(row)
    grid = np.tile(row, (size + 1, 1))
    for index in range(size):
        grid[index + 1, index] = model.reference[index]
    margins = model.booster.decision_function(grid)
    effects = margins[0] - margins[1:]
    effects[np.isnan(row)] = 0.0
    return effects
