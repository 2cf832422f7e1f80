"""Named queries: claims and flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from presswatch.storage import models as m
from presswatch.storage.queries.delivery import flag_signals

__all__ = [
    "claim_base_stamp",
    "claims_for_matching",
    "claims_listing",
    "flag_review_outcomes",
    "reviewed_flags_for_export",
    "source_ids_by_key",
    "story_of_document",
    "story_spread",
]


def claims_for_matching(session: Session) -> list[m.Claim]:
    """The active false claims and verified facts that documents are checked against."""
    stmt = (
        select(m.Claim)
        .where(m.Claim.active.is_(True), m.Claim.kind.in_(("false_claim", "fact")))
        .order_by(m.Claim.id)
    )
    return list(session.scalars(stmt))


def claim_base_stamp(session: Session) -> tuple[int, datetime | None]:
    """(number of entries, latest change): tells a cached claim base that it is stale."""
    count, latest = session.execute(select(func.count(), func.max(m.Claim.updated_at))).one()
    if isinstance(latest, str):
        latest = datetime.fromisoformat(latest)
    return int(count), latest


def claims_listing(
    session: Session, kind: str | None = None, active: bool | None = None
) -> list[m.Claim]:
    """Claim-base entries for listing and export, oldest first, optionally of one kind."""
    stmt = select(m.Claim).order_by(m.Claim.id)
    if kind:
        stmt = stmt.where(m.Claim.kind == kind)
    if active is not None:
        stmt = stmt.where(m.Claim.active.is_(active))
    return list(session.scalars(stmt))


def story_spread(
    session: Session, story_id: int, start: datetime, end: datetime
) -> list[tuple[int, int, datetime]]:
    """(document id, source id, time) of a story's documents seen in [start, end)."""
    seen = func.coalesce(m.Document.published_at, m.Document.fetched_at)
    stmt = (
        select(m.Document.id, m.Document.source_id, seen)
        .where(m.Document.story_id == story_id, seen >= start, seen < end)
        .order_by(seen, m.Document.id)
    )
    return [(i, s, _aware_time(t)) for i, s, t in session.execute(stmt)]


def story_of_document(session: Session, document_id: int) -> int | None:
    """The story a stored document belongs to."""
    return session.scalar(select(m.Document.story_id).where(m.Document.id == document_id))


def source_ids_by_key(session: Session, keys: list[str]) -> dict[str, int]:
    """Database ids of configured sources, by key."""
    rows = session.execute(select(m.Source.key, m.Source.id).where(m.Source.key.in_(keys)))
    return {key: ident for key, ident in rows}


def _aware_time(value: datetime | str) -> datetime:
    """Aggregated timestamps come back raw on SQLite (naive or text): make them UTC."""
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def flag_review_outcomes(session: Session) -> list[dict[str, Any]]:
    """Each reviewed flag with its source, its signals and the latest decision on it."""
    latest = (
        select(m.Review.flag_id, func.max(m.Review.id).label("review_id"))
        .group_by(m.Review.flag_id)
        .subquery()
    )
    stmt = (
        select(m.Flag.id, m.Source.key, m.Source.name, m.Document.source_kind, m.Review.decision)
        .join(latest, latest.c.flag_id == m.Flag.id)
        .join(m.Review, m.Review.id == latest.c.review_id)
        .join(m.Document, m.Document.id == m.Flag.document_id)
        .join(m.Source, m.Source.id == m.Document.source_id)
        .order_by(m.Flag.id)
    )
    rows: list[dict[str, Any]] = [
        {"flag_id": f, "source": k, "source_name": n, "source_kind": sk, "decision": d}
        for f, k, n, sk, d in session.execute(stmt)
    ]
    signals = flag_signals(session, [int(r["flag_id"]) for r in rows])
    for row in rows:
        row["signals"] = sorted({s["name"] for s in signals.get(int(row["flag_id"]), [])})
    return rows


def reviewed_flags_for_export(session: Session) -> list[dict[str, Any]]:
    """Confirmed and dismissed flags with their document, signals and latest decision."""
    latest = (
        select(m.Review.flag_id, func.max(m.Review.id).label("review_id"))
        .group_by(m.Review.flag_id)
        .subquery()
    )
    stmt = (
        select(m.Flag, m.Document, m.Review)
        .join(latest, latest.c.flag_id == m.Flag.id)
        .join(m.Review, m.Review.id == latest.c.review_id)
        .join(m.Document, m.Document.id == m.Flag.document_id)
        .where(m.Flag.status.in_(("confirmed", "dismissed")))
        .order_by(m.Flag.id)
    )
    rows: list[dict[str, Any]] = [
        {"flag": f, "document": d, "review": r} for f, d, r in session.execute(stmt)
    ]
    signals = flag_signals(session, [int(r["flag"].id) for r in rows])
    for row in rows:
        row["signals"] = signals.get(int(row["flag"].id), [])
    return rows
