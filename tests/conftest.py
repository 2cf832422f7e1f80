"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL where marked), settings."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from presswatch.settings import Settings
from presswatch.storage.db import make_engine, migrate

if TYPE_CHECKING:
    from presswatch.classifiers.misinfo_model import CVResult

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
POSTGRES_URL = os.environ.get("PRESSWATCH_TEST_POSTGRES_URL", "")


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; skips the test when the shared data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data {path} is not available")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a new, empty SQLite file."""
    return f"sqlite:///{tmp_path / 'presswatch.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a new, empty PostgreSQL database, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("PRESSWATCH_TEST_POSTGRES_URL is not set (scripts/test sets it)")
    name = f"pw_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database on each backend: the storage tests run against both."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """A migrated SQLite engine on a fresh file."""
    eng = make_engine(sqlite_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def any_engine(any_db_url: str) -> Iterator[Engine]:
    """A migrated engine on each backend."""
    eng = make_engine(any_db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Settings for a test: fresh database, the repository's config/, a temp data folder."""
    return Settings(
        {"database_url": sqlite_url, "config_dir": str(REPO / "config"), "data_dir": str(tmp_path)},
        base_dir=tmp_path,
    )


@pytest.fixture(scope="session")
def reintel_cv() -> CVResult:
    """Grouped 5-fold cross-validation of the content model on ReINTEL, computed once.

    It takes minutes; the content-model gate and the combiner calibration both read it.
    """
    from presswatch.classifiers.misinfo_model import cross_validate
    from presswatch.classifiers.reintel import read_reintel

    return cross_validate(read_reintel(shared_data("reintel", "train.csv")), folds=5, seed=13)
