"""The topic stage: tags with score, evidence and model version for each chosen topic."""

from __future__ import annotations

from presswatch.document import Document
from presswatch.pipeline.topics import Topics
from presswatch.settings import Settings

TEXT = (
    "Ngư dân Trần Đề bám biển\n"
    "Hàng trăm tàu cá của ngư dân huyện Trần Đề đã ra khơi đánh bắt hải sản. Chi cục Thủy sản "
    "tỉnh Sóc Trăng yêu cầu các tàu cá lắp thiết bị giám sát hành trình để chống khai thác IUU."
)


def test_fisheries_tagged_with_evidence(settings: Settings) -> None:
    doc = Topics.from_settings(settings).process(Document(url="u", source="t", text=TEXT))
    assert list(doc.topics) == ["fisheries"]
    tag = doc.topics["fisheries"]
    assert tag.label == "fisheries" and 0.5 <= tag.score <= 1.0
    assert "ngư dân" in tag.evidence and tag.model_version
    assert set(doc.extra["topic_scores"]) == {
        "sovereignty", "human_rights", "asean", "ethnic_minorities",
        "religion", "fisheries", "foreign_affairs", "image_promotion",
    }  # fmt: skip


def test_no_topic(settings: Settings) -> None:
    text = "Giá vàng hôm nay\nGiá vàng trong nước tăng nhẹ theo giá thế giới."
    doc = Topics.from_settings(settings).process(Document(url="u", source="t", text=text))
    assert doc.topics == {}
