"""Fetch: Bluesky public search and feeds — ``app.bsky.feed.searchPosts`` and
``app.bsky.feed.getAuthorFeed`` — as posts.

A post view has ``uri`` (``at://did/app.bsky.feed.post/rkey``), ``cid``, ``author{did, handle}``,
``record{text, createdAt, langs, reply{parent{uri}}, facets, embed}``, ``likeCount``,
``repostCount``, ``replyCount`` and ``quoteCount``; the response's ``cursor`` pages on. A post's
permalink is built on the author's DID (stable, and no handle in the URL).
"""

from __future__ import annotations

from typing import Any

from presswatch.crawlers.listing import ListingResult, register
from presswatch.crawlers.social_common import (
    OWN_CHANNEL,
    POSTER_CHANNEL,
    ParseProblem,
    dict_at,
    external_links,
    guarded,
    json_body,
    parse_count,
    parse_time,
    post_document,
    query_param,
    text_at,
    with_query,
)
from presswatch.document import Document
from presswatch.sources import SourceConfig

PERMALINK = "https://bsky.app/profile/{did}/post/{rkey}"


@register("bluesky")
@guarded("bluesky")
def parse_bluesky(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Posts of one search or author-feed page, and the next page by cursor."""
    data = json_body(body, url)
    if not isinstance(data, dict):
        raise ParseProblem("malformed_bluesky", f"{url}: expected a JSON object")
    if "error" in data and "posts" not in data and "feed" not in data:
        message = f"{data.get('error')}: {data.get('message', '')}"[:300]
        raise ParseProblem("api_error", f"{url}: {message}")
    items = _items(data)
    if items is None:
        raise ParseProblem(
            "malformed_bluesky", f"{url}: neither 'posts' nor 'feed' in the response"
        )
    actor = query_param(url, "actor")
    result = ListingResult()
    for post, reposted in items:
        doc = _post(source, post, actor, reposted)
        if doc is None:
            result.errors.append(("malformed_post", f"{url}: a post without a usable uri"))
        elif doc.text:
            result.documents.append(doc)
    cursor = data.get("cursor")
    if isinstance(cursor, str) and cursor and items:
        result.next_pages.append(with_query(url, cursor=cursor))
        result.cursor = cursor
    return result


def _items(data: dict[str, Any]) -> list[tuple[dict[str, Any], bool]] | None:
    """(post view, shown as a repost) pairs from searchPosts' ``posts`` or a feed's ``feed``."""
    if isinstance(data.get("posts"), list):
        return [(p, False) for p in data["posts"] if isinstance(p, dict)]
    if isinstance(data.get("feed"), list):
        return [
            (item["post"], bool(dict_at(item, "reason")))
            for item in data["feed"]
            if isinstance(item, dict) and isinstance(item.get("post"), dict)
        ]
    return None


def permalink(at_uri: str) -> str:
    """https://bsky.app/profile/<did>/post/<rkey> for at://<did>/app.bsky.feed.post/<rkey>."""
    parts = at_uri.removeprefix("at://").split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post" or not parts[0] or not parts[2]:
        return ""
    return PERMALINK.format(did=parts[0], rkey=parts[2])


def _post(
    source: SourceConfig, post: dict[str, Any], actor: str, reposted: bool
) -> Document | None:
    link = permalink(text_at(post, "uri"))
    if not link:
        return None
    record = dict_at(post, "record")
    author = dict_at(post, "author")
    own = bool(actor) and actor in (text_at(author, "did"), text_at(author, "handle"))
    langs = record.get("langs")
    replied = permalink(text_at(record, "reply", "parent", "uri"))
    quoted = _quoted(record)
    return post_document(
        source,
        platform="bluesky",
        url=link,
        text=text_at(record, "text"),
        channel=text_at(author, "handle") or text_at(author, "did"),
        channel_role=OWN_CHANNEL if own and not reposted else POSTER_CHANNEL,
        published_at=parse_time(record.get("createdAt")),
        engagement={
            "likes": parse_count(post.get("likeCount")),
            "comments": parse_count(post.get("replyCount")),
            "shares": _sum(post.get("repostCount"), post.get("quoteCount")),
        },
        reply_to_url=replied or quoted,
        language=str(langs[0]) if isinstance(langs, list) and langs else "",
        extra={
            "post_id": text_at(post, "cid"),
            "relation": "reply" if replied else ("quote" if quoted else ""),
            "links": external_links(_link_uris(record)),
        },
    )


def _quoted(record: dict[str, Any]) -> str:
    embed = dict_at(record, "embed")
    kind = text_at(embed, "$type")
    if kind == "app.bsky.embed.record":
        return permalink(text_at(embed, "record", "uri"))
    if kind == "app.bsky.embed.recordWithMedia":
        return permalink(text_at(embed, "record", "record", "uri"))
    return ""


def _link_uris(record: dict[str, Any]) -> list[str]:
    uris = [text_at(record, "embed", "external", "uri")]
    for facet in record.get("facets") or []:
        for feature in (facet or {}).get("features") or []:
            if isinstance(feature, dict) and feature.get("$type") == "app.bsky.richtext.facet#link":
                uris.append(str(feature.get("uri", "")))
    return [u for u in uris if u]


def _sum(*values: Any) -> int | None:
    counts = [c for c in (parse_count(v) for v in values) if c is not None]
    return sum(counts) if counts else None
