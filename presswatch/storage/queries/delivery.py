"""Named queries: delivery: digest and alerts (the quarterly report's are in report.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from presswatch.privacy import public_channel_name
from presswatch.storage import models as m

__all__ = [
    "count_flags_awaiting_review",
    "coverage_counts",
    "documents_collected",
    "flag_alerted",
    "flag_signals",
    "flags_awaiting_review",
    "flags_for_alerts",
    "last_alert_at",
    "story_documents",
    "story_velocity",
    "topics_by_document",
]

# Digests count documents by when they were collected (each appears in one daily digest);
# reports and story velocity by when they were published (collection time when unknown).
# Only processed documents about the region (relevance >= 1) are counted. A social channel's
# name is shown only when its source is configured as a public organisation page.


def _published_time() -> Any:
    return func.coalesce(m.Document.published_at, m.Document.fetched_at)


def _about_region(min_relevance: int = 1) -> tuple[Any, ...]:
    return (m.Document.status == "processed", m.Document.relevance >= min_relevance)


def _published_in(start: datetime, end: datetime) -> tuple[Any, ...]:
    return (*_about_region(), _published_time() >= start, _published_time() < end)


def topics_by_document(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Topic labels of each document, strongest first."""
    out: dict[int, list[str]] = {}
    for i in range(0, len(ids), 500):
        stmt = (
            select(m.Tag.document_id, m.Tag.label)
            .where(m.Tag.kind == "topic", m.Tag.document_id.in_(ids[i : i + 500]))
            .order_by(m.Tag.document_id, m.Tag.score.desc(), m.Tag.label)
        )
        for doc_id, label in session.execute(stmt):
            out.setdefault(doc_id, []).append(label)
    return out


def _document_briefs(session: Session, stmt: Any) -> list[dict[str, Any]]:
    """Rows of (Document, source name, organisation) as plain dicts with topics."""
    rows = session.execute(stmt).all()
    topics = topics_by_document(session, [row[0].id for row in rows])
    return [_document_brief(doc, name, org, topics.get(doc.id, [])) for doc, name, org, *_ in rows]


def _document_brief(
    doc: m.Document, source: str, organisation: bool, topics: list[str]
) -> dict[str, Any]:
    return {
        "id": doc.id, "title": doc.title, "url": doc.url, "text": doc.text,
        "source": source, "source_kind": doc.source_kind,
        "channel": public_channel_name(doc, organisation) or "",
        "published_at": doc.published_at, "fetched_at": doc.fetched_at,
        "relevance": doc.relevance, "tone": doc.tone, "story_id": doc.story_id,
        "topics": topics,
    }  # fmt: skip


def _documents_with_source(*extra: Any) -> Any:
    return select(m.Document, m.Source.name, m.Source.organisation, *extra).join(
        m.Source, m.Source.id == m.Document.source_id
    )


