"""The delivery commands: digest, outbox, report, alerts, jobs and the `run` daemon."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from presswatch.cli import cli
from presswatch.cli.deliver import COMMANDS
from presswatch.settings import load_settings
from presswatch.storage.db import make_engine, migrate
from tests.reports.delivery_seed import quarter_world

REPO = Path(__file__).resolve().parents[2]
for command in COMMANDS:  # the lead registers the module; until then the tests add it
    cli.add_command(command)


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    (config / "alerts.toml").write_text((REPO / "config" / "alerts.toml").read_text("utf-8"))
    (config / "sources.toml").write_text("", encoding="utf-8")
    path = tmp_path / "settings.toml"
    path.write_text(f'database_url = "sqlite:///{tmp_path / "pw.db"}"\nconfig_dir = "{config}"\n'
                    f'data_dir = "{tmp_path / "out"}"\n', encoding="utf-8")  # fmt: skip
    engine = make_engine(load_settings(path, environ={}).database_url)
    migrate(engine)
    quarter_world(engine)
    engine.dispose()
    return path


def _invoke(settings_file: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--config", str(settings_file), *args],
                                catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_digest_then_outbox(settings_file: Path) -> None:
    out = _invoke(settings_file, "digest", "--day", "2025-09-20", "--send")
    assert "digest 2025-09-20" in out and "e-mail queued" in out and "1 sent" in out
    assert "not sent again" in _invoke(settings_file, "digest", "--day", "2025-09-20")
    eml = list((settings_file.parent / "out" / "outbox").glob("*.eml"))
    assert len(eml) == 1
    listing = _invoke(settings_file, "outbox", "list")
    assert "sent" in listing and "digest" in listing
    assert "0 e-mails queued again" in _invoke(settings_file, "outbox", "retry")


def test_report_and_alerts(settings_file: Path, tmp_path: Path) -> None:
    out = _invoke(settings_file, "report", "--quarter", "2025Q3", "--out", str(tmp_path / "r"),
                  "--number", "7", "--date", "2025-10-05")  # fmt: skip
    assert "report 2025Q3: 13 documents" in out
    assert (tmp_path / "r" / "bao-cao-2025Q3.docx").exists()
    assert "alerts queued" in _invoke(settings_file, "alerts", "check")


def test_bad_quarter_is_a_message(settings_file: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(settings_file), "report", "--quarter", "Q9"])
    assert result.exit_code == 1 and "YYYYQn" in result.output


def test_jobs_lists_the_planned_schedule(settings_file: Path) -> None:
    out = _invoke(settings_file, "jobs")
    assert "no jobs stored yet" in out and "digest" in out and "quarterly" in out


@pytest.mark.parametrize("name", ["digest", "outbox", "outbox send", "outbox list", "report",
                                  "alerts", "alerts check", "run", "jobs"])  # fmt: skip
def test_help_ends_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    help_text = result.output.split("Options:")[0].rstrip()
    assert "Example:" in help_text and "presswatch " in help_text.splitlines()[-1]


def test_run_stops_cleanly_on_sigterm(settings_file: Path) -> None:
    code = (
        "from presswatch.cli import cli\nfrom presswatch.cli.deliver import COMMANDS\n"
        "[cli.add_command(c) for c in COMMANDS]\n"
        f"cli.main(['--config', {str(settings_file)!r}, 'run'])\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=dict(os.environ))  # fmt: skip
    try:
        assert child.stderr is not None
        for line in child.stderr:
            if "scheduler running" in line:
                break
        child.send_signal(signal.SIGTERM)
        out, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0 and "scheduler stopped" in out
    assert "digest" in _invoke(settings_file, "jobs") and "no jobs stored" not in _invoke(
        settings_file, "jobs")  # fmt: skip


def test_commands_are_click_commands() -> None:
    assert all(isinstance(c, click.Command) for c in COMMANDS)
