"""`bridge demo`: a private copy of the sample in the user's data folder, built on first use,
kept between runs, rebuilt by `--reset`; the header names it; an unwritable folder is one
sentence. The CLI runs in-process; opening the app is replaced by a recorder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

import bridge_tui.cli.demo as demo_cli
from bridge_tui.cli.common import Ctx
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import build_app_for_service
from tests.cli_run import Result, Run, runner
from tests.conftest import FROZEN_TODAY
from tests.test_sample import built_on, table_contents


@dataclass
class Opened:
    """What `bridge demo` handed to the app: the file, the demo flag, the service's today."""

    calls: list[tuple[Path, bool, date]] = field(default_factory=list)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Opened:
    record = Opened()

    def fake_open_app(ctx: Ctx, *, demo: bool = False) -> None:
        service = ctx.service()  # the copy really opens as a bridge file
        record.calls.append((ctx.path, demo, service.today()))

    monkeypatch.setattr(demo_cli, "open_app", fake_open_app)
    return record


@pytest.fixture(autouse=True)
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The newcomer's current folder, away from the data folder."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data" / "bridge"  # its parent does not exist yet either
    monkeypatch.setenv("BRIDGE_DEMO_DIR", str(folder))
    return folder


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    return runner(monkeypatch, capsys)


def one_line_error(r: Result, code: int = 2) -> str:
    assert r.code == code, r
    assert r.err.startswith("bridge: ") and r.err.count("\n") == 1, r.err
    assert "Traceback" not in r.err
    return r.err


def test_first_run_builds_the_sample_in_the_data_folder_and_opens_it(
    run: Run, where: Path, data: Path, opened: Opened, sample_template: Path
) -> None:
    r = run("demo")
    copy = data / "demo.db"
    assert r.code == 0, r.err
    assert r.out == f"Built a fresh demo copy of the sample at {copy}\n"
    assert opened.calls == [(copy, True, FROZEN_TODAY)]
    assert table_contents(copy) == table_contents(sample_template)
    assert list(where.iterdir()) == []  # nothing in the current folder (no ./bridge.db)
    assert sorted(p.name for p in data.iterdir()) == ["demo.db"]


def test_changes_are_kept_between_runs(run: Run, data: Path, opened: Opened) -> None:
    assert run("demo").code == 0
    copy = data / "demo.db"
    edited = run("--db", str(copy), "edit", "Warehouse slotting", "--team=Us")
    assert edited.code == 0, edited.err
    r = run("demo")
    assert r.code == 0 and r.out == "", r  # not rebuilt
    assert opened.calls[-1] == (copy, True, FROZEN_TODAY)
    shown = run("--db", str(copy), "show", "Warehouse slotting", "--json")
    assert '"team": "Us"' in shown.out


def test_reset_replaces_the_copy_with_the_sample_as_built(
    run: Run, data: Path, opened: Opened, sample_template: Path
) -> None:
    assert run("demo").code == 0
    copy = data / "demo.db"
    moved = run("--db", str(copy), "kill", "Warehouse slotting", "--reason=x")
    assert moved.code == 0, moved.err
    assert table_contents(copy) != table_contents(sample_template)
    # a journal a crashed writer left for the old copy must not be replayed onto the new one
    (data / "demo.db-journal").write_bytes(b"left by a crash")
    r = run("demo", "--reset")
    assert r.code == 0, r.err
    assert r.out == f"Built a fresh demo copy of the sample at {copy}\n"
    assert table_contents(copy) == table_contents(sample_template)
    assert sorted(p.name for p in data.iterdir()) == ["demo.db"]
    assert opened.calls[-1] == (copy, True, FROZEN_TODAY)


def test_reset_creates_the_copy_when_there_is_none(run: Run, data: Path, opened: Opened) -> None:
    assert not data.parent.exists()
    r = run("demo", "--reset")
    assert r.code == 0, r.err
    assert (data / "demo.db").is_file()
    assert [c[0] for c in opened.calls] == [data / "demo.db"]


def test_the_demo_is_built_on_bridge_today(
    run: Run, monkeypatch: pytest.MonkeyPatch, data: Path, opened: Opened
) -> None:
    later = FROZEN_TODAY + timedelta(days=40)
    monkeypatch.setenv("BRIDGE_TODAY", later.isoformat())
    assert run("demo").code == 0
    store = Store.open(data / "demo.db", read_only=True)
    try:
        assert built_on(store) == later
    finally:
        store.close()
    assert opened.calls[-1][2] == later


