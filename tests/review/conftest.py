"""Review-desk fixtures: a seeded database, the app, a test client, a live uvicorn, a browser."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from presswatch.review.app import create_app
from presswatch.settings import Settings
from tests.review.seed import PASSWORD, World, seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def world(engine: Engine) -> World:
    """The seeded rows (users an/vy/quan = analyst/viewer/admin, flags, a story, a claim)."""
    return seed(engine)


@pytest.fixture
def app(settings: Settings, engine: Engine, world: World) -> FastAPI:
    """The review desk over the seeded database."""
    return create_app(settings.replace(secret_key="test-secret-key"), engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client that does not follow redirects (tests look at them)."""
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """The CSRF token the page at ``path`` hands out."""
    response = client.get(path)
    match = CSRF_RE.search(response.text)
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the form; returns the response to the POST."""
    token = csrf_of(client)
    data = {"username": username, "password": password, "csrf_token": token, "next": "/queue"}
    return client.post("/login", data=data)


class LiveServer:
    """A real uvicorn serving an app from a thread, on a free port of 127.0.0.1."""

    def __init__(self, app: FastAPI) -> None:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else +40 ms per request).
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.socket],), daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """Base URL of the app served by a real uvicorn."""
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (scripts/test installs it from Debian)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
