"""Fetch: YouTube channel and playlist Atom feeds (``/feeds/videos.xml?channel_id=…``) as posts.

Each entry is a video: ``yt:videoId``, title, ``media:group/media:description``, publish time,
and when present ``media:community/media:statistics@views`` and ``media:starRating@count`` (the
like count). The feed holds the newest 15 videos and has no paging.
"""

from __future__ import annotations

from typing import Any

from presswatch.crawlers.listing import ListingResult, register
from presswatch.crawlers.social_common import (
    OWN_CHANNEL,
    POSTER_CHANNEL,
    ParseProblem,
    guarded,
    parse_count,
    parse_time,
    post_document,
    xml_root,
)
from presswatch.document import Document
from presswatch.sources import SourceConfig

NS = {
    "a": "http://www.w3.org/2005/Atom",
    "yt": "http://www.youtube.com/xml/schemas/2015",
    "media": "http://search.yahoo.com/mrss/",
}


@register("youtube")
@guarded("youtube")
def parse_youtube(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Videos of a channel or playlist feed."""
    root, errors = xml_root(body, url)
    if root.tag != f"{{{NS['a']}}}feed":
        raise ParseProblem("malformed_feed", f"{url}: not an Atom feed (root <{root.tag}>)")
    result = ListingResult(errors=errors)
    feed_channel = _text(root, "yt:channelId")
    for entry in root.findall("a:entry", NS):
        video = _video(source, entry, feed_channel)
        if video is None:
            result.errors.append(("malformed_post", f"{url}: an entry without a video id"))
        else:
            result.documents.append(video)
    return result


def _video(source: SourceConfig, entry: Any, feed_channel: str) -> Document | None:
    video_id = _text(entry, "yt:videoId")
    if not video_id:
        return None
    group = entry.find("media:group", NS)
    description = _text(group, "media:description") if group is not None else ""
    title = _text(entry, "a:title") or (_text(group, "media:title") if group is not None else "")
    channel_id = _text(entry, "yt:channelId")
    own = not feed_channel or channel_id == feed_channel
    return post_document(
        source,
        platform="youtube",
        url=f"https://www.youtube.com/watch?v={video_id}",
        title=title,
        text=description or title,
        channel=_text(entry, "a:author/a:name") or channel_id,
        channel_role=OWN_CHANNEL if own else POSTER_CHANNEL,
        published_at=parse_time(_text(entry, "a:published") or _text(entry, "a:updated")),
        engagement=_statistics(group),
        extra={"post_id": video_id, "channel_id": channel_id},
    )


def _statistics(group: Any) -> dict[str, int | None]:
    if group is None:
        return {}
    stats = group.find("media:community/media:statistics", NS)
    rating = group.find("media:community/media:starRating", NS)
    return {
        "views": parse_count(stats.get("views")) if stats is not None else None,
        "likes": parse_count(rating.get("count")) if rating is not None else None,
    }


def _text(element: Any, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""
