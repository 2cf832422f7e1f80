"""`presswatch import`: exports in three formats, each post once, bad rows named by line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select

from presswatch.cli import Context, Group
from presswatch.cli.social import COMMANDS
from presswatch.errors import ConfigError, InputError
from presswatch.imports import GENERIC, import_file, load_mappings, post_key
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import transaction
from tests.conftest import REPO
from tests.social.conftest import DATA

IMPORTS = DATA / "imports"
MAPPINGS = REPO / "config" / "imports.toml"


def _documents(engine: Engine) -> dict[str, m.Document]:
    with transaction(engine) as session:
        return {d.canonical_url: d for d in session.scalars(select(m.Document))}


def _count(engine: Engine, table: type[m.Base]) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_csv_rows_become_posts_and_bad_rows_are_named_by_line(engine: Engine) -> None:
    summary = import_file(engine, IMPORTS / "generic.csv", GENERIC)
    assert (summary.rows, summary.added, summary.already, summary.bad) == (10, 4, 1, 5)
    assert [line for line, _ in summary.bad_rows] == [6, 7, 8, 9, 10]
    reasons = dict(summary.bad_rows)
    assert reasons[6] == "no text" and "does not match" in reasons[7]
    assert reasons[8] == "likes 'nhiều' is not a number" and "http" in reasons[9]
    assert "columns" in reasons[10]
    docs = _documents(engine)
    tiktok = docs["https://www.tiktok.com/@dulich.mientay/video/7420000000000000001"]
    assert tiktok.platform == "tiktok" and tiktok.source_kind == "social"
    assert tiktok.extra["engagement"] == {"likes": 3400, "comments": 210, "shares": 1200}
    keyless = [d for url, d in docs.items() if url.startswith("urn:presswatch:post:")]
    assert len(keyless) == 1 and keyless[0].url == "" and "\n" in keyless[0].text
    youtube = docs["https://www.youtube.com/watch?v=Xk3PqLm9aB0"]
    assert youtube.published_at == datetime(2025, 10, 20, 8, 0, 31, tzinfo=UTC)
    with transaction(engine) as session:
        source = session.scalars(select(m.Source)).one()
        run = session.scalars(select(m.CrawlRun)).one()
    assert (source.key, source.kind, source.source_kind) == ("import-generic", "import", "social")
    assert run.kind == "import" and run.kept == 4 and run.errors == {"bad_row": 5}


def test_a_second_import_adds_nothing_in_any_format(any_engine: Engine) -> None:
    import_file(any_engine, IMPORTS / "generic.csv", GENERIC)
    readings = _count(any_engine, m.EngagementSnapshot)
    assert readings == 4
    again = import_file(any_engine, IMPORTS / "generic.csv", GENERIC)
    assert (again.added, again.already, again.readings) == (0, 5, 0)
    jsonl = import_file(any_engine, IMPORTS / "generic.jsonl", GENERIC)
    assert (jsonl.rows, jsonl.added, jsonl.bad) == (7, 0, 2)
    assert [line for line, _ in jsonl.bad_rows] == [6, 7]
    array = import_file(any_engine, IMPORTS / "generic.json", GENERIC)
    assert (array.rows, array.added, array.bad) == (5, 0, 0)
    assert (
        _count(any_engine, m.Document) == 4 and _count(any_engine, m.EngagementSnapshot) == readings
    )


def test_changed_counts_in_a_later_export_extend_the_time_series(
    engine: Engine, tmp_path: Path
) -> None:
    import_file(engine, IMPORTS / "generic.csv", GENERIC)
    later = tmp_path / "later.csv"
    text = (IMPORTS / "generic.csv").read_text(encoding="utf-8")
    later.write_text(text.replace("9,4,9\n", "9,400,9\n").replace(",120,4,", ",180,9,"), "utf-8")
    summary = import_file(engine, later, GENERIC)
    assert summary.added == 0 and summary.readings == 1
    with transaction(engine) as session:
        doc = session.scalars(
            select(m.Document).where(m.Document.canonical_url.like("%/posts/1001"))
        ).one()
        series = session.execute(
            select(m.EngagementSnapshot.likes, m.EngagementSnapshot.comments)
            .where(m.EngagementSnapshot.document_id == doc.id)
            .order_by(m.EngagementSnapshot.read_at)
        ).all()
    assert [tuple(r) for r in series] == [(120, 4), (180, 9)]


def test_a_configured_mapping_reads_its_columns_times_and_organisation_pages(
    engine: Engine,
) -> None:
    mapping = load_mappings(MAPPINGS)["listening_vi"]
    summary = import_file(engine, IMPORTS / "listening_vi.csv", mapping)
    assert (summary.added, summary.bad) == (2, 0)
    docs = _documents(engine)
    office = docs["https://www.facebook.com/ubndphuongsoctrang/posts/1001"]
    person = docs["https://www.facebook.com/nguyenvana88/posts/555"]
    assert office.published_at == datetime(2025, 10, 20, 1, 30, tzinfo=UTC)  # 08:30 office time
    assert office.extra["engagement"]["likes"] == 1234
    assert office.extra.get("organisation_page") is True and "organisation_page" not in person.extra
    assert person.extra["channel_role"] == "poster"


def test_posts_without_url_are_keyed_by_platform_channel_text_and_time() -> None:
    when = datetime(2025, 10, 20, 2, 5, tzinfo=UTC)
    key = post_key("facebook", "Nhóm A", "Ai đi lễ hội   năm nay ko?", when)
    assert key == post_key("facebook", "Nhóm A", "Ai đi lễ hội năm nay ko?", when)
    assert key != post_key("facebook", "Nhóm B", "Ai đi lễ hội năm nay ko?", when)
    assert key != post_key("facebook", "Nhóm A", "Ai đi lễ hội năm nay ko?", None)


def test_a_bad_mapping_or_file_fails_with_the_reason(tmp_path: Path, engine: Engine) -> None:
    bad = tmp_path / "imports.toml"
    bad.write_text('[mapping.x]\ncolumn = {text = "t"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'column'"):
        load_mappings(bad)
    bad.write_text('[mapping.x.columns]\nbody = "t"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'body', which is not one of"):
        load_mappings(bad)
    bad.write_text('[mapping.x]\ntimezone = "Mars/Olympus"\n[mapping.x.columns]\ntext = "t"\n')
    with pytest.raises(ConfigError, match="unknown timezone"):
        load_mappings(bad)
    broken = tmp_path / "broken.json"
    broken.write_text('{"posts": []}', encoding="utf-8")
    with pytest.raises(InputError, match="one array of objects"):
        import_file(engine, broken, GENERIC)


def social_cli(settings: Settings) -> click.Group:
    """The social commands under PressWatch's error-handling group, with these settings."""

    @click.group(cls=Group)
    @click.pass_context
    def group(ctx: click.Context) -> None:
        ctx.obj = Context(settings)

    for command in COMMANDS:
        group.add_command(command)
    return group


