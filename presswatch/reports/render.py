"""Delivery: the template environment and the Vietnamese labels shared by digest, alerts, report.

Autoescape is on for every HTML template, and every crawled field goes through the ``clean``
filter (personal data redacted, control characters dropped, length bounded) before it is shown.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from presswatch.redact import clean_text, strip_header

TOPICS = {
    "sovereignty": "Chủ quyền biên giới, biển đảo",
    "human_rights": "Nhân quyền",
    "asean": "ASEAN",
    "ethnic_minorities": "Dân tộc thiểu số",
    "religion": "Tôn giáo",
    "fisheries": "Thủy sản, ngư dân",
    "foreign_affairs": "Đối ngoại",
    "image_promotion": "Quảng bá hình ảnh",
    "": "Chưa phân loại",
}
TONES = {
    "positive": "Tích cực",
    "neutral": "Trung lập",
    "negative": "Tiêu cực",
    "": "Chưa xác định",
}
SOURCE_KINDS = {
    "domestic": "Báo chí trong nước",
    "foreign": "Báo chí nước ngoài",
    "social": "Mạng xã hội",
    "official": "Cổng thông tin chính thức",
}
SIGNALS = {
    "claim_match": "Trùng với tin sai đã biết",
    "fact_contradiction": "Mâu thuẫn với thông tin chính thức",
    "content_model": "Mô hình nội dung",
    "impersonation": "Mạo danh cơ quan nhà nước",
    "spike": "Lan truyền đột biến",
    "source_reliability": "Độ tin cậy của nguồn",
}
SEVERITIES = (("high", "Cao", 0.8), ("medium", "Trung bình", 0.6), ("low", "Thấp", 0.0))
EVIDENCE_KEYS = {
    "sentence": "Câu trùng khớp",
    "matched_sentence": "Câu trùng khớp",
    "claim": "Tin sai đã biết",
    "claim_text": "Tin sai đã biết",
    "claim_id": "Mã tin sai",
    "correction": "Thông tin đính chính",
    "similarity": "Độ tương đồng",
    "reliability": "Độ tin cậy",
    "documents": "Số bài",
    "sources": "Số nguồn",
    "window_hours": "Trong (giờ)",
    "probability": "Xác suất",
    "body": "Cơ quan bị mạo danh",
}
RELEVANCE = {2: "Về địa bàn", 1: "Có nhắc đến", 0: "Không liên quan"}


def label(table: dict[str, str], key: str | None) -> str:
    """The Vietnamese label of a key, or the key itself when unknown."""
    return table.get(key or "", key or table.get("", ""))


def severity(score: float) -> tuple[str, str]:
    """(key, Vietnamese label) of a flag score's severity band."""
    for key, name, floor in SEVERITIES:
        if score >= floor:
            return key, name
    return SEVERITIES[-1][0], SEVERITIES[-1][1]


def vn_date(day: date) -> str:
    """05/10/2025."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def vn_datetime(when: datetime | None, tz: str = "Asia/Ho_Chi_Minh") -> str:
    """'14:05 05/10/2025' in office time; '' when unknown."""
    if when is None:
        return ""
    local = when.astimezone(ZoneInfo(tz))
    return f"{local:%H:%M} {vn_date(local.date())}"


def number(value: float | int | None, digits: int = 0) -> str:
    """Vietnamese number format: 1.234 and 12,5."""
    if value is None:
        return "-"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def evidence_lines(evidence: Any, limit: int = 300) -> list[str]:
    """A signal's evidence as short, cleaned 'key: value' lines (never markup)."""
    if isinstance(evidence, dict):
        items = sorted(evidence.items())
        return [
            f"{EVIDENCE_KEYS.get(k, k)}: {clean_text(_flat(v), limit)}"
            for k, v in items
            if _flat(v)
        ]
    return [clean_text(_flat(evidence), limit)] if _flat(evidence) else []


def _flat(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_flat(v)}" for k, v in sorted(value.items()))
    if isinstance(value, float):
        return number(value, 2)
    return "" if value is None else str(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the delivery templates (HTML autoescaped)."""
    env = Environment(
        loader=PackageLoader("presswatch.reports", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        clean=lambda text, limit=0: clean_text(str(text or ""), limit),
        line=lambda text, limit=0: clean_text(strip_header(str(text or ""), 10_000), limit),
        topic=lambda key: label(TOPICS, key),
        tone=lambda key: label(TONES, key),
        source_kind=lambda key: label(SOURCE_KINDS, key),
        signal=lambda key: label(SIGNALS, key),
        vn_date=vn_date,
        vn_datetime=vn_datetime,
        number=number,
        evidence=evidence_lines,
    )
    return env


def render(name: str, **context: Any) -> str:
    """Render one template of presswatch/reports/templates."""
    return environment().get_template(name).render(**context)
