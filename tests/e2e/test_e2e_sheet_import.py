"""End to end: in the installed app, import a team's spreadsheet from the palette, as a person
would: type its name (the folder is filled in), read the preview, press Import, see the board."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.tmuxlib import BRIDGE, bridge_in_tmux, require_tmux
from tests.sheetgen import write_csv

pytestmark = pytest.mark.e2e


def test_import_a_spreadsheet_from_the_palette(tmp_path: Path) -> None:
    require_tmux()
    db = tmp_path / "ops.db"
    shutil.copyfile(REPO / "sample.db", db)
    write_csv(
        tmp_path / "ai use cases.csv",
        [
            ["Use case", "Phase", "Owner", "Pilot budget", "Scoped?", "Team assigned"],
            ["Churn radar", "POC", "Ines Duarte", "€ 40.000", "x", "x"],
            ["[b]Shift[/b] planner", "idea", "", "", "", ""],
        ],
        sep=";",
        encoding="utf-8-sig",
    )
    with bridge_in_tmux(db, width=150, height=42, env={"BRIDGE_TODAY": "2026-11-22"}) as term:
        term.wait_for("Experiment", timeout=60)
        term.open_palette()
        term.type("Import a spreadsheet")
        term.wait_for("Preview, then add the initiatives")
        term.keys("Enter")
        # the dialog focuses its path field as it mounts, before its first paint
        term.wait_for("Adds the initiatives", timeout=30)
        term.type("ai use")
        term.keys("Enter")
        term.wait_for(
            "Would add 2 and update 0 initiatives",
            "(semicolon-separated, UTF-8-SIG)",
            "Churn radar",
            "[b]Shift[/b] planner",
            timeout=60,
        )
        term.keys("Enter")  # Import has the focus once the preview is good
        term.wait_for("Imported ai use cases.csv: added 2", "Churn radar", timeout=60)
    done = subprocess.run(
        [str(BRIDGE), "--db", str(db), "show", "Churn radar", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    shown = json.loads(done.stdout)
    assert shown["stage"] == "pilot" and shown["owner"] == "Ines Duarte"
