"""Acceptance: no exported digest, alert or report holds a personal handle or a phone number.

The demo's social posts (Telegram, Mastodon, Bluesky, YouTube, Reddit) are parsed from their
fixture responses, stored, marked processed as the pipeline would, two of them flagged and most
of them gathered into one fast-spreading story. Then the real delivery code builds the daily
digest, the alerts and the quarterly report, sends the e-mails to the file outbox, and every
output is searched for the posters' handles and the phone numbers and e-mail addresses in posts.
"""

from __future__ import annotations

import email
import json
import re
import zipfile
from datetime import datetime, timedelta
from email import policy
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from presswatch.crawlers.listing import parse_listing
from presswatch.demo.server import SITES, TZ, render
from presswatch.document import Document, FlagDecision, Signal, Tag
from presswatch.reports.alerts import check_alerts
from presswatch.reports.digest import build_digest
from presswatch.reports.mail import send_pending
from presswatch.reports.quarterly import Quarter, build_report
from presswatch.settings import Settings
from presswatch.sources import SourceConfig, load_sources
from presswatch.storage import models as m
from presswatch.storage import repository, runs
from presswatch.storage.db import transaction

SOCIAL = SITES / "social"
BASE = "http://127.0.0.1:8765"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
MANIFEST: list[dict[str, Any]] = json.loads((SOCIAL / "manifest.json").read_text("utf-8"))
FLAGGED = {"B1": "claim_match", "M1": "content_model"}
SPREAD = ("T2", "T3", "M1", "M2", "M3", "R1", "R2")  # the tide-flood posts: one story


def _sources(tmp_path: Path) -> dict[str, SourceConfig]:
    path = tmp_path / "sources.toml"
    path.write_text((SOCIAL / "sources.toml").read_text("utf-8").replace("{{BASE}}", BASE))
    return {s.key: s for s in load_sources(path)}


def _posts(sources: dict[str, SourceConfig]) -> list[Document]:
    posts = []
    for source in sources.values():
        route = source.urls[0].removeprefix(BASE).split("?")[0]
        file = SITES / route.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        body = render(file.read_text("utf-8"), BASE, NOW).encode("utf-8")
        posts += parse_listing(source, source.urls[0], body).documents
    for post in posts:  # collected on the test's day, whatever the wall clock says
        post.fetched_at = NOW
    return posts


def _personal_markers() -> tuple[list[str], list[str]]:
    """(handles and addresses, phone numbers) that posts carry and no export may show."""
    markers = [p for e in MANIFEST for p in e["expect"].get("personal", [])]
    phones = [p for p in markers if sum(c.isdigit() for c in p) >= 9 and "@" not in p]
    handles = [p.lstrip("@") for p in markers if p not in phones]
    return sorted(set(handles)), sorted(set(phones))


def _process(engine: Engine, sources: dict[str, SourceConfig], posts: list[Document]) -> None:
    """Store the posts and save them as the pipeline would: relevant, tagged, some flagged."""
    by_url = {e["url"]: e["id"] for e in MANIFEST}
    for post in posts:  # the tide-flood posts spread fast: all within the last hours
        if by_url[post.url] in SPREAD:
            post.published_at = NOW - timedelta(minutes=20 * (1 + SPREAD.index(by_url[post.url])))
    with transaction(engine) as session:
        ids = {k: s.id for k, s in runs.sync_sources(session, sources.values()).items()}
        repository.add_documents(session, posts, ids, None)
        stored = repository.load_batch(session, 100)
    with transaction(engine) as session:
        anchor: int | None = None
        for doc in sorted(stored, key=lambda d: by_url[d.url]):
            key = by_url[doc.url]
            doc.relevance, doc.relevance_score = 2, 0.9
            doc.topics = {"ethnic_minorities": Tag("ethnic_minorities", 0.7, ["Khmer"])}
            doc.tone = Tag("negative", 0.6)
            if key in SPREAD and anchor is not None:
                doc.extra["story_with"] = anchor
            if key in FLAGGED:
                doc.flag = FlagDecision(0.9, True, [FLAGGED[key]], [Signal(
                    FLAGGED[key], 0.9, 1.0, {"sentence": doc.text, "similarity": 0.91})],
                    "test-1")  # fmt: skip
            repository.save_processed(session, doc, NOW)
            if key in SPREAD and anchor is None:
                anchor = doc.id


