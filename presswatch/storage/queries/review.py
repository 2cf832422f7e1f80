"""Named queries: the review queue and one document's evidence."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from presswatch.storage import models as m

__all__ = [
    "FULLTEXT_MAX_PHRASES",
    "PG_DOCUMENT_TSVECTOR",
    "REVIEW_SORTS",
    "ReviewFilter",
    "claims_by_ids",
    "fulltext_phrases",
    "label_corrections",
    "review_document",
    "review_facets",
    "review_queue",
    "review_queue_count",
]

# The reads of the analysts' review desk (presswatch/review). The queue is flags joined to their
# documents; full-text search uses the FTS5 table documents_fts on SQLite and the GIN expression
# index ix_documents_fulltext on PostgreSQL (both from migration 0002_review_fulltext).

REVIEW_SORTS = ("score", "newest", "oldest")
FULLTEXT_MAX_PHRASES = 6
PG_DOCUMENT_TSVECTOR = (  # the expression of the GIN index ix_documents_fulltext, verbatim
    "to_tsvector('simple', left(coalesce(documents.title, '') || ' ' || "
    "coalesce(documents.text, ''), 300000))"
)


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """What the review queue shows: flag status, document filters, a search and the order."""

    status: str = "open"  # open | confirmed | dismissed | all
    topic: str = ""
    source_id: int | None = None
    source_kind: str = ""
    tone: str = ""
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""
    sort: str = "score"  # score | newest | oldest


def fulltext_phrases(query: str) -> list[str]:
    """A search box's phrases: comma-separated, each reduced to its words (no query syntax)."""
    phrases = []
    for part in unicodedata.normalize("NFC", query).split(","):
        words = re.sub(r"[^\w]+", " ", part, flags=re.UNICODE).split()
        if words:
            phrases.append(" ".join(words)[:200])
    return phrases[:FULLTEXT_MAX_PHRASES]


def _fulltext_match(session: Session, phrases: list[str]) -> ColumnElement[bool]:
    """Flags whose document contains every phrase, through the backend's full-text index."""
    if session.get_bind().dialect.name == "postgresql":
        queries = [func.phraseto_tsquery(literal_column("'simple'"), p) for p in phrases]
        tsquery: ColumnElement[Any] = queries[0]
        for query in queries[1:]:
            tsquery = tsquery.op("&&")(query)
        matching = literal_column(PG_DOCUMENT_TSVECTOR).bool_op("@@")(tsquery)
        return select(m.Document.id).where(m.Document.id == m.Flag.document_id, matching).exists()
    match = " ".join(f'"{phrase}"' for phrase in phrases)
    ids: Select[tuple[Any]] = (
        select(literal_column("rowid"))
        .select_from(table("documents_fts"))
        .where(text("documents_fts MATCH :fts_query").bindparams(fts_query=match))
    )
    return m.Flag.document_id.in_(ids)


def _review_where(session: Session, flt: ReviewFilter) -> list[ColumnElement[bool]]:
    """Conditions on flags only (document filters as correlated EXISTS): the flags drive."""
    conds: list[ColumnElement[bool]] = []
    if flt.status != "all":
        conds.append(m.Flag.status == flt.status)
    if flt.topic:
        topic = select(m.Tag.id).where(
            m.Tag.document_id == m.Flag.document_id, m.Tag.kind == "topic", m.Tag.label == flt.topic
        )
        conds.append(topic.exists())
    if doc_conds := _document_conditions(flt):
        conds.append(
            select(m.Document.id).where(m.Document.id == m.Flag.document_id, *doc_conds).exists()
        )
    if phrases := fulltext_phrases(flt.search):
        conds.append(_fulltext_match(session, phrases))
    return conds


def _document_conditions(flt: ReviewFilter) -> list[ColumnElement[bool]]:
    when = func.coalesce(m.Document.published_at, m.Document.fetched_at)
    conds: list[ColumnElement[bool]] = []
    if flt.source_id is not None:
        conds.append(m.Document.source_id == flt.source_id)
    if flt.source_kind:
        conds.append(m.Document.source_kind == flt.source_kind)
    if flt.tone:
        conds.append(m.Document.tone == flt.tone)
    if flt.since is not None:
        conds.append(when >= flt.since)
    if flt.until is not None:
        conds.append(when < flt.until)
    return conds


