"""The checklist takes board order from the board screen's whole read while the file is as it
was then (issue 13: at 10,000 initiatives, reading and sorting every id on each opening and
each `[`/`]` took tens of milliseconds). A teammate's new initiative in between: it reads the
order from the file, so "N of M" and the steps never follow an order the file no longer has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.screens.checklist import ChecklistScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import pressed, sample_app

SIZE = (160, 45)


def count_order_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per read of board order from the file."""
    reads: list[int] = []
    real = Service.ordered_ids

    def spy(self: Service) -> list[str]:
        reads.append(1)
        return real(self)

    monkeypatch.setattr(Service, "ordered_ids", spy)
    return reads


def title(app: Any) -> str:
    return str(app.screen.query_one("#title").render())


def add_as_teammate(db: Path, name: str) -> None:
    store = Store.open(db)
    try:
        Service(store, "sam", FROZEN_TODAY).add_initiative(name=name)
    finally:
        store.close()


async def test_the_checklist_walks_the_boards_order_without_reading_it_again(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = count_order_reads(monkeypatch)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        order = [i.id for i in app.service.ordered()]
        invoices = app.service.resolve("Invoice processing").id
        app.select(invoices)
        here = order.index(invoices)
        await pressed(pilot, "2", ChecklistScreen)
        assert f"{here + 1} of {len(order)}" in title(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.selected_id == order[here + 1]
        assert f"{here + 2} of {len(order)}" in title(app)
        assert reads == []


async def test_a_teammates_new_initiative_is_counted_from_the_file(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = count_order_reads(monkeypatch)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = len(app.service.ordered())
        assert app.board_order(app.screen.data_key()) is not None  # type: ignore[attr-defined]
        add_as_teammate(sample_db, "Aaa first in board order")
        # the file moved on: the order read before it is not handed out any more
        assert app.board_order(app.screen.data_key()) is None  # type: ignore[attr-defined]
        app.select(app.service.resolve("Invoice processing").id)
        await pressed(pilot, "2", ChecklistScreen)
        await pilot.pause()
        order = [i.id for i in app.service.ordered()]
        assert len(order) == before + 1
        here = order.index(app.service.resolve("Invoice processing").id)
        assert f"{here + 1} of {len(order)}" in title(app)
        # read from the file, or from the board the poll read again after the save
        assert reads or app.board_order(app.screen.data_key()) == order  # type: ignore[attr-defined]


async def test_the_order_comes_from_the_boards_columns_without_a_sort(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board keeps its columns in board order; the order handed to the checklist is
    theirs, read off stage by stage, equal to sorting the file's initiatives."""
    reader = Service.open(sample_db, "x", FROZEN_TODAY)
    expected = [i.id for i in reader.ordered()]
    reader.store.close()
    sorts: list[int] = []
    real = Service.ordered

    def spy(self: Service, initiatives: Any = None) -> Any:
        sorts.append(1)
        return real(self, initiatives)

    monkeypatch.setattr(Service, "ordered", spy)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sorts.clear()
        assert app.board_order(app.screen.data_key()) == expected  # type: ignore[attr-defined]
        await pressed(pilot, "2", ChecklistScreen)
        assert sorts == []
