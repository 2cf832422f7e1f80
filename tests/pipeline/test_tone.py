"""The tone stage: a label among three, with its probability."""

from __future__ import annotations

import pytest

from presswatch.document import Document
from presswatch.pipeline.tone import Tone
from presswatch.settings import Settings


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "Tai nạn giao thông nghiêm trọng ở Sóc Trăng\nHai xe tải tông nhau làm 3 người chết, "
            "5 người bị thương. Công an đang điều tra nguyên nhân vụ tai nạn.",
            "negative",
        ),
        (
            "Nông dân Vĩnh Châu trúng mùa hành tím\nNăm nay hành tím được mùa, được giá, nhiều "
            "hộ thoát nghèo, đời sống khởi sắc. Bà con phấn khởi đón Tết.",
            "positive",
        ),
    ],
)
def test_tone(settings: Settings, text: str, label: str) -> None:
    doc = Tone.from_settings(settings).process(Document(url="u", source="t", text=text))
    assert doc.tone is not None
    assert doc.tone.label == label
    assert 0.0 <= doc.tone.score <= 1.0
