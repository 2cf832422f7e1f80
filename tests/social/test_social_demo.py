"""The demo's social channels: every post its manifest promises, and one post joining a story."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from presswatch.crawlers.listing import parse_listing
from presswatch.demo.server import SITES, TZ, FixtureServer, parse_offset
from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.dedup import DedupIndex, Deduplicate
from presswatch.pipeline.normalize import Normalize
from presswatch.sources import SourceConfig, load_sources
from presswatch.storage import models as m
from presswatch.storage import repository
from presswatch.storage.db import make_engine, transaction
from tests.crawlers.conftest import presswatch, write_settings

SOCIAL = SITES / "social"
MANIFEST: list[dict[str, Any]] = json.loads((SOCIAL / "manifest.json").read_text("utf-8"))
NEWS = json.loads((SITES / "manifest.json").read_text("utf-8"))
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(SITES, now=NOW) as srv:
        yield srv


def _sources(server: FixtureServer, tmp_path: Path) -> dict[str, SourceConfig]:
    path = tmp_path / "sources.toml"
    path.write_text(server.render((SOCIAL / "sources.toml").read_text("utf-8")), "utf-8")
    return {s.key: s for s in load_sources(path)}


def _posts(server: FixtureServer, sources: dict[str, SourceConfig]) -> dict[str, Document]:
    posts: dict[str, Document] = {}
    with httpx.Client(timeout=10) as client:
        for source in sources.values():
            for url in source.urls:
                response = client.get(url)
                assert response.status_code == 200 and "{{" not in response.text, url
                result = parse_listing(source, url, response.content)
                assert not result.errors, result.errors
                posts.update({d.url: d for d in result.documents})
    return posts


def test_every_demo_channel_serves_the_posts_its_manifest_lists(
    server: FixtureServer, tmp_path: Path
) -> None:
    sources = _sources(server, tmp_path)
    posts = _posts(server, sources)
    assert sorted(posts) == sorted(e["url"] for e in MANIFEST)
    assert {s.kind for s in sources.values()} == {
        "telegram", "mastodon", "bluesky", "youtube", "reddit"
    }  # fmt: skip
    for entry in MANIFEST:
        post = posts[entry["url"]]
        assert post.source == entry["source"] and post.platform == entry["platform"]
        assert post.published_at == NOW + parse_offset(entry["published"]), entry["id"]
        assert post.reply_to_url == entry["expect"].get("reply_to", ""), entry["id"]
        organisation = sources[entry["source"]].organisation
        own = post.extra["channel_role"] == "source"
        assert (organisation and own) is entry["expect"]["channel_public"], entry["id"]
        for personal in entry["expect"].get("personal", []):
            assert personal in post.text + post.channel, (entry["id"], personal)


def test_the_demo_repost_joins_the_news_story_it_repeats(
    server: FixtureServer, tmp_path: Path
) -> None:
    """Crawl the regional paper and the Telegram channel for real, then normalise and dedup."""
    news = (SITES / "sources.toml").read_text("utf-8")
    dongbang = "[source.dongbang]" + news.split("[source.dongbang]")[1].split("\n# ")[0]
    social = (SOCIAL / "sources.toml").read_text("utf-8")
    telegram = (
        "[source.tg_tin_mientay]" + social.split("[source.tg_tin_mientay]")[1].split("\n# ")[0]
    )
    settings = write_settings(tmp_path, server, dongbang + "\n" + telegram, extract_workers=0)
    result = presswatch(settings, "crawl")
    assert result.returncode == 0, result.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'presswatch.db'}")
    stage = Deduplicate(DedupIndex(engine), 0.7)
    with transaction(engine) as session:
        batch = repository.load_batch(session, 100)
    with transaction(engine) as session:
        for doc in sorted(batch, key=lambda d: d.published_at or NOW):
            try:
                repository.save_processed(
                    session, stage.process(Normalize(("vi",), 80).process(doc))
                )
            except Drop as drop:
                repository.save_dropped(session, doc, drop.reason)
        rows = session.execute(select(m.Document.canonical_url, m.Document.story_id)).all()
        stories = {urlsplit(u).path if "127.0.0.1" in u else u: s for u, s in rows}
        (d6,) = [e["path"] for e in NEWS if e["id"] == "D6"]
        (t1,) = [e["url"] for e in MANIFEST if e["expect"]["story_of"] == "D6"]
        story = session.get(m.Story, stories[d6])
        first = session.get(m.Source, story.first_source_id) if story else None
    assert stories[t1] == stories[d6] is not None
    others = [u for u, s in stories.items() if s == stories[d6] and u not in (t1, d6)]
    assert others == []  # the other posts of the channel stay apart
    assert story is not None and story.document_count == 2 and first is not None
    assert first.key == "dongbang"  # the paper had it first
