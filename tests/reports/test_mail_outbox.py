"""The outbox: idempotent enqueue, SMTP and file delivery, retries across an SMTP outage."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import Engine, select

from presswatch.reports.mail import enqueue, send_pending
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from presswatch.storage.models import utcnow
from tests.reports.mailserver import SmtpServer


def _queue(engine: Engine, key: str, subject: str = "Thử nghiệm") -> int | None:
    with transaction(engine) as s:
        return enqueue(s, dedup_key=key, kind="digest", recipients=["a@example.invalid"],
                       subject=subject, text="Nội dung tiếng Việt: Sóc Trăng",
                       html="<p>Nội dung <b>tiếng Việt</b>: Sóc Trăng</p>")  # fmt: skip


def _rows(engine: Engine) -> list[m.Outbox]:
    with transaction(engine) as s:
        return list(s.scalars(select(m.Outbox).order_by(m.Outbox.id)))


def test_enqueue_is_idempotent_by_dedup_key(engine: Engine) -> None:
    first = _queue(engine, "digest:2025-10-05")
    assert first is not None
    assert _queue(engine, "digest:2025-10-05") is None
    assert len(_rows(engine)) == 1


def test_enqueue_rolls_back_with_its_transaction(engine: Engine) -> None:
    try:
        with transaction(engine) as s:
            enqueue(s, dedup_key="k", kind="alert", recipients=["a@x.invalid"], subject="s",
                    text="t", html="<p>t</p>")  # fmt: skip
            raise RuntimeError("the cause failed")
    except RuntimeError:
        pass
    assert _rows(engine) == []


def test_smtp_delivery_headers_and_parts(
    engine: Engine, smtp_settings: Settings, smtp_server: SmtpServer
) -> None:
    _queue(engine, "one", subject="Bản tin\r\nBcc: x@evil.example")
    summary = send_pending(engine, smtp_settings)
    assert summary.sent == 1
    (msg,) = smtp_server.messages
    row = _rows(engine)[0]
    assert row.status == "sent" and row.sent_at is not None
    assert msg["Message-ID"] == row.message_id
    assert msg["Subject"] == "Bản tin Bcc: x@evil.example"
    assert msg["Bcc"] is None
    assert msg["List-Id"].endswith("<presswatch.example.invalid>")
    assert msg["Auto-Submitted"] == "auto-generated" and msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    assert "Sóc Trăng" in plain.get_content() and "<b>tiếng Việt</b>" in html.get_content()
    assert send_pending(engine, smtp_settings).sent == 0
    assert len(smtp_server.messages) == 1


def test_smtp_outage_then_recovery_delivers_each_exactly_once(
    engine: Engine, smtp_settings: Settings, smtp_server: SmtpServer
) -> None:
    smtp_server.stop()
    keys = [f"alert:{i}" for i in range(5)]
    for key in keys:
        _queue(engine, key, subject=key)
    now = utcnow()
    for minute in range(0, 40, 3):  # the worker keeps running during the outage
        send_pending(engine, smtp_settings, now=now + timedelta(minutes=minute))
    assert smtp_server.messages == []
    rows = _rows(engine)
    assert all(r.status == "pending" for r in rows) and any(r.attempts > 1 for r in rows)
    assert all(r.last_error for r in rows if r.attempts)
    smtp_server.start()
    later = now + timedelta(hours=2)
    send_pending(engine, smtp_settings, now=later)
    send_pending(engine, smtp_settings, now=later + timedelta(hours=7))
    subjects = sorted(str(msg["Subject"]) for msg in smtp_server.messages)
    assert subjects == sorted(keys)
    assert {r.status for r in _rows(engine)} == {"sent"}
    assert len({msg["Message-ID"] for msg in smtp_server.messages}) == 5


def test_retry_keeps_message_id_and_gives_up_after_max_attempts(
    engine: Engine, smtp_settings: Settings, smtp_server: SmtpServer
) -> None:
    smtp_server.stop()
    _queue(engine, "x")
    message_id = _rows(engine)[0].message_id
    settings = smtp_settings.replace(outbox_max_attempts=3)
    now = utcnow()
    for hour in range(6):
        send_pending(engine, settings, now=now + timedelta(hours=hour))
    (row,) = _rows(engine)
    assert row.status == "failed" and row.attempts == 3 and row.message_id == message_id


def test_expired_claim_is_taken_over_but_live_claim_is_not(
    engine: Engine, settings: Settings
) -> None:
    _queue(engine, "claimed")
    now = utcnow()
    with transaction(engine) as s:  # a worker claimed it and is still within its lease
        row = s.scalars(select(m.Outbox)).one()
        row.status, row.attempts, row.next_attempt_at = "sending", 1, now + timedelta(minutes=1)
    assert send_pending(engine, settings, now=now).sent == 0
    assert send_pending(engine, settings, now=now + timedelta(minutes=2)).sent == 1  # it died
    (row,) = _rows(engine)
    assert row.status == "sent" and row.attempts == 2


def test_file_outbox_writes_one_eml_per_message(engine: Engine, settings: Settings) -> None:
    _queue(engine, "a")
    _queue(engine, "b")
    assert send_pending(engine, settings).sent == 2
    assert send_pending(engine, settings).sent == 0
    files = sorted((settings.path("data_dir") / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert b"Message-ID: <" in files[0].read_bytes()
