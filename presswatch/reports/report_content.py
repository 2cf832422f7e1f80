"""Delivery: the quarterly report's wording, tables and charts as blocks; the HTML rendering.

Every number comes from ``ReportData`` (the named queries); crawled text (story titles) is
redacted and stripped here, before either renderer sees it.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from presswatch.alerts_config import ReportConfig
from presswatch.redact import clean_text, strip_header
from presswatch.reports import charts
from presswatch.reports.blocks import Block, Chart, Heading, Para, Table
from presswatch.reports.docx_form import FormHead, number_line, place_date_line
from presswatch.reports.quarterly import ReportData
from presswatch.reports.render import SOURCE_KINDS, TONES, TOPICS, label, number, render

TONE_KEYS = ("positive", "neutral", "negative")
KIND_KEYS = ("domestic", "foreign", "social", "official")


def share(n: int, total: int) -> float:
    """n as a percentage of total, one decimal (0 when total is 0)."""
    return round(100 * n / total, 1) if total else 0.0


def pct(n: int, total: int) -> str:
    """'12,5'."""
    return number(share(n, total), 1)


def _day(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%d/%m/%Y}"


def report_blocks(data: ReportData, config: ReportConfig, tz: ZoneInfo) -> list[Block]:
    """The report body in order: I. overview … VI. assessment."""
    last_day = data.end - timedelta(microseconds=1)
    intro = (
        "Trên cơ sở kết quả theo dõi, tổng hợp của hệ thống PressWatch, báo cáo tình hình thông "
        f"tin báo chí, dư luận xã hội liên quan đến {config.region} {data.quarter.label} (từ ngày "
        f"{_day(data.start, tz)} đến ngày {_day(last_day, tz)}) như sau:"
    )
    blocks: list[Block] = [Para(intro)]
    for section in (_overview, _topics, _sources_and_stories, _flags, _uptake, _assessment):
        blocks += section(data, config)
    return _number_tables(blocks)


def _number_tables(blocks: list[Block]) -> list[Block]:
    """Prefix captions with 'Bảng n.' and 'Biểu đồ n.' in order of appearance."""
    out: list[Block] = []
    tables = figures = 0
    for b in blocks:
        if isinstance(b, Table):
            tables += 1
            b = Table(f"Bảng {tables}. {b.caption}", b.header, b.rows, b.numeric, b.widths_cm)
        elif isinstance(b, Chart):
            figures += 1
            b = Chart(f"Biểu đồ {figures}. {b.caption}", b.png)
        out.append(b)
    return out


def _change(now: int, before: int) -> str:
    if before == 0:
        return "quý trước chưa có số liệu để so sánh"
    diff = now - before
    word = "tăng" if diff > 0 else "giảm" if diff < 0 else "không đổi"
    if diff == 0:
        return f"không đổi so với quý trước ({number(before)})"
    amount = f"{number(abs(diff))} tin, bài ({pct(abs(diff), before)}%)"
    return f"{word} {amount} so với quý trước ({number(before)})"


def _overview(data: ReportData, config: ReportConfig) -> list[Block]:
    total = data.total
    kinds = {k: data.source_kinds.get(k, 0) for k in KIND_KEYS}
    tones_now = {k: data.tones.get(k, 0) for k in TONE_KEYS}
    prev_total = sum(data.previous_tones.values())
    tones_before = {k: data.previous_tones.get(k, 0) for k in TONE_KEYS}
    return [
        Heading(1, "I. Tình hình chung"),
        Heading(2, "1. Số lượng tin, bài"),
        Para(f"Trong kỳ, hệ thống ghi nhận {number(total)} tin, bài liên quan đến địa bàn, "
             f"{_change(total, data.previous_total)}."),
        Table("Số tin, bài theo tháng", ["Tháng", "Số tin, bài", "Tỷ lệ (%)"],
              [[m, number(n), pct(n, total)] for m, n in data.months]
              + [["Tổng cộng", number(total), "100" if total else "0"]], frozenset({1, 2})),
        Chart("Số tin, bài theo tháng",
              charts.bar_chart("Số tin, bài theo tháng", [m for m, _ in data.months],
                               [n for _, n in data.months], "Số tin, bài")),
        Heading(2, "2. Theo loại nguồn tin"),
        Para("Báo chí trong nước chiếm " f"{pct(kinds['domestic'], total)}%, báo chí nước ngoài "
             f"{pct(kinds['foreign'], total)}%, mạng xã hội {pct(kinds['social'], total)}% và cổng "
             f"thông tin chính thức {pct(kinds['official'], total)}% tổng số tin, bài."),
        Table("Tin, bài theo loại nguồn", ["Loại nguồn", "Số tin, bài", "Tỷ lệ (%)"],
              [[label(SOURCE_KINDS, k), number(n), pct(n, total)] for k, n in kinds.items()],
              frozenset({1, 2})),
        Chart("Cơ cấu tin, bài theo loại nguồn",
              charts.pie_chart("Cơ cấu theo loại nguồn",
                               [label(SOURCE_KINDS, k) for k in kinds], list(kinds.values()))),
        Heading(2, "3. Sắc thái thông tin"),
        Heading(3, f"a) {data.quarter.short}: tích cực {pct(tones_now['positive'], total)}%, "
                   f"trung lập {pct(tones_now['neutral'], total)}%, tiêu cực "
                   f"{pct(tones_now['negative'], total)}%."),
        Heading(3, "b) So với quý trước: " + _tone_changes(tones_now, total, tones_before,
                                                          prev_total) + "."),
        Table("Sắc thái thông tin so với quý trước",
              ["Sắc thái", "Số tin, bài", "Tỷ lệ (%)", "Quý trước (%)", "Thay đổi (điểm %)"],
              [[label(TONES, k), number(tones_now[k]), pct(tones_now[k], total),
                pct(tones_before[k], prev_total),
                _signed(share(tones_now[k], total) - share(tones_before[k], prev_total))]
               for k in TONE_KEYS], frozenset({1, 2, 3, 4})),
        Chart("Tỷ lệ sắc thái thông tin so với quý trước", _tone_chart(data)),
    ]  # fmt: skip


def _tone_chart(data: ReportData) -> bytes:
    before, now = data.previous_tones, data.tones
    prev_total = sum(before.values())
    series = {
        data.quarter.previous().short: [share(before.get(k, 0), prev_total) for k in TONE_KEYS],
        data.quarter.short: [share(now.get(k, 0), data.total) for k in TONE_KEYS],
    }
    labels = [label(TONES, k) for k in TONE_KEYS]
    return charts.grouped_bars("Tỷ lệ sắc thái thông tin (%)", labels, series, "Tỷ lệ (%)")


def _signed(points: float) -> str:
    text = number(abs(round(points, 1)), 1)
    return f"+{text}" if points > 0.05 else f"-{text}" if points < -0.05 else "0,0"


def _tone_changes(now: dict[str, int], total: int, before: dict[str, int], prev: int) -> str:
    if not prev:
        return "quý trước chưa có số liệu để so sánh"
    parts = [
        f"{label(TONES, k).lower()} {_signed(share(now[k], total) - share(before[k], prev))} điểm %"
        for k in TONE_KEYS
    ]
    return ", ".join(parts)


def _topics(data: ReportData, config: ReportConfig) -> list[Block]:
    counts = dict(data.topics)
    keys = sorted({*counts, *(k for k in TOPICS if k)}, key=lambda k: (-counts.get(k, 0), k))
    rows = [[label(TOPICS, k), number(counts.get(k, 0)), pct(counts.get(k, 0), data.total)]
            for k in keys]  # fmt: skip
    task_rows = [[name, number(n), pct(n, data.total)] for name, n in data.tasks]
    blocks: list[Block] = [
        Heading(1, "II. Thông tin theo chủ đề và nhiệm vụ của Kế hoạch"),
        Heading(2, "1. Theo chủ đề"),
        Para("Một tin, bài có thể thuộc nhiều chủ đề; tỷ lệ tính trên tổng số tin, bài trong kỳ."),
        Table("Tin, bài theo chủ đề", ["Chủ đề", "Số tin, bài", "Tỷ lệ (%)"], rows,
              frozenset({1, 2})),
        Chart("Tin, bài theo chủ đề", charts.barh_chart(
            "Tin, bài theo chủ đề", [r[0] for r in rows], [counts.get(k, 0) for k in keys],
            "Số tin, bài")),
        Heading(2, "2. Theo nhiệm vụ của Kế hoạch"),
    ]  # fmt: skip
    if not data.tasks:
        return [*blocks, Para("Chưa cấu hình nhiệm vụ của Kế hoạch ([report.tasks]).")]
    return [
        *blocks,
        Para("Mỗi nhiệm vụ được tính theo các chủ đề và từ khóa phục vụ nhiệm vụ đó."),
        Table("Tin, bài theo nhiệm vụ của Kế hoạch", ["Nhiệm vụ", "Số tin, bài", "Tỷ lệ (%)"],
              task_rows, frozenset({1, 2})),
        Chart("Tin, bài theo nhiệm vụ của Kế hoạch", charts.barh_chart(
            "Tin, bài theo nhiệm vụ của Kế hoạch", [n for n, _ in data.tasks],
            [n for _, n in data.tasks], "Số tin, bài")),
    ]  # fmt: skip


def _story_title(text: Any) -> str:
    return clean_text(strip_header(str(text or "")), 160) or "(không có tiêu đề)"


def _sources_and_stories(data: ReportData, config: ReportConfig) -> list[Block]:
    sources = [
        [str(i), _story_title(s["name"]), label(SOURCE_KINDS, s["source_kind"]),
         number(s["documents"])]
        for i, s in enumerate(data.top_sources, 1)
    ]  # fmt: skip
    stories = [[str(i), _story_title(s["title"]), number(s["documents"]), number(s["sources"]),
                _day(s["first_seen_at"], data.tz) if s["first_seen_at"] else ""]
               for i, s in enumerate(data.top_stories, 1)]  # fmt: skip
    return [
        Heading(1, "III. Nguồn tin và sự việc nổi bật"),
        Heading(2, f"1. Các nguồn đăng nhiều tin, bài nhất (tối đa {config.top_n})"),
        Table("Các nguồn đăng nhiều tin, bài nhất", ["STT", "Nguồn", "Loại nguồn", "Số tin, bài"],
              sources or [["", "Không có", "", "0"]], frozenset({0, 3}), (1.4, 7.1, 4.5, 3.0)),
        Heading(2, "2. Các sự việc được đăng tải nhiều nhất"),
        Table("Các sự việc được đăng tải nhiều nhất",
              ["STT", "Sự việc", "Số tin, bài", "Số nguồn", "Xuất hiện đầu tiên"],
              stories or [["", "Không có", "0", "0", ""]], frozenset({0, 2, 3}),
              (1.4, 7.4, 2.4, 2.2, 2.6)),
    ]  # fmt: skip


def _flags(data: ReportData, config: ReportConfig) -> list[Block]:
    f = data.flags
    median = f["median_hours_to_review"]
    median_text = f"{number(median, 1)} giờ" if median is not None else "chưa có"
    rows = [["Tin, bài bị gắn cờ nghi sai lệch", number(f["flags"])],
            ["Đã xem xét", number(f["reviewed"])], ["- Xác nhận sai lệch", number(f["confirmed"])],
            ["- Bác bỏ (không sai lệch)", number(f["dismissed"])],
            ["Đang chờ xem xét", number(f["open"])],
            ["Thời gian từ khi gắn cờ đến khi xem xét (trung vị)", median_text]]  # fmt: skip
    return [
        Heading(1, "IV. Thông tin sai lệch, nghi vấn"),
        Para(f"Trong kỳ, hệ thống gắn cờ {number(f['flags'])} tin, bài nghi sai lệch; cán bộ đã "
             f"xem xét {number(f['reviewed'])} tin, bài, trong đó xác nhận sai lệch "
             f"{number(f['confirmed'])}, bác bỏ {number(f['dismissed'])}; còn "
             f"{number(f['open'])} tin, bài đang chờ xem xét. Thời gian xem xét trung vị: "
             f"{median_text}."),
        Table("Kết quả xử lý tin, bài bị gắn cờ", ["Chỉ tiêu", "Số lượng"], rows,
              frozenset({1}), (12.0, 4.0)),
        Chart("Kết quả xử lý tin, bài bị gắn cờ", charts.bar_chart(
            "Kết quả xử lý tin, bài bị gắn cờ", ["Xác nhận", "Bác bỏ", "Chờ xem xét"],
            [f["confirmed"], f["dismissed"], f["open"]], "Số tin, bài")),
    ]  # fmt: skip


def _uptake(data: ReportData, config: ReportConfig) -> list[Block]:
    method = (
        "Một tin, bài được tính là đăng lại hoặc diễn đạt lại thông cáo khi độ tương đồng cosin "
        "TF-IDF (theo âm tiết và cặp âm tiết) giữa tin, bài và thông cáo đạt từ "
        f"{number(config.uptake_min_similarity, 2)} trở lên, đăng từ ngày phát hành thông cáo; "
        "không tính các trang thông tin chính thức của cơ quan."
    )
    blocks: list[Block] = [Heading(1, "V. Hiệu quả thông cáo báo chí của cơ quan"), Para(method)]
    if not data.uptake:
        return [*blocks, Para("Trong kỳ chưa có thông cáo báo chí nào được đưa vào hệ thống.")]
    rows = [[str(i), clean_text(strip_header(u["title"]), 160),
             _day(u["published_at"], data.tz) if u["published_at"] else "",
             number(u["documents"]), number(u["sources"])]
            for i, u in enumerate(data.uptake, 1)]  # fmt: skip
    used = sum(1 for u in data.uptake if u["documents"])
    return [
        *blocks,
        Para(f"Trong kỳ có {number(len(data.uptake))} thông cáo báo chí; {number(used)} thông cáo "
             "được báo chí, mạng xã hội đăng lại hoặc diễn đạt lại."),
        Table("Mức độ đăng tải lại thông cáo báo chí",
              ["STT", "Thông cáo", "Ngày", "Số tin, bài đăng lại", "Số nguồn"], rows,
              frozenset({0, 3, 4}), (1.4, 7.1, 2.7, 2.8, 2.0)),
    ]  # fmt: skip


def _assessment(data: ReportData, config: ReportConfig) -> list[Block]:
    top = [label(TOPICS, k) for k, n in data.topics[:3] if n]
    negative = share(data.tones.get("negative", 0), data.total)
    before = share(data.previous_tones.get("negative", 0), sum(data.previous_tones.values()))
    notes = [
        f"Các chủ đề được quan tâm nhiều nhất: {', '.join(top)}." if top else
        "Chưa có tin, bài được phân loại chủ đề.",
        f"Tỷ lệ thông tin tiêu cực {number(negative, 1)}% "
        + ("tăng" if negative > before else "giảm" if negative < before else "không đổi")
        + f" so với quý trước ({number(before, 1)}%).",
    ]  # fmt: skip
    advice = [
        "Tiếp tục cung cấp thông tin chính thống, kịp thời về các sự kiện, vấn đề được dư luận "
        "quan tâm; chủ động phát hành thông cáo báo chí về các nhiệm vụ của Kế hoạch.",
        "Phối hợp với các cơ quan chức năng xác minh, đính chính kịp thời các thông tin sai lệch "
        "đã được xác nhận.",
    ]
    if data.flags["open"]:
        advice.append(f"Khẩn trương xem xét {number(data.flags['open'])} tin, bài còn chờ xử lý.")
    return [
        Heading(1, "VI. Nhận xét và kiến nghị"),
        Heading(2, "1. Nhận xét"),
        *(Para(n) for n in notes),
        Heading(2, "2. Kiến nghị"),
        *(Para(a) for a in advice),
        Para("Trên đây là báo cáo tình hình thông tin báo chí, dư luận xã hội liên quan đến "
             f"{config.region} {data.quarter.label}."),
    ]  # fmt: skip


def _data_uri(block: Block) -> str:
    if not isinstance(block, Chart):
        return ""
    return "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")


def write_html(path: Path, head: FormHead, blocks: list[Block]) -> None:
    """The same report as one self-contained HTML page (charts inline as base64 PNG)."""
    items = [{"kind": type(b).__name__.lower(), "block": b, "src": _data_uri(b)} for b in blocks]
    html = render("quarterly.html", head=head, items=items, number_line=number_line(head),
                  place_date=place_date_line(head))  # fmt: skip
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
