"""Relevance: find the region in a document and decide how much it is about it; drop the rest.

The gazetteer pass is cheap (≈0.5 ms for an article): documents that never name the region are
dropped here, with their reason, before the expensive stages run.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from presswatch.classifiers.gazetteer import Gazetteer
from presswatch.classifiers.relevance import RelevanceClassifier, relevance_features
from presswatch.classifiers.text import headline_end
from presswatch.document import Document, Mention
from presswatch.errors import Drop
from presswatch.settings import Settings

log = logging.getLogger(__name__)


class Relevance:
    """Fills doc.mentions, doc.relevance and doc.relevance_score; drops level-0 documents.

    Mention offsets point into ``doc.title`` for the title zone, and into ``doc.text`` otherwise
    (also for a headline that is the first line of a text without a separate title).
    """

    name = "relevance"
    serial = False

    def __init__(
        self, gazetteer: Gazetteer, classifier: RelevanceClassifier, drop: bool = True
    ) -> None:
        self.gazetteer = gazetteer
        self.classifier = classifier
        self.drop = drop

    @classmethod
    def from_settings(cls, settings: Settings, **context: Any) -> Relevance:
        """Gazetteer from config_dir/region.toml; ``keep_irrelevant=True`` never drops."""
        gazetteer = Gazetteer.from_toml(settings.path("config_dir") / "region.toml")
        classifier = RelevanceClassifier.shipped_or_rules()
        if classifier.model is None:
            log.warning("no trained relevance model: using rules (run `presswatch train`)")
        return cls(gazetteer, classifier, drop=not context.get("keep_irrelevant", False))

    def process(self, doc: Document) -> Document:
        title, body, shift = _parts(doc)
        mentions = self.gazetteer.find(title, body)
        features = relevance_features(self.gazetteer, title, body, mentions)
        decision = self.classifier.decide(features, mentions)
        doc.mentions = [_shifted(m, shift) for m in mentions]
        doc.relevance, doc.relevance_score = decision.level, round(decision.score, 4)
        doc.extra["relevance"] = {"reason": decision.reason, "model": decision.model_version}
        if decision.level == 0 and self.drop:
            raise Drop(f"not about the region: no mention of {self.gazetteer.region} or its places")
        return doc


def _parts(doc: Document) -> tuple[str, str, int]:
    """(headline, body, offset of the body in doc.text)."""
    if doc.title.strip():
        return doc.title, doc.text, 0
    end = headline_end(doc.text)
    return (doc.text[:end], doc.text[end + 1 :], end + 1) if end else ("", doc.text, 0)


def _shifted(mention: Mention, shift: int) -> Mention:
    if not shift or mention.zone == "title":
        return mention
    return replace(mention, start=mention.start + shift, end=mention.end + shift)
