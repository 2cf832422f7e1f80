"""Fetch: Scrapy/Twisted failures named as short kinds people can count ("http_500", "timeout")."""

from __future__ import annotations

from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

_BY_TYPE: tuple[tuple[type[BaseException], str], ...] = (
    (DNSLookupError, "dns"),
    (TimeoutError, "timeout"),
    (TCPTimedOutError, "timeout"),
    (CancelledError, "oversized"),  # Scrapy cancels a download that passes DOWNLOAD_MAXSIZE
    (ConnectError, "connection"),
    (ConnectionLost, "connection"),
    (ResponseNeverReceived, "connection"),
    (ResponseFailed, "connection"),
)


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(kind, message) for a failed request."""
    from scrapy import exceptions
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value
    for name, kind in (
        ("DownloadTimeoutError", "timeout"),
        ("DownloadCancelledError", "oversized"),
    ):
        scrapy_cls = getattr(exceptions, name, None)  # Scrapy ≥ 2.13 raises its own classes
        if scrapy_cls is not None and isinstance(exc, scrapy_cls):
            return kind, f"{type(exc).__name__}: {exc}".rstrip(": ")
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"HTTP {status} for {exc.response.url}"
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots" in text.lower():
            return "robots", text
        if "redirect" in text.lower():
            return "too_many_redirects", text
        return "ignored", text or "request ignored"
    for cls, kind in _BY_TYPE:
        if isinstance(exc, cls):
            return kind, f"{type(exc).__name__}: {exc}"
    return type(exc).__name__.lower(), f"{type(exc).__name__}: {exc}"