def _outputs(settings: Settings, engine: Engine, data_dir: Path) -> dict[str, str]:
    """Every text the office receives: digest page, queued e-mails, sent .eml files, report."""
    digest = build_digest(engine, settings, day=NOW.date(), now=NOW)
    with transaction(engine) as session:
        alerts = check_alerts(session, settings, NOW)
    assert alerts, "the flags and the spreading story raise alerts"
    report = build_report(engine, settings, Quarter.containing(NOW, ZoneInfo(settings.timezone)),
                          data_dir / "reports", now=NOW)  # fmt: skip
    send_pending(engine, settings, now=NOW + timedelta(hours=12))
    out = {"digest page": digest.path.read_text("utf-8"), "report": report.html.read_text("utf-8")}
    with zipfile.ZipFile(report.docx) as docx:
        out["report docx"] = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode())
    with transaction(engine) as session:
        for row in session.scalars(select(m.Outbox)):
            out[f"outbox {row.kind} #{row.id}"] = "\n".join(
                (row.subject, row.body_text, row.body_html)
            )
    for eml in sorted((data_dir / "outbox").glob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        parts = [str(message["Subject"])]
        parts += [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
        out[eml.name] = "\n".join(parts)
    return out


@pytest.fixture
def exported(engine: Engine, settings: Settings, tmp_path: Path) -> dict[str, str]:
    sources = _sources(tmp_path)
    _process(engine, sources, _posts(sources))
    return _outputs(settings, engine, Path(settings.data_dir))


def test_no_export_holds_a_personal_handle_or_a_phone_number(exported: dict[str, str]) -> None:
    handles, phones = _personal_markers()
    assert handles and phones
    assert {"digest page", "report", "report docx"} <= set(exported)
    assert any(k.startswith("outbox alert") for k in exported)
    assert any(k.endswith(".eml") for k in exported)
    for name, text in exported.items():
        lowered = text.lower()
        for handle in handles:
            assert handle.lower() not in lowered, (name, handle)
        for phone in phones:
            digits = r"[\s.\-]?".join(re.sub(r"\D", "", phone))
            assert not re.search(rf"(?<!\d){digits}(?!\d)", text), (name, phone)


def test_the_exports_still_say_what_happened(exported: dict[str, str]) -> None:
    digest = exported["digest page"]
    assert "Chùa Prêk Chrôn" in digest or "chùa Prêk Chrôn" in digest  # the flagged false claim
    assert "[SĐT đã ẩn]" in digest  # the evidence sentence, redacted
    assert "Truyền hình Sông Hậu (mô phỏng)" in digest  # an organisation page keeps its name
    spread = [t for k, t in exported.items() if k.startswith("outbox alert") and "LAN TRUYỀN" in t]
    assert spread, "the story spreading across channels is alerted"


def test_a_poster_reposted_by_an_organisation_page_stays_anonymous(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    """An organisation's feed can show other people's posts (a boost, a repost)."""
    fixture = Path(__file__).resolve().parents[1] / "data" / "social" / "site"
    body = (fixture / "bluesky" / "xrpc" / "app.bsky.feed.getAuthorFeed.json").read_bytes()
    org = SourceConfig(key="bsky_org", name="Sở VHTTDL (Bluesky)", kind="bluesky",
                       urls=("https://x/xrpc/app.bsky.feed.getAuthorFeed?actor="
                             "sovhtt-cantho.example.gov.vn",), organisation=True)  # fmt: skip
    posts = parse_listing(org, org.urls[0], body).documents
    for post in posts:
        post.published_at = post.fetched_at = NOW - timedelta(hours=2)
        post.text += " Bà con Sóc Trăng lưu ý."
    with transaction(engine) as session:
        ids = {k: s.id for k, s in runs.sync_sources(session, [org]).items()}
        repository.add_documents(session, posts, ids, None)
        for doc in repository.load_batch(session, 10):
            doc.relevance = 2
            repository.save_processed(session, doc, NOW)
    page = build_digest(engine, settings, day=NOW.date(), now=NOW).path.read_text("utf-8")
    assert "sovhtt-cantho.example.gov.vn" in page  # the organisation's own page: named
    assert "mekong-traveller.bsky.social" not in page  # a person reposted by it: not named
