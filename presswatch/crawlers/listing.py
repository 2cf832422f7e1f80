"""Fetch: what a source's own page (feed, sitemap, listing, channel) yields, by source kind.

Each parser is a pure function of the fetched bytes: no network, no database, so every format
is tested with fixture files. The Scrapy spider only moves bytes and calls ``parse_listing``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from presswatch.document import Document
from presswatch.sources import SourceConfig


@dataclass(slots=True)
class Link:
    """An article to fetch, with what the listing already told about it."""

    url: str
    title: str = ""
    published_at: datetime | None = None
    summary: str = ""
    author: str = ""


@dataclass(slots=True)
class ListingResult:
    """Links to fetch, ready documents (posts), further pages of the listing, and errors."""

    links: list[Link] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)
    cursor: str = ""  # paging state to remember for the next poll


Parser = Callable[[SourceConfig, str, bytes], ListingResult]
_PARSERS: dict[str, Parser] = {}


def register(*kinds: str) -> Callable[[Parser], Parser]:
    """Register a parser for one or more source kinds."""

    def wrap(func: Parser) -> Parser:
        for kind in kinds:
            _PARSERS[kind] = func
        return func

    return wrap


def parse_listing(source: SourceConfig, url: str, body: bytes, **_: Any) -> ListingResult:
    """Parse a source page according to the source's kind."""
    _load_parsers()
    parser = _PARSERS.get(source.kind)
    if parser is None:
        return ListingResult(errors=[("unsupported_kind", f"no parser for kind {source.kind!r}")])
    return parser(source, url, body)


def _load_parsers() -> None:
    # Imported here so each parser module registers itself; they import this module.
    import importlib

    for name in ("feeds", "sitemaps", "sites", "social", "claimreview"):
        try:
            importlib.import_module(f"presswatch.crawlers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"presswatch.crawlers.{name}":
                raise
