"""Fetch: RSS and Atom feed bodies parsed with feedparser (which never touches the network here)."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from presswatch.crawlers.listing import Link, ListingResult, register
from presswatch.sources import SourceConfig

#: feedparser's complaints about transport metadata, not about the feed itself.
BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@register("rss")
def parse_feed(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Links from an RSS/Atom feed; a malformed feed is reported and what was recovered kept."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    result = ListingResult()
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(exc, BENIGN):
        result.errors.append(("malformed_feed", f"{url}: {type(exc).__name__}: {exc}"))
    for entry in parsed.get("entries", []):
        link = entry_link(entry)
        if link:
            result.links.append(
                Link(
                    url=link,
                    title=str(entry.get("title", "")).strip(),
                    published_at=entry_time(entry),
                    summary=str(entry.get("summary", "")),
                )
            )
    if not parsed.get("entries") and not parsed.get("bozo") and not parsed.get("feed"):
        result.errors.append(("malformed_feed", f"{url}: not a feed"))
    return result


def entry_link(entry: Any) -> str:
    """The article link of a feed entry (the alternate link when several are given)."""
    link = entry.get("link")
    if link:
        return str(link).strip()
    for candidate in entry.get("links", []):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"]).strip()
    return ""


def entry_time(entry: Any) -> datetime | None:
    """The entry's publication (or update) time, timezone-aware."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value: time.struct_time | None = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None
