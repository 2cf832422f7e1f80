"""The review desk's named queries on SQLite and on a real PostgreSQL (full-text search too)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update

from presswatch.storage import models as m
from presswatch.storage import queries
from presswatch.storage.db import session_factory, transaction
from presswatch.storage.models import utcnow
from presswatch.storage.queries import ReviewFilter, fulltext_phrases
from tests.review.seed import World, seed


@pytest.fixture
def seeded(any_engine: Engine) -> tuple[Engine, World]:
    """A seeded database on each backend."""
    return any_engine, seed(any_engine)


def flag_ids(engine: Engine, **filters: object) -> list[int]:
    """The flag ids the queue lists for a filter, in order."""
    with session_factory(engine)() as session:
        rows = queries.review_queue(session, ReviewFilter(**filters))  # type: ignore[arg-type]
        assert queries.review_queue_count(session, ReviewFilter(**filters)) == len(rows)  # type: ignore[arg-type]
        return [row["flag_id"] for row in rows]


def test_queue_order_filters_and_labels(seeded: tuple[Engine, World]) -> None:
    engine, world = seeded
    assert flag_ids(engine) == [world.false_flag, world.xss_flag]
    assert flag_ids(engine, sort="oldest") == [world.false_flag, world.xss_flag]
    assert flag_ids(engine, source_kind="social") == [world.xss_flag]
    assert flag_ids(engine, topic="image_promotion") == [world.false_flag]
    assert len(flag_ids(engine, status="all", tone="negative")) == 2
    assert flag_ids(engine, since=utcnow() + timedelta(days=1)) == []
    with session_factory(engine)() as session:
        row = queries.review_queue(session, ReviewFilter())[0]
        facets = queries.review_facets(session)
    assert row["signals"] == ["claim_match", "content_model"] and row["topics"] == [
        "image_promotion"
    ]
    assert (row["story_documents"], row["source_name"]) == (2, "Báo XYZ")
    assert facets["topics"] == ["image_promotion"] and facets["statuses"]["open"] == 2


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("giá", {"false_flag", "xss_flag"}),
        ("gia", set()),
        ("GIÁ LÚA", {"false_flag", "xss_flag"}),
        ("sóc trăng cấm", {"false_flag"}),
        ("trăng sóc", set()),
        ("lúa, đồn", {"xss_flag"}),
        ('" * ( ) ^ -', {"false_flag", "xss_flag", "dismissed"}),  # no words: no search
    ],
)
def test_fulltext_search_keeps_diacritics(
    seeded: tuple[Engine, World], search: str, expected: set[str]
) -> None:
    engine, world = seeded
    names = {world.false_flag: "false_flag", world.xss_flag: "xss_flag"}
    found = {names.get(i, "dismissed") for i in flag_ids(engine, status="all", search=search)}
    assert found == expected


def test_fulltext_follows_title_changes(seeded: tuple[Engine, World]) -> None:
    engine, world = seeded
    with transaction(engine) as session:
        session.execute(
            update(m.Document).where(m.Document.id == world.false_doc).values(title="Xâm nhập mặn")
        )
    assert flag_ids(engine, search="xâm nhập mặn") == [world.false_flag]


def test_phrases_drop_query_syntax() -> None:
    assert fulltext_phrases(' "Sóc  Trăng", NEAR(a b) , *') == ["Sóc Trăng", "NEAR a b"]
    assert fulltext_phrases("") == []


def test_document_story_sources_volume_audit(seeded: tuple[Engine, World]) -> None:
    engine, world = seeded
    since = utcnow() - timedelta(days=7)
    with session_factory(engine)() as session:
        found = queries.review_document(session, world.false_doc)
        timeline = queries.story_timeline(session, world.story)
        stories, total = queries.stories_page(session, flagged_only=True)
        latency = queries.source_latency(session, since)
        topics = queries.volume_by_day(session, "topic", since, "Asia/Ho_Chi_Minh")
        tones = queries.volume_by_day(session, "tone", since, "Asia/Ho_Chi_Minh")
        claims, claim_total = queries.claims_page(session, kind="false_claim", search="cấm")
    assert found is not None and [s.name for s in found["signals"]] == [
        "claim_match",
        "content_model",
    ]
    assert [row["id"] for row in timeline] == [world.social_doc, world.false_doc]
    assert total == 1 and stories[0]["open_flags"] == 1
    assert latency["baoxyz"] > 3600 and set(latency) == {"baoxyz", "fb-trang-tin"}
    assert sum(topics.values()) == 2 and {label for _, label in topics} == {"image_promotion"}
    assert sum(n for (_, tone), n in tones.items() if tone == "negative") == 3
    assert all(len(day) == 10 for day, _ in topics)
    assert claim_total == 1 and claims[0].id == world.claim


def test_fulltext_migration_indexes_documents_stored_before_it(sqlite_url: str) -> None:
    from alembic import command

    from presswatch.storage.db import _alembic_config, make_engine, migrate

    engine = make_engine(sqlite_url)
    migrate(engine, "0001")
    world = seed(engine)
    migrate(engine)  # creates documents_fts and fills it from the stored documents
    assert flag_ids(engine, search="sóc trăng cấm") == [world.false_flag]
    command.downgrade(_alembic_config(engine), "0001")
    with engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
    assert not [name for name in names if "fts" in name]
    engine.dispose()
