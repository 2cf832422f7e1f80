"""The fixture HTTP server: templates, conditional GET, robots.txt, fault routes, path safety."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from presswatch.demo.server import TZ, FixtureServer, parse_offset, render, vn_display

NOW = datetime(2026, 5, 12, 9, 30, tzinfo=TZ)
PAGE = """<html><head><meta property="article:published_time" content="{{DATE:-3d-5h}}">
</head><body><a href="{{BASE}}/a.html">a</a> <span>{{VNDATE:-1d}}</span></body></html>"""
FEED = "<rss><channel><item><pubDate>{{RFC822:-2d}}</pubDate></item></channel></rss>"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A tiny site tree beside a secret file that must never be served."""
    root = tmp_path / "root"
    (root / "news").mkdir(parents=True)
    (root / "news" / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "news" / "index.html").write_text("<p>mục lục</p>", encoding="utf-8")
    (root / "feed.xml").write_text(FEED, encoding="utf-8")
    (root / "atom.xml").write_text('<feed xmlns="http://www.w3.org/2005/Atom"/>', "utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG{{BASE}}")
    (tmp_path / "secret.txt").write_text("mật khẩu", encoding="utf-8")
    return root


@pytest.fixture
def server(site: Path) -> Iterator[FixtureServer]:
    with FixtureServer(site, now=NOW) as srv:
        yield srv


@pytest.fixture
def client(server: FixtureServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=10) as c:
        yield c


def test_offsets_parse_days_hours_minutes() -> None:
    assert parse_offset("-3d-5h") == -timedelta(days=3, hours=5)
    assert parse_offset("-90m") == -timedelta(minutes=90)
    assert parse_offset("0") == timedelta()
    with pytest.raises(ValueError, match="bad time offset"):
        parse_offset("-3 days")


def test_templates_are_filled_relative_to_the_pinned_now(
    server: FixtureServer, client: httpx.Client
) -> None:
    resp = client.get("/news/page.html")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "text/html; charset=utf-8"
    assert "2026-05-09T04:30:00+07:00" in resp.text
    assert f'href="{server.base_url}/a.html"' in resp.text
    assert "Thứ Hai, 11/5/2026, 09:30 (GMT+7)" in resp.text
    assert "{{" not in resp.text


def test_feed_dates_are_rfc822_and_feeds_have_their_content_types(client: httpx.Client) -> None:
    resp = client.get("/feed.xml")
    assert resp.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert "Sun, 10 May 2026 09:30:00 +0700" in resp.text
    assert client.get("/atom.xml").headers["content-type"].startswith("application/atom+xml")


def test_binary_files_are_served_untouched(client: httpx.Client) -> None:
    resp = client.get("/logo.png")
    assert resp.headers["content-type"] == "image/png"
    assert resp.content == b"\x89PNG{{BASE}}"


def test_render_is_available_for_files_the_demo_fills_itself(server: FixtureServer) -> None:
    assert (
        server.render("{{BASE}}/x {{DATE:0}}") == f"{server.base_url}/x 2026-05-12T09:30:00+07:00"
    )
    assert render("{{DATE:-1h}}", "http://h", NOW) == "2026-05-12T08:30:00+07:00"
    assert vn_display(NOW) == "Thứ Ba, 12/5/2026, 09:30 (GMT+7)"


def test_real_clock_now_is_fixed_for_the_life_of_the_server(site: Path) -> None:
    with FixtureServer(site) as srv, httpx.Client() as c:
        first = c.get(srv.url("/news/page.html"))
        second = c.get(srv.url("/news/page.html"))
    assert first.headers["etag"] == second.headers["etag"]
    assert srv.now.second == 0 and srv.now.utcoffset() == timedelta(hours=7)


