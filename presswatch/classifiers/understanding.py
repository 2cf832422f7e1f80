"""The understanding step as `classify` and `eval` run it: the pipeline's own stage objects.

Relevance (never dropping), topics, tone, then misinformation when that stage is configured;
one input record in, one output record (the classify contract) out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from presswatch.document import Document
from presswatch.errors import InputError
from presswatch.pipeline import STAGES, Stage, load_stage
from presswatch.settings import Settings
from presswatch.sources import load_sources

#: The stages `classify` runs: everything from relevance on, in pipeline order.
FIRST_STAGE = "presswatch.pipeline.relevance:Relevance"
MAX_TEXT_CHARS = 200_000


class Analyzer:
    """Runs the understanding stages on records and writes classify output records."""

    def __init__(self, stages: list[Stage], source_kinds: dict[str, str] | None = None) -> None:
        self.stages = stages
        self.source_kinds = source_kinds or {}

    @classmethod
    def from_settings(cls, settings: Settings, **context: Any) -> Analyzer:
        """Relevance (keeping irrelevant documents), topics, tone, and misinformation if set up."""
        paths = STAGES[STAGES.index(FIRST_STAGE) :]
        stages = (load_stage(p, settings, keep_irrelevant=True, **context) for p in paths)
        return cls([s for s in stages if s is not None], _source_kinds(settings))

    def document(self, record: Any) -> Document:
        """The Document of one input record; InputError says what is wrong with it."""
        doc = to_document(record)
        doc.source_kind = self.source_kinds.get(doc.source, doc.source_kind)
        return doc

    def analyse(self, doc: Document) -> Document:
        """Every stage on one document (stages here never drop)."""
        for stage in self.stages:
            doc = stage.process(doc)
        return doc

    def classify(self, record: Any) -> dict[str, Any]:
        """One classify output record for one input record."""
        return to_output(record["id"], self.analyse(self.document(record)))


def _source_kinds(settings: Settings) -> dict[str, str]:
    """Source key → source kind from config/sources.toml, so a record's `source` sets its kind."""
    path = settings.path("config_dir") / "sources.toml"
    return {s.key: s.source_kind for s in load_sources(path)} if path.exists() else {}


def to_document(record: Any) -> Document:
    """Check one classify input record and turn it into a Document."""
    if not isinstance(record, dict):
        raise InputError("a line must be a JSON object")
    rid, text = record.get("id"), record.get("text")
    if not isinstance(rid, str | int) or isinstance(rid, bool) or rid == "":
        raise InputError("'id' is missing or not a string/number")
    if not isinstance(text, str):
        raise InputError("'text' is missing or not a string")
    title = record.get("title") or ""
    if not isinstance(title, str):
        raise InputError("'title' must be a string")
    return Document(
        url=_string(record, "url") or f"classify:{rid}",
        source=_string(record, "source") or "classify",
        title=title[:MAX_TEXT_CHARS],
        text=text[:MAX_TEXT_CHARS],
        published_at=_published(record.get("published_at")),
        engagement=_engagement(record.get("engagement")),
        # Without a configured source, a record with engagement counts reads as a social post.
        source_kind="social" if record.get("engagement") else "domestic",
    )


def _string(record: dict[str, Any], key: str) -> str:
    value = record.get(key) or ""
    if not isinstance(value, str):
        raise InputError(f"{key!r} must be a string")
    return value


def _published(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"'published_at' {value!r} is not ISO 8601") from None


def _engagement(value: Any) -> dict[str, int]:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise InputError("'engagement' must be an object like {\"likes\": 3}")
    out = {}
    for key in ("likes", "comments", "shares"):
        raw = value.get(key, 0)
        try:
            out[key] = int(float(raw or 0))
        except (TypeError, ValueError):
            raise InputError(f"engagement {key!r} {raw!r} is not a number") from None
    return out


def to_output(rid: Any, doc: Document) -> dict[str, Any]:
    """The classify contract's output record for an analysed document."""
    scores = doc.extra.get("topic_scores", {})
    topics = sorted(doc.topics, key=lambda t: -doc.topics[t].score)
    flag = doc.flag
    return {
        "id": rid,
        "relevance": doc.relevance,
        "relevance_score": round(doc.relevance_score, 4),
        "topics": topics,
        "topic_scores": scores,
        "tone": doc.tone.label if doc.tone else "neutral",
        "tone_score": doc.tone.score if doc.tone else 0.0,
        "misinfo_score": round(flag.score, 4) if flag else 0.0,
        "flag": bool(flag.flagged) if flag else False,
        "reasons": list(flag.reasons) if flag else [],
    }
