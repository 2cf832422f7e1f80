"""Passwords, session signing, CSRF comparison, login rate limiting, redirect targets."""

from __future__ import annotations

import pytest

from presswatch.review.auth import (
    LoginLimiter,
    SessionCodec,
    csrf_matches,
    has_role,
    hash_password,
    verify_password,
)
from presswatch.review.web import local_path


def test_argon2_hash_verifies_only_the_right_password() -> None:
    hashed = hash_password("một mật khẩu dài")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "một mật khẩu dài")
    assert not verify_password(hashed, "một mật khẩu dai")
    assert not verify_password(None, "một mật khẩu dài")
    assert not verify_password("not-a-hash", "x")


def test_session_cookie_is_signed_and_expires() -> None:
    codec = SessionCodec("secret-1")
    value = codec.dumps({"uid": 3})
    assert codec.loads(value) == {"uid": 3}
    assert SessionCodec("secret-2").loads(value) == {}
    assert codec.loads(value[:-2] + "xx") == {}
    assert SessionCodec("secret-1", max_age=-1).loads(value) == {}


def test_csrf_comparison() -> None:
    assert csrf_matches("abc", "abc")
    assert not csrf_matches("abc", "abd")
    assert not csrf_matches("", "")


def test_roles_are_ordered() -> None:
    assert has_role("admin", "analyst") and has_role("analyst", "analyst")
    assert not has_role("viewer", "analyst") and not has_role("intruder", "viewer")


def test_limiter_blocks_a_user_name_from_one_ip_for_the_window() -> None:
    limiter = LoginLimiter(max_failures=5, window_seconds=300)
    for i in range(5):
        assert limiter.retry_after("An", "10.0.0.1", now=100 + i) == 0
        limiter.failed("An", "10.0.0.1", now=100 + i)
    assert limiter.retry_after("an ", "10.0.0.1", now=105) == 295
    assert limiter.retry_after("an", "10.0.0.2", now=105) == 0  # another IP
    assert limiter.retry_after("vy", "10.0.0.1", now=105) == 0  # another user name
    assert limiter.retry_after("an", "10.0.0.1", now=400) == 0  # the window has passed


def test_limiter_also_caps_failures_per_ip() -> None:
    limiter = LoginLimiter(max_failures=5, max_failures_per_ip=8, window_seconds=300)
    for i in range(8):
        limiter.failed(f"user{i}", "10.0.0.9", now=float(i))
    assert limiter.retry_after("someone-else", "10.0.0.9", now=10) > 0


def test_success_clears_the_user_name() -> None:
    limiter = LoginLimiter(max_failures=2)
    limiter.failed("an", "ip", now=1)
    limiter.succeeded("an", "ip")
    limiter.failed("an", "ip", now=2)
    assert limiter.retry_after("an", "ip", now=3) == 0


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/documents/3", "/documents/3"),
        ("/queue?status=open&q=gi%C3%A1", "/queue?status=open&q=gi%C3%A1"),
        ("https://evil.example/", "/queue"),
        ("//evil.example/", "/queue"),
        ("/\\evil.example", "/queue"),
        ("javascript:alert(1)", "/queue"),
        ("/ok\nSet-Cookie: x", "/queue"),
        ("", "/queue"),
    ],
)
def test_local_path_refuses_open_redirects(target: str, expected: str) -> None:
    assert local_path(target) == expected
