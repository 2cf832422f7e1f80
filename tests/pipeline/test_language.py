"""Language detection on real Vietnamese news (VNTC, read in place) and short texts of our own."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from presswatch.pipeline.language import detect_language

VNTC = Path(__file__).resolve().parents[3] / "shared" / "data" / "vntc" / "sample3000.jsonl"

#: Short texts written for this test (ours), with the expected ISO 639-1 code.
OWN = [
    ("toi khong biet gi ca, nguoi dan soc trang", "vi"),
    ("Ca phe sua da o Can Tho ngon lam, toi uong moi ngay", "vi"),
    ("Hôm nay trời đẹp quá", "vi"),
    ("Người dân phường Sóc Trăng, TP Cần Thơ đón Tết", "vi"),
    ("The committee will meet on Monday to discuss the budget and the new rules.", "en"),
    (
        "Vietnam news: Nguyễn Văn An visited Sóc Trăng and Cần Thơ on Monday with a delegation "
        "from the ministry, who talked about the rice harvest and the new canals.",
        "en",
    ),
    (
        "Le gouvernement a annoncé mercredi une série de mesures pour les agriculteurs du delta.",
        "fr",
    ),
    ("Le ministre Nguyễn Văn Thắng a visité Sóc Trăng et Cần Thơ lundi avec une délégation.", "fr"),
    (
        "El gobierno anunció el miércoles una serie de medidas para los agricultores del delta.",
        "es",
    ),
    ("Die Regierung hat am Mittwoch eine Reihe von Maßnahmen für die Bauern angekündigt.", "de"),
    ("Pemerintah mengumumkan langkah untuk membantu petani di delta yang terkena banjir.", "id"),
    ("越南政府周三宣布了一系列支持湄公河三角洲农民的措施。", "zh"),
    ("東京都は水曜日に新しい対策を発表しました。", "ja"),
    ("정부는 수요일에 새로운 대책을 발표했습니다.", "ko"),
    ("ប្រទេសកម្ពុជា គឺជាប្រទេសមួយនៅអាស៊ីអាគ្នេយ៍", "km"),
    ("ประเทศไทยเป็นประเทศในเอเชียตะวันออกเฉียงใต้", "th"),
    ("Правительство объявило в среду о новых мерах.", "ru"),
    ("Уряд оголосив про нові заходи підтримки фермерів і їхніх родин.", "uk"),
    ("", ""),
    ("ok", ""),
    ("12345 678 !!!", ""),
    ("Sóc Trăng", ""),
]


@pytest.mark.parametrize(("text", "expected"), OWN)
def test_own_texts(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_decomposed_vietnamese_is_recognised() -> None:
    text = unicodedata.normalize("NFD", "Người dân đồng bằng sông Cửu Long chuẩn bị mùa nước nổi")
    assert detect_language(text) == "vi"


def _vntc() -> list[str]:
    if not VNTC.exists():
        pytest.skip(f"VNTC sample not available at {VNTC}")
    with VNTC.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def test_vntc_articles_are_vietnamese() -> None:
    found = Counter(detect_language(text) for text in _vntc())
    assert found["vi"] == sum(found.values())


def test_vntc_articles_without_diacritics_are_vietnamese() -> None:
    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    texts = _vntc()[:500]
    found = Counter(detect_language(fold(text[:1000])) for text in texts)
    assert found["vi"] >= 0.99 * len(texts)
    assert set(found) <= {"vi", ""}  # never another language, at worst unsure
