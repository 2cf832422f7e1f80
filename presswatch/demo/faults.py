"""The fixture server's misbehaving routes (``/_fault/...``) for the crawler's error tests.

``500``, ``slow?seconds=``, ``huge?mb=&length=0|1``, ``redirect-loop``, ``redirect?to=/path``
and ``flaky?key=&fail=N`` (503 N times for a key, then an article).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presswatch.demo.server import _Handler as FixtureHandler

MAX_HUGE_MB = 1024

_ARTICLE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{url}"></head>
<body><article><h1>{title}</h1>
<p class="sapo">Bài viết thử nghiệm do máy chủ mô phỏng trả về sau {fail} lần lỗi tạm thời.</p>
<div class="article-body"><p>Máy chủ mô phỏng trả về mã lỗi 503 cho khóa "{key}"
đúng {fail} lần, sau đó mới trả về trang này. Bộ thu thập cần thử lại có giãn cách thời gian
để lấy được nội dung.</p>
<p>Trang này không nói về địa phương nào; nội dung chỉ phục vụ kiểm thử.</p></div>
</article></body></html>"""


def _number(query: dict[str, list[str]], name: str, default: float) -> float:
    try:
        return float(query.get(name, [str(default)])[0])
    except ValueError:
        return default


def serve_fault(
    handler: FixtureHandler, route: str, query: dict[str, list[str]], head: bool
) -> None:
    """The misbehaving routes the crawler's error-handling tests use."""
    fixture = handler.server.fixture
    name = route.removeprefix("/_fault/").rstrip("/")
    if name == "500":
        handler.send_page(500, "<h1>500 – Lỗi máy chủ</h1>", head)
    elif name == "slow":
        fixture.pause(_number(query, "seconds", 5.0))
        handler.send_page(200, "<h1>Trang chậm</h1><p>Máy chủ đã chờ rồi mới trả lời.</p>", head)
    elif name == "huge":
        _send_huge(handler, _number(query, "mb", 10), query.get("length", ["1"])[0] != "0", head)
    elif name == "redirect-loop":
        handler.send_page(302, "", head, Location="/_fault/redirect-loop")
    elif name == "redirect":
        target = query.get("to", ["/"])[0]
        if not target.startswith("/") or target.startswith("//"):
            handler.send_page(400, "<h1>400 – to= phải là một đường dẫn cục bộ</h1>", head)
        else:
            handler.send_page(302, "", head, Location=target)
    elif name == "flaky":
        _send_flaky(handler, query, head)
    else:
        handler.send_page(404, "<h1>404 – Không có lỗi mô phỏng này</h1>", head)


def _send_flaky(handler: FixtureHandler, query: dict[str, list[str]], head: bool) -> None:
    key, fail = query.get("key", ["default"])[0], int(_number(query, "fail", 2))
    if handler.server.fixture.flaky_failures_left(key, fail):
        handler.send_page(503, "<h1>503 – Dịch vụ tạm thời gián đoạn</h1>", head)
        return
    url = handler.server.fixture.url(handler.path)
    title = f"Bài thử nghiệm sau lỗi tạm thời ({html.escape(key)})"
    page = _ARTICLE.format(title=title, url=html.escape(url), key=html.escape(key), fail=fail)
    handler.send_body(200, page.encode("utf-8"), handler.HTML, {}, head)


def _send_huge(handler: FixtureHandler, mb: float, with_length: bool, head: bool) -> None:
    """Stream `mb` MiB of HTML; without a length the body ends when the connection closes."""
    total = int(min(max(mb, 0.0), MAX_HUGE_MB) * 1024 * 1024)
    opening = b'<!doctype html><html lang="vi"><meta charset="utf-8"><body>'
    chunk = ("<p>Nội dung rất dài lặp lại để thử giới hạn kích thước trang.</p>\n" * 512).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", handler.HTML)
    if with_length:
        handler.send_header("Content-Length", str(total))
    else:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    if head:
        return
    handler.wfile.write(opening[:total])
    sent = min(len(opening), total)
    while sent < total:
        piece = chunk[: total - sent]
        handler.wfile.write(piece)
        sent += len(piece)
