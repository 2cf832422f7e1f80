"""Analysts' decisions: precision by signal and source, training export, and the CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from presswatch.claims.reviews import flag_precision, training_rows
from presswatch.cli import cli
from presswatch.document import Document, FlagDecision, Signal
from presswatch.redact import PHONE_MASK
from presswatch.review.actions import decide
from presswatch.sources import SourceConfig
from presswatch.storage import repository, runs
from presswatch.storage.db import make_engine, transaction
from tests.claims.demo import BASE, CLAIMS_FILE

SOURCES = [
    SourceConfig("blog", "Blog", "site", ("https://blog.example/",), source_kind="social"),
    SourceConfig("daily", "Nhật báo", "rss", ("https://daily.example/rss",)),
]


def _flagged(engine: Engine, n: int, source: str, names: list[str]) -> int:
    doc = Document(url=f"https://{source}.example/{n}", source=source, title=f"Bài {n}",
                   text=f"Bài {n}. Liên hệ 0912 345 678 để biết thêm.",
                   engagement={"likes": 3, "shares": 1})  # fmt: skip
    with transaction(engine) as session:
        ids = {k: s.id for k, s in runs.sync_sources(session, SOURCES).items()}
        repository.add_documents(session, [doc], ids, None)
        doc = repository.load_batch(session, 10)[-1]
        signals = [Signal(name, 1.0, 1.0, {"sentence": "Bài."}) for name in names]
        doc.flag = FlagDecision(0.9, True, ["Lý do."], signals, "comb-1+m1")
        repository.save_processed(session, doc)
        return repository.save_flag(session, doc)


@pytest.fixture
def reviewed(engine: Engine) -> Engine:
    """Four flags: two confirmed, one dismissed, one still open."""
    a = _flagged(engine, 1, "blog", ["claim_match", "source_reliability"])
    b = _flagged(engine, 2, "blog", ["impersonation"])
    c = _flagged(engine, 3, "daily", ["claim_match"])
    _flagged(engine, 4, "daily", ["fact_contradiction"])
    with transaction(engine) as session:
        decide(session, a, "confirm", "repeats_false_claim", "", "an")
        decide(session, b, "dismiss", "opinion", "", "an")
        decide(session, b, "confirm", "impersonation", "xem lại", "binh")  # latest counts
        decide(session, c, "dismiss", "wrong_match", "", "an")
    return engine


def test_precision_by_signal_and_source(reviewed: Engine) -> None:
    with transaction(reviewed) as session:
        report = flag_precision(session)
    assert (report.overall.confirmed, report.overall.dismissed) == (2, 1)
    signals = {p.key: (p.confirmed, p.dismissed) for p in report.by_signal}
    assert signals == {"claim_match": (1, 1), "impersonation": (1, 0),
                       "source_reliability": (1, 0)}  # fmt: skip
    sources = {p.key: p.precision for p in report.by_source}
    assert sources == {"blog": 1.0, "daily": 0.0}


def test_training_rows_are_labelled_and_redacted(reviewed: Engine) -> None:
    with transaction(reviewed) as session:
        rows = training_rows(session)
    assert [(r["label"], r["decision"]) for r in rows] == [(1, "confirm"), (1, "confirm"),
                                                           (0, "dismiss")]  # fmt: skip
    assert all(PHONE_MASK in r["text"] and "0912" not in r["text"] for r in rows)
    assert rows[0]["engagement"] == {"likes": 3, "comments": 0, "shares": 1}
    assert not {"author", "reviewer", "note"} & set(rows[0])


@pytest.fixture
def settings_file(tmp_path: Path, sqlite_url: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'database_url = "{sqlite_url}"\nconfig_dir = "{Path.cwd() / "config"}"\n',
                    encoding="utf-8")  # fmt: skip
    return path


def run(settings_file: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--config", str(settings_file), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_claims_commands(settings_file: Path, tmp_path: Path) -> None:
    first = run(settings_file, "claims", "import", str(CLAIMS_FILE), "--base-url", BASE)
    assert "8 claims read; 8 added" in first
    again = run(settings_file, "claims", "import", str(CLAIMS_FILE), "--base-url", BASE)
    assert "0 added, 0 updated, 8 already present" in again
    listing = run(settings_file, "claims", "list", "--kind", "fact")
    assert listing.count("[fact]") == 4 and "= 92" in listing
    out = tmp_path / "claims.csv"
    run(settings_file, "claims", "export", "--format", "csv", "--output", str(out))
    assert "8 claims read; 0 added, 0 updated, 8 already present" in run(
        settings_file, "claims", "import", str(out)
    )
    added = run(settings_file, "claims", "add", "--kind", "false_claim", "--text", "Tin sai mới.",
                "--keyword", "tin sai")  # fmt: skip
    assert added.startswith("added #9")


def test_claims_import_reports_bad_input(settings_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"kind": "rumour", "text": "x"}]', encoding="utf-8")
    for path, message in ((bad, "kind 'rumour' is not one of"), (CLAIMS_FILE, "--base-url")):
        args = ["--config", str(settings_file), "claims", "import", str(path)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and message in result.output


def test_eval_flags_and_export_reviews(
    settings_file: Path, tmp_path: Path, sqlite_url: str
) -> None:
    run(settings_file, "migrate")
    engine = make_engine(sqlite_url)
    a = _flagged(engine, 1, "blog", ["claim_match"])
    with transaction(engine) as session:
        decide(session, a, "confirm", "repeats_false_claim", "", "an")
    engine.dispose()
    report = run(settings_file, "eval-flags")
    assert "reviewed flags: 1" in report and "claim_match" in report and "100.0%" in report
    out = tmp_path / "reviews.jsonl"
    assert "1 reviewed flags written" in run(settings_file, "export-reviews", "--output", str(out))
    (line,) = out.read_text("utf-8").splitlines()
    assert json.loads(line)["label"] == 1
