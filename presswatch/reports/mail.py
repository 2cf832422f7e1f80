"""Delivery: the e-mail outbox — enqueue in the caller's transaction, send with retries.

A row is written with its Message-ID in the same transaction as what caused it. The worker
claims one due row at a time (status ``sending`` with a lease in ``next_attempt_at``), hands it
to the SMTP server (or writes an ``.eml`` file when no server is configured), then marks it
``sent``; failures back off exponentially until ``outbox_max_attempts``, then ``failed``.

What "exactly once" means here: a row is claimed by one worker at a time and marked sent once.
One window remains at-least-once: if the process dies after the SMTP server accepted the message
but before the ``sent`` update commits, the lease expires and the message is sent again — with
the same Message-ID and Date, so mail systems that deduplicate by Message-ID show it once. The
file outbox has no such window: a rerun rewrites the same file name.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from presswatch.redact import strip_header
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from presswatch.storage.models import utcnow

log = logging.getLogger(__name__)

KINDS = ("digest", "alert", "report")
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
ERROR_MAX = 1000


@dataclass(slots=True)
class SendSummary:
    """What one worker run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def enqueue(
    session: Session,
    *,
    dedup_key: str,
    kind: str,
    recipients: list[str] | tuple[str, ...],
    subject: str,
    text: str,
    html: str,
    not_before: datetime | None = None,
    domain: str = "presswatch.invalid",
    now: datetime | None = None,
) -> int | None:
    """Queue an e-mail in the caller's transaction; None when ``dedup_key`` was queued before.

    ``now`` is the caller's clock (the time of what caused the e-mail): the message is due then.
    """
    to = [strip_header(r, 320) for r in recipients if strip_header(r, 320)]
    now = now or utcnow()
    row = {
        "dedup_key": dedup_key[:300], "message_id": make_message_id(kind, domain),
        "kind": kind, "recipients": to, "subject": strip_header(subject),
        "body_text": text, "body_html": html, "status": "pending", "attempts": 0,
        "next_attempt_at": not_before or now, "last_error": "", "created_at": now,
    }  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        stmt: Any = postgresql.insert(m.Outbox).on_conflict_do_nothing(index_elements=["dedup_key"])
    else:
        stmt = sqlite.insert(m.Outbox).on_conflict_do_nothing(index_elements=["dedup_key"])
    return session.execute(stmt.returning(m.Outbox.id), [row]).scalar()


def make_message_id(kind: str, domain: str) -> str:
    """A globally unique Message-ID, fixed when the e-mail is queued."""
    host = strip_header(domain, 200).replace(" ", "").strip("<>@") or "presswatch.invalid"
    return f"<{uuid.uuid4().hex}.{kind}@{host}>"


