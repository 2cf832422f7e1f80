"""Storage: the writes of documents — documents in, processed results (stories, tags, flags) out.

Every write is idempotent: a document is keyed by its canonical URL, a tag by (document, kind,
label), a flag by its document, so a crash and rerun neither loses nor duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from presswatch.document import Document as Doc
from presswatch.storage import models as m
from presswatch.storage.models import utcnow

log = logging.getLogger(__name__)


def _insert_ignore(session: Session, table: Any, rows: list[dict[str, Any]], key: str) -> int:
    """INSERT rows, skipping those whose unique ``key`` already exists; return rows inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])
    else:  # pragma: no cover - other backends are not supported
        stmt = insert(table)
    result = session.execute(stmt.returning(table.c.id), rows)
    return len(result.all())


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """Which of these canonical URLs are already stored (to avoid fetching them again)."""
    wanted = list(set(urls))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(
            session.scalars(
                select(m.Document.canonical_url).where(m.Document.canonical_url.in_(chunk))
            )
        )
    return found


def add_documents(
    session: Session, docs: Sequence[Doc], source_ids: dict[str, int], run_id: int | None
) -> int:
    """Store collected documents (status fetched); those already stored are skipped."""
    rows = [_document_row(doc, source_ids[doc.source], run_id) for doc in docs]
    return _insert_ignore(session, m.Document.__table__, rows, "canonical_url")


def _document_row(doc: Doc, source_id: int, run_id: int | None) -> dict[str, Any]:
    return {
        "url": doc.url,
        "canonical_url": doc.key[:2000],
        "source_id": source_id,
        "source_kind": doc.source_kind,
        "platform": doc.platform,
        "channel": doc.channel[:300],
        "title": doc.title,
        "text": doc.text,
        "author": doc.author[:300],
        "language": doc.language,
        "published_at": doc.published_at,
        "fetched_at": doc.fetched_at or utcnow(),
        "status": "fetched",
        "drop_reason": "",
        "relevance": 0,
        "relevance_score": 0.0,
        "tone": "",
        "tone_score": 0.0,
        "misinfo_score": 0.0,
        "content_hash": doc.content_hash,
        "reply_to_url": doc.reply_to_url,
        "crawl_run_id": run_id,
        "extra": _extra(doc),
    }


def _extra(doc: Doc) -> dict[str, Any]:
    extra = dict(doc.extra)
    if doc.engagement:
        extra["engagement"] = dict(doc.engagement)
    return extra


def load_batch(session: Session, limit: int, after_id: int = 0) -> list[Doc]:
    """The next documents waiting to be processed, oldest first, as dataclasses."""
    stmt = (
        select(m.Document, m.Source.key)
        .join(m.Source, m.Source.id == m.Document.source_id)
        .where(m.Document.status == "fetched", m.Document.id > after_id)
        .order_by(m.Document.id)
        .limit(limit)
    )
    return [to_dataclass(row, key) for row, key in session.execute(stmt)]


def to_dataclass(row: m.Document, source_key: str) -> Doc:
    """The pipeline's view of a stored document."""
    extra = dict(row.extra or {})
    return Doc(
        id=row.id,
        url=row.url,
        canonical_url=row.canonical_url,
        source=source_key,
        source_kind=row.source_kind,
        title=row.title,
        text=row.text,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        author=row.author,
        language=row.language,
        content_hash=row.content_hash,
        platform=row.platform,
        channel=row.channel,
        engagement=dict(extra.pop("engagement", {})),
        reply_to_url=row.reply_to_url,
        story_id=row.story_id,
        extra=extra,
    )


def save_dropped(session: Session, doc: Doc, reason: str) -> None:
    """Mark a document dropped, keeping the reason (and its story/duplicate link if known)."""
    _resolve_story(session, doc, create=False)
    session.execute(
        update(m.Document)
        .where(m.Document.id == doc.id)
        .values(
            status="dropped",
            drop_reason=reason[:1000],
            processed_at=utcnow(),
            title=doc.title,
            text=doc.text,
            language=doc.language,
            content_hash=doc.content_hash,
            story_id=doc.story_id,
            duplicate_of=doc.duplicate_of,
            relevance=doc.relevance,
            relevance_score=doc.relevance_score,
        )
    )
    if doc.story_id is not None:
        refresh_story(session, doc.story_id)


