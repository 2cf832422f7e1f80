"""Review desk: the review queue — flagged documents by score and age, filtered and searched."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from presswatch.review import labels
from presswatch.review.web import (
    PAGE_SIZE,
    CurrentUser,
    db,
    desk,
    page_number,
    query_url,
    render,
    require_viewer,
)
from presswatch.storage import queries
from presswatch.storage.queries import ReviewFilter

router = APIRouter()
FILTER_KEYS = ("status", "topic", "source", "kind", "tone", "from", "to", "q", "sort")


def parse_day(raw: str) -> date | None:
    """A YYYY-MM-DD value from a date input, or None."""
    try:
        return date.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        return None


def office_start(day: date | None, zone: ZoneInfo) -> datetime | None:
    """The first instant of an office-time day."""
    return datetime.combine(day, time.min, tzinfo=zone) if day else None


def review_filter(params: dict[str, str], timezone: str) -> ReviewFilter:
    """The queue filter from query parameters; unknown values are ignored, not trusted."""
    zone = ZoneInfo(timezone)
    status = params.get("status", "open")
    source = params.get("source", "")
    until_day = parse_day(params.get("to", ""))
    return ReviewFilter(
        status=status if status in labels.STATUSES else "open",
        topic=params.get("topic", "")[:100],
        source_id=int(source) if source.isdigit() else None,
        source_kind=_known(params.get("kind", ""), labels.SOURCE_KINDS),
        tone=_known(params.get("tone", ""), labels.TONES),
        since=office_start(parse_day(params.get("from", "")), zone),
        until=office_start(until_day + timedelta(days=1), zone) if until_day else None,
        search=params.get("q", "")[:300],
        sort=params.get("sort", "score"),
    )


def _known(value: str, table: dict[str, str]) -> str:
    return value if value in table else ""


@router.get("/queue")
def queue(
    request: Request,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
) -> Response:
    """The queue page: one page of flags and the filter form."""
    params = {k: v for k, v in request.query_params.items() if k in FILTER_KEYS}
    flt = review_filter(params, desk(request).settings.timezone)
    page = page_number(request.query_params.get("page"))
    rows = queries.review_queue(session, flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total = queries.review_queue_count(session, flt)
    return render(
        request,
        "queue.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        params=params,
        flt=flt,
        facets=queries.review_facets(session),
        page_url=lambda n: query_url("/queue", params, page=n),
        back=query_url("/queue", params, page=page if page > 1 else None),
    )
