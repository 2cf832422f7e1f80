"""The desk in a real browser: Debian's chromium through Playwright, against a real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.review.seed import CLAIM_SENTENCE, PASSWORD, XSS_TEXT, XSS_TITLE, World, pages

pytestmark = pytest.mark.browser


class Watched:
    """A page plus everything it did that a test may want to forbid."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.csp_violations: list[str] = []
        self.outside_requests: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)


@pytest.fixture
def watched(browser: Any, live_server: str) -> Iterator[Watched]:
    """A fresh browser context (no cookies) whose requests may only go to the live server."""
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    page = context.new_page()
    result = Watched(page)

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(live_server):
            request_route.continue_()
        else:
            result.outside_requests.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    yield result
    context.close()


def sign_in(page: Any, username: str) -> None:
    """Log in through the form like a person."""
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/queue")


def test_anonymous_visits_to_every_page_land_on_login(watched: Watched, world: World) -> None:
    for path in pages(world):
        watched.page.goto(path)
        assert "/login?next=" in watched.page.url, path
        assert watched.page.get_by_role("heading", name="Đăng nhập").is_visible()


def test_analyst_reviews_a_flagged_item_and_the_admin_sees_it_audited(
    browser: Any, watched: Watched, world: World, live_server: str, tmp_path: Path
) -> None:
    page = watched.page
    sign_in(page, "an")
    item = page.locator(f'li[data-flag="{world.false_flag}"]')
    assert item.is_visible()
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)

    item.get_by_role("link", name="Rộ tin Sóc Trăng cấm thu mua lúa").click()
    page.wait_for_url(f"**/documents/{world.false_doc}?**")
    assert page.locator("#doc-text mark.evidence").first.inner_text() == CLAIM_SENTENCE
    assert page.get_by_text("UBND không ban hành lệnh cấm nào").is_visible()
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)

    page.get_by_label("Xác nhận là tin sai").check()
    assert page.locator('optgroup[data-decision="dismiss"]').get_attribute("disabled") is not None
    page.get_by_label("Lý do").select_option("repeats_false_claim")
    page.get_by_role("textbox", name="Ghi chú").fill("Trùng tin sai đã đính chính")
    page.get_by_role("button", name="Ghi quyết định").click()
    page.wait_for_url("**/queue")
    assert page.get_by_text("Đã ghi quyết định «Xác nhận»").is_visible()
    assert page.locator(f'li[data-flag="{world.false_flag}"]').count() == 0
    assert page.locator(f'li[data-flag="{world.xss_flag}"]').count() == 1

    admin = browser.new_context(base_url=live_server).new_page()
    sign_in(admin, "quan")
    admin.goto("/audit")
    row = admin.locator("table.audit tbody tr").filter(has_text="Xác nhận tin sai")
    assert row.count() == 1
    assert "an" in row.locator("td").nth(1).inner_text()
    assert f"flag:{world.false_flag}" in row.inner_text()
    assert "Trùng tin sai đã đính chính" in row.inner_text()
    admin.context.close()
    assert (tmp_path / "queue.png").stat().st_size > 10_000
    assert (tmp_path / "document.png").stat().st_size > 10_000
    assert not watched.csp_violations and not watched.outside_requests and not watched.dialogs


def test_analyst_corrects_labels_with_the_form_and_the_admin_sees_it_audited(
    browser: Any, watched: Watched, world: World, live_server: str
) -> None:
    page = watched.page
    sign_in(page, "an")
    page.goto(f"/documents/{world.plain_doc}")
    form = page.locator("form.labels")
    form.get_by_label("Mức liên quan").select_option("1")
    form.get_by_label("Sắc thái").select_option("positive")
    form.get_by_label("Quảng bá hình ảnh").check()
    form.get_by_role("button", name="Lưu nhãn").click()
    page.wait_for_url(f"**/documents/{world.plain_doc}")
    assert page.get_by_text(f"Đã lưu nhãn của cán bộ cho tin #{world.plain_doc}").is_visible()
    shown = page.locator("#label-correction").inner_text()
    assert "Chỉ nhắc đến địa bàn" in shown and "Tích cực" in shown and "Quảng bá hình ảnh" in shown
    # The form now starts from the analyst's labels.
    assert form.get_by_label("Quảng bá hình ảnh").is_checked()

    admin = browser.new_context(base_url=live_server).new_page()
    sign_in(admin, "quan")
    admin.goto("/audit")
    row = admin.locator("table.audit tbody tr").filter(has_text="Sửa nhãn phân loại")
    assert row.count() == 1 and f"document:{world.plain_doc}" in row.inner_text()
    admin.context.close()
    assert not watched.csp_violations and not watched.outside_requests and not watched.dialogs


def test_stored_xss_renders_as_text_and_runs_nothing(watched: Watched, world: World) -> None:
    page = watched.page
    sign_in(page, "an")
    for path in (f"/documents/{world.xss_doc}", "/queue", "/queue?q=l%C3%BAa"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img").count() == 0, path
    page.goto(f"/documents/{world.xss_doc}")
    assert page.locator("#doc-title").inner_text() == XSS_TITLE
    assert page.locator("#doc-text").inner_text() == XSS_TEXT
    assert page.locator("#doc-text mark.evidence").count() == 1  # the <img …> evidence, as text
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert watched.dialogs == [] and watched.outside_requests == []


def test_viewer_has_no_form_and_a_forged_post_is_refused(watched: Watched, world: World) -> None:
    page = watched.page
    sign_in(page, "vy")
    page.goto(f"/documents/{world.false_doc}")
    assert page.locator("form.decision").count() == 0
    assert page.locator("#read-only").is_visible()
    status = page.evaluate(
        """async (documentId) => {
            const token = document.querySelector("input[name=csrf_token]").value;
            const body = new URLSearchParams({csrf_token: token, decision: "confirm",
                                              reason_code: "fabricated", flag_status: "open"});
            const response = await fetch(`/documents/${documentId}/decision`,
                                         {method: "POST", body, redirect: "manual"});
            return response.status;
        }""",
        world.false_doc,
    )
    assert status == 403
    page.goto("/queue")
    assert page.locator(f'li[data-flag="{world.false_flag}"]').count() == 1  # still open


def test_every_page_renders_under_the_policy_without_outside_requests(
    watched: Watched, world: World
) -> None:
    page = watched.page
    sign_in(page, "quan")
    for path in pages(world)[1:]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() >= 1, path
    page.goto("/overview?days=30")
    assert page.locator("svg.chart rect.bar").count() > 0
    assert page.locator("svg.chart").first.bounding_box()["height"] > 100  # type: ignore[index]
    assert not watched.csp_violations and not watched.outside_requests and not watched.dialogs
