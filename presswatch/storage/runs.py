"""Storage: the writes about collecting — sources and their fetch state, runs and their errors.

A source row is created or updated from config/sources.toml and keeps its fetch state
(validators, failures, back-off) across runs; each crawl, process or import run is one row with
its final counts, and each fetch or parse error is kept with the URL it concerned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from presswatch.sources import SourceConfig
from presswatch.storage import models as m
from presswatch.storage.models import utcnow

ERROR_MESSAGE_MAX = 2000


def sync_sources(session: Session, configs: Iterable[SourceConfig]) -> dict[str, m.Source]:
    """Create or update the configured sources; keep fetch state; return them by key."""
    existing = {s.key: s for s in session.scalars(select(m.Source))}
    for cfg in configs:
        row = existing.get(cfg.key) or m.Source(key=cfg.key)
        row.name, row.kind, row.source_kind = cfg.name, cfg.kind, cfg.source_kind
        row.url, row.enabled, row.poll_minutes = "\n".join(cfg.urls), cfg.enabled, cfg.poll_minutes
        row.reliability, row.organisation = cfg.reliability, cfg.organisation
        row.platform = str(cfg.options.get("platform", cfg.kind if cfg.is_social else ""))
        if row.id is None:
            session.add(row)
        existing[cfg.key] = row
    session.flush()
    return existing


def start_run(session: Session, kind: str, sources: Sequence[str], pid: int) -> m.CrawlRun:
    """Record the start of a crawl, process or import run."""
    run = m.CrawlRun(kind=kind, sources=list(sources), pid=pid, status="running")
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    run_id: int,
    *,
    fetched: int,
    kept: int,
    dropped: Counter[str],
    errors: Counter[str],
    status: str = "finished",
) -> None:
    """Store a run's final counts."""
    session.execute(
        update(m.CrawlRun)
        .where(m.CrawlRun.id == run_id)
        .values(
            finished_at=utcnow(),
            status=status,
            fetched=fetched,
            kept=kept,
            dropped=dict(dropped),
            errors=dict(errors),
        )
    )


def record_error(
    session: Session, run_id: int | None, source_id: int | None, url: str, kind: str, message: str
) -> None:
    """Keep one fetch or parse error with the URL it concerned."""
    session.add(
        m.CrawlError(
            run_id=run_id,
            source_id=source_id,
            url=url[:2000],
            kind=kind[:60],
            message=message[:ERROR_MESSAGE_MAX],
        )
    )


def record_source_result(
    session: Session,
    source_id: int,
    *,
    ok: bool,
    status: str,
    error: str = "",
    etag: str | None = None,
    last_modified: str | None = None,
    backoff_minutes: int = 30,
) -> None:
    """Update a source's fetch state after a poll: validators on success, backoff on failure."""
    source = session.get(m.Source, source_id)
    if source is None:
        return
    now = utcnow()
    source.last_fetch_at, source.last_status = now, status[:40]
    if ok:
        source.last_success_at, source.consecutive_failures = now, 0
        source.last_error = error[:ERROR_MESSAGE_MAX]  # a warning when only partly read
        source.next_attempt_at = now + timedelta(minutes=source.poll_minutes)
        if etag is not None:
            source.etag = etag
        if last_modified is not None:
            source.last_modified = last_modified
        return
    source.consecutive_failures += 1
    source.last_error = error[:ERROR_MESSAGE_MAX]
    wait = min(backoff_minutes * 2 ** (source.consecutive_failures - 1), 24 * 60)
    source.next_attempt_at = now + timedelta(minutes=wait)
