"""The command line: a thin layer that reads settings, calls the library and reports to people.

Each command lives in a module of this package that exports ``COMMANDS``; the modules are listed
once in ``COMMAND_MODULES``. Heavy imports stay inside the command functions so that
``presswatch --help`` is quick.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import Any

import click

from presswatch.errors import PressWatchError
from presswatch.settings import Settings, load_settings

COMMAND_MODULES: tuple[str, ...] = (
    "presswatch.cli.claims",
    "presswatch.cli.collect",
    "presswatch.cli.deliver",
    "presswatch.cli.demo",
    "presswatch.cli.extract",
    "presswatch.cli.misinfo",
    "presswatch.cli.review",
    "presswatch.cli.social",
    "presswatch.cli.understand",
)


class Context:
    """What every command receives: the resolved settings and the file they came from."""

    def __init__(self, settings: Settings, settings_file: Path | None = None) -> None:
        self.settings = settings
        self.settings_file = settings_file


pass_context = click.make_pass_decorator(Context)


class Group(click.Group):
    """A click group that turns PressWatch errors into one-line messages for people."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PressWatchError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(
    cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PRESSWATCH_CONFIG",
    help="Settings TOML file (see config/settings.example.toml).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="presswatch")
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None, verbose: int) -> None:
    """PressWatch: follow what the press and public channels publish about a region.

    Collects feeds, sites and public social channels, finds what concerns the region, tags
    topics and tone, flags suspected misinformation with evidence for review, and delivers
    digests, alerts and quarterly reports.

    Example:

        presswatch --config config/settings.toml crawl && presswatch process
    """
    handler = logging.StreamHandler()
    # The level sits on the handler: Scrapy resets the root logger's level when it starts.
    handler.setLevel((logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)])
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG, handlers=[handler])
    if config_file is None and Path("config/settings.toml").exists():
        config_file = Path("config/settings.toml")
    try:
        ctx.obj = Context(load_settings(config_file), config_file)
    except PressWatchError as exc:
        raise click.ClickException(str(exc)) from None


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        for command in module.COMMANDS:
            cli.add_command(command)


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the `presswatch` console script."""
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="presswatch")


_register()
