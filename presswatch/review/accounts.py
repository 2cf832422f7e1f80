"""Review desk: accounts — create, set password, role, disable — each audited to the audit log."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from presswatch.errors import InputError
from presswatch.review.auth import MIN_PASSWORD_LENGTH, ROLES, hash_password
from presswatch.storage import models as m

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


def audit(session: Session, actor: str, action: str, target: str, **detail: Any) -> None:
    """Add one audit-log row in the caller's transaction."""
    session.add(m.AuditLog(actor=actor, action=action, target=target, detail=detail))


def check_password(password: str) -> None:
    """Raise InputError when a password is too weak to accept."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip() != password or "\n" in password:
        raise InputError("password must not start or end with spaces or contain line breaks")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")


def find_user(session: Session, username: str) -> m.User | None:
    """The account with this user name (case-insensitive), or None."""
    stmt = select(m.User).where(func.lower(m.User.username) == username.strip().lower())
    return session.scalars(stmt).first()


def _existing(session: Session, username: str) -> m.User:
    user = find_user(session, username)
    if user is None:
        raise InputError(f"no user named {username!r}")
    return user


def add_user(session: Session, username: str, role: str, password: str, actor: str) -> m.User:
    """Create an account; raise InputError for a taken or malformed name, role or password."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise InputError(
            f"user name {username!r} must be 2–63 characters: a–z, 0–9, '.', '_' or '-'"
        )
    _check_role(role)
    check_password(password)
    if find_user(session, username) is not None:
        raise InputError(f"user {username!r} already exists")
    user = m.User(username=username, role=role, password_hash=hash_password(password))
    session.add(user)
    audit(session, actor, "user.create", f"user:{username}", role=role)
    session.flush()
    return user


def set_password(session: Session, username: str, password: str, actor: str) -> None:
    """Change an account's password (its open sessions end)."""
    user = _existing(session, username)
    check_password(password)
    user.password_hash = hash_password(password)
    audit(session, actor, "user.password", f"user:{user.username}")


def set_role(session: Session, username: str, role: str, actor: str) -> None:
    """Change an account's role."""
    user = _existing(session, username)
    _check_role(role)
    if user.role != role:
        audit(session, actor, "user.role", f"user:{user.username}", before=user.role, after=role)
        user.role = role


def set_active(session: Session, username: str, active: bool, actor: str) -> None:
    """Disable or re-enable an account (a disabled account's sessions end at once)."""
    user = _existing(session, username)
    if user.active != active:
        action = "user.enable" if active else "user.disable"
        audit(session, actor, action, f"user:{user.username}")
        user.active = active
