"""The checklist costs one key per item (issue 12, item 4): it opens on the first unanswered
item, y / n / u answer and go on, { } jump between sections, / finds an item; and `/` in the
History filters its rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from bridge_tui import method
from bridge_tui.models import Answer
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.checklist import ChecklistScreen
from bridge_tui.tui.screens.history import HistoryScreen
from bridge_tui.tui.widgets.checklist_list import ChecklistList
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import sample_app

SIZES = [(160, 45), (80, 24)]


def _screen(app: BridgeApp) -> ChecklistScreen:
    assert isinstance(app.screen, ChecklistScreen), type(app.screen).__name__
    return app.screen


def _list(app: BridgeApp) -> ChecklistList:
    return _screen(app).query_one("#items", ChecklistList)


def _answers(app: BridgeApp) -> dict[str, Answer]:
    view = _screen(app).view
    assert view is not None
    return view.answers


def _expected_start(app: BridgeApp) -> str:
    """Worked out here from the rows shown and the answers, independently of the screen."""
    answers = _answers(app)
    keys = _list(app).keys()
    for key in keys:
        if key not in answers or answers[key].value == "unknown":
            return key
    return keys[0]


async def _open(app: BridgeApp, pilot: Pilot[None], name: str) -> None:
    app.select(app.service.resolve(name).id)
    await pilot.press("2")
    await pilot.pause()


def _answer_everything(db: Path, name: str) -> None:
    store = Store.open(db)
    try:
        svc = Service(store, "prep", FROZEN_TODAY)
        i = svc.resolve(name)
        keys = [it.id for it in method.ITEMS] + [t.id for t in method.TESTS]
        keys += [s.id for s in method.SIGNALS]
        keys += [e.id for e in method.exit_conditions_for(i.stage)]
        for key in keys:
            svc.answer(svc.resolve(name), key, "no")
    finally:
        store.close()


@pytest.mark.parametrize("size", SIZES, ids=["160x45", "80x24"])
async def test_opens_on_the_first_unanswered_item_never_the_last_position(
    sample_db: Path, size: tuple[int, int]
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=size) as pilot:
        await _open(app, pilot, "Invoice processing")
        start = _expected_start(app)
        assert start != "D1"  # Invoice processing answered its first items: a real test
        assert _list(app).highlighted_key == start
        # walk far down, into the exit conditions, then open the next initiative
        await pilot.press("end")
        await pilot.pause()
        assert _list(app).highlighted_key == _list(app).keys()[-1]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert _screen(app).view is not None
        assert _screen(app).view.initiative.name != "Invoice processing"  # type: ignore[union-attr]
        assert _list(app).highlighted_key == _expected_start(app)
        # its row is on screen
        items = _list(app)
        assert items.highlighted is not None
        line = items._index_to_line[items.highlighted]
        assert items.scroll_y <= line < items.scroll_y + items.scrollable_content_region.height
        # back to the board and in again: a fresh start too
        await pilot.press("end", "escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("2")
        await pilot.pause()
        assert _list(app).highlighted_key == _expected_start(app)


async def test_all_answered_opens_on_the_first_item(sample_db: Path) -> None:
    _answer_everything(sample_db, "Warehouse slotting")
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await _open(app, pilot, "Warehouse slotting")
        assert all(a.value != "unknown" for a in _answers(app).values())
        assert _list(app).highlighted_key == "D1"


async def test_y_n_u_answer_and_advance(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, "Warehouse slotting")  # nothing answered: starts at D1
        keys = _list(app).keys()
        assert _list(app).highlighted_key == "D1"
        await pilot.press("y", "n", "u", "y")
        await pilot.pause()
        answers = _answers(app)
        values = [answers[k].value if k in answers else "unknown" for k in keys[:4]]
        assert values == ["yes", "no", "unknown", "yes"]
        assert _list(app).highlighted_key == keys[4]
        # at the last row it answers and stays
        await pilot.press("end", "y")
        await pilot.pause()
        assert _answers(app)[keys[-1]].value == "yes"
        assert _list(app).highlighted_key == keys[-1]
    store = Store.open(sample_db, read_only=True)
    try:
        fresh = Service(store, "x", FROZEN_TODAY)
        i = fresh.resolve("Warehouse slotting")
        assert fresh.checklist_view(i.id).value("D1") == "yes"
        assert fresh.checklist_view(i.id).value("D2") == "no"
    finally:
        store.close()


async def test_braces_jump_between_sections(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, "Warehouse slotting")
        assert _list(app).highlighted_key == "D1"
        await pilot.press("right_curly_bracket")
        assert _list(app).highlighted_key == "G1"
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        first_security = method.items_in("security")[0].id
        assert _list(app).highlighted_key == first_security
        await pilot.press("down", "left_curly_bracket")  # back to the top of this section
        assert _list(app).highlighted_key == first_security
        await pilot.press("left_curly_bracket")  # then the section before
        assert _list(app).highlighted_key == method.items_in("operations")[0].id
        await pilot.press(*["right_curly_bracket"] * 3)  # security, team, the four tests
        assert _list(app).highlighted_key == method.TESTS[0].id
        await pilot.pause()
        # the section's heading is in view above its first row
        items = _list(app)
        heading = items._index_to_line[items.get_option_index("hdr:tests")]
        assert items.scroll_y <= heading
        # the footer names find; the section keys live in help (the footer is full at 80)
        bindings = _screen(app).BINDINGS
        footer_keys = {b.key_display for b in bindings if b.show}  # type: ignore[union-attr]
        assert "/" in footer_keys
        assert {"{", "}"} <= {b.key_display for b in bindings}  # type: ignore[union-attr]


async def test_slash_finds_items_and_escape_closes(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, "Warehouse slotting")
        # mounted on the first `/`: the checklist opens without its widgets
        assert not _screen(app).query("#find-bar")
        await pilot.press("slash")
        await pilot.pause()
        field = _screen(app).query_one("#find", Input)
        assert field.has_focus and _screen(app).query_one("#find-bar").display
        await pilot.press(*"DRIFT")  # case does not matter
        await pilot.pause()
        matches = _list(app).matches("drift")
        assert matches[0] == "D5" and len(matches) >= 2
        assert _list(app).highlighted_key == "D5"
        await pilot.press("enter")  # the next match
        await pilot.pause()
        assert _list(app).highlighted_key == matches[1]
        # typing y in the search box types, it does not answer
        assert _answers(app).get("D5") is None or _answers(app)["D5"].value == "unknown"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        assert not _screen(app).query_one("#find-bar").display
        assert _list(app).has_focus and _list(app).highlighted_key == matches[1]
        await pilot.press("y")  # answers the found item
        await pilot.pause()
        assert _answers(app)[matches[1]].value == "yes"
        await pilot.press("slash")  # the same bar again, with what was typed
        await pilot.pause()
        assert len(_screen(app).query("#find-bar")) == 1
        assert _screen(app).query_one("#find", Input).value == "DRIFT"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_history_slash_filters_rows_by_text(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await pilot.press("a")  # the whole file
        await pilot.pause()
        table = screen.query_one("#history-table", DataTable)
        everything = table.row_count
        assert everything > 20
        assert not screen.query("#history-search")  # the bar comes with the first `/`
        await pilot.press("slash", *"PRIYA")
        await pilot.pause()
        shown = table.row_count
        assert 0 < shown < everything
        for row in range(shown):
            assert "priya" in " ".join(str(c) for c in table.get_row_at(row)).casefold()
        # a word of another column narrows it too (the What column here)
        field = screen.query_one("#history-search", Input)
        field.value = "task owner"
        await pilot.pause()
        for row in range(table.row_count):
            assert "task owner" in " ".join(str(c) for c in table.get_row_at(row)).casefold()
        field.value = "no such text anywhere"
        await pilot.pause()
        assert table.row_count == 0
        await pilot.press("escape")  # clears the search
        await pilot.pause()
        assert app.screen is screen and table.row_count == everything
        await pilot.press("slash")  # the same bar again, emptied
        await pilot.pause()
        assert len(screen.query("#history-search")) == 1 and field.value == ""
        assert screen.focused is field
        await pilot.press("escape", "escape")  # then leaves
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
