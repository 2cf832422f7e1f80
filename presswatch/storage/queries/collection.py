"""Named queries: collection and processing state."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from presswatch.storage import models as m

__all__ = [
    "count_documents_by_status",
    "drop_reasons",
    "reason_family",
    "recent_runs",
    "source_health",
    "sources_due",
]


def count_documents_by_status(session: Session) -> dict[str, int]:
    """How many documents are fetched, processed and dropped."""
    stmt = select(m.Document.status, func.count()).group_by(m.Document.status)
    return {status: n for status, n in session.execute(stmt)}


def drop_reasons(session: Session, limit: int = 20) -> list[tuple[str, int]]:
    """The most common reasons documents were dropped, with counts."""
    rows = session.execute(select(m.Document.drop_reason).where(m.Document.status == "dropped"))
    reasons = Counter(reason_family(reason) for (reason,) in rows)
    return reasons.most_common(limit)


def reason_family(reason: str) -> str:
    """The reason without its specific part ("exact duplicate of #12" → "exact duplicate")."""
    return reason.split(":", 1)[0].split(" of #", 1)[0].strip()


def recent_runs(session: Session, limit: int = 10) -> list[m.CrawlRun]:
    """The latest crawl, process and import runs, newest first."""
    return list(session.scalars(select(m.CrawlRun).order_by(m.CrawlRun.id.desc()).limit(limit)))


def sources_due(session: Session, now: datetime) -> list[m.Source]:
    """Enabled sources whose next attempt is due (or never polled)."""
    stmt = select(m.Source).where(
        m.Source.enabled.is_(True),
        (m.Source.next_attempt_at.is_(None)) | (m.Source.next_attempt_at <= now),
    )
    return list(session.scalars(stmt.order_by(m.Source.key)))


def source_health(session: Session) -> list[dict[str, Any]]:
    """Each source with its last fetch, last error, failures and document count."""
    counts = dict(
        session.execute(
            select(m.Document.source_id, func.count()).group_by(m.Document.source_id)
        ).all()
    )
    return [
        {
            "key": s.key, "name": s.name, "kind": s.kind, "enabled": s.enabled,
            "last_fetch_at": s.last_fetch_at, "last_status": s.last_status,
            "last_error": s.last_error, "failures": s.consecutive_failures,
            "next_attempt_at": s.next_attempt_at, "documents": counts.get(s.id, 0),
        }
        for s in session.scalars(select(m.Source).order_by(m.Source.key))
    ]  # fmt: skip
