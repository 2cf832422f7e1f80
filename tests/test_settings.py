"""Settings: one table, a TOML file that overrides only its keys, secrets from the environment."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from presswatch.errors import ConfigError
from presswatch.settings import SETTINGS, example_toml, load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "settings.example.toml"


def test_every_setting_is_in_the_example_file() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text == example_toml(), "regenerate: presswatch settings --example > " + str(EXAMPLE)
    values = tomllib.loads(text)
    for setting in SETTINGS:
        if setting.secret:
            assert f"PRESSWATCH_{setting.name.upper()}" in text
        else:
            assert values[setting.name] == setting.default, setting.name


def test_file_overrides_only_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('download_delay = 3\nconfig_dir = "cfg"\n')
    settings = load_settings(path, environ={})
    assert settings.download_delay == 3.0 and settings.retry_times == 2
    assert settings.path("config_dir") == tmp_path / "cfg"


def test_unknown_key_fails_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("download_dealy = 3\n")
    with pytest.raises(
        ConfigError, match="unknown setting 'download_dealy'; did you mean 'download_delay'"
    ):
        load_settings(path, environ={})


def test_wrong_type_names_key_and_example(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('retry_times = "two"\n')
    with pytest.raises(ConfigError, match=r"'retry_times' must be int, got str .*retry_times = 2"):
        load_settings(path, environ={})


def test_secrets_come_only_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('smtp_password = "hunter2"\n')
    with pytest.raises(ConfigError, match="PRESSWATCH_SMTP_PASSWORD"):
        load_settings(path, environ={})
    settings = load_settings(None, environ={"PRESSWATCH_SMTP_PASSWORD": "s3cret"})
    assert settings.smtp_password == "s3cret"
    assert settings.as_dict()["smtp_password"] == "***"


def test_environment_overrides_file_with_types(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('database_url = "sqlite:///a.db"\n')
    env = {
        "PRESSWATCH_DATABASE_URL": "sqlite:///b.db",
        "PRESSWATCH_ROBOTS_OBEY": "false",
        "PRESSWATCH_LANGUAGES": "vi,en",
    }
    settings = load_settings(path, environ=env)
    assert settings.database_url == "sqlite:///b.db"
    assert settings.robots_obey is False and settings.languages == ["vi", "en"]
    with pytest.raises(ConfigError, match="PRESSWATCH_RETRY_TIMES='x'"):
        load_settings(None, environ={"PRESSWATCH_RETRY_TIMES": "x"})
