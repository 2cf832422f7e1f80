"""Review desk: password hashing, signed session cookies, CSRF tokens and login rate limiting."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

ROLES = ("viewer", "analyst", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
MIN_PASSWORD_LENGTH = 10
SESSION_COOKIE = "presswatch_session"
SESSION_MAX_AGE = 8 * 3600  # a working day; the signature's timestamp enforces it

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unknown user still costs one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    return _hasher.check_needs_rehash(password_hash)


def password_stamp(password_hash: str) -> str:
    """A short fingerprint of the hash: sessions die when the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def has_role(role: str, needed: str) -> bool:
    """True when ``role`` is at least ``needed`` (viewer < analyst < admin)."""
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def new_csrf_token() -> str:
    """A fresh random CSRF token."""
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str, given: str) -> bool:
    """Compare CSRF tokens in constant time; an empty expected token never matches."""
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


class SessionCodec:
    """Signs and reads the session dictionary kept in a cookie."""

    def __init__(self, secret_key: str, max_age: int = SESSION_MAX_AGE) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="presswatch.review.session")
        self.max_age = max_age

    def dumps(self, data: dict[str, Any]) -> str:
        """The signed cookie value of a session."""
        return str(self._serializer.dumps(data))

    def loads(self, value: str) -> dict[str, Any]:
        """The session in a cookie value; empty when unsigned, tampered with or expired."""
        try:
            data = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}


@dataclass
class LoginLimiter:
    """Counts failed logins per (user name, IP) and per IP in a sliding window.

    Kept in process memory: one review desk process is the deployment this serves.
    """

    max_failures: int = 5
    max_failures_per_ip: int = 30
    window_seconds: float = 300.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, username: str, ip: str, now: float | None = None) -> int:
        """Seconds until this user name may try again from this IP (0 = allowed now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            waits = [
                self._wait(self._key(username, ip), self.max_failures, now),
                self._wait(f"ip:{ip}", self.max_failures_per_ip, now),
            ]
        return max(waits)

    def failed(self, username: str, ip: str, now: float | None = None) -> None:
        """Record one failed attempt."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in (self._key(username, ip), f"ip:{ip}"):
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > 10_000:
                self._prune(now)

    def succeeded(self, username: str, ip: str) -> None:
        """Forget the failures of this user name from this IP."""
        with self._lock:
            self._failures.pop(self._key(username, ip), None)

    @staticmethod
    def _key(username: str, ip: str) -> str:
        return f"user:{username.strip().casefold()}|{ip}"

    def _wait(self, key: str, limit: int, now: float) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        while times and now - times[0] >= self.window_seconds:
            times.popleft()
        if len(times) < limit:
            return 0
        return max(1, int(times[-limit] + self.window_seconds - now + 0.999))

    def _prune(self, now: float) -> None:
        for key in [k for k, t in self._failures.items() if now - t[-1] >= self.window_seconds]:
            del self._failures[key]
