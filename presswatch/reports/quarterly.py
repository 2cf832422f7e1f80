"""Delivery: the quarterly press-opinion report — numbers from named queries, DOCX and HTML.

``build_report`` reads every figure through ``storage.queries`` (so each number traces to one
function and the same database gives the same numbers for a past quarter), turns them into
blocks with charts (``report_content``), and writes the decree-form DOCX and a self-contained
HTML page under ``data_dir/reports``. A quarter still running is reported up to ``now``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from presswatch.alerts_config import ReportConfig
from presswatch.errors import InputError
from presswatch.reports.alerts import alerts_config
from presswatch.reports.docx_form import FormHead, write_docx
from presswatch.reports.mail import enqueue
from presswatch.reports.render import render
from presswatch.settings import Settings
from presswatch.storage import queries as q
from presswatch.storage.db import transaction
from presswatch.storage.models import utcnow

ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """A calendar quarter, e.g. Quarter(2025, 3) = 2025Q3."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2025Q3' (also '2025-Q3', 'Q3/2025') → Quarter(2025, 3)."""
        match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text) or re.fullmatch(
            r"\s*[Qq]([1-4])\s*/\s*(\d{4})\s*", text
        )
        if match is None:
            raise InputError(f"quarter {text!r}: write it as YYYYQn, for example 2025Q3")
        a, b = match.groups()
        return cls(int(a), int(b)) if len(a) == 4 else cls(int(b), int(a))

    @classmethod
    def containing(cls, moment: datetime, tz: ZoneInfo) -> Quarter:
        """The quarter a moment falls in (office time)."""
        local = moment.astimezone(tz)
        return cls(local.year, (local.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        """The quarter before."""
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def next(self) -> Quarter:
        """The quarter after."""
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def first_day(self) -> date:
        """The quarter's first day."""
        return date(self.year, 3 * self.number - 2, 1)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in office time."""
        return (
            datetime.combine(self.first_day(), time(0), tz),
            datetime.combine(self.next().first_day(), time(0), tz),
        )

    @property
    def key(self) -> str:
        """'2025Q3'."""
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """'quý III năm 2025'."""
        return f"quý {ROMAN[self.number - 1]} năm {self.year}"

    @property
    def short(self) -> str:
        """'Quý III/2025'."""
        return f"Quý {ROMAN[self.number - 1]}/{self.year}"


@dataclass(slots=True)
class ReportData:
    """Every figure of one report, as the named queries returned it."""

    quarter: Quarter
    start: datetime
    end: datetime
    partial: bool
    total: int
    previous_total: int
    months: list[tuple[str, int]]
    topics: list[tuple[str, int]]
    tasks: list[tuple[str, int]]
    tones: dict[str, int]
    previous_tones: dict[str, int]
    source_kinds: dict[str, int]
    top_sources: list[dict[str, Any]]
    top_stories: list[dict[str, Any]]
    flags: dict[str, Any]
    uptake: list[dict[str, Any]]
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))


@dataclass(frozen=True, slots=True)
class ReportResult:
    """Where the report was written and what it said."""

    docx: Path
    html: Path
    data: ReportData


def collect_report_data(
    session: Session, quarter: Quarter, tz: ZoneInfo, config: ReportConfig, now: datetime
) -> ReportData:
    """All the report's figures for a quarter (up to ``now`` when it is still running)."""
    start, end = quarter.bounds(tz)
    partial = now < end
    end = min(end, now)
    prev_start, prev_end = quarter.previous().bounds(tz)
    tasks = [(t.name, list(t.topics), list(t.keywords)) for t in config.tasks]
    return ReportData(
        quarter=quarter, start=start, end=end, partial=partial,
        total=q.report_total_documents(session, start, end),
        previous_total=q.report_total_documents(session, prev_start, prev_end),
        months=q.report_documents_by_month(session, start, end, tz),
        topics=q.report_documents_by_topic(session, start, end),
        tasks=q.report_documents_by_task(session, start, end, tasks),
        tones=q.report_tone_counts(session, start, end),
        previous_tones=q.report_tone_counts(session, prev_start, prev_end),
        source_kinds=q.report_source_kind_counts(session, start, end),
        top_sources=q.report_top_sources(session, start, end, config.top_n),
        top_stories=q.report_top_stories(session, start, end, config.top_n),
        flags=q.report_flag_outcomes(session, start, end),
        uptake=q.report_press_release_uptake(session, start, end, config.uptake_min_similarity),
        tz=tz,
    )  # fmt: skip


def build_report(
    engine: Engine,
    settings: Settings,
    quarter: Quarter,
    out_dir: Path | None = None,
    *,
    number: int | None = None,
    issued: date | None = None,
    now: datetime | None = None,
) -> ReportResult:
    """Write the quarter's report as DOCX and HTML; return the paths and the figures."""
    from presswatch.reports.report_content import report_blocks, write_html

    tz = ZoneInfo(settings.timezone)
    now = now or utcnow()
    config = alerts_config(settings).report
    with transaction(engine) as session:
        data = collect_report_data(session, quarter, tz, config, now)
    issued = issued or now.astimezone(tz).date()
    head = form_head(config, data, issued, number)
    blocks = report_blocks(data, config, tz)
    folder = out_dir or settings.path("data_dir") / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"bao-cao-{quarter.key}" + ("-den-" + issued.isoformat() if data.partial else "")
    docx_path, html_path = folder / f"{stem}.docx", folder / f"{stem}.html"
    write_docx(docx_path, head, blocks)
    write_html(html_path, head, blocks)
    return ReportResult(docx_path, html_path, data)


def form_head(config: ReportConfig, data: ReportData, issued: date, number: int | None) -> FormHead:
    """The form's heading and signature values from the configuration."""
    period = data.quarter.label + (f" (đến ngày {issued:%d/%m/%Y})" if data.partial else "")
    return FormHead(
        governing_body=config.governing_body, agency=config.agency,
        agency_code=config.agency_code, number=config.number if number is None else number,
        place=config.place, issued=issued, subject=f"{config.subject}\n{period}",
        signer_authority=config.signer_authority, signer_position=config.signer_position,
        signer_name=config.signer_name, recipients=config.recipients, archive=config.archive,
    )  # fmt: skip


def report_after_quarter(
    engine: Engine, settings: Settings, now: datetime | None = None, *, notify: bool = False
) -> Path:
    """The scheduled job's work: the report of the quarter that ended before ``now``."""
    now = now or utcnow()
    quarter = Quarter.containing(now, ZoneInfo(settings.timezone)).previous()
    result = build_report(engine, settings, quarter, now=now)
    if notify:
        with transaction(engine) as session:
            notify_report(session, settings, result)
    return result.docx


def notify_report(session: Session, settings: Settings, result: ReportResult) -> int | None:
    """Tell the digest recipients where the quarter's report was written (once per quarter)."""
    quarter = result.data.quarter
    lines = [
        f"Báo cáo tình hình thông tin báo chí {quarter.label} đã được lập tự động:",
        f"- Văn bản (DOCX): {result.docx}",
        f"- Bản xem trên trình duyệt (HTML): {result.html}",
        f"Tổng số tin, bài về địa bàn trong kỳ: {result.data.total}.",
        "Đề nghị rà soát, bổ sung nhận xét trước khi trình ký.",
    ]
    html = render("report_notice.html", lines=lines)
    return enqueue(
        session, dedup_key=f"report:{quarter.key}", kind="report",
        recipients=list(settings.digest_recipients),
        subject=f"[PressWatch] Báo cáo {quarter.label} đã được lập", text="\n".join(lines) + "\n",
        html=html, domain=settings.list_id,
    )  # fmt: skip
