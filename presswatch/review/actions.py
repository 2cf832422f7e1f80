"""Review desk: the writes analysts make — decisions on flags, label corrections, claim edits."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from presswatch.errors import InputError
from presswatch.review.accounts import audit
from presswatch.review.labels import CLAIM_KINDS, REASONS, TONES, TOPICS
from presswatch.storage import models as m
from presswatch.storage.models import utcnow

NOTE_MAX = 4000
STATUS_AFTER = {"confirm": "confirmed", "dismiss": "dismissed"}


class StaleDecision(InputError):
    """The flag changed since the analyst opened it (someone else decided first)."""


def decide(
    session: Session,
    flag_id: int,
    decision: str,
    reason_code: str,
    note: str,
    actor: str,
    expected_status: str | None = None,
) -> m.Review:
    """Record a decision: review row, the flag's new status and audit row, in one transaction."""
    if decision not in STATUS_AFTER:
        raise InputError(f"unknown decision {decision!r}; choose confirm or dismiss")
    if reason_code not in REASONS[decision]:
        raise InputError(f"reason {reason_code!r} does not fit decision {decision!r}")
    note = note.strip()[:NOTE_MAX]
    flag = session.get(m.Flag, flag_id, with_for_update=True)
    if flag is None:
        raise InputError(f"no flag #{flag_id}")
    if expected_status is not None and flag.status != expected_status:
        raise StaleDecision(f"flag #{flag_id} is now {flag.status!r}, not {expected_status!r}")
    now = utcnow()
    review = m.Review(
        flag_id=flag_id, decision=decision, reason_code=reason_code, note=note,
        reviewer=actor, decided_at=now,
    )  # fmt: skip
    session.add(review)
    previous, flag.status, flag.updated_at = flag.status, STATUS_AFTER[decision], now
    audit(
        session, actor, f"flag.{decision}", f"flag:{flag_id}", document_id=flag.document_id,
        reason_code=reason_code, note=note, previous_status=previous,
    )  # fmt: skip
    session.flush()
    return review


def correct_labels(
    session: Session, document_id: int, relevance: int, topics: list[str], tone: str, actor: str
) -> m.LabelCorrection:
    """Record an analyst's labels for a document, with an audit row, in one transaction.

    The document's own tags stay as the models set them (they are what was shown and alerted
    on); the correction is kept beside them and becomes training data.
    """
    if relevance not in (0, 1, 2):
        raise InputError(f"relevance {relevance!r} is not 0, 1 or 2")
    if tone not in TONES:
        raise InputError(f"unknown tone {tone!r}")
    unknown = sorted(set(topics) - set(TOPICS))
    if unknown:
        raise InputError(f"unknown topics {', '.join(unknown)}")
    doc = session.get(m.Document, document_id)
    if doc is None:
        raise InputError(f"no document #{document_id}")
    chosen = [t for t in TOPICS if t in topics]  # the fixed order, no repeats
    correction = m.LabelCorrection(
        document_id=document_id, relevance=relevance, topics=chosen, tone=tone, reviewer=actor,
    )  # fmt: skip
    session.add(correction)
    audit(
        session, actor, "labels.correct", f"document:{document_id}", document_id=document_id,
        relevance=relevance, topics=chosen, tone=tone,
        model_relevance=doc.relevance, model_tone=doc.tone,
    )  # fmt: skip
    session.flush()
    return correction


@dataclass(slots=True)
class ClaimInput:
    """The editable fields of a claim-base entry, as an analyst submits them."""

    kind: str
    text: str
    title: str = ""
    correction: str = ""
    subject: str = ""
    value: str = ""
    source_url: str = ""
    published_at: datetime | None = None
    keywords: tuple[str, ...] = ()
    active: bool = True

    def validate(self) -> None:
        """Raise InputError naming the first invalid field."""
        if self.kind not in CLAIM_KINDS:
            raise InputError(f"unknown claim kind {self.kind!r}; one of {', '.join(CLAIM_KINDS)}")
        if not self.text.strip():
            raise InputError("a claim needs its text")
        url = self.source_url.strip()
        if url and not url.lower().startswith(("http://", "https://")):
            raise InputError(f"source link {url!r} must start with http:// or https://")

    def as_values(self) -> dict[str, Any]:
        """Column values, with text fields trimmed and keywords as a list."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, value in values.items():
            if isinstance(value, str):
                values[key] = value.strip()
        values["keywords"] = [k.strip() for k in self.keywords if k.strip()]
        return values


def claim_fingerprint(kind: str, text: str) -> str:
    """Identity of a claim for idempotent imports: kind plus its normalised text."""
    norm = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha256(f"{kind}\n{norm}".encode()).hexdigest()


def create_claim(session: Session, data: ClaimInput, actor: str) -> m.Claim:
    """Add a claim-base entry; raise InputError when the same claim already exists."""
    data.validate()
    values = data.as_values()
    fingerprint = claim_fingerprint(data.kind, values["text"])
    if session.scalars(select(m.Claim.id).where(m.Claim.fingerprint == fingerprint)).first():
        raise InputError("the same claim is already in the claim base")
    claim = m.Claim(fingerprint=fingerprint, **values)
    session.add(claim)
    session.flush()
    audit(session, actor, "claim.create", f"claim:{claim.id}", kind=data.kind, text=values["text"])
    return claim


def update_claim(session: Session, claim_id: int, data: ClaimInput, actor: str) -> m.Claim:
    """Change a claim-base entry, auditing each changed field before and after."""
    data.validate()
    claim = session.get(m.Claim, claim_id, with_for_update=True)
    if claim is None:
        raise InputError(f"no claim #{claim_id}")
    changes: dict[str, Any] = {}
    for key, value in data.as_values().items():
        before = getattr(claim, key)
        if before != value:
            changes[key] = {"before": _jsonable(before), "after": _jsonable(value)}
            setattr(claim, key, value)
    if changes:
        claim.updated_at = utcnow()
        audit(session, actor, "claim.update", f"claim:{claim_id}", changes=changes)
    return claim


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
