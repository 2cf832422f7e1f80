"""Fetch: links to articles found on a news site's listing or section pages."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from presswatch.crawlers.listing import Link, ListingResult, register
from presswatch.crawlers.urls import same_site
from presswatch.sources import SourceConfig

#: Without a `follow` pattern, an article URL looks like a slug page (…-1234.html, /2025/…).
ARTICLE_GUESS = re.compile(r"(\d{4,}|\.html?$|/\d{4}/\d{2}/)")


@register("site")
def parse_site_listing(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Same-site links matching the source's `follow` pattern (or an article-like guess)."""
    result = ListingResult()
    try:
        tree = lxml.html.fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        result.errors.append(("malformed_listing", f"{url}: {exc}"))
        return result
    follow = re.compile(source.follow) if source.follow else ARTICLE_GUESS
    seen: set[str] = set()
    for anchor in tree.iterfind(".//a[@href]"):
        href = urljoin(url, str(anchor.get("href", "")).strip())
        if urlsplit(href).scheme not in ("http", "https") or not same_site(href, url):
            continue
        if href in seen or not follow.search(href):
            continue
        seen.add(href)
        result.links.append(Link(url=href, title=" ".join(anchor.text_content().split())))
    return result
