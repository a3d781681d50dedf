"""End to end: a newcomer's first run. `bridge demo` from a folder outside the checkout opens a
private copy of the sample; a move made there is still there the next time; `--reset` brings
back the sample as built; the checkout's own sample.db is never touched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import FROZEN_TODAY, REPO
from tests.e2e.tmuxlib import bridge_in_tmux, bridge_json, require_tmux
from tests.test_sample import table_contents

pytestmark = pytest.mark.e2e

MOVED = "Document extraction: proof of delivery"  # the first card of Experiment
REASON = "trying the demo"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_keeps_changes_until_reset_and_never_touches_the_checkout(
    tmp_path: Path, sample_template: Path
) -> None:
    require_tmux()
    checkout_sample = REPO / "sample.db"
    before = _sha256(checkout_sample)
    elsewhere = tmp_path / "elsewhere"  # the newcomer's current folder, outside the checkout
    elsewhere.mkdir()
    data = tmp_path / "data"
    demo_db = data / "demo.db"
    env = {"BRIDGE_DEMO_DIR": str(data), "BRIDGE_TODAY": FROZEN_TODAY.isoformat()}

    # first run: the copy is built and opened; the header says it is the demo copy, and where
    with bridge_in_tmux(None, args=["demo"], cwd=elsewhere, env=env) as term:
        screen = term.wait_for("Experiment 2", timeout=60)
        assert "DEMO copy:" in screen and str(demo_db) in screen, screen
        assert "Pilot 3" in screen
        term.keys("S-Right")  # the gate into Pilot is not met: force it with a reason
        term.wait_for("cannot move to Pilot yet")
        term.type(REASON)
        term.keys("Enter")
        screen = term.wait_for("Pilot 4", "Experiment 1")
        term.quit()
    moved = bridge_json(demo_db, "show", MOVED)
    assert (moved["stage"], moved["forced_reason"]) == ("pilot", REASON)
    assert _sha256(checkout_sample) == before

    # second run (in a small terminal): the same copy, with the move still there
    with bridge_in_tmux(None, args=["demo"], cwd=elsewhere, env=env, width=80, height=24) as term:
        screen = term.wait_for("Pilot 4", "Experiment 1", "DEMO copy:", timeout=30)
        term.quit()
    assert _sha256(checkout_sample) == before

    # --reset: the sample as built, the move gone
    with bridge_in_tmux(None, args=["demo", "--reset"], cwd=elsewhere, env=env) as term:
        screen = term.wait_for("Experiment 2", timeout=60)
        assert "Pilot 3" in screen and "Pilot 4" not in screen
        assert "DEMO copy:" in screen
        term.quit()
    assert bridge_json(demo_db, "show", MOVED)["stage"] == "experiment"
    # built on the same day as the fixtures' sample, so it is that file, row for row
    assert table_contents(demo_db) == table_contents(sample_template)

    assert _sha256(checkout_sample) == before
    assert list(elsewhere.iterdir()) == []  # nothing written where the newcomer stood
    assert sorted(p.name for p in data.iterdir()) == ["demo.db"]  # no temporary file left
