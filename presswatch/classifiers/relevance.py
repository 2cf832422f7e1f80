"""Relevance: how much a text is about the region — 0 none, 1 mentioned in passing, 2 about it.

Without a mention (gazetteer) the answer is 0. With one, a linear model over features of where
and how the region is named decides between 1 and 2. The features never name the region itself,
so the same model serves any region.toml.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from presswatch.classifiers.gazetteer import Gazetteer
from presswatch.classifiers.linear import TextModel
from presswatch.classifiers.modelio import load_model, model_path
from presswatch.document import Mention

FEATURES: tuple[str, ...] = (
    "mentions", "in_title", "in_lead", "in_body", "distinct", "finer", "first_pos", "first_abs",
    "spread", "others", "others_ratio", "in_list", "organisation", "hometown", "location",
    "dateline", "bracketed", "length", "unaccented",
)  # fmt: skip

_BEFORE = 40
_ORG = re.compile(
    r"(?i)(?:ubnd|ủy ban|công an|sở|tỉnh ủy|thành ủy|bệnh viện|trường|báo|đài|tand|viện kiểm sát|"
    r"hội|ban|chi cục|cục|bộ đội biên phòng|bđbp|lãnh đạo|chủ tịch|bí thư|nhà máy|công ty|"
    r"ngân hàng|bảo tàng|điện lực|hđnd|mặt trận)\s+(?:tỉnh\s+|tp\.?\s*|thành phố\s+|huyện\s+)?$"
)
_HOME = re.compile(r"(?i)(?:quê|quê quán|ngụ|trú|sinh ra ở|gốc)\s+(?:ở\s+|tại\s+)?(?:tỉnh\s+)?$")
_AT = re.compile(r"(?i)(?:tại|ở)\s+(?:tỉnh\s+|tp\.?\s*|thành phố\s+|huyện\s+|xã\s+|thị xã\s+)?$")
_DATELINE = re.compile(r"\s*[:\-–]")
_LIST_WINDOW = 60


@dataclass(frozen=True, slots=True)
class RelevanceDecision:
    """The relevance level, the probability of "about the region" and why."""

    level: int
    score: float
    reason: str
    model_version: str


def relevance_features(
    gazetteer: Gazetteer, title: str, body: str, mentions: list[Mention]
) -> dict[str, float]:
    """Where and how often the region is named, region-agnostic numbers."""
    size = len(body) + 1
    in_body = [m for m in mentions if m.zone != "title"]
    others = gazetteer.other_provinces_in(body)
    first = in_body[0].start if in_body else size
    listed = sum(1 for m in in_body for _, at in others if abs(at - m.start) < _LIST_WINDOW)
    before = [body[max(0, m.start - _BEFORE) : m.start] for m in in_body]
    return {
        "mentions": math.log1p(len(mentions)),
        "in_title": float(any(m.zone == "title" for m in mentions)),
        "in_lead": math.log1p(sum(m.zone == "lead" for m in mentions)),
        "in_body": math.log1p(sum(m.zone == "body" for m in mentions)),
        "distinct": math.log1p(len({m.name for m in mentions})),
        "finer": math.log1p(sum(m.level not in {"province", "alias"} for m in mentions)),
        "first_pos": first / size,
        "first_abs": min(1.0, first / 1000),
        "spread": (in_body[-1].start - first) / size if len(in_body) > 1 else 0.0,
        "others": math.log1p(len(others)),
        "others_ratio": len(others) / (len(others) + len(mentions)) if mentions else 0.0,
        "in_list": math.log1p(listed) / max(1, len(in_body)),
        "organisation": float(sum(bool(_ORG.search(b)) for b in before)),
        "hometown": float(sum(bool(_HOME.search(b)) for b in before)),
        "location": float(sum(bool(_AT.search(b)) for b in before)),
        "dateline": float(any(_dateline(m, title, body) for m in mentions)),
        "bracketed": float(sum(body[m.end : m.end + 1] == ")" for m in in_body)),
        "length": math.log(size),
        "unaccented": float(bool(mentions) and not any(m.accented for m in mentions)),
    }


def _dateline(m: Mention, title: str, body: str) -> bool:
    """ "Sóc Trăng: …" — the place opens a headline or paragraph as its subject."""
    source = title if m.zone == "title" else body
    starts_line = m.start == 0 or source[m.start - 1] == "\n"
    return starts_line and bool(_DATELINE.match(source, m.end))


def feature_vector(features: dict[str, float]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The features in the fixed order of FEATURES, as one row."""
    return np.array([[features[name] for name in FEATURES]], dtype=np.float64)


class RelevanceClassifier:
    """Decides the relevance level from the mentions; a trained model when shipped, else rules."""

    def __init__(self, model: TextModel | None = None, version: str = "rules-1") -> None:
        self.model = model
        self.version = version

    @classmethod
    def load(cls, path: Path | None = None) -> RelevanceClassifier:
        """The shipped (or given) model; ModelError when the file is there but unusable."""
        meta, payload = load_model("relevance", path or model_path("relevance"))
        return cls(TextModel.from_payload(payload), str(meta["model_version"]))

    @classmethod
    def shipped_or_rules(cls) -> RelevanceClassifier:
        """The shipped model, or the rules when none has been trained yet."""
        return cls.load() if model_path("relevance").exists() else cls()

    def decide(self, features: dict[str, float], mentions: list[Mention]) -> RelevanceDecision:
        """Level 0 without a mention; otherwise 1 or 2 with the probability of 2."""
        if not mentions:
            return RelevanceDecision(0, 0.0, "no mention of the region", self.version)
        score = self._probability(features)
        level = 2 if score >= 0.5 else 1
        return RelevanceDecision(level, score, _reason(level, mentions), self.version)

    def _probability(self, features: dict[str, float]) -> float:
        if self.model is None:
            return _rule_probability(features)
        return float(self.model.probabilities([], feature_vector(features))[0, -1])


def _rule_probability(f: dict[str, float]) -> float:
    """The untrained rule: a headline or a lead mention, or several mentions not in a list."""
    votes = 2.0 * f["in_title"] + f["in_lead"] + 0.5 * f["mentions"] + f["dateline"]
    votes -= f["in_list"] + 0.5 * f["hometown"]
    return 1.0 / (1.0 + math.exp(-2.0 * (votes - 1.0)))


def _reason(level: int, mentions: list[Mention]) -> str:
    zones = sorted({m.zone for m in mentions}, key=("title", "lead", "body").index)
    names = ", ".join(dict.fromkeys(m.name for m in mentions))
    what = "about the region" if level == 2 else "mentioned in passing"
    return f"{what}: {len(mentions)} mention(s) of {names} in {'/'.join(zones)}"
