"""Storage: the tables, as SQLAlchemy 2 declarative models (the schema Alembic migrates).

Content, not people: no table keys anything by an individual author. A social post keeps its
public channel as ``documents.channel``; nothing aggregates by it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint naming that Alembic can follow on every backend."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Source(Base):
    """A configured source and its fetch state (conditional GET, failures, next attempt)."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    source_kind: Mapped[str] = mapped_column(String(20), default="domestic")
    platform: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    poll_minutes: Mapped[int] = mapped_column(Integer, default=60)
    reliability: Mapped[float] = mapped_column(Float, default=0.5)
    etag: Mapped[str] = mapped_column(Text, default="")
    last_modified: Mapped[str] = mapped_column(Text, default="")
    last_fetch_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_status: Mapped[str] = mapped_column(String(40), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    cursor: Mapped[str] = mapped_column(Text, default="")  # paging state (e.g. last message id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CrawlRun(Base):
    """One crawl: when, which sources, and counts of what was kept and dropped and why."""

    __tablename__ = "crawl_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="crawl")  # crawl | process | import
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    sources: Mapped[list[Any]] = mapped_column(default=list)
    pid: Mapped[int] = mapped_column(Integer, default=0)
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    kept: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[dict[str, Any]] = mapped_column(default=dict)  # reason -> count
    errors: Mapped[dict[str, Any]] = mapped_column(default=dict)  # error class -> count


class CrawlError(Base):
    """One logged fetch or parse error, with the URL it concerned."""

    __tablename__ = "crawl_errors"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Story(Base):
    """Documents that carry the same content; where and when it appeared first."""

    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    first_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", use_alter=True, ondelete="SET NULL")
    )
    first_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    first_seen_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    document_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    """One collected item with its text, metadata and processing status."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_status_id", "status", "id"),
        Index("ix_documents_published_at", "published_at"),
        Index("ix_documents_story_id", "story_id"),
        Index("ix_documents_content_hash", "content_hash"),
        Index("ix_documents_source_id", "source_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    source_kind: Mapped[str] = mapped_column(String(20), default="domestic")
    platform: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(10), default="")
    published_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(20), default="fetched")  # fetched|processed|dropped
    drop_reason: Mapped[str] = mapped_column(Text, default="")
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"))
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    relevance: Mapped[int] = mapped_column(SmallInteger, default=0)
    relevance_score: Mapped[float] = mapped_column(Float, default=0.0)
    tone: Mapped[str] = mapped_column(String(10), default="")
    tone_score: Mapped[float] = mapped_column(Float, default=0.0)
    misinfo_score: Mapped[float] = mapped_column(Float, default=0.0)
    reply_to_url: Mapped[str] = mapped_column(Text, default="")
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DedupBand(Base):
    """One LSH band hash of a document's MinHash signature: the near-duplicate index."""

    __tablename__ = "dedup_bands"
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )


class Tag(Base):
    """A topic, tone or region decision on a document, with score and evidence."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("document_id", "kind", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # topic | tone | place
    label: Mapped[str] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    model_version: Mapped[str] = mapped_column(String(100), default="")


Index("ix_tags_kind_label", Tag.kind, Tag.label)


class Flag(Base):
    """A suspected-misinformation decision: score, reasons, signals, model version, status."""

    __tablename__ = "flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), unique=True
    )
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model_version: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open|confirmed|dismissed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


Index("ix_flags_status_score", Flag.status, Flag.score)


class FlagSignal(Base):
    """One signal that fired for a flag, with its weight and evidence."""

    __tablename__ = "flag_signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Review(Base):
    """An analyst's decision on a flag; never updated, only added (the latest one counts)."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # confirm | dismiss
    reason_code: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class LabelCorrection(Base):
    """An analyst's labels for a document (relevance, topics, tone) where the models erred.

    Never updated, only added (the latest one counts); exported as training data for the
    relevance, topic and tone models (`presswatch export-labels`).
    """

    __tablename__ = "label_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    relevance: Mapped[int] = mapped_column()
    topics: Mapped[list[Any]] = mapped_column(default=list)
    tone: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[str] = mapped_column(String(100))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)


class Claim(Base):
    """An entry of the claim base: a known false claim, a verified fact or a press release."""

    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # false_claim | fact | press_release
    text: Mapped[str] = mapped_column(Text)  # the claim, the fact's statement or the release
    title: Mapped[str] = mapped_column(Text, default="")
    correction: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # idempotent import
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EngagementSnapshot(Base):
    """Engagement counts of a post at the time they were read (a small time series)."""

    __tablename__ = "engagement_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)


class Outbox(Base):
    """An e-mail waiting to be sent, written in the transaction that caused it."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # digest | alert | report
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


Index("ix_outbox_status_next", Outbox.status, Outbox.next_attempt_at)


class Digest(Base):
    """A daily digest as built: its day, where its HTML page was stored, what it counted."""

    __tablename__ = "digests"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    path: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertSent(Base):
    """One alert sent to a recipient group about a story: the cool-down's memory."""

    __tablename__ = "alerts_sent"
    id: Mapped[int] = mapped_column(primary_key=True)
    group: Mapped[str] = mapped_column(String(100))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(100), default="")
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


Index("ix_alerts_sent_group_story", AlertSent.group, AlertSent.story_id)


class User(Base):
    """A review-desk account: hashed password and a role (viewer, analyst, admin)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditLog(Base):
    """Who did what and when: every decision and every change to claims or users."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
