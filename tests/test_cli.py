"""The command line: every command's help ends with an example; errors reach people as one line."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from presswatch.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=lambda p: " ".join(p) or "presswatch")
def test_help_ends_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    before_options = result.output.split("\nOptions:")[0].rstrip()
    lines = before_options.splitlines()
    example_at = max(i for i, line in enumerate(lines) if line.strip().startswith("Example"))
    example = [line for line in lines[example_at + 1 :] if line.strip()]
    assert example and all(
        line.strip().startswith("presswatch") or line.startswith("      ") for line in example
    ), before_options
    assert any("presswatch" in line for line in example)
    # Shown as written, one command per line: never re-wrapped into the next one.
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    written = (command.help or "").split("Example:")[-1].splitlines()
    assert [line.strip() for line in example] == [
        line.strip() for line in written if line.strip() and line.strip() != "\b"
    ]


def test_a_library_error_becomes_one_line_for_people(tmp_path: object) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", "/nonexistent/settings.toml", "status"])
    assert result.exit_code == 1
    assert (
        result.output.strip() == "Error: settings file '/nonexistent/settings.toml' does not exist"
    )
