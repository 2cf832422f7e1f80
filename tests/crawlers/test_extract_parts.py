"""The parts of extraction: decoding, dates, hints, token-F1, line tidying."""

from __future__ import annotations

import codecs
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from presswatch.crawlers.extract_dates import parse_date
from presswatch.crawlers.extract_eval import token_f1, tokens
from presswatch.crawlers.extract_hints import DEFAULT_HINTS, hints_for, split_selector
from presswatch.crawlers.extract_html import MAX_INPUT_BYTES, declared_charset, decode
from presswatch.crawlers.extract_lines import assemble, tidy

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "extract"
VN = timezone(timedelta(hours=7))

DATES = [
    ("2026-03-07T00:05:00+07:00", datetime(2026, 3, 7, 0, 5, tzinfo=VN)),
    ("2015-03-23 08:06 +07:00", datetime(2015, 3, 23, 8, 6, tzinfo=VN)),
    ("2026-03-07T00:01:00", datetime(2026, 3, 7, 0, 1, tzinfo=VN)),
    (
        "2019-02-18T17:34:20+08:00",
        datetime(2019, 2, 18, 17, 34, 20, tzinfo=timezone(timedelta(hours=8))),
    ),
    ("2020-01-01T10:00:00Z", datetime(2020, 1, 1, 10, tzinfo=UTC)),
    (
        "2020-01-01T10:00:00.123-0500",
        datetime(2020, 1, 1, 10, tzinfo=timezone(timedelta(hours=-5))),
    ),
    ("Thứ Tư, 26/12/2012 17:14", datetime(2012, 12, 26, 17, 14, tzinfo=VN)),
    ("Cập nhật thứ hai, ngày 24/12/12 11:05 tối", datetime(2012, 12, 24, 23, 5, tzinfo=VN)),
    ("Thứ năm, 20/12/2012, 10:18 GMT+7", datetime(2012, 12, 20, 10, 18, tzinfo=VN)),
    (" - 07/03/2026 08:47", datetime(2026, 3, 7, 8, 47, tzinfo=VN)),
    ("08:47 07-03-2026", datetime(2026, 3, 7, 8, 47, tzinfo=VN)),
    ("2023-11-02", datetime(2023, 11, 2, tzinfo=VN)),
    ("31/02/2020", None),
    ("1850-01-01", None),
    ("hôm qua", None),
    ("", None),
]


@pytest.mark.parametrize(("raw", "expected"), DATES)
def test_parse_date(raw: str, expected: datetime | None) -> None:
    parsed = parse_date(raw)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == expected.utcoffset()  # type: ignore[union-attr]


SAMPLE = (
    "<html><head>{meta}<title>Hòa bình</title></head>"
    "<body><p>Đồng bằng sông Cửu Long</p></body></html>"
)


def test_decode_declared_windows_1258_with_combining_tone_marks() -> None:
    raw = (FIXTURES / "windows1258.html").read_bytes()
    assert declared_charset(raw) == "cp1258"
    text = decode(raw)
    assert "\u0300" in text  # the tone mark is a separate character in windows-1258
    assert "Hoà giải" in unicodedata.normalize("NFC", text)


def test_decode_prefers_valid_utf8_over_a_wrong_latin1_declaration() -> None:
    raw = SAMPLE.format(meta='<meta charset="iso-8859-1">').encode("utf-8")
    assert "Đồng bằng sông Cửu Long" in decode(raw)


def test_decode_utf16_with_and_without_bom() -> None:
    text = SAMPLE.format(meta='<meta charset="utf-16">')
    assert "Cửu Long" in decode(text.encode("utf-16"))
    assert "Cửu Long" in decode(text.encode("utf-16-le"))
    assert "Cửu Long" in decode(text.encode("utf-16-be"))


def test_decode_utf8_bom() -> None:
    assert decode(codecs.BOM_UTF8 + SAMPLE.format(meta="").encode("utf-8")).startswith("<html>")


def test_decode_undeclared_legacy_bytes_does_not_fail() -> None:
    raw = SAMPLE.format(meta="").encode("cp1252", errors="replace") + b"\xff\xfe\x81"
    assert "<title>" in decode(raw)


def test_decode_cuts_at_the_size_cap() -> None:
    assert len(decode(b"a" * (MAX_INPUT_BYTES + 10))) == MAX_INPUT_BYTES


def test_split_selector_keeps_commas_inside_brackets_and_quotes() -> None:
    assert split_selector('div.a, p[title="x,y"], :is(h1, h2) , ') == [
        "div.a",
        'p[title="x,y"]',
        ":is(h1, h2)",
    ]


def test_hints_for_uses_parent_domains() -> None:
    assert hints_for("https://vnexpress.net/a-1.html") is DEFAULT_HINTS["vnexpress.net"]
    assert hints_for("https://www.vnexpress.net/a") is DEFAULT_HINTS["vnexpress.net"]
    assert hints_for("http://news.zing.vn/a.html") is DEFAULT_HINTS["zing.vn"]
    assert hints_for("https://example.org/") is None
    assert hints_for("") is None


def test_default_hint_selectors_parse() -> None:
    from lxml.cssselect import CSSSelector

    for hints in DEFAULT_HINTS.values():
        for selector in (hints.content_selector, hints.title_selector, *hints.drop_selectors):
            for alternative in split_selector(selector):
                CSSSelector(alternative)


def test_tokens_and_f1() -> None:
    assert tokens("Hòa bình, HOÀ-bình_x 3.000 đồng/lượng") == [
        "hòa",
        "bình",
        "hoà",
        "bình",
        "x",
        "3",
        "000",
        "đồng",
        "lượng",
    ]
    assert tokens("Ho\u0300a") == tokens("Hòa")  # NFC
    assert token_f1("a b c", "a b c") == 1.0
    assert token_f1("a b c", "a b d") == pytest.approx(2 / 3)
    assert token_f1("a a a a", "a") == pytest.approx(0.4)
    assert token_f1("", "") == 1.0
    assert token_f1("x", "") == 0.0


def test_tidy_drops_ui_words_dates_arrows_repeated_title_and_trailing_byline() -> None:
    text = "\n".join(
        [
            "Thứ năm, 20/12/2012, 10:18 GMT+7 Tiêu đề bài",
            "Đoạn thứ nhất của bài viết, đủ dài để là một đoạn văn thật sự.",
            "| Ô bảng một | Ô bảng hai |",
            ">> Bài liên quan khác",
            "[Quay lại]",
            "26/12/2012 17:14",
            "Đoạn cuối cùng của bài viết kết thúc bằng dấu chấm.",
            "Hà Thu (tổng hợp)",
            "Theo VnExpress",
        ]
    )
    lines, byline = tidy(text, "Tiêu đề bài")
    assert lines == [
        "Đoạn thứ nhất của bài viết, đủ dài để là một đoạn văn thật sự.",
        "Ô bảng một | Ô bảng hai",
        "Đoạn cuối cùng của bài viết kết thúc bằng dấu chấm.",
    ]
    assert byline == "Hà Thu (tổng hợp)"


def test_assemble_puts_title_and_lead_first_without_repeating_the_lead() -> None:
    lead = "Lời dẫn của bài báo về mùa lúa mới ở miền Tây."
    text = assemble("Tiêu đề", lead, [f"(TTXVN) - {lead}", "Thân bài."])
    assert text == f"Tiêu đề\n{lead}\nThân bài."