def review_queue(
    session: Session, flt: ReviewFilter, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """One page of flagged documents with their source, story size, topics and signal names."""
    order = {
        "score": (m.Flag.score.desc(), m.Flag.id.desc()),
        "newest": (m.Flag.id.desc(),),
        "oldest": (m.Flag.id.asc(),),
    }[flt.sort if flt.sort in REVIEW_SORTS else "score"]
    page = select(m.Flag.id).where(*_review_where(session, flt)).order_by(*order)
    flag_ids = list(session.scalars(page.limit(limit).offset(offset)))
    stmt = (
        select(
            m.Flag.id.label("flag_id"),
            m.Flag.score,
            m.Flag.status,
            m.Flag.created_at,
            m.Document.id.label("document_id"),
            m.Document.title,
            m.Document.url,
            func.substr(m.Document.text, 1, 280).label("excerpt"),
            m.Document.published_at,
            m.Document.fetched_at,
            m.Document.source_kind,
            m.Document.platform,
            m.Document.channel,
            m.Document.tone,
            m.Document.story_id,
            m.Source.name.label("source_name"),
            m.Story.document_count.label("story_documents"),
            m.Story.source_count.label("story_sources"),
        )
        .join(m.Document, m.Document.id == m.Flag.document_id)
        .join(m.Source, m.Source.id == m.Document.source_id)
        .outerjoin(m.Story, m.Story.id == m.Document.story_id)
        .where(m.Flag.id.in_(flag_ids))
    )
    by_id = {row.flag_id: dict(row._mapping) for row in session.execute(stmt)}
    rows = [by_id[i] for i in flag_ids if i in by_id]
    _attach_labels(session, rows)
    return rows


def _attach_labels(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add each row's topic labels and the names of its flag's signals (two small reads)."""
    doc_ids = [r["document_id"] for r in rows]
    flag_ids = [r["flag_id"] for r in rows]
    topics: dict[int, list[str]] = {}
    signals: dict[int, list[str]] = {}
    tag_rows = session.execute(
        select(m.Tag.document_id, m.Tag.label)
        .where(m.Tag.document_id.in_(doc_ids), m.Tag.kind == "topic")
        .order_by(m.Tag.score.desc())
    )
    for doc_id, label in tag_rows:
        topics.setdefault(doc_id, []).append(label)
    signal_rows = session.execute(
        select(m.FlagSignal.flag_id, m.FlagSignal.name)
        .where(m.FlagSignal.flag_id.in_(flag_ids))
        .order_by(m.FlagSignal.weight.desc())
    )
    for flag_id, name in signal_rows:
        signals.setdefault(flag_id, []).append(name)
    for row in rows:
        row["topics"] = topics.get(row["document_id"], [])
        row["signals"] = signals.get(row["flag_id"], [])


def review_queue_count(session: Session, flt: ReviewFilter) -> int:
    """How many flags the queue filter matches."""
    stmt = select(func.count()).select_from(m.Flag).where(*_review_where(session, flt))
    return int(session.scalar(stmt) or 0)


# Distinct topic labels by walking the (kind, label) index from one label to the next, so the
# cost grows with the number of labels, not of tags.
_TOPIC_LABELS = text(
    "WITH RECURSIVE t(label) AS ("
    " SELECT min(label) FROM tags WHERE kind = 'topic'"
    " UNION ALL"
    " SELECT (SELECT min(label) FROM tags WHERE kind = 'topic' AND label > t.label)"
    " FROM t WHERE t.label IS NOT NULL"
    ") SELECT label FROM t WHERE label IS NOT NULL"
)


def review_facets(session: Session) -> dict[str, Any]:
    """Choices for the queue filters: topic labels in use, the sources, counts per status."""
    sources = session.execute(select(m.Source.id, m.Source.name).order_by(m.Source.name))
    statuses = session.execute(select(m.Flag.status, func.count()).group_by(m.Flag.status))
    return {
        "topics": sorted(session.scalars(_TOPIC_LABELS)),
        "sources": [(sid, name) for sid, name in sources],
        "statuses": {status: n for status, n in statuses},
    }


def review_document(session: Session, document_id: int) -> dict[str, Any] | None:
    """A document with its source, tags, flag, signals, reviews (newest first), labels given."""
    doc = session.get(m.Document, document_id)
    if doc is None:
        return None
    flag = session.scalars(select(m.Flag).where(m.Flag.document_id == document_id)).first()
    signals: list[m.FlagSignal] = []
    reviews: list[m.Review] = []
    if flag is not None:
        signals = list(
            session.scalars(
                select(m.FlagSignal)
                .where(m.FlagSignal.flag_id == flag.id)
                .order_by(m.FlagSignal.weight.desc(), m.FlagSignal.id)
            )
        )
        reviews = list(
            session.scalars(
                select(m.Review).where(m.Review.flag_id == flag.id).order_by(m.Review.id.desc())
            )
        )
    tags = session.scalars(
        select(m.Tag)
        .where(m.Tag.document_id == document_id)
        .order_by(m.Tag.kind, m.Tag.score.desc())
    )
    correction = session.scalars(
        select(m.LabelCorrection)
        .where(m.LabelCorrection.document_id == document_id)
        .order_by(m.LabelCorrection.id.desc())
    ).first()
    return {
        "document": doc, "source": session.get(m.Source, doc.source_id), "flag": flag,
        "signals": signals, "reviews": reviews, "tags": list(tags), "correction": correction,
        "story": session.get(m.Story, doc.story_id) if doc.story_id else None,
    }  # fmt: skip


def claims_by_ids(session: Session, ids: list[int]) -> list[m.Claim]:
    """Claim-base entries by id, in the order asked."""
    found = {c.id: c for c in session.scalars(select(m.Claim).where(m.Claim.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def label_corrections(session: Session) -> list[tuple[m.LabelCorrection, m.Document]]:
    """The latest analyst labels of each corrected document, with the document, oldest first."""
    latest = (
        select(func.max(m.LabelCorrection.id))
        .group_by(m.LabelCorrection.document_id)
        .scalar_subquery()
    )
    stmt = (
        select(m.LabelCorrection, m.Document)
        .join(m.Document, m.Document.id == m.LabelCorrection.document_id)
        .where(m.LabelCorrection.id.in_(latest))
        .order_by(m.LabelCorrection.id)
    )
    return [(row[0], row[1]) for row in session.execute(stmt)]
