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


async def test_a_toast_title_with_markup_shows_as_typed(tmp_path: Path) -> None:
    """A title is drawn as text too (the board's "90-day plan" title is built with an
    f-string from a number; any title with brackets in it must not be read as markup)."""
    from textual.widgets._toast import Toast

    db = tmp_path / "sample.db"
    shutil.copyfile(REPO / "sample.db", db)
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        title = "[/] [b]x[@click=app.quit]y"
        app.screen.notify("body", title=title)
        for _ in range(20):
            await pilot.pause(0.05)
            toasts = list(app.screen.query(Toast))
            if toasts:
                break
        assert toasts
        assert title in str(toasts[0].render())
        assert app.is_running
