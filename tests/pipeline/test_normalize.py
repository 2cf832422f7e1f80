"""Clean: normalised text, canonical URLs, language and the reasons documents are dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presswatch.crawlers.urls import canonicalize, choose_canonical
from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.normalize import Normalize, clean_text, content_hash

CASES = json.loads((Path(__file__).parents[1] / "data" / "canonical_urls.json").read_text())


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_canonical_urls(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


def test_declared_canonical_is_used_only_when_believable() -> None:
    page = "https://vnexpress.net/a-1.html?utm_source=x"
    assert choose_canonical(page, "/a-1.html") == "https://vnexpress.net/a-1.html"
    assert choose_canonical(page, "https://vnexpress.net/") == "https://vnexpress.net/a-1.html"
    assert choose_canonical(page, "https://spam.example/a") == "https://vnexpress.net/a-1.html"


def test_clean_text_normalises_tone_marks_and_whitespace() -> None:
    decomposed = "Ho\u0300a  bi\u0300nh\u200b\r\n\r\n  thuỷ sản\x07"
    assert clean_text(decomposed) == "Hòa bình\nthủy sản"
    assert content_hash("Hòa bình  thủy sản") == content_hash("hòa bình\nthủy sản")


def _doc(text: str, **kw: object) -> Document:
    return Document(
        url="http://a.example/x?utm_source=y", source="a", title="Tiêu  đề", text=text, **kw
    )  # type: ignore[arg-type]


def test_normalize_fills_identity_language_and_hash() -> None:
    stage = Normalize(("vi",), 20)
    doc = stage.process(
        _doc("Người dân phường Sóc Trăng, thành phố Cần Thơ đón Tết vui vẻ và an toàn.")
    )
    assert doc.title == "Tiêu đề" and doc.canonical_url == "http://a.example/x"
    assert doc.language == "vi" and len(doc.content_hash) == 64


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (_doc("ngắn"), "empty: 4 characters"),
        (
            _doc("The provincial government announced a new bridge over the river today."),
            "language: en",
        ),
        (
            _doc("", extra={"extraction_error": "no article text"}),
            "extraction failed: no article text",
        ),
    ],
)
def test_normalize_drops_with_a_reason(doc: Document, reason: str) -> None:
    with pytest.raises(Drop, match=reason):
        Normalize(("vi",), 20).process(doc)


def test_short_social_posts_are_kept() -> None:
    doc = _doc("Sóc Trăng mưa to quá", source_kind="social")
    assert Normalize(("vi",), 80).process(doc).text == "Sóc Trăng mưa to quá"
