"""Redaction of personal data in crawled text and header stripping (cases in a data file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presswatch.redact import PHONE_MASK, clean_text, redact, strip_header

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "reports" / "data" / "redact_cases.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:30] for c in CASES])
def test_redact_case(case: dict[str, list[str] | str]) -> None:
    out = redact(str(case["text"]))
    for gone in case["gone"]:
        assert gone not in out, out
    for kept in case.get("kept", []):
        assert kept in out, out


def test_redact_is_idempotent() -> None:
    text = "gọi 0912345678, CCCD 094201001234, a@b.vn, @nick"
    once = redact(text)
    assert redact(once) == once
    assert PHONE_MASK in once


def test_strip_header_removes_line_breaks_and_controls() -> None:
    value = strip_header("Tin nóng\r\nBcc: x@y.vn\x00\u2028Subject: y\tz")
    assert "\r" not in value and "\n" not in value and "\x00" not in value
    assert "\u2028" not in value
    assert value == "Tin nóng Bcc: x@y.vn Subject: y z"


def test_strip_header_bounds_length() -> None:
    assert len(strip_header("á" * 1000, limit=50)) == 50


def test_clean_text_redacts_then_shortens() -> None:
    out = clean_text("Liên hệ 0912 345 678 ngay " + "x" * 500, limit=40)
    assert "0912" not in out and len(out) == 40
