"""The delivery queries and the outbox on both backends (SQLite and the test PostgreSQL)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from presswatch.alerts_config import load_alerts_config
from presswatch.reports.digest import build_digest
from presswatch.reports.mail import enqueue, send_pending
from presswatch.reports.quarterly import Quarter, collect_report_data
from presswatch.settings import Settings
from presswatch.storage.db import transaction
from tests.reports.delivery_seed import at, quarter_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_report_figures_and_digest(any_engine: Engine, settings: Settings) -> None:
    quarter_world(any_engine)
    config = load_alerts_config(settings.path("config_dir") / "alerts.toml").report
    with transaction(any_engine) as s:
        data = collect_report_data(s, Quarter(2025, 3), TZ, config, at("2025-10-05 09:00"))
    assert data.total == 13 and data.previous_total == 2
    assert data.months == [("07/2025", 3), ("08/2025", 6), ("09/2025", 4)]
    assert data.source_kinds == {"domestic": 7, "foreign": 3, "official": 1, "social": 2}
    assert data.flags["median_hours_to_review"] == 14.0
    assert [u["documents"] for u in data.uptake] == [1]
    assert data.top_stories[0]["documents"] == 4 and data.top_stories[0]["sources"] == 3
    result = build_digest(any_engine, settings, date(2025, 9, 20), now=at("2025-09-21 07:00"))
    assert result.counts["total"] == 1 and result.counts["flags_open"] == 1
    assert build_digest(any_engine, settings, date(2025, 9, 20)).outbox_id is None


def test_outbox_once(any_engine: Engine, settings: Settings) -> None:
    with transaction(any_engine) as s:
        first = enqueue(s, dedup_key="k", kind="alert", recipients=["a@x.invalid"],
                        subject="s", text="t", html="<p>t</p>")  # fmt: skip
        again = enqueue(s, dedup_key="k", kind="alert", recipients=["a@x.invalid"],
                        subject="s", text="t", html="<p>t</p>")  # fmt: skip
    assert first is not None and again is None
    assert send_pending(any_engine, settings).sent == 1
    assert send_pending(any_engine, settings).sent == 0
