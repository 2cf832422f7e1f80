"""Social channels crawled for real: `presswatch crawl` in a subprocess against 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, func, select

from presswatch.storage import models as m
from presswatch.storage.db import make_engine, transaction
from tests.crawlers.conftest import presswatch, write_settings
from tests.social.conftest import SITE, PagedFixtureServer, sources_text


def _engine(tmp_path: Path) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / 'presswatch.db'}")


def _crawl(tmp_path: Path, server: PagedFixtureServer, *keys: str) -> str:
    settings = write_settings(tmp_path, server, sources_text(*keys))
    result = presswatch(settings, "crawl")
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_every_platform_pages_and_stores_each_post_once(
    tmp_path: Path, social_site: PagedFixtureServer
) -> None:
    _crawl(tmp_path, social_site)
    with transaction(_engine(tmp_path)) as session:
        rows = session.execute(
            select(m.Source.key, m.Document.platform, func.count())
            .join(m.Document, m.Document.source_id == m.Source.id)
            .group_by(m.Source.key, m.Document.platform)
        ).all()
        kinds = set(session.scalars(select(m.Document.source_kind)))
        total = session.scalar(select(func.count()).select_from(m.Document))
    per_platform: dict[str, int] = {}
    for _key, platform, n in rows:
        per_platform[platform] = per_platform.get(platform, 0) + n
    assert per_platform == {"telegram": 6, "mastodon": 5, "bluesky": 4, "youtube": 2, "reddit": 3}
    assert total == 20 and kinds == {"social"}
    paged = {
        "/telegram/s/tin_mientay_24h/": ["before=101", "before=98"],
        "/mastodon/api/v1/timelines/tag/soctrang.json": ["max_id=113350001000000001"],
        "/bluesky/xrpc/app.bsky.feed.searchPosts.json": ["cursor=25"],
        "/reddit/r/mientay/rss.xml": ["after=t1_lq2w3e4"],
    }
    for route, wanted in paged.items():
        queries = " ".join(r.path for r in social_site.requests_for(route))
        assert all(w in queries for w in wanted), (route, queries)


def test_malformed_responses_are_logged_counted_and_the_run_goes_on(
    tmp_path: Path, social_site: PagedFixtureServer
) -> None:
    stderr = _crawl(tmp_path, social_site)
    with transaction(_engine(tmp_path)) as session:
        errors = dict(
            session.execute(
                select(m.CrawlError.kind, func.count()).group_by(m.CrawlError.kind)
            ).all()
        )
        run = session.scalars(select(m.CrawlRun)).one()
        sources = {s.key: s for s in session.scalars(select(m.Source))}
    assert errors == {
        "malformed_page": 1,  # a Telegram name that is no channel
        "api_error": 1,  # Mastodon's {"error": "Record not found"}
        "malformed_json": 1,  # a cut-off Bluesky response
        "malformed_feed": 2,  # a cut-off YouTube feed, an HTML page instead of Reddit's feed
        "malformed_post": 2,  # a YouTube entry without a video id, a Bluesky post without a uri
    }
    assert run.status == "finished" and run.errors == errors and run.kept == 20
    for key in ("tg_missing", "masto_missing", "bsky_broken", "reddit_blocked"):
        assert sources[key].last_status == "error" and sources[key].consecutive_failures == 1
    assert sources["yt_broken"].last_status.startswith("partly read")
    assert sources["tg"].last_status.startswith("ok") and not sources["tg"].last_error
    assert "api_error" in stderr and "malformed_json" in stderr


def test_a_refetch_adds_no_post_but_records_changed_engagement(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    with PagedFixtureServer(site) as server:
        _crawl(tmp_path, server, "tg")
    page = site / "telegram" / "s" / "tin_mientay_24h" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace(">12.3K<", ">15.8K<").replace("</i>214<", "</i>260<"), "utf-8")
    with PagedFixtureServer(site) as server:  # a new server: the page's ETag has changed
        _crawl(tmp_path, server, "tg")
    with transaction(_engine(tmp_path)) as session:
        assert session.scalar(select(func.count()).select_from(m.Document)) == 6
        doc_ids = dict(session.execute(select(m.Document.canonical_url, m.Document.id)).all())
        series = session.execute(
            select(m.EngagementSnapshot.document_id, m.EngagementSnapshot.views,
                   m.EngagementSnapshot.likes)
            .order_by(m.EngagementSnapshot.document_id, m.EngagementSnapshot.read_at)
        ).all()  # fmt: skip
        runs = session.scalars(select(m.CrawlRun).order_by(m.CrawlRun.id)).all()
    changed = doc_ids["https://t.me/tin_mientay_24h/101"]
    same = doc_ids["https://t.me/tin_mientay_24h/102"]
    assert [(v, lk) for d, v, lk in series if d == changed] == [(12300, 251), (15800, 297)]
    assert [(v, lk) for d, v, lk in series if d == same] == [(8900, 0)]  # first reading only
    # The first page held nothing new, so the older pages were not read again.
    assert runs[1].kept == 0 and runs[1].dropped.get("already stored") == 3
