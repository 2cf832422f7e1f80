"""Demo and tests: a real HTTP server on 127.0.0.1 that serves the bundled fixture sites.

Text files are templates: ``{{BASE}}`` is the server's base URL and ``{{DATE:-3d-5h}}``,
``{{RFC822:-3d}}`` and ``{{VNDATE:-3d}}`` are times that long before the server's "now" (ISO 8601,
RFC 822 and Vietnamese display form, all in Asia/Ho_Chi_Minh), so the fixture news stays recent
whatever day it runs. Responses carry a strong ETag and Last-Modified and answer conditional GETs
with 304. ``/_fault/...`` routes (faults.py) misbehave on purpose for the crawler's error tests.
"""

from __future__ import annotations

import hashlib
import http.server
import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from presswatch.demo.faults import serve_fault

log = logging.getLogger(__name__)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: Where the bundled fixture sites live.
SITES = Path(__file__).resolve().parent / "sites"
TEMPLATE_SUFFIXES = frozenset({".html", ".xml", ".txt", ".json"})
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".toml": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
_TOKEN = re.compile(r"\{\{(BASE|DATE|RFC822|VNDATE)(?::([^}]*))?\}\}")
_OFFSET = re.compile(r"([+-]?)(\d+)([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
MAX_SLOW_SECONDS = 120.0


def parse_offset(spec: str) -> timedelta:
    """Turn "-3d-5h" (days, hours, minutes; "" or "0" is now) into a timedelta."""
    spec = spec.strip()
    if spec in ("", "0"):
        return timedelta()
    parts = _OFFSET.findall(spec)
    if "".join(sign + num + unit for sign, num, unit in parts) != spec:
        raise ValueError(f"bad time offset {spec!r}; write e.g. -3d, -3d-5h, -90m")
    total = timedelta()
    for sign, num, unit in parts:
        delta = timedelta(**{_UNITS[unit]: int(num)})
        total += -delta if sign == "-" else delta
    return total


def vn_display(moment: datetime) -> str:
    """The way Vietnamese news pages show a time: "Thứ Ba, 12/5/2026, 08:30 (GMT+7)"."""
    local = moment.astimezone(TZ)
    day = f"{local.day}/{local.month}/{local.year}"
    return f"{_WEEKDAYS[local.weekday()]}, {day}, {local:%H:%M} (GMT+7)"


def render(text: str, base: str, now: datetime) -> str:
    """Fill the template tokens of one text file."""

    def fill(match: re.Match[str]) -> str:
        name, arg = match.group(1), match.group(2) or ""
        if name == "BASE":
            return base
        moment = (now + parse_offset(arg)).astimezone(TZ)
        if name == "DATE":
            return moment.isoformat(timespec="seconds")
        if name == "RFC822":
            return format_datetime(moment)
        return vn_display(moment)

    return _TOKEN.sub(fill, text)


def http_date(moment: datetime) -> str:
    """An RFC 7231 HTTP date (always GMT)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _anchor(now: datetime | None) -> datetime:
    """The server's fixed "now": given, or the real clock floored to the minute."""
    if now is None:
        now = datetime.now(TZ).replace(second=0, microsecond=0)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=TZ)
    return now.astimezone(TZ)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the server received; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def route(self) -> str:
        """The path without its query string."""
        return urlsplit(self.path).path

    def header(self, name: str) -> str | None:
        """A request header by case-insensitive name."""
        return self.headers.get(name.lower())


@dataclass(frozen=True, slots=True)
class Resource:
    """A rendered file ready to serve."""

    body: bytes
    content_type: str
    etag: str
    last_modified: datetime


