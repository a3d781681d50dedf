"""The board's count line counts active initiatives, not the killed ones hidden beside them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static

from bridge_tui import method
from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY


async def test_the_count_says_how_many_are_active(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        everyone = app.service.board().initiatives
        killed = sum(1 for i in everyone if i.stage == method.KILLED)
        active = len(everyone) - killed
        assert killed == 2 and active == 11  # the sample portfolio
        status = str(app.screen.query_one("#status", Static).render())
        assert status.startswith(f"{active} active · {killed} killed hidden: K shows them")
        await pilot.press("slash", "d", "o", "c")
        await pilot.pause()
        shown = str(app.screen.query_one("#filter-count", Label).render())
        # of the active ones, not of every row in the file (killed ones hidden)
        assert shown.endswith(f" of {active} shown · escape clears")
