"""Named queries: the review desk's pages besides the queue — stories, sources, overview,
audit log, claim base and accounts."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from presswatch.storage import models as m

__all__ = [
    "audit_entries",
    "claims_page",
    "review_users",
    "source_error_counts",
    "source_latency",
    "stories_page",
    "story_timeline",
    "volume_by_day",
]


def story_timeline(session: Session, story_id: int, limit: int = 300) -> list[dict[str, Any]]:
    """A story's documents across sources in the order they appeared, with their flag state."""
    when = func.coalesce(m.Document.published_at, m.Document.fetched_at)
    stmt = (
        select(
            m.Document.id,
            m.Document.title,
            m.Document.url,
            m.Document.published_at,
            m.Document.fetched_at,
            m.Document.source_kind,
            m.Document.platform,
            m.Document.channel,
            m.Source.name.label("source_name"),
            m.Flag.status.label("flag_status"),
            m.Flag.score.label("flag_score"),
        )
        .join(m.Source, m.Source.id == m.Document.source_id)
        .outerjoin(m.Flag, m.Flag.document_id == m.Document.id)
        .where(m.Document.story_id == story_id)
        .order_by(when, m.Document.id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(stmt)]


def stories_page(
    session: Session, *, flagged_only: bool, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Stories, most recently active first, with their first source and open flags; and a total."""
    open_flags = (
        select(func.count())
        .select_from(m.Flag)
        .join(m.Document, m.Document.id == m.Flag.document_id)
        .where(m.Document.story_id == m.Story.id, m.Flag.status == "open")
        .scalar_subquery()
    )
    conds = []
    if flagged_only:
        conds.append(
            select(m.Flag.id).join(m.Document, m.Document.id == m.Flag.document_id)
            .where(m.Document.story_id == m.Story.id).exists()
        )  # fmt: skip
    stmt = (
        select(
            m.Story.id,
            m.Story.title,
            m.Story.first_seen_at,
            m.Story.last_seen_at,
            m.Story.document_count,
            m.Story.source_count,
            m.Story.first_document_id,
            m.Source.name.label("first_source"),
            open_flags.label("open_flags"),
        )
        .outerjoin(m.Source, m.Source.id == m.Story.first_source_id)
        .where(*conds)
        .order_by(m.Story.last_seen_at.desc().nulls_last(), m.Story.id.desc())
        .limit(limit)
        .offset(offset)
    )
    total = session.scalar(select(func.count()).select_from(m.Story).where(*conds)) or 0
    return [dict(row._mapping) for row in session.execute(stmt)], int(total)


def source_latency(session: Session, since: datetime) -> dict[str, float]:
    """Median seconds from publication to collection per source key, for documents since then."""
    stmt = (
        select(m.Source.key, m.Document.published_at, m.Document.fetched_at)
        .select_from(m.Document)
        .join(m.Source, m.Source.id == m.Document.source_id)
        .where(m.Document.published_at >= since)
    )
    delays: dict[str, list[float]] = {}
    for key, published, fetched in session.execute(stmt):
        if published is not None:
            delays.setdefault(key, []).append(max(0.0, (fetched - published).total_seconds()))
    return {key: statistics.median(values) for key, values in delays.items()}


def source_error_counts(session: Session, since: datetime) -> dict[str, int]:
    """Logged fetch and parse errors per source key since a time."""
    stmt = (
        select(m.Source.key, func.count())
        .select_from(m.CrawlError)
        .join(m.Source, m.Source.id == m.CrawlError.source_id)
        .where(m.CrawlError.at >= since)
        .group_by(m.Source.key)
    )
    return {key: n for key, n in session.execute(stmt)}


def _office_day(session: Session, column: Any, timezone: str) -> ColumnElement[Any]:
    """The calendar day of a UTC timestamp in the office's time zone, per backend."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(timezone, column))
    offset = datetime.now(ZoneInfo(timezone)).utcoffset() or timedelta(0)
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def volume_by_day(
    session: Session, dimension: str, since: datetime, timezone: str
) -> dict[tuple[str, str], int]:
    """Relevant documents per (office day, topic or tone) since a time; never by author."""
    when = func.coalesce(m.Document.published_at, m.Document.fetched_at)
    day = _office_day(session, when, timezone)
    base = [m.Document.status != "dropped", m.Document.relevance >= 1, when >= since]
    if dimension == "topic":
        stmt = (
            select(day, m.Tag.label, func.count())
            .join(m.Tag, m.Tag.document_id == m.Document.id)
            .where(*base, m.Tag.kind == "topic")
            .group_by(day, m.Tag.label)
        )
    else:
        stmt = (
            select(day, m.Document.tone, func.count())
            .where(*base, m.Document.tone != "")
            .group_by(day, m.Document.tone)
        )
    return {(str(d), label): n for d, label, n in session.execute(stmt)}


def audit_entries(
    session: Session, limit: int = 100, offset: int = 0
) -> tuple[list[m.AuditLog], int]:
    """Audit-log rows, newest first, and how many there are."""
    rows = session.scalars(
        select(m.AuditLog).order_by(m.AuditLog.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), int(session.scalar(select(func.count()).select_from(m.AuditLog)) or 0)


def claims_page(
    session: Session, *, kind: str = "", search: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[m.Claim], int]:
    """Claim-base entries, newest changes first, filtered by kind and a text search; and a total."""
    conds: list[ColumnElement[bool]] = []
    if kind:
        conds.append(m.Claim.kind == kind)
    if search.strip():
        pattern = "%" + search.strip().replace("%", "").replace("_", "") + "%"
        conds.append(m.Claim.text.ilike(pattern) | m.Claim.title.ilike(pattern))
    stmt = select(m.Claim).where(*conds).order_by(m.Claim.updated_at.desc(), m.Claim.id.desc())
    total = session.scalar(select(func.count()).select_from(m.Claim).where(*conds)) or 0
    return list(session.scalars(stmt.limit(limit).offset(offset))), int(total)


def review_users(session: Session) -> list[m.User]:
    """The review desk's accounts, by user name."""
    return list(session.scalars(select(m.User).order_by(m.User.username)))
