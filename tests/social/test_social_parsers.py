"""Each platform's parser on real-shaped responses: every case is a file and its expectation.

A case is ``tests/data/social/expected/NAME.json``: the source kind, options, the response file
under ``site/`` and the URL it was fetched from, and what the parser must return. Adding a case
means adding a response file and its expectation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presswatch.crawlers.listing import parse_listing
from presswatch.document import Document
from presswatch.sources import SourceConfig
from tests.social.conftest import DATA, SITE

CASES = sorted((DATA / "expected").glob("*.json"))


def _seen(doc: Document) -> dict[str, Any]:
    seen = {
        "url": doc.url, "canonical_url": doc.canonical_url, "platform": doc.platform,
        "channel": doc.channel, "channel_role": doc.extra.get("channel_role"),
        "title": doc.title, "text": doc.text,
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "engagement": doc.engagement, "reply_to_url": doc.reply_to_url,
        "language": doc.language, "links": doc.extra.get("links", []),
    }  # fmt: skip
    if doc.extra.get("organisation_page"):
        seen["organisation_page"] = True
    return seen


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_parser_reads_the_platform_response(case: Path) -> None:
    want = json.loads(case.read_text(encoding="utf-8"))
    source = SourceConfig(
        key="s", name="S", kind=want["kind"], urls=(want["url"],), options=want["options"]
    )
    result = parse_listing(source, want["url"], (SITE / want["file"]).read_bytes())
    assert [_seen(d) for d in result.documents] == want["documents"]
    assert result.next_pages == want["next_pages"]
    assert [kind for kind, _ in result.errors] == want["error_kinds"]
    assert result.cursor == want["cursor"]
    for doc in result.documents:
        assert doc.source_kind == "social" and doc.source == "s" and doc.author == ""
        assert doc.fetched_at is not None
        if doc.engagement:
            assert doc.extra["engagement_read_at"]


@pytest.mark.parametrize("kind", ["youtube", "telegram", "mastodon", "bluesky", "reddit", "json"])
@pytest.mark.parametrize(
    "body",
    [b"", b"\x00\xff\xfe garbage", b"null", b"[1, 2", b"<html><body>503</body></html>",
     b'{"posts": "not a list", "feed": 7}', b'[{"id": 1, "account": []}]',
     b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><yt:videoId/></entry></feed>'],
)  # fmt: skip
def test_a_hostile_response_is_an_error_never_an_exception(kind: str, body: bytes) -> None:
    source = SourceConfig(key="s", name="S", kind=kind, urls=("https://x.example/",))
    result = parse_listing(source, "https://x.example/feed", body)
    assert result.errors or not (result.documents or result.next_pages)
