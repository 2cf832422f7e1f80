"""The demo end to end: fixture sites → crawl → process → digest, alerts, report."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from presswatch.demo.server import SITES
from presswatch.storage import models as m
from presswatch.storage.db import make_engine, transaction

MANIFEST = [e for e in json.loads((SITES / "manifest.json").read_text()) if e["collect"]]
SOCIAL = json.loads((SITES / "social" / "manifest.json").read_text())


@dataclass
class Demo:
    """A finished demo run: its work folder, output and database."""

    workdir: Path
    stdout: str
    engine: Engine

    def documents(self) -> dict[str, m.Document]:
        """Stored news documents by their fixture path."""
        with transaction(self.engine) as session:
            rows = session.scalars(select(m.Document)).all()
        return {_path(row.canonical_url): row for row in rows}

    def tags(self, document_id: int, kind: str) -> set[str]:
        with transaction(self.engine) as session:
            stmt = select(m.Tag.label).where(m.Tag.document_id == document_id, m.Tag.kind == kind)
            return set(session.scalars(stmt))


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else url


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    workdir = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sys.executable, "-m", "presswatch", "demo", "--workdir", str(workdir)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    engine = make_engine(f"sqlite:///{workdir / 'presswatch.db'}")
    yield Demo(workdir, result.stdout, engine)
    engine.dispose()


def _entries(**expect: Any) -> list[dict[str, Any]]:
    return [e for e in MANIFEST if all(e["expect"].get(k) == v for k, v in expect.items())]


def test_demo_prints_where_its_outputs_went(demo: Demo) -> None:
    assert f"database: {demo.workdir / 'presswatch.db'}" in demo.stdout
    for name in ("digests", "e-mails", "reports"):
        assert f"\n{name}: " in demo.stdout
    assert list(demo.workdir.glob("digests/*.html")) and list(demo.workdir.glob("outbox/*.eml"))
    assert list(demo.workdir.glob("reports/*.docx")) and list(demo.workdir.glob("reports/*.html"))


def test_every_fixture_document_is_stored_exactly_once(demo: Demo) -> None:
    docs = demo.documents()
    post_urls = {e["url"] for e in SOCIAL}
    assert post_urls <= {row.canonical_url for row in docs.values()}
    news = {path for path, row in docs.items() if row.canonical_url not in post_urls}
    assert news == {e["path"] for e in MANIFEST}
    assert len(docs) == len({row.canonical_url for row in docs.values()})


def test_a_social_post_joins_the_news_story_it_repeats(demo: Demo) -> None:
    docs = demo.documents()
    by_url = {row.canonical_url: row for row in docs.values()}
    news_ids = {e["id"]: docs[e["path"]] for e in MANIFEST}
    joined = [e for e in SOCIAL if e["expect"].get("story_of")]
    assert joined
    for entry in joined:
        post, article = by_url[entry["url"]], news_ids[entry["expect"]["story_of"]]
        assert post.story_id is not None and post.story_id == article.story_id
        with transaction(demo.engine) as session:
            story = session.get(m.Story, post.story_id)
        assert story is not None and story.first_document_id == article.id


def test_near_duplicates_form_one_story(demo: Demo) -> None:
    docs = demo.documents()
    stories: dict[str, set[int | None]] = {}
    for entry in MANIFEST:
        if entry["expect"].get("story"):
            stories.setdefault(entry["expect"]["story"], set()).add(docs[entry["path"]].story_id)
    assert stories and all(len(ids) == 1 and None not in ids for ids in stories.values())
    lone = [
        docs[e["path"]].story_id
        for e in MANIFEST
        if docs[e["path"]].status == "processed" and not e["expect"].get("story")
    ]
    assert len(lone) == len(set(lone)), "unrelated documents never share a story"


@pytest.mark.parametrize("names", ["old", "new", "both"])
def test_region_is_found_under_old_and_new_names(demo: Demo, names: str) -> None:
    docs = demo.documents()
    entries = [e for e in _entries(names=names) if e["expect"]["relevance"] > 0]
    assert entries
    for entry in entries:
        row = docs[entry["path"]]
        assert row.status == "processed" and row.relevance >= 1, (entry["path"], row.drop_reason)
        assert demo.tags(row.id, "place"), entry["path"]


def test_no_soc_trang_false_match_on_white_stripes(demo: Demo) -> None:
    docs = demo.documents()
    for entry in _entries(role="homograph"):
        row = docs[entry["path"]]
        assert row.status == "dropped" and row.drop_reason.startswith("not about the region")
        assert not demo.tags(row.id, "place")


def test_digest_lists_the_relevant_documents(demo: Demo) -> None:
    (page,) = demo.workdir.glob("digests/*.html")
    text = page.read_text(encoding="utf-8")
    docs = demo.documents()
    recent = [row for row in docs.values() if row.status == "processed"]
    assert recent
    listed = [row for row in recent if html.escape(row.title, quote=False) in text]
    assert listed, "the digest lists the day's relevant documents"
    (mail,) = [p for p in demo.workdir.glob("outbox/*.eml") if "digest" in p.name]
    assert "Subject:" in mail.read_text(encoding="utf-8")


def _flags(demo: Demo) -> dict[int, tuple[m.Flag, list[m.FlagSignal]]]:
    with transaction(demo.engine) as session:
        flags = session.scalars(select(m.Flag)).all()
        return {
            f.document_id: (
                f,
                list(session.scalars(select(m.FlagSignal).where(m.FlagSignal.flag_id == f.id))),
            )
            for f in flags
        }


@pytest.mark.parametrize("role", ["false_claim_paraphrase", "false_claim_verbatim"])
def test_repeats_of_the_known_false_claim_are_flagged_with_evidence(demo: Demo, role: str) -> None:
    docs, flags = demo.documents(), _flags(demo)
    (entry,) = _entries(role=role)
    flag, signals = flags[docs[entry["path"]].id]
    match = next(s for s in signals if s.name == "claim_match")
    assert match.evidence["sentence"] and match.evidence["claim_id"]
    assert match.evidence["sentence"] in docs[entry["path"]].text
    assert flag.reasons and flag.model_version and flag.status == "open"


@pytest.mark.parametrize("role", ["criticism", "debunk"])
def test_criticism_and_the_debunk_itself_are_not_flagged(demo: Demo, role: str) -> None:
    docs, flags = demo.documents(), _flags(demo)
    for entry in _entries(role=role):
        assert docs[entry["path"]].id not in flags, entry["path"]


def test_every_stored_flag_has_evidence_and_a_model_version(demo: Demo) -> None:
    flags = _flags(demo)
    assert flags
    for flag, signals in flags.values():
        assert flag.model_version and flag.reasons
        assert signals and any(s.evidence for s in signals)


def test_the_alert_and_the_report_went_out(demo: Demo) -> None:
    alerts = [p for p in demo.workdir.glob("outbox/*.eml") if "alert" in p.name]
    assert alerts, "the flagged false claim alerts the analysts"


def test_the_review_desk_shows_the_demo_flag_with_its_evidence(demo: Demo) -> None:
    from fastapi.testclient import TestClient

    from presswatch.review.accounts import add_user
    from presswatch.review.app import create_app
    from presswatch.settings import load_settings
    from tests.review.conftest import login

    settings = load_settings(demo.workdir / "settings.toml", environ={})
    with transaction(demo.engine) as session:
        add_user(session, "analyst", "analyst", "mật-khẩu-đủ-dài-2025", actor="test")
    (entry,) = _entries(role="false_claim_paraphrase")
    doc = demo.documents()[entry["path"]]
    _flag, signals = _flags(demo)[doc.id]
    sentence = next(s for s in signals if s.name == "claim_match").evidence["sentence"]
    with TestClient(create_app(settings, demo.engine), follow_redirects=False) as client:
        assert login(client, "analyst", "mật-khẩu-đủ-dài-2025").status_code == 303
        queue = client.get("/queue").text
        page = client.get(f"/documents/{doc.id}").text
    assert html.escape(doc.title, quote=False) in queue
    assert "<mark" in page and html.escape(sentence[:40], quote=False) in page


def test_classify_follows_the_contract_on_demo_data_and_broken_lines(demo: Demo) -> None:
    docs = demo.documents()
    (claim,) = _entries(role="false_claim_paraphrase")
    (critic,) = _entries(role="criticism")
    records = [
        {
            "id": key,
            "title": docs[e["path"]].title,
            "text": docs[e["path"]].text,
            "source": e["outlet"],
        }
        for key, e in (("paraphrase", claim), ("criticism", critic))
    ]
    lines = [
        json.dumps(records[0], ensure_ascii=False),
        "{broken",
        '{"id": "x"}',
        json.dumps(records[1], ensure_ascii=False),
    ]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "presswatch",
            "--config",
            str(demo.workdir / "settings.toml"),
            "classify",
        ],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert set(out) == {"paraphrase", "criticism"}
    assert "line 2: skipped" in result.stderr and "line 3: skipped" in result.stderr
    keys = {
        "id",
        "relevance",
        "relevance_score",
        "topics",
        "topic_scores",
        "tone",
        "tone_score",
        "misinfo_score",
        "flag",
        "reasons",
    }
    assert all(set(row) == keys for row in out.values())
    assert out["paraphrase"]["flag"] and out["paraphrase"]["reasons"]
    assert not out["criticism"]["flag"] and out["criticism"]["relevance"] == 2
