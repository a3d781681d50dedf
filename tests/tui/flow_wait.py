"""Waiting for the Flow screen: its body is mounted after its first paint, its figures come
from a worker, its charts from a thread. Shared by the Pilot and snapshot tests."""

from __future__ import annotations

from typing import Any

from textual.worker import WorkerCancelled


def _ready(app: Any) -> bool:
    screen = app.screen
    if getattr(screen, "built", True) is False:
        return False  # the Flow screen mounts its body after its first paint
    chart = getattr(screen, "chart", None)
    if chart is None:
        return True
    if getattr(screen, "flow", True) is None:
        return False  # its figures are still being read
    return bool(chart.settled) and not app.workers._workers


async def settle(pilot: Any) -> None:
    """Until the visible chart shows the current view at its current size (bounded: ~10 s)."""
    for _ in range(500):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # a newer drawing replaced it: wait for that one
            continue
        await pilot.pause()
        if _ready(pilot.app):
            return
        await pilot.pause(0.02)
