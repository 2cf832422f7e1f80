"""Review desk: source health — last fetch, errors, latency from publication to collection."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from presswatch.review.web import CurrentUser, db, render, require_viewer
from presswatch.storage import queries
from presswatch.storage.models import utcnow

router = APIRouter()
LATENCY_DAYS = 30
ERROR_DAYS = 7


@router.get("/sources")
def sources(
    request: Request,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
) -> Response:
    """Every configured source with its health."""
    now = utcnow()
    return render(
        request,
        "sources.html",
        rows=queries.source_health(session),
        latency=queries.source_latency(session, now - timedelta(days=LATENCY_DAYS)),
        errors=queries.source_error_counts(session, now - timedelta(days=ERROR_DAYS)),
        latency_days=LATENCY_DAYS,
        error_days=ERROR_DAYS,
    )