def test_the_import_command_shows_progress_and_names_bad_lines(settings: Settings) -> None:
    runner, group = CliRunner(), social_cli(settings)
    args = ["import", str(IMPORTS / "generic.csv")]
    result = runner.invoke(group, args)
    assert result.exit_code == 0, result.output
    assert "10 rows, 4 posts added, 1 already stored, 5 bad rows" in result.stdout
    assert "line 8: likes 'nhiều' is not a number" in result.stderr
    assert "generic.csv: 10 rows read (100%)" in result.stderr
    again = runner.invoke(group, args)
    assert "0 posts added, 5 already stored" in again.stdout
    unknown = runner.invoke(group, [*args, "--mapping", "nope"])
    assert unknown.exit_code == 1 and "unknown mapping 'nope'" in unknown.stderr
    assert "listening_vi" in unknown.stderr


def test_a_row_repeated_in_the_file_counts_once_and_worded_counts_are_read(
    engine: Engine, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "platform,channel,url,published_at,text,likes,comments,shares\n"
        "facebook,Trang A,https://fb.example/p/1,2025-10-20T08:00:00Z,Bài một,1 like,unknown,-\n"
        "facebook,Trang A,https://fb.example/p/2,2025-10-20T09:00:00+07:00,Bài hai,7,1 comment,\n"
        "facebook,Trang A,https://fb.example/p/1,2025-10-20T08:00:00Z,Bài một,9,3,2\n",
        encoding="utf-8",
    )
    first = import_file(engine, export, GENERIC, batch_rows=1)  # the repeat is in another batch
    assert (first.added, first.already, first.bad, first.readings) == (2, 1, 0, 2)
    docs = _documents(engine)
    assert docs["https://fb.example/p/1"].extra["engagement"] == {"likes": 1}
    assert docs["https://fb.example/p/2"].extra["engagement"] == {"likes": 7, "comments": 1}
    again = import_file(engine, export, GENERIC, batch_rows=1)
    assert (again.added, again.already, again.readings) == (0, 3, 0)
