"""Extraction hints: built-in per-outlet content selectors, used when config gives none."""

from __future__ import annotations

from urllib.parse import urlsplit

from presswatch.sources import ExtractHints

#: Hints for outlets we have real pages of, keyed by registered domain (no "www.").
DEFAULT_HINTS: dict[str, ExtractHints] = {}


def hints_for(url: str) -> ExtractHints | None:
    """The built-in hints for a URL's domain or one of its parent domains, else None."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    while host:
        if host in DEFAULT_HINTS:
            return DEFAULT_HINTS[host]
        _, _, host = host.partition(".")
    return None
