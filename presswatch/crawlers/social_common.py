"""Fetch: what the social platforms' parsers share — a post as a document, times, counts, links.

Each platform has its own module (``social_youtube``, ``social_telegram``, …); ``social`` loads
them. A post's author is never kept apart from its channel.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from presswatch.crawlers.listing import ListingResult, Parser
from presswatch.crawlers.urls import canonicalize
from presswatch.document import Document
from presswatch.sources import SourceConfig

if TYPE_CHECKING:
    from sqlalchemy import Engine

MAX_TEXT_CHARS = 20_000  # a post longer than this is cut: crawled content is hostile input
TITLE_CHARS = 200
ENGAGEMENT_KEYS = ("likes", "comments", "shares", "views")
#: ``extra["channel_role"]``: the channel is the source's own page, or a poster found through it.
OWN_CHANNEL, POSTER_CHANNEL = "source", "poster"

_COUNT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([KkMmBb]?)\s*$")
_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_BLANK_LINES = re.compile(r"\n\s*\n+")


class ParseProblem(Exception):
    """A response that is not what the platform sends; becomes an error of the listing."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def post_document(
    source: SourceConfig,
    *,
    platform: str,
    url: str,
    text: str,
    channel: str,
    channel_role: str = OWN_CHANNEL,
    title: str = "",
    published_at: datetime | None = None,
    engagement: dict[str, int | None] | None = None,
    reply_to_url: str = "",
    language: str = "",
    extra: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Document:
    """One post as a document; the engagement's read time (``now``) is kept in ``extra``."""
    now = now or datetime.now(UTC)
    text = text.strip()[:MAX_TEXT_CHARS]
    counts = {
        k: int(v) for k, v in (engagement or {}).items() if k in ENGAGEMENT_KEYS and v is not None
    }
    more: dict[str, Any] = {"channel_role": channel_role} | (extra or {})
    if counts:
        more["engagement_read_at"] = now.isoformat()
    return Document(
        url=url,
        canonical_url=canonicalize(url),
        source=source.key,
        source_kind="social",
        platform=platform,
        channel=channel.strip()[:300],
        title=(title.strip() or first_line(text))[:1000],
        text=text,
        published_at=published_at,
        fetched_at=now,
        language=language[:10],
        engagement=counts,
        reply_to_url=canonicalize(reply_to_url) if reply_to_url else "",
        extra=more,
    )


def first_line(text: str, limit: int = TITLE_CHARS) -> str:
    """The first non-empty line of a text, shortened at a word boundary: a post's title."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return (cut or line[:limit]).rstrip(" ,.;:-") + "…"


def html_text(fragment: str) -> str:
    """Plain text of an HTML fragment: <br> and block ends as new lines, entities decoded."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    return element_text(root)


def element_text(element: Any) -> str:
    """Plain text of a parsed element, with line breaks where the markup breaks lines."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in element.iter("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "pre"):
        block.tail = "\n\n" + (block.tail or "")
    text = "".join(element.itertext())
    lines = "\n".join(line.strip() for line in text.replace("\xa0", " ").splitlines())
    return _BLANK_LINES.sub("\n\n", lines).strip()


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time (``Z`` or an offset) as an aware UTC datetime; None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def parse_count(value: Any) -> int | None:
    """A count as platforms show it ("847", "1.2K", "5,3M", 12) as an integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float):
        return max(int(value), 0)
    match = _COUNT.match(str(value or ""))
    if match is None:
        return None
    number = float(match.group(1).replace(",", "."))
    return round(number * _MULTIPLIERS[match.group(2).lower()])


def with_query(url: str, **params: str) -> str:
    """The URL with these query parameters set (replacing earlier values)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_param(url: str, name: str) -> str:
    """One query parameter of a URL ('' when absent)."""
    return dict(parse_qsl(urlsplit(url).query)).get(name, "")


def json_body(body: bytes, url: str) -> Any:
    """The decoded JSON of a response; ParseProblem when it is not JSON."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseProblem("malformed_json", f"{url}: not JSON: {exc}") from None


_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_XML_RECOVER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, recover=True
)


def xml_root(body: bytes, url: str) -> tuple[Any, list[tuple[str, str]]]:
    """The root of an XML feed (no entities, no network) and a parse error when it was broken."""
    try:
        return etree.fromstring(body, _XML), []
    except etree.XMLSyntaxError as exc:
        error = [("malformed_feed", f"{url}: {exc}")]
    root = etree.fromstring(body, _XML_RECOVER) if body.strip() else None
    if root is None:
        raise ParseProblem(*error[0])
    return root, error


def dict_at(value: Any, *path: str) -> dict[str, Any]:
    """A nested JSON object by keys ({} when any step is missing or not an object)."""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def text_at(value: Any, *path: str) -> str:
    """A nested JSON string by keys ('' when missing or not a string)."""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


def external_links(hrefs: list[str], own_host: str = "") -> list[str]:
    """Canonical http(s) links of a post, without links back to the platform itself."""
    out: list[str] = []
    for href in hrefs:
        parts = urlsplit(href.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        if own_host and parts.hostname.removeprefix("www.") == own_host.removeprefix("www."):
            continue
        link = canonicalize(href)
        if link not in out:
            out.append(link)
    return out[:20]


def record_reading(engine: Engine, doc: Document) -> bool:
    """Append a re-read post's engagement to its time series (never a second document)."""
    from presswatch.storage import engagement
    from presswatch.storage.db import transaction

    read_at = parse_time(doc.extra.get("engagement_read_at")) or doc.fetched_at
    if not doc.engagement or read_at is None:
        return False
    with transaction(engine) as session:
        return engagement.record_engagement(session, doc.key, doc.engagement, read_at)


def guarded(platform: str) -> Callable[[Parser], Parser]:
    """Wrap a parser so that a malformed response becomes an error, never an exception."""

    def wrap(func: Parser) -> Parser:
        @functools.wraps(func)
        def parse(source: SourceConfig, url: str, body: bytes) -> ListingResult:
            try:
                return func(source, url, body)
            except ParseProblem as exc:
                return ListingResult(errors=[(exc.kind, str(exc))])
            except (LookupError, TypeError, ValueError, AttributeError, etree.LxmlError) as exc:
                kind = f"malformed_{platform}"
                return ListingResult(errors=[(kind, f"{url}: {type(exc).__name__}: {exc}")])

        return parse

    return wrap
