"""End to end: in the installed app, "Sync with git" from the palette brings a teammate's pushed
change in, as a person would: palette, read what came in, close, see it on the board."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.tmuxlib import bridge_in_tmux, require_tmux
from tests.test_git_sharing import (  # noqa: F401 (private_git: the autouse fixture)
    NAME,
    git,
    open_service,
    private_git,
    two_clones,
)

pytestmark = pytest.mark.e2e


def test_sync_with_git_from_the_palette(tmp_path: Path, sample_db: Path) -> None:
    require_tmux()
    alice, bob = two_clones(tmp_path, sample_db)
    for clone in (alice, bob):
        git(clone, "config", "user.name", clone.name)
        git(clone, "config", "user.email", f"{clone.name}@example.com")
    b = open_service(bob / NAME, "bob")
    target = next(i for i in b.ordered() if i.stage == "pilot")
    b.edit_initiative(target, name="Renamed by Bob")
    b.close()
    git(bob, "commit", "-q", "-am", "bob renames one")
    git(bob, "push", "-q")

    env = {
        k: os.environ[k]
        for k in ("HOME", "GIT_CONFIG_NOSYSTEM", "GIT_CEILING_DIRECTORIES", "BRIDGE_TODAY")
    }
    with bridge_in_tmux(alice / NAME, width=150, height=42, env=env, cwd=alice) as term:
        term.wait_for("Experiment", timeout=60)
        term.open_palette()
        term.type("Sync with git")
        term.wait_for("Commit, pull")
        term.keys("Enter")
        term.wait_for("Synced portfolio.db", "Came in (1)", "bob: Renamed", timeout=90)
        term.keys("Escape")
        term.wait_for("Renamed by Bob", timeout=30)
    reader = open_service(alice / NAME, "reader")
    try:
        assert reader.resolve("Renamed by Bob").id == target.id
    finally:
        reader.close()
