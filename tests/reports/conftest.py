"""Fixtures of the delivery tests: a real SMTP server and settings that send to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from presswatch.settings import Settings
from tests.reports.mailserver import SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    """Settings that send to the test SMTP server."""
    return settings.replace(smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_timeout=5)
