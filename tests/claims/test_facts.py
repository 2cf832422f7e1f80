"""Fact contradictions: each case in data/fact_cases.jsonl names the fact it contradicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presswatch.claims.facts import FactChecker
from presswatch.claims.records import ClaimEntry

DATA = Path(__file__).parent / "data"
FACTS = [
    ClaimEntry(
        kind="fact",
        id=f["id"],
        text=f["text"],
        subject=f["subject"],
        value=f["value"],
        source_url=f"https://sovhtt.example/{f['id']}",
    )
    for f in json.loads((DATA / "facts.json").read_text("utf-8"))
]
CASES = [json.loads(line) for line in (DATA / "fact_cases.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def checker() -> FactChecker:
    return FactChecker(FACTS)


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_case(checker: FactChecker, case: dict[str, Any]) -> None:
    found = checker.check(case["text"])
    assert [c.fact_id for c in found] == ([case["contradicts"]] if case["contradicts"] else [])
    if found:
        hit = found[0]
        assert hit.stated == case["stated"]
        assert case["text"][hit.start : hit.end] == hit.sentence
        fact = next(f for f in FACTS if f.id == hit.fact_id)
        assert (hit.verified, hit.source_url, hit.statement) == (
            fact.value,
            fact.source_url,
            fact.text,
        )


def test_every_fact_is_understood(checker: FactChecker) -> None:
    assert len(checker) == len(FACTS)


def test_facts_without_subject_or_value_are_left_out() -> None:
    bare = ClaimEntry(kind="fact", id=1, text="Khu vực Sóc Trăng (cũ) có 92 ngôi chùa Khmer.")
    assert len(FactChecker([bare])) == 0


def test_evidence_points_into_the_text(checker: FactChecker) -> None:
    text = "Du lịch tâm linh.\nKhu vực Sóc Trăng cũ hiện có hơn 120 ngôi chùa Khmer."
    evidence = checker.check(text)[0].evidence()
    start, end = evidence["spans"][0]
    assert text[start:end] == evidence["sentence"]
    assert evidence["fact_id"] == 1 and evidence["verified"] == "92"
