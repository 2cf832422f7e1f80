"""Review desk: what every view shares — the desk state, the signed-in user, CSRF, rendering."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from presswatch.review.auth import (
    LoginLimiter,
    SessionCodec,
    csrf_matches,
    has_role,
    new_csrf_token,
    password_stamp,
)
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import session_factory

PAGE_SIZE = 50
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(slots=True)
class Desk:
    """The application's state: settings, database, session codec, limiter and templates."""

    settings: Settings
    engine: Engine
    codec: SessionCodec
    limiter: LoginLimiter
    templates: Jinja2Templates


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The signed-in account as the views see it."""

    id: int
    username: str
    role: str

    @property
    def can_decide(self) -> bool:
        """Analysts and admins decide on flags and edit the claim base."""
        return has_role(self.role, "analyst")

    @property
    def is_admin(self) -> bool:
        """Admins also see the audit log and manage accounts."""
        return has_role(self.role, "admin")


class LoginRequired(Exception):
    """The request needs a signed-in user; the handler redirects to /login."""


class Forbidden(Exception):
    """The signed-in user's role does not allow this; the handler answers 403."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def desk(request: Request) -> Desk:
    """The desk state of this application."""
    state: Desk = request.app.state.desk
    return state


def db(request: Request) -> Iterator[Session]:
    """A read session for one request."""
    with session_factory(desk(request).engine)() as session:
        yield session


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    session: dict[str, Any] = request.session
    if not session.get("csrf"):
        session["csrf"] = new_csrf_token()
    return str(session["csrf"])


async def csrf_guard(request: Request) -> None:
    """Refuse every unsafe request whose form does not carry this session's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    form = await request.form()
    given = form.get("csrf_token")
    expected = str(request.session.get("csrf", ""))
    if not isinstance(given, str) or not csrf_matches(expected, given):
        raise Forbidden(
            "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang."
        )


def current_user(request: Request) -> CurrentUser | None:
    """The signed-in, active user whose password has not changed since signing in; else None."""
    if hasattr(request.state, "user"):
        cached: CurrentUser | None = request.state.user
        return cached
    user = None
    uid = request.session.get("uid")
    if isinstance(uid, int):
        with session_factory(desk(request).engine)() as session:
            row = session.get(m.User, uid)
            if (
                row
                and row.active
                and request.session.get("pw") == password_stamp(row.password_hash)
            ):
                user = CurrentUser(row.id, row.username, row.role)
    request.state.user = user
    return user


def require_viewer(request: Request) -> CurrentUser:
    """Any signed-in user; anonymous requests are sent to /login."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    return user


def require_analyst(user: Annotated[CurrentUser, Depends(require_viewer)]) -> CurrentUser:
    """An analyst or admin."""
    if not user.can_decide:
        raise Forbidden("Tài khoản của bạn chỉ có quyền xem, không được quyết định hay chỉnh sửa.")
    return user


def require_admin(user: Annotated[CurrentUser, Depends(require_viewer)]) -> CurrentUser:
    """An admin."""
    if not user.is_admin:
        raise Forbidden("Trang này chỉ dành cho quản trị viên.")
    return user


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """Keep a message for the next page this session renders."""
    request.session["flash"] = [kind, message]


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered with the user, the CSRF token and any pending flash message."""
    message = request.session.pop("flash", None)
    context |= {
        "user": current_user(request),
        "csrf_token": csrf_token(request),
        "flash": message,
        "settings": desk(request).settings,
    }
    return desk(request).templates.TemplateResponse(request, name, context, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect (a POST answered with a GET)."""
    return RedirectResponse(url, status_code=303)


def local_path(target: str | None, default: str = "/queue") -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and all(c.isprintable() and c not in "\\" for c in target)
    ):
        return target
    return default


def query_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with the given query parameters changed; empty values are left out."""
    merged = {k: v for k, v in (params | changes).items() if v not in (None, "")}
    return f"{path}?{urlencode(merged)}" if merged else path


def page_number(raw: str | None) -> int:
    """A 1-based page number from a query string value (bad values give page 1)."""
    try:
        return max(1, min(int(raw or "1"), 10_000))
    except ValueError:
        return 1
