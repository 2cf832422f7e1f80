"""Review desk: a document with its evidence highlighted, its story, and the decision form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from presswatch.errors import InputError
from presswatch.reports.alerts import check_alerts
from presswatch.review.actions import StaleDecision, correct_labels, decide
from presswatch.review.highlight import evidence_claim_ids, highlight_evidence
from presswatch.review.labels import DECISIONS
from presswatch.review.web import (
    CurrentUser,
    db,
    desk,
    flash,
    local_path,
    redirect,
    render,
    require_analyst,
    require_viewer,
)
from presswatch.storage import models as m
from presswatch.storage import queries
from presswatch.storage.db import transaction
from presswatch.storage.models import utcnow

router = APIRouter()


@router.get("/documents/{document_id}")
def document_page(
    request: Request,
    document_id: int,
    _user: Annotated[CurrentUser, Depends(require_viewer)],
    session: Annotated[Session, Depends(db)],
    back: str = "",
) -> Response:
    """Title, source, times, text with evidence marked, signals, claims, story, decision form."""
    found = queries.review_document(session, document_id)
    if found is None:
        raise HTTPException(404)
    doc: m.Document = found["document"]
    evidences = _evidences(found["flag"], found["signals"])
    body, marks = highlight_evidence(doc.text, evidences)
    title, _ = highlight_evidence(doc.title, evidences, offsets=False)
    claim_ids = [cid for evidence in evidences for cid in evidence_claim_ids(evidence)]
    story = found["story"]
    return render(
        request,
        "document.html",
        **found,
        body=body,
        title_html=title,
        marks=marks,
        claims=queries.claims_by_ids(session, list(dict.fromkeys(claim_ids))),
        timeline=queries.story_timeline(session, story.id) if story else [],
        topics=[t for t in found["tags"] if t.kind == "topic"],
        back=local_path(back, "/queue") if back.startswith("/queue") else "/queue",
    )


def _evidences(flag: m.Flag | None, signals: list[m.FlagSignal]) -> list[Any]:
    """The evidence structures of a flag and of each of its signals."""
    return ([flag.evidence] if flag is not None else []) + [s.evidence for s in signals]


@router.post("/documents/{document_id}/decision")
def decision(
    request: Request,
    document_id: int,
    user: Annotated[CurrentUser, Depends(require_analyst)],
    decision: Annotated[str, Form()] = "",
    reason_code: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    flag_status: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """Record confirm or dismiss with its reason; the item leaves the queue."""
    here = f"/documents/{document_id}"
    try:
        with transaction(desk(request).engine) as session:
            flag_id = session.scalar(select(m.Flag.id).where(m.Flag.document_id == document_id))
            if flag_id is None:
                raise HTTPException(404)
            decide(
                session, flag_id, decision, reason_code, note, user.username, flag_status or None
            )
            # A confirmed flag may now alert the groups outside the analysts' team: queue the
            # e-mails in the decision's own transaction.
            check_alerts(session, desk(request).settings, utcnow())
    except StaleDecision:
        flash(
            request, "Mục này vừa được người khác quyết định. Hãy xem lại trước khi đổi.", "error"
        )
        return redirect(here)
    except InputError:
        flash(request, "Hãy chọn quyết định và một lý do phù hợp.", "error")
        return redirect(here)
    flash(request, f"Đã ghi quyết định «{DECISIONS[decision]}» cho tin #{document_id}.")
    return redirect(local_path(back, "/queue") if back.startswith("/queue") else "/queue")


@router.post("/documents/{document_id}/labels")
def labels(
    request: Request,
    document_id: int,
    user: Annotated[CurrentUser, Depends(require_analyst)],
    relevance: Annotated[int, Form()] = -1,
    topics: Annotated[list[str] | None, Form()] = None,
    tone: Annotated[str, Form()] = "",
) -> Response:
    """Keep the analyst's relevance, topics and tone for a document (training data)."""
    here = f"/documents/{document_id}"
    try:
        with transaction(desk(request).engine) as session:
            if session.get(m.Document, document_id) is None:
                raise HTTPException(404)
            correct_labels(session, document_id, relevance, topics or [], tone, user.username)
    except InputError:
        flash(request, "Hãy chọn mức liên quan và sắc thái.", "error")
        return redirect(here)
    flash(request, f"Đã lưu nhãn của cán bộ cho tin #{document_id}.")
    return redirect(here)
