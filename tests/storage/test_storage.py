"""Storage on SQLite and on a real PostgreSQL: migrations, idempotent writes, stories, flags."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from presswatch.document import Document, FlagDecision, Signal, Tag
from presswatch.sources import SourceConfig
from presswatch.storage import models as m
from presswatch.storage import queries, repository, runs
from presswatch.storage.db import check_schema, migrate, table_names, transaction

T0 = datetime(2025, 7, 2, 8, 30, tzinfo=UTC)


def _source_ids(engine: Engine) -> dict[str, int]:
    configs = [
        SourceConfig(key="a", name="A", kind="rss", urls=("http://a.example/rss",)),
        SourceConfig(
            key="b", name="B", kind="rss", urls=("http://b.example/rss",), source_kind="foreign"
        ),
    ]
    with transaction(engine) as session:
        return {k: s.id for k, s in runs.sync_sources(session, configs).items()}


def _doc(n: int, source: str = "a") -> Document:
    return Document(
        url=f"http://{source}.example/{n}.html",
        source=source,
        title=f"Bài {n}",
        text=f"Nội dung bài {n} ở phường Sóc Trăng.",
        published_at=T0 + timedelta(hours=n),
        canonical_url=f"http://{source}.example/{n}.html",
    )


def test_migrations_are_idempotent_and_complete(any_engine: Engine) -> None:
    migrate(any_engine)
    check_schema(any_engine)
    assert {
        "documents",
        "stories",
        "sources",
        "tags",
        "flags",
        "reviews",
        "outbox",
        "crawl_runs",
    } <= set(table_names(any_engine))


def test_documents_are_stored_once_whatever_the_reruns(any_engine: Engine) -> None:
    ids = _source_ids(any_engine)
    docs = [_doc(1), _doc(2), _doc(1)]
    with transaction(any_engine) as session:
        assert repository.add_documents(session, docs, ids, None) == 2
    with transaction(any_engine) as session:
        assert repository.add_documents(session, [_doc(2), _doc(3)], ids, None) == 1
        assert repository.known_urls(session, ["http://a.example/3.html", "http://x/1"]) == {
            "http://a.example/3.html"
        }
        assert queries.count_documents_by_status(session) == {"fetched": 3}


def test_times_come_back_as_utc(any_engine: Engine) -> None:
    ids = _source_ids(any_engine)
    hanoi = datetime(2025, 7, 2, 15, 30, tzinfo=UTC).astimezone()
    with transaction(any_engine) as session:
        repository.add_documents(session, [_doc(1)], ids, None)
        row = session.scalars(select(m.Document)).one()
        row.published_at = hanoi
    with transaction(any_engine) as session:
        stored = session.scalars(select(m.Document)).one().published_at
    assert stored == hanoi and stored is not None and stored.utcoffset() == timedelta(0)


def test_processed_document_gets_story_tags_and_flag_with_signals(any_engine: Engine) -> None:
    ids = _source_ids(any_engine)
    with transaction(any_engine) as session:
        repository.add_documents(session, [_doc(1), _doc(2, "b")], ids, None)
        first, second = repository.load_batch(session, 10)
    first.topics = {"fisheries": Tag("fisheries", 0.9, ["tàu cá"], "t1")}
    first.tone = Tag("negative", 0.7, [], "tone1")
    first.flag = FlagDecision(
        0.91,
        True,
        ["repeats a known false claim"],
        [Signal("claim_match", 0.95, 0.6, {"claim_id": 1, "sentence": "…"})],
        "m1",
    )
    second.extra["story_with"] = first.id
    with transaction(any_engine) as session:
        repository.save_processed(session, first)
        repository.save_processed(session, second)
    with transaction(any_engine) as session:
        story = session.scalars(select(m.Story)).one()
        flag = session.scalars(select(m.Flag)).one()
        signals = session.scalars(select(m.FlagSignal)).all()
        tags = {(t.kind, t.label) for t in session.scalars(select(m.Tag))}
    assert (story.document_count, story.source_count) == (2, 2)
    assert story.first_document_id == first.id and story.first_seen_at == T0 + timedelta(hours=1)
    assert flag.model_version == "m1" and flag.status == "open" and flag.reasons
    assert [(s.name, s.evidence["claim_id"]) for s in signals] == [("claim_match", 1)]
    assert {("topic", "fisheries"), ("tone", "negative")} <= tags


def test_reprocessing_replaces_tags_and_keeps_review_status(any_engine: Engine) -> None:
    ids = _source_ids(any_engine)
    with transaction(any_engine) as session:
        repository.add_documents(session, [_doc(1)], ids, None)
        (doc,) = repository.load_batch(session, 10)
    doc.flag = FlagDecision(
        0.8, True, ["r"], [Signal("content_model", 0.8, 1.0, {"terms": ["x"]})], "m1"
    )
    doc.topics = {"religion": Tag("religion", 0.6)}
    with transaction(any_engine) as session:
        repository.save_processed(session, doc)
        session.execute(m.Flag.__table__.update().values(status="confirmed"))
    doc.topics = {"asean": Tag("asean", 0.7)}
    doc.flag = FlagDecision(
        0.85, True, ["r2"], [Signal("content_model", 0.85, 1.0, {"terms": ["y"]})], "m2"
    )
    with transaction(any_engine) as session:
        repository.save_processed(session, doc)
    with transaction(any_engine) as session:
        topics = list(session.scalars(select(m.Tag.label).where(m.Tag.kind == "topic")))
        flag = session.scalars(select(m.Flag)).one()
        n_signals = session.scalar(select(func.count()).select_from(m.FlagSignal))
    assert topics == ["asean"]
    assert (flag.status, flag.model_version, n_signals) == ("confirmed", "m2", 1)


def test_source_backoff_doubles_and_success_resets(any_engine: Engine) -> None:
    ids = _source_ids(any_engine)
    with transaction(any_engine) as session:
        for _ in range(3):
            runs.record_source_result(
                session, ids["a"], ok=False, status="error", error="http_500", backoff_minutes=10
            )
        source = session.get(m.Source, ids["a"])
        assert source is not None and source.consecutive_failures == 3
        assert source.next_attempt_at is not None and source.last_fetch_at is not None
        assert source.next_attempt_at - source.last_fetch_at == timedelta(minutes=40)
        runs.record_source_result(session, ids["a"], ok=True, status="ok", etag='"x"')
        assert (source.consecutive_failures, source.etag, source.last_error) == (0, '"x"', "")


def test_runs_keep_counts_of_what_was_dropped_and_why(any_engine: Engine) -> None:
    with transaction(any_engine) as session:
        run = runs.start_run(session, "crawl", ["a"], 123)
        runs.finish_run(
            session,
            run.id,
            fetched=5,
            kept=3,
            dropped=Counter({"already stored": 2}),
            errors=Counter({"http_500": 1}),
        )
    with transaction(any_engine) as session:
        (stored,) = queries.recent_runs(session)
    assert (stored.status, stored.kept, stored.dropped, stored.errors) == (
        "finished",
        3,
        {"already stored": 2},
        {"http_500": 1},
    )
