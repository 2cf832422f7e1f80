"""Topics: tag the plan's topics (config/topics.toml lexicons and the trained model)."""

from __future__ import annotations

import logging
from typing import Any

from presswatch.classifiers.lexicon import Lexicon
from presswatch.classifiers.text import split_title
from presswatch.classifiers.topics import TopicClassifier
from presswatch.document import Document
from presswatch.settings import Settings

log = logging.getLogger(__name__)


class Topics:
    """Fills doc.topics (id → Tag) and doc.extra["topic_scores"] (every topic's score)."""

    name = "topics"
    serial = False

    def __init__(self, classifier: TopicClassifier) -> None:
        self.classifier = classifier

    @classmethod
    def from_settings(cls, settings: Settings, **_: Any) -> Topics:
        """Lexicons from config_dir/topics.toml, the shipped model when there is one."""
        lexicon = Lexicon.from_toml(settings.path("config_dir") / "topics.toml")
        classifier = TopicClassifier.shipped_or_lexicon(lexicon)
        if classifier.model is None:
            log.warning("no trained topic model: using the lexicons alone (run `presswatch train`)")
        return cls(classifier)

    def process(self, doc: Document) -> Document:
        title, body = split_title(doc.title, doc.text)
        doc.topics, doc.extra["topic_scores"] = self.classifier.tags(title, body)
        return doc
