"""The daily digest: flagged items first, the day's coverage, stored once and e-mailed once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select

from presswatch.reports.digest import build_digest
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from tests.reports.delivery_seed import (
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    ORG_CHANNEL,
    PERSONAL_CHANNEL,
    World,
    at,
)

DAY = date(2025, 10, 5)


def _seed(engine: Engine) -> dict[str, int]:
    w = World(engine)
    w.source("baost", "Báo Sóc Trăng", "domestic")
    w.source("tele", "Kênh Telegram", "social")
    w.source("fb_org", "Trang UBND phường", "social", organisation=True)
    ids = {}
    ids["doc"] = w.doc(
        "baost",
        "Khánh thành cầu Đại Ngãi",
        when=at("2025-10-04 20:00"),
        fetched=at("2025-10-05 08:00"),
        topics=("image_promotion",),
    )
    ids["org"] = w.doc(
        "fb_org",
        "Lịch tiếp dân tháng 10",
        when=at("2025-10-05 09:00"),
        channel=ORG_CHANNEL,
        topics=("image_promotion",),
    )
    ids["hostile"] = w.doc(
        "tele",
        HOSTILE_TITLE,
        when=at("2025-10-05 10:00"),
        text=HOSTILE_TEXT,
        channel=PERSONAL_CHANNEL,
        topics=("sovereignty",),
        tone="negative",
    )
    w.doc("baost", "Tin hôm trước", when=at("2025-10-04 10:00"))
    w.doc("baost", "Không liên quan", when=at("2025-10-05 10:00"), relevance=0)
    ids["high"] = w.flag(ids["hostile"], 0.93, created=at("2025-10-05 10:05"))
    low_doc = w.doc("baost", "Tin nghi vấn nhẹ", when=at("2025-10-03 10:00"), topics=("religion",))
    ids["low"] = w.flag(low_doc, 0.45, created=at("2025-10-03 10:05"))
    done = w.doc("baost", "Đã xem xét", when=at("2025-10-03 11:00"))
    w.review(w.flag(done, 0.7, created=at("2025-10-03 11:05")), "dismiss", at("2025-10-03 12:00"))
    return ids


def _outbox(engine: Engine) -> list[m.Outbox]:
    with transaction(engine) as s:
        return list(s.scalars(select(m.Outbox).order_by(m.Outbox.id)))


def test_digest_lists_flags_first_then_coverage(engine: Engine, settings: Settings) -> None:
    ids = _seed(engine)
    result = build_digest(engine, settings, DAY, now=at("2025-10-06 07:00"))
    html = result.path.read_text(encoding="utf-8")
    assert result.path == settings.path("data_dir") / "digests" / "2025-10-05.html"
    assert not result.partial and result.outbox_id is not None
    assert result.counts["total"] == 3 and result.counts["flags_open"] == 2
    assert result.counts["source_kind"] == {"domestic": 1, "social": 2}
    flagged, coverage = html.index("Tin bị gắn cờ"), html.index("Tình hình thông tin")
    assert flagged < html.index("Chủ quyền biên giới") < coverage
    assert html.index("Mức độ cao") < html.index("Tin nghi vấn nhẹ") < coverage
    assert "Đã xem xét" not in html  # reviewed flags no longer wait
    assert f"http://127.0.0.1:8000/documents/{ids['hostile']}" in html
    assert "Khánh thành cầu Đại Ngãi" in html[coverage:] and "Tin hôm trước" not in html
    assert "Không liên quan" not in html
    assert ORG_CHANNEL in html and PERSONAL_CHANNEL not in html


def test_same_day_twice_sends_once(engine: Engine, settings: Settings) -> None:
    _seed(engine)
    first = build_digest(engine, settings, DAY, now=at("2025-10-06 07:00"))
    again = build_digest(engine, settings, DAY, now=at("2025-10-06 09:00"))
    assert first.outbox_id is not None and again.outbox_id is None
    (row,) = _outbox(engine)
    assert row.dedup_key == "digest:2025-10-05" and row.kind == "digest"
    assert row.recipients == ["analysts@example.invalid"]
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Digest)) == 1


def test_preview_of_an_unfinished_day_does_not_block_the_full_digest(
    engine: Engine, settings: Settings
) -> None:
    _seed(engine)
    preview = build_digest(engine, settings, DAY, now=at("2025-10-05 15:00"))
    assert preview.partial and preview.outbox_id is not None
    assert build_digest(engine, settings, DAY, now=at("2025-10-05 16:00")).outbox_id is None
    final = build_digest(engine, settings, DAY, now=at("2025-10-06 07:00"))
    assert not final.partial and final.outbox_id is not None
    assert [r.dedup_key for r in _outbox(engine)] == [
        "digest:2025-10-05:partial",
        "digest:2025-10-05",
    ]


def test_default_day_is_yesterday_in_office_time(engine: Engine, settings: Settings) -> None:
    _seed(engine)
    # 06:30 on the 6th in Hồ Chí Minh time is still the 5th in UTC... and the 6th in office time
    result = build_digest(engine, settings, now=at("2025-10-06 06:30"))
    assert result.day == DAY
