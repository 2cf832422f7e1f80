"""Named queries: the quarterly press-opinion report. Every figure of the report is one of these."""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from presswatch.storage import models as m
from presswatch.storage.queries.delivery import (
    _count_by_column,
    _count_by_topic,
    _published_in,
    _published_time,
    topics_by_document,
)

__all__ = [
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
]


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
