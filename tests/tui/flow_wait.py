"""Waiting for the Flow screen: its figures come after the first paint, its charts from a
thread. Shared by the Pilot and snapshot tests."""

from __future__ import annotations

from typing import Any

from textual.worker import WorkerCancelled


async def settle(pilot: Any) -> None:
    """Until the visible chart shows the current view at its current size (bounded)."""
    for _ in range(50):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # a newer drawing replaced it: wait for that one
            continue
        await pilot.pause()
        chart = getattr(pilot.app.screen, "chart", None)
        if chart is None or (chart.settled and not pilot.app.workers._workers):
            return
