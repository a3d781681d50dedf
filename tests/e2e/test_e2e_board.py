"""End to end: the installed `bridge` command in tmux; move cards with the keys, read the screen,
then check the file itself with `bridge show --json`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.tmuxlib import BRIDGE, bridge_in_tmux, require_tmux

pytestmark = pytest.mark.e2e

MOVED = "Document extraction: proof of delivery"
FORCED = "Customer service assistant"


def _bridge(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BRIDGE), "--db", str(db), "--as", "setup", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _show(db: Path, ref: str) -> dict[str, object]:
    done = _bridge(db, "show", ref, "--json")
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


def _column_of(screen: str, title: str, text: str) -> bool:
    """Is `text` drawn under the column whose header starts with `title`?"""
    lines = screen.splitlines()
    header = next((n for n, line in enumerate(lines) if title in line), None)
    assert header is not None, f"no column header {title!r}:\n{screen}"
    start = lines[header].index(title)
    # the next header to the right bounds the column
    rest = lines[header][start + len(title) :]
    width = len(title) + (len(rest) - len(rest.lstrip())) + 1
    for line in lines[header + 1 :]:
        cell = line[max(0, start - 2) : start + max(width, 18)]
        if text in cell:
            return True
    return False


@pytest.fixture
def db(tmp_path: Path, sample_db: Path) -> Path:
    """The sample as built (not the checkout's sample.db, which someone may have explored)."""
    require_tmux()
    path = tmp_path / "board.db"
    shutil.copyfile(sample_db, path)
    # meet the gate into Pilot for one card, so a plain forward move passes
    done = _bridge(path, "answer", MOVED, "team_assigned", "yes")
    assert done.returncode == 0, done.stderr
    return path


def test_moved_cards_show_in_their_new_column_and_land_in_the_file(db: Path) -> None:
    with bridge_in_tmux(db, width=160, height=45) as term:
        screen = term.wait_for("Experiment 2", "Pilot 3")
        # the first card of Experiment is selected at start: move it one stage on
        term.keys("S-Right")
        screen = term.wait_for("Pilot 4", "Experiment 1")
        assert _column_of(screen, "Pilot 4", "proof of delivery"), screen
        assert not _column_of(screen, "Experiment 1", "proof of delivery"), screen
        # a refused move: the gate dialog lists what is missing; force it with a reason
        # the selection followed the card into Pilot; go to the top of that column
        term.keys("Home")
        term.keys(">")
        screen = term.wait_for(
            "cannot move to Validate yet", "Finance has reviewed a rough business case"
        )
        term.type("board meeting decided")
        term.keys("Enter")
        screen = term.wait_for("Validate 4")
        assert _column_of(screen, "Validate 4", "Customer service"), screen
        assert "forced" in screen
        term.quit()
    moved = _show(db, MOVED)
    assert moved["stage"] == "pilot"
    forced = _show(db, FORCED)
    assert forced["stage"] == "validate"
    assert forced["forced_reason"] == "board meeting decided"


def test_narrow_terminal_shows_every_stage_and_the_keys(db: Path) -> None:
    with bridge_in_tmux(db, width=80, height=24) as term:
        screen = term.wait_for("Experiment 2")
        for title in ("Pilot 3", "Validate 3", "Productionize 1"):
            assert title in screen
        assert "⚠ no owner" in screen
        assert "Move" in screen and "Filter" in screen
        # issue 12: the screens, help, history and review keys, whole, and no cut header
        for key in ("1-5 Screens", "? Help", "H History", "r Review", "Infra 2"):
            assert key in screen, key
        assert "Infrastructu…" not in screen
        term.keys("4")
        screen = term.wait_for("Heat map")
        for header in ("Total", "Emb", "Own", "Mea", "Mnt"):
            assert header in screen, header
        term.keys("1")
        term.wait_for("Experiment 2")
        term.keys("/")
        term.wait_for("name, owner, team or blocker")  # the filter field is open
        term.type("route")
        screen = term.wait_for("Validate 1/3", "Route")
        term.keys("Escape")
        term.wait_for("Validate 3")
