"""Delivery: the daily digest — flagged items awaiting review, then the day's coverage.

The digest of day D lists every flag still awaiting review (grouped by topic, then severity) and
the documents about the region collected on D (office time), with counts by topic, tone and
source kind. It is stored as ``data_dir/digests/YYYY-MM-DD.html``, recorded in ``digests`` and
e-mailed once: building D again refreshes the page but queues no second e-mail. A digest built
before D has ended is a preview, e-mailed at most once under its own key, so the complete digest
still goes out the next morning.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from presswatch.redact import strip_header
from presswatch.reports.mail import enqueue
from presswatch.reports.render import SEVERITIES, render, severity, vn_date
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage import queries as q
from presswatch.storage.db import transaction
from presswatch.storage.models import utcnow

FLAGS_SHOWN = 100
DOCUMENTS_SHOWN = 300


@dataclass(frozen=True, slots=True)
class DigestResult:
    """What building one digest produced."""

    day: date
    path: Path
    outbox_id: int | None  # None when this digest had been queued before
    partial: bool
    counts: dict[str, Any]


def office_day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in office time, as aware datetimes."""
    start = datetime.combine(day, time(0), tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), tz)


def previous_office_day(now: datetime, tz: ZoneInfo) -> date:
    """Yesterday in office time: the day the morning digest reports."""
    return now.astimezone(tz).date() - timedelta(days=1)


def build_digest(
    engine: Engine, settings: Settings, day: date | None = None, now: datetime | None = None
) -> DigestResult:
    """Build, store and queue the digest of ``day`` (default: yesterday, office time)."""
    now = now or utcnow()
    tz = ZoneInfo(settings.timezone)
    day = day or previous_office_day(now, tz)
    start, end = office_day_window(day, tz)
    partial = now < end
    with transaction(engine) as session:
        context = digest_context(session, settings, day, start, end, now)
        context["partial"] = partial
        html, text = render("digest.html", **context), render("digest.txt", **context)
        path = _write_page(settings.path("data_dir") / "digests", day, html)
        counts = dict(context["counts"], flags_open=context["flags_open"], partial=partial)
        _record(session, day, path, counts)
        outbox_id = enqueue(
            session,
            dedup_key=f"digest:{day.isoformat()}" + (":partial" if partial else ""),
            kind="digest",
            recipients=list(settings.digest_recipients),
            subject=_subject(day, context, partial),
            text=text,
            html=html,
            domain=settings.list_id,
            now=now,
        )
    return DigestResult(day, path, outbox_id, partial, counts)


def digest_context(
    session: Session, settings: Settings, day: date, start: datetime, end: datetime,
    now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """Everything the digest templates show, read through the named queries."""
    flags = q.flags_awaiting_review(session, limit=FLAGS_SHOWN)
    return {
        "day": day, "start": start, "end": end, "built_at": now, "tz": settings.timezone,
        "review_base": settings.review_base_url.rstrip("/"),
        "flags_open": q.count_flags_awaiting_review(session), "flags_shown": len(flags),
        "flag_groups": group_flags(flags),
        "documents": q.documents_collected(session, start, end, limit=DOCUMENTS_SHOWN),
        "counts": q.coverage_counts(session, start, end),
    }  # fmt: skip


def group_flags(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flags by main topic (strongest group first), then by severity band, highest score first."""
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for flag in flags:
        topics = flag["document"]["topics"]
        by_topic.setdefault(topics[0] if topics else "", []).append(flag)
    groups = []
    for topic, items in by_topic.items():
        bands = []
        for key, name, _ in SEVERITIES:
            band = [f for f in items if severity(f["score"])[0] == key]
            if band:
                band.sort(key=lambda f: (-f["score"], f["flag_id"]))
                bands.append({"key": key, "label": name, "items": band})
        top = max(f["score"] for f in items)
        groups.append({"topic": topic, "count": len(items), "bands": bands, "top": top})
    groups.sort(key=lambda g: (-g["top"], g["topic"]))
    return groups


def _subject(day: date, context: dict[str, Any], partial: bool) -> str:
    prefix = "[PressWatch] Bản tin tạm" if partial else "[PressWatch] Bản tin"
    return strip_header(
        f"{prefix} ngày {vn_date(day)}: {context['flags_open']} tin chờ xem xét, "
        f"{context['counts']['total']} bài về địa bàn"
    )


def _write_page(folder: Path, day: date, html: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day.isoformat()}.html"
    tmp = folder / f".{path.name}.tmp"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _record(session: Session, day: date, path: Path, counts: dict[str, Any]) -> None:
    row = session.scalar(select(m.Digest).where(m.Digest.day == day))
    if row is None:
        row = m.Digest(day=day)
        session.add(row)
    row.path, row.counts, row.created_at = str(path), counts, utcnow()
    session.flush()
