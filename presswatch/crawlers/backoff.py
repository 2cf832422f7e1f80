"""Fetch: a downloader middleware that waits before each retry, doubling the wait every time."""

from __future__ import annotations

import asyncio
from typing import Any

MAX_WAIT_SECONDS = 60.0


class BackoffMiddleware:
    """Sleeps base × 2^(n-1) seconds before the n-th retry of a request (Scrapy retries at once)."""

    def __init__(self, base_seconds: float) -> None:
        self.base_seconds = base_seconds

    @classmethod
    def from_crawler(cls, crawler: Any) -> BackoffMiddleware:
        return cls(crawler.settings.getfloat("BACKOFF_BASE_SECONDS", 0.5))

    async def process_request(self, request: Any, spider: Any = None) -> None:
        retries = int(request.meta.get("retry_times", 0))
        if retries and self.base_seconds > 0:
            await asyncio.sleep(min(self.base_seconds * 2 ** (retries - 1), MAX_WAIT_SECONDS))
