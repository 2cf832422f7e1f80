"""Topics: which of the plan's topics a text treats (multi-label), with scores and evidence.

The lexicons of config/topics.toml score each topic; a trained linear model per topic reads
those scores beside the text's words, and a per-topic threshold (tuned by cross-validation)
decides. A topic without a trained model is decided by its lexicon alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from presswatch.classifiers.lexicon import Lexicon, LexiconScore
from presswatch.classifiers.linear import FloatArray, TextModel
from presswatch.classifiers.modelio import load_model, model_path
from presswatch.classifiers.text import tokens
from presswatch.document import Tag

LEXICON_THRESHOLD = 0.5
_EVIDENCE = 5


def topic_dense_names(topic_ids: list[str]) -> list[str]:
    """Names of the lexicon features, two per topic."""
    return [f"{t}:lexicon" for t in topic_ids] + [f"{t}:density" for t in topic_ids]


def topic_dense(scores: dict[str, LexiconScore], topic_ids: list[str], body: str) -> FloatArray:
    """Lexicon features of one text: log score and log score per 1,000 characters."""
    per_k = max(50, len(body)) / 1000
    raw = [scores[t].raw if t in scores else 0.0 for t in topic_ids]
    return np.array(
        [[math.log1p(r) for r in raw] + [math.log1p(r / per_k) for r in raw]], dtype=np.float64
    )


@dataclass(frozen=True, slots=True)
class TopicScore:
    """A topic's probability, its threshold and the terms or features behind it."""

    score: float
    threshold: float
    evidence: list[str]

    @property
    def chosen(self) -> bool:
        """Whether the topic is tagged."""
        return self.score >= self.threshold


class TopicClassifier:
    """Scores every topic of the lexicon; uses the trained model for the topics it knows."""

    def __init__(
        self,
        lexicon: Lexicon,
        model: TextModel | None = None,
        thresholds: dict[str, float] | None = None,
        version: str = "lexicon-1",
    ) -> None:
        self.lexicon = lexicon
        self.model = model
        self.thresholds = thresholds or {}
        self.version = version
        self.model_topics = list(model.linear.classes) if model else []

    @classmethod
    def load(cls, lexicon: Lexicon, path: Path | None = None) -> TopicClassifier:
        """The shipped (or given) model; ModelError when the file is there but unusable."""
        meta, payload = load_model("topics", path or model_path("topics"))
        model = TextModel.from_payload(payload)
        return cls(lexicon, model, dict(payload["thresholds"]), str(meta["model_version"]))

    @classmethod
    def shipped_or_lexicon(cls, lexicon: Lexicon) -> TopicClassifier:
        """The shipped model, or the lexicon alone when none has been trained yet."""
        return cls.load(lexicon) if model_path("topics").exists() else cls(lexicon)

    def scores(self, title: str, body: str) -> dict[str, TopicScore]:
        """Every topic's score for a normalised headline and body."""
        lexical = self.lexicon.scores(title, body)
        out = {
            t: TopicScore(s.probability, LEXICON_THRESHOLD, s.evidence[:_EVIDENCE])
            for t, s in lexical.items()
        }
        if self.model is not None:
            out.update(self._model_scores(title, body, lexical))
        return out

    def tags(self, title: str, body: str) -> tuple[dict[str, Tag], dict[str, float]]:
        """(chosen topics as Tags with their evidence, every topic's score)."""
        scores = self.scores(title, body)
        chosen = {t: s for t, s in scores.items() if s.chosen}
        tags = {
            t: Tag(t, round(s.score, 4), self._evidence(t, s, title, body), self.version)
            for t, s in chosen.items()
        }
        return tags, {t: round(s.score, 4) for t, s in scores.items()}

    def _evidence(self, topic: str, score: TopicScore, title: str, body: str) -> list[str]:
        """Lexicon terms first, then the n-grams that weigh most for the topic in the model."""
        if self.model is None or topic not in self.model_topics:
            return score.evidence
        grams = self.model.evidence(tokens(f"{title}\n{body}"), self.model_topics.index(topic))
        return list(dict.fromkeys(score.evidence + grams))[:_EVIDENCE]

    def _model_scores(
        self, title: str, body: str, lexical: dict[str, LexiconScore]
    ) -> dict[str, TopicScore]:
        assert self.model is not None
        toks = tokens(f"{title}\n{body}")
        dense = topic_dense(lexical, self.model_topics, body)
        probabilities = self.model.probabilities([toks], dense)[0]
        return {
            topic: TopicScore(
                float(probabilities[index]),
                self.thresholds.get(topic, 0.5),
                lexical[topic].evidence[:_EVIDENCE] if topic in lexical else [],
            )
            for index, topic in enumerate(self.model_topics)
        }
