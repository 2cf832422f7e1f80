"""Misinformation stage on the demo: the known false claim is flagged with its evidence, the
criticism is not, the contradicted figure is found, and every stored flag explains itself."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from presswatch.claims.base import import_claims
from presswatch.claims.policy import load_policy
from presswatch.document import Document
from presswatch.pipeline.dedup import Deduplicate
from presswatch.pipeline.misinfo import Misinformation, contract_fields, load_content_model
from presswatch.pipeline.normalize import Normalize
from presswatch.pipeline.runner import run_stages
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage import repository, runs
from presswatch.storage.db import transaction
from tests.claims.demo import demo_claims, demo_documents, demo_sources, demo_sources_text
from tests.conftest import REPO


@pytest.fixture(scope="module")
def stage() -> Misinformation:
    """The stage with the demo's claim base, sources and the content model, without a database."""
    policy = load_policy(REPO / "config" / "flagging.toml")
    model, post_type = load_content_model()
    return Misinformation(policy, demo_claims(), demo_sources(), model, post_type)


def assess(stage: Misinformation, key: str) -> Document:
    doc = demo_documents()[key]
    copy = Document(**{f: getattr(doc, f) for f in doc.__dataclass_fields__})
    copy.extra = {}
    return stage.process(copy)


def test_paraphrase_is_flagged_with_claim_sentence_and_signals(stage: Misinformation) -> None:
    doc = assess(stage, "Q1")  # a foreign outlet paraphrases the debunked claim
    flag = doc.flag
    assert flag is not None and flag.flagged
    match = next(s for s in flag.signals if s.name == "claim_match")
    assert match.evidence["claim_id"] == 1
    assert match.evidence["claim"] == demo_claims()[0].text
    assert "trưng thu" in match.evidence["sentence"] and "resort" in match.evidence["sentence"]
    start, end = match.evidence["spans"][0]
    assert doc.text[start:end] == match.evidence["sentence"]
    assert match.evidence["correction"].startswith("Không có quyết định thu hồi đất")
    assert flag.reasons[0].startswith("Lặp lại thông tin sai đã được bác bỏ")
    assert flag.model_version.startswith("comb-") and "+" in flag.model_version


def test_verbatim_repeat_is_flagged(stage: Misinformation) -> None:
    flag = assess(stage, "G1").flag  # a blog repeats the claim word for word
    assert flag is not None and flag.flagged
    match = next(s for s in flag.signals if s.name == "claim_match")
    assert match.score == 1.0 and match.weight > 0
    assert match.evidence["sentence"] == demo_claims()[0].text


def test_criticism_of_an_authority_is_not_flagged(stage: Misinformation) -> None:
    flag = assess(stage, "D4").flag  # the press criticises slow road repairs: no false claim
    assert flag is not None and not flag.flagged and flag.reasons == []
    assert not [s for s in flag.signals if s.name in ("claim_match", "fact_contradiction")]


def test_the_debunk_itself_is_not_flagged(stage: Misinformation) -> None:
    flag = assess(stage, "S4").flag  # the office's page quotes the claim to refute it
    assert flag is not None and not flag.flagged


def test_contradicted_fact_is_found(stage: Misinformation) -> None:
    doc = assess(stage, "N8")  # "hơn 120 ngôi chùa Khmer" against the verified 92
    assert doc.flag is not None
    (found,) = [s for s in doc.flag.signals if s.name == "fact_contradiction"]
    assert found.evidence["verified"] == "92" and found.evidence["stated"] == "hơn 120 ngôi chùa"
    assert found.evidence["fact_id"] == 2 and found.evidence["source_url"].endswith(".html")
    start, end = found.evidence["spans"][0]
    assert doc.text[start:end] == found.evidence["sentence"]


@pytest.mark.parametrize("key", ["D1", "D2", "D3", "G2", "G3", "G4", "N1", "N4", "Q2", "Q3"])
def test_ordinary_coverage_is_not_flagged(stage: Misinformation, key: str) -> None:
    flag = assess(stage, key).flag
    assert flag is not None and not flag.flagged


def test_classify_contract_fields(stage: Misinformation) -> None:
    fields = contract_fields(assess(stage, "Q1"))
    assert fields["flag"] is True and 0.0 <= fields["misinfo_score"] <= 1.0
    assert fields["reasons"] and all(isinstance(r, str) for r in fields["reasons"])
    calm = contract_fields(assess(stage, "D4"))
    assert calm["flag"] is False and calm["reasons"] == []


# --- through the database -------------------------------------------------------------------


@pytest.fixture
def demo_settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Settings whose config/ holds the flagging policy and the demo's sources."""
    config = tmp_path / "config"
    config.mkdir()
    shutil.copyfile(REPO / "config" / "flagging.toml", config / "flagging.toml")
    (config / "sources.toml").write_text(demo_sources_text(), encoding="utf-8")
    return Settings({"database_url": sqlite_url, "config_dir": str(config),
                     "data_dir": str(tmp_path)}, base_dir=tmp_path)  # fmt: skip


def _store(engine: Engine, docs: list[Document]) -> None:
    with transaction(engine) as session:
        ids = {k: s.id for k, s in runs.sync_sources(session, demo_sources().values()).items()}
        repository.add_documents(session, docs, ids, None)


