"""Claims: import and export of the claim base (JSON, CSV, ClaimReview pages), idempotent.

An entry's identity is its fingerprint — kind plus normalised text, the same function the review
desk uses — so importing a file twice adds nothing, and a re-import only fills in fields that
changed. An analyst's choices win: a re-import never re-activates an entry someone switched off
and never blanks a field with an empty value.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from presswatch.claims.claimreview import parse_claimreviews
from presswatch.claims.records import CLAIM_KINDS, ClaimEntry, parse_when
from presswatch.errors import InputError
from presswatch.storage import models as m
from presswatch.storage.models import utcnow

log = logging.getLogger(__name__)
FORMATS = ("json", "csv", "claimreview")
TEXT_KEYS = ("claim", "statement", "text", "claimReviewed")
EXPORT_FIELDS = (
    "id", "kind", "text", "title", "correction", "subject", "value", "source_url",
    "published_at", "keywords", "active",
)  # fmt: skip
_DATE_TOKEN = re.compile(r"\{\{DATE:([^}]*)\}\}")
MAX_FIELD = 20_000


@dataclass(slots=True)
class ImportSummary:
    """What an import did."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.created)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} already present"
        )


def fill_placeholders(text: str, base_url: str = "", now: datetime | None = None) -> str:
    """Replace the demo's ``{{BASE}}`` and ``{{DATE:-8d-1h}}`` placeholders."""
    if "{{BASE}}" in text and not base_url:
        raise InputError("the file's URLs start with {{BASE}}: give the base URL (--base-url)")
    text = text.replace("{{BASE}}", base_url.rstrip("/"))
    if now is None or "{{DATE:" not in text:
        return text
    from presswatch.demo.server import parse_offset

    return _DATE_TOKEN.sub(lambda mt: (now + parse_offset(mt.group(1))).isoformat(), text)


