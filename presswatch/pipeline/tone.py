"""Tone: positive, neutral or negative, with its probability."""

from __future__ import annotations

import logging
from typing import Any

from presswatch.classifiers.text import split_title
from presswatch.classifiers.tone import ToneClassifier
from presswatch.document import Document
from presswatch.settings import Settings

log = logging.getLogger(__name__)


class Tone:
    """Fills doc.tone with a Tag (label, probability, evidence, model version)."""

    name = "tone"
    serial = False

    def __init__(self, classifier: ToneClassifier) -> None:
        self.classifier = classifier

    @classmethod
    def from_settings(cls, settings: Settings, **_: Any) -> Tone:
        """The shipped tone model, or the tone lexicon alone when none has been trained."""
        classifier = ToneClassifier.shipped_or_lexicon()
        if classifier.model is None:
            log.warning("no trained tone model: using the lexicon alone (run `presswatch train`)")
        return cls(classifier)

    def process(self, doc: Document) -> Document:
        title, body = split_title(doc.title, doc.text)
        doc.tone = self.classifier.tag(title, body)
        return doc
