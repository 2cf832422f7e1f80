"""What the pages show: queue filters and search, evidence, stories, sources, charts, safety."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, update

from presswatch.review.templating import template_files
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from tests.review.conftest import login
from tests.review.seed import CLAIM_SENTENCE, World, pages


def flags_on(html: str) -> set[int]:
    """The flag ids listed on a queue page."""
    return {int(n) for n in re.findall(r'data-flag="(\d+)"', html)}


@pytest.fixture
def analyst(client: TestClient) -> TestClient:
    """The client, signed in as an analyst."""
    login(client, "an")
    return client


def test_queue_lists_open_flags_by_score(analyst: TestClient, world: World) -> None:
    html = analyst.get("/queue").text
    assert flags_on(html) == {world.false_flag, world.xss_flag}
    assert html.index(f'data-flag="{world.false_flag}"') < html.index(
        f'data-flag="{world.xss_flag}"'
    )
    oldest = analyst.get("/queue?sort=oldest").text
    assert oldest.index(f'data-flag="{world.false_flag}"') < oldest.index(
        f'data-flag="{world.xss_flag}"'
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=all", {"false_flag", "xss_flag", "dismissed"}),
        ("status=dismissed", {"dismissed"}),
        ("topic=image_promotion", {"false_flag"}),
        ("kind=social", {"xss_flag"}),
        ("tone=negative&status=all", {"false_flag", "dismissed"}),
        ("status=all&q=gi%C3%A1", {"false_flag", "xss_flag"}),  # giá
        ("status=all&q=gia", set()),  # gia is another word: diacritics are not folded
        ("q=s%C3%B3c+tr%C4%83ng+c%E1%BA%A5m", {"false_flag"}),  # a phrase
        ("q=tr%C4%83ng+s%C3%B3c", set()),  # the same words in another order
        ("q=l%C3%BAa%2C+%C4%91%E1%BB%93n", {"xss_flag"}),  # "lúa, đồn": both phrases
        ("q=%22%3A*+OR+NEAR(", set()),  # query syntax is not interpreted
        ("status=bogus&kind=bogus&sort=bogus&source=x", {"false_flag", "xss_flag"}),
    ],
)
def test_queue_filters(analyst: TestClient, world: World, query: str, expected: set[str]) -> None:
    ids = {"false_flag": world.false_flag, "xss_flag": world.xss_flag}
    listed = flags_on(analyst.get(f"/queue?{query}").text)
    named = {name for name, flag in ids.items() if flag in listed}
    if len(listed) > len(named):
        named.add("dismissed")
    assert named == expected


def test_queue_date_and_source_filters(analyst: TestClient, world: World) -> None:
    assert flags_on(analyst.get("/queue?status=all&from=2000-01-01&to=2000-01-02").text) == set()
    facets = re.findall(r'<option value="(\d+)"', analyst.get("/queue").text)
    assert len(facets) == 2  # the two sources with flags
    per_source = [flags_on(analyst.get(f"/queue?source={sid}").text) for sid in facets]
    assert sorted(map(len, per_source)) == [1, 1]


def test_search_index_follows_edits_and_deletes(
    analyst: TestClient, world: World, engine: Engine
) -> None:
    with transaction(engine) as session:
        session.execute(
            update(m.Document).where(m.Document.id == world.false_doc).values(title="Hạn mặn")
        )
    assert flags_on(analyst.get("/queue?q=h%E1%BA%A1n+m%E1%BA%B7n").text) == {world.false_flag}
    with transaction(engine) as session:
        session.execute(delete(m.Document).where(m.Document.id == world.false_doc))
    assert flags_on(analyst.get("/queue?q=h%E1%BA%A1n+m%E1%BA%B7n").text) == set()


def test_document_page_marks_evidence_and_shows_claim_and_story(
    analyst: TestClient, world: World
) -> None:
    html = analyst.get(f"/documents/{world.false_doc}").text
    assert f'<mark class="evidence">{CLAIM_SENTENCE}</mark>' in html
    assert "UBND không ban hành lệnh cấm nào" in html  # the matched claim's correction
    assert "Lặp lại tin sai đã biết" in html and "Mô hình nội dung" in html  # the signals
    assert "facebook · Trang tin cộng đồng Sóc Trăng" in html  # the story's social source
    assert "Đầu tiên" in html and 'class="decision"' in html
    assert 'target="_blank" rel="noopener noreferrer"' in html


def test_crawled_markup_is_shown_as_text_everywhere(analyst: TestClient, world: World) -> None:
    for path in (f"/documents/{world.xss_doc}", "/queue", "/queue?status=all&q=l%C3%BAa"):
        html = analyst.get(path).text
        assert "<script>window.__xss" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;window.__xss = 1;" in html, path
    page = analyst.get(f"/documents/{world.xss_doc}").text
    assert "&lt;img src=x onerror=" in page and "&lt;b&gt;kênh&lt;/b&gt;" in page
    assert 'href="javascript:' not in page  # a javascript: URL is never a link


def test_no_page_names_an_author(client: TestClient, world: World) -> None:
    login(client, "quan")
    for path in pages(world)[1:]:
        html = client.get(path).text
        assert "Nguyễn Văn A" not in html and "Phóng viên B" not in html, path


def test_stories_sources_claims_and_overview(analyst: TestClient, world: World) -> None:
    stories = analyst.get("/stories?flagged=1").text
    assert f'href="/stories/{world.story}"' in stories and "Trang tin cộng đồng" in stories
    story = analyst.get(f"/stories/{world.story}").text
    first, second = f'href="/documents/{world.social_doc}"', f'href="/documents/{world.false_doc}"'
    assert story.index(first) < story.index(second)  # where it appeared first comes first
    assert story.count("<tr") == 3  # header + the two documents
    sources = analyst.get("/sources").text
    assert "Báo XYZ" in sources and "ngày" in sources  # latency of the older documents
    claims = analyst.get("/claims?kind=false_claim&q=c%E1%BA%A5m").text
    assert "Tin sai: cấm thu mua lúa" in claims
    overview = analyst.get("/overview?days=7").text
    assert (
        overview.count("<svg") == 2 and "Quảng bá hình ảnh" in overview and "Tiêu cực" in overview
    )
    assert "<rect" in overview and analyst.get("/overview?days=365").status_code == 200


def test_templates_never_switch_escaping_off_or_inline_code() -> None:
    for path in template_files():
        source = path.read_text("utf-8")
        assert not re.search(r"\|\s*safe|autoescape\s+false|Markup\(", source), path
        assert not re.search(r"<script>|<style|\sstyle=|\son[a-z]+=", source), path
        assert "http://" not in source.replace('xmlns="http://www.w3.org', ""), path
