"""Delivery: alert e-mails — flags and fast-spreading stories, per recipient group and rule.

``check_alerts`` runs in the caller's transaction (the pipeline after it saves flags, the review
desk after a decision, and a scheduler job for story spikes): it queues the e-mails and records
each in ``alerts_sent``, the memory of the per-story cool-down. A group with ``unreviewed =
false`` hears only about flags an analyst confirmed, plus story spikes. A group hears about a flag
once; a story alerts a group once per cool-down, and later alerts about it are updates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from presswatch.alerts_config import AlertConfig, Group, Rule, load_alerts_config
from presswatch.redact import clean_text, strip_header
from presswatch.reports.mail import enqueue
from presswatch.reports.render import render, severity
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage import queries as q

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Candidate:
    """One alert about to be queued: for a group, about a flag or a story spike."""

    group: Group
    rules: list[Rule]
    flag: dict[str, Any] | None = None
    story: dict[str, Any] | None = None

    @property
    def story_id(self) -> int | None:
        """The story the alert is about (None for a flag on a document without a story)."""
        if self.story is not None:
            return int(self.story["story_id"])
        assert self.flag is not None
        story_id = self.flag["document"]["story_id"]
        return None if story_id is None else int(story_id)


def alerts_config(settings: Settings) -> AlertConfig:
    """config/alerts.toml, re-read when the file changes."""
    path = settings.path("config_dir") / "alerts.toml"
    return _load(path, path.stat().st_mtime_ns if path.exists() else 0)


def alert_hook(settings: Settings) -> Callable[[Session, Sequence[Any], datetime], None]:
    """The pipeline's after-save hook: check alerts inside the batch's transaction."""

    def after_save(session: Session, _outcomes: Sequence[Any], now: datetime) -> None:
        if not (settings.path("config_dir") / "alerts.toml").exists():
            log.warning("no alerts.toml in %s: no alerts are sent", settings.path("config_dir"))
            return
        check_alerts(session, settings, now)

    return after_save


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> AlertConfig:
    return load_alerts_config(path)


def check_alerts(session: Session, settings: Settings, now: datetime) -> list[int]:
    """Queue the alerts due now in the caller's transaction; return the new outbox ids."""
    config = alerts_config(settings)
    queued: list[int] = []
    for candidate in _flag_candidates(session, config, now) + _spike_candidates(
        session, config, now
    ):
        outbox_id = _queue(session, settings, config, candidate, now)
        if outbox_id is not None:
            queued.append(outbox_id)
    return queued


def _flag_candidates(session: Session, config: AlertConfig, now: datetime) -> list[Candidate]:
    rules = [r for r in config.rules if r.kind == "flag"]
    out: list[Candidate] = []
    for flag in q.flags_for_alerts(session, now - timedelta(hours=config.lookback_hours)):
        per_group: dict[str, list[Rule]] = {}
        for rule in (r for r in rules if flag_matches(r, flag)):
            for key in rule.groups:
                per_group.setdefault(key, []).append(rule)
        for key, matched in per_group.items():
            group = config.groups[key]
            if flag["status"] == "open" and not group.unreviewed:
                continue
            if not q.flag_alerted(session, key, flag["flag_id"]):
                out.append(Candidate(group, matched, flag=flag))
    return out


def flag_matches(rule: Rule, flag: dict[str, Any]) -> bool:
    """Whether a flag meets a flag rule's score, topic and source-kind conditions."""
    doc = flag["document"]
    return (
        flag["score"] >= rule.min_score
        and (not rule.topics or bool(set(rule.topics) & set(doc["topics"])))
        and (not rule.source_kinds or doc["source_kind"] in rule.source_kinds)
    )


def _spike_candidates(session: Session, config: AlertConfig, now: datetime) -> list[Candidate]:
    out: list[Candidate] = []
    for rule in (r for r in config.rules if r.kind == "velocity"):
        for story in q.story_velocity(session, now - timedelta(hours=rule.window_hours)):
            if story["documents"] < rule.min_documents or story["sources"] < rule.min_sources:
                continue
            story = dict(story, window_hours=rule.window_hours)
            out.extend(Candidate(config.groups[k], [rule], story=story) for k in rule.groups)
    return out


def _queue(
    session: Session, settings: Settings, config: AlertConfig, c: Candidate, now: datetime
) -> int | None:
    """Queue one alert unless the story is cooling down for this group; remember it."""
    flag_id = c.flag["flag_id"] if c.flag else None
    last = q.last_alert_at(session, c.group.key, story_id=c.story_id, flag_id=flag_id)
    cooldown = timedelta(hours=config.cooldown_hours)
    if last is not None and now - last < cooldown:
        return None
    update = last is not None
    if c.flag:
        dedup = f"alert:{c.group.key}:flag:{flag_id}"
    else:
        window = int(now.timestamp() // max(cooldown.total_seconds(), 60))
        dedup = f"alert:{c.group.key}:story:{c.story_id}:{window}"
    subject, text, html = render_alert(session, settings, c, update)
    outbox_id = enqueue(
        session, dedup_key=dedup, kind="alert", recipients=list(c.group.addresses),
        subject=subject, text=text, html=html, domain=settings.list_id,
        not_before=quiet_until(c.group, now, ZoneInfo(settings.timezone)), now=now,
    )  # fmt: skip
    if outbox_id is not None:
        session.add(m.AlertSent(group=c.group.key, story_id=c.story_id, flag_id=flag_id,
                                rule=",".join(r.name for r in c.rules)[:100],
                                outbox_id=outbox_id, sent_at=now))  # fmt: skip
        session.flush()
    return outbox_id


def quiet_until(group: Group, now: datetime, tz: ZoneInfo) -> datetime | None:
    """When the group's quiet hours end, if ``now`` falls inside them."""
    quiet = group.quiet_hours
    local = now.astimezone(tz)
    if quiet is None or not quiet.contains(local.time().replace(tzinfo=None)):
        return None
    end = datetime.combine(local.date(), quiet.end, tz)
    return end if end > local else end + timedelta(days=1)


def render_alert(
    session: Session, settings: Settings, c: Candidate, update: bool
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one alert (crawled text cleaned and escaped)."""
    context: dict[str, Any] = {
        "group": c.group, "rules": c.rules, "update": update, "flag": c.flag, "story": c.story,
        "tz": settings.timezone, "review_base": settings.review_base_url.rstrip("/"),
        "severity": severity(c.flag["score"])[1] if c.flag else "",
        "documents": q.story_documents(session, c.story["story_id"]) if c.story else [],
    }  # fmt: skip
    return _subject(c, update), render("alert.txt", **context), render("alert.html", **context)


def _subject(c: Candidate, update: bool) -> str:
    prefix = "[PressWatch] " + ("Cập nhật cảnh báo" if update else "Cảnh báo")
    if c.flag:
        title = clean_text(strip_header(c.flag["document"]["title"]), 120)
        state = "đã xác nhận" if c.flag["status"] == "confirmed" else "chưa xem xét"
        score = f"{c.flag['score']:.2f}".replace(".", ",")
        return strip_header(f"{prefix} tin nghi sai lệch ({state}, điểm {score}): {title}")
    assert c.story is not None
    title = clean_text(strip_header(str(c.story["title"])), 120)
    return strip_header(f"{prefix} tin lan truyền nhanh ({c.story['documents']} bài): {title}")
