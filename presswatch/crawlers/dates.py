"""Fetch: date strings from feeds, sitemaps and pages, read as timezone-aware times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

#: Vietnamese outlets that give no zone mean Vietnam time.
VIETNAM = timezone(timedelta(hours=7))


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 date or date-time; naive values are taken as Vietnam time."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)
