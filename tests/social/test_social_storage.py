"""Engagement time series, a story's velocity, retention of social posts, public channel names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from click.testing import CliRunner
from sqlalchemy import Engine, func, select

from presswatch.document import Document
from presswatch.privacy import public_channel_name
from presswatch.retention import apply_retention
from presswatch.settings import Settings
from presswatch.sources import SourceConfig
from presswatch.storage import engagement, queries, repository, runs
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from tests.social.test_imports import social_cli

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
SOURCES = [
    SourceConfig(key="tg", name="Kênh Telegram", kind="telegram", urls=("u",)),
    SourceConfig(key="news", name="Báo", kind="rss", urls=("u",), source_kind="domestic"),
]


def _post(key: str, days: float, source: str = "tg", **more: Any) -> Document:
    kind = "social" if source == "tg" else "domestic"
    return Document(
        url=f"https://t.me/kenh/{key}" if source == "tg" else f"https://bao.example.vn/{key}",
        source=source, source_kind=kind, title=key, text=f"Nội dung {key}",
        published_at=NOW - timedelta(days=days), fetched_at=NOW - timedelta(days=days), **more,
    )  # fmt: skip


def _store(engine: Engine, docs: list[Document]) -> dict[str, int]:
    with transaction(engine) as session:
        ids = {k: s.id for k, s in runs.sync_sources(session, SOURCES).items()}
        repository.add_documents(session, docs, ids, None)
        return dict(session.execute(select(m.Document.title, m.Document.id)).all())


def test_readings_are_appended_only_when_they_change(any_engine: Engine) -> None:
    first = _post("p1", 1, engagement={"likes": 5, "views": 100})
    first.extra["engagement_read_at"] = first.fetched_at.isoformat()  # type: ignore[union-attr]
    _store(any_engine, [first])
    url, t0 = first.key, NOW - timedelta(days=1)
    with transaction(any_engine) as session:
        assert engagement.record_engagement(session, url, {"likes": 5, "views": 100}, NOW)
        assert not engagement.record_engagement(session, url, {"likes": 5, "views": 100}, NOW)
        assert engagement.record_engagement(session, url, {"likes": 9, "views": 180}, NOW)
        assert not engagement.record_engagement(session, "https://t.me/kenh/none", {}, NOW)
        rows = session.execute(
            select(m.EngagementSnapshot.read_at, m.EngagementSnapshot.likes,
                   m.EngagementSnapshot.views).order_by(m.EngagementSnapshot.id)
        ).all()  # fmt: skip
    # the reading stored with the document starts the series; the equal one is not repeated
    assert [tuple(r) for r in rows] == [(t0, 5, 100), (NOW, 9, 180)]


def test_story_velocity_counts_documents_and_engagement_growth_per_hour(any_engine: Engine) -> None:
    h = timedelta(hours=1)
    news = _post("bao", 0, source="news")
    news.published_at = NOW
    post = _post("p1", 0, engagement={"likes": 10, "shares": 2, "views": 300})  # read at NOW
    post.published_at = NOW + timedelta(minutes=20)
    once = _post("p2", 0, engagement={"likes": 4})
    once.published_at, once.extra["engagement_read_at"] = NOW + h, (NOW + 2 * h).isoformat()
    ids = _store(any_engine, [news, post, once])
    with transaction(any_engine) as session:
        story = m.Story(title="Triều cường")
        session.add(story)
        session.flush()
        for doc_id in ids.values():
            session.get(m.Document, doc_id).story_id = story.id  # type: ignore[union-attr]
        engagement.record_engagement(session, post.key, {"likes": 10, "shares": 2, "views": 300},
                                     NOW + h)  # fmt: skip
        engagement.record_engagement(session, post.key, {"likes": 30, "shares": 5, "views": 900},
                                     NOW + 2 * h)  # fmt: skip
        velocity = queries.story_engagement_velocity(session, story.id, NOW, NOW + 3 * h)
    assert [(x["hour"], x["documents"], x["posts"], x["interactions"], x["views"])
            for x in velocity["hours"]] == [
        (NOW, 2, 1, 12, 300), (NOW + h, 1, 1, 0, 0), (NOW + 2 * h, 0, 0, 23 + 4, 600),
    ]  # fmt: skip
    assert velocity["documents"] == 3 and velocity["interactions"] == 39
    assert velocity["interactions_per_hour"] == 13.0


def _held_by_flag(engine: Engine, doc_id: int, review: bool) -> None:
    with transaction(engine) as session:
        flag = m.Flag(document_id=doc_id, score=0.9, model_version="t", status="open")
        session.add(flag)
        session.flush()
        if review:
            session.add(m.Review(flag_id=flag.id, decision="dismiss", reviewer="an"))


def test_retention_deletes_old_social_posts_unless_a_flag_or_review_holds_them(
    any_engine: Engine,
) -> None:
    docs = [_post("old", 200, engagement={"likes": 1}), _post("flagged", 300),
            _post("reviewed", 400), _post("recent", 20), _post("copy", 250),
            _post("old-news", 900, source="news")]  # fmt: skip
    ids = _store(any_engine, docs)
    _held_by_flag(any_engine, ids["flagged"], review=False)
    _held_by_flag(any_engine, ids["reviewed"], review=True)
    with transaction(any_engine) as session:
        story = m.Story(title="s")
        session.add(story)
        session.flush()
        for key in ("old", "old-news"):
            session.get(m.Document, ids[key]).story_id = story.id  # type: ignore[union-attr]
        session.get(m.Document, ids["copy"]).duplicate_of = ids["old"]  # type: ignore[union-attr]
        session.get(m.Document, ids["recent"]).duplicate_of = ids["old"]  # type: ignore[union-attr]
        engagement.record_engagement(session, docs[0].key, {"likes": 3}, NOW)
        repository.refresh_story(session, story.id)
    dry = apply_retention(any_engine, 180, dry_run=True, now=NOW)
    assert (dry.expired, dry.held, dry.deleted) == (4, 2, 0)
    result = apply_retention(any_engine, 180, now=NOW)
    assert (result.expired, result.held, result.deleted) == (4, 2, 2)
    with transaction(any_engine) as session:
        left = set(session.scalars(select(m.Document.title)))
        snapshots = session.scalar(select(func.count()).select_from(m.EngagementSnapshot))
        story_row = session.get(m.Story, story.id)
        recent = session.get(m.Document, ids["recent"])
    assert left == {"flagged", "reviewed", "recent", "old-news"}
    assert snapshots == 0 and recent is not None and recent.duplicate_of is None
    assert story_row is not None and story_row.document_count == 1
    assert story_row.first_document_id == ids["old-news"]
    assert apply_retention(any_engine, 180, now=NOW).deleted == 0


def test_the_retention_command_reports_what_it_would_delete(
    engine: Engine, settings: Settings
) -> None:
    _store(engine, [_post("old", 200 - (datetime.now(UTC) - NOW).days)])  # 200 days ago
    group = social_cli(settings)
    dry = CliRunner().invoke(group, ["retention", "--dry-run"])
    assert dry.exit_code == 0 and "1 social posts expired" in dry.stdout
    assert "would delete 1" in dry.stdout
    done = CliRunner().invoke(group, ["retention", "--days", "400"])
    assert "0 social posts expired" in done.stdout and "deleted 0" in done.stdout


def test_a_channel_name_is_public_only_for_a_configured_organisation_page() -> None:
    own = Document(url="u", source="s", channel="UBND phường Sóc Trăng",
                   extra={"channel_role": "source"})  # fmt: skip
    poster = Document(url="u", source="s", channel="nguyenvana88.bsky.social",
                      extra={"channel_role": "poster"})  # fmt: skip
    listed = {
        "channel": "Sở VHTTDL",
        "extra": {"organisation_page": True, "channel_role": "poster"},
    }
    org = SourceConfig(key="o", name="O", kind="mastodon", urls=("u",), organisation=True)
    plain = SourceConfig(key="p", name="P", kind="mastodon", urls=("u",))
    assert public_channel_name(own, org) == "UBND phường Sóc Trăng"
    assert public_channel_name(own, plain) is None
    assert public_channel_name(poster, org) is None  # a poster found through an organisation's feed
    assert public_channel_name(listed, False) == "Sở VHTTDL"
    assert public_channel_name({"channel": "", "extra": {}}, True) is None
    news = Document(url="u", source="s", channel="Ban biên tập")  # no role: a channel of its own
    assert public_channel_name(news, True) == "Ban biên tập"
