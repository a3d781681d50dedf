"""Shared fixtures: a sample portfolio built once per worker on a frozen `today`, copied per test.

Tests never touch the committed sample.db: they build their own or copy it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from bridge_tui import clock
from bridge_tui.models import Initiative
from bridge_tui.sample import build_sample
from bridge_tui.service import Service
from bridge_tui.store import Store

FROZEN_TODAY = date(2026, 11, 22)
#: what the wall clock reads in every test: no test depends on the real date or time
FROZEN_NOW = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)

# Commands run in a subprocess (the installed `bridge`, tmux) see the frozen day too.
os.environ["BRIDGE_TODAY"] = FROZEN_TODAY.isoformat()

# Tests never write into the checkout: hypothesis keeps no example database (.hypothesis/).
settings.register_profile("bridge", database=None)
settings.load_profile("bridge")
REPO = Path(__file__).resolve().parent.parent

#: when `initiative()` made its initiatives
CREATED_AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def initiative(**kw: Any) -> Initiative:
    """Dispatch routing, in memory (no file), in Experiment since 1 November, with `kw` set."""
    base: dict[str, Any] = {
        "name": "Dispatch routing",
        "stage_entered_at": date(2026, 11, 1),
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT,
    }
    return Initiative(**{**base, **kw})


@pytest.fixture(autouse=True)
def frozen_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one clock's only reading of the machine's time, stopped at FROZEN_NOW."""
    monkeypatch.setattr(clock, "_wall_now", lambda: FROZEN_NOW)


@pytest.fixture(scope="session")
def demo_dir_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture(autouse=True)
def no_real_data_folder(demo_dir_of_the_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`bridge demo` in any test (and in the commands it starts) writes under the session's
    temporary folder, never into the user's real data folder."""
    monkeypatch.setenv("BRIDGE_DEMO_DIR", str(demo_dir_of_the_session))


@pytest.fixture(autouse=True)
def private_config_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The per-user settings file (the chosen theme) of each test is its own, in a temporary
    folder: no test reads or writes the user's real settings, nor another test's."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("BRIDGE_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sample.db"
    store = Store.create(path)
    build_sample(store, FROZEN_TODAY)
    store.close()
    return path


@pytest.fixture
def sample_db(sample_template: Path, tmp_path: Path) -> Path:
    """A private copy of the sample portfolio (built with today = FROZEN_TODAY)."""
    path = tmp_path / "sample.db"
    shutil.copyfile(sample_template, path)
    return path


def new_file(path: Path) -> Path:
    """An empty bridge file at `path`."""
    Store.create(path).close()
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    return new_file(tmp_path / "empty.db")


@pytest.fixture
def service(sample_db: Path) -> Iterator[Service]:
    store = Store.open(sample_db)
    yield Service(store, "tester", FROZEN_TODAY)
    store.close()


@pytest.fixture
def empty_service(empty_db: Path) -> Iterator[Service]:
    store = Store.open(empty_db)
    yield Service(store, "tester", FROZEN_TODAY)
    store.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Terminal (tmux), browser and multi-process tests depend on the machine's load: each gets
    up to two more tries (pytest-rerunfailures); a test that fails three times still fails."""
    for item in items:
        marked = any(item.get_closest_marker(m) for m in ("e2e", "slow", "browser"))
        if marked:
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
