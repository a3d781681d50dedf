"""What the snapshot tests share: the two room sizes and the `run_before` steps that open a
screen and press keys before the picture is taken."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

RunBefore = Callable[[Pilot[None]], Awaitable[None]]

#: every screen is pictured in the review room's small terminal and in a large one
SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])


def keys(
    *pressed: str, theme: str | None = None, first: Callable[[Any], object] | None = None
) -> RunBefore:
    """Let the app settle, set `theme`, call `first(app)` (e.g. open a screen by its action),
    press `pressed`, then clear the toasts (they expire on their own clock)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        if theme is not None:
            pilot.app.theme = theme
        if first is not None:
            first(pilot.app)
            await pilot.pause()
        for key in pressed:
            await pilot.press(key)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def opener(screen_key: str, name: str, *pressed: str) -> RunBefore:
    """Select the initiative `name`, open a screen with its key, then press `pressed`."""

    async def run_before(pilot: Pilot[None]) -> None:
        app: Any = pilot.app
        app.select(app.service.resolve(name).id)
        await pilot.press(screen_key)
        await pilot.pause()
        if pressed:
            await pilot.press(*pressed)
        await pilot.pause()

    return run_before
