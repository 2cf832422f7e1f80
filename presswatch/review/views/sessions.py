"""Review desk: signing in and out (rate-limited per user name and IP)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from presswatch.review.accounts import audit, find_user
from presswatch.review.auth import (
    hash_password,
    needs_rehash,
    new_csrf_token,
    password_stamp,
    verify_password,
)
from presswatch.review.web import (
    CurrentUser,
    current_user,
    desk,
    flash,
    local_path,
    redirect,
    render,
    require_viewer,
)
from presswatch.storage.db import transaction

router = APIRouter()
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."


@router.get("/")
def home(_user: Annotated[CurrentUser, Depends(require_viewer)]) -> Response:
    """The desk opens on the review queue."""
    return redirect("/queue")


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    """The sign-in form (signed-in users go straight on)."""
    if current_user(request) is not None:
        return redirect(local_path(next))
    return render(request, "login.html", next=local_path(next), username="", error="")


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Check the password; after too many failures from one IP, refuse for a while."""
    state, ip = desk(request), request.client.host if request.client else "unknown"
    username = username.strip()
    wait = state.limiter.retry_after(username, ip)
    if wait:
        minutes = max(1, (wait + 59) // 60)
        message = f"Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
        return _form_again(request, next, username, message, 429)
    user_id = _check_login(request, username, password)
    if user_id is None:
        state.limiter.failed(username, ip)
        if state.limiter.retry_after(username, ip):
            with transaction(state.engine) as session:
                audit(session, username or "?", "login.locked", f"ip:{ip}")
        return _form_again(request, next, username, BAD_LOGIN, 401)
    state.limiter.succeeded(username, ip)
    return redirect(local_path(next))


def _check_login(request: Request, username: str, password: str) -> int | None:
    """The user's id when the password is right; starts a fresh session (new CSRF token)."""
    with transaction(desk(request).engine) as session:
        user = find_user(session, username) if username else None
        known = user is not None and user.active
        if not verify_password(user.password_hash if known and user else None, password):
            return None
        assert user is not None
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        audit(session, user.username, "login", f"user:{user.username}")
        request.session.clear()
        request.session.update(
            uid=user.id, pw=password_stamp(user.password_hash), csrf=new_csrf_token()
        )
        return user.id


def _form_again(request: Request, next: str, username: str, error: str, status: int) -> Response:
    return render(
        request, "login.html", status, next=local_path(next), username=username, error=error
    )


@router.post("/logout")
def logout(request: Request, user: Annotated[CurrentUser, Depends(require_viewer)]) -> Response:
    """End the session."""
    with transaction(desk(request).engine) as session:
        audit(session, user.username, "logout", f"user:{user.username}")
    request.session.clear()
    flash(request, "Bạn đã đăng xuất.")
    return redirect("/login")
