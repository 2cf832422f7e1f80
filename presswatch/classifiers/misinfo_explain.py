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
_RATES = ("exclamations", "questions", "line_breaks", "digits")  # per 100 characters
_COUNTS = ("log_likes", "log_comments", "log_shares", "log_length")
_MIN_EFFECT = 0.02  # log-odds: smaller shares are noise, not evidence
_MIN_IDF = 3.5  # idf = ln((1 + n) / (1 + df)) + 1: below it a term is in > ~1 in 12 posts


def explain_row(model: ContentModel, row: Any, words: sp.csr_matrix, k: int) -> list[str]:
    """Up to k reasons that raised the score of one stacked feature row, strongest first."""
    effects = _effects(model, row)
    text_index = len(META_FEATURES)
    reasons = [
        (float(effects[i]), describe(META_FEATURES[i][0], float(row[i])))
        for i in range(text_index)
        if effects[i] >= _MIN_EFFECT
    ]
    if effects[text_index] >= _MIN_EFFECT:
        terms = top_terms(model, words, k)
        total = sum(weight for weight, _ in terms)
        reasons += [(effects[text_index] * w / total, t) for w, t in terms if total > 0]
        if not terms:
            reasons.append((float(effects[text_index]), "nội dung văn bản"))
    reasons.sort(key=lambda pair: -pair[0])
    return [reason for _, reason in reasons[:k]]


def top_terms(model: ContentModel, words: sp.csr_matrix, k: int) -> list[tuple[float, str]]:
    """The k telling word n-grams that raised a post's text score most: (weight, quoted term).

    Very common words ("thì", "mà") also carry weight, as a sign of chatty style, but tell an
    analyst nothing, so terms found in more than ~1 in 12 training posts are not shown.
    """
    coef = model.text_coef[: words.shape[1]]
    idf = model.text.word_idf
    effect = words.data * coef[words.indices]
    names = {column: term for term, column in model.text.word_vocab.items()}
    shown: list[tuple[float, str]] = []
    for i in np.argsort(-effect):
        if effect[i] <= 0 or len(shown) >= k:
            break
        term = str(names[words.indices[i]])
        if idf[words.indices[i]] >= _MIN_IDF and len(term) > 1:
            shown.append((float(effect[i]), f"cụm từ “{term}”"))
    return shown


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
    if name in _RATES:
        return f"{label} ({value:.1f} trên 100 ký tự)"
    return f"{label} ({int(value)})"


def _effects(model: ContentModel, row: Any) -> Any:
    """How much the log-odds fall when each feature is set to its median (0 when unknown)."""
    size = len(row)
    grid = np.tile(row, (size + 1, 1))
    for index in range(size):
        grid[index + 1, index] = model.reference[index]
    margins = model.margin(grid)
    effects = margins[0] - margins[1:]
    effects[np.isnan(row)] = 0.0
    return effects
