"""Claims: a claim-base entry as plain values, the form the matchers and importers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

CLAIM_KINDS = ("false_claim", "fact", "press_release")
#: Dates written without a zone are read in office time (the claim bases are Vietnamese).
OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def parse_when(text: str) -> datetime | None:
    """An ISO 8601 date or time ("2025-10-05", "2025-10-05T08:00:00+07:00"); None if not one."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=OFFICE_TZ)


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    """One entry of the claim base: a known false claim, a verified fact or a press release."""

    kind: str
    text: str
    id: int = 0  # database id; 0 until stored
    title: str = ""
    correction: str = ""
    subject: str = ""
    value: str = ""
    source_url: str = ""
    published_at: datetime | None = None
    keywords: tuple[str, ...] = ()
    active: bool = True
    origin: dict[str, Any] = field(default_factory=dict, compare=False)  # e.g. ClaimReview rating

    def values(self) -> dict[str, Any]:
        """Column values of the claims table (without id and fingerprint)."""
        return {
            "kind": self.kind, "text": self.text, "title": self.title,
            "correction": self.correction, "subject": self.subject, "value": self.value,
            "source_url": self.source_url, "published_at": self.published_at,
            "keywords": list(self.keywords), "active": self.active,
        }  # fmt: skip
