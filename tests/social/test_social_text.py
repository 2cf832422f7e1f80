"""Vietnamese social text: teencode, elongation, emoji and hashtags, on real ReINTEL posts."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from presswatch.classifiers.gazetteer import Gazetteer
from presswatch.classifiers.vietnamese import normalize_social
from tests.conftest import REPO, shared_data
from tests.social.conftest import DATA

CASES = [
    json.loads(line) for line in (DATA / "normalize_social.jsonl").read_text("utf-8").splitlines()
]


@lru_cache(maxsize=1)
def _reintel(path: Path) -> dict[str, str]:
    """ReINTEL posts by id, read in place from ../shared/data."""
    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row["post_message"] for row in csv.DictReader(fh)}


def _text(case: dict[str, Any]) -> str:
    if "reintel_id" in case:
        return _reintel(shared_data("reintel", "train.csv"))[case["reintel_id"]]
    return str(case["text"])


@pytest.mark.parametrize(
    "case", CASES, ids=[c.get("reintel_id", c.get("text", "")[:30]) for c in CASES]
)
def test_social_text_is_normalised(case: dict[str, Any]) -> None:
    out = normalize_social(_text(case))
    if "expected" in case:
        assert out == case["expected"]
    for piece in case.get("contains", []):
        assert piece in out
    for piece in case.get("absent", []):
        assert piece not in out
    assert normalize_social(out) == out  # normalising twice changes nothing


def test_the_gazetteer_finds_the_region_in_normalised_posts_and_still_gates() -> None:
    gazetteer = Gazetteer.from_toml(REPO / "config" / "region.toml")

    def found(post: str) -> list[str]:
        return [m.name for m in gazetteer.find("", normalize_social(post))]

    assert found("Ngập quá trời luôn mn ơi #SocTrang") == ["Sóc Trăng"]
    assert found("ngap qua troi luon mn oi #SocTrang") == ["Sóc Trăng"]
    assert found("ko biet soc trang co ngap ko") == []  # diacritic-free and no evidence: gated
    assert found("5 cách phối áo sọc trắng cực chất #thoitrang") == []
