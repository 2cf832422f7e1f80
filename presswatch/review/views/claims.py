"""Review desk: the claim base — known false claims, verified facts, press releases."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from presswatch.errors import InputError
from presswatch.review.actions import ClaimInput, create_claim, update_claim
from presswatch.review.labels import CLAIM_KINDS
from presswatch.review.views.queue import parse_day
from presswatch.review.web import (
    PAGE_SIZE,
    CurrentUser,
    db,
    desk,
    flash,
    page_number,
    query_url,
    redirect,
    render,
    require_analyst,
    require_viewer,
)
from presswatch.storage import models as m
from presswatch.storage import queries
from presswatch.storage.db import transaction

router = APIRouter()
FIELDS = ("kind", "title", "text", "correction", "subject", "value", "source_url", "keywords")
MAX_FIELD = 20_000


@router.get("/claims")
def claims(
    request: Request,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
    kind: str = "",
    q: str = "",
) -> Response:
    """The claim base, filtered by kind and a text search."""
    kind = kind if kind in CLAIM_KINDS else ""
    page = page_number(request.query_params.get("page"))
    rows, total = queries.claims_page(
        session, kind=kind, search=q[:200], limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    params = {"kind": kind, "q": q[:200]}
    return render(
        request,
        "claims.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        params=params,
        page_url=lambda n: query_url("/claims", params, page=n),
    )


@router.get("/claims/new")
def new_claim_form(
    request: Request, _user: Annotated[CurrentUser, Depends(require_analyst)]
) -> Response:
    """An empty claim form."""
    values = {key: "" for key in FIELDS} | {"kind": "false_claim", "active": True, "date": ""}
    return render(request, "claim_form.html", claim_id=None, values=values, error="")


async def form_values(request: Request) -> dict[str, Any]:
    """The claim form's fields as submitted (bounded in size)."""
    form = await request.form()
    values: dict[str, Any] = {}
    for key in (*FIELDS, "date"):
        raw = form.get(key, "")
        values[key] = raw[:MAX_FIELD] if isinstance(raw, str) else ""
    values["active"] = form.get("active") == "1"
    return values


FormValues = Annotated[dict[str, Any], Depends(form_values)]


@router.post("/claims/new")
def new_claim(
    request: Request, user: Annotated[CurrentUser, Depends(require_analyst)], values: FormValues
) -> Response:
    """Add a claim-base entry."""
    try:
        data = _claim_input(values, desk(request).settings.timezone)
        with transaction(desk(request).engine) as session:
            claim = create_claim(session, data, user.username)
    except InputError as exc:
        return _form_again(request, None, values, exc)
    flash(request, f"Đã thêm mục #{claim.id} vào kho đối chiếu.")
    return redirect(f"/claims/{claim.id}")


@router.get("/claims/{claim_id}")
def edit_claim_form(
    request: Request,
    claim_id: int,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
) -> Response:
    """A claim-base entry (editable by analysts)."""
    claim = session.get(m.Claim, claim_id)
    if claim is None:
        raise HTTPException(404)
    values: dict[str, Any] = {key: getattr(claim, key) for key in FIELDS if key != "keywords"}
    values |= {
        "keywords": ", ".join(str(k) for k in claim.keywords),
        "active": claim.active,
        "date": _office_date(claim.published_at, desk(request).settings.timezone),
    }
    return render(request, "claim_form.html", claim_id=claim_id, values=values, error="")


@router.post("/claims/{claim_id}")
def edit_claim(
    request: Request,
    claim_id: int,
    user: Annotated[CurrentUser, Depends(require_analyst)],
    values: FormValues,
) -> Response:
    """Save changes to a claim-base entry."""
    try:
        data = _claim_input(values, desk(request).settings.timezone)
        with transaction(desk(request).engine) as session:
            update_claim(session, claim_id, data, user.username)
    except InputError as exc:
        return _form_again(request, claim_id, values, exc)
    flash(request, f"Đã lưu mục #{claim_id}.")
    return redirect(f"/claims/{claim_id}")


def _claim_input(values: dict[str, Any], timezone: str) -> ClaimInput:
    day = parse_day(values["date"])
    if values["date"].strip() and day is None:
        raise InputError("ngày công bố phải có dạng năm-tháng-ngày")
    when = datetime.combine(day, time(12), tzinfo=ZoneInfo(timezone)) if day else None
    return ClaimInput(
        kind=values["kind"],
        text=values["text"],
        title=values["title"],
        correction=values["correction"],
        subject=values["subject"],
        value=values["value"],
        source_url=values["source_url"],
        published_at=when,
        keywords=tuple(values["keywords"].split(",")),
        active=values["active"],
    )


def _office_date(value: datetime | None, timezone: str) -> str:
    return value.astimezone(ZoneInfo(timezone)).date().isoformat() if value else ""


ERRORS_VI = {
    "a claim needs its text": "Hãy nhập nội dung.",
    "the same claim is already in the claim base": "Kho đối chiếu đã có mục giống hệt.",
}


def _form_again(
    request: Request, claim_id: int | None, values: dict[str, Any], exc: InputError
) -> Response:
    message = str(exc)
    if message.startswith("source link"):
        message = "Đường dẫn nguồn phải bắt đầu bằng http:// hoặc https://."
    elif message.startswith("unknown claim kind"):
        message = "Hãy chọn loại mục."
    error = ERRORS_VI.get(message, message)
    return render(request, "claim_form.html", 400, claim_id=claim_id, values=values, error=error)
