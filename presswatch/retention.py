"""Retention: social posts older than the retention period are deleted, unless a flag holds them.

A post is kept while it has a flag (and so its reviews) — the evidence of a decision. Deleting
a post also deletes its tags, engagement readings and near-duplicate bands (foreign keys
cascade); documents that named it as the one they duplicate forget the link, and the stories
it belonged to are recounted (or removed when nothing is left in them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, Exists, delete, exists, func, select, update
from sqlalchemy.orm import Session

from presswatch.storage import models as m
from presswatch.storage import repository
from presswatch.storage.db import transaction
from presswatch.storage.models import utcnow

BATCH = 500


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """What a retention pass found (and, unless a dry run, deleted)."""

    cutoff: datetime
    expired: int  # social posts older than the cutoff
    held: int  # of those, kept because a flag or review holds them
    deleted: int
    stories_removed: int


def _expired(cutoff: datetime) -> tuple[ColumnElement[bool], ...]:
    seen = func.coalesce(m.Document.published_at, m.Document.fetched_at)
    return (m.Document.source_kind == "social", seen < cutoff)


def _held() -> Exists:
    return exists().where(m.Flag.document_id == m.Document.id)


def apply_retention(
    engine: Engine, days: int, *, dry_run: bool = False, now: datetime | None = None
) -> RetentionResult:
    """Delete social posts published (or collected) more than ``days`` days ago, batch by batch."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    with transaction(engine) as session:
        expired = _count(session, *_expired(cutoff))
        held = _count(session, *_expired(cutoff), _held())
    if dry_run:
        return RetentionResult(cutoff, expired, held, 0, 0)
    deleted = removed = 0
    while True:
        with transaction(engine) as session:
            stmt = select(m.Document.id).where(*_expired(cutoff), ~_held()).limit(BATCH)
            ids = list(session.scalars(stmt))
            if not ids:
                break
            removed += _delete(session, ids)
            deleted += len(ids)
    return RetentionResult(cutoff, expired, held, deleted, removed)


def _count(session: Session, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(m.Document).where(*where)) or 0


def _delete(session: Session, ids: list[int]) -> int:
    """Delete these documents; recount their stories; return how many stories were left empty."""
    stmt = select(m.Document.story_id).where(m.Document.id.in_(ids))
    stories = {story_id for story_id in session.scalars(stmt) if story_id is not None}
    unlink = update(m.Document).where(m.Document.duplicate_of.in_(ids))
    session.execute(unlink.values(duplicate_of=None))
    session.execute(delete(m.Document).where(m.Document.id.in_(ids)))
    empty = 0
    for story_id in stories:
        if session.scalar(select(func.count()).where(m.Document.story_id == story_id)):
            repository.refresh_story(session, story_id)
        else:
            session.execute(delete(m.Story).where(m.Story.id == story_id))
            empty += 1
    return empty
