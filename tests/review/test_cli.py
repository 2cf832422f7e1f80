"""presswatch users add / passwd / disable: passwords from stdin, hashed, audited."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from presswatch.cli import Context, Group
from presswatch.cli.review import COMMANDS, serve, users
from presswatch.review.auth import verify_password
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import make_engine, session_factory


def run(settings: Settings, args: list[str], stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(users, args, obj=Context(settings), input=stdin)
    return result.exit_code, result.output


def test_users_add_passwd_disable(settings: Settings) -> None:
    code, out = run(settings, ["add", "Lan", "--role", "analyst", "--password-stdin"],
                    "mot-mat-khau-dai\n")  # fmt: skip
    assert code == 0 and "user lan created with role analyst" in out
    code, out = run(settings, ["passwd", "lan", "--password-stdin"], "mat-khau-moi-dai-hon\n")
    assert code == 0
    code, out = run(settings, ["disable", "lan"])
    assert code == 0 and "disabled" in out
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as session:
        user = session.scalars(select(m.User)).one()
        actions = session.scalars(select(m.AuditLog.action).order_by(m.AuditLog.id)).all()
    engine.dispose()
    assert (user.username, user.role, user.active) == ("lan", "analyst", False)
    assert verify_password(user.password_hash, "mat-khau-moi-dai-hon")
    assert "mat-khau" not in user.password_hash
    assert actions == ["user.create", "user.password", "user.disable"]


def test_users_errors_are_one_line_messages(settings: Settings) -> None:
    group = Group(commands={"users": users})  # the top-level group turns errors into messages
    result = CliRunner().invoke(
        group, ["users", "add", "an", "--role", "admin", "--password-stdin"], input="ngan\n",
        obj=Context(settings),
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.strip() == "Error: password must have at least 10 characters"
    code, out = run(settings, ["add", "an", "--role", "owner", "--password-stdin"], "x" * 12)
    assert code == 2 and "owner" in out  # click refuses the role before anything is read


def test_commands_are_exported_with_examples() -> None:
    assert [c.name for c in COMMANDS] == ["serve", "users"]
    for command in (serve, users, *users.commands.values()):
        assert "Example:" in (command.help or ""), command.name
