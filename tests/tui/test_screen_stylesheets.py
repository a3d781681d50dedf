"""Each screen's stylesheet is read when the screen first shows, not at start-up (issue 13): the
board's first paint reads board.tcss only, a screen or dialog names its own sheets in `CSS_PATH`,
the first dialog brings the rules every dialog shares (base.tcss), and the order sheets happen
to load in never changes how anything looks."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.css.model import SelectorSet
from textual.css.stylesheet import Stylesheet
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from bridge_tui.service.start import Start
from bridge_tui.tui import dialogs, screens
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.styles import SHARED, START_UP, shared_sheet, styles_dir
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import sample_app, step

SIZE = (160, 45)


def loaded(app: App[Any]) -> set[str]:
    """The names of the .tcss files the app's stylesheet holds."""
    return {Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")}


async def test_the_board_paints_with_its_own_sheets_and_a_screen_reads_its_sheet_when_shown(
    sample_db: Path,
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.__class__.__name__ == "BoardScreen"
        assert loaded(app) == {"board.tcss"}

        await step(pilot, "2")
        assert app.screen.__class__.__name__ == "ChecklistScreen"
        assert loaded(app) == {"board.tcss", "checklist.tcss"}
        # styled by checklist.tcss: the side panels ruled off
        side = app.screen.query_one("#side")
        assert side.styles.border_left[0] == "solid"
        assert side.styles.width is not None and side.styles.width.value == 42

        await step(pilot, "1")
        assert loaded(app) == {"board.tcss", "checklist.tcss"}


def _sheet_order(app: App[Any]) -> list[str]:
    return [Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")]


class _SharedReadAtStart(BridgeApp):
    """The app as it was until 2026-12-01: the dialogs' shared rules read at start-up, first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.css_path = [shared_sheet(), *self.css_path]


@pytest.mark.parametrize("first", ["palette", "dialog"])
async def test_the_first_dialog_reads_the_shared_rules_before_every_other_sheet(
    sample_db: Path, first: str
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await step(pilot, "2")
        await step(pilot, "1")
        assert SHARED not in loaded(app)
        # Textual's command palette is a dialog too (the screenshots below show it unchanged)
        await step(pilot, "ctrl+p" if first == "palette" else "e")
        assert isinstance(app.screen, ModalScreen)
        order = _sheet_order(app)
        assert order[:3] == [SHARED, "board.tcss", "checklist.tcss"], order
        if first == "dialog":  # the form's fields are framed by the shared rules
            field = app.screen.query(Input).first()
            assert field.styles.border_left[0] in ("tall", "thick"), field.styles.border_left
        await step(pilot, "escape")
        await step(pilot, "e")
        assert _sheet_order(app).count(SHARED) == 1


@pytest.mark.parametrize("keys", [("e",), ("2", "1", "e"), ("2", "e"), ("ctrl+p",)])
async def test_a_dialog_looks_the_same_as_when_the_shared_rules_were_read_at_start_up(
    sample_db: Path, tmp_path: Path, keys: tuple[str, ...]
) -> None:
    shots = []
    for make in (sample_app, None):
        db = tmp_path / "team.db"  # a fresh copy, at one path (the header shows it)
        db.write_bytes(sample_db.read_bytes())
        app = make(db) if make else _SharedReadAtStart(Start.open(db, "tester", FROZEN_TODAY))
        async with app.run_test(size=SIZE) as pilot:
            for key in keys:
                await step(pilot, key)
            assert isinstance(app.screen, ModalScreen)
            # the same picture: the SVG's class names carry a number of their own
            shots.append(re.sub(r"terminal-\d+", "terminal", app.export_screenshot()))
    assert shots[0] == shots[1]


async def test_the_review_decision_dialog_is_as_tight_when_the_review_loads_first(
    sample_db: Path,
) -> None:
    """The review's sheet loads before the dialogs' one here; the decision dialog still gets
    its own width (76), not its base ReasonDialog's (72)."""
    from bridge_tui.tui.dialogs.review_decision import ReviewDecisionDialog

    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await step(pilot, "r")
        assert "review.tcss" in loaded(app) and "dialogs.tcss" not in loaded(app)
        await step(pilot, "k")
        assert isinstance(app.screen, ReviewDecisionDialog)
        box = app.screen.query_one(".dialog")
        assert box.styles.width is not None and box.styles.width.value == 76
        assert box.outer_size.width == 76


# the sheets and the classes that name them ---------------------------------------------------


def _bridge_screens() -> list[type[Screen[Any]]]:
    for package in (screens, dialogs):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")

    def below(cls: type) -> Iterator[type]:
        sub: type
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return sorted(
        {c for c in below(Screen) if c.__module__.startswith("bridge_tui.")},
        key=lambda c: c.__name__,
    )


def _named(cls: type[Screen[Any]]) -> set[str]:
    paths = cls.CSS_PATH or []
    return {Path(p).name for p in (paths if isinstance(paths, list) else [paths])}


def _rules(name: str) -> list[tuple[SelectorSet, Mapping[str, object]]]:
    sheet = Stylesheet(variables=App().get_css_variables())
    sheet.read(styles_dir() / name)
    sheet.parse()
    return [(chosen, rule.styles._rules) for rule in sheet.rules for chosen in rule.selector_set]


def test_every_sheet_is_read_at_start_up_or_named_by_the_classes_it_styles() -> None:
    classes = _bridge_screens()
    by_name = {c.__name__: c for c in classes}
    lazy = sorted(p.name for p in styles_dir().glob("*.tcss") if p.name not in (*START_UP, SHARED))
    for name in lazy:
        # every rule is nested under a screen or dialog class (or a base of one)
        heads = {chosen.selectors[0].name for chosen, _ in _rules(name)}
        assert heads, name
        for head in heads:
            users = [c for c in classes if head in {b.__name__ for b in c.__mro__}]
            assert users, f"{name}: {head} is no screen or dialog of bridge"
            for user in users:
                assert name in _named(user), (
                    f"{name} styles {user.__name__}, which does not name it"
                )
    assert "BoardScreen" in by_name
    for cls in classes:
        assert _named(cls) <= set(lazy), f"{cls.__name__} names a sheet that is not there"


def test_no_two_sheets_loaded_on_demand_override_each_other() -> None:
    """Rules of the same specificity go to the sheet read last, and which screen opens first
    decides that order now: a rule may not restyle, from another sheet, what a rule for the
    same selector (on the same screen or a base of it) already sets, e.g. a dialog's subclass
    narrowing its base's `.dialog` belongs in the base's sheet, after the base's rules."""
    mros = [{b.__name__ for b in c.__mro__} for c in _bridge_screens()]
    lazy = sorted(p.name for p in styles_dir().glob("*.tcss") if p.name not in (*START_UP, SHARED))
    rules = [(name, chosen, styles) for name in lazy for chosen, styles in _rules(name)]
    clashes = []
    for (a, sa, ra), (b, sb, rb) in itertools.combinations(rules, 2):
        if a == b or sa.specificity != sb.specificity:
            continue
        heads = {sa.selectors[0].name, sb.selectors[0].name}
        if not any(heads <= names for names in mros):
            continue
        if [s.css for s in sa.selectors[1:]] != [s.css for s in sb.selectors[1:]]:
            continue
        if any(k in rb and rb[k] != v for k, v in ra.items()):
            clashes.append(f"{a} {sa.css} / {b} {sb.css}")
    assert not clashes, clashes
