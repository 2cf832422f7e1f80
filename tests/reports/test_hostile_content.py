"""Crawled content with markup, header-breaking newlines and personal data, in every output.

A hostile post (``<script>``, "\\r\\nBcc:", a phone number, an e-mail address, a CCCD number, an
@handle, posted on a personal channel) goes through the digest, an alert and the quarterly report:
each e-mail (headers and both parts), the digest page, the DOCX and the HTML report must show it
escaped, on one header line, and with the personal data redacted.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from presswatch.reports.alerts import check_alerts
from presswatch.reports.digest import build_digest
from presswatch.reports.mail import send_pending
from presswatch.reports.quarterly import Quarter, build_report
from presswatch.settings import Settings
from presswatch.storage.db import transaction
from tests.reports.delivery_seed import (
    HOSTILE_HANDLE,
    HOSTILE_PHONE,
    PERSONAL_CHANNEL,
    at,
    quarter_world,
)
from tests.reports.mailserver import SmtpServer

DATA = Path(__file__).parent / "data"
PERSONAL = (
    HOSTILE_PHONE, HOSTILE_PHONE.replace(" ", ""), "ban.tin@gmail.com", "094201001234",
    HOSTILE_HANDLE, PERSONAL_CHANNEL, "victim@evil.example",
)  # fmt: skip


def _assert_clean_html(html: str, where: str) -> None:
    assert "<script" not in html.lower() and "onerror=" not in html.replace("onerror=&#34;", ""), (
        where
    )
    assert "&lt;script&gt;" in html, f"{where}: the title should be shown, escaped"
    _assert_redacted(html, where)


def _assert_redacted(text: str, where: str) -> None:
    for item in PERSONAL:
        assert item not in text, f"{where}: {item!r} leaked"


def test_hostile_post_is_escaped_stripped_and_redacted_everywhere(
    engine: Engine, smtp_settings: Settings, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(DATA / "alerts_test.toml", config / "alerts.toml")
    settings = smtp_settings.replace(config_dir=str(config))
    quarter_world(engine)
    digest = build_digest(engine, settings, date(2025, 9, 20), now=at("2025-09-21 07:00"))
    with transaction(engine) as s:
        assert check_alerts(s, settings, at("2025-09-20 23:30"))
    assert send_pending(engine, settings).sent >= 2
    kinds = set()
    for msg in smtp_server.messages:
        kinds.add(str(msg["X-PressWatch-Kind"]))
        raw = msg.as_string()
        assert msg["Bcc"] is None and "\nBcc:" not in raw.split("\n\n", 1)[0]
        assert "\r" not in str(msg["Subject"]) and "\n" not in str(msg["Subject"])
        _assert_redacted(str(msg["Subject"]), "subject")
        html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
        plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        _assert_clean_html(html, f"{msg['Subject']} (html)")
        _assert_redacted(plain, f"{msg['Subject']} (text)")
        assert "[SĐT đã ẩn]" in plain
    assert kinds == {"digest", "alert"}
    _assert_clean_html(digest.path.read_text(encoding="utf-8"), "digest page")
    report = build_report(engine, settings, Quarter(2025, 3), now=at("2025-10-05 09:00"))
    _assert_clean_html(report.html.read_text(encoding="utf-8"), "report html")
    with zipfile.ZipFile(report.docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "<script" not in xml and "&lt;script&gt;" in xml
    assert "Bcc: [email đã ẩn]" in xml  # the line break became a space
    _assert_redacted(xml, "report docx")
