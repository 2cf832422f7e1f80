"""The processing stages, written out once in data-flow order.

A stage is any object with ``name`` and ``process(doc) -> Document``; it returns the document
(possibly changed) or raises :class:`presswatch.errors.Drop` with a reason. A stage that cannot run
with the current configuration raises :class:`presswatch.errors.NotConfigured` from
``from_settings`` and is left out with a log line.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any, Protocol

from presswatch.errors import NotConfigured

if TYPE_CHECKING:
    from presswatch.document import Document
    from presswatch.settings import Settings

log = logging.getLogger(__name__)

#: The stages in data-flow order, as "module:Class". Like Scrapy's DOWNLOADER_MIDDLEWARES_BASE.
#: Stages up to and including the last ``serial`` one run in the coordinating process (they
#: read and update shared state such as the near-duplicate index); the rest may run in workers.
STAGES: tuple[str, ...] = (
    "presswatch.pipeline.normalize:Normalize",
    "presswatch.pipeline.dedup:Deduplicate",
    "presswatch.pipeline.relevance:Relevance",
    "presswatch.pipeline.topics:Topics",
    "presswatch.pipeline.tone:Tone",
    "presswatch.pipeline.misinfo:Misinformation",
)


class Stage(Protocol):
    """What every pipeline stage provides."""

    name: str
    serial: bool

    def process(self, doc: Document) -> Document:
        """Return the document, or raise Drop(reason)."""
        ...


def load_stage(path: str, settings: Settings, **context: Any) -> Stage | None:
    """Build one stage from its "module:Class" path, or None when it is not configured."""
    module_name, _, class_name = path.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    try:
        stage: Stage = cls.from_settings(settings, **context)
    except NotConfigured as exc:
        log.warning("stage %s left out: %s", class_name, exc)
        return None
    return stage


def build_stages(settings: Settings, **context: Any) -> tuple[Stage, ...]:
    """Build the configured stages, in order; ``context`` passes shared resources (e.g. engine)."""
    stages = (load_stage(path, settings, **context) for path in STAGES)
    return tuple(stage for stage in stages if stage is not None)
