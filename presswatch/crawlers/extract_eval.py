"""Extraction quality: the token-F1 that scores an extracted text against a hand-made gold text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_SPLIT = re.compile(r"[\W_]+")


def tokens(text: str) -> list[str]:
    """Lowercase, NFC-normalise, split on whitespace and punctuation (anything not a word char)."""
    return [t for t in _SPLIT.split(unicodedata.normalize("NFC", text.lower())) if t]


def token_f1(extracted: str, gold: str) -> float:
    """F1 of the bag-of-tokens overlap (each token counted as often as it occurs in both)."""
    got, want = Counter(tokens(extracted)), Counter(tokens(gold))
    overlap = sum((got & want).values())
    if not overlap:
        return 1.0 if not got and not want else 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)
