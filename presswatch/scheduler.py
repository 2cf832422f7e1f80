"""Scheduling: APScheduler 3 drives crawls, processing, alerts, the outbox, digests and reports.

Jobs live in the project's database (SQLAlchemyJobStore, table ``apscheduler_jobs``) so a restart
keeps their next run times. Every job is a top-level function taking plain values (the settings
file path and, for crawls, source keys); it reloads the settings itself, so secrets stay in the
environment and out of the job store. Missed runs: each job has a misfire grace time and
coalescing, so a machine that was off runs what it missed once when it comes back (a digest
missed by less than a day is still sent; several missed days send only the latest).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from presswatch.settings import Settings, load_settings
from presswatch.storage.db import make_engine, resolve_url, transaction

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
PROCESS_MINUTES = 5
ALERTS_MINUTES = 10
OUTBOX_MINUTES = 1
DIGEST_GRACE_HOURS = 20


def now() -> datetime:
    """The jobs' clock (UTC): one seam, so tests can move time."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One job as configured: what to call, when, and how to treat missed runs."""

    id: str
    name: str
    func: Any
    trigger: Any
    args: tuple[Any, ...] = ()
    misfire_grace_time: int | None = 3600
    options: dict[str, Any] = field(default_factory=dict)


# --- job functions (top level, plain arguments: the job store pickles references to them) ---


def _settings(settings_file: str | None) -> Settings:
    return load_settings(Path(settings_file) if settings_file else None)


def _engine(settings: Settings) -> Engine:
    return make_engine(resolve_url(settings.database_url, settings.base_dir))


def crawl_job(settings_file: str | None, keys: list[str]) -> int:
    """Crawl these sources in a child process (Scrapy's reactor cannot restart in ours)."""
    from presswatch.ingest import crawl_subprocess

    code = crawl_subprocess(Path(settings_file) if settings_file else None, keys)
    if code:
        log.warning("crawl of %s ended with exit code %s", ", ".join(keys), code)
    return code


def process_job(settings_file: str | None) -> int:
    """Process the waiting documents; alerts are queued with each saved batch."""
    from presswatch.ingest import process_pending

    settings = _settings(settings_file)
    engine = _engine(settings)
    try:
        summary = process_pending(settings, engine)
        return summary.kept
    finally:
        engine.dispose()


def alerts_job(settings_file: str | None) -> int:
    """Queue alerts not tied to a processing batch: story spikes and newly confirmed flags."""
    from presswatch.reports.alerts import check_alerts

    settings = _settings(settings_file)
    engine = _engine(settings)
    try:
        with transaction(engine) as session:
            return len(check_alerts(session, settings, now()))
    finally:
        engine.dispose()


def outbox_job(settings_file: str | None) -> int:
    """Send the due e-mails."""
    from presswatch.reports.mail import send_pending

    settings = _settings(settings_file)
    engine = _engine(settings)
    try:
        return send_pending(engine, settings).sent
    finally:
        engine.dispose()


def digest_job(settings_file: str | None) -> str:
    """Build and queue yesterday's digest (once per day: its outbox key is the day)."""
    from presswatch.reports.digest import build_digest

    settings = _settings(settings_file)
    engine = _engine(settings)
    try:
        return str(build_digest(engine, settings, now=now()).path)
    finally:
        engine.dispose()


def quarterly_job(settings_file: str | None) -> str:
    """Write the report of the quarter that just ended and tell the digest recipients."""
    from presswatch.reports.quarterly import report_after_quarter

    settings = _settings(settings_file)
    engine = _engine(settings)
    try:
        return str(report_after_quarter(engine, settings, now(), notify=True))
    finally:
        engine.dispose()


def retention_job(settings_file: str | None) -> int:
    """Delete social posts past their retention period unless a flag or review holds them."""
    from presswatch.retention import apply_retention

    settings = _settings(settings_file)
    engine = _engine(settings)
    try:
        return apply_retention(engine, settings.social_retention_days).deleted
    finally:
        engine.dispose()


# --- the schedule -----------------------------------------------------------------------------