def build_message(row: m.Outbox, settings: Settings) -> EmailMessage:
    """The MIME message of an outbox row: multipart/alternative text + HTML, UTF-8."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = strip_header(settings.mail_from)
    msg["To"] = ", ".join(strip_header(r, 320) for r in row.recipients)
    msg["Subject"] = strip_header(row.subject)
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = row.message_id
    msg["List-Id"] = f"PressWatch <{strip_header(settings.list_id, 200).strip('<>')}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg["X-PressWatch-Kind"] = strip_header(row.kind, 20)
    msg.set_content(row.body_text, charset="utf-8")
    msg.add_alternative(row.body_html, subtype="html", charset="utf-8")
    return msg


class Sender(Protocol):
    """Hands one message to its destination; raises on failure."""

    def send(self, row: m.Outbox, msg: EmailMessage) -> None: ...


class FileSender:
    """Writes each message as an .eml file named after its outbox row (reruns overwrite)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, row: m.Outbox, msg: EmailMessage) -> None:
        """Write the message atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{row.created_at:%Y%m%d-%H%M%S}-{row.id:06d}-{row.kind}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(msg.as_bytes())
        os.replace(tmp, self.folder / name)


class SmtpSender:
    """Sends through one SMTP connection, opened on first use and closed by ``close``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.envelope_from = parseaddr(settings.mail_from)[1] or "presswatch@localhost"
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        try:
            smtp.ehlo()
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, row: m.Outbox, msg: EmailMessage) -> None:
        """Send one message; refused recipients are logged, the rest still receive it."""
        if self._smtp is None:
            self._smtp = self._connect()
        refused = self._smtp.send_message(msg, self.envelope_from, list(row.recipients))
        if refused:
            log.warning("outbox %s: recipients refused: %s", row.id, sorted(refused))

    def close(self) -> None:
        """Say QUIT if connected."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


@contextmanager
def open_sender(settings: Settings) -> Iterator[Sender]:
    """The SMTP sender when ``smtp_host`` is set, else the file outbox under data_dir/outbox."""
    if not settings.smtp_host:
        yield FileSender(settings.path("data_dir") / "outbox")
        return
    smtp = SmtpSender(settings)
    try:
        yield smtp
    finally:
        smtp.close()


def send_pending(
    engine: Engine, settings: Settings, now: datetime | None = None, limit: int = 500
) -> SendSummary:
    """Send every due e-mail once; stop early when the SMTP server cannot be reached."""
    summary = SendSummary()
    lease = timedelta(seconds=max(60, 4 * int(settings.smtp_timeout)))
    with open_sender(settings) as sender:
        for _ in range(limit):
            moment = now or utcnow()
            row = _claim_next(engine, moment, lease)
            if row is None:
                break
            if not _deliver(engine, settings, sender, row, moment, summary):
                break
    return summary


def _deliver(
    engine: Engine, settings: Settings, sender: Sender, row: m.Outbox, now: datetime,
    summary: SendSummary,
) -> bool:  # fmt: skip
    """Send one claimed row and record the outcome; False when the server is unreachable."""
    try:
        sender.send(row, build_message(row, settings))
    except (OSError, smtplib.SMTPException) as exc:
        permanent, unreachable = _classify(exc)
        final = permanent or row.attempts >= settings.outbox_max_attempts
        _record_failure(engine, row, now, f"{type(exc).__name__}: {exc}", final)
        summary.failed += final
        summary.retried += not final
        log.warning("outbox %s attempt %s failed: %s", row.id, row.attempts, exc)
        return not unreachable
    _record_sent(engine, row, now)
    summary.sent += 1
    return True


def _classify(exc: BaseException) -> tuple[bool, bool]:
    """(permanent, server unusable) for an SMTP or socket error.

    Connection, greeting, login and sender errors concern every message: the batch stops and
    the row is retried later. A 5xx answer to this message's recipients or data is permanent.
    """
    session_errors = (
        smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError,
        smtplib.SMTPNotSupportedError, smtplib.SMTPSenderRefused, smtplib.SMTPServerDisconnected,
    )  # fmt: skip
    if isinstance(exc, session_errors) or not isinstance(exc, smtplib.SMTPException):
        return False, True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes), False
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500, False
    return False, False


def _claim_next(engine: Engine, now: datetime, lease: timedelta) -> m.Outbox | None:
    """Take the next due row (pending, or sending with an expired lease) for this worker."""
    due = (m.Outbox.status.in_(("pending", "sending")), m.Outbox.next_attempt_at <= now)
    with transaction(engine) as session:
        ids = session.scalars(
            select(m.Outbox.id).where(*due).order_by(m.Outbox.next_attempt_at, m.Outbox.id).limit(5)
        ).all()
        for outbox_id in ids:
            claimed = session.execute(
                update(m.Outbox)
                .where(m.Outbox.id == outbox_id, *due)
                .values(status="sending", attempts=m.Outbox.attempts + 1,
                        next_attempt_at=now + lease)
            )  # fmt: skip
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                return session.get(m.Outbox, outbox_id)
    return None


def _record_sent(engine: Engine, row: m.Outbox, now: datetime) -> None:
    with transaction(engine) as session:
        done = session.execute(
            update(m.Outbox)
            .where(m.Outbox.id == row.id, m.Outbox.status == "sending",
                   m.Outbox.attempts == row.attempts)
            .values(status="sent", sent_at=now, last_error="")
        )  # fmt: skip
        if done.rowcount != 1:  # type: ignore[attr-defined]
            log.error("outbox %s: sent, but its claim had expired and was taken over", row.id)


def _record_failure(engine: Engine, row: m.Outbox, now: datetime, error: str, final: bool) -> None:
    wait = min(BACKOFF_FIRST * 2 ** max(row.attempts - 1, 0), BACKOFF_MAX)
    with transaction(engine) as session:
        session.execute(
            update(m.Outbox)
            .where(m.Outbox.id == row.id, m.Outbox.status == "sending",
                   m.Outbox.attempts == row.attempts)
            .values(status="failed" if final else "pending", next_attempt_at=now + wait,
                    last_error=error[:ERROR_MAX])
        )  # fmt: skip


def retry_failed(session: Session, outbox_id: int | None = None) -> int:
    """Put failed e-mails (one, or all) back in the queue with a fresh attempt count."""
    stmt = update(m.Outbox).where(m.Outbox.status == "failed")
    if outbox_id is not None:
        stmt = stmt.where(m.Outbox.id == outbox_id)
    result = session.execute(stmt.values(status="pending", attempts=0, next_attempt_at=utcnow()))
    return int(result.rowcount)  # type: ignore[attr-defined]


def list_outbox(session: Session, status: str | None = None, limit: int = 50) -> list[m.Outbox]:
    """Outbox rows, newest first, optionally of one status."""
    stmt = select(m.Outbox).order_by(m.Outbox.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(m.Outbox.status == status)
    return list(session.scalars(stmt))
