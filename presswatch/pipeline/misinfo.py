"""Misinformation: combines signals into a flag with evidence (built in its own issue)."""

from __future__ import annotations

from typing import Any

from presswatch.document import Document
from presswatch.errors import NotConfigured
from presswatch.settings import Settings


class Misinformation:
    """Scores suspected misinformation; left out until the claim base and models exist."""

    name = "misinformation"
    serial = False

    @classmethod
    def from_settings(cls, settings: Settings, **_: Any) -> Misinformation:
        raise NotConfigured("the misinformation stage is not built yet")

    def process(self, doc: Document) -> Document:
        return doc
