"""The crawl against a real fixture server: stores once, obeys robots, survives bad sources."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from presswatch.demo.server import FixtureServer
from presswatch.storage import models as m
from presswatch.storage.db import make_engine, transaction
from tests.crawlers.conftest import presswatch, write_settings


def _db(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_engine(f"sqlite:///{tmp_path / 'presswatch.db'}")


def test_crawl_stores_each_article_once_and_reports_errors(
    tmp_path: Path, site: FixtureServer
) -> None:
    settings = write_settings(tmp_path, site)
    result = presswatch(settings, "crawl")
    assert result.returncode == 0, result.stderr
    engine = _db(tmp_path)
    with transaction(engine) as session:
        urls = sorted(session.scalars(select(m.Document.canonical_url)))
        errors = dict(
            session.execute(
                select(m.CrawlError.kind, func.count()).group_by(m.CrawlError.kind)
            ).all()
        )
        run = session.scalars(select(m.CrawlRun)).one()
    assert urls == [f"{site.base_url}/news/{i}.html" for i in (1, 2, 3)]  # tracking params gone
    assert run.status == "finished" and run.kept == 3
    assert errors["malformed_feed"] == 1  # broken.xml
    assert errors["http_500"] == 2  # the failing source and the failing article
    assert errors["timeout"] == 1
    assert errors["oversized"] == 2  # with and without Content-Length
    assert errors["too_many_redirects"] == 1
    assert run.errors == errors
    assert not site.requests_for("/private/x.html"), "robots.txt forbids /private/"
    assert "malformed_feed" in result.stderr and "http_500" in result.stderr


def test_failing_source_backs_off_and_others_continue(tmp_path: Path, site: FixtureServer) -> None:
    settings = write_settings(tmp_path, site)
    presswatch(settings, "crawl")
    with transaction(_db(tmp_path)) as session:
        sources = {s.key: s for s in session.scalars(select(m.Source))}
    assert sources["test-500"].consecutive_failures == 1
    assert sources["test-500"].last_status == "error" and "500" in sources["test-500"].last_error
    broken = sources["test-broken"]  # feedparser recovers one entry of the broken feed
    assert broken.last_status.startswith("partly read") and "malformed_feed" in broken.last_error
    assert sources["test-feed"].consecutive_failures == 0 and sources["test-feed"].etag


def test_second_crawl_uses_conditional_get_and_adds_nothing(
    tmp_path: Path, site: FixtureServer
) -> None:
    settings = write_settings(tmp_path, site)
    assert presswatch(settings, "crawl", "test-feed").returncode == 0
    etag_request = len(site.requests_for("/feed.xml"))
    result = presswatch(settings, "crawl", "test-feed")
    assert result.returncode == 0, result.stderr
    second = site.requests_for("/feed.xml")[etag_request:]
    assert second and second[0].header("If-None-Match"), "validators of the first poll are sent"
    with transaction(_db(tmp_path)) as session:
        assert session.scalar(select(func.count()).select_from(m.Document)) == 3
        source = session.scalars(select(m.Source).where(m.Source.key == "test-feed")).one()
    assert source.last_status == "not modified"


def test_transient_article_failure_keeps_feed_unvalidated(
    tmp_path: Path, site: FixtureServer
) -> None:
    """A feed whose article failed is read in full next time, so the article is not lost."""
    settings = write_settings(tmp_path, site)
    presswatch(settings, "crawl", "test-faults")
    with transaction(_db(tmp_path)) as session:
        source = session.scalars(select(m.Source).where(m.Source.key == "test-faults")).one()
    assert source.etag == "" and source.last_modified == ""


def test_unknown_source_name_fails_with_hint(tmp_path: Path, site: FixtureServer) -> None:
    result = presswatch(write_settings(tmp_path, site), "crawl", "test-fed")
    assert result.returncode == 1
    assert "unknown source 'test-fed'" in result.stderr and "test-feed" in result.stderr
