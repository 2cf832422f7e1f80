"""Fetch: Telegram public channels through their web preview ``https://t.me/s/<channel>``.

The page lists the newest messages as ``div.tgme_widget_message`` (``data-post="channel/123"``)
with the text in ``.tgme_widget_message_text``, the time in ``time[datetime]``, the views in
``.tgme_widget_message_views`` ("1.2K"), reactions in ``.tgme_reaction`` and, for a reply, a
``a.tgme_widget_message_reply`` link to the message it answers. Older messages are paged by
message id: ``?before=<id>`` (the page's ``a.tme_messages_more[data-before]``).
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from presswatch.crawlers.listing import ListingResult, register
from presswatch.crawlers.social_common import (
    ParseProblem,
    element_text,
    external_links,
    guarded,
    parse_count,
    parse_time,
    post_document,
    query_param,
    with_query,
)
from presswatch.document import Document
from presswatch.sources import SourceConfig

PERMALINK = "https://t.me/{post}"
_TRAILING = re.compile(r"(\d+(?:[.,]\d+)?\s*[KkMm]?)\s*$")


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


MESSAGES = f".//div[{_cls('tgme_widget_message')} and @data-post]"


@register("telegram")
@guarded("telegram")
def parse_telegram(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Messages of one preview page, and the page of older messages."""
    try:
        page = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        raise ParseProblem("malformed_page", f"{url}: not an HTML page: {exc}") from None
    messages = page.xpath(MESSAGES)
    if not messages and not page.xpath(f"//*[{_cls('tgme_channel_info')}]"):
        raise ParseProblem("malformed_page", f"{url}: not a Telegram channel preview page")
    result = ListingResult()
    ids: list[int] = []
    for message in messages:
        if _cls_of(message, "service_message"):
            continue
        doc, problem = _message(source, message)
        if doc is None:
            result.errors.append(("malformed_post", f"{url}: {problem}"))
            continue
        ids.append(int(doc.extra["post_id"]))
        if doc.text:
            result.documents.append(doc)
    _paging(result, page, url, ids)
    return result


def _message(source: SourceConfig, message: Any) -> tuple[Document | None, str]:
    post = message.get("data-post", "")
    channel, _, number = post.partition("/")
    if not channel or not number.isdigit():
        return None, f"a message with data-post={post!r}"
    text_el = _first(message, "tgme_widget_message_text")
    text = element_text(text_el) if text_el is not None else ""
    reply = _first(message, "tgme_widget_message_reply")
    times = message.xpath(f".//a[{_cls('tgme_widget_message_date')}]//time/@datetime")
    views = _first(message, "tgme_widget_message_views")
    links = text_el.xpath(".//a/@href") if text_el is not None else []
    links += message.xpath(f".//a[{_cls('tgme_widget_message_link_preview')}]/@href")
    return post_document(
        source,
        platform="telegram",
        url=PERMALINK.format(post=post),
        text=text,
        channel=channel,
        published_at=parse_time(times[0]) if times else None,
        engagement={
            "views": parse_count(views.text_content()) if views is not None else None,
            "likes": _reactions(message),
        },
        reply_to_url=reply.get("href", "") if reply is not None else "",
        extra={"post_id": number, "links": external_links(links, "t.me")},
    ), ""


def _reactions(message: Any) -> int | None:
    """The sum of a message's reaction counts ("👍214" → 214): its likes."""
    found = message.xpath(f".//*[{_cls('tgme_reaction')}]")
    counts = [parse_count(m.group(1)) for r in found if (m := _TRAILING.search(r.text_content()))]
    known = [c for c in counts if c is not None]
    return sum(known) if known else None


def _paging(result: ListingResult, page: Any, url: str, ids: list[int]) -> None:
    """Older messages: the page's own "more" link, else the smallest id seen."""
    if not ids:
        return
    more = page.xpath(f"//a[{_cls('tme_messages_more')}]/@data-before")
    before = int(more[0]) if more and more[0].isdigit() else min(ids)
    asked = query_param(url, "before")
    current = int(asked) if asked.isdigit() else 0
    if before > 1 and (current == 0 or before < current):
        result.next_pages.append(with_query(url, before=str(before)))
    result.cursor = str(max(ids))


def _first(element: Any, css_class: str) -> Any:
    found = element.xpath(f".//*[{_cls(css_class)}]")
    return found[0] if found else None


def _cls_of(element: Any, name: str) -> bool:
    return name in (element.get("class") or "").split()
