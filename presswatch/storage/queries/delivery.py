"""Named queries: delivery: digest, alerts, reports."""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
    "report_documents_by_month",
    "report_documents_by_task",
    "report_documents_by_topic",
    "report_flag_outcomes",
    "report_press_release_uptake",
    "report_source_kind_counts",
    "report_tone_counts",
    "report_top_sources",
    "report_top_stories",
    "report_total_documents",
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