def _process(settings: Settings, engine: Engine, batch: int = 200) -> None:
    stages = (Normalize.from_settings(settings), Deduplicate.from_settings(settings, engine),
              Misinformation.from_settings(settings, engine=engine))  # fmt: skip
    while True:
        with transaction(engine) as session:
            docs = repository.load_batch(session, batch)
        if not docs:
            return
        outcomes = [run_stages(stages, doc) for doc in docs]
        with transaction(engine) as session:
            for outcome in outcomes:
                if outcome.dropped:
                    repository.save_dropped(session, outcome.doc, outcome.dropped)
                else:
                    repository.save_processed(session, outcome.doc)


@pytest.fixture
def processed(demo_settings: Settings, engine: Engine) -> Iterator[Engine]:
    """The demo documents processed with the demo claim base in the database."""
    with transaction(engine) as session:
        import_claims(session, demo_claims())
    _store(engine, list(demo_documents().values()))
    _process(demo_settings, engine)
    yield engine


def test_every_stored_flag_has_evidence_and_a_model_version(processed: Engine) -> None:
    with transaction(processed) as session:
        flags = list(session.scalars(select(m.Flag)))
        assert flags, "the demo must raise flags"
        for flag in flags:
            signals = list(
                session.scalars(select(m.FlagSignal).where(m.FlagSignal.flag_id == flag.id))
            )
            assert any(s.evidence for s in signals), flag.id
            assert all(s.evidence for s in signals), flag.id
            assert flag.model_version.startswith("comb-") and "+" in flag.model_version
            assert flag.reasons and 0.0 <= flag.score <= 1.0


def test_demo_flags_are_the_false_claim_and_its_repeats(processed: Engine) -> None:
    with transaction(processed) as session:
        flagged = set(session.scalars(select(m.Document.url).join(m.Flag)))
    docs = demo_documents()
    assert {docs["G1"].url, docs["Q1"].url} <= flagged
    assert docs["D4"].url not in flagged and docs["S4"].url not in flagged


def _tide_posts() -> list[Document]:
    text = (
        "Cảnh báo: nước sông Maspero đổi màu đen kịt từ sáng nay, bà con ven sông nên hạn chế "
        "dùng nước sông để sinh hoạt cho tới khi có thông báo của cơ quan chức năng."
    )
    start = datetime(2025, 11, 1, 8, 0, tzinfo=UTC)
    posts = [
        Document(url=f"https://x.example/{i}", source=key, source_kind=kind, title="Cảnh báo",
                 text=text + suffix, published_at=start + timedelta(hours=i))
        for i, (key, kind, suffix) in enumerate([("gocnhin", "social", ""),
                                                  ("quocte", "foreign", " Chia sẻ."),
                                                  ("dongbang", "domestic", " Tin nóng.")])
    ]  # fmt: skip
    return posts


def test_spike_of_near_identical_posts_across_sources(
    demo_settings: Settings, engine: Engine
) -> None:
    _store(engine, _tide_posts())
    _process(demo_settings, engine, batch=1)  # one by one: each sees the ones before it
    stage = Misinformation.from_settings(demo_settings, engine=engine)
    with transaction(engine) as session:
        last = repository.to_dataclass(session.get_one(m.Document, 3), "dongbang")
    spike = next(s for s in stage.signals(last) if s.name == "spike")
    assert spike.evidence["sources"] == 3 and spike.evidence["documents"] == 3
    assert spike.evidence["story_id"] == last.story_id


def test_spike_counts_copies_that_arrive_in_the_same_batch(
    demo_settings: Settings, engine: Engine
) -> None:
    """A burst of copies usually comes in one crawl: none of them is saved when the next is seen."""
    _store(engine, _tide_posts())
    stages = (Normalize.from_settings(demo_settings),
              Deduplicate.from_settings(demo_settings, engine),
              Misinformation.from_settings(demo_settings, engine=engine))  # fmt: skip
    with transaction(engine) as session:
        docs = repository.load_batch(session, 10)
    first = [run_stages(stages[:2], doc) for doc in docs]  # serial stages see the whole batch
    outcomes = [run_stages(stages[2:], o.doc) for o in first]  # then the workers' stages
    assert not any(o.dropped for o in outcomes)
    spikes = [[s for s in o.doc.flag.signals if s.name == "spike"] for o in outcomes]  # type: ignore[union-attr]
    assert [len(s) for s in spikes] == [0, 0, 1]  # the third copy makes three sources
    assert spikes[2][0].evidence["sources"] == 3 and spikes[2][0].evidence["documents"] == 3
    with transaction(engine) as session:
        for outcome in outcomes:
            repository.save_processed(session, outcome.doc)
        stored = session.scalars(select(m.Document.extra)).all()
    assert all("story_peers" not in extra for extra in stored)  # a processing aid, not stored


def test_new_claims_are_picked_up_by_refresh(demo_settings: Settings, engine: Engine) -> None:
    stage = Misinformation.from_settings(demo_settings, engine=engine)
    assert len(stage.matcher) == 0
    with transaction(engine) as session:
        import_claims(session, demo_claims())
    assert stage.refresh() and len(stage.matcher) == 1 and len(stage.facts) == 4
    assert not stage.refresh()
