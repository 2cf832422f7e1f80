"""Fetch: XML sitemaps, sitemap indexes and Google News sitemaps (parsed safely, no network)."""

from __future__ import annotations

import gzip
import re
from datetime import datetime

from lxml import etree

from presswatch.crawlers.dates import parse_datetime
from presswatch.crawlers.listing import Link, ListingResult, register
from presswatch.sources import SourceConfig

MAX_UNCOMPRESSED = 50_000_000  # the sitemap protocol's own limit
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@register("sitemap")
def parse_sitemap(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Article links from a urlset, or child sitemaps (as next pages) from a sitemap index."""
    result = ListingResult()
    try:
        root = etree.fromstring(_gunzip(body), parser=_PARSER)
    except (etree.XMLSyntaxError, OSError, ValueError) as exc:
        result.errors.append(("malformed_sitemap", f"{url}: {exc}"))
        return result
    if root is None:
        result.errors.append(("malformed_sitemap", f"{url}: empty document"))
        return result
    follow = re.compile(source.follow) if source.follow else None
    for node in root:
        name = etree.QName(node).localname if isinstance(node.tag, str) else ""
        loc = _child_text(node, "loc")
        if not loc:
            continue
        if name == "sitemap":
            result.next_pages.append(loc)
        elif name == "url" and (follow is None or follow.search(loc)):
            result.links.append(
                Link(url=loc, title=_child_text(node, "title"), published_at=_when(node))
            )
    return result


def _gunzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    data = gzip.decompress(body)
    if len(data) > MAX_UNCOMPRESSED:
        raise ValueError(f"sitemap expands beyond {MAX_UNCOMPRESSED} bytes")
    return data


def _child_text(node: etree._Element, localname: str) -> str:
    """Text of the first descendant with this local name, whatever its namespace."""
    for child in node.iter():
        if isinstance(child.tag, str) and etree.QName(child).localname == localname:
            return (child.text or "").strip()
    return ""


def _when(node: etree._Element) -> datetime | None:
    return parse_datetime(_child_text(node, "publication_date") or _child_text(node, "lastmod"))
