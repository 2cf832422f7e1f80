"""Fetch: official debunk and announcement pages with schema.org ClaimReview markup.

A page that carries ClaimReview markup becomes one document — the page's text, collected like
any article — with the reviewed claims in ``extra["claimreview"]``; processing stores them in
the claim base (``presswatch.claims.base.store_claimreview_documents``). Any other page is a
listing: its same-site links that match the source's ``follow`` pattern are read with this
parser too (as further pages of the source), so the markup of the pages they lead to is seen.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from presswatch.claims.claimreview import parse_claimreviews
from presswatch.claims.records import ClaimEntry
from presswatch.crawlers.extract import extract
from presswatch.crawlers.listing import ListingResult, register
from presswatch.crawlers.urls import canonicalize, choose_canonical, same_site
from presswatch.document import Document
from presswatch.errors import ExtractionError
from presswatch.sources import SourceConfig

MAX_LINKS = 100


@register("claimreview")
def parse_claimreview_page(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """A reviewed page as a document with its claims, or a listing's links to such pages."""
    claims = parse_claimreviews(body, url)
    if claims:
        return ListingResult(documents=[_document(source, url, body, claims)])
    return _listing(source, url, body)


def _document(source: SourceConfig, url: str, body: bytes, claims: list[ClaimEntry]) -> Document:
    hints = source.extract if source.extract.content_selector else None
    try:
        page = extract(body, url=url, hints=hints)
        title, text, published, canonical = (
            page.title,
            page.text,
            page.published_at,
            page.canonical_url,
        )
    except ExtractionError:  # the markup alone is worth keeping
        title, published, canonical = claims[0].title, claims[0].published_at, ""
        text = "\n".join(f"{c.text}\n{c.correction}".strip() for c in claims)
    return Document(
        url=url, source=source.key, source_kind=source.source_kind, title=title, text=text,
        published_at=published, fetched_at=datetime.now(UTC),
        canonical_url=choose_canonical(url, canonical) if canonical else canonicalize(url),
        extra={"claimreview": [claim_json(c) for c in claims]},
    )  # fmt: skip


def claim_json(claim: ClaimEntry) -> dict[str, object]:
    """A claim as stored in a document's extra (JSON-ready)."""
    values = claim.values()
    values["published_at"] = claim.published_at.isoformat() if claim.published_at else ""
    values["origin"] = dict(claim.origin)
    return values


def _listing(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    result = ListingResult()
    try:
        tree = lxml.html.fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        result.errors.append(("malformed_listing", f"{url}: {exc}"))
        return result
    follow = re.compile(source.follow) if source.follow else None
    seen: set[str] = set()
    for anchor in tree.iterfind(".//a[@href]"):
        href = urljoin(url, str(anchor.get("href", "")).strip()).split("#", 1)[0]
        if urlsplit(href).scheme not in ("http", "https") or not same_site(href, url):
            continue
        if href in seen or href == url or (follow is not None and not follow.search(href)):
            continue
        seen.add(href)
        result.next_pages.append(href)
        if len(seen) >= MAX_LINKS:
            break
    return result
