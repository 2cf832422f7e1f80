"""Fetch: one Scrapy crawl in this process (one per process: Scrapy's reactor cannot restart)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from presswatch.crawlers.store import CrawlStore, Progress
from presswatch.settings import Settings
from presswatch.sources import SourceConfig
from presswatch.storage import models as m
from presswatch.storage import runs
from presswatch.storage.db import transaction

log = logging.getLogger(__name__)
RETRY_CODES = [500, 502, 503, 504, 522, 524, 408, 429]


@dataclass(slots=True)
class CrawlSummary:
    """What one crawl did."""

    run_id: int
    fetched: int
    kept: int
    dropped: dict[str, int]
    errors: dict[str, int]


def scrapy_settings(settings: Settings) -> dict[str, Any]:
    """Scrapy settings from ours: politeness, bounds and quiet logging."""
    return {
        "USER_AGENT": settings.user_agent,
        "ROBOTSTXT_OBEY": settings.robots_obey,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_per_domain,
        "DOWNLOAD_DELAY": settings.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if settings.download_delay > 0 else 0.0,
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.download_maxsize,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": settings.redirect_max,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": settings.retry_times,
        "RETRY_HTTP_CODES": RETRY_CODES,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": True,
        "LOG_INSTALL_ROOT_HANDLER": False,  # our CLI configures logging
        "LOG_LEVEL": "INFO" if log.isEnabledFor(logging.DEBUG) else "WARNING",
        "DOWNLOADER_MIDDLEWARES": {"presswatch.crawlers.backoff.BackoffMiddleware": 540},
        "BACKOFF_BASE_SECONDS": 0.5,
    }


def select_sources(
    configs: Sequence[SourceConfig], keys: Sequence[str] | None
) -> list[SourceConfig]:
    """The sources named (all enabled ones when none are); unknown names fail with a hint."""
    by_key = {c.key: c for c in configs}
    if not keys:
        return [c for c in configs if c.enabled]
    from presswatch.errors import ConfigError

    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise ConfigError(f"unknown source {unknown[0]!r}; configured: {', '.join(sorted(by_key))}")
    return [by_key[k] for k in keys]


def run_crawl(
    settings: Settings,
    engine: Engine,
    configs: Sequence[SourceConfig],
    keys: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> CrawlSummary:
    """Crawl the chosen sources once and store what they yield. Call once per process."""
    from scrapy.crawler import CrawlerProcess

    from presswatch.crawlers.spiders import PressWatchSpider

    chosen = select_sources(configs, keys)
    with transaction(engine) as session:
        _mark_interrupted_runs(session)
        rows = runs.sync_sources(session, configs)
        run = runs.start_run(session, "crawl", [c.key for c in chosen], os.getpid())
        validators = {c.key: (rows[c.key].etag, rows[c.key].last_modified) for c in chosen}
        source_ids = {key: row.id for key, row in rows.items()}
    store = CrawlStore(
        engine, run.id, source_ids, settings.source_backoff_minutes, progress=progress
    )
    process = CrawlerProcess(scrapy_settings(settings))
    process.crawl(
        PressWatchSpider,
        sources=chosen,
        validators=validators,
        store=store,
        max_items=settings.max_items_per_source,
        extract_workers=settings.extract_workers,
    )
    process.start()
    store.close({c.key: c for c in chosen})
    return CrawlSummary(run.id, store.fetched, store.kept, dict(store.dropped), dict(store.errors))


def _mark_interrupted_runs(session: Any) -> None:
    """Runs left 'running' by a process that no longer exists were interrupted."""
    for run in session.scalars(select(m.CrawlRun).where(m.CrawlRun.status == "running")):
        if not _alive(run.pid):
            run.status = "interrupted"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
