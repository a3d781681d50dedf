"""Every toast is plain text: a screen's `notify` goes through the app's, which never reads
markup, so a name like `[/]` in a message built with an f-string shows as typed."""

from __future__ import annotations

import shutil
from pathlib import Path

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY, REPO


async def test_a_screen_toast_with_markup_in_a_name_shows_as_typed(tmp_path: Path) -> None:
    db = tmp_path / "sample.db"
    shutil.copyfile(REPO / "sample.db", db)
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("2", "r"):  # the checklist and the review build toasts from names
            await pilot.press(key)
            await pilot.pause()
            name = "[/] [b]x[@click=app.quit]y"
            app.screen.notify(f"{name} is already killed.", severity="warning")
            await pilot.pause()
            shown = [str(n.message) for n in app._notifications]
            assert f"{name} is already killed." in shown
            assert app.is_running