def save_processed(session: Session, doc: Doc, when: datetime | None = None) -> None:
    """Store what the stages found: fields, tags and the flag (replacing earlier results)."""
    assert doc.id is not None, "only stored documents can be saved as processed"
    _resolve_story(session, doc, create=True)
    session.execute(
        update(m.Document)
        .where(m.Document.id == doc.id)
        .values(
            status="processed",
            drop_reason="",
            processed_at=when or utcnow(),
            title=doc.title,
            text=doc.text,
            language=doc.language,
            content_hash=doc.content_hash,
            story_id=doc.story_id,
            relevance=doc.relevance,
            relevance_score=doc.relevance_score,
            tone=doc.tone.label if doc.tone else "",
            tone_score=doc.tone.score if doc.tone else 0.0,
            misinfo_score=doc.flag.score if doc.flag else 0.0,
        )
    )
    _save_bands(session, doc)
    assert doc.story_id is not None
    refresh_story(session, doc.story_id)
    _save_tags(session, doc)
    if doc.flag is not None and doc.flag.flagged:
        save_flag(session, doc)


def _resolve_story(session: Session, doc: Doc, *, create: bool) -> None:
    """Give the document the story of the document it repeats, or (if kept) a new story."""
    other = doc.extra.pop("story_with", None)
    if doc.story_id is None and other is not None:
        doc.story_id = session.scalar(select(m.Document.story_id).where(m.Document.id == other))
    if doc.story_id is None and create:
        story = m.Story(title=doc.title[:1000])
        session.add(story)
        session.flush()
        doc.story_id = story.id


def _save_bands(session: Session, doc: Doc) -> None:
    bands = doc.extra.pop("bands", None)
    if not bands:
        return
    session.execute(delete(m.DedupBand).where(m.DedupBand.document_id == doc.id))
    session.execute(
        insert(m.DedupBand), [{"band": b, "hash": h, "document_id": doc.id} for b, h in bands]
    )


def refresh_story(session: Session, story_id: int) -> None:
    """Recount a story's documents and sources and find where it appeared first."""
    seen = func.coalesce(m.Document.published_at, m.Document.fetched_at)
    first = session.execute(
        select(m.Document.id, m.Document.source_id, seen, m.Document.title)
        .where(m.Document.story_id == story_id)
        .order_by(seen, m.Document.id)
        .limit(1)
    ).first()
    if first is None:
        return
    docs, sources, last = session.execute(
        select(func.count(), func.count(func.distinct(m.Document.source_id)), func.max(seen)).where(
            m.Document.story_id == story_id
        )
    ).one()
    session.execute(
        update(m.Story)
        .where(m.Story.id == story_id)
        .values(
            first_document_id=first[0],
            first_source_id=first[1],
            first_seen_at=_aware(first[2]),
            last_seen_at=_aware(last),
            document_count=docs,
            source_count=sources,
            title=first[3][:1000],
        )
    )


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates over UTCDateTime come back raw (naive or text on SQLite): make them UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _save_tags(session: Session, doc: Doc) -> None:
    session.execute(delete(m.Tag).where(m.Tag.document_id == doc.id))
    rows = [
        {
            "document_id": doc.id,
            "kind": "topic",
            "label": t.label,
            "score": t.score,
            "evidence": t.evidence,
            "model_version": t.model_version,
        }
        for t in doc.topics.values()
    ]
    if doc.tone is not None:
        rows.append(
            {
                "document_id": doc.id,
                "kind": "tone",
                "label": doc.tone.label,
                "score": doc.tone.score,
                "evidence": doc.tone.evidence,
                "model_version": doc.tone.model_version,
            }
        )
    places = sorted({mention.name for mention in doc.mentions})
    rows += [
        {
            "document_id": doc.id,
            "kind": "place",
            "label": p[:100],
            "score": 1.0,
            "evidence": [],
            "model_version": "",
        }
        for p in places
    ]
    if rows:
        session.execute(insert(m.Tag), rows)


def save_flag(session: Session, doc: Doc) -> int:
    """Create or refresh the flag of a document with its signals; a reviewed flag keeps status."""
    decision = doc.flag
    assert decision is not None and doc.id is not None
    flag = session.scalar(select(m.Flag).where(m.Flag.document_id == doc.id))
    if flag is None:
        flag = m.Flag(document_id=doc.id, status="open")
        session.add(flag)
    flag.score, flag.reasons = decision.score, list(decision.reasons)
    flag.model_version, flag.updated_at = decision.model_version, utcnow()
    flag.evidence = {s.name: s.evidence for s in decision.signals}
    session.flush()
    session.execute(delete(m.FlagSignal).where(m.FlagSignal.flag_id == flag.id))
    session.add_all(
        m.FlagSignal(
            flag_id=flag.id, name=s.name, score=s.score, weight=s.weight, evidence=s.evidence
        )
        for s in decision.signals
    )
    return flag.id