def flag_signals(session: Session, flag_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The signals of each flag (name, score, weight, evidence), heaviest first."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not flag_ids:
        return out
    stmt = (
        select(m.FlagSignal)
        .where(m.FlagSignal.flag_id.in_(list(flag_ids)))
        .order_by(m.FlagSignal.flag_id, (m.FlagSignal.score * m.FlagSignal.weight).desc())
    )
    for s in session.scalars(stmt):
        out.setdefault(s.flag_id, []).append(
            {"name": s.name, "score": s.score, "weight": s.weight, "evidence": s.evidence}
        )
    return out


def _flag_briefs(session: Session, stmt: Any) -> list[dict[str, Any]]:
    rows = session.execute(stmt).all()
    topics = topics_by_document(session, [row[0].id for row in rows])
    signals = flag_signals(session, [row[3].id for row in rows])
    return [
        {"flag_id": flag.id, "score": flag.score, "status": flag.status,
         "reasons": list(flag.reasons or []), "model_version": flag.model_version,
         "created_at": flag.created_at, "updated_at": flag.updated_at,
         "signals": signals.get(flag.id, []),
         "document": _document_brief(doc, name, org, topics.get(doc.id, []))}
        for doc, name, org, flag in rows
    ]  # fmt: skip


def flags_awaiting_review(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    """Open flags with their document, topics and signals, highest score first."""
    stmt = (
        _documents_with_source(m.Flag)
        .join(m.Flag, m.Flag.document_id == m.Document.id)
        .where(m.Flag.status == "open")
        .order_by(m.Flag.score.desc(), m.Flag.id)
        .limit(limit)
    )
    return _flag_briefs(session, stmt)


def count_flags_awaiting_review(session: Session) -> int:
    """How many flags no analyst has decided yet."""
    return session.scalar(select(func.count()).where(m.Flag.status == "open")) or 0


def documents_collected(
    session: Session, start: datetime, end: datetime, limit: int | None = None
) -> list[dict[str, Any]]:
    """Documents about the region collected in [start, end), most relevant and newest first."""
    stmt = (
        _documents_with_source()
        .where(*_about_region(), m.Document.fetched_at >= start, m.Document.fetched_at < end)
        .order_by(m.Document.relevance.desc(), _published_time().desc(), m.Document.id)
        .limit(limit)
    )
    return _document_briefs(session, stmt)


def coverage_counts(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Documents about the region collected in [start, end) by topic, tone and source kind."""
    where = (*_about_region(), m.Document.fetched_at >= start, m.Document.fetched_at < end)
    return {
        "total": session.scalar(select(func.count()).select_from(m.Document).where(*where)) or 0,
        "topic": _count_by_topic(session, where),
        "tone": _count_by_column(session, m.Document.tone, where),
        "source_kind": _count_by_column(session, m.Document.source_kind, where),
    }


def _count_by_column(session: Session, column: Any, where: tuple[Any, ...]) -> dict[str, int]:
    stmt = select(column, func.count()).where(*where).group_by(column).order_by(column)
    return {str(key or ""): n for key, n in session.execute(stmt)}


def _count_by_topic(session: Session, where: tuple[Any, ...]) -> dict[str, int]:
    stmt = (
        select(m.Tag.label, func.count(func.distinct(m.Tag.document_id)))
        .join(m.Document, m.Document.id == m.Tag.document_id)
        .where(m.Tag.kind == "topic", *where)
        .group_by(m.Tag.label)
    )
    counts = dict(session.execute(stmt).all())
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def flags_for_alerts(session: Session, since: datetime) -> list[dict[str, Any]]:
    """Open or confirmed flags created or updated since ``since``, oldest first."""
    stmt = (
        _documents_with_source(m.Flag)
        .join(m.Flag, m.Flag.document_id == m.Document.id)
        .where(m.Flag.status.in_(("open", "confirmed")), m.Flag.updated_at >= since)
        .order_by(m.Flag.updated_at, m.Flag.id)
    )
    return _flag_briefs(session, stmt)


def last_alert_at(
    session: Session, group: str, *, story_id: int | None, flag_id: int | None = None
) -> datetime | None:
    """When this group was last alerted about this story (or this story-less flag)."""
    key = (
        m.AlertSent.story_id == story_id
        if story_id is not None
        else (m.AlertSent.flag_id == flag_id) & m.AlertSent.story_id.is_(None)
    )
    stmt = select(func.max(m.AlertSent.sent_at)).where(m.AlertSent.group == group, key)
    return session.scalar(stmt)


def flag_alerted(session: Session, group: str, flag_id: int, rule: str | None = None) -> bool:
    """Whether this group was already alerted about this flag (by this rule, if given)."""
    stmt = select(m.AlertSent.id).where(m.AlertSent.group == group, m.AlertSent.flag_id == flag_id)
    if rule is not None:
        stmt = stmt.where(m.AlertSent.rule == rule)
    return session.scalar(stmt.limit(1)) is not None


def story_velocity(session: Session, since: datetime) -> list[dict[str, Any]]:
    """Stories about the region with the documents and sources they gained since ``since``."""
    stmt = (
        select(
            m.Story.id, m.Story.title, m.Story.first_seen_at,
            func.count(m.Document.id), func.count(func.distinct(m.Document.source_id)),
        )
        .join(m.Document, m.Document.story_id == m.Story.id)
        .where(*_about_region(), _published_time() >= since)
        .group_by(m.Story.id, m.Story.title, m.Story.first_seen_at)
        .order_by(func.count(m.Document.id).desc(), m.Story.id)
    )  # fmt: skip
    return [
        {"story_id": sid, "title": title, "first_seen_at": first, "documents": n, "sources": s}
        for sid, title, first, n, s in session.execute(stmt)
    ]


def story_documents(session: Session, story_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The newest documents of a story about the region."""
    stmt = (
        _documents_with_source()
        .where(*_about_region(), m.Document.story_id == story_id)
        .order_by(_published_time().desc(), m.Document.id)
        .limit(limit)
    )
    return _document_briefs(session, stmt)
