"""Evidence highlighting: crawled text is escaped first; only <mark> is added (cases in data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presswatch.review.highlight import evidence_claim_ids, evidence_snippets, highlight_evidence

CASES = json.loads(
    (Path(__file__).parents[1] / "data" / "review" / "highlight_cases.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_highlight_cases(case: dict[str, Any]) -> None:
    html, marks = highlight_evidence(case["text"], case["evidence"])
    assert str(html) == case["html"]
    assert marks == case["html"].count("<mark")


def test_no_tag_of_the_input_survives() -> None:
    hostile = '"><svg onload=alert(1)><a href="javascript:x">x</a><mark>fake</mark>'
    html, _ = highlight_evidence(hostile, [{"sentence": "svg onload"}])
    assert "<svg" not in html and "<a " not in html and "<mark>fake" not in html
    assert str(html).count("<mark") == 1


def test_offsets_are_ignored_for_the_title_and_clipped_to_the_text() -> None:
    html, marks = highlight_evidence("ngắn", [{"spans": [[2, 99]]}], offsets=False)
    assert (str(html), marks) == ("ngắn", 0)
    html, marks = highlight_evidence("ngắn", [{"spans": [[2, 99], [-1, 3], "x"]}])
    assert str(html) == 'ng<mark class="evidence">ắn</mark>'


def test_evidence_readers() -> None:
    evidence = {
        "claim_id": 7, "matches": [{"claim_ids": [7, 9], "sentence": "câu"}], "flag": True,
    }  # fmt: skip
    assert evidence_claim_ids(evidence) == [7, 9]
    assert evidence_snippets(evidence) == ["câu"]
    assert evidence_claim_ids({"claim_id": True}) == []
