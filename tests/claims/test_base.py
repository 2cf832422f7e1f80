"""The claim base: JSON, CSV and ClaimReview import, idempotence, export, the crawled-page hook."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from presswatch.claims.base import (
    export_text,
    import_claims,
    parse_claims,
    read_claims,
    store_claimreview_documents,
)
from presswatch.claims.claimreview import parse_claimreviews
from presswatch.claims.records import ClaimEntry
from presswatch.crawlers.claimreview import parse_claimreview_page
from presswatch.demo.server import SITES, render
from presswatch.document import Document
from presswatch.errors import InputError
from presswatch.sources import SourceConfig
from presswatch.storage import models as m
from presswatch.storage import queries
from presswatch.storage.db import transaction
from tests.claims.demo import BASE, NOW, demo_claims

DATA = Path(__file__).parent / "data"
DEBUNK = "/sovhtt/canh-bao/thong-tin-thu-hoi-dat-chua-prek-chron-la-sai-su-that.html"


def test_demo_claims_file_with_placeholders_filled() -> None:
    entries = demo_claims()
    assert [e.kind for e in entries].count("false_claim") == 1
    assert [e.kind for e in entries].count("fact") == 4
    prek = entries[0]
    assert prek.text.startswith("Chính quyền thu hồi đất chùa Prêk Chrôn")
    assert prek.source_url == BASE + DEBUNK
    assert prek.published_at is not None and prek.published_at.tzinfo is not None
    assert "chùa Prêk Chrôn" in prek.keywords and prek.correction
    pagodas = entries[1]
    assert (pagodas.subject, pagodas.value) == ("số ngôi chùa Khmer ở khu vực Sóc Trăng (cũ)", "92")


def test_csv_with_keywords_and_iso_dates(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(
        "kind,text,correction,source_url,published_at,keywords\n"
        'false_claim,"Cá chết vì sông bị nhiễm độc.",Sai.,https://x.example/a,2025-10-01,'
        '"cá chết; nhiễm độc"\n'
        'fact,"Có 92 ngôi chùa.",,,,\n',
        encoding="utf-8",
    )
    first, second = read_claims(path)
    assert first.keywords == ("cá chết", "nhiễm độc")
    assert first.published_at is not None and first.published_at.utcoffset() is not None
    assert second.kind == "fact" and second.keywords == ()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('[{"kind": "rumour", "text": "x"}]', "kind 'rumour' is not one of"),
        ('[{"kind": "fact"}]', "entry 1: no claim text"),
        ('[{"text": "x", "source_url": "javascript:alert(1)"}]', "must start with http"),
        ('[{"text": "x", "published_at": "hôm qua"}]', "not an ISO 8601 date"),
        ("[1, 2", "not valid JSON"),
        ('"just a string"', "expected a list of claims"),
    ],
)
def test_bad_input_names_entry_and_field(raw: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_claims(raw, "json", name="claims.json")


def test_unknown_extension_asks_for_the_format(tmp_path: Path) -> None:
    path = tmp_path / "claims.txt"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="--format"):
        read_claims(path)


def test_claimreview_markup_from_a_page() -> None:
    reviews = read_claims(DATA / "claimreview_page.html")
    assert [r.kind for r in reviews] == ["false_claim", "fact"]
    false, true = reviews
    assert false.text == "Lễ hội Oóc Om Bóc năm nay bị hủy vì không có kinh phí."
    assert false.correction.startswith("Lễ hội vẫn diễn ra")
    assert false.source_url == "https://kiemchung.example/le-hoi-bi-huy"
    assert false.published_at is not None and false.published_at.isoformat().startswith(
        "2025-10-20"
    )
    assert false.keywords == ("Oóc Om Bóc", "hủy", "kinh phí")
    assert false.origin["appearances"] == ["https://mxh.example/bai-1", "https://mxh.example/bai-2"]
    assert true.correction == "" and true.origin["rating"] == "Đúng"


def test_demo_debunk_page_markup() -> None:
    html = render((SITES / DEBUNK.lstrip("/")).read_text("utf-8"), BASE, NOW)
    (review,) = parse_claimreviews(html, BASE + DEBUNK)
    assert review.kind == "false_claim" and review.text == demo_claims()[0].text
    assert review.origin["rating"] == "Sai sự thật"
    assert review.correction.startswith("Không có bất kỳ quyết định thu hồi đất")
    assert review.source_url == BASE + DEBUNK


def _count(engine: Engine, model: Any) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_import_is_idempotent_and_audited(engine: Engine) -> None:
    entries = demo_claims()
    with transaction(engine) as session:
        first = import_claims(session, entries, actor="test")
    with transaction(engine) as session:
        again = import_claims(session, entries, actor="test")
    assert len(first.created) == len(entries) and not first.updated
    assert len(again.unchanged) == len(entries) and not again.created and not again.updated
    assert _count(engine, m.Claim) == len(entries)
    assert _count(engine, m.AuditLog) == 1


def test_reimport_fills_changes_but_keeps_an_analysts_switch_off(engine: Engine) -> None:
    entry = demo_claims()[0]
    with transaction(engine) as session:
        (claim_id,) = import_claims(session, [entry]).created
        session.get_one(m.Claim, claim_id).active = False
    changed = ClaimEntry(kind=entry.kind, text=" " + entry.text.upper() + " ", correction="Mới.")
    with transaction(engine) as session:
        summary = import_claims(session, [changed])
        row = session.get_one(m.Claim, claim_id)
        assert summary.updated == [claim_id]
        assert (row.correction, row.active, row.source_url) == ("Mới.", False, entry.source_url)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_reimports_to_the_same_entries(engine: Engine, fmt: str) -> None:
    with transaction(engine) as session:
        import_claims(session, demo_claims())
        text = export_text(queries.claims_listing(session), fmt)
    again = parse_claims(text, fmt)
    assert [(e.kind, e.text, e.keywords, e.value) for e in again] == [
        (e.kind, e.text, e.keywords, e.value) for e in demo_claims()
    ]
    with transaction(engine) as session:
        assert len(import_claims(session, again).unchanged) == len(again)


def test_crawled_claimreview_page_becomes_a_document_with_its_claims() -> None:
    source = SourceConfig("debunks", "Trang cảnh báo", "claimreview", (BASE + "/sovhtt/",),
                          source_kind="official", reliability=1.0)  # fmt: skip
    html = render((SITES / DEBUNK.lstrip("/")).read_text("utf-8"), BASE, NOW).encode()
    result = parse_claimreview_page(source, BASE + DEBUNK, html)
    (doc,) = result.documents
    assert doc.source == "debunks" and doc.source_kind == "official"
    assert "sai sự thật" in doc.text
    assert doc.extra["claimreview"][0]["text"] == demo_claims()[0].text
    json.dumps(doc.extra)  # stored as JSON with the document


def test_listing_page_is_followed_with_the_same_parser() -> None:
    source = SourceConfig("debunks", "Trang cảnh báo", "claimreview", (BASE + "/sovhtt/",),
                          source_kind="official", follow="/canh-bao/")  # fmt: skip
    html = render((SITES / "sovhtt" / "index.html").read_text("utf-8"), BASE, NOW).encode()
    result = parse_claimreview_page(source, BASE + "/sovhtt/", html)
    assert result.next_pages == [BASE + DEBUNK]
    assert not result.documents and not result.links


@dataclass
class _Outcome:
    doc: Document
    dropped: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def test_after_save_hook_stores_crawled_claims_and_skips_bad_ones(engine: Engine) -> None:
    good = {"kind": "false_claim", "text": "Tin đồn A.", "published_at": "2025-10-01"}
    bad = {"kind": "rumour", "text": "Tin đồn B."}
    doc = Document(url="https://x.example/a", source="debunks", extra={"claimreview": [good, bad]})
    with transaction(engine) as session:
        store_claimreview_documents(session, [_Outcome(doc), _Outcome(Document("u", "s"))],
                                    datetime(2025, 1, 1))  # fmt: skip
        (row,) = queries.claims_listing(session)
        assert row.text == "Tin đồn A."
