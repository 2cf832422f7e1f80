"""Clean: exact duplicates dropped, near-duplicates joined into one story, others kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.dedup import DedupIndex, Deduplicate, jaccard, shingles
from presswatch.pipeline.normalize import Normalize
from presswatch.sources import SourceConfig
from presswatch.storage import models as m
from presswatch.storage import repository, runs
from presswatch.storage.db import transaction

STORY = Path(__file__).parents[1] / "data" / "dedup"


def _texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(STORY.glob("*.txt"))}


def _process(engine: Engine, names: list[str]) -> dict[str, Document | str]:
    texts = _texts()
    with transaction(engine) as session:
        ids = {
            k: s.id
            for k, s in runs.sync_sources(
                session, [SourceConfig(key="a", name="A", kind="rss", urls=("u",))]
            ).items()
        }
        docs = [
            Document(url=f"http://a.example/{n}", source="a", text=texts[n], title=n) for n in names
        ]
        repository.add_documents(
            session, [Normalize(("vi",), 20).process(d) for d in docs], ids, None
        )
        batch = repository.load_batch(session, 100)
    stage = Deduplicate(DedupIndex(engine), 0.7)
    results: dict[str, Document | str] = {}
    with transaction(engine) as session:
        for doc in batch:
            try:
                results[doc.title] = stage.process(doc)
                repository.save_processed(session, doc)
            except Drop as drop:
                results[doc.title] = drop.reason
                repository.save_dropped(session, doc, drop.reason)
    return results


def test_edited_copies_share_a_story_and_unrelated_text_does_not(engine: Engine) -> None:
    results = _process(engine, ["original", "edited_copy", "no_diacritics_repost", "unrelated"])
    with transaction(engine) as session:
        stories = dict(session.execute(select(m.Document.title, m.Document.story_id)).all())
    assert stories["original"] == stories["edited_copy"] == stories["no_diacritics_repost"]
    assert stories["unrelated"] != stories["original"]
    edited = results["edited_copy"]
    assert isinstance(edited, Document) and 0.7 <= edited.extra["similarity"] < 1


def test_exact_duplicate_is_dropped_into_the_same_story(engine: Engine) -> None:
    _process(engine, ["original"])
    results = _process(engine, ["original_again"])
    assert isinstance(results["original_again"], str)
    assert results["original_again"].startswith("exact duplicate of #")
    with transaction(engine) as session:
        rows = dict(session.execute(select(m.Document.title, m.Document.story_id)).all())
        story = session.scalars(select(m.Story)).one()
    assert rows["original_again"] == rows["original"] and story.document_count == 2


def test_duplicates_inside_one_batch_are_found(engine: Engine) -> None:
    results = _process(engine, ["original", "original_again", "edited_copy"])
    assert results["original_again"] == f"exact duplicate of #{1}"
    with transaction(engine) as session:
        assert session.scalars(select(m.Story)).one().document_count == 3


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [("original", "edited_copy", 0.7, 0.99), ("original", "unrelated", 0.0, 0.05)],
)
def test_jaccard_of_shingles(a: str, b: str, low: float, high: float) -> None:
    texts = _texts()
    assert low <= jaccard(shingles(texts[a]), shingles(texts[b])) <= high