def test_a_data_folder_that_cannot_be_made_is_one_sentence(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: Path, opened: Opened
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    folder = blocker / "bridge"
    monkeypatch.setenv("BRIDGE_DEMO_DIR", str(folder))
    err = one_line_error(run("demo"))
    assert err.startswith(f"bridge: cannot write the demo copy in {folder} (")
    assert "set BRIDGE_DEMO_DIR to a folder you can write" in err
    assert opened.calls == []
    assert blocker.read_text() == "not a folder"
    assert list(where.iterdir()) == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders"
)
def test_a_read_only_data_folder_is_one_sentence(run: Run, data: Path, opened: Opened) -> None:
    data.mkdir(parents=True)
    data.chmod(0o555)
    try:
        err = one_line_error(run("demo", "--reset"))
    finally:
        data.chmod(0o755)
    assert err.startswith(f"bridge: cannot write the demo copy in {data} (Permission denied)")
    assert list(data.iterdir()) == [] and opened.calls == []


def test_a_reset_that_cannot_finish_keeps_the_old_copy(
    run: Run, monkeypatch: pytest.MonkeyPatch, data: Path, opened: Opened
) -> None:
    assert run("demo").code == 0
    copy = data / "demo.db"
    edited = run("--db", str(copy), "edit", "Email triage", "--team=Us")
    assert edited.code == 0, edited.err
    before = copy.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(demo_cli.os, "replace", refuse)
    err = one_line_error(run("demo", "--reset"))
    assert "cannot write the demo copy" in err and "Permission denied" in err
    assert copy.read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == ["demo.db"]  # the half-way copy is gone
    assert len(opened.calls) == 1


def test_a_damaged_copy_says_how_to_start_over(run: Run, data: Path, opened: Opened) -> None:
    data.mkdir(parents=True)
    copy = data / "demo.db"
    copy.write_bytes(b"this is not a bridge file")
    err = one_line_error(run("demo"))
    assert err.rstrip().endswith("Start the demo over with 'bridge demo --reset'.")
    assert copy.read_bytes() == b"this is not a bridge file"
    assert opened.calls == []
    assert run("demo", "--reset").code == 0
    assert opened.calls == [(copy, True, FROZEN_TODAY)]


def test_demo_refuses_a_db_path(run: Run, data: Path, opened: Opened) -> None:
    err = one_line_error(run("--db", "mine.db", "demo"))
    assert "leave out --db" in err
    assert not data.exists() and opened.calls == []


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, "home/.local/share/bridge"),
        ("linux", {"XDG_DATA_HOME": "{tmp}/xdg"}, "xdg/bridge"),
        ("linux", {"XDG_DATA_HOME": "relative/xdg"}, "home/.local/share/bridge"),
        ("darwin", {}, "home/Library/Application Support/bridge"),
        ("win32", {"LOCALAPPDATA": "{tmp}/AppData/Local"}, "AppData/Local/bridge"),
        ("win32", {}, "home/AppData/Local/bridge"),
        ("linux", {"BRIDGE_DEMO_DIR": "{tmp}/mine", "XDG_DATA_HOME": "{tmp}/xdg"}, "mine"),
    ],
)
def test_the_data_folder_of_each_platform(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    platform: str,
    env: dict[str, str],
    expected: str,
) -> None:
    for var in ("BRIDGE_DEMO_DIR", "XDG_DATA_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    for k, v in env.items():
        monkeypatch.setenv(k, v.replace("{tmp}", str(tmp_path)))
    monkeypatch.setattr(demo_cli.sys, "platform", platform)
    assert demo_cli.data_dir() == tmp_path / expected


async def test_the_header_names_the_demo_copy_and_where_it_is(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    for demo, expected in (
        (True, "bridge — DEMO copy: ~/sample.db  ·  as tester"),
        (False, "bridge — sample.db  ·  as tester"),
    ):
        app = build_app_for_service(
            Service(Store.open(sample_db), "tester", FROZEN_TODAY), demo=demo
        )
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            title = app.screen.query_one("HeaderTitle")
            assert str(title.render()) == expected
        app.service.close()
