"""The gazetteer matcher against its data-driven cases (tests/data/gazetteer/cases.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presswatch.classifiers.gazetteer import Gazetteer, lead_end
from presswatch.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
CASES = [
    json.loads(line)
    for line in (REPO / "tests/data/gazetteer/cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_toml(REPO / "config/region.toml")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(gazetteer: Gazetteer, case: dict[str, Any]) -> None:
    mentions = gazetteer.find(case["title"], case["text"])
    assert sorted({m.name for m in mentions}) == case["expect"]
    if "levels" in case:
        assert sorted({m.level for m in mentions}) == sorted(case["levels"])
    if "zones" in case:
        assert sorted({m.zone for m in mentions}) == sorted(case["zones"])
    for m in mentions:
        source = case["title"] if m.zone == "title" else case["text"]
        assert source[m.start : m.end] == m.matched
    assert gazetteer.mentions_region(case["title"] + "\n" + case["text"]) == bool(case["expect"])


def test_accented_flag(gazetteer: Gazetteer) -> None:
    [plain] = gazetteer.find("", "Nguoi dan Soc Trang don Tet")
    [marked] = gazetteer.find("", "Người dân Sóc Trăng đón Tết")
    assert (plain.accented, marked.accented) == (False, True)


def test_lead_is_first_paragraph() -> None:
    assert lead_end("Câu mở đầu.\nThân bài.") == len("Câu mở đầu.")


def test_other_provinces(gazetteer: Gazetteer) -> None:
    found = gazetteer.other_provinces_in("Các tỉnh Bạc Liêu, Sóc Trăng, Cà Mau và bạc liêu")
    assert [name for name, _ in found] == ["Bạc Liêu", "Cà Mau"]


def test_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "region.toml"
    path.write_text('[region]\nname = "X"\nother_provinces = []\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="no place named 'X'"):
        Gazetteer.from_toml(path)
    with pytest.raises(ConfigError, match="does not exist"):
        Gazetteer.from_toml(tmp_path / "missing.toml")
