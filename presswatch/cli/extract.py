"""CLI: `presswatch extract` — print what the extractor finds in one saved page."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
