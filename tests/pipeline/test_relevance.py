"""The relevance stage: mentions and level filled in, irrelevant documents dropped with a reason."""

from __future__ import annotations

import pytest

from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.relevance import Relevance
from presswatch.settings import Settings


@pytest.fixture
def stage(settings: Settings) -> Relevance:
    return Relevance.from_settings(settings)


def test_about_the_region(stage: Relevance) -> None:
    doc = Document(
        url="https://example.vn/a",
        source="t",
        title="Sóc Trăng: khánh thành cầu mới ở huyện Kế Sách",
        text="Sáng 2/9, UBND tỉnh Sóc Trăng khánh thành cầu Kế An.\nCầu dài 120 m.",
    )
    stage.process(doc)
    assert doc.relevance == 2
    assert doc.relevance_score > 0.5
    assert {m.name for m in doc.mentions} == {"Sóc Trăng", "Kế Sách", "Kế An"}
    assert "about the region" in doc.extra["relevance"]["reason"]


def test_homograph_is_dropped_with_reason(stage: Relevance) -> None:
    doc = Document(url="u", source="t", title="Áo sọc trắng lên ngôi", text="Mẫu áo sọc trắng.")
    with pytest.raises(Drop, match="not about the region: no mention of Sóc Trăng"):
        stage.process(doc)
    assert doc.relevance == 0 and doc.mentions == []


def test_kept_when_asked(settings: Settings) -> None:
    stage = Relevance.from_settings(settings, keep_irrelevant=True)
    doc = stage.process(
        Document(url="u", source="t", title="Tin thể thao", text="Không liên quan.")
    )
    assert (doc.relevance, doc.relevance_score) == (0, 0.0)


def test_offsets_point_into_the_text_when_the_headline_is_its_first_line(stage: Relevance) -> None:
    text = "Lễ hội ở Sóc Trăng\nHàng ngàn người đổ về huyện Trần Đề."
    doc = stage.process(Document(url="u", source="t", text=text))
    assert [text[m.start : m.end] for m in doc.mentions] == ["Sóc Trăng", "huyện Trần Đề"]
    assert [m.zone for m in doc.mentions] == ["title", "lead"]
