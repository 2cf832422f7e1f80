"""`presswatch extract`: JSON for people and scripts, one-line errors, hints from sources.toml."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from presswatch.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "extract"


def settings_with_sources(tmp_path: Path, sources: str) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    (config / "sources.toml").write_text(sources, encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'config_dir = "{config}"\n', encoding="utf-8")
    return settings


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_prints_json_with_the_extracted_fields() -> None:
    url = "https://baomientay.example.vn/kinh-te/soc-trang-mo-rong-vung-lua-12345.html"
    code, output = run("extract", str(FIXTURES / "comments.html"), "--url", url)
    assert code == 0
    found = json.loads(output)
    assert found["title"] == "Sóc Trăng mở rộng vùng lúa chất lượng cao"
    assert found["published_at"] == "2025-07-15T07:30:00+07:00"
    assert found["author"] == "Lâm Hoàng"
    assert found["language"] == "vi"
    assert found["text"].startswith("Sóc Trăng mở rộng vùng lúa chất lượng cao\n")
    assert "Sóc Trăng" in output  # ensure_ascii=False: Vietnamese stays readable


def test_published_at_is_iso_or_null(tmp_path: Path) -> None:
    settings = settings_with_sources(tmp_path, "")
    code, output = run(
        "--config", str(settings), "extract", str(FIXTURES / "scripts_and_handlers.html")
    )
    assert code == 0
    assert json.loads(output)["published_at"] == "2025-11-05T16:45:00+07:00"
    code, output = run("--config", str(settings), "extract", str(FIXTURES / "hinted_story.html"))
    assert code == 0
    assert json.loads(output)["published_at"] is None


def test_hints_come_from_the_source_on_the_pages_domain(tmp_path: Path) -> None:
    settings = settings_with_sources(
        tmp_path,
        """
[source.baothu]
name = "Báo thử"
kind = "rss"
urls = ["https://rss.baothu.example.vn/tin-moi.rss", "https://baothu.example.vn/rss"]

[source.baothu.extract]
content_selector = "div.story"
drop_selectors = ["p.ad"]
title_selector = "h2.headline"
""",
    )
    page = str(FIXTURES / "hinted_story.html")
    url = "https://www.baothu.example.vn/xa-hoi/cau-moi.html"
    code, output = run("--config", str(settings), "extract", page, "--url", url)
    assert code == 0, output
    found = json.loads(output)
    assert found["title"] == "Cần Thơ khánh thành cầu mới"
    assert "Liên hệ quảng cáo" not in found["text"]


def test_a_page_without_article_is_a_one_line_error(tmp_path: Path) -> None:
    code, output = run("extract", str(FIXTURES / "near_empty.html"))
    assert code == 1
    assert output.startswith("Error: no article text")
    assert len(output.strip().splitlines()) == 1


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("extract", str(tmp_path / "nope.html"))
    assert code == 2
    assert "does not exist" in output


def test_help_ends_with_an_example() -> None:
    code, output = run("extract", "--help")
    assert code == 0
    assert "Example:" in output
    help_text = output.split("Options:")[0].rstrip()
    assert help_text.endswith(
        "presswatch extract saved/page.html --url https://vnexpress.net/abc.html"
    )
