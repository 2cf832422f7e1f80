"""Storage: the named reads. Each business query lives in exactly one function here.

Digests, alerts, reports and the review UI read through these, so every number shown to a
person can be traced to one function. No query here groups or filters by an individual author.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from presswatch.privacy import public_channel_name
from presswatch.storage import models as m

# --- collection and processing state -------------------------------------------------------


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


# --- review desk ---------------------------------------------------------------------------
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
    """A document with its source, topic/tone tags, flag, signals and reviews (newest first)."""
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
    return {
        "document": doc, "source": session.get(m.Source, doc.source_id), "flag": flag,
        "signals": signals, "reviews": reviews, "tags": list(tags),
        "story": session.get(m.Story, doc.story_id) if doc.story_id else None,
    }  # fmt: skip


def claims_by_ids(session: Session, ids: list[int]) -> list[m.Claim]:
    """Claim-base entries by id, in the order asked."""
    found = {c.id: c for c in session.scalars(select(m.Claim).where(m.Claim.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


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


# --- delivery: digest, alerts, reports -----------------------------------------------------
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


def report_total_documents(session: Session, start: datetime, end: datetime) -> int:
    """Documents about the region published in [start, end)."""
    stmt = select(func.count()).select_from(m.Document).where(*_published_in(start, end))
    return session.scalar(stmt) or 0


def report_documents_by_month(
    session: Session, start: datetime, end: datetime, tz: ZoneInfo
) -> list[tuple[str, int]]:
    """Documents about the region per calendar month ("MM/YYYY", office time), every month."""
    counts: Counter[str] = Counter()
    for (when,) in session.execute(select(_published_time()).where(*_published_in(start, end))):
        counts[when.astimezone(tz).strftime("%m/%Y")] += 1
    months, cursor = [], start.astimezone(tz).replace(day=1, hour=0, minute=0, second=0)
    while cursor < end:
        months.append(cursor.strftime("%m/%Y"))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return [(month, counts.get(month, 0)) for month in months]


def report_documents_by_topic(
    session: Session, start: datetime, end: datetime
) -> list[tuple[str, int]]:
    """Documents about the region published in [start, end) per topic, most first."""
    return list(_count_by_topic(session, _published_in(start, end)).items())


def report_documents_by_task(
    session: Session,
    start: datetime,
    end: datetime,
    tasks: list[tuple[str, list[str], list[str]]],
) -> list[tuple[str, int]]:
    """Documents serving each plan task (name, topics, keywords): any topic or keyword counts."""
    ids = [i for (i,) in session.execute(select(m.Document.id).where(*_published_in(start, end)))]
    topics = topics_by_document(session, ids)
    keyword_tasks = [(n, [_casefold_text(k) for k in kws]) for n, _, kws in tasks if kws]
    hits: dict[str, set[int]] = {name: set() for name, _, _ in tasks}
    for name, wanted, _ in tasks:
        hits[name].update(i for i in ids if set(topics.get(i, ())) & set(wanted))
    if keyword_tasks:
        stmt = select(m.Document.id, m.Document.title, m.Document.text).where(
            *_published_in(start, end)
        )
        for doc_id, title, text in session.execute(stmt.execution_options(yield_per=500)):
            folded = _casefold_text(f"{title}\n{text}")
            for name, keywords in keyword_tasks:
                if any(k in folded for k in keywords):
                    hits[name].add(doc_id)
    return [(name, len(hits[name])) for name, _, _ in tasks]


def _casefold_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def report_tone_counts(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """Documents about the region published in [start, end) per tone ("" = not decided)."""
    return _count_by_column(session, m.Document.tone, _published_in(start, end))


def report_source_kind_counts(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """Documents about the region published in [start, end): domestic, foreign, social, official."""
    return _count_by_column(session, m.Document.source_kind, _published_in(start, end))


def report_top_sources(
    session: Session, start: datetime, end: datetime, limit: int = 10
) -> list[dict[str, Any]]:
    """The configured sources that published most about the region in [start, end)."""
    n = func.count(m.Document.id)
    stmt = (
        select(m.Source.name, m.Source.source_kind, n)
        .join(m.Document, m.Document.source_id == m.Source.id)
        .where(*_published_in(start, end))
        .group_by(m.Source.id, m.Source.name, m.Source.source_kind)
        .order_by(n.desc(), m.Source.name)
        .limit(limit)
    )
    return [{"name": a, "source_kind": k, "documents": c} for a, k, c in session.execute(stmt)]


def report_top_stories(
    session: Session, start: datetime, end: datetime, limit: int = 10
) -> list[dict[str, Any]]:
    """Stories with the most documents about the region published in [start, end)."""
    n = func.count(m.Document.id)
    stmt = (
        select(m.Story.id, m.Story.title, m.Story.first_seen_at, n,
               func.count(func.distinct(m.Document.source_id)))
        .join(m.Document, m.Document.story_id == m.Story.id)
        .where(*_published_in(start, end))
        .group_by(m.Story.id, m.Story.title, m.Story.first_seen_at)
        .order_by(n.desc(), m.Story.id)
        .limit(limit)
    )  # fmt: skip
    return [
        {"story_id": sid, "title": title, "first_seen_at": first, "documents": c, "sources": s}
        for sid, title, first, c, s in session.execute(stmt)
    ]


def report_flag_outcomes(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Flags raised in [start, end): how many, the analysts' final decisions, time to review."""
    flags = dict(
        session.execute(
            select(m.Flag.id, m.Flag.created_at).where(
                m.Flag.created_at >= start, m.Flag.created_at < end
            )
        ).all()
    )
    reviews = session.execute(
        select(m.Review.flag_id, m.Review.decision, m.Review.decided_at)
        .where(m.Review.flag_id.in_(list(flags) or [-1]))
        .order_by(m.Review.flag_id, m.Review.decided_at, m.Review.id)
    ).all()
    latest: dict[int, str] = {}
    first: dict[int, datetime] = {}
    for flag_id, decision, at in reviews:
        latest[flag_id] = decision
        first.setdefault(flag_id, at)
    hours = [(first[f] - flags[f]).total_seconds() / 3600 for f in sorted(first)]
    outcome = Counter(latest.values())
    return {
        "flags": len(flags), "confirmed": outcome.get("confirm", 0),
        "dismissed": outcome.get("dismiss", 0), "open": len(flags) - len(latest),
        "reviewed": len(latest),
        "median_hours_to_review": round(statistics.median(hours), 1) if hours else None,
    }  # fmt: skip


