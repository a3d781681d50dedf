"""Git replaces the file under a running app (a pull, a checkout): the app reopens the new file,
keeping the selection and the open form, and a save aimed at the old file is refused, not lost.

The first tests call the app's poll themselves (the timer is set to an hour) so nothing races;
the last one lets the real once-a-second poll find the new file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label

from bridge_tui.errors import Replaced
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp, build_app
from bridge_tui.tui.dialogs.git_sync import GitSyncDialog
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import pressed, sample_app, step
from tests.tui.test_board import _go_to
from tests.tui.test_live_refresh import WAIT, board_names

NAME = "Route optimisation"
OTHER = "Invoice processing"
MY_TEAM = "Route planning desk"


def _replace_with_renamed(db: Path, tmp_path: Path) -> None:
    """What git does on a pull: a new file (here with OTHER renamed) put under the name."""
    new = tmp_path / "incoming.db"
    shutil.copyfile(db, new)
    store = Store.open(new)
    try:
        svc = Service(store, "bob", FROZEN_TODAY)
        svc.edit_initiative(svc.resolve(OTHER), name="Renamed by git")
    finally:
        store.close()
    os.replace(new, db)


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> BridgeApp:
    """The app on the sample, its poll for a replaced file called by the test itself."""
    monkeypatch.setattr(BridgeApp, "POLL_SECONDS", 3600.0)
    return sample_app(sample_db)


@contextmanager
def _reading(db: Path) -> Iterator[Service]:
    reader = Service(Store.open(db, read_only=True), "reader", FROZEN_TODAY)
    try:
        yield reader
    finally:
        reader.close()


async def _synced(pilot: Pilot[None]) -> GitSyncDialog:
    """The palette's "Sync with git" chosen, and its work done."""
    await step(pilot, "ctrl+p")
    await pilot.press(*"Sync with git")
    await pilot.pause(0.5)
    await pilot.press("enter")
    dialog = pilot.app.screen
    assert isinstance(dialog, GitSyncDialog)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return dialog


async def test_a_save_into_the_replaced_file_is_refused_then_the_app_reopens_keeping_the_form(
    app: BridgeApp, sample_db: Path, tmp_path: Path
) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await _go_to(app, pilot, NAME)
        selected = app.selected_id
        form = await pressed(pilot, "e", InitiativeForm)
        form.query_one("#team", Input).value = MY_TEAM
        form.query_one("#team", Input).focus()

        _replace_with_renamed(sample_db, tmp_path)
        await step(pilot, "enter")  # the save in flight: aimed at the old, unlinked file
        assert app.screen is form
        error = str(form.query_one("#form-error", Label).render())
        assert "replaced on disk" in error and "nothing was saved" in error
        assert form.query_one("#team", Input).value == MY_TEAM

        app.poll_changes()  # the live refresh's next tick
        await pilot.pause()
        assert app.screen is form  # the form stays open, with the typing
        assert form.query_one("#team", Input).value == MY_TEAM
        assert app.selected_id == selected
        await step(pilot, "enter")  # now it lands in the new file
        assert app.screen is not form
        assert "Renamed by git" in board_names(app)
        assert app.selected_id == selected

    with _reading(sample_db) as reader:
        assert reader.resolve(NAME).team == MY_TEAM
        assert reader.resolve("Renamed by git")


async def test_a_write_through_the_service_is_refused_until_the_file_is_reopened(
    app: BridgeApp, sample_db: Path, tmp_path: Path
) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        target = app.service.resolve(NAME)
        before = sample_db.read_bytes()
        os.replace(shutil.copyfile(sample_db, tmp_path / "same.db"), sample_db)
        with pytest.raises(Replaced):
            app.service.edit_initiative(target, owner="Lost?")
        assert sample_db.read_bytes() == before
        app.poll_changes()
        await pilot.pause()
        saved = app.service.edit_initiative(app.service.resolve(NAME), owner="Kept")
        assert saved.owner == "Kept"
    with _reading(sample_db) as reader:
        assert reader.resolve(NAME).owner == "Kept"


async def test_the_live_refresh_finds_a_file_git_replaced(sample_db: Path, tmp_path: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert "Renamed by git" not in board_names(app)
        _replace_with_renamed(sample_db, tmp_path)
        await pilot.pause(WAIT)
        assert "Renamed by git" in board_names(app)


async def test_sync_without_a_work_tree_says_what_to_do(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        dialog = await _synced(pilot)
        assert dialog.result_text is not None
        assert "not in a git work tree" in dialog.result_text
        assert "bridge git setup" in dialog.result_text
        await pilot.press("escape")
        assert app.screen is not dialog


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
async def test_sync_with_git_pulls_merges_pushes_and_shows_what_came_in(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for var, value in (("NAME", "Tester"), ("EMAIL", "tester@example.com")):
        monkeypatch.setenv(f"GIT_AUTHOR_{var}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{var}", value)
    from bridge_tui.service import git_sync

    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    mine = tmp_path / "mine"
    _git(tmp_path, "clone", "-q", str(remote), str(mine))
    _git(mine, "checkout", "-q", "-b", "main")
    shutil.copyfile(sample_db, mine / "p.db")
    git_sync.setup(mine / "p.db")
    _git(mine, "add", ".")
    _git(mine, "commit", "-q", "-m", "start")
    _git(mine, "push", "-q", "-u", "origin", "main")
    theirs = tmp_path / "theirs"
    _git(tmp_path, "clone", "-q", str(remote), str(theirs))
    git_sync.setup(theirs / "p.db")
    store = Store.open(theirs / "p.db")
    svc = Service(store, "bob", FROZEN_TODAY)
    svc.edit_initiative(svc.resolve(OTHER), team="Team Bob", owner="Bob Owner")
    store.close()
    _git(theirs, "commit", "-q", "-am", "bob")
    _git(theirs, "push", "-q")

    app = build_app(mine / "p.db", author="alice", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        app.service.edit_initiative(app.service.resolve(OTHER), team="Team Alice")
        dialog = await _synced(pilot)
        text = dialog.result_text or ""
        assert "Synced p.db" in text and "Pushed" in text, text
        assert "Came in" in text and "Bob Owner" in text
        assert "Conflicts (1" in text and "Team Alice" in text and "Team Bob" in text
        assert app.service.resolve(OTHER).owner == "Bob Owner"
    # the merge reached the remote: the other clone pulls it
    _git(theirs, "pull", "-q", "--no-rebase", "--no-edit")
    with _reading(theirs / "p.db") as reader:
        assert reader.resolve(OTHER).owner == "Bob Owner"
        assert reader.resolve(OTHER).team in ("Team Alice", "Team Bob")
        assert any(e.new == "Team Alice" for e in reader.history(reader.resolve(OTHER)))


async def test_a_bad_file_put_in_its_place_is_said_once_and_nothing_is_saved(
    app: BridgeApp, sample_db: Path, tmp_path: Path
) -> None:
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        target = app.service.resolve(NAME)
        junk = tmp_path / "junk.db"
        junk.write_bytes(b"half a file" * 100)
        os.replace(junk, sample_db)
        app.poll_changes()  # git may still be writing: nothing said yet
        await pilot.pause()
        assert not [n for n in app._notifications if n.title == "File replaced"]
        app.poll_changes()
        app.poll_changes()
        await pilot.pause()
        said = [n for n in app._notifications if n.title == "File replaced"]
        assert len(said) == 1 and "cannot be opened" in said[0].message
        with pytest.raises(Replaced):
            app.service.edit_initiative(target, owner="Nowhere")
        assert sample_db.read_bytes() == b"half a file" * 100
