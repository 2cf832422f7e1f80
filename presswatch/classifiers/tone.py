"""Tone: positive, neutral or negative, with the probability of the chosen tone.

A tone lexicon (models/tone_lexicon.toml) counts words of good and bad news; a trained
softmax model reads those counts beside the text's words. A second model over which n-grams are
present, weighted by how much more often each occurs in one tone than in the others (NB-SVM,
Wang & Manning 2012), is blended in when the model file has one. Without a model, the lexicon
decides.
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
        self,
        lexicon: Lexicon,
        model: TextModel | None = None,
        version: str = "lexicon-1",
        presence: TextModel | None = None,
        blend: float = 0.0,
    ) -> None:
        self.lexicon = lexicon
        self.model = model
        self.version = version
        self.presence = presence
        self.blend = blend if presence is not None else 0.0

    @classmethod
    def load(cls, lexicon: Lexicon | None = None, path: Path | None = None) -> ToneClassifier:
        """The shipped (or given) model; ModelError when the file is there but unusable."""
        meta, payload = load_model("tone", path or model_path("tone"))
        model = TextModel.from_payload(payload)
        presence = payload.get("presence")
        return cls(
            lexicon or tone_lexicon(),
            model,
            str(meta["model_version"]),
            TextModel.from_payload(presence) if presence else None,
            float(payload.get("blend", 0.0)),
        )

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
        probabilities = self.probabilities([toks], tone_dense(scores, body))[0]
        index = int(np.argmax(probabilities))
        label = self.model.linear.classes[index]
        evidence = scores[label].evidence if label in scores else []
        evidence = list(dict.fromkeys(evidence + self.model.evidence(toks, index)))
        return Tag(label, round(float(probabilities[index]), 4), evidence[:_EVIDENCE], self.version)

    def probabilities(self, token_lists: list[list[str]], dense: FloatArray) -> FloatArray:
        """Per-tone probabilities of a batch: the main model, blended with the presence model."""
        assert self.model is not None
        out = self.model.probabilities(token_lists, dense)
        if self.presence is not None and self.blend:
            second = self.presence.probabilities(token_lists, dense[:, :0])
            out = (1.0 - self.blend) * out + self.blend * second
        return out

    def _lexicon_tag(self, scores: dict[str, LexiconScore]) -> Tag:
        pos, neg = scores["positive"], scores["negative"]
        margin = pos.raw - neg.raw
        if abs(margin) < _NEUTRAL_MARGIN:
            return Tag("neutral", 0.5, [], self.version)
        winner = pos if margin > 0 else neg
        label = "positive" if margin > 0 else "negative"
        confidence = 1.0 / (1.0 + math.exp(-abs(margin) / 3.0))
        return Tag(label, round(confidence, 4), winner.evidence[:_EVIDENCE], self.version)
