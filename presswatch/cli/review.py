"""CLI: the review desk — serve the web app, manage its accounts."""

from __future__ import annotations

import sys

import click

from presswatch.cli import Context, pass_context
from presswatch.cli.collect import open_engine


def _read_password(password_stdin: bool) -> str:
    """The password from stdin (first line) or an interactive prompt with confirmation."""
    if password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--proxy-headers/--no-proxy-headers",
    default=False,
    show_default=True,
    help="Trust X-Forwarded-Proto/For from a reverse proxy on 127.0.0.1 (for https).",
)
@pass_context
def serve(ctx: Context, host: str, port: int, proxy_headers: bool) -> None:
    """Run the analysts' review desk (web UI) until interrupted.

    Set PRESSWATCH_SECRET_KEY to a long random value so sessions survive a restart; put the
    desk behind an https reverse proxy when it is reached over a network.

    \b
    Example:
        PRESSWATCH_SECRET_KEY=$(openssl rand -hex 32) presswatch serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from presswatch.review.app import create_app

    app = create_app(ctx.settings, open_engine(ctx))
    click.echo(f"review desk on http://{host}:{port}/ (Ctrl+C stops it)", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=proxy_headers,
        server_header=False,
        log_level="info",
    )


@click.group()
def users() -> None:
    """Manage the review desk's accounts (roles: viewer, analyst, admin).

    \b
    Example:
        printf '%s\\n' "$PASSWORD" | presswatch users add lan --role analyst --password-stdin
    """


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["viewer", "analyst", "admin"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_add(ctx: Context, username: str, role: str, password_stdin: bool) -> None:
    """Create an account with a role; the password is never taken from the command line.

    \b
    Example:
        printf '%s\\n' "$PASSWORD" | presswatch users add lan --role analyst --password-stdin
    """
    from presswatch.review.accounts import add_user
    from presswatch.storage.db import transaction

    password = _read_password(password_stdin)
    with transaction(open_engine(ctx)) as session:
        user = add_user(session, username, role, password, actor="cli")
    click.echo(f"user {user.username} created with role {role}")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_passwd(ctx: Context, username: str, password_stdin: bool) -> None:
    """Set a new password (the account's open sessions end).

    \b
    Example:
        printf '%s\\n' "$NEW_PASSWORD" | presswatch users passwd lan --password-stdin
    """
    from presswatch.review.accounts import set_password
    from presswatch.storage.db import transaction

    password = _read_password(password_stdin)
    with transaction(open_engine(ctx)) as session:
        set_password(session, username, password, actor="cli")
    click.echo(f"password of {username} changed")


@users.command("disable")
@click.argument("username")
@pass_context
def users_disable(ctx: Context, username: str) -> None:
    """Disable an account at once (its sessions end; its decisions stay in the audit log).

    \b
    Example:
        presswatch users disable lan
    """
    from presswatch.review.accounts import set_active
    from presswatch.storage.db import transaction

    with transaction(open_engine(ctx)) as session:
        set_active(session, username, False, actor="cli")
    click.echo(f"user {username} disabled")


COMMANDS: list[click.Command] = [serve, users]
