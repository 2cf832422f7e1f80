"""Alerts: rules, groups, review status, cool-down, quiet hours, spikes; delivered over SMTP."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from presswatch.alerts_config import load_alerts_config
from presswatch.document import Document, FlagDecision, Signal
from presswatch.reports.alerts import check_alerts
from presswatch.reports.mail import send_pending
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from presswatch.storage.repository import save_flag
from tests.reports.delivery_seed import HOSTILE_PHONE, HOSTILE_TEXT, PERSONAL_CHANNEL, World, at
from tests.reports.mailserver import SmtpServer

DATA = Path(__file__).parent / "data"
REPO_CONFIG = Path(__file__).resolve().parents[2] / "config"
EVIDENCE = "Đê biển Vĩnh Châu bị vỡ, nước tràn vào ba xã"


@pytest.fixture
def alert_settings(smtp_settings: Settings, tmp_path: Path) -> Settings:
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(DATA / "alerts_test.toml", config / "alerts.toml")
    return smtp_settings.replace(config_dir=str(config))


def _world(engine: Engine) -> tuple[World, int]:
    w = World(engine)
    for key, kind in (("a", "domestic"), ("b", "domestic"), ("c", "foreign"), ("tele", "social")):
        w.source(key, f"Nguồn {key}", kind)
    return w, w.story("Tin vỡ đê biển", at("2025-10-05 08:00"))


def _flag_and_check(
    engine: Engine, settings: Settings, doc_id: int, score: float, now: datetime
) -> list[int]:
    """What the pipeline does: save the flag, then check alerts, in one transaction."""
    decision = FlagDecision(
        score=score, flagged=True, reasons=["claim_match"], model_version="misinfo-test",
        signals=[Signal("claim_match", score, 0.7, {"sentence": EVIDENCE, "claim_id": 7})],
    )  # fmt: skip
    with transaction(engine) as s:
        save_flag(s, Document(url="u", source="tele", id=doc_id, flag=decision))
        return check_alerts(s, settings, now)


def _outbox(engine: Engine) -> list[m.Outbox]:
    with transaction(engine) as s:
        return list(s.scalars(select(m.Outbox).order_by(m.Outbox.id)))


def test_high_score_flag_alerts_analysts_over_smtp_once_per_story(
    engine: Engine, alert_settings: Settings, smtp_server: SmtpServer
) -> None:
    w, story = _world(engine)
    first = w.doc("tele", "Tin đồn vỡ đê <b>Vĩnh Châu</b>", when=at("2025-10-05 08:00"),
                  text=HOSTILE_TEXT, channel=PERSONAL_CHANNEL, story=story,
                  topics=("human_rights",), tone="negative")  # fmt: skip
    second = w.doc("a", "Lại tin vỡ đê", when=at("2025-10-05 09:00"), story=story)
    now = datetime.now().astimezone()
    queued = _flag_and_check(engine, alert_settings, first, 0.92, now)
    assert len(queued) == 1  # analysts only: leaders wait for a confirmation
    assert send_pending(engine, alert_settings).sent == 1
    (msg,) = smtp_server.messages
    assert msg["To"] == "analysts@example.invalid"
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for part in (body, html):
        assert EVIDENCE in part and "0,92" in part
        assert f"http://127.0.0.1:8000/documents/{first}" in part
        assert HOSTILE_PHONE not in part and PERSONAL_CHANNEL not in part
    assert "&lt;b&gt;Vĩnh Châu&lt;/b&gt;" in html and "<b>Vĩnh Châu</b>" not in html
    assert "Trùng với tin sai đã biết" in body
    # a second flag on the same story inside the cool-down: no second alert
    assert _flag_and_check(engine, alert_settings, second, 0.95, now + timedelta(hours=1)) == []
    assert send_pending(engine, alert_settings).sent == 0
    assert len(smtp_server.messages) == 1
    # after the cool-down the story alerts again, as an update
    later = now + timedelta(hours=13)
    with transaction(engine) as s:
        assert len(check_alerts(s, alert_settings, later)) == 1
    send_pending(engine, alert_settings, now=later)  # queued e-mails are due at their cause's time
    assert str(smtp_server.messages[-1]["Subject"]).startswith("[PressWatch] Cập nhật cảnh báo")


def test_outside_groups_get_only_confirmed_flags(engine: Engine, alert_settings: Settings) -> None:
    w, story = _world(engine)
    doc = w.doc("a", "Tin sai", when=at("2025-10-05 08:00"), story=story)
    now = datetime.now().astimezone()
    _flag_and_check(engine, alert_settings, doc, 0.9, now)
    assert [r.recipients for r in _outbox(engine)] == [["analysts@example.invalid"]]
    with transaction(engine) as s:
        flag_id = s.scalars(select(m.Flag.id)).one()
    w.review(flag_id, "confirm", now)
    with transaction(engine) as s:
        assert len(check_alerts(s, alert_settings, now + timedelta(minutes=5))) == 1
        assert check_alerts(s, alert_settings, now + timedelta(minutes=6)) == []
    rows = _outbox(engine)
    assert rows[-1].recipients == ["leaders@example.invalid", "deputy@example.invalid"]
    assert "đã xác nhận" in rows[-1].subject


def test_dismissed_and_low_score_flags_do_not_alert(
    engine: Engine, alert_settings: Settings
) -> None:
    w, _ = _world(engine)
    low = w.doc("a", "Điểm thấp", when=at("2025-10-05 08:00"))
    now = datetime.now().astimezone()
    assert _flag_and_check(engine, alert_settings, low, 0.5, now) == []
    dismissed = w.doc("b", "Đã bác bỏ", when=at("2025-10-05 08:00"))
    flag_id = w.flag(dismissed, 0.99, created=now)
    w.review(flag_id, "dismiss", now)
    with transaction(engine) as s:
        assert check_alerts(s, alert_settings, now) == []


def test_topic_and_source_kind_rule_with_quiet_hours(
    engine: Engine, alert_settings: Settings
) -> None:
    w, _ = _world(engine)
    news = w.doc("a", "Biển đảo trên báo", when=at("2025-10-05 22:00"), topics=("sovereignty",))
    post = w.doc("tele", "Biển đảo trên mạng", when=at("2025-10-05 22:00"), topics=("sovereignty",))
    w.flag(news, 0.6, created=at("2025-10-05 22:10"))
    w.flag(post, 0.6, created=at("2025-10-05 22:10"))
    with transaction(engine) as s:
        queued = check_alerts(s, alert_settings, at("2025-10-05 22:15"))
    (row,) = _outbox(engine)  # only the social post matches the night group's rule
    assert queued == [row.id] and row.recipients == ["night@example.invalid"]
    assert row.next_attempt_at == at("2025-10-06 06:30")
    assert send_pending(engine, alert_settings, now=at("2025-10-06 06:00")).sent == 0
    assert send_pending(engine, alert_settings, now=at("2025-10-06 06:31")).sent == 1


def test_story_spike_alerts_outside_groups(engine: Engine, alert_settings: Settings) -> None:
    w, story = _world(engine)
    for i, src in enumerate(("a", "b", "c", "a")):
        w.doc(src, f"Lan truyền {i}", when=at(f"2025-10-05 0{i + 6}:00"), story=story)
    with transaction(engine) as s:
        assert len(check_alerts(s, alert_settings, at("2025-10-05 10:00"))) == 1
        assert check_alerts(s, alert_settings, at("2025-10-05 10:30")) == []
    (row,) = _outbox(engine)
    assert row.recipients[0] == "leaders@example.invalid"
    assert "4 bài" in row.subject and "Lan truyền 3" in row.body_text
    with transaction(engine) as s:  # three sources are needed, not just four documents
        assert check_alerts(s, alert_settings, at("2025-10-05 13:30")) == []


def test_shipped_alerts_config_is_valid() -> None:
    config = load_alerts_config(REPO_CONFIG / "alerts.toml")
    assert config.groups["analysts"].unreviewed is True
    assert all(not g.unreviewed for k, g in config.groups.items() if k != "analysts")
    assert len(config.report.tasks) == 6
