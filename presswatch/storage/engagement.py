"""Storage: engagement readings of social posts, kept as a small time series per post."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from presswatch.document import Document as Doc
from presswatch.storage import models as m

log = logging.getLogger(__name__)


def record_engagement(
    session: Session, canonical_url: str, counts: dict[str, int], read_at: datetime
) -> bool:
    """Append one reading of a post's engagement; False when unchanged or the post is unknown."""
    return record_engagements(session, [(canonical_url, counts, read_at)]) > 0


def record_post_engagements(session: Session, docs: Sequence[Doc]) -> int:
    """Record the engagement each post was read with (new or stored before); return rows added."""
    readings = []
    for doc in docs:
        read_at = _reading_time(doc.extra.get("engagement_read_at")) or doc.fetched_at
        if doc.engagement and read_at is not None:
            readings.append((doc.key, doc.engagement, read_at))
    return record_engagements(session, readings)


def record_engagements(
    session: Session, readings: Sequence[tuple[str, dict[str, int], datetime]]
) -> int:
    """Append readings to ``engagement_snapshots``, none equal to the post's previous reading.

    A post's first reading is the one stored with the document (``extra.engagement``); while its
    series is empty, that reading is written first, so the series starts at the first read.
    """
    # One reading per post and time: a post listed twice in one export counts once (the last).
    unique = list({(url, at): (url, counts, at) for url, counts, at in readings}.values())
    series = _engagement_series(session, unique)
    rows: list[dict[str, Any]] = []
    for url, counts, read_at in sorted(unique, key=lambda r: r[2]):
        state = series.get(url)
        if state is None:
            continue
        doc_id, last, seed = state
        if last is None and seed is not None:
            rows.append(_snapshot_row(doc_id, seed[1], seed[0]))
            last = seed[1]
        value = _engagement_values(counts)
        if value != last:
            rows.append(_snapshot_row(doc_id, value, read_at))
        series[url] = (doc_id, value, None)
    if rows:
        table: Any = m.EngagementSnapshot.__table__  # Core insert: ~2x the ORM's bulk path
        session.execute(insert(table), rows)
    return len(rows)


_Values = tuple[int, int, int, int]
_Series = tuple[int, _Values | None, tuple[datetime, _Values] | None]


def _engagement_values(counts: dict[str, Any]) -> _Values:
    def get(key: str) -> int:
        value = counts.get(key)
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0

    return get("likes"), get("comments"), get("shares"), get("views")


def _snapshot_row(doc_id: int, values: _Values, read_at: datetime) -> dict[str, Any]:
    likes, comments, shares, views = values
    return {"document_id": doc_id, "read_at": read_at, "likes": likes, "comments": comments,
            "shares": shares, "views": views}  # fmt: skip


def _engagement_series(
    session: Session, readings: Sequence[tuple[str, dict[str, int], datetime]]
) -> dict[str, _Series]:
    """Per canonical URL: document id, its last stored reading, and the reading kept with it."""
    first_read: dict[str, datetime] = {}
    for url, _, read_at in readings:
        first_read[url] = min(read_at, first_read.get(url, read_at))
    found: dict[str, _Series] = {}
    wanted = sorted(first_read)
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        stmt = select(m.Document.id, m.Document.canonical_url, m.Document.fetched_at).where(
            m.Document.canonical_url.in_(chunk)
        )
        docs = session.execute(stmt).all()
        last = _last_snapshots(session, [row[0] for row in docs])
        # Only a post stored before this reading has an earlier reading kept with it.
        earlier = [d for d, url, at in docs if d not in last and at and at < first_read[url]]
        seeds = _seeds(session, earlier)
        for doc_id, url, _ in docs:
            found[url] = (doc_id, last.get(doc_id), seeds.get(doc_id))
    return found


def _seeds(session: Session, doc_ids: list[int]) -> dict[int, tuple[datetime, _Values]]:
    """The engagement stored with each document (its first reading) and when it was read."""
    if not doc_ids:
        return {}
    stmt = select(m.Document.id, m.Document.extra, m.Document.fetched_at).where(
        m.Document.id.in_(doc_ids)
    )
    out = {}
    for doc_id, extra, fetched_at in session.execute(stmt):
        seed = _seed(extra or {}, fetched_at)
        if seed is not None:
            out[doc_id] = seed
    return out


def _last_snapshots(session: Session, doc_ids: list[int]) -> dict[int, _Values]:
    if not doc_ids:
        return {}
    latest = (
        select(func.max(m.EngagementSnapshot.id))
        .where(m.EngagementSnapshot.document_id.in_(doc_ids))
        .group_by(m.EngagementSnapshot.document_id)
    )
    snap = m.EngagementSnapshot
    stmt = select(snap.document_id, snap.likes, snap.comments, snap.shares, snap.views).where(
        snap.id.in_(latest)
    )
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in session.execute(stmt)}


def _seed(extra: dict[str, Any], fetched_at: datetime | None) -> tuple[datetime, _Values] | None:
    counts = extra.get("engagement")
    when = _reading_time(extra.get("engagement_read_at")) or fetched_at
    if not isinstance(counts, dict) or not counts or when is None:
        return None
    return when, _engagement_values(counts)


def _reading_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