def test_etag_answers_304_and_a_changed_etag_answers_200(client: httpx.Client) -> None:
    first = client.get("/news/page.html")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get("/news/page.html", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get("/news/page.html", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200
    assert other.text == first.text


def test_if_none_match_wins_over_if_modified_since(client: httpx.Client) -> None:
    last_modified = client.get("/feed.xml").headers["last-modified"]
    resp = client.get(
        "/feed.xml", headers={"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    )
    assert resp.status_code == 200


def test_last_modified_answers_304_and_an_older_date_answers_200(client: httpx.Client) -> None:
    first = client.get("/feed.xml")
    last_modified = first.headers["last-modified"]
    assert parsedate_to_datetime(last_modified) == NOW
    assert client.get("/feed.xml", headers={"If-Modified-Since": last_modified}).status_code == 304
    older = "Mon, 11 May 2026 00:00:00 GMT"
    assert client.get("/feed.xml", headers={"If-Modified-Since": older}).status_code == 200
    assert client.get("/feed.xml", headers={"If-Modified-Since": "garbage"}).status_code == 200


def test_a_file_edited_while_serving_gets_a_new_etag_and_a_later_date(
    site: Path, server: FixtureServer, client: httpx.Client
) -> None:
    first = client.get("/feed.xml")
    path = site / "feed.xml"
    path.write_text(FEED.replace("-2d", "-1d"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    cached = {"If-None-Match": first.headers["etag"]}
    changed = client.get("/feed.xml", headers=cached)
    assert changed.status_code == 200
    assert "Mon, 11 May 2026 09:30:00 +0700" in changed.text
    since = {"If-Modified-Since": first.headers["last-modified"]}
    assert client.get("/feed.xml", headers=since).status_code == 200
    assert parsedate_to_datetime(changed.headers["last-modified"]) > NOW


def test_requests_are_recorded_with_their_headers(
    server: FixtureServer, client: httpx.Client
) -> None:
    client.get("/robots.txt")
    client.get("/feed.xml?utm_source=x", headers={"If-None-Match": '"abc"'})
    assert [r.method for r in server.requests_for("/robots.txt")] == ["GET"]
    (record,) = server.requests_for("/feed.xml")
    assert record.path == "/feed.xml?utm_source=x"
    assert record.header("IF-NONE-MATCH") == '"abc"'


def test_robots_txt_is_served_as_text(client: httpx.Client) -> None:
    resp = client.get("/robots.txt")
    assert resp.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Disallow: /private/" in resp.text


def test_directory_serves_its_index_and_missing_files_are_404(client: httpx.Client) -> None:
    assert client.get("/news/").text == "<p>mục lục</p>"
    assert client.get("/news/none.html").status_code == 404
    assert client.head("/news/page.html").content == b""


@pytest.mark.parametrize(
    "raw_path",
    [
        "/../secret.txt",
        "/news/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/news/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/news/..%5c..%5csecret.txt",
    ],
)
def test_no_path_escapes_the_root(server: FixtureServer, raw_path: str) -> None:
    status, body = raw_get(server, raw_path)
    assert status == 404
    assert "mật khẩu" not in body


def raw_get(server: FixtureServer, path: str) -> tuple[int, str]:
    """Send a request line exactly as written (clients would normalise the dots away)."""
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


def test_fault_500(client: httpx.Client) -> None:
    assert client.get("/_fault/500").status_code == 500


def test_fault_slow_answers_after_waiting(client: httpx.Client) -> None:
    with pytest.raises(httpx.ReadTimeout):
        client.get("/_fault/slow?seconds=3", timeout=0.5)
    assert client.get("/_fault/slow?seconds=0").status_code == 200


def test_fault_slow_does_not_hold_up_stop(site: Path) -> None:
    srv = FixtureServer(site, now=NOW).start()
    with httpx.Client() as c, pytest.raises(httpx.ReadTimeout):
        c.get(srv.url("/_fault/slow?seconds=60"), timeout=0.3)
    srv.stop()
    with pytest.raises(RuntimeError):
        _ = srv.base_url


def test_fault_huge_streams_the_size_asked_for(client: httpx.Client) -> None:
    resp = client.get("/_fault/huge?mb=2")
    assert resp.headers["content-length"] == str(2 * 1024 * 1024)
    assert len(resp.content) == 2 * 1024 * 1024
    assert resp.text.startswith("<!doctype html>")


def test_fault_huge_without_length_can_be_abandoned(client: httpx.Client) -> None:
    with client.stream("GET", "/_fault/huge?mb=50&length=0") as resp:
        assert "content-length" not in resp.headers
        received = 0
        for chunk in resp.iter_bytes():
            received += len(chunk)
            if received > 1024 * 1024:
                break
    assert client.get("/_fault/500").status_code == 500  # the server is still serving


def test_fault_redirect_loop_points_at_itself(client: httpx.Client) -> None:
    resp = client.get("/_fault/redirect-loop")
    assert resp.status_code == 302
    assert resp.headers["location"] == "/_fault/redirect-loop"
    with pytest.raises(httpx.TooManyRedirects):
        client.get("/_fault/redirect-loop", follow_redirects=True)


def test_fault_redirect_once_and_only_to_local_paths(client: httpx.Client) -> None:
    resp = client.get("/_fault/redirect?to=/news/page.html", follow_redirects=True)
    assert resp.status_code == 200
    assert [r.status_code for r in resp.history] == [302]
    assert client.get("/_fault/redirect?to=http://example.com/").status_code == 400
    assert client.get("/_fault/redirect?to=//example.com/").status_code == 400


def test_fault_flaky_fails_n_times_per_key_then_serves_an_article(client: httpx.Client) -> None:
    statuses = [client.get("/_fault/flaky?key=a&fail=2").status_code for _ in range(4)]
    assert statuses == [503, 503, 200, 200]
    assert client.get("/_fault/flaky?key=b&fail=1").status_code == 503
    resp = client.get("/_fault/flaky?key=b&fail=1")
    assert resp.status_code == 200
    assert "<article>" in resp.text and 'rel="canonical"' in resp.text


def test_unknown_fault_is_404(client: httpx.Client) -> None:
    assert client.get("/_fault/nothing").status_code == 404
