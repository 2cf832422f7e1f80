"""Alembic environment: migrations run on the engine PressWatch hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from presswatch.storage.models import Base

#: Tables other libraries own in our database (APScheduler's job store) are not ours to migrate.
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave other libraries' tables out of autogenerate comparisons."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
