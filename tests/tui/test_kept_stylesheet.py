"""Each stylesheet is parsed once while the theme stays the same (issue 13: Textual parsed every
source again on each CSS refresh, at start-up and at each screen's first showing), and a new
theme still parses everything again and repaints in its colours."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import StylesheetError, StylesheetParseError
from textual.css.tokenizer import TokenError

from bridge_tui.tui.kept_stylesheet import KeptStylesheet
from bridge_tui.tui.widgets.footer import BridgeFooter as Footer
from tests.tui.helpers import sample_app, step


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each source (by where it was read from) is parsed from its text."""
    counts: Counter[str] = Counter()
    parse = textual_stylesheet.parse

    def counting(scope: str, css: str, read_from: Any, **kw: Any) -> Any:
        counts[str(read_from[0])] += 1
        return parse(scope, css, read_from, **kw)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return counts


def _ours(counts: Counter[str]) -> dict[str, int]:
    return {name: n for name, n in counts.items() if name.endswith(".tcss")}


async def test_start_up_and_first_showings_parse_each_stylesheet_once(
    sample_db: Path, parses: Counter[str]
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        ours = _ours(parses)
        # board.tcss, then the screens' sheets in the warm-up thread (or as each first shows)
        assert len(ours) >= 1 and set(ours.values()) == {1}, ours
        for key in ("2", "3", "4", "1"):
            await step(pilot, key)
        shown = {Path(p).name for p in _ours(parses)}
        assert {"board.tcss", "checklist.tcss", "plan.tcss", "overview.tcss"} <= shown, shown
        assert set(_ours(parses).values()) == {1}, _ours(parses)
        assert isinstance(app.stylesheet, KeptStylesheet)


async def test_a_new_theme_parses_again_and_repaints(sample_db: Path, parses: Counter[str]) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        before = footer.styles.background
        read = {p for p, _ in app.stylesheet.source if p.endswith(".tcss")}
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        # every sheet the app has read, parsed again in the new theme's colours (a sheet only
        # parsed ahead is parsed again when it is read)
        assert {parses[p] for p in read} == {2}, _ours(parses)
        assert app.screen.query_one(Footer).styles.background != before
        # the next showings parse only their own new sheets: the theme's parse is kept (a
        # saved theme is chosen just after start-up, so this was every first opening's cost)
        every = sum(parses.values())
        await step(pilot, "2")
        assert set(_ours(parses).values()) <= {1, 2, 3}, _ours(parses)
        assert parses[next(iter(read))] == 2, _ours(parses)
        assert sum(parses.values()) - every < 20, "a showing after a new theme parsed everything"


def test_the_same_variables_keep_the_parse_and_new_ones_redo_it(parses: Counter[str]) -> None:
    sheet = KeptStylesheet(variables={"accent": "red"})
    sheet.add_source("Label { color: $accent; }", read_from=("a.tcss", ""))
    sheet.reparse()
    red = sheet.rules[0].styles.color
    sheet.set_variables({"accent": "red"})
    sheet.reparse()
    assert parses["a.tcss"] == 1
    sheet.set_variables({"accent": "blue"})
    sheet.reparse()
    assert parses["a.tcss"] == 2
    assert sheet.rules[0].styles.color != red


def test_a_broken_source_is_still_refused(parses: Counter[str]) -> None:
    sheet = KeptStylesheet(variables={})
    sheet.add_source("Label { color: red; }", read_from=("a.tcss", ""))
    sheet.reparse()
    sheet.add_source("Label { colour red }", read_from=("b.tcss", ""))
    with pytest.raises((StylesheetError, StylesheetParseError, TokenError)):
        sheet.reparse()
    # what was parsed before stands
    assert len(sheet.rules) == 1


# component classes: worked out once for widgets that are alike ----------------------------------


def _components(app: Any) -> dict[Any, dict[str, Any]]:
    """Every widget on the current screen with component classes -> the rules of each."""
    return {
        node: {c: (s._base_styles._rules, s._inline_styles._rules) for c, s in styles.items()}
        for node in app.screen.walk_children(with_self=True)
        if (styles := dict(node._component_styles))
    }


def _afresh(app: Any) -> dict[Any, dict[str, Any]]:
    """The same, each worked out again by Textual's own path, with nothing kept."""
    plain = textual_stylesheet.Stylesheet._process_component_classes
    for node in app.screen.walk_children(with_self=True):
        if node._get_component_classes():
            plain(app.stylesheet, node)
    return _components(app)


@pytest.mark.parametrize("theme", [None, "textual-light"])
async def test_component_styles_kept_for_alike_widgets_are_what_textual_works_out(
    sample_db: Path, theme: str | None
) -> None:
    """Board columns, lists and tables share their component classes' styles with the widgets
    alike to them (type, classes, the ids and pseudo-classes the rules test, up to the app):
    each screen's, with the selection on it and after a theme change, equals Textual's own."""
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        if theme:
            app.theme = theme
            await pilot.pause()
        for keys in (("1",), ("l",), ("2",), ("3",), ("4",), ("5",), ("1", "H"), ("escape", "e")):
            await step(pilot, *keys)
            kept = _components(app)
            assert kept, type(app.screen).__name__
            assert kept == _afresh(app), type(app.screen).__name__


def test_a_new_parse_forgets_the_kept_component_styles() -> None:
    sheet = KeptStylesheet(variables={"accent": "red"})
    sheet.add_source("Label > .x { color: $accent; }", read_from=("a.tcss", ""))
    sheet.reparse()
    sheet._components[("k",)] = {}
    sheet.set_variables({"accent": "blue"})
    sheet.reparse()
    from textual.widgets import Label

    class Marked(Label):
        COMPONENT_CLASSES = {"x"}

    node = Marked()
    sheet.apply(node)
    assert ("k",) not in sheet._components
    assert node._component_styles["x"].color.rgb == (0, 0, 255)


# screens' sheets parsed in the warm-up thread ------------------------------------------------


def _ahead_keys(app: Any) -> set[str]:
    """The .tcss sheets parsed into the app's sheet, whether read yet or not."""
    kept = app.stylesheet._parse_cache.keys()  # Textual's LRUCache: not iterable as a dict
    return {Path(key[1][0]).name for key in kept} & {
        "checklist.tcss",
        "plan.tcss",
        "overview.tcss",
        "dialogs.tcss",
        "base.tcss",
    }


async def _warmed(pilot: Any) -> None:
    for _ in range(200):
        if len(_ahead_keys(pilot.app)) == 5:
            return
        await pilot.pause(0.05)
    raise AssertionError("the warm-up did not parse the screens' sheets")


@pytest.mark.parametrize("keys", [("2",), ("3",), ("4",), ("e",), ("2", "e")])
async def test_sheets_parsed_ahead_give_what_parsing_on_showing_gives(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: tuple[str, ...]
) -> None:
    """The warm-up thread parses the screens' and dialogs' sheets; showing one then parses
    none of them, and it looks exactly as when its sheet is parsed as it shows."""
    import re

    from bridge_tui.tui import app as app_module

    shots = []
    real = textual_stylesheet.parse
    parsed: list[str] = []

    def counting(scope: str, css: str, read_from: Any, **kw: Any) -> Any:
        parsed.append(Path(read_from[0]).name)
        return real(scope, css, read_from, **kw)

    for ahead in (True, False):
        if not ahead:
            monkeypatch.setattr(app_module, "_warmed_sheets", list)
        db = tmp_path / "team.db"  # a fresh copy, at one path (the header shows it)
        db.write_bytes(sample_db.read_bytes())
        app = sample_app(db)
        async with app.run_test(size=(160, 45)) as pilot:
            if ahead:
                await _warmed(pilot)
                monkeypatch.setattr(textual_stylesheet, "parse", counting)
            else:
                await pilot.pause(1.0)
                assert not _ahead_keys(app)
            for key in keys:
                await step(pilot, key)
            if ahead:
                assert not [name for name in parsed if name.endswith(".tcss")], parsed
                monkeypatch.setattr(textual_stylesheet, "parse", real)
            shots.append(re.sub(r"terminal-\d+", "terminal", app.export_screenshot()))
    assert shots[0] == shots[1]


def test_sheets_parsed_ahead_with_other_variables_are_not_kept(tmp_path: Path) -> None:
    """A theme chosen while the thread parsed: its parse used the old colours, so it is
    dropped and the sheet is parsed again, in the new ones, when it is read."""
    sheet_file = tmp_path / "s.tcss"
    sheet_file.write_text("Label { color: $accent; }")
    sheet = KeptStylesheet(variables={"accent": "red"})
    variables, parsed = sheet.parse_ahead([sheet_file])
    sheet.set_variables({"accent": "blue"})
    sheet.keep_parsed(variables, parsed)
    sheet.read(sheet_file)
    sheet.reparse()
    assert sheet.rules[0].styles.color.rgb == (0, 0, 255)
    # with the same variables, the parse made ahead is the one used
    variables, parsed = sheet.parse_ahead([sheet_file])
    other = KeptStylesheet(variables=variables)
    other.keep_parsed(variables, parsed)
    other.read(sheet_file)
    other.reparse()
    assert other.rules[0] is next(iter(parsed.values()))[0]