def report_press_release_uptake(
    session: Session, start: datetime, end: datetime, min_similarity: float = 0.35
) -> list[dict[str, Any]]:
    """The office's press releases of [start, end) and the documents that repeat them.

    A document repeats a release when the TF-IDF cosine similarity (syllable unigrams and
    bigrams, sublinear tf, fitted on the releases and the period's documents) reaches
    ``min_similarity``; documents from official sources (the office's own pages) do not count.
    """
    release_time = func.coalesce(m.Claim.published_at, m.Claim.created_at)
    releases = session.execute(
        select(m.Claim.id, m.Claim.title, m.Claim.text, release_time)
        .where(m.Claim.kind == "press_release", release_time >= start, release_time < end)
        .order_by(release_time, m.Claim.id)
    ).all()
    docs = session.execute(
        select(m.Document.id, m.Document.title, m.Document.text, _published_time())
        .add_columns(m.Document.source_id)
        .where(*_published_in(start, end), m.Document.source_kind != "official")
        .order_by(m.Document.id)
    ).all()
    if not releases:
        return []
    similarity = _tfidf_similarity(
        [f"{r[1]}\n{r[2]}" for r in releases], [f"{d[1]}\n{d[2]}" for d in docs]
    )
    out = []
    for i, (claim_id, title, body, published) in enumerate(releases):
        matched = [
            d for j, d in enumerate(docs)
            if similarity[i][j] >= min_similarity and d[3] >= published - timedelta(days=1)
        ]  # fmt: skip
        out.append({
            "claim_id": claim_id, "title": title or body[:120], "published_at": published,
            "documents": len(matched), "sources": len({d[4] for d in matched}),
        })  # fmt: skip
    return out


def _tfidf_similarity(releases: list[str], docs: list[str]) -> list[list[float]]:
    """Cosine similarity of each release to each document (rows: releases)."""
    if not docs:
        return [[] for _ in releases]
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
    matrix = vectorizer.fit_transform([_casefold_text(t) for t in releases + docs])
    scores = (matrix[: len(releases)] @ matrix[len(releases) :].T).toarray()
    return [[round(float(x), 6) for x in row] for row in scores]


# --- claims and flags ----------------------------------------------------------------------


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


# --- social ---
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
