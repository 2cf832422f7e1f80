"""The scheduler: jobs persist in the database; a restart after 07:00 sends that day's digest once.

The clock is moved by hand: APScheduler reads ``datetime.now`` in its scheduler, executor and
interval-trigger modules and the jobs read ``presswatch.scheduler.now``; all follow one clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from sqlalchemy import Engine, select

from presswatch import scheduler as sch
from presswatch.settings import Settings, load_settings
from presswatch.storage import models as m
from presswatch.storage.db import make_engine, migrate, transaction

REPO = Path(__file__).resolve().parents[1]


REAL_DATETIME = datetime


class Clock:
    """The time every part of the scheduler sees."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def datetime_class(self) -> type[datetime]:
        """A datetime class whose now() is this clock; it only ever returns real datetimes."""
        clock = self

        class FakeDatetime(datetime):
            @classmethod
            def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
                return REAL_DATETIME.fromtimestamp(clock.current.timestamp(), tz)

            @classmethod
            def fromtimestamp(cls, t: float, tz: Any = None) -> Any:  # type: ignore[override]
                return REAL_DATETIME.fromtimestamp(t, tz)

        return FakeDatetime


def office(text: str) -> datetime:
    """'2025-10-06 09:30' in office time (UTC+7) as aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    import apscheduler.executors.base as executors
    import apscheduler.schedulers.base as schedulers
    import apscheduler.triggers.interval as interval

    c = Clock(office("2025-10-05 10:00"))
    fake = c.datetime_class()
    monkeypatch.setattr(schedulers, "datetime", fake)
    monkeypatch.setattr(executors, "datetime", fake)
    monkeypatch.setattr(interval, "datetime", fake)
    monkeypatch.setattr(sch, "now", lambda: c.current)
    return c


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Settings, str, Engine]]:
    """A settings file (the jobs reload it) over a fresh database with one collected document."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "alerts.toml").write_text((REPO / "config" / "alerts.toml").read_text("utf-8"))
    (config / "sources.toml").write_text(
        '[source.baost]\nname = "Báo Sóc Trăng"\nkind = "rss"\nurls = ["http://127.0.0.1:9/rss"]\n'
        'poll_minutes = 30\n',
        encoding="utf-8",
    )  # fmt: skip
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(
        f'database_url = "sqlite:///{tmp_path / "pw.db"}"\nconfig_dir = "{config}"\n'
        f'data_dir = "{tmp_path}"\n',
        encoding="utf-8",
    )
    settings = load_settings(settings_file, environ={})
    engine = make_engine(settings.database_url)
    migrate(engine)
    with transaction(engine) as s:
        source = m.Source(key="baost", name="Báo Sóc Trăng", kind="rss")
        s.add(source)
        s.flush()
        s.add(m.Document(url="u", canonical_url="u", source_id=source.id, title="Tin ngày 5",
                         text="Sóc Trăng", status="processed", relevance=2,
                         fetched_at=office("2025-10-05 11:00")))  # fmt: skip
    yield settings, str(settings_file), engine
    engine.dispose()


def _digest_only(settings: Settings, settings_file: str) -> list[sch.JobSpec]:
    return [s for s in sch.planned_jobs(settings, settings_file) if s.id == "digest"]


def _run_once(settings: Settings, settings_file: str, events: list[str]) -> None:
    """Start the scheduler, let it do what is due now, stop it."""
    done = threading.Event()

    def listen(event: Any) -> None:
        events.append(f"{event.job_id}:{event.code}")
        done.set()

    scheduler = sch.build_scheduler(settings)
    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    scheduler.start(paused=True)
    sch.sync_jobs(scheduler, _digest_only(settings, settings_file))
    due = scheduler.get_job("digest").next_run_time <= sch.now()
    scheduler.resume()
    if due:
        assert done.wait(30), "the due digest job did not run"
    scheduler.shutdown(wait=True)


