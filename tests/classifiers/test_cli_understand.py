"""`presswatch classify`, `eval` and `train` through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from presswatch.cli import cli
from presswatch.cli.understand import COMMANDS
from tests.conftest import REPO

FIELDS = {
    "id", "relevance", "relevance_score", "topics", "topic_scores", "tone", "tone_score",
    "misinfo_score", "flag", "reasons",
}  # fmt: skip


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> click.Group:
    for command in COMMANDS:  # until the lead lists presswatch.cli.understand
        if command.name not in cli.commands:
            cli.add_command(command)
    config = tmp_path / "config"  # region and topics only: the misinformation stage is left out
    config.mkdir()
    for name in ("region.toml", "topics.toml"):
        shutil.copy(REPO / "config" / name, config / name)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'config_dir = "{config}"\ndata_dir = "{tmp_path}"\n')
    monkeypatch.setenv("PRESSWATCH_CONFIG", str(settings))
    return cli


def test_classify_follows_the_contract_and_skips_bad_lines(app: click.Group) -> None:
    lines = [
        json.dumps({"id": "a", "title": "Ngư dân Trần Đề bám biển",
                    "text": "Hàng trăm tàu cá của ngư dân huyện Trần Đề, tỉnh Sóc Trăng ra khơi."}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": 7, "text": "Áo sọc trắng lên ngôi", "published_at": "2025-07-01T08:00Z",
                    "engagement": {"likes": 3, "comments": "1", "shares": 0}}),
        json.dumps({"id": "c", "text": "x", "published_at": "yesterday"}),
    ]  # fmt: skip
    result = CliRunner().invoke(app, ["classify"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7]
    assert all(set(o) == FIELDS for o in out)
    assert out[0]["relevance"] == 2 and "fisheries" in out[0]["topics"]
    assert out[1]["relevance"] == 0 and out[1]["relevance_score"] == 0.0
    assert 0.0 <= out[0]["tone_score"] <= 1.0 and out[0]["tone"] in {
        "positive",
        "neutral",
        "negative",
    }
    assert set(out[0]["topic_scores"]) >= {"sovereignty", "fisheries", "image_promotion"}
    assert "line 2: skipped" in result.stderr
    assert "line 3: skipped: 'text' is missing" in result.stderr
    assert "line 5: skipped: 'published_at' 'yesterday' is not ISO 8601" in result.stderr


def test_classify_files(app: click.Group, tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        json.dumps({"id": "x", "text": "Sóc Trăng đón Tết."}) + "\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["classify", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == "x"
    assert "1 classified, 0 skipped" in result.stderr


def test_eval_and_train_on_our_own_examples(app: click.Group, tmp_path: Path) -> None:
    data = REPO / "data/labeled/authored.jsonl"
    result = CliRunner().invoke(app, ["eval", "--data", str(data), "--split", "all", "--json"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)) == {
        "relevance_about_f1", "topics_micro_f1", "topics_macro_f1", "tone_macro_f1",
    }  # fmt: skip
    models = tmp_path / "models"
    office = tmp_path / "office-labels.jsonl"  # as `presswatch export-labels` writes it
    office.write_text(json.dumps({"id": "office-7", "origin": "office-review", "title": "",
                                  "text": "Ngư dân Trần Đề bám biển", "relevance": 2,
                                  "topics": ["fisheries"], "tone": "positive"}) + "\n")  # fmt: skip
    args = ["train", "--data", str(data), "--extra", str(office), "--output-dir", str(models)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"data: 1 rows of {office}" in result.stderr
    assert sorted(p.name for p in models.iterdir()) == [
        "relevance.joblib", "tone.joblib", "topics.joblib",
    ]  # fmt: skip


def test_learning_curve_prints_one_line_per_part(app: click.Group, tmp_path: Path) -> None:
    data = str(REPO / "data/labeled/authored.jsonl")
    absent = str(tmp_path / "absent.jsonl")
    args = ["learning-curve", "--dev", data, "--authored", absent, "--negatives", absent]
    result = CliRunner().invoke(app, [*args, "--fractions", "0.5,1", "--repeats", "1"])
    assert result.exit_code == 0, result.output
    table = result.stdout.splitlines()
    assert "labelled training rows" in table[0] and "tone macro" in table[1]
    assert [line.split()[0] for line in table[2:4]] == ["50%", "100%"]
    result = CliRunner().invoke(app, [*args, "--fractions", "half"])
    assert result.exit_code == 2 and "not a list of numbers" in result.output


def test_help_ends_with_an_example(app: click.Group) -> None:
    for name in ("train", "eval", "learning-curve", "classify"):
        result = CliRunner().invoke(app, [name, "--help"])
        assert "Example:" in result.output and "presswatch " + name in result.output
