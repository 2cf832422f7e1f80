"""Review desk: the application factory — middleware, routes, error pages."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from presswatch.review.auth import LoginLimiter, SessionCodec
from presswatch.review.middleware import SecurityHeaders, SessionCookie
from presswatch.review.templating import make_templates
from presswatch.review.views import ROUTERS
from presswatch.review.web import Desk, Forbidden, LoginRequired, csrf_guard, redirect, render
from presswatch.settings import Settings
from presswatch.storage.db import make_engine, migrate, resolve_url

log = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The review desk as an ASGI application over the settings' (or the given) database."""
    if engine is None:
        engine = make_engine(resolve_url(settings.database_url, settings.base_dir))
    migrate(engine)
    codec = SessionCodec(_secret_key(settings))
    state = Desk(settings, engine, codec, LoginLimiter(), make_templates(settings.timezone))
    app = FastAPI(
        title="PressWatch",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.desk = state
    secure = str(settings.review_base_url).lower().startswith("https://")
    app.add_middleware(SessionCookie, codec=codec, force_secure=secure)
    app.add_middleware(SecurityHeaders)  # added last = outermost: error responses get it too
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_api_route("/healthz", _healthz, include_in_schema=False)
    _add_error_pages(app)
    return app


def _secret_key(settings: Settings) -> str:
    """The session-signing key; a random one (sessions end at restart) when none is set."""
    key = str(settings.secret_key)
    if key:
        return key
    log.warning(
        "PRESSWATCH_SECRET_KEY is not set: using a random key, so sessions end when the "
        "review desk restarts; set it to a long random value in production"
    )
    return secrets.token_urlsafe(48)


def _healthz() -> PlainTextResponse:
    """A trivial route: liveness checks, and the floor the queue benchmark is measured against."""
    return PlainTextResponse("ok")


def _add_error_pages(app: FastAPI) -> None:
    """Login redirects and Vietnamese error pages instead of JSON errors."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/queue"
        return redirect("/login?" + urlencode({"next": target}))

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> HTMLResponse:
        return render(request, "error.html", 403, title="Không được phép", message=exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, _exc: RequestValidationError) -> HTMLResponse:
        message = "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ."
        return render(request, "error.html", 400, title="Yêu cầu không hợp lệ", message=message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        message = {404: "Không tìm thấy trang hoặc mục này.", 405: "Thao tác không hợp lệ."}.get(
            exc.status_code, "Yêu cầu không hợp lệ."
        )
        return render(request, "error.html", exc.status_code, title="Lỗi", message=message)
