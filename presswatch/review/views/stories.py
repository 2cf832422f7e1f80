"""Review desk: stories — the same content across sources, and each story's timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from presswatch.review.web import (
    PAGE_SIZE,
    CurrentUser,
    db,
    page_number,
    query_url,
    render,
    require_viewer,
)
from presswatch.storage import models as m
from presswatch.storage import queries

router = APIRouter()


@router.get("/stories")
def stories(
    request: Request,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
    flagged: str = "",
) -> Response:
    """Stories, most recently active first (optionally only those with flagged documents)."""
    page = page_number(request.query_params.get("page"))
    flagged_only = flagged == "1"
    rows, total = queries.stories_page(
        session, flagged_only=flagged_only, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    params = {"flagged": "1" if flagged_only else ""}
    return render(
        request,
        "stories.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        flagged_only=flagged_only,
        page_url=lambda n: query_url("/stories", params, page=n),
    )


@router.get("/stories/{story_id}")
def story(
    request: Request,
    story_id: int,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
) -> Response:
    """One story: where it appeared first and its timeline across sources."""
    row = session.get(m.Story, story_id)
    if row is None:
        raise HTTPException(404)
    timeline = queries.story_timeline(session, story_id)
    first = session.get(m.Source, row.first_source_id) if row.first_source_id else None
    return render(request, "story.html", story=row, timeline=timeline, first_source=first)