def planned_jobs(settings: Settings, settings_file: str | None) -> list[JobSpec]:
    """Every job the configuration asks for, with its trigger (office time zone)."""
    tz = ZoneInfo(settings.timezone)
    arg = (settings_file,)
    hour = int(settings.digest_hour)
    specs = [*crawl_jobs(settings, settings_file)]
    specs += [
        JobSpec("process", "process waiting documents", process_job,
                IntervalTrigger(minutes=PROCESS_MINUTES, timezone=tz), arg, PROCESS_MINUTES * 60),
        JobSpec("alerts", "story spikes and confirmed flags", alerts_job,
                IntervalTrigger(minutes=ALERTS_MINUTES, timezone=tz), arg, ALERTS_MINUTES * 60),
        JobSpec("outbox", "send queued e-mails", outbox_job,
                IntervalTrigger(minutes=OUTBOX_MINUTES, timezone=tz), arg, 600),
        JobSpec("digest", f"daily digest at {hour:02d}:00", digest_job,
                CronTrigger(hour=hour, minute=0, timezone=tz), arg, DIGEST_GRACE_HOURS * 3600),
        JobSpec("quarterly", "quarterly report on the first day of each quarter", quarterly_job,
                CronTrigger(month="1,4,7,10", day=1, hour=6, minute=30, timezone=tz), arg, None),
        JobSpec("retention", "delete expired social posts", retention_job,
                CronTrigger(hour=3, minute=15, timezone=tz), arg, 12 * 3600),
    ]  # fmt: skip
    return specs


def crawl_jobs(settings: Settings, settings_file: str | None) -> list[JobSpec]:
    """One crawl job per poll interval, over the enabled sources with that interval."""
    from presswatch.ingest import configured_sources

    by_interval: dict[int, list[str]] = {}
    for source in configured_sources(settings):
        if source.enabled and source.kind != "import":
            by_interval.setdefault(max(source.poll_minutes, 5), []).append(source.key)
    tz = ZoneInfo(settings.timezone)
    return [
        JobSpec(f"crawl:{minutes}m", f"crawl {len(keys)} sources every {minutes} min", crawl_job,
                IntervalTrigger(minutes=minutes, timezone=tz), (settings_file, sorted(keys)),
                minutes * 60)
        for minutes, keys in sorted(by_interval.items())
    ]  # fmt: skip


def build_scheduler(settings: Settings, max_workers: int = 4) -> BackgroundScheduler:
    """A scheduler whose jobs persist in the project's database, in office time."""
    url = resolve_url(settings.database_url, settings.base_dir)
    store = SQLAlchemyJobStore(engine=make_engine(url), tablename=JOB_TABLE)
    return BackgroundScheduler(
        jobstores={"default": store},
        executors={"default": {"type": "threadpool", "max_workers": max_workers}},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=ZoneInfo(settings.timezone),
    )


def sync_jobs(scheduler: BackgroundScheduler, specs: Sequence[JobSpec]) -> None:
    """Make the stored jobs match ``specs`` without losing the next run time of kept jobs.

    Replacing a job would recompute its next run from now and silently skip a run missed
    while the machine was off; so kept jobs are only modified, and rescheduled only when
    their trigger changed.
    """
    wanted = {spec.id: spec for spec in specs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
    for spec in specs:
        job = scheduler.get_job(spec.id)
        options = {"misfire_grace_time": spec.misfire_grace_time, **spec.options}
        if job is None:
            scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.name,
                              args=list(spec.args), **options)  # fmt: skip
            continue
        if str(job.trigger) != str(spec.trigger) or job.func is not spec.func:
            scheduler.reschedule_job(spec.id, trigger=spec.trigger)
        scheduler.modify_job(spec.id, func=spec.func, name=spec.name, args=list(spec.args),
                             **options)  # fmt: skip


def start(
    settings: Settings, settings_file: str | None, specs: Sequence[JobSpec] | None = None
) -> BackgroundScheduler:
    """Start the scheduler: open the job store paused, sync the jobs, then run what is due."""
    scheduler = build_scheduler(settings)
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, planned_jobs(settings, settings_file) if specs is None else specs)
    except BaseException:
        scheduler.shutdown(wait=False)
        raise
    scheduler.resume()
    return scheduler


@dataclass(frozen=True, slots=True)
class JobInfo:
    """A job as `presswatch jobs` shows it."""

    id: str
    name: str
    trigger: str
    next_run_time: datetime | None
    stored: bool


def list_jobs(settings: Settings, settings_file: str | None) -> list[JobInfo]:
    """The stored jobs with their next run times, or the planned ones if none are stored yet."""
    scheduler = build_scheduler(settings, max_workers=1)
    scheduler.start(paused=True)
    try:
        jobs = scheduler.get_jobs()
        if jobs:
            return [JobInfo(j.id, j.name, str(j.trigger), j.next_run_time, True) for j in jobs]
    finally:
        scheduler.shutdown(wait=False)
    moment = now().astimezone(ZoneInfo(settings.timezone))
    return [
        JobInfo(s.id, s.name, str(s.trigger), s.trigger.get_next_fire_time(None, moment), False)
        for s in planned_jobs(settings, settings_file)
    ]
