"""The whole job, in one place: sources → fetch → extract → stages → store → deliver.

    crawl()            config/sources.toml → Scrapy (feeds, sitemaps, sites, channels)
                       → trafilatura extraction → documents(status=fetched)
    process_pending()  documents(fetched) → normalise → dedup/story → relevance → topics → tone
                       → misinformation → documents(processed | dropped + reason), tags, flags
                       → alerts into the outbox, in the same transaction
    deliver            presswatch.reports (digest, outbox worker, quarterly report) and the
                       review web app read what process_pending stored.

Each step is an idempotent function of database state, so a crash and a rerun neither lose
nor duplicate anything, and the scheduler (scheduler.py) can call any step at any time.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from presswatch.crawlers.engine import CrawlSummary, run_crawl
from presswatch.pipeline import build_stages
from presswatch.pipeline.runner import Outcome, Runner
from presswatch.settings import Settings
from presswatch.sources import SourceConfig, load_sources
from presswatch.storage import queries, repository, runs
from presswatch.storage.db import transaction
from presswatch.storage.models import utcnow

log = logging.getLogger(__name__)
Progress = Callable[[str], None]
#: Called inside each batch's transaction after it is saved (alerts enqueue their e-mails here).
AfterSave = Callable[[Session, Sequence[Outcome], datetime], None]


def configured_sources(settings: Settings) -> list[SourceConfig]:
    """The sources of config/sources.toml."""
    return load_sources(settings.path("config_dir") / "sources.toml")


def crawl(
    settings: Settings,
    engine: Engine,
    keys: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> CrawlSummary:
    """Fetch and extract: one Scrapy crawl of the chosen (default: enabled) sources."""
    return run_crawl(settings, engine, configured_sources(settings), keys, progress)


def crawl_subprocess(
    settings_file: Path | None, keys: Sequence[str] | None = None, timeout: float = 3600
) -> int:
    """Run `presswatch crawl` in a child process (Scrapy's reactor cannot restart in ours)."""
    args = [sys.executable, "-m", "presswatch"]
    if settings_file is not None:
        args += ["--config", str(settings_file)]
    args += ["crawl", *(keys or [])]
    return subprocess.run(args, check=False, timeout=timeout, env=dict(os.environ)).returncode


def delivery_hooks(settings: Settings) -> list[AfterSave]:
    """Run inside each batch's transaction: claims from review pages, then alerts (outbox)."""
    from presswatch.claims.base import store_claimreview_documents
    from presswatch.reports.alerts import alert_hook

    return [store_claimreview_documents, alert_hook(settings)]


@dataclass(slots=True)
class ProcessSummary:
    """What one processing run did."""

    run_id: int
    taken: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)


def process_pending(
    settings: Settings,
    engine: Engine,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    after_save: Sequence[AfterSave] | None = None,
) -> ProcessSummary:
    """Run the stages over every fetched document, batch by batch, one transaction per batch.

    ``after_save`` defaults to :func:`delivery_hooks`: what must happen in the same transaction.
    """
    if after_save is None:
        after_save = delivery_hooks(settings)
    with transaction(engine) as session:
        run = runs.start_run(session, "process", [], os.getpid())
        waiting = queries.count_documents_by_status(session).get("fetched", 0)
    total = min(waiting, limit) if limit else waiting
    summary = ProcessSummary(run.id)
    status = "failed"
    try:
        _process_batches(settings, engine, total, summary, progress, after_save)
        status = "finished"
    finally:
        with transaction(engine) as session:
            runs.finish_run(
                session,
                run.id,
                fetched=summary.taken,
                kept=summary.kept,
                dropped=summary.dropped,
                errors=Counter(),
                status=status,
            )
    return summary


def _process_batches(
    settings: Settings,
    engine: Engine,
    total: int,
    summary: ProcessSummary,
    progress: Progress | None,
    after_save: Sequence[AfterSave],
) -> None:
    stages = build_stages(settings, engine=engine)
    with Runner(stages, settings, settings.process_workers) as runner:
        last_id = 0
        while summary.taken < total:
            size = min(settings.process_batch_size, total - summary.taken)
            with transaction(engine) as session:
                batch = repository.load_batch(session, size, after_id=last_id)
            if not batch:
                break
            last_id = batch[-1].id or last_id
            _save_batch(engine, runner.run(batch), summary, after_save)
            if progress:
                progress(f"processed {summary.taken}/{total}: {summary.kept} kept")


def _save_batch(
    engine: Engine,
    outcomes: list[Outcome],
    summary: ProcessSummary,
    after_save: Sequence[AfterSave],
) -> None:
    now = utcnow()
    with transaction(engine) as session:
        for outcome in outcomes:
            if outcome.dropped:
                repository.save_dropped(session, outcome.doc, outcome.dropped)
                summary.dropped[queries.reason_family(outcome.dropped)] += 1
            else:
                repository.save_processed(session, outcome.doc, now)
                summary.kept += 1
        for hook in after_save:
            hook(session, outcomes, now)
    summary.taken += len(outcomes)
