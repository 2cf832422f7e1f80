"""Review desk: overview — volume of region coverage by topic and by tone over time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from presswatch.review import labels
from presswatch.review.charts import Series, stacked_bars
from presswatch.review.web import CurrentUser, db, desk, render, require_viewer
from presswatch.storage import queries

router = APIRouter()
RANGES = {7: "7 ngày", 30: "30 ngày", 90: "90 ngày", 365: "12 tháng"}
TONE_ORDER = ("negative", "neutral", "positive")


def buckets(first: date, last: date, weekly: bool) -> list[date]:
    """The bucket start days from ``first`` to ``last`` (days, or Monday-started weeks)."""
    if weekly:
        first -= timedelta(days=first.weekday())
    step = timedelta(days=7 if weekly else 1)
    out = []
    while first <= last:
        out.append(first)
        first += step
    return out


def bucket_series(
    counts: dict[tuple[str, str], int], starts: list[date], weekly: bool, order: list[str]
) -> list[Series]:
    """One series per label, summing daily counts into the buckets."""
    index = {start: i for i, start in enumerate(starts)}
    values = {name: [0] * len(starts) for name in order}
    for (day_text, name), n in counts.items():
        day = date.fromisoformat(day_text[:10])
        start = day - timedelta(days=day.weekday()) if weekly else day
        if start in index and name in values:
            values[name][index[start]] += n
    return [Series(name, values[name]) for name in order]


@router.get("/overview")
def overview(
    request: Request,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
    days: int = 30,
) -> Response:
    """Stacked bars of relevant documents per day (or week) by topic and by tone."""
    days = days if days in RANGES else 30
    zone = ZoneInfo(desk(request).settings.timezone)
    today = datetime.now(zone).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=zone)
    weekly = days > 31
    starts = buckets(first, today, weekly)
    names = [d.strftime("%d/%m") for d in starts]
    topic_counts = queries.volume_by_day(session, "topic", since, str(zone))
    tone_counts = queries.volume_by_day(session, "tone", since, str(zone))
    topic_order = sorted({label for _, label in topic_counts})
    topic_series = bucket_series(topic_counts, starts, weekly, topic_order)
    tone_series = bucket_series(tone_counts, starts, weekly, list(TONE_ORDER))
    unit = "tuần" if weekly else "ngày"
    return render(
        request,
        "overview.html",
        days=days,
        ranges=RANGES,
        topic_chart=stacked_bars(
            names,
            [Series(labels.label(labels.TOPICS, s.name), s.values) for s in topic_series],
            f"Số tin theo chủ đề mỗi {unit}",
        ),
        tone_chart=stacked_bars(
            names,
            [Series(labels.label(labels.TONES, s.name), s.values) for s in tone_series],
            f"Số tin theo sắc thái mỗi {unit}",
            palette="tones",
        ),
        topic_totals=[(s.name, sum(s.values)) for s in topic_series],
        tone_totals=[(s.name, sum(s.values)) for s in tone_series],
        unit=unit,
    )
