"""Claim matching: each case in data/matching_cases.jsonl states whether a text repeats a claim."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presswatch.claims.matching import ClaimMatcher
from presswatch.claims.records import ClaimEntry

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "matching_cases.jsonl")
    .read_text("utf-8")
    .splitlines()
]


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    keywords = tuple(case["keywords"])
    claim = ClaimEntry(kind="false_claim", text=case["claim"], id=7, keywords=keywords)
    found = ClaimMatcher([claim]).match(case["text"])
    assert bool(found) == case["match"], found
    if found:
        match = found[0]
        assert match.claim_id == 7
        assert match.refuted == case["refuted"]
        assert case["text"][match.start : match.end].strip() == match.sentence
        assert match.terms and all(term in match.sentence for term in match.terms)


def test_inactive_claims_and_facts_are_not_matched() -> None:
    text = CASES[0]["text"]
    off = ClaimEntry(kind="false_claim", text=text, id=1, active=False)
    fact = ClaimEntry(kind="fact", text=text, id=2)
    assert ClaimMatcher([off, fact]).match(text) == []


def test_best_match_first_and_evidence_for_the_review_desk() -> None:
    claims = [ClaimEntry(kind="false_claim", text=c["claim"], id=i, keywords=tuple(c["keywords"]))
              for i, c in enumerate({c["claim"]: c for c in CASES}.values(), 1)]  # fmt: skip
    text = "Tin đồn lan nhanh.\n" + CASES[0]["text"] + "\n" + CASES[14]["text"]
    found = ClaimMatcher(claims).match(text)
    assert [m.claim_id for m in found] == [1, 2]
    evidence = found[0].evidence()
    start, end = evidence["spans"][0]
    assert text[start:end] == evidence["sentence"] == CASES[0]["claim"]
    assert evidence["claim_id"] == 1 and evidence["similarity"] == 1.0
