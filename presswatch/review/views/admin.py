"""Review desk: for admins — the audit log and the accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from presswatch.errors import InputError
from presswatch.review import accounts
from presswatch.review.auth import MIN_PASSWORD_LENGTH, ROLES
from presswatch.review.web import (
    CurrentUser,
    db,
    desk,
    flash,
    page_number,
    query_url,
    redirect,
    render,
    require_admin,
)
from presswatch.storage import queries
from presswatch.storage.db import transaction

router = APIRouter()
AUDIT_PAGE = 100


@router.get("/audit")
def audit_log(
    request: Request,
    _user: Annotated[CurrentUser, Depends(require_admin)],
    session: Annotated[Session, Depends(db)],
) -> Response:
    """Who did what and when, newest first."""
    page = page_number(request.query_params.get("page"))
    rows, total = queries.audit_entries(session, limit=AUDIT_PAGE, offset=(page - 1) * AUDIT_PAGE)
    return render(
        request,
        "audit.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, (total + AUDIT_PAGE - 1) // AUDIT_PAGE),
        page_url=lambda n: query_url("/audit", {}, page=n),
    )


@router.get("/users")
def users(
    request: Request,
    _user: Annotated[CurrentUser, Depends(require_admin)],
    session: Annotated[Session, Depends(db)],
) -> Response:
    """The accounts, with forms to add one and change role or access."""
    return render(
        request, "users.html", rows=queries.review_users(session), roles=ROLES,
        min_password=MIN_PASSWORD_LENGTH,
    )  # fmt: skip


@router.post("/users")
def add_user(
    request: Request,
    user: Annotated[CurrentUser, Depends(require_admin)],
    username: Annotated[str, Form(max_length=100)] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Create an account."""
    try:
        with transaction(desk(request).engine) as session:
            accounts.add_user(session, username, role, password, user.username)
    except InputError as exc:
        flash(request, _vietnamese(str(exc)), "error")
    else:
        flash(request, f"Đã tạo tài khoản {username.strip().lower()}.")
    return redirect("/users")


@router.post("/users/{username}")
def change_user(
    request: Request,
    username: str,
    user: Annotated[CurrentUser, Depends(require_admin)],
    action: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Change a role, disable or enable an account, or set a new password."""
    if username.lower() == user.username.lower() and action in {"role", "disable"}:
        flash(request, "Bạn không thể tự khóa hay tự đổi vai trò của chính mình.", "error")
        return redirect("/users")
    try:
        with transaction(desk(request).engine) as session:
            _apply(session, action, username, role, password, user.username)
    except InputError as exc:
        flash(request, _vietnamese(str(exc)), "error")
    else:
        flash(request, f"Đã cập nhật tài khoản {username}.")
    return redirect("/users")


def _apply(session: Session, action: str, username: str, role: str, pw: str, actor: str) -> None:
    if action == "role":
        accounts.set_role(session, username, role, actor)
    elif action in {"disable", "enable"}:
        accounts.set_active(session, username, action == "enable", actor)
    elif action == "password":
        accounts.set_password(session, username, pw, actor)
    else:
        raise InputError(f"unknown action {action!r}")


def _vietnamese(message: str) -> str:
    """A Vietnamese version of an account error."""
    if message.startswith("password must have"):
        return f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự."
    if message.startswith("password must not"):
        return "Mật khẩu không được bắt đầu, kết thúc bằng dấu cách hay chứa xuống dòng."
    if message.startswith("user name"):
        return "Tên đăng nhập gồm 2–63 ký tự: chữ a–z, số, dấu chấm, gạch dưới hoặc gạch ngang."
    if message.endswith("already exists"):
        return "Tên đăng nhập này đã có."
    if message.startswith("unknown role"):
        return "Vai trò không hợp lệ."
    if message.startswith("no user"):
        return "Không có tài khoản này."
    return "Thao tác không hợp lệ."
