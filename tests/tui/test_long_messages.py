"""Long messages wrap, in dialogs and in toasts: at 80x24 the whole sentence is on screen."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Label

from bridge_tui.tui.app import build_app
from bridge_tui.tui.dialogs.common import ReasonDialog
from tests.conftest import FROZEN_TODAY

SIZE = (80, 24)
STALE = (
    "sam changed this initiative (team, owner, summary) at 19:32, after you read it; reload "
    "to see their change (nothing of yours was saved)."
)


def _on_screen(app: App[None], widget: Widget) -> str:
    """The words of `widget` as drawn on the screen (clipped to the screen and its parents)."""
    region = widget.region.intersection(Region(0, 0, *SIZE))
    strips = app.screen._compositor.render_strips()
    lines = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    return " ".join(" ".join(lines).split())


async def test_a_long_error_in_a_dialog_wraps(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ReasonDialog("Kill Dispatch routing?"))
        await pilot.pause()
        label = app.screen.query_one("#reason-error", Label)
        label.update(STALE)
        await pilot.pause()
        assert label.region.height >= 2
        assert _on_screen(app, label) == STALE
        assert Region(0, 0, *SIZE).contains_region(app.screen.query_one("#cancel").region)


async def test_a_long_error_in_the_task_form_wraps(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.select(app.service.resolve("Dispatch routing").id)
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("n")  # a new task
        await pilot.pause()
        assert type(app.screen).__name__ == "TaskFormDialog"
        label = app.screen.query_one("#e-form", Label)
        label.update(STALE)
        await pilot.pause()
        assert label.region.height >= 2
        assert _on_screen(app, label) == STALE


async def test_a_long_toast_wraps(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.notify(STALE, title="Not saved", severity="error")
        await pilot.pause()
        toasts = [w for w in app.screen._compositor.visible_widgets if type(w).__name__ == "Toast"]
        assert len(toasts) == 1
        toast = toasts[0]
        assert toast.region.height >= 4
        drawn = _on_screen(app, toast).replace("▌", " ")  # the toast's left edge
        assert STALE in " ".join(drawn.split())
