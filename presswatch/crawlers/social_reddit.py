"""Fetch: Reddit subreddit and search feeds (``/r/<name>/.rss``, ``/search.rss?q=…``) as posts.

Reddit serves Atom: each entry has ``id`` (``t3_…`` for a post, ``t1_…`` for a comment), title,
permalink, published time, ``category@label`` (the subreddit) and ``content`` (escaped HTML:
the post's ``div.md`` body, then "submitted by /u/…" and the ``[link]``/``[comments]`` anchors).
The "submitted by" line is dropped: a poster's name is kept only as the post's channel. The feed
carries no engagement counts. Older entries are paged with ``?after=<id>``.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from presswatch.crawlers.listing import ListingResult, register
from presswatch.crawlers.social_common import (
    POSTER_CHANNEL,
    ParseProblem,
    element_text,
    external_links,
    guarded,
    parse_time,
    post_document,
    with_query,
    xml_root,
)
from presswatch.document import Document
from presswatch.sources import SourceConfig

NS = {"a": "http://www.w3.org/2005/Atom"}
_COMMENT = re.compile(r"^(https?://[^?#]+/comments/[a-z0-9]+/[^/]+/)[a-z0-9]+/?$")


@register("reddit")
@guarded("reddit")
def parse_reddit(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Posts (and comments) of a subreddit or search feed, and the next page."""
    root, errors = xml_root(body, url)
    if root.tag != f"{{{NS['a']}}}feed":
        raise ParseProblem("malformed_feed", f"{url}: not an Atom feed (root <{root.tag}>)")
    result = ListingResult(errors=errors)
    last = ""
    for entry in root.findall("a:entry", NS):
        doc = _entry(source, entry)
        if doc is None:
            result.errors.append(("malformed_post", f"{url}: an entry without id or link"))
            continue
        last = doc.extra["post_id"]
        if doc.text:
            result.documents.append(doc)
    if last:
        result.next_pages.append(with_query(url, after=last))
    return result


def _entry(source: SourceConfig, entry: Any) -> Document | None:
    entry_id = _text(entry, "a:id")
    link = next((a.get("href", "") for a in entry.findall("a:link", NS) if a.get("href")), "")
    if not entry_id or not link:
        return None
    # A comment's feed title is "/u/<poster> on <post title>": the post's text stands instead.
    title = "" if entry_id.startswith("t1_") else _text(entry, "a:title")
    body, links = _content(_text(entry, "a:content"))
    author = _text(entry, "a:author/a:name").removeprefix("/")
    category = entry.find("a:category", NS)
    comment = _COMMENT.match(link) if entry_id.startswith("t1_") else None
    return post_document(
        source,
        platform="reddit",
        url=link,
        title=title,
        text=body or title,
        channel=author,
        channel_role=POSTER_CHANNEL,
        published_at=parse_time(_text(entry, "a:published") or _text(entry, "a:updated")),
        reply_to_url=comment.group(1) if comment else "",
        extra={
            "post_id": entry_id,
            "community": category.get("label", "") if category is not None else "",
            "links": external_links(links, "reddit.com"),
        },
    )


def _content(html: str) -> tuple[str, list[str]]:
    """The post's own text (``div.md``) and its outside link, without "submitted by …"."""
    if not html.strip():
        return "", []
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return "", []
    links = [a.get("href", "") for a in root.iter("a") if a.text_content().strip() == "[link]"]
    bodies = root.xpath(".//div[contains(concat(' ', normalize-space(@class), ' '), ' md ')]")
    if not bodies:
        return "", links
    links += [a.get("href", "") for a in bodies[0].iter("a")]
    return element_text(bodies[0]), links


def _text(element: Any, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""