def _digest_rows(engine: Engine) -> list[str]:
    with transaction(engine) as s:
        return list(s.scalars(select(m.Outbox.dedup_key).where(m.Outbox.kind == "digest")))


def test_restart_after_0700_sends_that_days_digest_once(
    clock: Clock, world: tuple[Settings, str, Engine]
) -> None:
    settings, settings_file, engine = world
    events: list[str] = []
    _run_once(settings, settings_file, events)  # 5 Oct 10:00: digest planned for 6 Oct 07:00
    assert events == [] and _digest_rows(engine) == []
    clock.current = office("2025-10-06 09:30")  # the machine was off across 07:00
    _run_once(settings, settings_file, events)
    assert events == [f"digest:{EVENT_JOB_EXECUTED}"]
    assert _digest_rows(engine) == ["digest:2025-10-05"]
    clock.current = office("2025-10-06 09:45")  # restarted again the same morning
    _run_once(settings, settings_file, events)
    clock.current = office("2025-10-06 18:00")
    _run_once(settings, settings_file, events)
    assert events == [f"digest:{EVENT_JOB_EXECUTED}"]
    assert _digest_rows(engine) == ["digest:2025-10-05"]
    page = Path(settings.path("data_dir")) / "digests" / "2025-10-05.html"
    assert "Tin ngày 5" in page.read_text(encoding="utf-8")


def test_several_missed_days_run_once(clock: Clock, world: tuple[Settings, str, Engine]) -> None:
    settings, settings_file, engine = world
    events: list[str] = []
    _run_once(settings, settings_file, events)
    clock.current = office("2025-10-08 08:00")  # off for three mornings
    _run_once(settings, settings_file, events)
    assert events == [f"digest:{EVENT_JOB_EXECUTED}"]
    assert _digest_rows(engine) == ["digest:2025-10-07"]


def test_sync_keeps_next_run_times_and_follows_config(
    clock: Clock, world: tuple[Settings, str, Engine]
) -> None:
    settings, settings_file, _ = world
    scheduler = sch.build_scheduler(settings)
    scheduler.start(paused=True)
    try:
        sch.sync_jobs(scheduler, sch.planned_jobs(settings, settings_file))
        ids = {j.id for j in scheduler.get_jobs()}
        assert ids == {"crawl:30m", "process", "alerts", "outbox", "digest", "quarterly",
                       "retention"}  # fmt: skip
        crawl = scheduler.get_job("crawl:30m")
        assert crawl.args == (settings_file, ["baost"]) and crawl.coalesce
        assert crawl.next_run_time == office("2025-10-05 10:30")
        quarterly = scheduler.get_job("quarterly").next_run_time
        assert quarterly.astimezone(UTC) == office("2026-01-01 06:30")
        digest_at = scheduler.get_job("digest").next_run_time
        clock.current = office("2025-10-05 12:00")
        sch.sync_jobs(scheduler, sch.planned_jobs(settings, settings_file))
        assert scheduler.get_job("digest").next_run_time == digest_at  # not recomputed
        sch.sync_jobs(scheduler, _digest_only(settings, settings_file))
        assert [j.id for j in scheduler.get_jobs()] == ["digest"]
    finally:
        scheduler.shutdown(wait=False)


def test_list_jobs_shows_planned_then_stored(
    clock: Clock, world: tuple[Settings, str, Engine]
) -> None:
    settings, settings_file, _ = world
    planned = sch.list_jobs(settings, settings_file)
    assert {j.id for j in planned} >= {"digest", "outbox"} and not any(j.stored for j in planned)
    digest = next(j for j in planned if j.id == "digest")
    assert digest.next_run_time is not None
    assert digest.next_run_time.astimezone(UTC) == office("2025-10-06 07:00")
    _run_once(settings, settings_file, [])
    stored = sch.list_jobs(settings, settings_file)
    assert [(j.id, j.stored) for j in stored] == [("digest", True)]
