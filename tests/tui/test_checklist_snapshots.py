"""Snapshots of the checklist screen on the sample (frozen today) at 80x24 and 160x45."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY
from tests.tui.snap import SIZES, opener

pytestmark = pytest.mark.usefixtures("utc")  # times shown in local time: pinned to UTC


@SIZES
def test_dispatch_routing(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=opener("2", "Dispatch routing"))


@SIZES
def test_invoice_processing_after_answers(
    snap_compare: Any, sample_db: Path, size: tuple[int, int]
) -> None:
    """D4 set met (the total reaches the pass line), D5 set not met, the cursor on D5 (it
    opens on D5, the first unanswered; each answer goes on to the next row)."""
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    keys = ("up", "y", "n", "up")
    assert snap_compare(
        app, terminal_size=size, run_before=opener("2", "Invoice processing", *keys)
    )


def test_note_dialog(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    keys = ("up", "e")  # D4: it opens on D5, the first unanswered
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=opener("2", "Invoice processing", *keys)
    )