def read_claims(
    path: Path, fmt: str | None = None, base_url: str = "", now: datetime | None = None
) -> list[ClaimEntry]:
    """Read a claims file; the format comes from ``fmt`` or the file's extension."""
    fmt = fmt or _format_of(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return parse_claims(raw, fmt, base_url=base_url, now=now, name=str(path))


def parse_claims(
    raw: bytes | str,
    fmt: str,
    *,
    base_url: str = "",
    now: datetime | None = None,
    name: str = "input",
) -> list[ClaimEntry]:
    """Claim-base entries from JSON, CSV or a page with ClaimReview markup."""
    text = raw.decode("utf-8-sig", errors="replace") if isinstance(raw, bytes) else raw
    text = fill_placeholders(text, base_url, now)
    if fmt == "claimreview":
        return parse_claimreviews(text)
    if fmt == "json":
        return _from_json(text, name)
    if fmt == "csv":
        rows = csv.DictReader(io.StringIO(text))
        return [entry_from_mapping(row, f"{name} line {i}") for i, row in enumerate(rows, 2)]
    raise InputError(f"unknown claims format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    formats = {".json": "json", ".csv": "csv", ".html": "claimreview", ".htm": "claimreview"}
    if suffix not in formats:
        raise InputError(
            f"cannot tell the format of {path.name}; give --format json|csv|claimreview"
        )
    return formats[suffix]


def _from_json(text: str, name: str) -> list[ClaimEntry]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{name}: not valid JSON: {exc}") from None
    if isinstance(data, dict):
        data = data.get("claims", [data])
    if not isinstance(data, list):
        raise InputError(f"{name}: expected a list of claims")
    return [entry_from_mapping(item, f"{name} entry {i}") for i, item in enumerate(data, 1)]


def entry_from_mapping(row: Any, where: str) -> ClaimEntry:
    """One entry from a JSON object or CSV row; InputError names the entry and field."""
    if not isinstance(row, Mapping):
        raise InputError(f"{where}: expected an object with kind and text")
    kind = _field(row, "kind") or "false_claim"
    if kind not in CLAIM_KINDS:
        raise InputError(f"{where}: kind {kind!r} is not one of {', '.join(CLAIM_KINDS)}")
    text = next((v for k in TEXT_KEYS if (v := _field(row, k))), "")
    if not text:
        raise InputError(f"{where}: no claim text (give one of {', '.join(TEXT_KEYS[:3])})")
    url = _field(row, "source_url") or _field(row, "url")
    if url and not url.lower().startswith(("http://", "https://")):
        raise InputError(f"{where}: source_url {url!r} must start with http:// or https://")
    published = _field(row, "published_at")
    when = parse_when(published) if published else None
    if published and when is None:
        raise InputError(f"{where}: published_at {published!r} is not an ISO 8601 date")
    return ClaimEntry(
        kind=kind, text=text, title=_field(row, "title"), correction=_field(row, "correction"),
        subject=_field(row, "subject"), value=_field(row, "value"), source_url=url,
        published_at=when, keywords=_keywords(row.get("keywords")),
        active=str(row.get("active", "true")).strip().lower() not in ("false", "0", "no", ""),
    )  # fmt: skip


def _field(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()[:MAX_FIELD]


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r"[;|]", value)
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(k for k in (str(v).strip()[:200] for v in value) if k))


def import_claims(
    session: Session, entries: Iterable[ClaimEntry], actor: str = "import"
) -> ImportSummary:
    """Add or refresh entries in the caller's transaction; one audit row for the import."""
    from presswatch.review.actions import claim_fingerprint

    summary = ImportSummary()
    for entry in entries:
        fingerprint = claim_fingerprint(entry.kind, entry.text)
        row = session.scalar(select(m.Claim).where(m.Claim.fingerprint == fingerprint))
        if row is None:
            row = m.Claim(fingerprint=fingerprint, **entry.values())
            session.add(row)
            session.flush()
            summary.created.append(row.id)
        elif _refresh(row, entry):
            summary.updated.append(row.id)
        else:
            summary.unchanged.append(row.id)
    if summary.created or summary.updated:
        detail = {"created": summary.created, "updated": summary.updated}
        session.add(m.AuditLog(actor=actor, action="claim.import", target="claims", detail=detail))
    return summary


def _refresh(row: m.Claim, entry: ClaimEntry) -> bool:
    """Copy the non-empty fields that changed; never touch ``active`` or a known date."""
    changed = False
    for key, value in entry.values().items():
        if key in ("active", "kind", "text") or value in ("", None, []):
            continue
        if key == "published_at" and row.published_at is not None:
            continue
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if changed:
        row.updated_at = utcnow()
    return changed


def to_entry(row: m.Claim) -> ClaimEntry:
    """The plain-value form of a stored claim."""
    return ClaimEntry(
        id=row.id, kind=row.kind, text=row.text, title=row.title, correction=row.correction,
        subject=row.subject, value=row.value, source_url=row.source_url,
        published_at=row.published_at, keywords=tuple(row.keywords or ()), active=row.active,
    )  # fmt: skip


def export_rows(claims: Sequence[m.Claim]) -> list[dict[str, Any]]:
    """Claims as JSON-ready dicts, in the import format (so an export can be imported)."""
    rows = []
    for claim in claims:
        row = {key: getattr(claim, key) for key in EXPORT_FIELDS}
        row["published_at"] = claim.published_at.isoformat() if claim.published_at else ""
        row["keywords"] = list(claim.keywords or [])
        rows.append(row)
    return rows


def export_text(claims: Sequence[m.Claim], fmt: str) -> str:
    """The claims as a JSON or CSV document."""
    rows = export_rows(claims)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise InputError(f"cannot export as {fmt!r}; choose json or csv")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row | {"keywords": ";".join(row["keywords"])})
    return out.getvalue()


def store_claimreview_documents(session: Session, outcomes: Sequence[Any], now: datetime) -> None:
    """After-save hook: claims that crawled ClaimReview pages carried go into the claim base."""
    for outcome in outcomes:
        doc = outcome.doc
        entries = []
        for i, raw in enumerate(doc.extra.get("claimreview") or [], 1):
            try:
                entries.append(entry_from_mapping(raw, f"{doc.url} claim {i}"))
            except InputError as exc:  # crawled markup is hostile: skip, never fail the batch
                log.warning("claim review skipped: %s", exc)
        if entries:
            import_claims(session, entries, actor=f"source:{doc.source}")
