"""Tone: positive, neutral or negative, with the probability of the chosen tone.

A tone lexicon (models/tone_lexicon.toml) counts words of good and bad news; a trained
softmax model reads those counts beside the text's words. Without a model, the lexicon decides.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from presswatch.classifiers.lexicon import Lexicon, LexiconScore
from presswatch.classifiers.linear import FloatArray, TextModel
from presswatch.classifiers.modelio import MODELS_DIR, load_model, model_path
from presswatch.classifiers.text import tokens
from presswatch.document import Tag

TONES: tuple[str, ...] = ("negative", "neutral", "positive")
TONE_LEXICON = MODELS_DIR / "tone_lexicon.toml"
DENSE_NAMES: list[str] = ["positive", "negative", "positive_density", "negative_density", "balance"]
_EVIDENCE = 5
_NEUTRAL_MARGIN = 2.0


def tone_lexicon() -> Lexicon:
    """The tone lexicon shipped with the package."""
    return Lexicon.from_toml(TONE_LEXICON, table="tone")


def tone_dense(scores: dict[str, LexiconScore], body: str) -> FloatArray:
    """Lexicon features of one text: positive and negative weight, per 1,000 characters, balance."""
    per_k = max(50, len(body)) / 1000
    pos, neg = scores["positive"].raw, scores["negative"].raw
    values = [math.log1p(pos), math.log1p(neg), math.log1p(pos / per_k), math.log1p(neg / per_k)]
    return np.array([[*values, math.log1p(pos) - math.log1p(neg)]], dtype=np.float64)


class ToneClassifier:
    """Decides the tone of a text; a trained model when shipped, else the lexicon balance."""

    def __init__(
        self, lexicon: Lexicon, model: TextModel | None = None, version: str = "lexicon-1"
    ) -> None:
        self.lexicon = lexicon
        self.model = model
        self.version = version

    @classmethod
    def load(cls, lexicon: Lexicon | None = None, path: Path | None = None) -> ToneClassifier:
        """The shipped (or given) model; ModelError when the file is there but unusable."""
        meta, payload = load_model("tone", path or model_path("tone"))
        model = TextModel.from_payload(payload)
        return cls(lexicon or tone_lexicon(), model, str(meta["model_version"]))

    @classmethod
    def shipped_or_lexicon(cls) -> ToneClassifier:
        """The shipped model, or the lexicon alone when none has been trained yet."""
        return cls.load() if model_path("tone").exists() else cls(tone_lexicon())

    def tag(self, title: str, body: str) -> Tag:
        """The tone of a normalised headline and body, as a Tag (score = its probability)."""
        scores = self.lexicon.scores(title, body)
        if self.model is None:
            return self._lexicon_tag(scores)
        toks = tokens(f"{title}\n{body}")
        probabilities = self.model.probabilities([toks], tone_dense(scores, body))[0]
        index = int(np.argmax(probabilities))
        label = self.model.linear.classes[index]
        evidence = scores[label].evidence if label in scores else []
        evidence = list(dict.fromkeys(evidence + self.model.evidence(toks, index)))
        return Tag(label, round(float(probabilities[index]), 4), evidence[:_EVIDENCE], self.version)

    def _lexicon_tag(self, scores: dict[str, LexiconScore]) -> Tag:
        pos, neg = scores["positive"], scores["negative"]
        margin = pos.raw - neg.raw
        if abs(margin) < _NEUTRAL_MARGIN:
            return Tag("neutral", 0.5, [], self.version)
        winner = pos if margin > 0 else neg
        label = "positive" if margin > 0 else "negative"
        confidence = 1.0 / (1.0 + math.exp(-abs(margin) / 3.0))
        return Tag(label, round(confidence, 4), winner.evidence[:_EVIDENCE], self.version)
