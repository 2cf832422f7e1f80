"""Named queries: social."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from presswatch.storage import models as m

__all__ = [
    "story_engagement_velocity",
]

# A story's spread over time: documents published per hour and the engagement its posts gained
# (growth between successive readings, from zero at publication, counted in the hour of the
# later reading). Counted per story and hour only — never per author or channel.


def story_engagement_velocity(
    session: Session, story_id: int, start: datetime, end: datetime
) -> dict[str, Any]:
    """Per hour of [start, end): a story's documents, social posts, interactions and views."""
    docs = session.execute(
        select(m.Document.id, m.Document.published_at, m.Document.fetched_at,
               m.Document.source_kind, m.Document.extra)
        .where(m.Document.story_id == story_id)
    ).all()  # fmt: skip
    readings = _engagement_readings(session, [d.id for d in docs])
    hours: dict[datetime, dict[str, int]] = {}

    def bucket(moment: datetime) -> dict[str, int] | None:
        if not start <= moment < end:
            return None
        hour = moment.astimezone(start.tzinfo).replace(minute=0, second=0, microsecond=0)
        return hours.setdefault(hour, Counter())

    for doc_id, published, fetched, kind, extra in docs:
        counts = bucket(published or fetched)
        if counts is not None:
            counts["documents"] += 1
            counts["posts"] += kind == "social"
        series = readings.get(doc_id) or _stored_reading(extra or {}, fetched)
        _add_growth(series, bucket)
    span = max((end - start).total_seconds() / 3600, 1e-9)
    totals = Counter[str]()
    for counts in hours.values():
        totals.update(counts)
    return {
        "story_id": story_id, "start": start, "end": end,
        "hours": [{"hour": h, **{k: hours[h].get(k, 0) for k in _VELOCITY_KEYS}}
                  for h in sorted(hours)],
        **{k: totals.get(k, 0) for k in _VELOCITY_KEYS},
        "documents_per_hour": totals.get("documents", 0) / span,
        "interactions_per_hour": totals.get("interactions", 0) / span,
    }  # fmt: skip


_VELOCITY_KEYS = ("documents", "posts", "interactions", "views")
_Reading = tuple[datetime, int, int]  # (read at, likes + comments + shares, views)


def _engagement_readings(session: Session, doc_ids: list[int]) -> dict[int, list[_Reading]]:
    out: dict[int, list[_Reading]] = {}
    snap = m.EngagementSnapshot
    for i in range(0, len(doc_ids), 500):
        stmt = (
            select(snap.document_id, snap.read_at, snap.likes + snap.comments + snap.shares,
                   snap.views)
            .where(snap.document_id.in_(doc_ids[i : i + 500]))
            .order_by(snap.document_id, snap.read_at, snap.id)
        )  # fmt: skip
        for doc_id, read_at, interactions, views in session.execute(stmt):
            out.setdefault(doc_id, []).append((read_at, int(interactions), int(views)))
    return out


def _stored_reading(extra: dict[str, Any], fetched: datetime) -> list[_Reading]:
    """A post read once has no time series yet: its one reading is kept with the document."""
    counts = extra.get("engagement")
    if not isinstance(counts, dict) or not counts:
        return []
    try:
        read_at = datetime.fromisoformat(str(extra.get("engagement_read_at") or ""))
    except ValueError:
        read_at = fetched
    total = sum(int(counts.get(k) or 0) for k in ("likes", "comments", "shares"))
    return [(read_at, total, int(counts.get("views") or 0))]


def _add_growth(series: list[_Reading], bucket: Any) -> None:
    previous = (0, 0)
    for read_at, interactions, views in series:
        counts = bucket(read_at)
        if counts is not None:
            counts["interactions"] += interactions - previous[0]
            counts["views"] += views - previous[1]
        previous = (interactions, views)
