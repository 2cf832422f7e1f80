"""Fetch: Mastodon public timelines — ``/api/v1/timelines/tag/:hashtag`` and
``/api/v1/accounts/:id/statuses`` — as posts.

A status has ``id``, ``created_at``, ``url``, ``content`` (HTML), ``account{acct, …}``,
``replies_count``, ``reblogs_count``, ``favourites_count``, ``in_reply_to_id`` and ``language``;
a boost carries the boosted status in ``reblog``. Older statuses are paged with ``max_id`` (the
server's Link header says the same; a parser sees only the body, so the last id is used).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from presswatch.crawlers.listing import ListingResult, register
from presswatch.crawlers.social_common import (
    OWN_CHANNEL,
    POSTER_CHANNEL,
    ParseProblem,
    dict_at,
    external_links,
    guarded,
    html_text,
    json_body,
    parse_count,
    parse_time,
    post_document,
    text_at,
    with_query,
)
from presswatch.document import Document
from presswatch.sources import SourceConfig


@register("mastodon")
@guarded("mastodon")
def parse_mastodon(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Statuses of one timeline page, and the page of older ones."""
    data = json_body(body, url)
    if isinstance(data, dict) and "error" in data:
        raise ParseProblem("api_error", f"{url}: {str(data['error'])[:300]}")
    if not isinstance(data, list):
        raise ParseProblem("malformed_mastodon", f"{url}: expected a list of statuses")
    host = urlsplit(url).hostname or ""
    own_timeline = "/accounts/" in urlsplit(url).path
    by_id = {str(s.get("id")): s for s in data if isinstance(s, dict)}
    result = ListingResult()
    for status in data:
        if not isinstance(status, dict) or not status.get("id"):
            result.errors.append(("malformed_post", f"{url}: a status without an id"))
            continue
        doc = _status(source, status, host, own_timeline, by_id)
        if doc is None:
            result.errors.append(("malformed_post", f"{url}: status {status['id']} has no URL"))
        elif doc.text:
            result.documents.append(doc)
    last = next((str(s["id"]) for s in reversed(data) if isinstance(s, dict) and s.get("id")), "")
    if last:
        result.next_pages.append(with_query(url, max_id=last))
        result.cursor = str(data[0].get("id", "")) if isinstance(data[0], dict) else ""
    return result


def _status(
    source: SourceConfig,
    status: dict[str, Any],
    host: str,
    own_timeline: bool,
    page: dict[str, dict[str, Any]],
) -> Document | None:
    reblog = status.get("reblog")
    post = reblog if isinstance(reblog, dict) else status
    link = text_at(post, "url") or text_at(post, "uri")
    if not link:
        return None
    text = html_text(text_at(post, "content"))
    warning = text_at(post, "spoiler_text")
    card = text_at(post, "card", "url")
    return post_document(
        source,
        platform="mastodon",
        url=link,
        text=f"{warning}\n\n{text}" if warning else text,
        channel=_acct(dict_at(post, "account"), link),
        channel_role=OWN_CHANNEL if own_timeline and post is status else POSTER_CHANNEL,
        published_at=parse_time(post.get("created_at")),
        engagement={
            "likes": parse_count(post.get("favourites_count")),
            "comments": parse_count(post.get("replies_count")),
            "shares": parse_count(post.get("reblogs_count")),
        },
        reply_to_url=_reply_to(post, host, page),
        language=text_at(post, "language"),
        extra={"post_id": str(post.get("id")), "links": _links(post, card)},
    )


def _acct(account: dict[str, Any], link: str) -> str:
    """user@instance (a local account's acct has no instance: take it from the post's URL)."""
    acct = text_at(account, "acct")
    if acct and "@" not in acct:
        acct = f"{acct}@{urlsplit(link).hostname or ''}".rstrip("@")
    return acct


def _reply_to(post: dict[str, Any], host: str, page: dict[str, dict[str, Any]]) -> str:
    """The URL of the status this one answers: its page URL when listed here, else its API URL."""
    parent = post.get("in_reply_to_id")
    if not parent:
        return ""
    listed = page.get(str(parent))
    if listed and text_at(listed, "url"):
        return text_at(listed, "url")
    return f"https://{host}/api/v1/statuses/{parent}"


def _links(post: dict[str, Any], card: str) -> list[str]:
    import lxml.html
    from lxml import etree

    hrefs = [card] if card else []
    content = text_at(post, "content")
    if content.strip():
        try:
            root = lxml.html.fragment_fromstring(content, create_parent="div")
        except (etree.ParserError, ValueError):
            return external_links(hrefs)
        for a in root.iter("a"):
            classes = (a.get("class") or "").split()
            if "mention" not in classes and "hashtag" not in classes:
                hrefs.append(a.get("href", ""))
    return external_links(hrefs)
