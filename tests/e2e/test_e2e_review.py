"""End to end: a review meeting on a laptop at 80x24, as the room sees it (issue 12).

The installed `bridge` in tmux on a copy of the sample: open, start the review, decide three
initiatives with notes, finish (the app asks, since eight are left), save the minutes, quit;
then read the minutes file."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import FROZEN_TODAY
from tests.e2e.tmuxlib import bridge_in_tmux, require_tmux

pytestmark = pytest.mark.e2e

ENV = {"BRIDGE_TODAY": FROZEN_TODAY.isoformat(), "TZ": "UTC"}
#: the agenda's first three, most stuck first, with the decision and note given to each
MEETING = [
    ("Customer service assistant", "k", "Keep", "Owner named by Friday"),
    ("Email triage", "d", "Defer", "Waiting on the Q1 budget"),
    ("Document extraction: bills of lading", "x", "Kill", "Vendor contract ended"),
]


def _wait_file(path: Path, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return path.read_text(encoding="utf-8")
        time.sleep(0.2)
    raise AssertionError(f"{path} was not written")


def _marked(screen: str, name: str, verb: str) -> bool:
    """The agenda's line of `name` shows the decision `verb`."""
    rows = [line for line in screen.splitlines() if name in line and "│" in line]
    return any(verb.lower() in row.lower() for row in rows)


@pytest.fixture
def db(tmp_path: Path, sample_db: Path) -> Path:
    require_tmux()
    path = tmp_path / "portfolio.db"
    shutil.copyfile(sample_db, path)
    return path


def test_a_review_meeting_at_80x24(db: Path) -> None:
    minutes = db.parent / f"portfolio-review-{FROZEN_TODAY.isoformat()}.md"
    with bridge_in_tmux(db, width=80, height=24, env=ENV, cwd=db.parent) as term:
        term.wait_for("? lists every key")
        term.keys("r")
        term.wait_for("0 of 11 decided")
        # the narrow layout lands (the agenda above the card, a name per line)
        screen = term.wait_for(MEETING[2][0])
        # the agenda is on screen at 80 columns, above the card
        assert "Agenda" in screen
        for name, _, _, _ in MEETING:
            assert name in screen, screen
        for n, (name, key, verb, note) in enumerate(MEETING, 1):
            term.keys(key)
            # its buttons are on screen (the dialog's title can paint a frame before them)
            term.wait_for(f"{verb} {name}", "Cancel")
            term.type(note)
            term.keys("Enter")
            # counted, and the agenda marks the decision beside the name (the count and the
            # agenda are two widgets: wait for both, not the first to paint)
            term.wait_until(
                lambda screen, n=n, name=name, verb=verb: (
                    f"{n} of 11 decided" in screen and _marked(screen, name, verb)
                ),
                f"{n} of 11 decided, {verb} beside {name}",
            )
        # finishing with eight left asks first; escape keeps the meeting going
        term.keys("f")
        screen = term.wait_for(
            "8 initiatives not reviewed. Finish anyway?", "Finish anyway", "Keep reviewing"
        )
        term.keys("Escape")
        term.wait_gone("Finish anyway?")
        assert "3 of 11 decided" in term.screen()
        # asked again, and this time answered: finish
        term.keys("f")
        term.wait_for("Finish anyway?")
        term.keys("y")
        term.wait_for("m save the minutes")
        term.keys("m")
        text = _wait_file(minutes)
        term.wait_for(f"Saved {minutes.name}")
        term.keys("Escape")
        term.wait_for("? lists every key")
        term.quit()

    assert text.startswith("# Portfolio review, 22 November 2026")
    assert "- Led by: e2e" in text
    assert "- Finished: " in text and "not yet" not in text
    assert "1 keep" in text and "1 defer" in text and "1 kill" in text
    assert "8 not reviewed" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for name, _, verb, note in MEETING:
        row = next(r for r in rows if f"| {name} |" in r)
        assert f"| {verb} |" in row and note in row, row
    assert text.count("| not reviewed |") == 8
    assert "- **Document extraction: bills of lading** (now Killed)" in text
