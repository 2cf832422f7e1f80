"""The quarterly report: decree form, all sections, charts, numbers equal to the named queries."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import Engine

from presswatch.errors import InputError
from presswatch.reports.quarterly import Quarter, ReportResult, build_report
from presswatch.reports.render import TOPICS, number
from presswatch.settings import Settings
from presswatch.storage import queries as q
from presswatch.storage.db import make_engine, migrate, transaction
from tests.reports.delivery_seed import at, quarter_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Q3 = Quarter(2025, 3)
SECTIONS = (
    "I. TÌNH HÌNH CHUNG", "II. THÔNG TIN THEO CHỦ ĐỀ", "III. NGUỒN TIN", "IV. THÔNG TIN SAI",
    "V. HIỆU QUẢ THÔNG CÁO", "VI. NHẬN XÉT VÀ KIẾN NGHỊ",
)  # fmt: skip
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Built:
    engine: Engine
    settings: Settings
    result: ReportResult


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """One seeded database and its 2025Q3 report, shared by the read-only tests here."""
    folder = tmp_path_factory.mktemp("quarter")
    url = f"sqlite:///{folder / 'presswatch.db'}"
    engine = make_engine(url)
    migrate(engine)
    settings = Settings({"database_url": url, "config_dir": str(REPO / "config"),
                         "data_dir": str(folder)}, base_dir=folder)  # fmt: skip
    quarter_world(engine)
    result = build_report(engine, settings, Q3, number=5, now=at("2025-10-05 09:00"))
    yield Built(engine, settings, result)
    engine.dispose()


@pytest.fixture
def report(built: Built) -> ReportResult:
    return built.result


def _table(document: docx.document.Document, caption: str) -> list[list[str]]:
    """The rows (header included) of the table whose caption contains ``caption``."""
    body = document.element.body
    captions = [p for p in document.paragraphs if caption in p.text and p.text.startswith("Bảng")]
    assert captions, caption
    element = captions[0]._p.getnext()
    assert element is not None and element.tag == qn("w:tbl"), caption
    table = next(t for t in document.tables if t._tbl is element)
    assert body is not None
    return [[c.text for c in row.cells] for row in table.rows]


def test_quarter_parsing_and_bounds() -> None:
    assert Quarter.parse("2025Q3") == Quarter.parse("Q3/2025") == Q3
    assert Q3.previous() == Quarter(2025, 2) and Quarter(2025, 1).previous() == Quarter(2024, 4)
    start, end = Q3.bounds(TZ)
    assert (start.month, start.day, end.month, end.day) == (7, 1, 10, 1)
    assert Q3.label == "quý III năm 2025"
    with pytest.raises(InputError):
        Quarter.parse("2025Q5")


def test_docx_follows_the_decree_form(report: ReportResult) -> None:
    d = docx.Document(str(report.docx))
    section = d.sections[0]
    size = [round(x.mm) for x in (section.page_width, section.page_height)]
    margins = [round(x.mm) for x in (section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)]  # fmt: skip
    assert size == [210, 297] and margins == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and "w:fldChar" in header_xml
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    heading = d.tables[0]
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert "UBND THÀNH PHỐ CẦN THƠ" in left and "Số: 05/BC-SVHTTDL" in left
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Cần Thơ, ngày 05 tháng 10 năm 2025" in right
    assert 'w:val="nil"' in heading._tbl.xml  # no borders
    texts = [p.text for p in d.paragraphs]
    assert "BÁO CÁO" in texts
    for title in SECTIONS:
        assert any(t.startswith(title) for t in texts), title
    assert any(re.match(r"^1\. ", t) for t in texts) and any(re.match(r"^a\) ", t) for t in texts)
    assert texts[texts.index("./.") - 1].startswith("Trên đây là báo cáo")
    signature = d.tables[-1].rows[0].cells
    assert signature[0].paragraphs[0].text == "Nơi nhận:"
    assert signature[0].paragraphs[-1].text == "- Lưu: VT, P.TTBCXB."
    assert "KT. GIÁM ĐỐC" in signature[1].text
    assert len(d.inline_shapes) >= 4


def test_every_run_and_style_is_times_new_roman(report: ReportResult) -> None:
    d = docx.Document(str(report.docx))
    styles = d.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        assert rfonts.get(qn("w:asciiTheme")) is None and rfonts.get(qn("w:cstheme")) is None
        assert rfonts.get(qn("w:eastAsia")) == "Times New Roman"
    parts = [d.element, d.sections[0].header._element, d.sections[0].first_page_header._element]
    runs = [r for part in parts for r in part.iter(qn("w:r"))]
    assert len(runs) > 200
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(slot)) == "Times New Roman"
    body = next(p for p in d.paragraphs if p.text.startswith("Trên cơ sở kết quả theo dõi"))
    assert body.paragraph_format.first_line_indent is not None
    assert body.runs[0].font.size.pt == 14


def test_numbers_match_the_named_queries(built: Built) -> None:
    d, engine = docx.Document(str(built.result.docx)), built.engine
    start, end = Q3.bounds(TZ)
    with transaction(engine) as s:
        months = q.report_documents_by_month(s, start, end, TZ)
        topics = dict(q.report_documents_by_topic(s, start, end))
        flags = q.report_flag_outcomes(s, start, end)
        sources = q.report_top_sources(s, start, end, 10)
        uptake = q.report_press_release_uptake(s, start, end, 0.35)
        total = q.report_total_documents(s, start, end)
        kinds = q.report_source_kind_counts(s, start, end)
    assert [(r[0], r[1]) for r in _table(d, "theo tháng")[1:-1]] == [(m, str(n)) for m, n in months]
    assert _table(d, "theo tháng")[-1][1] == str(total) == "13"
    topic_rows = {r[0]: r[1] for r in _table(d, "theo chủ đề")[1:]}
    assert all(topic_rows[TOPICS[k]] == str(n) for k, n in topics.items())
    kind_rows = {r[0]: r[1] for r in _table(d, "theo loại nguồn")[1:]}
    assert kind_rows["Báo chí nước ngoài"] == str(kinds["foreign"]) == "3"
    flag_rows = {r[0]: r[1] for r in _table(d, "bị gắn cờ")[1:]}
    assert flag_rows["Tin, bài bị gắn cờ nghi sai lệch"] == str(flags["flags"]) == "3"
    assert flag_rows["- Xác nhận sai lệch"] == str(flags["confirmed"]) == "1"
    assert flag_rows["- Bác bỏ (không sai lệch)"] == str(flags["dismissed"]) == "1"
    assert flags["median_hours_to_review"] == 14.0
    assert flag_rows["Thời gian từ khi gắn cờ đến khi xem xét (trung vị)"] == "14,0 giờ"
    assert [r[1] for r in _table(d, "nhiều tin, bài nhất")[1:]] == [s["name"] for s in sources]
    (release,) = uptake
    assert release["documents"] == 1  # the paraphrase; the office's own page does not count
    assert _table(d, "thông cáo báo chí")[1][3] == number(release["documents"])
    tasks = {r[0]: r[1] for r in _table(d, "nhiệm vụ của Kế hoạch")[1:]}
    assert tasks["Thông tin về các ngày lễ, kỷ niệm lớn trong năm"] == "1"  # by keyword
    assert tasks["Thông tin về khu vực biên giới, biển đảo"] == "1"


def test_tone_change_against_the_previous_quarter(report: ReportResult) -> None:
    d = docx.Document(str(report.docx))
    rows = {r[0]: r for r in _table(d, "Sắc thái")[1:]}
    assert rows["Tiêu cực"][2:] == ["30,8", "100,0", "-69,2"]
    assert rows["Tích cực"][2:] == ["38,5", "0,0", "+38,5"]


def test_html_is_self_contained_with_the_same_charts(report: ReportResult) -> None:
    html = report.html.read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 4 and all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r'(?:src|href)="(?!data:)', html)
    assert "Số: 05/BC-SVHTTDL" in html and "Nơi nhận:" in html
    for title in SECTIONS:
        assert title.split(". ", 1)[1].lower() in html.lower()


def test_same_database_gives_the_same_report(built: Built, tmp_path: Path) -> None:
    again = build_report(built.engine, built.settings, Q3, tmp_path, number=5,
                         now=at("2025-10-05 09:00"))  # fmt: skip
    assert again.data == built.result.data
    assert again.html.read_text(encoding="utf-8") == built.result.html.read_text(encoding="utf-8")


def test_quarter_to_date_report(engine: Engine, settings: Settings) -> None:
    quarter_world(engine)
    result = build_report(engine, settings, Q3, now=at("2025-08-31 12:00"))
    assert result.data.partial and result.docx.name == "bao-cao-2025Q3-den-2025-08-31.docx"
    assert [m for m, _ in result.data.months] == ["07/2025", "08/2025"]
    d = docx.Document(str(result.docx))
    assert any("(đến ngày 31/08/2025)" in p.text for p in d.paragraphs)
    assert "Số:" in d.tables[0].rows[0].cells[0].text  # number left blank for the clerk


@pytest.mark.skipif(
    shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)",
)
def test_libreoffice_converts_the_docx_to_pdf(report: ReportResult, tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    done = subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(report.docx)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = out / (report.docx.stem + ".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000


def test_issue_date_formatting() -> None:
    from presswatch.reports.docx_form import FormHead, number_line, place_date_line

    head = FormHead("UBND", "SỞ", "SVHTTDL", 0, "Cần Thơ", date(2026, 2, 3), "x", "", "", "",
                    (), "VT")  # fmt: skip
    assert place_date_line(head) == "Cần Thơ, ngày 03 tháng 02 năm 2026"
    assert number_line(head).startswith("Số: ") and number_line(head).endswith("/BC-SVHTTDL")
    later = replace(head, issued=date(2025, 11, 5), number=12)
    assert place_date_line(later) == "Cần Thơ, ngày 05 tháng 11 năm 2025"
    assert number_line(later) == "Số: 12/BC-SVHTTDL"