class FixtureServer:
    """The fixture sites on a threaded HTTP server in a daemon thread."""

    def __init__(
        self,
        root: Path = SITES,
        host: str = "127.0.0.1",
        port: int = 0,
        now: datetime | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.host = host
        self.port = port
        self.now = _anchor(now)
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._cache: dict[tuple[Path, int, int], Resource] = {}
        self._started = time.time()
        self._flaky: dict[str, int] = {}
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """ "http://127.0.0.1:PORT", known once the server has started."""
        if self._httpd is None:
            raise RuntimeError("FixtureServer.base_url is known only after start()")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FixtureServer:
        """Bind the port and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _HTTPServer((self.host, self.port), _Handler)
        self._httpd.fixture = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fixture-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; slow responses are woken up."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def render(self, text: str) -> str:
        """Fill template tokens the way served files are filled (for sources.toml, claims)."""
        return render(text, self.base_url, self.now)

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.base_url + ("" if path.startswith("/") else "/") + path

    def requests_for(self, route: str, method: str | None = None) -> list[RequestRecord]:
        """The recorded requests for one path (query string ignored)."""
        with self._lock:
            records = list(self.requests)
        return [r for r in records if r.route == route and method in (None, r.method)]

    # -- used by the handler ------------------------------------------------------------

    def record(self, record: RequestRecord) -> None:
        """Remember one request."""
        with self._lock:
            self.requests.append(record)

    def pause(self, seconds: float) -> None:
        """Sleep up to MAX_SLOW_SECONDS, waking at once when the server stops."""
        self._stopping.wait(min(max(seconds, 0.0), MAX_SLOW_SECONDS))

    def flaky_failures_left(self, key: str, fail: int) -> bool:
        """Count one request for a flaky key; True while it should still fail."""
        with self._lock:
            seen = self._flaky.get(key, 0)
            self._flaky[key] = seen + 1
        return seen < fail

    def resource(self, route: str) -> Resource | None:
        """The rendered file for a URL path, or None when there is none (or it is outside root)."""
        path = self._resolve(route)
        if path is None:
            return None
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._load(path, stat.st_mtime)
            with self._lock:
                self._cache[key] = cached
        return cached

    def _resolve(self, route: str) -> Path | None:
        parts = [p for p in unquote(route).split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            return None
        path = self.root.joinpath(*parts).resolve()
        if not path.is_relative_to(self.root):
            return None
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def _load(self, path: Path, mtime: float) -> Resource:
        body = path.read_bytes()
        if path.suffix in TEMPLATE_SUFFIXES:
            body = self.render(body.decode("utf-8")).encode("utf-8")
        # A file edited while the server runs is newer than "now" by as long as it was edited after
        # the start, so Last-Modified still moves forward when "now" is pinned in the past.
        later = math.ceil(max(0.0, mtime - self._started))
        return Resource(
            body=body,
            content_type=content_type(path, body),
            etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            last_modified=self.now + timedelta(seconds=later),
        )


def content_type(path: Path, body: bytes) -> str:
    """The Content-Type of a fixture file; XML is told apart by its root element."""
    if path.suffix != ".xml":
        return _TYPES.get(path.suffix, "application/octet-stream")
    head = body[:600]
    if b"<rss" in head:
        return "application/rss+xml; charset=utf-8"
    if b"<feed" in head:
        return "application/atom+xml; charset=utf-8"
    return "application/xml; charset=utf-8"


def not_modified(headers: Any, resource: Resource) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or resource.etag in tags
    ims = headers.get("If-Modified-Since")
    if ims is None:
        return False
    try:
        since = parsedate_to_datetime(ims)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return resource.last_modified.replace(microsecond=0) <= since


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    fixture: FixtureServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-body (size caps, timeouts) are expected: no stderr traceback.
        log.debug("fixture server: error while serving %s", client_address, exc_info=True)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "PressWatchFixture/1.0"
    server: _HTTPServer
    HTML = _TYPES[".html"]

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("fixture server: " + format, *args)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        fixture = self.server.fixture
        headers = {k.lower(): v for k, v in self.headers.items()}
        fixture.record(RequestRecord(self.command, self.path, headers))
        split = urlsplit(self.path)
        if split.path.startswith("/_fault/"):
            serve_fault(self, split.path, parse_qs(split.query), head)
            return
        resource = fixture.resource(split.path)
        if resource is None:
            self.send_page(404, "<h1>404 – Không tìm thấy trang</h1>", head)
            return
        self.send_resource(resource, head)

    def send_resource(self, resource: Resource, head: bool) -> None:
        """Send a file, or 304 when the client's copy is current."""
        validators = {
            "ETag": resource.etag,
            "Last-Modified": http_date(resource.last_modified),
            "Cache-Control": "no-cache",
        }
        if not_modified(self.headers, resource):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self.send_body(200, resource.body, resource.content_type, validators, head)

    def send_page(self, status: int, html: str, head: bool = False, **extra: str) -> None:
        """Send a small HTML page with a status."""
        page = f'<!doctype html><html lang="vi"><meta charset="utf-8"><body>{html}</body></html>'
        headers = {k.replace("_", "-"): v for k, v in extra.items()}
        self.send_body(status, page.encode("utf-8"), _TYPES[".html"], headers, head)

    def send_body(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str], head: bool
    ) -> None:
        """Send status, headers and (unless HEAD) the body with its length."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)
